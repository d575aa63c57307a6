//! Work kept between runs of the pipeline in one process, so that `serve` rebuilds only what an
//! edit changed.
//!
//! Each stage asks the cache before doing work that depends only on one file: reading it (keyed
//! by path, size and modification time), parsing its front matter and rendering its Markdown
//! (keyed by path, content hash and the hash of `_index.md`, whose settings they depend on).
//! Pages are always rendered again: the timeline shows every event. Entries that a run did not
//! use are dropped when it ends, so memory does not grow while an author edits.
//! `build` runs without a cache; the results are the same either way.

use crate::audience::Audience;
use crate::diagnostics::Problem;
use crate::front_matter::Document;
use crate::model::Event;
use crate::render::Rendered;
use std::collections::HashMap;
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::SystemTime;

/// What identifies a file's content without reading it.
pub type Stamp = (Option<SystemTime>, u64);

/// A file's path, content hash and the site settings' hash: what a parse or render depends on.
pub type ContentKey = (PathBuf, u64, u64);

#[derive(Default)]
pub struct Cache {
    run: AtomicU64,
    pub(crate) files: Store<PathBuf, (Stamp, Document)>,
    pub(crate) events: Store<ContentKey, (Option<Event>, Vec<Problem>)>,
    pub(crate) bodies: Store<(ContentKey, Audience), (Rendered, Vec<Problem>)>,
    /// Each event's template view and its hash.
    pub(crate) views: Store<(ContentKey, Audience), (minijinja::Value, u64)>,
    /// Rendered HTML (cards, event pages, feed entries) by a hash of all they are made from.
    pub(crate) fragments: Store<u64, String>,
}

impl Cache {
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Starts a run: entries used from now on are kept by [`Cache::finish_run`].
    pub fn start_run(&self) {
        self.run.fetch_add(1, Ordering::SeqCst);
    }

    /// Drops every entry the run did not use.
    pub fn finish_run(&self) {
        let run = self.run.load(Ordering::SeqCst);
        self.files.retain_run(run);
        self.events.retain_run(run);
        self.bodies.retain_run(run);
        self.views.retain_run(run);
        self.fragments.retain_run(run);
    }

    pub(crate) fn current_run(&self) -> u64 {
        self.run.load(Ordering::SeqCst)
    }

    /// Entries held, per store (files, events, bodies, fragments): for tests and benchmarks.
    pub fn sizes(&self) -> [usize; 4] {
        [
            self.files.len(),
            self.events.len(),
            self.bodies.len(),
            self.fragments.len(),
        ]
    }
}

/// One map of cached results, safe to use from rayon's threads.
pub struct Store<K, V> {
    map: Mutex<HashMap<K, (u64, V)>>,
}

impl<K, V> Default for Store<K, V> {
    fn default() -> Self {
        Store {
            map: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq, V: Clone> Store<K, V> {
    /// The cached value for `key` if `fresh` accepts it, else `compute()`, remembered.
    pub fn get_or_compute(
        &self,
        run: u64,
        key: K,
        fresh: impl Fn(&V) -> bool,
        compute: impl FnOnce() -> V,
    ) -> V {
        if let Ok(mut map) = self.map.lock() {
            if let Some((used, value)) = map.get_mut(&key) {
                if fresh(value) {
                    *used = run;
                    return value.clone();
                }
            }
        }
        let value = compute();
        if let Ok(mut map) = self.map.lock() {
            map.insert(key, (run, value.clone()));
        }
        value
    }

    pub fn get(&self, run: u64, key: &K) -> Option<V> {
        let mut map = self.map.lock().ok()?;
        let (used, value) = map.get_mut(key)?;
        *used = run;
        Some(value.clone())
    }

    pub fn insert(&self, run: u64, key: K, value: V) {
        if let Ok(mut map) = self.map.lock() {
            map.insert(key, (run, value));
        }
    }

    fn retain_run(&self, run: u64) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, (used, _)| *used == run);
        }
    }

    fn len(&self) -> usize {
        self.map.lock().map_or(0, |m| m.len())
    }
}
