//! Stage 3, render: the timeline to pages.
//!
//! Each event's Markdown is rendered once (in parallel) and its view is shared by every page
//! that shows it: the timeline, its own page, the pages of its organisations. Templates come
//! from the theme; all links are relative, so the site works under any sub-path and from
//! `file://`. Nothing here touches the disk except reading theme overrides; `write` does that.

mod assets;
pub mod chart;
pub mod data;
pub mod days;
mod feed;
mod links;
mod pages;
pub mod periods;
mod single;
mod sources;
mod view;

use crate::audience::Audience;
use crate::cache::Cache;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown::{self, Body};
use crate::model::{Event, Timeline};
use crate::theme::Theme;
use crate::write::Sink;
use minijinja::Value;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::PathBuf;
use view::{value, EventView, FilterBar, SiteView};

pub use assets::Assets;
pub use links::{hidden_events, unlink_hidden_sources};
pub use single::single_page;

/// One file of the built site.
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

/// The rendered bodies of one event. The HTML depends on where it is shown (heading levels,
/// depth of the page for content-relative links), so up to three variants exist; the extra ones
/// only when they differ from `list`.
#[derive(Clone)]
pub struct Rendered {
    /// For the timeline (headings from `<h4>`, links from the site root).
    pub list: Body,
    /// For the event's own page (headings from `<h2>`, two folders deep).
    pub page: Option<Body>,
    /// For lists two folders deep: the organisation pages and feed entries.
    pub nested: Option<Body>,
}

/// Renders the Markdown of `events` for `audience`, in parallel. Used by `build` for the
/// events it shows and by `check` for every event. `hidden` are the slugs of the events the
/// audience does not see ([`hidden_events`]).
pub fn render_bodies(
    events: &[&Event],
    timeline: &Timeline,
    audience: Audience,
    hidden: &HashSet<String>,
    cache: Option<&Cache>,
) -> (Vec<Rendered>, Vec<Problem>) {
    let context = links::context_hash(timeline.site.intro.hash, hidden);
    let results: Vec<(Rendered, Vec<Problem>)> = events
        .par_iter()
        .map(|event| match cache {
            Some(cache) => {
                let key = ((event.doc.file.clone(), event.doc.hash, context), audience);
                cache.bodies.get_or_compute(
                    cache.current_run(),
                    key,
                    |_| true,
                    || render_body(event, timeline, audience, hidden),
                )
            }
            None => render_body(event, timeline, audience, hidden),
        })
        .collect();
    let mut problems = Vec::new();
    let rendered = results
        .into_iter()
        .map(|(r, p)| {
            problems.extend(p);
            r
        })
        .collect();
    (rendered, problems)
}

/// One event's Markdown in each variant its pages need.
fn render_body(
    event: &Event,
    timeline: &Timeline,
    audience: Audience,
    hidden: &HashSet<String>,
) -> (Rendered, Vec<Problem>) {
    let label = i18n::strings(timeline.site.language).internal;
    {
        {
            let mut problems = Vec::new();
            let input = |heading_offset, link_root| markdown::Input {
                doc: &event.doc,
                id_prefix: &event.slug,
                sources: &event.sources,
                internal_notes: audience.sees_internal_notes(),
                internal_label: label,
                heading_offset,
                link_root,
                hidden_events: hidden,
            };
            let list = markdown::render(&input(3, ""), &mut problems);
            let page = (list.has_headings || list.has_relative_links)
                .then(|| markdown::render(&input(1, "../../"), &mut Vec::new()));
            let nested = list
                .has_relative_links
                .then(|| markdown::render(&input(3, "../../"), &mut Vec::new()));
            (Rendered { list, page, nested }, problems)
        }
    }
}

/// Settings of one build that are not content.
pub struct Settings<'a> {
    pub audience: Audience,
    /// `base_url` from the site, or from `--base-url`.
    pub base_url: Option<&'a str>,
    pub theme: &'a Theme,
    /// The slugs of the events the audience does not see ([`hidden_events`]).
    pub hidden_events: &'a HashSet<String>,
}

