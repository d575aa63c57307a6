//! Folders in tests: copying a site to a writable temporary place, listing a folder, and
//! taking a snapshot of one to prove that a refused or failed command changed nothing.
//!
//! These only read, or write inside the temporary folders they are given or make; they must
//! never touch the repository's own files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Copies the folder `from` (a fixture site) to `to`, which need not exist.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A writable copy of the site folder `site`: `(guard, <tmp>/site)`. The copy goes when the
/// guard is dropped.
pub fn temp_copy(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("site");
    copy_dir(site, &copy);
    (tmp, copy)
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Everything under `dir` (itself included, as ""), by relative path: a file with its bytes,
/// a folder or a link as `None`. Two snapshots are equal when nothing was added, removed or
/// changed.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Gives paths their permissions (`(path, mode)`) back when dropped, so that a test that made
/// a file or folder unreadable leaves a temporary folder that can be removed, pass or fail.
#[cfg(unix)]
pub struct Restore(pub Vec<(PathBuf, u32)>);

#[cfg(unix)]
impl Drop for Restore {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for (path, mode) in &self.0 {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(*mode));
        }
    }
}
