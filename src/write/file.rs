//! Where `kroniek export -o PATH` writes its one file. A regular file (or a new one) is
//! replaced whole: the export goes to a temporary file created exclusively under a random name
//! in the same folder, takes the old file's mode, and is renamed over it, so a failed export
//! leaves the old file as it was and a link planted at a temporary name is never followed.
//! Anything else that is there (a pipe, a terminal, `/dev/null`, `/dev/stdout`) is written
//! into, as a shell redirection would. It must never replace anything but a regular file, and
//! never write inside the site's `content/` or `theme/`.

use super::{absolute, io, WriteError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where an export goes, decided before the export is made, so that a refused path fails at
/// once.
#[derive(Debug)]
pub enum Target {
    /// Standard output (`-o -`, or no `-o`).
    Stdout,
    /// A regular file, or none yet: replaced whole.
    File(PathBuf),
    /// Something that is not a regular file (a pipe, a device): written into.
    Into(PathBuf),
}

impl Target {
    /// Checks `output` for an export of `site`: refused inside the site's `content/` or
    /// `theme/` (links resolved) and when it is a folder.
    pub fn check(site: &Path, output: Option<&Path>) -> Result<Target, WriteError> {
        let path = match output {
            None => return Ok(Target::Stdout),
            Some(path) if path == Path::new("-") => return Ok(Target::Stdout),
            Some(path) => path,
        };
        let refuse = |reason: String| WriteError::Refused {
            path: path.to_path_buf(),
            reason,
        };
        let real = absolute(path).map_err(io(path))?;
        let site = absolute(site).map_err(io(site))?;
        for inner in ["content", "theme"] {
            if real.starts_with(site.join(inner)) {
                return Err(refuse(format!(
                    "it is inside the site's `{inner}` folder, which kroniek reads"
                )));
            }
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => Err(refuse("it is a folder; name a file".into())),
            Ok(meta) if meta.is_file() => Ok(Target::File(real)),
            Ok(_) => Ok(Target::Into(path.to_path_buf())),
            // Missing, or a link to nothing: the link itself is replaced, never followed.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Target::File(real)),
            Err(e) => Err(io(path)(e)),
        }
    }

    /// Writes `bytes` where the target says.
    pub fn write(&self, bytes: &[u8]) -> Result<(), WriteError> {
        match self {
            Target::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(bytes)
                    .and_then(|()| out.flush())
                    .map_err(io(Path::new("-")))
            }
            Target::Into(path) => std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|mut f| f.write_all(bytes))
                .map_err(io(path)),
            Target::File(path) => replace(path, bytes),
        }
    }
}

/// A folder that `kroniek export -o DIR` writes pages into (a MediaWiki export above
/// `--max-bytes`): refused inside the site's `content/` or `theme/`, and when it is there but
/// no folder. Made when missing. Each page then replaces its own file whole ([`Folder::write`]);
/// other files in the folder are left alone.
#[derive(Debug)]
pub struct Folder(PathBuf);

impl Folder {
    pub fn check(site: &Path, dir: &Path) -> Result<Folder, WriteError> {
        let refuse = |reason: String| WriteError::Refused {
            path: dir.to_path_buf(),
            reason,
        };
        let real = absolute(dir).map_err(io(dir))?;
        let site = absolute(site).map_err(io(site))?;
        for inner in ["content", "theme"] {
            if real.starts_with(site.join(inner)) {
                return Err(refuse(format!(
                    "it is inside the site's `{inner}` folder, which kroniek reads"
                )));
            }
        }
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => Ok(Folder(real)),
            Ok(_) => Err(refuse("it is not a folder".into())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Folder(real)),
            Err(e) => Err(io(dir)(e)),
        }
    }

    /// Writes each (file name, bytes) into the folder, made when missing. A name is one plain
    /// path segment (no folder, no leading dot), or the write is refused.
    pub fn write(&self, files: &[(PathBuf, Vec<u8>)]) -> Result<(), WriteError> {
        for (name, _) in files {
            let plain = name.components().count() == 1
                && matches!(
                    name.components().next(),
                    Some(std::path::Component::Normal(_))
                )
                && !name.to_string_lossy().starts_with('.');
            if !plain {
                return Err(WriteError::Refused {
                    path: self.0.join(name),
                    reason: "an export page must be a plain file name".into(),
                });
            }
        }
        std::fs::create_dir_all(&self.0).map_err(io(&self.0))?;
        for (name, bytes) in files {
            let path = self.0.join(name);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if !meta.is_file() && !meta.file_type().is_symlink() => {
                    return Err(WriteError::Refused {
                        path,
                        reason: "it is there and is not a file".into(),
                    })
                }
                _ => replace(&path, bytes)?,
            }
        }
        Ok(())
    }
}

/// Replaces the file at `path` with `bytes`, through a temporary file beside it.
fn replace(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let old = std::fs::symlink_metadata(path).ok().filter(|m| m.is_file());
    let prefix = format!(".{name}.kroniek-");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    if let Some(mode) = creation_mode(old.as_ref()) {
        builder.permissions(mode);
    }
    let mut temporary = builder
        .tempfile_in(folder)
        .map_err(|e| io(path)(without_temporary_name(e)))?;
    if let Some(old) = &old {
        keep_owner_and_mode(temporary.as_file(), old).map_err(io(path))?;
    }
    temporary
        .write_all(bytes)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(io(path))?;
    temporary
        .persist(path)
        .map_err(|e| io(path)(without_temporary_name(e.error)))?;
    Ok(())
}

/// Gives the new file the old one's mode (a 0600 internal export stays 0600) and, where
/// allowed, its owner and group.
fn keep_owner_and_mode(file: &std::fs::File, old: &std::fs::Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // Only root may give a file away; anyone else keeps it as their own, as an editor does.
        let _ = std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid()));
    }
    file.set_permissions(old.permissions())
}

/// The mode to create the temporary file with: the old file's (never wider; the umask may
/// narrow it, [`keep_owner_and_mode`] then sets it exactly), or for a new export the mode any
/// new file gets (0666 less the umask) rather than a temporary file's private 0600.
#[cfg(unix)]
fn creation_mode(old: Option<&std::fs::Metadata>) -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(old.map_or_else(
        || std::fs::Permissions::from_mode(0o666),
        |m| m.permissions(),
    ))
}

#[cfg(not(unix))]
fn creation_mode(old: Option<&std::fs::Metadata>) -> Option<std::fs::Permissions> {
    old.map(|m| m.permissions())
}

/// tempfile adds " at path <temporary name>" to its errors; the user knows only `-o`'s path,
/// which the error names already. (tempfile's error type is private, so the text is cut.)
fn without_temporary_name(error: std::io::Error) -> std::io::Error {
    let text = error.to_string();
    match text.split_once(" at path ") {
        Some((cause, _)) => std::io::Error::new(error.kind(), cause.to_string()),
        None => error,
    }
}
