//! The build, in one function: load -> model -> audience view -> bodies -> link check -> pages
//! -> sink.
//!
//! [`run`] is the whole pipeline; `build`, `check`, `serve` and `export` all call it and differ
//! only in what its last stage makes ([`Make`]: the site's pages, one export, or nothing) and
//! where the files go (a [`Sink`]: the staging folder, memory, nowhere). A long-running caller
//! (the preview) passes [`Memos`] that remember per-file work between runs; the others pass
//! [`Memos::FRESH`]. This module decides nothing itself: what a reader sees is decided by
//! `audience`, how a page looks by `render`, what a file on disk becomes by `write`.

use crate::audience::{Audience, View};
use crate::cache::Fresh;
use crate::diagnostics::{self, Problem};
use crate::error::Failure;
use crate::export::{self, ExportOptions, Format};
use crate::load::{self, FileMemo};
use crate::model::{self, EventMemo, Timeline};
use crate::output::{OutputFile, Sink};
use crate::record;
use crate::render::{self, BodyMemo, FragmentMemo, ViewMemo};
use crate::theme::Theme;
use crate::timing::timing;
use crate::write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What one run is for.
pub struct Request<'a> {
    pub site: &'a Path,
    pub audience: Audience,
    /// `--base-url`, checked; without it, the site's own.
    pub base_url: Option<&'a str>,
    pub make: Make,
}

/// What the last stage makes of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Make {
    /// Every page of the site (`build`, `serve`, `check`).
    Site,
    /// One file in an export format (`export`).
    Export(Format),
    /// An export as files of at most this many bytes where the format has pages (`export -o
    /// DIR`, `--max-bytes`).
    Pages(Format, usize),
    /// Nothing: only the problems (`check`'s look at what the public gets).
    Nothing,
}

/// The work a run may remember, one memo per stage that works file by file.
#[derive(Clone, Copy)]
pub struct Memos<'a> {
    pub files: FileMemo<'a>,
    pub events: EventMemo<'a>,
    pub bodies: BodyMemo<'a>,
    pub views: ViewMemo<'a>,
    pub fragments: FragmentMemo<'a>,
}

impl Memos<'static> {
    /// Remembers nothing.
    pub const FRESH: Memos<'static> = Memos {
        files: &Fresh,
        events: &Fresh,
        bodies: &Fresh,
        views: &Fresh,
        fragments: &Fresh,
    };
}

/// What a run found and made; the files themselves went to the sink.
#[derive(Debug, Default)]
pub struct Report {
    /// Every error and warning, in the order found.
    pub problems: Vec<Problem>,
    /// How many events the reader sees.
    pub events: usize,
    /// How many files went to the sink.
    pub files: usize,
}

/// The pipeline. Problems with the content never stop it early where going on can find more:
/// the bodies of a timeline with errors are still rendered, so that one run reports everything;
/// only pages are not made when there are errors.
pub fn run(request: &Request, memos: &Memos, sink: &Sink) -> Report {
    match load_and_model(request.site, memos) {
        (Some(timeline), problems) => from_model(timeline, problems, request, memos, sink),
        (None, problems) => Report::failed(problems),
    }
}

/// The first two stages, which do not depend on the reader: the whole timeline (`None` when
/// the site settings are unusable or there is no content at all) and every problem found.
fn load_and_model(site: &Path, memos: &Memos) -> (Option<Timeline>, Vec<Problem>) {
    let started = Instant::now();
    let (content, mut problems) = load::load(site, memos.files);
    if content.index.is_none() && content.events.is_empty() && !problems.is_empty() {
        return (None, problems);
    }
    let (timeline, found) = model::build(content, memos.events);
    problems.extend(found);
    timing("load and model", started);
    (timeline, problems)
}

