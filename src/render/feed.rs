//! `feed.xml`: an Atom 1.0 feed with one entry per event.
//!
//! Ids are stable across builds (the event's URL, or a URN from the slug when no `base_url` is
//! known); `updated` is the latest correction or `updated` date, else the event's date, so the
//! feed never changes unless the content does. Entry content is the event's HTML with its
//! sources, rendered by the theme's `feed-entry.html`.

use crate::audience::Audience;
use crate::model::{Event, Timeline};
use crate::urls::Page;
use serde::Serialize;

/// The feed's own fields; its entries are rendered in chunks (see `feed.xml`), so that a
/// register of 100,000 events never holds every entry's text at once.
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

/// The feed of `events`, without its entries.
/// For internal readers its title says so, as its internal entries' titles do.
pub fn feed(
    timeline: &Timeline,
    events: &[&Event],
    base_url: Option<&str>,
    audience: Audience,
) -> Feed {
    let site = &timeline.site;
    let updated = events
        .iter()
        .map(|e| e.updated.as_ref().unwrap_or(&e.date))
        .max()
        .map_or_else(|| "1970-01-01T00:00:00+00:00".to_string(), |d| d.rfc3339());
    Feed {
        id: base_url.map_or_else(
            || format!("urn:kroniek:{}", site_key(timeline)),
            str::to_string,
        ),
        title: crate::i18n::output_title(
            &site.title,
            audience.sees_internal_notes(),
            site.language,
        ),
        subtitle: site.description.clone(),
        updated,
        home: base_url.map_or_else(|| Page::Timeline.path(), str::to_string),
        // Without `base_url` (also every internal build) relative to the feed itself, as RFC
        // 4287 allows: a feed reader still learns where the feed lives.
        self_url: base_url.map_or_else(
            || Page::Feed.path(),
            |b| format!("{b}{}", Page::Feed.path()),
        ),
    }
}

/// The entry of `event`, whose rendered HTML is `content`.
pub fn entry(timeline: &Timeline, event: &Event, content: String, base_url: Option<&str>) -> Entry {
    let page = Page::Event(event.slug.clone());
    let url = base_url.map_or_else(|| page.path(), |b| format!("{b}{}", page.pretty()));
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
        id: base_url.map_or_else(
            || format!("urn:kroniek:{}:{}", site_key(timeline), event.slug),
            |_| url.clone(),
        ),
        // A feed reader shows no badges: drafts and internal events say so in their title.
        title: format!(
            "{}{}",
            crate::i18n::audience_marks(event.draft, event.internal, timeline.site.language),
            event.title
        ),
        base: base_url.map(|_| url.clone()),
        url,
        published: event.date.rfc3339(),
        updated: event.updated.as_ref().unwrap_or(&event.date).rfc3339(),
        categories,
        content,
    }
}

/// What ids are made of when there is no `base_url`: the site's title as a slug.
fn site_key(timeline: &Timeline) -> String {
    crate::model::slugify(&timeline.site.title)
}
