//! Stage 3, render: the timeline to pages.
//!
//! Each event's Markdown is rendered once (in parallel) and its view is shared by every page
//! that shows it: the timeline, its own page, the pages of its organisations. Templates come
//! from the theme; all links are relative, so the site works under any sub-path and from
//! `file://`. Nothing here touches the disk except reading theme overrides; `write` does that.

mod assets;
mod changes;
pub mod chart;
pub mod data;
pub mod days;
mod feed;
mod links;
mod pages;
pub mod periods;
pub mod search;
mod single;
mod sources;
mod view;

use crate::audience::{Audience, View};
use crate::cache::Memo;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown::{self, Body};
use crate::model::{ContentKey, Event, Timeline};
use crate::output::{OutputFile, Sink};
use crate::theme::Theme;
use minijinja::Value;
use rayon::prelude::*;
use std::collections::HashSet;
use view::{value, EventView, FilterBar, SiteView};

pub use assets::Assets;
pub use single::single_page;
pub use view::tag_class;

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

/// What a run may remember of rendering an event's Markdown, and of its view for templates:
/// keyed by its file's content and the reader, since internal notes show for some readers only.
pub type BodyMemo<'a> = &'a dyn Memo<(ContentKey, Audience), (Rendered, Vec<Problem>)>;
pub type ViewMemo<'a> = &'a dyn Memo<(ContentKey, Audience), (Value, u64)>;
/// Rendered HTML (cards, event pages, feed entries) by a hash of all it is made from.
pub type FragmentMemo<'a> = &'a dyn Memo<u64, Result<String, Problem>>;

/// The rendered Markdown of a view: every event it shows, in its order, and the intro.
pub struct Bodies {
    pub events: Vec<Rendered>,
    pub intro: Body,
}

/// Renders the Markdown of every event the view shows (in parallel) and of the intro. Problems
/// (bad citations, unsafe links) go to `problems`; the bodies are made even then, so that one
/// run reports everything.
pub fn bodies(view: &View, memo: BodyMemo, problems: &mut Vec<Problem>) -> Bodies {
    let results: Vec<(Rendered, Vec<Problem>)> = view
        .events()
        .par_iter()
        .map(|event| {
            let key = (content_key(event, view), view.audience);
            memo.get_or_make(key, Box::new(|| render_body(event, view)))
        })
        .collect();
    let events = results
        .into_iter()
        .map(|(rendered, found)| {
            problems.extend(found);
            rendered
        })
        .collect();
    let intro = render_intro(view, problems);
    Bodies { events, intro }
}

/// The files that the view's pages link to, and the files that only something this reader
/// does not get links to (a hidden event, an `::: internal` block it does not see), as paths
/// inside the content folder: what [`View::withhold_files`] needs.
pub fn files_used(view: &View, bodies: &Bodies) -> (HashSet<String>, HashSet<String>) {
    let shown: HashSet<String> = bodies
        .events
        .iter()
        .flat_map(|b| &b.list.content_links)
        .chain(&bodies.intro.content_links)
        .filter_map(|link| crate::urls::content_path(&link.url))
        .collect();
    // Bodies whose `::: internal` blocks this reader does not get: what those blocks link to
    // is withheld too, unless something shown links to it.
    let with_withheld_blocks = std::iter::once(&view.timeline.site.intro)
        .chain(view.events().iter().map(|e| &e.doc))
        .filter(|doc| !view.internal_notes() && doc.text[doc.body.clone()].contains(":::"));
    let hidden: HashSet<String> = view
        .hidden_events()
        .iter()
        .map(|e| &e.doc)
        .chain(with_withheld_blocks)
        .flat_map(markdown::urls_in)
        .filter_map(|url| crate::urls::content_path(&url))
        .collect();
    (hidden, shown)
}

/// The dead-link check over the view's bodies: see `links`.
pub fn check_links(view: &View, bodies: &Bodies) -> Vec<Problem> {
    let events: Vec<&Event> = view.events().iter().collect();
    let targets = links::Targets::of(&view.timeline, &events);
    let mut problems = Vec::new();
    for (event, body) in view.events().iter().zip(&bodies.events) {
        problems.extend(targets.check(&event.doc, &body.list.content_links));
    }
    problems.extend(targets.check(&view.timeline.site.intro, &bodies.intro.content_links));
    problems
}

