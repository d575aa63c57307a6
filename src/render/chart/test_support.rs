//! What the chart's unit tests share: a tiny real site, events made from its first one, the
//! chart drawn from them, and readers for the SVG. Test code only.

use super::{overview, Chart};
use crate::model::{Event, EventDate, Timeline};
use scraper::{Html, Selector};

/// A tiny real site: two organisations, one event to copy from.
pub(super) fn timeline(language: &str) -> (tempfile::TempDir, Timeline) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        format!(
            "---\ntitle: \"Test\"\nlanguage: {language}\ntimezone: Europe/Amsterdam\n\
             organisations:\n  bzk:\n    name: \"Binnenlandse Zaken\"\n    short: \"BZK\"\n\
             \x20 ncsc:\n    name: \"NCSC\"\n    short: \"NCSC\"\n    color: \"#0b7285\"\n---\n"
        ),
    )
    .unwrap();
    std::fs::write(
        content.join("2024-06-04-first.md"),
        "---\ntitle: \"First\"\norgs: [bzk]\n---\nBody.\n",
    )
    .unwrap();
    let (timeline, problems) = crate::compile(dir.path());
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
    (dir, timeline.unwrap())
}

/// An event like the site's first, with its own slug, date, organisations and title.
pub(super) fn event(
    timeline: &Timeline,
    slug: &str,
    date: &str,
    orgs: &[&str],
    title: &str,
) -> Event {
    let tz = timeline.site.timezone;
    let mut event = timeline.events[0].clone();
    event.slug = slug.to_string();
    event.title = title.to_string();
    event.date = EventDate::parse(date, tz).unwrap().0;
    event.orgs = orgs.iter().map(|o| o.to_string()).collect();
    event
}

pub(super) fn link(event: &Event) -> String {
    crate::urls::Page::Event(event.slug.clone()).pretty()
}

/// The wide drawing of the chart of `events` (the narrow one follows it in `Chart::svg`).
pub(super) fn draw(timeline: &Timeline, events: &[Event]) -> String {
    drawings(timeline, events).0
}

/// The wide and the narrow drawing of the chart of `events`; both empty without events.
pub(super) fn drawings(timeline: &Timeline, events: &[Event]) -> (String, String) {
    let svg = chart(timeline, events).svg;
    match svg.find("</svg>") {
        Some(end) => {
            let (wide, narrow) = svg.split_at(end + "</svg>".len());
            (wide.to_string(), narrow.to_string())
        }
        None => (svg, String::new()),
    }
}

pub(super) fn chart(timeline: &Timeline, events: &[Event]) -> Chart {
    let refs: Vec<&Event> = events.iter().collect();
    overview(timeline, &refs, &link)
}

pub(super) fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(selector).unwrap()).collect()
}

/// The classes of the chart's lanes, in order.
pub(super) fn lane_classes(html: &Html) -> Vec<String> {
    select(html, "g.lane")
        .iter()
        .map(|g| g.value().attr("class").unwrap().to_string())
        .collect()
}

/// The lanes' labels, in order.
pub(super) fn lane_labels(html: &Html) -> Vec<String> {
    select(html, "g.labels text")
        .iter()
        .map(|t| t.text().collect())
        .collect()
}

pub(super) fn number(element: &scraper::ElementRef, attribute: &str) -> f64 {
    element.value().attr(attribute).unwrap().parse().unwrap()
}

pub(super) fn tick_labels(svg: &str) -> (String, Vec<String>) {
    let html = Html::parse_fragment(svg);
    let axis = select(&html, "g.axis")[0];
    let class = axis.value().attr("class").unwrap().to_string();
    let labels = select(&html, "g.axis text:not(.caption)")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    (class, labels)
}
