//! The previewed site: the files of the last good build, in memory, and the errors of the last
//! build if it failed.
//!
//! Rebuilds are synchronous (the pipeline runs on rayon) and run on the caller's thread: the
//! first on the main thread, the others on the watcher's, never on the HTTP runtime. This module
//! must never serve a file the build did not make, or one outside `content/`.

use super::memo::PreviewMemo;
use crate::audience::{Audience, Reader};
use crate::diagnostics;
use crate::error::Failure;
use crate::output::OutputFile;
use crate::pipeline::{render_site, BuildOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::Instant;
use tokio::sync::watch;

/// One file the preview can serve.
#[derive(Clone)]
pub enum Served {
    /// A file the build made. `Bytes` shares one copy among every request that sends it.
    Bytes(bytes::Bytes),
    /// A content file, read from disk when asked for.
    File(PathBuf),
}

#[derive(Default)]
struct State {
    /// By path inside the site (`events/x/index.html`).
    files: HashMap<String, Served>,
    /// Whether `files` holds a build at all.
    built: bool,
    /// The errors of the last build, as the CLI prints them, if it failed.
    errors: Option<String>,
}

pub struct Preview {
    options: BuildOptions,
    /// The site's `content` folder, resolved: content files are served only from inside it.
    content: PathBuf,
    memo: PreviewMemo,
    state: RwLock<State>,
    /// How many times pages were told to reload. Every page carries the number it was served
    /// under, and a page whose event stream connects after a later build reloads at once, so
    /// that a build finishing between loading a page and connecting is not missed. A watch
    /// channel holds one number whatever the number of open pages: nothing grows with them.
    generation: watch::Sender<u64>,
    /// Builds run one at a time.
    building: Mutex<()>,
}

impl Preview {
    pub fn new(site: &Path, url: &str, reader: Reader) -> Result<Preview, Failure> {
        let content = site.join("content").canonicalize().map_err(|e| {
            Failure::Usage(format!(
                "cannot read {}: {e}",
                site.join("content").display()
            ))
        })?;
        Ok(Preview {
            options: BuildOptions {
                site: site.to_path_buf(),
                output: None,
                base_url: Some(url.to_string()),
                // Authors see their drafts, marked as such.
                audience: Audience {
                    drafts: true,
                    reader,
                },
            },
            content,
            memo: PreviewMemo::new(),
            state: RwLock::new(State::default()),
            generation: watch::Sender::new(0),
            building: Mutex::new(()),
        })
    }

    /// Builds the site again, keeps the result if it is good, and tells open pages to reload.
    /// Prints one line about it.
    pub fn rebuild(&self, reason: Option<&str>) {
        let _one_at_a_time = self.building.lock();
        let started = Instant::now();
        self.memo.start_run();
        let result = render_site(&self.options, &self.memo.memos());
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let because = reason.map(|r| format!(" ({r})")).unwrap_or_default();
        match result {
            Ok(site) => {
                self.memo.finish_run();
                let files = site
                    .files
                    .into_iter()
                    .map(|file| match file {
                        OutputFile::Made { path, bytes } => {
                            (key(&path), Served::Bytes(bytes.into()))
                        }
                        OutputFile::Copied { path, source } => (key(&path), Served::File(source)),
                    })
                    .collect();
                if let Ok(mut state) = self.state.write() {
                    *state = State {
                        files,
                        built: true,
                        errors: None,
                    };
                }
                println!("built {} events in {elapsed:.0} ms{because}", site.events);
            }
            Err(failure) => {
                let text = failure_text(&failure);
                eprint!("{text}");
                eprintln!("error: the build failed{because}; the preview keeps the last good build and shows the errors");
                if let Ok(mut state) = self.state.write() {
                    state.errors = Some(text);
                }
            }
        }
        self.tell_clients();
    }

    /// A file of the current build, by its path inside the site.
    pub fn file(&self, path: &str) -> Option<Served> {
        self.state.read().ok()?.files.get(path).cloned()
    }

    /// The errors to show over every page, if the last build failed.
    pub fn errors(&self) -> Option<String> {
        self.state.read().ok()?.errors.clone()
    }

    /// Whether any build succeeded yet.
    pub fn has_site(&self) -> bool {
        self.state.read().map(|s| s.built).unwrap_or(false)
    }

    /// Whether `source` (a content file) really lies inside the content folder, symlinks
    /// resolved: a link to a file elsewhere is never served. The rule is the load stage's, so
    /// build and serve agree.
    pub fn is_inside_content(&self, source: &Path) -> bool {
        crate::load::resolves_inside(&self.content, source)
    }

    /// The build number, which changes after every build: its receiver's current value is
    /// the latest number, and `changed()` wakes it for the next one.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }

    /// The number of the latest reload; see [`Preview::subscribe`].
    pub fn generation(&self) -> u64 {
        *self.generation.borrow()
    }

    fn tell_clients(&self) {
        // send_modify stores the number even when no page listens.
        self.generation.send_modify(|n| *n += 1);
    }
}

/// `events/x/index.html` with `/` on every platform.
fn key(path: &Path) -> String {
    diagnostics::display_path(path)
}

/// The failure as the command line shows it.
fn failure_text(failure: &Failure) -> String {
    match failure {
        Failure::Content { errors, .. } => errors
            .iter()
            .map(diagnostics::render_text)
            .collect::<Vec<_>>()
            .join("\n"),
        other => format!("error: {other}\n"),
    }
}
