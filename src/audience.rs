//! The one place that decides who sees what.
//!
//! [`View::of`] turns the whole [`Timeline`] and an [`Audience`] into the timeline as that
//! reader sees it: its events, the organisations they name, the files it may be given, and for
//! every link to an event whether it leads to a page or keeps only its words. Every output (the
//! site's pages, the feed, `timeline.json`, the sitemap, the chart and every export) reads a
//! `View` and nothing else; nothing downstream filters events again. If a draft, an internal
//! event or a file only they use reaches a public reader, the bug is here. Internal output also never
//! names the public site's address (see [`View::of`]). This module must
//! never render or write anything.

use crate::diagnostics::Problem;
use crate::front_matter::{locate, Step};
use crate::i18n;
use crate::model::{Event, Timeline};
use std::collections::HashSet;
use std::hash::Hasher;

/// Why `kroniek build` and `kroniek export` refuse `--base-url` for internal readers (see
/// [`Audience::restrict`]).
pub const NO_BASE_URL_FOR_INTERNAL: &str = "--base-url cannot be used with --audience internal: \
internal output names no address of its own (no canonical links, no sitemap, feed ids \
`urn:kroniek:…`), so that it is never taken for the published site";

/// Who the output is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Reader {
    /// The public: no internal events, no internal notes.
    #[default]
    Public,
    /// The organisation itself: internal events and notes, marked as internal.
    Internal,
}

/// A reader plus whether drafts are shown (in `serve`, or with `--drafts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Audience {
    pub reader: Reader,
    pub drafts: bool,
}

impl Audience {
    pub const PUBLIC: Audience = Audience {
        reader: Reader::Public,
        drafts: false,
    };

    /// Every event and every note: what `check` looks at.
    pub const EVERYONE: Audience = Audience {
        reader: Reader::Internal,
        drafts: true,
    };

    /// Whether this audience may see the event at all.
    pub fn sees(&self, event: &Event) -> bool {
        (self.drafts || !event.draft) && (self.reader == Reader::Internal || !event.internal)
    }

    /// Whether `::: internal` blocks are kept (and marked) rather than removed.
    pub fn sees_internal_notes(&self) -> bool {
        self.reader == Reader::Internal
    }
}

/// Where a link to an event leads for this reader.
#[derive(Debug)]
pub enum LinkTarget<'v> {
    /// To the event's page (or its place in a one-file export).
    Event(&'v Event),
    /// The event exists but this reader does not see it: the link keeps only its words, so that
    /// not even the slug (made from the title) reaches them.
    WordsOnly,
    /// No event has this slug: a dead link, for the link check to report.
    Unknown,
}

/// The timeline as one reader sees it.
#[derive(Debug)]
pub struct View {
    pub audience: Audience,
    /// Only the events this reader sees, only the organisations they name, and only the files
    /// it may be given (see [`View::withhold_files`]).
    pub timeline: Timeline,
    /// The events this reader does not see. Nothing of them is ever shown: they are kept to find
    /// the files that only they use.
    hidden: Vec<Event>,
    hidden_slugs: HashSet<String>,
    /// What a body's HTML depends on besides its own file: see [`View::context_hash`].
    context: u64,
    /// What the view took out of the shown events (addresses of hidden events in sources), as
    /// `hidden-link` warnings for `check` and the build's count.
    pub warnings: Vec<Problem>,
}

impl View {
    /// The timeline as `audience` sees it. An organisation named by hidden events alone would
    /// give itself away in public output (a filter button, a page, a chart lane, a CSS class, an
    /// entry in `timeline.json`), so it goes too.
    pub fn of(mut timeline: Timeline, audience: Audience) -> View {
        let (shown, hidden): (Vec<Event>, Vec<Event>) = std::mem::take(&mut timeline.events)
            .into_iter()
            .partition(|e| audience.sees(e));
        timeline.events = shown;
        if audience.reader == Reader::Internal {
            // The site's `base_url` is the public site's address: internal output must not
            // present its pages as living there (canonical links, `og:url`, `sitemap.xml`, the
            // feed's ids and links, absolute links in exports).
            timeline.site.base_url = None;
            // An internal build writes its own `robots.txt` that keeps every crawler out; the
            // site's copy must not replace it.
            let robots = crate::urls::Page::Robots.path();
            timeline
                .assets
                .retain(|a| a.output != std::path::Path::new(&robots));
        }
        let events = &timeline.events;
        timeline
            .site
            .organisations
            .retain(|o| events.iter().any(|e| e.orgs.contains(&o.key)));
        let hidden_slugs: HashSet<String> = hidden.iter().map(|e| e.slug.clone()).collect();
        let warnings = unlink_hidden_sources(&mut timeline, audience, &hidden_slugs);
        View {
            audience,
            context: context_hash(timeline.site.intro.hash, &hidden_slugs),
            hidden_slugs,
            hidden,
            timeline,
            warnings,
        }
    }

