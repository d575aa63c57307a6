//! The build's exclusive lock on its output: a lock file beside the output folder
//! (`.public.kroniek-lock` for `public`), held from before the clean-up of leftovers until the
//! new output is in place. A second build of the same output is refused at once with
//! [`WriteError::Busy`] instead of deleting the first one's staging folder. It must never let
//! two builds hold the lock on one output, so the file is removed only by its holder, and a
//! lock taken on a file that was removed meanwhile is taken again.

use super::{io, WriteError};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// How often to retry when the lock file was replaced between opening and locking it; each
/// retry means another build finished in that moment, so a few are plenty.
const ATTEMPTS: usize = 10;

/// A held lock; released (and its file removed) when dropped, or by [`OutputLock::release`].
#[derive(Debug)]
pub(crate) struct OutputLock {
    path: PathBuf,
    file: File,
}

/// The lock file's path for `output`, in the same folder.
pub(crate) fn lock_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.kroniek-lock"))
}

impl OutputLock {
    /// Takes the lock for the output named `name` in `parent`, or says which build holds it.
    pub(crate) fn acquire(output: &Path, parent: &Path, name: &str) -> Result<Self, WriteError> {
        let path = lock_path(parent, name);
        for _ in 0..ATTEMPTS {
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io(&path))?;
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => {}
                Err(fs4::TryLockError::WouldBlock) => {
                    return Err(WriteError::Busy {
                        path: output.to_path_buf(),
                        lock: path,
                    })
                }
                Err(fs4::TryLockError::Error(e)) => return Err(io(&path)(e)),
            }
            // The previous holder removes the file as it lets go: a lock on a removed file
            // guards nothing, as the next build makes a new one.
            if still_at(&file, &path) {
                return Ok(OutputLock { path, file });
            }
        }
        Err(io(&path)(std::io::Error::other(
            "the lock file keeps being replaced",
        )))
    }

    /// Lets go of the lock, removing its file first (while still holding it).
    pub(crate) fn release(self) {
        drop(self);
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

/// Whether `path` is still the file `file` has open (and not a link to it).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Elsewhere an open file cannot be removed, so it is still there.
#[cfg(not(unix))]
fn still_at(_file: &File, path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_released() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = OutputLock::acquire(&out, dir.path(), "public").unwrap();
        let lock = dir.path().join(".public.kroniek-lock");
        assert!(lock.is_file());
        match OutputLock::acquire(&out, dir.path(), "public") {
            Err(e @ WriteError::Busy { .. }) => assert_eq!(
                e.to_string(),
                format!(
                    "another kroniek build is writing to {}; wait for it to finish, then build \
                     again (it holds {})",
                    out.display(),
                    lock.display()
                )
            ),
            other => panic!("not refused: {other:?}"),
        }
        first.release();
        assert!(!lock.exists(), "the holder removes the lock file");
        let second = OutputLock::acquire(&out, dir.path(), "public").unwrap();
        // Another output in the same folder has a lock of its own.
        let other = OutputLock::acquire(&dir.path().join("internal"), dir.path(), "internal");
        assert!(other.is_ok());
        drop(second);
    }

    #[test]
    fn a_lock_file_left_by_a_killed_build_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join(".public.kroniek-lock");
        std::fs::write(&lock, "").unwrap();
        let held = OutputLock::acquire(&dir.path().join("public"), dir.path(), "public");
        assert!(held.is_ok());
    }

    #[test]
    fn a_lock_path_that_is_a_folder_is_a_write_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join(".public.kroniek-lock");
        std::fs::create_dir(&lock).unwrap();
        let error = OutputLock::acquire(&dir.path().join("public"), dir.path(), "public")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            format!(
                "cannot write {}: Is a directory (os error 21)",
                lock.display()
            )
        );
    }
}
