//! Stage 4, write: the built site to disk, all or nothing, and an export's one file.
//!
//! The site is written to a temporary folder beside the output and swapped in with renames, so
//! a failed, interrupted or killed build leaves the last good output as it was. One build at a
//! time holds a lock on an output ([`lock`]); what a killed build leaves behind is cleaned up by
//! the next one ([`leftovers`]). kroniek deletes only folders that carry its marker file (or
//! are empty), and refuses output folders where a mistake would destroy the user's work: the
//! site itself, a folder that contains it, its `content/` or `theme/`, a mount point, or a
//! non-empty folder that kroniek did not create. It must never delete a folder that another
//! build is still writing, nor replace the output with a folder whose writing failed.

pub mod file;
pub mod interrupt;
mod leftovers;
mod lock;
pub mod record;
mod staging;
mod swap;

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
    /// Another build holds the output's lock.
    #[error(
        "another kroniek build is writing to {}; wait for it to finish, then build again \
         (it holds {})",
        path.display(),
        lock.display()
    )]
    Busy { path: PathBuf, lock: PathBuf },
    /// The output folder could not be renamed away, so the new build could not take its place.
    #[error(
        "cannot replace {}: {source}; kroniek puts a new build in place by renaming the output \
         folder, which only works for an ordinary folder (not a mount point): build into a \
         folder inside it or elsewhere. The output was left as it was",
        path.display()
    )]
    Unreplaceable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Ctrl+C (or SIGTERM) came before the new output was put in place.
    #[error("the build of {} was interrupted; the output was left as it was", path.display())]
    Interrupted { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl WriteError {
    /// Whether the command line asked for something kroniek will not do now (exit 2), rather
    /// than the disk failing it (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(self, WriteError::Refused { .. } | WriteError::Busy { .. })
    }
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
    if target.is_symlink() && !target.exists() {
        return Err(refuse(
            "it is a link to a folder that does not exist; create that folder or remove the link",
        ));
    }
    if target.exists() {
        if !target.is_dir() {
            return Err(refuse("it is a file, not a folder"));
        }
        if is_mount_point(&target) {
            return Err(refuse(&format!(
                "it is a mount point, which kroniek cannot replace (a build is put in place by \
                 renaming the output folder); build into a folder inside it, such as {}",
                target.join("public").display()
            )));
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

/// Whether `folder` is the root of a mounted file system (its device differs from its
/// parent's). Such a folder cannot be renamed, so a build could never be swapped in. A bind
/// mount of the same file system is not seen here; its rename fails in the swap instead, with
/// [`WriteError::Unreplaceable`].
#[cfg(unix)]
fn is_mount_point(folder: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let device = |p: &Path| std::fs::metadata(p).map(|m| m.dev()).ok();
    match folder.parent() {
        Some(parent) => device(folder).is_some() && device(folder) != device(parent),
        None => true,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_folder: &Path) -> bool {
    false
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
    fn leftovers_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".public.kroniek-new-999999");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join(MARKER), MARKER_TEXT).unwrap();
        let foreign = dir.path().join(".public.kroniek-new-notours");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        write(&dir.path().join("public"), &[made("index.html", "x")]).unwrap();
        assert!(!stale.exists());
        assert!(
            foreign.exists(),
            "a non-empty folder without the marker is never deleted"
        );
    }
}
