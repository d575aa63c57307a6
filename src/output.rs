//! The files a run makes and where they go: the one place where render (which makes files) and
//! write (which stores them on disk) meet, so that neither imports the other.
//!
//! A [`Sink`] takes each file as soon as it is made, so that a big site never has to fit in
//! memory all at once: `build` streams them into the write stage's staging folder (a [`Store`]),
//! `serve` and `export` keep them in memory, `check` makes them only to find problems. This
//! module knows no stage: it must never import render, write or the model.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Contents made by kroniek.
    Made { path: PathBuf, bytes: Vec<u8> },
    /// A content file copied as it is.
    Copied { path: PathBuf, source: PathBuf },
}

impl OutputFile {
    pub fn path(&self) -> &PathBuf {
        match self {
            OutputFile::Made { path, .. } | OutputFile::Copied { path, .. } => path,
        }
    }
}

/// Somewhere files are stored as they arrive (the write stage's staging folder). Storing never
/// fails the render: a store keeps its first error and reports it when it is finished.
pub trait Store: Sync {
    fn put(&self, file: &OutputFile);
    /// Lets `write` fill the file at `path` piece by piece; once storing has failed, `write` is
    /// given a writer that drops what it gets.
    fn stream(&self, path: &Path, write: &mut dyn FnMut(&mut dyn Write));
}

/// The destination of a run, and how many files it took.
pub struct Sink<'a> {
    to: Destination<'a>,
    count: AtomicUsize,
}

enum Destination<'a> {
    Store(&'a dyn Store),
    /// Files are kept, for the preview server and for exports.
    Memory(Mutex<Vec<OutputFile>>),
    /// Files are made and dropped: `check` wants the problems, not the site.
    Discard,
}

impl<'a> Sink<'a> {
    pub fn store(store: &'a dyn Store) -> Self {
        Sink::new(Destination::Store(store))
    }

    pub fn memory() -> Self {
        Sink::new(Destination::Memory(Mutex::new(Vec::new())))
    }

    pub fn discard() -> Self {
        Sink::new(Destination::Discard)
    }

    fn new(to: Destination<'a>) -> Self {
        Sink {
            to,
            count: AtomicUsize::new(0),
        }
    }

    /// Takes one finished file.
    pub fn put(&self, file: OutputFile) {
        self.count.fetch_add(1, Ordering::Relaxed);
        match &self.to {
            Destination::Store(store) => store.put(&file),
            Destination::Memory(files) => lock(files).push(file),
            Destination::Discard => {}
        }
    }

    /// Makes the file at `path` by letting `render` write it piece by piece, so that a big page
    /// (the timeline, the feed) goes to disk without being held whole in memory. `render`'s own
    /// errors are returned; a failure to store is the store's to report.
    pub fn put_with<E>(
        &self,
        path: &str,
        render: impl FnOnce(&mut dyn Write) -> Result<(), E>,
    ) -> Result<(), E> {
        self.count.fetch_add(1, Ordering::Relaxed);
        match &self.to {
            Destination::Store(store) => {
                let mut render = Some(render);
                let mut result = Ok(());
                store.stream(Path::new(path), &mut |out| {
                    if let Some(render) = render.take() {
                        result = render(out);
                    }
                });
                result
            }
            Destination::Memory(files) => {
                let mut bytes = Vec::new();
                render(&mut bytes)?;
                lock(files).push(OutputFile::Made {
                    path: PathBuf::from(path),
                    bytes,
                });
                Ok(())
            }
            Destination::Discard => render(&mut std::io::sink()),
        }
    }

    /// How many files were handed over.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// The files kept by [`Sink::memory`]; none for the others.
    pub fn into_files(self) -> Vec<OutputFile> {
        match self.to {
            Destination::Memory(files) => files.into_inner().unwrap_or_else(|e| e.into_inner()),
            _ => Vec::new(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