/// Renders every page of the site into `sink`. Content problems (bad citations) and template
/// errors are returned as problems; on success, the warnings found while rendering.
pub fn render(
    timeline: &Timeline,
    settings: &Settings,
    cache: Option<&Cache>,
    sink: &Sink,
) -> Result<Vec<Problem>, Vec<Problem>> {
    let events: Vec<&Event> = timeline
        .events
        .iter()
        .filter(|e| settings.audience.sees(e))
        .collect();
    let started = std::time::Instant::now();
    let hidden = settings.hidden_events;
    let (bodies, mut problems) = render_bodies(&events, timeline, settings.audience, hidden, cache);
    crate::timing("render: markdown", started);
    let intro = render_intro(timeline, settings.audience, hidden, &mut problems);
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let targets = links::Targets::of(timeline, &events);
    for (event, body) in events.iter().zip(&bodies) {
        problems.extend(targets.check(&event.doc, &body.list.content_links));
    }
    problems.extend(targets.check(&timeline.site.intro, &intro.content_links));
    let started = std::time::Instant::now();
    let (views, view_hashes): (Vec<Value>, Vec<u64>) = events
        .par_iter()
        .zip(bodies.par_iter())
        .map(|(event, body)| match cache {
            Some(cache) => {
                let key = (content_key(event, timeline, hidden), settings.audience);
                cache.views.get_or_compute(
                    cache.current_run(),
                    key,
                    |_| true,
                    || event_view(event, body, timeline),
                )
            }
            None => event_view(event, body, timeline),
        })
        .unzip();
    crate::timing("render: views", started);

    let assets = Assets::build(settings.theme, timeline);
    let site = site_view(timeline, &events, &intro, settings);
    let strings = i18n::strings(timeline.site.language);
    let salt = pages::hash_parts(
        settings.theme.fingerprint(),
        &[
            hash_json(&site),
            hash_json(strings),
            hash_json(&assets.names),
        ],
    );
    let mut env = settings.theme.environment();
    env.add_global("t", value(strings));
    env.add_global("assets", value(&assets.names));
    env.add_global("site", value(site));

    let pages = pages::Pages {
        timeline,
        events: &events,
        views: &views,
        view_hashes: &view_hashes,
        bodies: &bodies,
        intro: &intro,
        env: &env,
        base_url: settings.base_url,
        theme: settings.theme,
        memo: pages::Memo { cache, salt },
        sink,
    };
    pages.all()?;
    for file in assets.files {
        sink.put(file);
    }
    timeline.assets.par_iter().for_each(|a| {
        sink.put(OutputFile::Copied {
            path: a.output.clone(),
            source: a.source.clone(),
        })
    });
    Ok(problems)
}

/// The intro (the body of `_index.md`), shown at the top of the timeline.
fn render_intro(
    timeline: &Timeline,
    audience: Audience,
    hidden: &HashSet<String>,
    problems: &mut Vec<Problem>,
) -> Body {
    let site = &timeline.site;
    markdown::render(
        &markdown::Input {
            doc: &site.intro,
            id_prefix: "_intro",
            sources: &[],
            internal_notes: audience.sees_internal_notes(),
            internal_label: i18n::strings(site.language).internal,
            heading_offset: 1,
            link_root: "",
            hidden_events: hidden,
        },
        problems,
    )
}

fn site_view<'a>(
    timeline: &'a Timeline,
    events: &[&Event],
    intro: &Body,
    settings: &Settings<'a>,
) -> SiteView<'a> {
    let site = &timeline.site;
    SiteView {
        title: &site.title,
        description: site.description.as_deref(),
        language: site.language.code(),
        base_url: settings.base_url,
        intro_notes: view::note_views(&intro.notes, &[], site.language),
        intro: intro.html.to_string(),
        filter: FilterBar::of(&site.organisations, events),
    }
}

/// An event's view for templates, and its hash.
fn event_view(event: &Event, body: &Rendered, timeline: &Timeline) -> (Value, u64) {
    let view = EventView::of(event, body, timeline);
    (value(&view), hash_json(&view))
}

/// What an event's parse, render and view depend on: its file, its content and the site's settings.
fn content_key(
    event: &Event,
    timeline: &Timeline,
    hidden: &HashSet<String>,
) -> crate::cache::ContentKey {
    (
        event.doc.file.clone(),
        event.doc.hash,
        links::context_hash(timeline.site.intro.hash, hidden),
    )
}

/// Hash of a value's JSON form: changes exactly when anything a template could show changes.
pub(crate) fn hash_json<T: serde::Serialize>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    // Serialising plain data into a Vec cannot fail.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), value);
    hasher.finish()
}

/// Feeds serialised bytes straight into a hasher, without building the JSON text.
struct HashWriter<'a>(&'a mut fnv::FnvHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        use std::hash::Hasher;
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `timeline.json` on its own, for `kroniek export --format json`: the same bytes a build
/// writes (given the same `base_url`).
pub fn timeline_json(
    timeline: &Timeline,
    audience: Audience,
    hidden: &HashSet<String>,
    base_url: Option<&str>,
) -> Result<Vec<u8>, Vec<Problem>> {
    let events: Vec<&Event> = timeline
        .events
        .iter()
        .filter(|e| audience.sees(e))
        .collect();
    let (bodies, mut problems) = render_bodies(&events, timeline, audience, hidden, None);
    let intro = render_intro(timeline, audience, hidden, &mut problems);
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let lines: Vec<String> = events
        .iter()
        .zip(&bodies)
        .map(|(event, body)| data::event_json(event, body))
        .collect();
    Ok(data::document(
        &data::header(timeline, &events, &intro, base_url),
        &lines,
    ))
}
