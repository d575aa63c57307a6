//! Ctrl+C, SIGTERM and SIGHUP during a build: the unfinished staging folder is removed and the
//! lock let go before the process exits (130), so that an interrupted build leaves the output
//! and its folder as they were. A [`Guard`] per staging folder decides, under one lock, who
//! gets to act on it: the writers, the swap, the clean-up on drop, or this handler. It must
//! never remove a staging folder once the swap has begun, and never let a writer create a file
//! in a folder that is being removed. A SIGKILL cannot be caught; the next build cleans up.

use super::leftovers::discard;
use super::lock::OutputLock;
use super::WriteError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// Where a staging folder is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Files are being written into it.
    Writing,
    /// It was given up (an error, a drop, an interrupt) and removed: write nothing more.
    Stopped,
    /// It is the output now.
    Done,
}

/// One staging folder's phase and the output's lock, shared by the build and the handler.
#[derive(Debug)]
pub(crate) struct Guard {
    pub(crate) folder: PathBuf,
    pub(crate) output: PathBuf,
    parent: PathBuf,
    name: String,
    /// Writers hold it shared while they create a file or folder; whoever stops or swaps the
    /// folder holds it alone.
    phase: RwLock<Phase>,
    lock: Mutex<Option<OutputLock>>,
}

/// The staging folders of this process, for the handler.
static ACTIVE: Mutex<Vec<Arc<Guard>>> = Mutex::new(Vec::new());

impl Guard {
    /// A guard for `folder`, registered with the handler until [`Guard::unregister`].
    pub(crate) fn register(
        folder: PathBuf,
        output: PathBuf,
        name: String,
        lock: OutputLock,
    ) -> Arc<Guard> {
        let parent = output.parent().map(Path::to_path_buf).unwrap_or_default();
        let guard = Arc::new(Guard {
            folder,
            output,
            parent,
            name,
            phase: RwLock::new(Phase::Writing),
            lock: Mutex::new(Some(lock)),
        });
        locked(&ACTIVE).push(Arc::clone(&guard));
        guard
    }

    /// The phase, held shared: while it is held, the folder is neither removed nor swapped.
    pub(crate) fn writing(&self) -> Option<RwLockReadGuard<'_, Phase>> {
        let phase = self.phase.read().unwrap_or_else(|e| e.into_inner());
        (*phase == Phase::Writing).then_some(phase)
    }

    /// The phase, held alone (for the swap).
    pub(crate) fn alone(&self) -> RwLockWriteGuard<'_, Phase> {
        self.phase.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes the folder unless it was swapped in or removed already. True if it did.
    pub(crate) fn stop(&self) -> bool {
        let mut phase = self.alone();
        if *phase != Phase::Writing {
            return false;
        }
        *phase = Phase::Stopped;
        discard(&self.folder, &self.parent, &self.name);
        true
    }

    /// Lets go of the output's lock (once; later calls do nothing).
    pub(crate) fn release_lock(&self) {
        if let Some(lock) = locked(&self.lock).take() {
            lock.release();
        }
    }

    /// Stops, releases the lock and forgets the guard: the end of a build, whatever happened.
    pub(crate) fn unregister(self: &Arc<Guard>) {
        self.stop();
        self.release_lock();
        locked(&ACTIVE).retain(|g| !Arc::ptr_eq(g, self));
    }
}

/// Installs the handler for the rest of the process (a second call does nothing). Only the
/// command line installs it; a library caller keeps its own signal handling.
pub fn install() {
    let _ = ctrlc::set_handler(on_interrupt);
}

/// Removes every unfinished staging folder, lets go of the locks, and exits with 130.
fn on_interrupt() {
    let guards: Vec<Arc<Guard>> = locked(&ACTIVE).clone();
    let mut message = "error: interrupted".to_string();
    for guard in &guards {
        if guard.stop() {
            let output = guard.output.clone();
            message = format!("error: {}", WriteError::Interrupted { path: output });
        }
        guard.release_lock();
    }
    eprintln!("{message}");
    std::process::exit(130);
}

/// A poisoned lock only means another thread panicked while holding it; the data is plain.
fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
