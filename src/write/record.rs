//! Writes a release record (`releases/N.json`): created whole or not at all, and never over an
//! existing record, so that two `kroniek release` runs at once cannot both record release N
//! and a record, once written, is never replaced.

use super::{io, WriteError};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path`, which must not exist yet. The text goes to a temporary file made
/// exclusively beside it, is flushed to disk, and is then linked into place without replacing
/// anything: a second run that raced to the same number gets [`WriteError::Refused`].
pub fn create(path: &Path, text: &str) -> Result<(), WriteError> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(io(folder))?;
    let mut file = tempfile::Builder::new()
        .prefix(".release-")
        .tempfile_in(folder)
        .map_err(io(folder))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(io(path))?;
    match file.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(WriteError::Refused {
            path: path.to_path_buf(),
            reason: "a release with this number was recorded meanwhile; run `kroniek release` \
                     again to record the next one"
                .into(),
        }),
        Err(e) => Err(io(path)(e.error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("releases/1.json");
        create(&path, "first").unwrap();
        let second = create(&path, "second").unwrap_err();
        assert!(matches!(second, WriteError::Refused { .. }), "{second}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "first");
        let left: Vec<_> = std::fs::read_dir(dir.path().join("releases"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["1.json"]);
    }
}
