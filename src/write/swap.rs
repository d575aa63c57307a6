//! The swap: a finished staging folder takes the output's place in two renames, the old output
//! moved aside first and put back if the second rename fails. It must never leave the output
//! missing when it returns, nor delete anything itself: the old output is handed back to be
//! discarded once the new one is in place.

use super::leftovers::{name_for, Kind};
use super::WriteError;
use std::path::{Path, PathBuf};

/// Puts `staging` in the place of `output` (named `name` in `parent`). Returns the old output,
/// now beside it under an `old` name, for the caller to discard.
pub(crate) fn swap(
    staging: &Path,
    output: &Path,
    parent: &Path,
    name: &str,
) -> Result<Option<PathBuf>, WriteError> {
    let old = output.exists().then(|| name_for(parent, name, Kind::Old));
    if let Some(old) = &old {
        std::fs::rename(output, old).map_err(|source| WriteError::Unreplaceable {
            path: output.to_path_buf(),
            source,
        })?;
    }
    if let Err(source) = std::fs::rename(staging, output) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, output);
        }
        return Err(WriteError::Unreplaceable {
            path: output.to_path_buf(),
            source,
        });
    }
    Ok(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_that_cannot_be_moved_aside_is_kept_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let (out, staging) = (dir.path().join("public"), dir.path().join("staging"));
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        std::fs::create_dir(&staging).unwrap();
        // The output's parent is a file, as good as an output that refuses to be renamed.
        let error = swap(&staging, &out, &dir.path().join("file"), "public").unwrap_err();
        std::fs::write(dir.path().join("file"), "").unwrap();
        let error2 = swap(&staging, &out, &dir.path().join("file"), "public").unwrap_err();
        for error in [error, error2] {
            let text = error.to_string();
            assert!(matches!(error, WriteError::Unreplaceable { .. }), "{text}");
            assert!(
                text.starts_with(&format!("cannot replace {}: ", out.display())),
                "{text}"
            );
            assert!(
                text.ends_with(
                    "; kroniek puts a new build in place by renaming the output folder, which \
                     only works for an ordinary folder (not a mount point): build into a folder \
                     inside it or elsewhere. The output was left as it was"
                ),
                "{text}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_staging_folder_that_cannot_move_in_puts_the_old_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        let missing = dir.path().join("no-staging");
        let error = swap(&missing, &out, dir.path(), "public").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "cannot replace {}: No such file or directory (os error 2); kroniek puts a new \
                 build in place by renaming the output folder, which only works for an ordinary \
                 folder (not a mount point): build into a folder inside it or elsewhere. The \
                 output was left as it was",
                out.display()
            )
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