/// The pipeline from the model on: the stages that depend on the reader. Tests that make a
/// timeline in memory start here.
pub fn from_model(
    timeline: Timeline,
    mut problems: Vec<Problem>,
    request: &Request,
    memos: &Memos,
    sink: &Sink,
) -> Report {
    let started = Instant::now();
    let mut view = View::of(timeline, request.audience);
    problems.append(&mut view.warnings);
    let bodies = render::bodies(&view, memos.bodies, &mut problems);
    let (used_by_hidden, used_by_shown) = render::files_used(&view, &bodies);
    view.withhold_files(&used_by_hidden, &used_by_shown);
    problems.extend(render::check_links(&view, &bodies));
    problems.extend(record::check(&view, bodies.events.iter().map(|b| &b.list)));
    timing("render: markdown", started);
    if problems.iter().any(Problem::is_error) {
        return Report::failed(problems);
    }

    let started = Instant::now();
    let base_url = request.base_url.or(view.timeline.site.base_url.as_deref());
    let made = match request.make {
        Make::Site => {
            let theme = Theme::for_site(request.site);
            let settings = render::Settings {
                base_url,
                theme: &theme,
            };
            let memos = (memos.views, memos.fragments);
            render::pages(&view, &bodies, &settings, memos, sink)
        }
        Make::Export(format) => export::document(format, &view, &bodies, base_url, request.site)
            .map(|bytes| {
                let path = PathBuf::from(export::file_name(format));
                sink.put(OutputFile::Made { path, bytes })
            }),
        Make::Pages(format, max_bytes) => {
            export::pages(format, &view, &bodies, base_url, request.site, max_bytes).map(|files| {
                for (name, bytes) in files {
                    let path = PathBuf::from(name);
                    sink.put(OutputFile::Made { path, bytes });
                }
            })
        }
        Make::Nothing => Ok(()),
    };
    timing("render and write", started);
    problems.extend(made.err().unwrap_or_default());
    Report {
        problems,
        events: view.events().len(),
        files: sink.count(),
    }
}

impl Report {
    fn failed(problems: Vec<Problem>) -> Report {
        Report {
            problems,
            ..Report::default()
        }
    }

    /// The report of a run that must not fail: its errors as a [`Failure`], else its warnings.
    fn into_result(self) -> Result<Report, Failure> {
        if self.problems.iter().any(Problem::is_error) {
            let (mut errors, warnings): (Vec<Problem>, Vec<Problem>) =
                self.problems.into_iter().partition(Problem::is_error);
            dedup(&mut errors);
            return Err(Failure::Content {
                errors,
                warnings: warnings.len(),
            });
        }
        Ok(self)
    }
}

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

/// `kroniek build`: the site's pages, streamed into a staging folder that replaces the output
/// all at once, or not at all.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let output = options
        .output
        .clone()
        .unwrap_or_else(|| options.site.join("public"));
    write::check_output(&options.site, &output).map_err(|e| match e {
        write::WriteError::Refused { .. } => Failure::Usage(e.to_string()),
        other => Failure::Write(other),
    })?;
    let base_url = checked_base_url(options.base_url.as_deref())?;
    // Takes the output's lock, then repairs and cleans what killed builds left.
    let staging = write::Staging::begin(&output)?;
    let request = site_request(options, base_url.as_deref());
    // Pages go to disk as they are rendered; on an error, dropping `staging` deletes them.
    let report = run(&request, &Memos::FRESH, &Sink::store(&staging)).into_result()?;
    let started = Instant::now();
    staging.finish()?;
    timing("write: swap", started);
    Ok(BuildReport {
        output,
        files: report.files,
        events: report.events,
        warnings: report.problems,
    })
}

/// A site rendered in memory: what `serve` serves.
#[derive(Debug)]
pub struct RenderedSite {
    pub files: Vec<OutputFile>,
    /// How many events the audience sees.
    pub events: usize,
    /// Warnings found on the way (shown in full by `kroniek check`).
    pub warnings: Vec<Problem>,
}

/// The site's pages in memory, remembering per-file work in `memos` (the preview's).
pub fn render_site(options: &BuildOptions, memos: &Memos) -> Result<RenderedSite, Failure> {
    let base_url = checked_base_url(options.base_url.as_deref())?;
    let sink = Sink::memory();
    let report = run(&site_request(options, base_url.as_deref()), memos, &sink).into_result()?;
    Ok(RenderedSite {
        files: sink.into_files(),
        events: report.events,
        warnings: report.problems,
    })
}

