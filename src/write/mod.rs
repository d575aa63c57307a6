//! Stage 4, write: the built site to disk, all or nothing.
//!
//! The site is written to a temporary folder beside the output and swapped in with renames, so
//! a failed or killed build leaves the last good output as it was. kroniek deletes only folders
//! that carry its marker file, and refuses output folders where a mistake would destroy the
//! user's work: the site itself, a folder that contains it, its `content/` or `theme/`, or a
//! non-empty folder that kroniek did not create.

mod staging;

use std::path::{Path, PathBuf};

pub use staging::Staging;

/// Name of the file that marks a folder as kroniek's output.
pub const MARKER: &str = ".kroniek-output";
pub(crate) const MARKER_TEXT: &str =
    "This folder is written by kroniek. It is replaced on every build.\n";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to write to {}: {reason}", path.display())]
    Refused { path: PathBuf, reason: String },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `output` is a safe place for the build of `site`. Call before building, so that a
/// mistyped `-o` fails at once.
pub fn check_output(site: &Path, output: &Path) -> Result<(), WriteError> {
    let refuse = |reason: &str| WriteError::Refused {
        path: output.to_path_buf(),
        reason: reason.to_string(),
    };
    let site = site.canonicalize().map_err(io(site))?;
    let target = absolute(output).map_err(io(output))?;
    if target == site {
        return Err(refuse("it is the site folder itself"));
    }
    if site.starts_with(&target) {
        return Err(refuse(
            "it contains the site; the build would replace your content",
        ));
    }
    if target.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if let Some(home) = std::env::var_os("HOME")
        .map(PathBuf::from)
        .and_then(|h| h.canonicalize().ok())
    {
        if home.starts_with(&target) {
            return Err(refuse("it is your home folder or contains it"));
        }
    }
    for inner in ["content", "theme"] {
        if target.starts_with(site.join(inner)) {
            return Err(refuse(&format!(
                "it is inside the site's `{inner}` folder, which kroniek reads"
            )));
        }
    }
    if target.exists() {
        if !target.is_dir() {
            return Err(refuse("it is a file, not a folder"));
        }
        let empty = std::fs::read_dir(&target)
            .map_err(io(&target))?
            .next()
            .is_none();
        if !empty && !target.join(MARKER).is_file() {
            return Err(refuse(
                "it is not empty and was not made by kroniek; choose another folder or empty it",
            ));
        }
    }
    Ok(())
}

/// `path` made absolute and resolved through symlinks as far as it exists.
pub(crate) fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    if let Ok(real) = path.canonicalize() {
        return Ok(real);
    }
    // Not there yet: resolve the deepest existing ancestor, then add the rest.
    let mut rest = Vec::new();
    let mut ancestor = path.as_path();
    loop {
        if let Ok(real) = ancestor.canonicalize() {
            return Ok(rest
                .iter()
                .rev()
                .fold(real, |p: PathBuf, part| p.join(part)));
        }
        match (ancestor.parent(), ancestor.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                ancestor = parent;
            }
            _ => return Ok(path.clone()),
        }
    }
}

/// Puts `staging` in the place of `output`; the old output is moved aside first and deleted
/// last, and put back if the swap fails.
pub(crate) fn swap(
    staging: &Path,
    output: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), WriteError> {
    let old = parent.join(format!(".{name}.kroniek-old-{}", std::process::id()));
    let had_output = output.exists();
    if had_output {
        std::fs::rename(output, &old).map_err(io(output))?;
    }
    if let Err(err) = std::fs::rename(staging, output) {
        if had_output {
            let _ = std::fs::rename(&old, output);
        }
        let _ = std::fs::remove_dir_all(staging);
        return Err(io(output)(err));
    }
    if had_output {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Puts the previous output back if a build was killed inside [`swap`], between moving the old
/// output aside and moving the new one in: then the output folder is missing and the old one
/// waits beside it (ours, by name and marker). Without this, the clean-up of leftovers deleted
/// it, and a failed build after such a kill left no output at all. Runs at the start of every
/// build, before anything can fail.
pub fn recover(output: &Path) {
    let Ok(output) = absolute(output) else {
        return;
    };
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return;
    };
    if output.exists() || output.is_symlink() {
        return;
    }
    let prefix = format!(".{}.kroniek-old-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut old: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .filter(|p| p.join(MARKER).is_file())
        .collect();
    // If several were left, the newest is the last output.
    old.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    if let Some(newest) = old.last() {
        let _ = std::fs::rename(newest, &output);
    }
}

/// Folders left by builds that were killed: ours only (by name and marker).
pub(crate) fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [
        format!(".{name}.kroniek-new-"),
        format!(".{name}.kroniek-old-"),
    ];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| file_name.starts_with(p)) && entry.path().join(MARKER).is_file()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{OutputFile, Sink};

    /// Writes `files` as the new content of `output`, the way `build` streams its pages.
    fn write(output: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
        let staging = Staging::begin(output)?;
        let sink = Sink::store(&staging);
        for file in files {
            sink.put(file.clone());
        }
        staging.finish()
    }

    fn made(path: &str, text: &str) -> OutputFile {
        OutputFile::Made {
            path: PathBuf::from(path),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn refuses_dangerous_folders() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        let reason = |out: &Path| match check_output(&site, out) {
            Err(WriteError::Refused { reason, .. }) => reason,
            other => panic!("{out:?} was not refused: {other:?}"),
        };
        assert!(reason(&site).contains("site folder itself"));
        assert!(reason(dir.path()).contains("contains the site"));
        assert!(
            reason(Path::new("/")).contains("contains the site")
                || reason(Path::new("/")).contains("root")
        );
        assert!(reason(&site.join("content/out")).contains("content"));
        let other = dir.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("keep.txt"), "mine").unwrap();
        assert!(reason(&other).contains("not empty"));
        assert!(check_output(&site, &site.join("public")).is_ok());
        assert!(check_output(&site, &dir.path().join("empty-or-new")).is_ok());
    }

    #[test]
    fn replaces_the_output_as_a_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &out,
            &[made("index.html", "one"), made("events/a/index.html", "a")],
        )
        .unwrap();
        write(&out, &[made("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(
            !out.join("events").exists(),
            "files of the previous build are gone"
        );
        assert!(out.join(MARKER).is_file());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("public")],
            "no temporary folders are left"
        );
    }

    #[test]
    fn failed_write_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[made("index.html", "good")]).unwrap();
        let missing = OutputFile::Copied {
            path: PathBuf::from("img/x.png"),
            source: dir.path().join("does-not-exist.png"),
        };
        assert!(write(&out, &[made("index.html", "bad"), missing]).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "good"
        );
    }

    #[test]
    fn output_moved_aside_by_a_killed_swap_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[made("index.html", "previous")]).unwrap();
        // Killed after the first rename of `swap`: only the old output is left.
        let aside = dir.path().join(".public.kroniek-old-4242");
        std::fs::rename(&out, &aside).unwrap();
        recover(&out);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!aside.exists());
        // With the output in place, nothing is touched.
        recover(&out);
        assert!(out.join("index.html").is_file());
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.kroniek-new-999999");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join(MARKER), MARKER_TEXT).unwrap();
        let foreign = dir.path().join(".public.kroniek-new-notours");
        std::fs::create_dir_all(&foreign).unwrap();
        write(&dir.path().join("public"), &[made("index.html", "x")]).unwrap();
        assert!(!stale.exists());
        assert!(
            foreign.exists(),
            "a folder without the marker is never deleted"
        );
    }
}
