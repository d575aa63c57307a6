//! What templates see: plain, serialisable views of the model, built once per event and
//! shared by every page that shows the event.

use super::Rendered;
use crate::markdown::{Note, NoteContent};
use crate::model::{Event, EventDate, Language, Organisation, Source, Timeline};
use crate::urls::Page;
use serde::Serialize;

#[derive(Serialize)]
pub struct DateView {
    /// For people, at the date's precision ("dinsdag 4 juni 2024").
    pub text: String,
    /// Shorter ("4 juni 2024").
    pub short: String,
    /// For `<time datetime>`.
    pub iso: String,
}

impl DateView {
    pub fn of(date: &EventDate, language: Language) -> DateView {
        DateView {
            text: date.date_text(language),
            short: date.short_date_text(language),
            iso: date.iso(),
        }
    }
}

#[derive(Serialize)]
pub struct OrgView {
    pub key: String,
    pub name: String,
    pub short: String,
    pub url: Option<String>,
    /// Events this audience sees.
    pub count: usize,
    /// Page of the organisation, relative to the site root.
    pub href: String,
}

impl OrgView {
    pub fn of(org: &Organisation, count: usize) -> OrgView {
        OrgView {
            key: org.key.clone(),
            name: org.name.clone(),
            short: org.short.clone(),
            url: org.url.clone(),
            count,
            href: Page::Organisation(org.key.clone()).path(),
        }
    }
}

#[derive(Serialize)]
pub struct SourceView {
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
    pub date: Option<DateView>,
    pub author: Option<String>,
    pub access_date: Option<DateView>,
    pub archive_date: Option<DateView>,
    pub language: Option<String>,
    pub quote: Option<String>,
}