/// `kroniek export`: the chronology in one format, as bytes.
pub fn export(options: &ExportOptions) -> Result<Vec<u8>, Failure> {
    let base_url = checked_base_url(options.base_url.as_deref())?;
    let request = Request {
        site: &options.site,
        audience: options.audience,
        base_url: base_url.as_deref(),
        make: Make::Export(options.format),
    };
    let sink = Sink::memory();
    run(&request, &Memos::FRESH, &sink).into_result()?;
    Ok(match sink.into_files().pop() {
        Some(OutputFile::Made { bytes, .. }) => bytes,
        _ => Vec::new(),
    })
}

/// `kroniek export` of a format with pages: each file's name and bytes, in order (for
/// MediaWiki, the index page first; see `export::pages`).
pub fn export_pages(
    options: &ExportOptions,
    max_bytes: usize,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Failure> {
    let base_url = checked_base_url(options.base_url.as_deref())?;
    let request = Request {
        site: &options.site,
        audience: options.audience,
        base_url: base_url.as_deref(),
        make: Make::Pages(options.format, max_bytes),
    };
    let sink = Sink::memory();
    run(&request, &Memos::FRESH, &sink).into_result()?;
    Ok(sink
        .into_files()
        .into_iter()
        .filter_map(|file| match file {
            OutputFile::Made { path, bytes } => Some((path, bytes)),
            _ => None,
        })
        .collect())
}

/// `kroniek check`: every error and warning, of every event (drafts and internal ones
/// included) and of the templates, plus what only the public's view has (a link to an event the
/// public does not see). Writes nothing.
pub fn check(site: &Path) -> Vec<Problem> {
    // Loaded and modelled once: only the later stages depend on the reader.
    let (timeline, mut problems) = load_and_model(site, &Memos::FRESH);
    if let Some(timeline) = timeline {
        let for_whom = [
            (Audience::EVERYONE, Make::Site),
            (Audience::PUBLIC, Make::Nothing),
        ];
        for (audience, make) in for_whom {
            let request = Request {
                site,
                audience,
                base_url: None,
                make,
            };
            let report = from_model(
                timeline.clone(),
                Vec::new(),
                &request,
                &Memos::FRESH,
                &Sink::discard(),
            );
            problems.extend(report.problems);
        }
    }
    dedup(&mut problems);
    problems
}

/// What `kroniek release` records.
#[derive(Debug, Clone)]
pub struct ReleaseOptions {
    pub site: PathBuf,
    pub note: String,
    /// The release's day; without it, today in the site's time zone.
    pub date: Option<chrono::NaiveDate>,
    /// Overrides the site's `base_url`, as for `build`.
    pub base_url: Option<String>,
}

/// What `kroniek release` recorded.
#[derive(Debug)]
pub struct ReleaseReport {
    /// `releases/N.json`, inside the site folder.
    pub file: PathBuf,
    pub release: model::release::Release,
    pub warnings: usize,
}

/// `kroniek release`: records what the public gets now as the next release, in
/// `SITE/releases/N.json`. Refused when `check` finds errors; the record holds the hash of
/// every public file of the build that includes the release itself (its changes page and
/// `timeline.json` list it), so that `release --verify N` can rebuild and compare.
pub fn release(options: &ReleaseOptions) -> Result<ReleaseReport, Failure> {
    let site = options.site.as_path();
    let problems = check(site);
    let warnings = problems.iter().filter(|p| !p.is_error()).count();
    Report {
        problems,
        ..Report::default()
    }
    .into_result()?;
    let base_url = checked_base_url(options.base_url.as_deref())?;
    let (Some(mut timeline), _) = load_and_model(site, &Memos::FRESH) else {
        return Err(Failure::Usage("the site has no content to release".into()));
    };
    let today = chrono::Utc::now()
        .with_timezone(&timeline.site.timezone)
        .date_naive();
    let date = options.date.unwrap_or(today);
    if let Some(latest) = timeline.releases.last() {
        if date < latest.date {
            return Err(Failure::Usage(format!(
                "release {} is dated {}: a new release cannot be dated earlier ({date})",
                latest.number, latest.date
            )));
        }
    }
    let base_url = base_url.or(timeline.site.base_url.clone());
    let events = {
        let view = View::of(timeline.clone(), Audience::PUBLIC);
        let bodies = render::bodies(&view, &Fresh, &mut Vec::new());
        record::released(&view, bodies.events.iter().map(|b| &b.list))
    };
    let number = timeline.releases.len() as u32 + 1;
    let mut release = model::release::Release {
        format: model::release::FORMAT,
        number,
        date,
        note: options.note.clone(),
        base_url: base_url.clone(),
        events,
        files: Default::default(),
        file: PathBuf::from(load::releases::FOLDER).join(format!("{number}.json")),
        text: String::new(),
    };
    timeline.releases.push(release.clone());
    release.files = public_files(site, timeline, base_url.as_deref())?;
    write::record::create(&site.join(&release.file), &release.to_json())?;
    Ok(ReleaseReport {
        file: release.file.clone(),
        release,
        warnings,
    })
}

/// How the current build differs from what release N published.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verified {
    /// Files of the release whose bytes are now different.
    pub changed: Vec<String>,
    /// Files of the release that the build no longer makes.
    pub missing: Vec<String>,
    /// Files the build makes that the release did not have.
    pub added: Vec<String>,
}

