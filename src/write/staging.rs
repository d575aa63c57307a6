//! The staging folder: a build streams its files into a temporary folder beside the output
//! (as the [`Store`] of its [`crate::output::Sink`]), and [`Staging::finish`] swaps it in. It
//! must never replace the output with a folder whose writing failed.

use super::{absolute, io, remove_leftovers, swap, WriteError, MARKER, MARKER_TEXT};
use crate::output::{OutputFile, Store};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A temporary folder beside the output that the build writes into. [`Staging::finish`] puts it
/// in the output's place; dropped unfinished (an error, a panic), it is deleted and the
/// previous output stays as it was.
pub struct Staging {
    folder: PathBuf,
    output: PathBuf,
    /// The first write that failed; later writes are skipped.
    error: Mutex<Option<WriteError>>,
    /// Folders already made, to spare a system call per file.
    folders: Mutex<HashSet<PathBuf>>,
    finished: bool,
}

impl Staging {
    /// Creates the temporary folder for a new build of `output`, after removing what killed
    /// builds left behind.
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let output = absolute(output).map_err(io(output))?;
        let parent = output.parent().ok_or_else(|| WriteError::Refused {
            path: output.clone(),
            reason: "it has no parent folder".into(),
        })?;
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = file_name(&output);
        remove_leftovers(parent, &name);
        let folder = parent.join(format!(".{name}.kroniek-new-{}", std::process::id()));
        std::fs::create_dir(&folder).map_err(io(&folder))?;
        let staging = Staging {
            folder,
            output,
            error: Mutex::new(None),
            folders: Mutex::new(HashSet::new()),
            finished: false,
        };
        // The marker goes first, so that a build killed midway leaves a folder we may delete
        // later.
        let marker = staging.folder.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT).map_err(io(&marker))?;
        Ok(staging)
    }

    /// Replaces the output with everything written, or reports the first write that failed
    /// (and leaves the output as it was).
    pub fn finish(mut self) -> Result<(), WriteError> {
        if let Some(error) = lock(&self.error).take() {
            return Err(error);
        }
        self.finished = true;
        let parent = self.output.parent().expect("checked in begin");
        swap(&self.folder, &self.output, parent, &file_name(&self.output))
    }

    fn put_file(&self, file: &OutputFile) {
        let Some(target) = self.prepare(file.path()) else {
            return;
        };
        let result = match file {
            OutputFile::Made { bytes, .. } => std::fs::write(&target, bytes).map_err(io(&target)),
            OutputFile::Copied { source, .. } => std::fs::copy(source, &target)
                .map(|_| ())
                .map_err(io(source)),
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }

    fn stream_file(&self, path: &Path, write: &mut dyn FnMut(&mut dyn Write)) {
        let Some(target) = self.prepare(path) else {
            // The build has failed already; still render, for the content's problems.
            return write(&mut std::io::sink());
        };
        let file = match std::fs::File::create(&target) {
            Ok(file) => file,
            Err(error) => {
                self.fail(io(&target)(error));
                return write(&mut std::io::sink());
            }
        };
        let mut out = Recording {
            inner: std::io::BufWriter::with_capacity(256 * 1024, file),
            error: None,
        };
        write(&mut out);
        let flushed = out.inner.flush();
        if let Some(error) = out.error.or(flushed.err()) {
            self.fail(io(&target)(error));
        }
    }

    /// The full path for `path`, its folder made; `None` once a write has failed.
    fn prepare(&self, path: &Path) -> Option<PathBuf> {
        if lock(&self.error).is_some() {
            return None;
        }
        let target = self.folder.join(path);
        let folder = target.parent()?.to_path_buf();
        if !lock(&self.folders).contains(&folder) {
            if let Err(error) = std::fs::create_dir_all(&folder) {
                self.fail(io(&folder)(error));
                return None;
            }
            lock(&self.folders).insert(folder);
        }
        Some(target)
    }

    fn fail(&self, error: WriteError) {
        lock(&self.error).get_or_insert(error);
    }
}

impl Store for Staging {
    fn put(&self, file: &OutputFile) {
        self.put_file(file);
    }

    fn stream(&self, path: &Path, write: &mut dyn FnMut(&mut dyn Write)) {
        self.stream_file(path, write);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.folder);
        }
    }
}

/// A writer that remembers its first error, so that a full disk is reported as a write error
/// and not as a failure of the template that was writing.
struct Recording<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for Recording<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.error.is_some() {
            return Ok(bytes.len());
        }
        match self.inner.write_all(bytes) {
            Ok(()) => Ok(bytes.len()),
            Err(error) => {
                self.error = Some(error);
                Ok(bytes.len())
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn file_name(output: &Path) -> String {
    output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A poisoned lock only means another thread panicked while holding it; the data is still
/// a plain list.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Sink;

    #[test]
    fn a_dropped_staging_folder_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        Sink::store(&staging).put(OutputFile::Made {
            path: PathBuf::from("a/b/index.html"),
            bytes: b"x".to_vec(),
        });
        drop(staging);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn streamed_files_arrive_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        let sink = Sink::store(&staging);
        sink.put_with("big/index.html", |w| {
            for i in 0..100_000 {
                writeln!(w, "{i}")?;
            }
            Ok::<_, std::io::Error>(())
        })
        .unwrap();
        staging.finish().unwrap();
        let text = std::fs::read_to_string(out.join("big/index.html")).unwrap();
        assert_eq!(text.lines().count(), 100_000);
        assert!(text.ends_with("99999\n"));
    }

    #[test]
    fn a_render_error_is_returned_and_a_write_error_is_kept_for_finish() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        let sink = Sink::store(&staging);
        let failed: Result<(), &str> = sink.put_with("page.html", |_| Err("template"));
        assert_eq!(failed, Err("template"));
        // A file where a folder must go: the write fails, the build reports it at the end.
        sink.put(OutputFile::Made {
            path: PathBuf::from("page.html/inner.html"),
            bytes: b"x".to_vec(),
        });
        assert!(matches!(staging.finish(), Err(WriteError::Io { .. })));
        assert!(!out.exists(), "nothing replaced the (missing) output");
    }
}