impl SourceView {
    pub fn of(source: &Source, language: Language) -> SourceView {
        SourceView {
            // A source without a title still needs a visible name: `check` warns about it.
            title: if source.title.is_empty() {
                source
                    .publisher
                    .clone()
                    .or_else(|| source.url.clone())
                    .unwrap_or_default()
            } else {
                source.title.clone()
            },
            // Named by its publisher, it does not name the publisher twice ("Pastebin, Pastebin").
            publisher: source
                .publisher
                .clone()
                .filter(|_| !source.title.is_empty()),
            url: source.url.clone(),
            archive_url: source.archive_url.clone(),
            date: source.date.as_ref().map(|d| DateView::of(d, language)),
            author: source.author.clone(),
            access_date: source
                .access_date
                .as_ref()
                .map(|d| DateView::of(d, language)),
            archive_date: source
                .archive_date
                .as_ref()
                .map(|d| DateView::of(d, language)),
            language: source.language.clone(),
            quote: source.quote.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct NoteView {
    pub number: usize,
    pub id: String,
    pub backrefs: Vec<String>,
    /// A body footnote, rendered; `None` for a source.
    pub html: Option<String>,
    pub source: Option<SourceView>,
}

/// Notes as templates show them: footnotes rendered, sources as their fields.
pub fn note_views(notes: &[Note], sources: &[Source], language: Language) -> Vec<NoteView> {
    notes
        .iter()
        .map(|note| NoteView {
            number: note.number,
            id: note.id.clone(),
            backrefs: note.backrefs.clone(),
            html: match &note.content {
                NoteContent::Footnote(html) => Some(html.clone()),
                NoteContent::Source(_) => None,
            },
            source: match note.content {
                NoteContent::Source(i) => sources.get(i).map(|s| SourceView::of(s, language)),
                NoteContent::Footnote(_) => None,
            },
        })
        .collect()
}

#[derive(Serialize)]
pub struct CorrectionView {
    pub date: DateView,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct EventView {
    pub slug: String,
    pub title: String,
    pub date: DateView,
    /// The time of day or the time label ("14:30", "einde dag").
    pub time: Option<String>,
    pub end: Option<DateView>,
    pub orgs: Vec<OrgBadge>,
    pub tags: Vec<String>,
    pub major: bool,
    pub draft: bool,
    pub internal: bool,
    /// The body for lists of events (headings start at `<h4>`). The bodies are template strings
    /// that share the rendered text ([`Rendered`]): a view costs no copy of its HTML.
    pub body: minijinja::Value,
    /// The body for the event's own page (headings start at `<h2>`).
    pub page_body: minijinja::Value,
    /// The body for lists two folders deep (organisation pages, feed entries).
    pub nested_body: minijinja::Value,
    /// The notes under the body in lists of events at the site's root.
    pub notes: Vec<NoteView>,
    /// The notes on the event's own page: links in footnotes are relative to the page, so
    /// each variant of the body has its own (the timeline's led to 404s two folders deep).
    pub page_notes: Vec<NoteView>,
    /// The notes in lists two folders deep (organisation pages, feed entries).
    pub nested_notes: Vec<NoteView>,
    pub corrections: Vec<CorrectionView>,
    pub updated: Option<DateView>,
    /// The event's page, relative to the site root.
    pub href: String,
    /// The classes the filter's style sheet hides cards by: `o-<key>` for each organisation,
    /// [`tag_class`] for each tag.
    pub filter_class: String,
}

#[derive(Serialize)]
pub struct OrgBadge {
    pub key: String,
    pub short: String,
    pub name: String,
    pub href: String,
}

impl EventView {
    pub fn of(event: &Event, bodies: &Rendered, timeline: &Timeline) -> EventView {
        let language = timeline.site.language;
        let notes = note_views(&bodies.list.notes, &event.sources, language);
        let notes_of = |variant: &Option<crate::markdown::Body>| {
            note_views(
                &variant.as_ref().unwrap_or(&bodies.list).notes,
                &event.sources,
                language,
            )
        };
        let body = shared_text(&bodies.list.html);
        let variant = |variant: &Option<crate::markdown::Body>| {
            variant
                .as_ref()
                .map_or_else(|| body.clone(), |b| shared_text(&b.html))
        };
        EventView {
            slug: event.slug.clone(),
            title: event.title.clone(),
            date: DateView::of(&event.date, language),
            time: event.time_label.clone().or_else(|| event.date.time_text()),
            end: event.end.as_ref().map(|d| DateView::of(d, language)),
            orgs: event
                .orgs
                .iter()
                .filter_map(|key| timeline.organisation(key))
                .map(|o| OrgBadge {
                    key: o.key.clone(),
                    short: o.short.clone(),
                    name: o.name.clone(),
                    href: Page::Organisation(o.key.clone()).path(),
                })
                .collect(),
            tags: event.tags.clone(),
            major: event.major,
            draft: event.draft,
            internal: event.internal,
            page_body: variant(&bodies.page),
            nested_body: variant(&bodies.nested),
            body,
            notes,
            page_notes: notes_of(&bodies.page),
            nested_notes: notes_of(&bodies.nested),
            corrections: event
                .corrections
                .iter()
                .map(|c| CorrectionView {
                    date: DateView::of(&c.date, language),
                    note: c.note.clone(),
                })
                .collect(),
            updated: event.updated.as_ref().map(|d| DateView::of(d, language)),
            href: Page::Event(event.slug.clone()).path(),
            filter_class: filter_class(event),
        }
    }
}

/// `o-ncsc o-bzk t-0123456789ab`: see [`EventView::filter_class`].
fn filter_class(event: &Event) -> String {
    let orgs = event.orgs.iter().map(|key| org_class(key));
    let mut tags: Vec<String> = event.tags.iter().map(|t| tag_class(t)).collect();
    tags.sort();
    tags.dedup();
    orgs.chain(tags).collect::<Vec<_>>().join(" ")
}

/// The class of the cards of an organisation: `o-<key>` (keys are safe in class names).
pub fn org_class(key: &str) -> String {
    format!("o-{key}")
}

/// The class of the cards of a tag: `t-` and 12 hex digits of a hash of its name, since a tag
/// may hold any character. The same tag has the same class on every page and in every build.
pub fn tag_class(tag: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(tag.as_bytes());
    format!("t-{:012x}", hasher.finish() & 0xffff_ffff_ffff)
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub language: &'static str,
    pub base_url: Option<&'a str>,
    /// Output for internal readers: every page says so (`<meta name="robots">`, the banner,
    /// the `<title>`), so that a copy put online by mistake is neither indexed nor mistaken
    /// for the published site.
    pub internal: bool,
    pub intro: String,
    /// Footnotes of the intro.
    pub intro_notes: Vec<NoteView>,
    /// The counts of the whole timeline, as `site.organisations`, `site.event_count`…
    #[serde(flatten)]
    pub filter: FilterBar,
}

/// What a filter bar offers and counts: the whole timeline's filters (on the timeline, as
/// part of `site`), or on a period page the same filters with that period's counts, so that a
/// filter carried from one period's page to the next (`?org=…&tag=…&major=1`) is known there
/// even where none of its events are.
#[derive(Serialize)]
pub struct FilterBar {
    /// Every organisation, with the number of the page's events it has.
    pub organisations: Vec<OrgView>,
    pub event_count: usize,
    /// Every tag of the whole timeline, sorted, with the number of the page's events that
    /// have it (on a period page possibly 0): the tag filter.
    pub tags: Vec<TagView>,
    /// How many of the page's events are key moments (`major`).
    pub major_count: usize,
    /// Whether the "key moments only" filter is offered: some event of the whole timeline is
    /// one.
    pub major_filter: bool,
}

impl FilterBar {
    /// The filters of `events` (the whole timeline's), with their counts.
    pub fn of(organisations: &[Organisation], events: &[&Event]) -> FilterBar {
        let tags = TagView::of(events);
        FilterBar {
            organisations: org_counts(organisations, events),
            event_count: events.len(),
            major_filter: events.iter().any(|e| e.major),
            major_count: events.iter().filter(|e| e.major).count(),
            tags,
        }
    }

    /// The same filters as this bar's (the timeline's), with the counts of `events` (a page's).
    pub fn within(&self, organisations: &[Organisation], events: &[&Event]) -> FilterBar {
        let mut counts: std::collections::HashMap<&str, usize> = Default::default();
        for event in events {
            for (i, tag) in event.tags.iter().enumerate() {
                if !event.tags[..i].contains(tag) {
                    *counts.entry(tag).or_default() += 1;
                }
            }
        }
        FilterBar {
            organisations: org_counts(organisations, events),
            event_count: events.len(),
            tags: self
                .tags
                .iter()
                .map(|t| TagView {
                    name: t.name.clone(),
                    class: t.class.clone(),
                    count: counts.get(t.name.as_str()).copied().unwrap_or(0),
                })
                .collect(),
            major_count: events.iter().filter(|e| e.major).count(),
            major_filter: self.major_filter,
        }
    }
}

/// Every organisation, with its number of `events`.
fn org_counts(organisations: &[Organisation], events: &[&Event]) -> Vec<OrgView> {
    organisations
        .iter()
        .map(|o| OrgView::of(o, events.iter().filter(|e| e.orgs.contains(&o.key)).count()))
        .collect()
}

#[derive(Serialize)]
pub struct TagView {
    pub name: String,
    /// The class of its cards ([`tag_class`]), which the filter names.
    pub class: String,
    pub count: usize,
}

impl TagView {
    /// The tags of `events`, sorted by name (ignoring case), each with its number of events.
    pub fn of(events: &[&Event]) -> Vec<TagView> {
        let mut counts: std::collections::BTreeMap<(String, &str), usize> = Default::default();
        for event in events {
            let mut seen: Vec<&str> = Vec::new();
            for tag in &event.tags {
                if !seen.contains(&tag.as_str()) {
                    seen.push(tag);
                    *counts.entry((tag.to_lowercase(), tag)).or_default() += 1;
                }
            }
        }
        counts
            .into_iter()
            .map(|((_, name), count)| TagView {
                name: name.to_string(),
                class: tag_class(name),
                count,
            })
            .collect()
    }
}

/// Per-page values every template gets.
#[derive(Serialize)]
pub struct PageMeta {
    /// Path back to the site root from this page ("", "../../").
    pub root: String,
    /// The page's absolute URL, when `base_url` is known.
    pub canonical: Option<String>,
    pub title: String,
    pub description: Option<String>,
    /// "website" or "article" for OpenGraph.
    pub kind: &'static str,
}

/// A rendered body as a template string (templates mark bodies `|safe` themselves), sharing
/// the rendered text instead of copying it.
fn shared_text(text: &std::sync::Arc<str>) -> minijinja::Value {
    minijinja::Value::from(text.clone())
}

/// Any serialisable value as a template value.
pub fn value<T: Serialize>(x: T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(x))
}
