//! Results kept between runs of the pipeline in one process, so that `serve` redoes only what
//! an edit changed.
//!
//! Generic on purpose: this module knows no stage. A stage that does work per file (reading it,
//! parsing its front matter, rendering its Markdown, rendering a card) takes a [`Memo`] for that
//! work and asks it before doing the work; `build` passes [`Fresh`], which remembers nothing,
//! and the preview passes its own memo (`serve::memo`), made of [`Store`]s. The results are the
//! same either way. It must never import a stage: that would tie every stage to every other.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Work that may be remembered: the value for `key`, made by `make` unless it is known.
pub trait Memo<K, V>: Sync {
    fn get_or_make(&self, key: K, make: Box<dyn FnOnce() -> V + '_>) -> V;

    /// Whether anything is remembered at all: a stage can skip computing a key (a file's
    /// modification time) that only a remembering memo needs.
    fn remembers(&self) -> bool {
        true
    }
}

/// Remembers nothing: every run does all the work (`build`, `check`, `export`).
pub struct Fresh;

impl<K, V> Memo<K, V> for Fresh {
    fn get_or_make(&self, _key: K, make: Box<dyn FnOnce() -> V + '_>) -> V {
        make()
    }

    fn remembers(&self) -> bool {
        false
    }
}

/// Which results are worth keeping: a failure is made again every time, so that a broken file
/// is read again and its error is shown again.
pub trait Keep {
    fn worth_keeping(&self) -> bool;
}

impl<T, E> Keep for Result<T, E> {
    fn worth_keeping(&self) -> bool {
        self.is_ok()
    }
}

impl<A, B> Keep for (A, B) {
    fn worth_keeping(&self) -> bool {
        true
    }
}

/// The number of the current run, shared by the stores of one memo: entries that a run did
/// not use are dropped when it ends, so memory does not grow while an author edits.
#[derive(Clone, Default)]
pub struct Runs(Arc<AtomicU64>);

impl Runs {
    pub fn start(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub fn current(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// One map of remembered results, safe to use from rayon's threads.
pub struct Store<K, V> {
    runs: Runs,
    map: Mutex<HashMap<K, (u64, V)>>,
}

impl<K: Hash + Eq, V: Clone> Store<K, V> {
    pub fn new(runs: &Runs) -> Self {
        Store {
            runs: runs.clone(),
            map: Mutex::new(HashMap::new()),
        }
    }

    /// Drops every entry the current run did not use.
    pub fn finish_run(&self) {
        let run = self.runs.current();
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, (used, _)| *used == run);
        }
    }

    pub fn len(&self) -> usize {
        self.map.lock().map_or(0, |m| m.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K: Hash + Eq + Send, V: Clone + Keep + Send> Memo<K, V> for Store<K, V> {
    fn get_or_make(&self, key: K, make: Box<dyn FnOnce() -> V + '_>) -> V {
        let run = self.runs.current();
        if let Ok(mut map) = self.map.lock() {
            if let Some((used, value)) = map.get_mut(&key) {
                *used = run;
                return value.clone();
            }
        }
        let value = make();
        if value.worth_keeping() {
            if let Ok(mut map) = self.map.lock() {
                map.insert(key, (run, value.clone()));
            }
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_store_makes_once_and_forgets_what_a_run_did_not_use() {
        let runs = Runs::default();
        let store: Store<&str, (u32, ())> = Store::new(&runs);
        let made = std::sync::atomic::AtomicU32::new(0);
        let make = || Box::new(|| (made.fetch_add(1, Ordering::SeqCst), ()));
        runs.start();
        store.get_or_make("a", make());
        store.get_or_make("b", make());
        assert_eq!(store.get_or_make("a", make()).0, 0, "remembered");
        runs.start();
        store.get_or_make("a", make());
        store.finish_run();
        assert_eq!(store.len(), 1, "b was not used in the second run");
        assert_eq!(made.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn failures_are_made_again() {
        let runs = Runs::default();
        let store: Store<u8, Result<(), String>> = Store::new(&runs);
        let tries = Cell::new(0);
        for _ in 0..3 {
            let _ = store.get_or_make(
                1,
                Box::new(|| {
                    tries.set(tries.get() + 1);
                    Err("broken".to_string())
                }),
            );
        }
        assert_eq!(tries.get(), 3);
        assert!(store.is_empty());
    }
}
