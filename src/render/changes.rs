//! The changes page (`changes/index.html`): every release with its date and note, newest
//! first, and what each added, changed, withdrew and moved; first, what has changed since the
//! latest release and is not yet recorded.

use crate::audience::Reader;
use crate::model::{Event, EventDate, Language, Timeline};
use crate::record::{Changes, Item};
use crate::urls::Page;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Longer lists are counted, not listed, so that the first release of a big site (which adds
/// every event) keeps the page light; `timeline.json` lists them all.
const MOST_LISTED: usize = 200;

/// One list of the page ("Added"): its events, or only their number when there are too many.
#[derive(Serialize)]
pub struct ListView {
    pub items: Vec<ItemView>,
    pub count: usize,
    /// "1,000 events: too many to list here; timeline.json lists them."
    pub too_many: Option<String>,
}

#[derive(Serialize)]
pub struct ReleaseView {
    /// "Release 2" or "Not yet in a release".
    pub heading: String,
    /// For the heading's anchor: `release-2`, `unreleased`.
    pub id: String,
    pub date: Option<DayView>,
    pub note: Option<String>,
    pub added: ListView,
    pub changed: ListView,
    pub withdrawn: ListView,
    pub renamed: Vec<RenamedView>,
    pub removed: ListView,
    pub empty: bool,
}

#[derive(Serialize)]
pub struct DayView {
    pub iso: String,
    pub text: String,
}

#[derive(Serialize)]
pub struct ItemView {
    pub title: String,
    /// Relative to the site root; `None` when the event is no longer on the site.
    pub href: Option<String>,
    pub notes: Vec<NoteView>,
}

#[derive(Serialize)]
pub struct NoteView {
    pub date: Option<DayView>,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub struct RenamedView {
    pub title: String,
    pub from: String,
    pub to: String,
    pub href: Option<String>,
}

/// The link on the timeline to the changes page: "Published as release 2 of 14 June 2024".
#[derive(Serialize)]
pub struct LatestView {
    pub text: String,
    pub href: String,
}

/// `history` (oldest first) as the page shows it, newest first.
pub fn views(history: &[Changes], events: &[&Event], timeline: &Timeline) -> Vec<ReleaseView> {
    let language = timeline.site.language;
    let t = crate::i18n::strings(language);
    let pages = Pages::of(events);
    history
        .iter()
        .rev()
        .map(|changes| {
            let items = |items: &[Item]| -> ListView {
                let count = items.len();
                if count > MOST_LISTED {
                    let too_many = t.changes_too_many.replace("{n}", &count.to_string());
                    return ListView {
                        items: Vec::new(),
                        count,
                        too_many: Some(too_many),
                    };
                }
                let items = items
                    .iter()
                    .map(|item| ItemView {
                        title: item.title.clone(),
                        href: pages.href(&item.slug),
                        notes: item
                            .notes
                            .iter()
                            .map(|n| NoteView {
                                date: note_day(&n.date, timeline),
                                note: n.note.clone(),
                            })
                            .collect(),
                    })
                    .collect();
                ListView {
                    items,
                    count,
                    too_many: None,
                }
            };
            let (heading, id) = match changes.number {
                Some(n) => (
                    t.release_n.replace("{n}", &n.to_string()),
                    format!("release-{n}"),
                ),
                None => (t.unreleased.to_string(), "unreleased".to_string()),
            };
            ReleaseView {
                heading,
                id,
                date: changes.date.map(|d| day(d, language)),
                note: changes.note.clone(),
                added: items(&changes.added),
                changed: items(&changes.changed),
                withdrawn: items(&changes.withdrawn),
                renamed: changes
                    .renamed
                    .iter()
                    .map(|r| RenamedView {
                        title: r.title.clone(),
                        from: Page::Event(r.from.clone()).pretty(),
                        to: Page::Event(r.to.clone()).pretty(),
                        href: pages.href(&r.to),
                    })
                    .collect(),
                removed: items(&changes.removed),
                empty: changes.is_empty(),
            }
        })
        .collect()
}

/// The timeline's link to the changes page, when there is a release.
pub fn latest(timeline: &Timeline) -> Option<LatestView> {
    let release = timeline.releases.last()?;
    let language = timeline.site.language;
    let text = crate::i18n::strings(language)
        .published_as
        .replace("{n}", &release.number.to_string())
        .replace("{date}", &day(release.date, language).text);
    Some(LatestView {
        text,
        href: Page::Changes.path(),
    })
}

/// Whether the page shows what changed since the latest release: only to the public, whose
/// view is what releases record (an internal reader's events would all seem changed).
pub fn shows_unreleased(reader: Reader) -> bool {
    reader == Reader::Public
}

fn day(date: NaiveDate, language: Language) -> DayView {
    DayView {
        iso: date.to_string(),
        text: date
            .format_localized("%-d %B %Y", language.locale())
            .to_string(),
    }
}

/// A record's date (`2024-06-12`, `2024-06-12T14:30+02:00`) as the site shows dates.
fn note_day(iso: &str, timeline: &Timeline) -> Option<DayView> {
    let (date, _) = EventDate::parse(iso, timeline.site.timezone).ok()?;
    Some(DayView {
        iso: date.iso(),
        text: date.short_date_text(timeline.site.language),
    })
}

/// Where an event a record names is now: its page, found by its slug or by an alias.
struct Pages<'a> {
    by_slug: HashMap<&'a str, &'a str>,
}

impl<'a> Pages<'a> {
    fn of(events: &[&'a Event]) -> Pages<'a> {
        let mut by_slug = HashMap::new();
        for event in events {
            for alias in &event.aliases {
                by_slug.insert(alias.as_str(), event.slug.as_str());
            }
        }
        for event in events {
            by_slug.insert(event.slug.as_str(), event.slug.as_str());
        }
        Pages { by_slug }
    }

    fn href(&self, slug: &str) -> Option<String> {
        self.by_slug
            .get(slug)
            .map(|now| Page::Event(now.to_string()).path())
    }
}
