//! The Atom 1.0 feeds: `feed.xml`, and `orgs/<key>/feed.xml` for each organisation.
//!
//! A feed holds the latest `feed_entries` events (default 50) by when they last changed (their
//! date, or a later `updated` or correction), so that a correction brings an entry back to
//! the top. Ids are `urn:kroniek:<feed_id>:<slug>`: never the title or the address, so that a
//! retitled or moved site does not show every entry twice in feed readers. An event without a
//! time of day is dated at noon UTC of its day: midnight in the site's zone is the day before
//! for every reader west of it, noon UTC is the same day from UTC−12 to UTC+11. The feed never
//! changes unless the content does (no build time in it). Entry content is the event's HTML
//! with its sources, rendered by the theme's `feed-entry.html`.
//!
//! This module must never choose which events a reader may see: it gets the view's.

use crate::audience::Audience;
use crate::model::{Event, EventDate, Organisation, Timeline};
use crate::urls::Page;
use chrono::{DateTime, NaiveTime, Utc};
use serde::Serialize;

/// The feed's own fields; its entries are rendered in chunks (see `feed.xml`), so that a long
/// feed never holds every entry's text at once.
#[derive(Serialize)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub updated: String,
    /// Absolute URLs when `base_url` is known; otherwise relative to the feed.
    pub home: String,
    pub self_url: String,
}

#[derive(Serialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub url: String,
    /// The entry's URL, as `xml:base` for the fragment links inside its content.
    pub base: Option<String>,
    pub published: String,
    pub updated: String,
    pub categories: Vec<Category>,
    /// HTML, already escaped for the XML text: the template prints it as it is.
    pub content: String,
}

#[derive(Serialize)]
pub struct Category {
    pub term: String,
    pub label: String,
}

/// Which feed: the whole site's, or one organisation's.
#[derive(Clone, Copy)]
pub enum Scope<'a> {
    Site,
    Organisation(&'a Organisation),
}

impl Scope<'_> {
    pub fn page(&self) -> Page {
        match self {
            Scope::Site => Page::Feed,
            Scope::Organisation(org) => Page::OrganisationFeed(org.key.clone()),
        }
    }

    /// The feed's page below the site root, as `../` steps.
    pub fn root(&self) -> String {
        self.page().root()
    }
}

/// When an event last changed, as feeds date it: its date, or a later `updated` or correction.
pub fn changed(event: &Event) -> DateTime<Utc> {
    let date = instant(&event.date);
    event
        .updated
        .as_ref()
        .map_or(date, |u| instant(u).max(date))
}

/// The instant a feed gives a date: the date's own with a time of day; without one, noon UTC
/// of its day in the site's zone (see the module's header).
pub fn instant(date: &EventDate) -> DateTime<Utc> {
    if date.has_time() {
        return date.start;
    }
    date.day()
        .and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default())
        .and_utc()
}