/// One event's Markdown in each variant its pages need.
fn render_body(event: &Event, view: &View) -> (Rendered, Vec<Problem>) {
    let label = i18n::strings(view.timeline.site.language).internal;
    {
        {
            let mut problems = Vec::new();
            let input = |heading_offset, link_root| markdown::Input {
                doc: &event.doc,
                id_prefix: &event.slug,
                sources: &event.sources,
                internal_notes: view.internal_notes(),
                internal_label: label,
                hidden_events: view.hidden_slugs(),
                heading_offset,
                link_root,
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
    /// `base_url` from the site, or from `--base-url`.
    pub base_url: Option<&'a str>,
    pub theme: &'a Theme,
}

/// Renders every page of the view into `sink`: the timeline, event, organisation and period
/// pages, the feed, `timeline.json`, the sitemap, the theme's assets and the content files the
/// view may give. Template errors are returned as problems.
pub fn pages(
    view: &View,
    bodies: &Bodies,
    settings: &Settings,
    memo: (ViewMemo, FragmentMemo),
    sink: &Sink,
) -> Result<(), Vec<Problem>> {
    let timeline = &view.timeline;
    let events: Vec<&Event> = view.events().iter().collect();
    let started = std::time::Instant::now();
    let (views, view_hashes): (Vec<Value>, Vec<u64>) = events
        .par_iter()
        .zip(bodies.events.par_iter())
        .map(|(event, body)| {
            let key = (content_key(event, view), view.audience);
            memo.0
                .get_or_make(key, Box::new(|| event_view(event, body, timeline)))
        })
        .unzip();
    crate::timing::timing("render: views", started);

    let assets = Assets::build(settings.theme, timeline, view.audience);
    let site = site_view(timeline, &events, &bodies.intro, settings, view.audience);
    let strings = i18n::strings(timeline.site.language);
    let salt = pages::hash_parts(
        settings.theme.fingerprint(),
        &[
            hash_json(&site),
            // All of `_index.md`: a setting that the site view leaves out (the time zone, in
            // every date of timeline.json) still changes the fragments made with it.
            timeline.site.intro.hash,
            hash_json(strings),
            hash_json(&assets.names),
        ],
    );
    let mut env = settings.theme.environment();
    env.add_global("t", value(strings));
    env.add_global("assets", value(&assets.names));
    env.add_global("site", value(site));
    // Not in the salt: only whole pages that are never kept between runs (the timeline, its
    // periods, the organisation pages) show the search form; no card or event page may use it.
    let started = std::time::Instant::now();
    let index = search::Index::build(view, &bodies.events);
    crate::timing::timing("render: search index", started);
    env.add_global("search", value(&index.view));
    for file in index.files {
        sink.put(file);
    }

    let history = history(view, bodies);
    let pages = pages::Pages {
        timeline,
        events: &events,
        views: &views,
        view_hashes: &view_hashes,
        bodies: &bodies.events,
        intro: &bodies.intro,
        history: &history,
        env: &env,
        base_url: settings.base_url,
        audience: view.audience,
        theme: settings.theme,
        memo: pages::Memo {
            fragments: memo.1,
            salt,
        },
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
    Ok(())
}

/// What each release changed, and for the public what changed since the latest one.
fn history(view: &View, bodies: &Bodies) -> Vec<crate::record::Changes> {
    let releases = &view.timeline.releases;
    if releases.is_empty() {
        return Vec::new();
    }
    let now = changes::shows_unreleased(view.audience.reader)
        .then(|| crate::record::released(view, bodies.events.iter().map(|b| &b.list)));
    crate::record::history(releases, now.as_deref())
}

/// The intro (the body of `_index.md`), shown at the top of the timeline.
fn render_intro(view: &View, problems: &mut Vec<Problem>) -> Body {
    let site = &view.timeline.site;
    markdown::render(
        &markdown::Input {
            doc: &site.intro,
            id_prefix: "_intro",
            sources: &[],
            internal_notes: view.internal_notes(),
            internal_label: i18n::strings(site.language).internal,
            hidden_events: view.hidden_slugs(),
            heading_offset: 1,
            link_root: "",
        },
        problems,
    )
}

fn site_view<'a>(
    timeline: &'a Timeline,
    events: &[&Event],
    intro: &Body,
    settings: &Settings<'a>,
    audience: Audience,
) -> SiteView<'a> {
    let site = &timeline.site;
    SiteView {
        title: &site.title,
        description: site.description.as_deref(),
        language: site.language.code(),
        base_url: settings.base_url,
        internal: audience.sees_internal_notes(),
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

/// What an event's rendered body and view depend on: its file, its content, the site's settings
/// and which events are hidden (see [`View::context_hash`]).
fn content_key(event: &Event, view: &View) -> ContentKey {
    (event.doc.file.clone(), event.doc.hash, view.context_hash())
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
pub fn timeline_json(view: &View, bodies: &Bodies, base_url: Option<&str>) -> Vec<u8> {
    let events: Vec<&Event> = view.events().iter().collect();
    let lines: Vec<String> = events
        .iter()
        .zip(&bodies.events)
        .map(|(event, body)| data::event_json(event, body))
        .collect();
    let history = history(view, bodies);
    data::document(
        &data::header(
            &view.timeline,
            &events,
            &bodies.intro,
            base_url,
            view.audience,
            &history,
        ),
        &lines,
    )
}
