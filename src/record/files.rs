//! The hash of every file of a build, taken as the files arrive (a [`Store`]), so that a
//! release of a big site never holds its pages in memory.

use crate::output::{OutputFile, Store};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

/// Collects `path -> sha256:…` for every file put or streamed into it. A copied file is hashed
/// from its source; one that cannot be read is recorded as `unreadable: …`, so that the
/// release never claims a hash it did not take.
#[derive(Default)]
pub struct Hashes(Mutex<BTreeMap<String, String>>);

impl Hashes {
    pub fn into_map(self) -> BTreeMap<String, String> {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, path: &Path, hash: String) {
        let path = crate::diagnostics::display_path(path);
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, hash);
    }
}

impl Store for Hashes {
    fn put(&self, file: &OutputFile) {
        let hash = match file {
            OutputFile::Made { bytes, .. } => super::hash(bytes),
            OutputFile::Copied { source, .. } => match std::fs::read(source) {
                Ok(bytes) => super::hash(&bytes),
                Err(e) => format!("unreadable: {e}"),
            },
        };
        self.insert(file.path(), hash);
    }

    fn stream(&self, path: &Path, write: &mut dyn FnMut(&mut dyn Write)) {
        let mut bytes = Vec::new();
        write(&mut bytes);
        self.insert(path, super::hash(&bytes));
    }
}
