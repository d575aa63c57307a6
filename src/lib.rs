//! kroniek: a static site generator for incident chronologies.
//!
//! One pipeline, four stages, each in its own module:
//!
//! 1. [`load`]: walk `content/`, read files, split front matter from Markdown;
//! 2. [`model`]: typed events, organisations and sources, validated against each other;
//! 3. [`render`]: Markdown and templates to pages, for one [`audience::Audience`];
//! 4. [`write`]: the pages to disk, replacing the previous output all at once.
//!
//! [`build`] runs them in that order; [`check`] runs the first three and keeps every warning.
//! Problems with the content are [`diagnostics::Problem`]s, collected across the whole run.

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
pub mod render;
pub mod serve;
pub mod theme;
pub mod write;

use audience::{Audience, Reader};
pub use cache::Cache;
use diagnostics::Problem;
use model::Timeline;
use std::path::{Path, PathBuf};
use std::time::Instant;
use theme::Theme;

/// What to build and for whom.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site: PathBuf,
    /// Defaults to `SITE/public`.
    pub output: Option<PathBuf>,
    /// Overrides the site's `base_url`.
    pub base_url: Option<String>,
    pub audience: Audience,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub files: usize,
    pub events: usize,
    /// Warnings found on the way (shown in full by `kroniek check`).
    pub warnings: Vec<Problem>,
}

/// Why a build produced nothing.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The content has errors; every one found is listed.
    #[error("the site has errors")]
    Content(Vec<Problem>),
    /// The command line asked for something kroniek will not do.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Write(#[from] write::WriteError),
}

/// A site rendered in memory: what `build` writes to disk and `serve` serves.
#[derive(Debug)]
pub struct RenderedSite {
    pub files: Vec<render::OutputFile>,
    /// How many events the audience sees.
    pub events: usize,
    /// Warnings found on the way (shown in full by `kroniek check`).
    pub warnings: Vec<Problem>,
}

/// Builds a site: load -> model -> render -> write.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.site.join("public"));
    write::check_output(&options.site, &output).map_err(|e| match e {
        write::WriteError::Refused { .. } => Failure::Usage(e.to_string()),
        other => Failure::Write(other),
    })?;
    write::recover(&output);
    let staging = write::Staging::begin(&output)?;
    let sink = write::Sink::disk(&staging);
    // Pages go to disk as they are rendered; on an error, dropping `staging` deletes them.
    let rendered = render_into(options, None, &sink)?;
    let started = Instant::now();
    staging.finish()?;
    timing("write: swap", started);
    Ok(BuildReport {
        output,
        files: rendered.files,
        events: rendered.events,
        warnings: rendered.warnings,
    })
}

/// Stages 1 to 3: the site's files, in memory. `cache` lets a long-running caller (`serve`)
/// reuse the work of earlier runs for files that did not change.
pub fn render_site(options: &BuildOptions, cache: Option<&Cache>) -> Result<RenderedSite, Failure> {
    let sink = write::Sink::memory();
    let rendered = render_into(options, cache, &sink)?;
    Ok(RenderedSite {
        files: sink.into_files(),
        events: rendered.events,
        warnings: rendered.warnings,
    })
}

/// What [`render_into`] did; the files themselves went to the sink.
struct Rendered {
    files: usize,
    events: usize,
    warnings: Vec<Problem>,
}

/// Stages 1 to 3, each file handed to `sink` as soon as it is made.
fn render_into(
    options: &BuildOptions,
    cache: Option<&Cache>,
    sink: &write::Sink,
) -> Result<Rendered, Failure> {
    let base_url = base_url(options)?;
    let started = Instant::now();
    let (timeline, mut problems) = compile(&options.site, cache);
    timing("load and model", started);
    // The events this audience does not see, while the timeline still has them all.
    let hidden = timeline
        .as_ref()
        .map(|t| render::hidden_events(t, options.audience))
        .unwrap_or_default();
    let mut timeline = match timeline {
        Some(timeline) if !problems.iter().any(Problem::is_error) => {
            options.audience.restrict(timeline)
        }
        Some(timeline) => {
            // Report the bodies' problems too, so that one run shows everything.
            let seen: Vec<_> = timeline
                .events
                .iter()
                .filter(|e| options.audience.sees(e))
                .collect();
            let bodies = render::render_bodies(&seen, &timeline, options.audience, &hidden, cache);
            problems.extend(bodies.1);
            return Err(content_failure(problems));
        }
        None => return Err(content_failure(problems)),
    };
    problems.extend(render::unlink_hidden_sources(
        &mut timeline,
        options.audience,
        &hidden,
    ));
    let started = Instant::now();
    let theme = Theme::for_site(&options.site);
    let settings = render::Settings {
        audience: options.audience,
        base_url: base_url.as_deref().or(timeline.site.base_url.as_deref()),
        theme: &theme,
        hidden_events: &hidden,
    };
    let warnings = render::render(&timeline, &settings, cache, sink).map_err(content_failure)?;
    timing("render and write", started);
    problems.retain(|p| !p.is_error());
    problems.extend(warnings);
    Ok(Rendered {
        files: sink.count(),
        events: timeline
            .events
            .iter()
            .filter(|e| options.audience.sees(e))
            .count(),
        warnings: problems,
    })
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

/// Checks a site without writing anything: every error and warning of every event, drafts and
/// internal ones included, and the templates.
pub fn check(site: &Path) -> Vec<Problem> {
    let (timeline, mut problems) = compile(site, None);
    if let Some(timeline) = timeline {
        let theme = Theme::for_site(site);
        let everyone = Audience {
            reader: Reader::Internal,
            drafts: true,
        };
        let hidden = render::hidden_events(&timeline, everyone);
        let settings = render::Settings {
            audience: everyone,
            base_url: timeline.site.base_url.as_deref(),
            theme: &theme,
            hidden_events: &hidden,
        };
        match render::render(&timeline, &settings, None, &write::Sink::discard()) {
            Ok(warnings) => problems.extend(warnings),
            Err(found) => problems.extend(found),
        }
    }
    dedup(&mut problems);
    problems
}

/// Stages 1 and 2: the timeline and every problem found on the way.
pub fn compile(site: &Path, cache: Option<&Cache>) -> (Option<Timeline>, Vec<Problem>) {
    let (content, mut problems) = load::load(site, cache);
    if content.index.is_none() && content.events.is_empty() && !problems.is_empty() {
        return (None, problems);
    }
    let (timeline, found) = model::build(content, cache);
    problems.extend(found);
    (timeline, problems)
}

fn base_url(options: &BuildOptions) -> Result<Option<String>, Failure> {
    match &options.base_url {
        None => Ok(None),
        Some(url) => model::normalise_base_url(url).map(Some).ok_or_else(|| {
            Failure::Usage(format!(
                "--base-url must be an absolute http(s) URL, found `{url}`"
            ))
        }),
    }
}

fn content_failure(mut problems: Vec<Problem>) -> Failure {
    problems.retain(Problem::is_error);
    dedup(&mut problems);
    Failure::Content(problems)
}

fn dedup(problems: &mut Vec<Problem>) {
    diagnostics::sort(problems);
    problems.dedup();
}