impl Verified {
    pub fn reproduced(&self) -> bool {
        self == &Verified::default()
    }
}

/// `kroniek release --verify N`: builds the site as release N was built (with the releases up
/// to N, for N's address) and compares every public file with the hashes N recorded.
pub fn verify(site: &Path, number: u32) -> Result<Verified, Failure> {
    let (timeline, problems) = load_and_model(site, &Memos::FRESH);
    Report {
        problems,
        ..Report::default()
    }
    .into_result()?;
    let Some(mut timeline) = timeline else {
        return Err(Failure::Usage("the site has no content".into()));
    };
    let index = (number as usize).checked_sub(1);
    let Some(recorded) = index.and_then(|i| timeline.releases.get(i)).cloned() else {
        return Err(Failure::Usage(format!(
            "there is no release {number}: releases/ holds {} release{}",
            timeline.releases.len(),
            if timeline.releases.len() == 1 {
                ""
            } else {
                "s"
            }
        )));
    };
    timeline.releases.truncate(number as usize);
    let now = public_files(site, timeline, recorded.base_url.as_deref())?;
    let mut verified = Verified::default();
    for (path, hash) in &recorded.files {
        match now.get(path) {
            None => verified.missing.push(path.clone()),
            Some(now) if now != hash => verified.changed.push(path.clone()),
            Some(_) => {}
        }
    }
    verified.added = now
        .keys()
        .filter(|path| !recorded.files.contains_key(*path))
        .cloned()
        .collect();
    Ok(verified)
}

/// The hash of every file of the public build of `timeline`.
fn public_files(
    site: &Path,
    timeline: Timeline,
    base_url: Option<&str>,
) -> Result<std::collections::BTreeMap<String, String>, Failure> {
    let request = Request {
        site,
        audience: Audience::PUBLIC,
        base_url,
        make: Make::Site,
    };
    let hashes = record::Hashes::default();
    from_model(
        timeline,
        Vec::new(),
        &request,
        &Memos::FRESH,
        &Sink::store(&hashes),
    )
    .into_result()?;
    Ok(hashes.into_map())
}

fn site_request<'a>(options: &'a BuildOptions, base_url: Option<&'a str>) -> Request<'a> {
    Request {
        site: &options.site,
        audience: options.audience,
        base_url,
        make: Make::Site,
    }
}

/// `--base-url`, normalised; a usage error when it is not an absolute http(s) URL.
fn checked_base_url(url: Option<&str>) -> Result<Option<String>, Failure> {
    match url {
        None => Ok(None),
        Some(url) => model::normalise_base_url(url).map(Some).ok_or_else(|| {
            Failure::Usage(format!(
                "--base-url must be an absolute http(s) URL, found `{url}`"
            ))
        }),
    }
}

fn dedup(problems: &mut Vec<Problem>) {
    diagnostics::sort(problems);
    problems.dedup();
}

/// The first two stages alone, remembering nothing: the whole timeline and the problems found
/// on the way. For benchmarks and tests that look at the model.
pub fn compile(site: &Path) -> (Option<Timeline>, Vec<Problem>) {
    load_and_model(site, &Memos::FRESH)
}