/// The text of a date in a feed: RFC 3339, with the site's offset when the date has a time.
fn instant_text(date: &EventDate) -> String {
    if date.has_time() {
        date.rfc3339()
    } else {
        instant(date).format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// The feed's entries: the latest `max` of `members` (indices into `events`) by when they last
/// changed, newest first; among equals the later in the timeline first.
pub fn latest(events: &[&Event], members: &[usize], max: usize) -> Vec<usize> {
    let mut order: Vec<(DateTime<Utc>, usize)> =
        members.iter().map(|&i| (changed(events[i]), i)).collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    order.truncate(max);
    order.into_iter().map(|(_, i)| i).collect()
}

/// What every id of this site's feeds begins with: `urn:kroniek:<feed_id>`, and for internal
/// readers `urn:kroniek:<feed_id>+internal` (a feed reader given both must not take an internal
/// entry for the public one).
fn id_base(timeline: &Timeline, audience: Audience) -> String {
    let internal = if audience.sees_internal_notes() {
        "+internal"
    } else {
        ""
    };
    format!("urn:kroniek:{}{internal}", timeline.site.feed_id)
}

/// The feed of `entries` (the events it holds), without them.
/// For internal readers its title says so, as its internal entries' titles do.
pub fn feed(
    timeline: &Timeline,
    entries: &[&Event],
    scope: Scope,
    base_url: Option<&str>,
    audience: Audience,
) -> Feed {
    let site = &timeline.site;
    let updated = entries
        .iter()
        .map(|e| changed(e))
        .max()
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let (id, title, home) = match scope {
        Scope::Site => (
            id_base(timeline, audience),
            site.title.clone(),
            Page::Timeline,
        ),
        Scope::Organisation(org) => (
            format!("{}/orgs/{}", id_base(timeline, audience), org.key),
            format!("{}: {}", site.title, org.name),
            Page::Organisation(org.key.clone()),
        ),
    };
    let page = scope.page();
    // Without `base_url` (also every internal build) relative to the feed itself, as RFC 4287
    // allows: a feed reader still learns where the feed lives.
    let local = |p: &Page| {
        let path = p.path();
        path.rsplit('/').next().unwrap_or(&path).to_string()
    };
    Feed {
        id,
        title: crate::i18n::output_title(&title, audience.sees_internal_notes(), site.language),
        subtitle: site.description.clone(),
        updated,
        home: base_url.map_or_else(|| local(&home), |b| format!("{b}{}", home.pretty())),
        self_url: base_url.map_or_else(|| local(&page), |b| format!("{b}{}", page.pretty())),
    }
}

/// The entry of `event` in a feed of `scope`, whose rendered HTML is `content`.
pub fn entry(
    timeline: &Timeline,
    event: &Event,
    content: String,
    scope: Scope,
    base_url: Option<&str>,
    audience: Audience,
) -> Entry {
    let page = Page::Event(event.slug.clone());
    let url = base_url.map_or_else(
        || format!("{}{}", scope.root(), page.path()),
        |b| format!("{b}{}", page.pretty()),
    );
    let mut categories: Vec<Category> = event
        .orgs
        .iter()
        .filter_map(|k| timeline.organisation(k))
        .map(|o| Category {
            term: o.key.clone(),
            label: o.short.clone(),
        })
        .collect();
    categories.extend(event.tags.iter().map(|t| Category {
        term: t.clone(),
        label: t.clone(),
    }));
    Entry {
        // The same in every feed of the site: it is the same entry.
        id: format!("{}:{}", id_base(timeline, audience), event.slug),
        // A feed reader shows no badges: drafts and internal events say so in their title.
        title: format!(
            "{}{}",
            crate::i18n::audience_marks(event.draft, event.internal, timeline.site.language),
            event.title
        ),
        base: base_url.map(|_| url.clone()),
        url,
        published: instant_text(&event.date),
        updated: changed(event).format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        categories,
        content,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn date(text: &str, tz: Tz) -> EventDate {
        EventDate::parse(text, tz).unwrap().0
    }

    #[test]
    fn a_day_is_dated_at_noon_utc_of_that_day_in_every_zone() {
        for tz in [
            Tz::UTC,
            Tz::Europe__Amsterdam,
            Tz::Pacific__Auckland,
            Tz::America__Los_Angeles,
        ] {
            assert_eq!(
                instant_text(&date("2024-06-04", tz)),
                "2024-06-04T12:00:00Z",
                "{tz}"
            );
        }
        // A month or a year: noon of its first day.
        assert_eq!(
            instant_text(&date("2024-06", Tz::Europe__Amsterdam)),
            "2024-06-01T12:00:00Z"
        );
        // With a time of day the instant itself, with the site's offset.
        assert_eq!(
            instant_text(&date("2024-06-04T09:30", Tz::Europe__Amsterdam)),
            "2024-06-04T09:30:00+02:00"
        );
    }

    #[test]
    fn the_latest_are_by_when_they_last_changed() {
        let tz = Tz::Europe__Amsterdam;
        let mut old = Event::for_tests(date("2024-01-01", tz));
        old.slug = "old".into();
        let mut corrected = Event::for_tests(date("2024-01-02", tz));
        corrected.slug = "corrected".into();
        corrected.updated = Some(date("2024-07-01", tz));
        let new = Event::for_tests(date("2024-06-01T10:00", tz));
        let events = [&old, &corrected, &new];
        assert_eq!(latest(&events, &[0, 1, 2], 2), [1, 2]);
        assert_eq!(latest(&events, &[0, 1, 2], 50), [1, 2, 0]);
        assert_eq!(latest(&events, &[0, 2], 1), [2]);
        assert_eq!(latest(&events, &[], 5), Vec::<usize>::new());
    }
}
