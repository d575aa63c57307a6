//! kroniek: a static site generator for incident chronologies.
//!
//! One pipeline, [`pipeline::run`], in stages of one module each:
//!
//! 1. [`load`]: walk `content/`, read files, split front matter from Markdown;
//! 2. [`model`]: typed events, organisations and sources, validated against each other;
//! 3. [`audience`]: the [`audience::View`] of one reader, the one place that decides who sees what;
//! 4. [`render`]: the view's Markdown bodies, the link check, then pages (or an [`export`]);
//! 5. [`output`] and [`write`]: each file to a sink; on disk, replacing the output all at once.
//!
//! `build`, `check`, `serve` and `export` all call [`pipeline::run`]. Problems with the content
//! are [`diagnostics::Problem`]s, collected across the whole run.

// A `Problem` carries everything needed to print it (file, position, quoted line, hint), so it
// is large; it travels only on the cold path of bad input, where its size costs nothing.
#![allow(clippy::result_large_err)]

pub mod audience;
pub mod authoring;
pub mod cache;
pub mod cli;
pub mod diagnostics;
pub mod export;
pub mod front_matter;
pub mod i18n;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod theme;
pub mod urls;
pub mod write;

pub use pipeline::{build, check, compile, export, render_site};
pub use pipeline::{BuildOptions, BuildReport, RenderedSite};
use std::time::Instant;

/// Why a run produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The content has errors; every one found is listed.
    #[error("the site has errors")]
    Content(Vec<diagnostics::Problem>),
    /// The command line asked for something kroniek will not do.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// With `KRONIEK_TIMINGS=1`, how long each stage took, on stderr, with the memory in use at
/// its end and the peak so far (on Linux): the figures behind the README's cost model.
pub(crate) fn timing(stage: &str, started: Instant) {
    if std::env::var_os("KRONIEK_TIMINGS").is_some() {
        eprintln!(
            "timing: {stage}: {:.1} ms{}",
            started.elapsed().as_secs_f64() * 1000.0,
            memory_in_use()
        );
    }
}

/// `, 120 MiB in use, 300 MiB peak` from `/proc/self/status`; empty where that is missing.
fn memory_in_use() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kib| kib / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", {now} MiB in use, {peak} MiB peak"),
        _ => String::new(),
    }
}
