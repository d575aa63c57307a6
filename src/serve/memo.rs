//! What the preview remembers between rebuilds: each file as read (by its modification time and
//! size), each event as parsed, each body and template view as rendered (by content hash), and
//! rendered cards and pages (by a hash of all they are made from). A rebuild after one edit
//! redoes only that edit's work. Entries a rebuild did not use are dropped when it ends, so
//! memory does not grow while an author edits.
//!
//! The stages know nothing of this: they take a `cache::Memo` per kind of work, and this is
//! the preview's. Whatever it remembers, the files are the same as a fresh build's.

use crate::audience::Audience;
use crate::cache::{Runs, Store};
use crate::diagnostics::Problem;
use crate::front_matter::Document;
use crate::load::Stamp;
use crate::model::{ContentKey, Event};
use crate::pipeline::Memos;
use crate::render::Rendered;
use std::path::PathBuf;

pub struct PreviewMemo {
    runs: Runs,
    files: Store<(PathBuf, Stamp), Result<Document, Problem>>,
    events: Store<ContentKey, (Option<Event>, Vec<Problem>)>,
    bodies: Store<(ContentKey, Audience), (Rendered, Vec<Problem>)>,
    views: Store<(ContentKey, Audience), (minijinja::Value, u64)>,
    fragments: Store<u64, Result<String, Problem>>,
}

impl Default for PreviewMemo {
    fn default() -> Self {
        let runs = Runs::default();
        PreviewMemo {
            files: Store::new(&runs),
            events: Store::new(&runs),
            bodies: Store::new(&runs),
            views: Store::new(&runs),
            fragments: Store::new(&runs),
            runs,
        }
    }
}

impl PreviewMemo {
    pub fn new() -> PreviewMemo {
        PreviewMemo::default()
    }

    /// Starts a rebuild: what it uses is kept by [`PreviewMemo::finish_run`].
    pub fn start_run(&self) {
        self.runs.start();
    }

    /// Drops every entry the rebuild did not use.
    pub fn finish_run(&self) {
        self.files.finish_run();
        self.events.finish_run();
        self.bodies.finish_run();
        self.views.finish_run();
        self.fragments.finish_run();
    }

    /// The memos a run of the pipeline asks.
    pub fn memos(&self) -> Memos<'_> {
        Memos {
            files: &self.files,
            events: &self.events,
            bodies: &self.bodies,
            views: &self.views,
            fragments: &self.fragments,
        }
    }

    /// Entries held (files, events, bodies, fragments): for tests and benchmarks.
    pub fn sizes(&self) -> [usize; 4] {
        [
            self.files.len(),
            self.events.len(),
            self.bodies.len(),
            self.fragments.len(),
        ]
    }
}