    /// The hash of `_index.md` and of the set of hidden events, as one number: what a rendered
    /// body depends on besides its own file. A body's HTML changes when an event it links to is
    /// hidden or shown, though its file did not change, so the preview keys its memo on this.
    pub fn context_hash(&self) -> u64 {
        self.context
    }

    /// The events this reader sees, in timeline order.
    pub fn events(&self) -> &[Event] {
        &self.timeline.events
    }

    /// The events this reader does not see: only to find what they use, never to show.
    pub fn hidden_events(&self) -> &[Event] {
        &self.hidden
    }

    /// The slugs of the events this reader does not see: a link to one keeps only its words.
    pub fn hidden_slugs(&self) -> &HashSet<String> {
        &self.hidden_slugs
    }

    /// Where a link to the event `slug` leads for this reader.
    pub fn link_target(&self, slug: &str) -> LinkTarget<'_> {
        if self.hidden_slugs.contains(slug) {
            return LinkTarget::WordsOnly;
        }
        match self.timeline.events.iter().find(|e| e.slug == slug) {
            Some(event) => LinkTarget::Event(event),
            None => LinkTarget::Unknown,
        }
    }

    /// Whether `::: internal` blocks are kept (and marked) for this reader.
    pub fn internal_notes(&self) -> bool {
        self.audience.sees_internal_notes()
    }

    /// Whether this is the organisation's own version, which must say so on every page.
    pub fn is_internal(&self) -> bool {
        self.audience.reader == Reader::Internal
    }

    /// The marks an event's title carries for this reader ("[INTERN] [CONCEPT] "): empty in
    /// public output, where no internal event or draft is shown.
    pub fn marks(&self, event: &Event) -> String {
        i18n::audience_marks(event.draft, event.internal, self.timeline.site.language)
    }

    /// Drops from the files to copy every file that something hidden links to (a hidden event,
    /// an `::: internal` block this reader does not get) unless something shown links to it
    /// too. Paths are relative to the content folder, `/`-separated, as
    /// [`crate::urls::content_path`] gives them.
    pub fn withhold_files(
        &mut self,
        used_by_hidden: &HashSet<String>,
        used_by_shown: &HashSet<String>,
    ) {
        self.timeline.assets.retain(|asset| {
            let path = crate::urls::file_key(&asset.output);
            !used_by_hidden.contains(&path) || used_by_shown.contains(&path)
        });
    }
}

/// Sources of the events in `timeline` whose `url` or `archive_url` leads to an event in
/// `hidden` (the site's own address of an internal event, or an internal build's) lose that
/// address, and keep their title, publisher and date: the address would give the event away
/// on every page, feed, data file and export that lists the source. Each is a `hidden-link`
/// warning at the address, as for links in a body (`markdown::Input::hidden_events`).
fn unlink_hidden_sources(
    timeline: &mut Timeline,
    audience: Audience,
    hidden: &HashSet<String>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if hidden.is_empty() {
        return problems;
    }
    let readers = if audience.sees_internal_notes() {
        "internal"
    } else {
        "public"
    };
    for event in &mut timeline.events {
        for (i, source) in event.sources.iter_mut().enumerate() {
            for (field, address) in [
                ("url", &mut source.url),
                ("archive_url", &mut source.archive_url),
            ] {
                let Some(url) =
                    address.take_if(|u| crate::markdown::hidden_event(u, hidden).is_some())
                else {
                    continue;
                };
                let path = [Step::Key("sources"), Step::Index(i), Step::Key(field)];
                problems.push(
                    event
                        .doc
                        .error(
                            locate(&event.doc, &path, Some(&url)),
                            "hidden-link",
                            format!(
                                "source `{field}` `{url}` leads to an event {readers} readers do \
                                 not see; it is left out"
                            ),
                        )
                        .with_hint("cite the document itself, or publish that event")
                        .warning(),
                );
            }
        }
    }
    problems
}

/// `intro_hash` and the set of hidden events as one number, for the cache keys of rendered
/// bodies: a body's HTML changes when an event it links to is hidden or shown, though its own
/// file did not change.
fn context_hash(intro_hash: u64, hidden: &HashSet<String>) -> u64 {
    if hidden.is_empty() {
        return intro_hash;
    }
    let mut slugs: Vec<&String> = hidden.iter().collect();
    slugs.sort();
    let mut hasher = fnv::FnvHasher::default();
    hasher.write_u64(intro_hash);
    for slug in slugs {
        hasher.write(slug.as_bytes());
        hasher.write_u8(0);
    }
    hasher.finish()
}
