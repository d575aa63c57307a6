//! The staging folder: a build streams its files into a temporary folder beside the output
//! (as the [`Store`] of its [`crate::output::Sink`]), and [`Staging::finish`] swaps it in. It
//! holds the output's lock from [`Staging::begin`] until it is finished or dropped. It must
//! never replace the output with a folder whose writing failed, and never write into a folder
//! that was given up.

use super::interrupt::{Guard, Phase};
use super::leftovers::{self, discard, name_for, Kind};
use super::lock::OutputLock;
use super::swap::swap;
use super::{absolute, io, WriteError, MARKER, MARKER_TEXT};
use crate::output::{OutputFile, Store};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A temporary folder beside the output that the build writes into. [`Staging::finish`] puts it
/// in the output's place; dropped unfinished (an error, a panic), it is deleted and the
/// previous output stays as it was.
pub struct Staging {
    guard: Arc<Guard>,
    /// The first write that failed; later writes are skipped.
    error: Mutex<Option<WriteError>>,
    /// Folders already made, to spare a system call per file.
    folders: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Takes the output's lock, puts back an output that a killed swap left aside, removes what
    /// killed builds left behind, and creates the temporary folder for a new build of `output`.
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let output = absolute(output).map_err(io(output))?;
        let parent = output.parent().ok_or_else(|| WriteError::Refused {
            path: output.clone(),
            reason: "it has no parent folder".into(),
        })?;
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = file_name(&output);
        let lock = OutputLock::acquire(&output, parent, &name)?;
        leftovers::recover(&output, parent, &name);
        leftovers::clean(parent, &name);
        let folder = name_for(parent, &name, Kind::New);
        std::fs::create_dir(&folder).map_err(io(&folder))?;
        // The marker goes first, so that a build killed midway leaves a folder we may delete
        // later.
        let marker = folder.join(MARKER);
        if let Err(e) = std::fs::write(&marker, MARKER_TEXT) {
            discard(&folder, parent, &name);
            return Err(io(&marker)(e));
        }
        Ok(Staging {
            guard: Guard::register(folder, output, name, lock),
            error: Mutex::new(None),
            folders: Mutex::new(HashSet::new()),
        })
    }

    /// Replaces the output with everything written, or reports the first write that failed
    /// (and leaves the output as it was).
    pub fn finish(self) -> Result<(), WriteError> {
        if let Some(error) = lock(&self.error).take() {
            return Err(error);
        }
        let guard = &self.guard;
        let parent = guard.output.parent().expect("checked in begin");
        let name = file_name(&guard.output);
        let old = {
            let mut phase = guard.alone();
            if *phase != Phase::Writing {
                return Err(WriteError::Interrupted {
                    path: guard.output.clone(),
                });
            }
            let old = swap(&guard.folder, &guard.output, parent, &name)?;
            *phase = Phase::Done;
            old
        };
        if let Some(old) = old {
            discard(&old, parent, &name);
        }
        Ok(())
    }

    fn put_file(&self, file: &OutputFile) {
        let Some(_writing) = self.guard.writing() else {
            return;
        };
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
        let Some(file) = self.create(path) else {
            // The build has failed or stopped; still render, for the content's problems.
            return write(&mut std::io::sink());
        };
        let mut out = Recording {
            inner: std::io::BufWriter::with_capacity(256 * 1024, file),
            error: None,
        };
        write(&mut out);
        let flushed = out.inner.flush();
        if let Some(error) = out.error.or(flushed.err()) {
            self.fail(io(&self.guard.folder.join(path))(error));
        }
    }

    /// The file for `path`, created while the folder is held for writing; `None` once a write
    /// has failed or the folder was given up. Only the creation is guarded: the writing goes
    /// to an open file, which adds nothing to a folder being removed.
    fn create(&self, path: &Path) -> Option<std::fs::File> {
        let _writing = self.guard.writing()?;
        let target = self.prepare(path)?;
        std::fs::File::create(&target)
            .map_err(|error| self.fail(io(&target)(error)))
            .ok()
    }

    /// The full path for `path`, its folder made; `None` once a write has failed.
    fn prepare(&self, path: &Path) -> Option<PathBuf> {
        if lock(&self.error).is_some() {
            return None;
        }
        let target = self.guard.folder.join(path);
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
    /// Removes the folder unless it was swapped in, and lets go of the lock.
    fn drop(&mut self) {
        self.guard.unregister();
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
