//! Events grouped under day headings, as the timeline and organisation pages show them.

use super::view::DateView;
use crate::model::{Event, EventDate, Language, Precision};
use serde::Serialize;

/// One heading of the timeline and the events under it. Events dated only by month or year
/// get a heading of their own ("juni 2024"), before the days of that month.
#[derive(Serialize)]
pub struct Day {
    /// Anchor of the heading: `_2024-06-04` (a leading `_`, which no slug has).
    pub id: String,
    pub date: DateView,
    /// The events, rendered (`card.html`); template strings, so the same card on several
    /// pages is one allocation.
    pub cards: Vec<minijinja::Value>,
}

/// The events at `indices` (in timeline order) grouped under their headings: a day, or a month
/// or year for events dated only that precisely. Shared by the pages and the exports.
pub fn group_indices(events: &[&Event], indices: &[usize]) -> Vec<(EventDate, Vec<usize>)> {
    let mut groups: Vec<(EventDate, Vec<usize>)> = Vec::new();
    for &i in indices {
        let heading = heading_date(&events[i].date);
        match groups.last_mut() {
            Some((date, members))
                if (date.precision, date.day()) == (heading.precision, heading.day()) =>
            {
                members.push(i)
            }
            _ => groups.push((heading, vec![i])),
        }
    }
    groups
}

/// Groups the events at `indices` (in timeline order) by day, month or year.
pub fn group(
    events: &[&Event],
    cards: &[minijinja::Value],
    indices: &[usize],
    language: Language,
) -> Vec<Day> {
    group_indices(events, indices)
        .into_iter()
        .map(|(heading, members)| {
            let date = DateView::of(&heading, language);
            Day {
                id: format!("_{}", date.iso),
                date,
                cards: members.iter().map(|&i| cards[i].clone()).collect(),
            }
        })
        .collect()
}

/// The date of the heading an event sits under: its own date, at most as precise as a day.
fn heading_date(date: &EventDate) -> EventDate {
    let mut heading = date.clone();
    heading.precision = heading.precision.min(Precision::Day);
    heading
}

/// A correction as the timeline's "Corrections" list shows it.
#[derive(Serialize)]
pub struct RecentCorrection {
    pub slug: String,
    /// Where the event is on the timeline: `#slug`, or on the page of its period.
    pub href: String,
    pub title: String,
    pub date: DateView,
    pub note: Option<String>,
}

/// Every correction, newest first (then in timeline order), so readers see what changed.
pub fn recent_corrections(
    events: &[&Event],
    language: Language,
    href: &dyn Fn(&Event) -> String,
) -> Vec<RecentCorrection> {
    let mut list: Vec<(&EventDate, usize, Option<&String>)> = events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.corrections
                .iter()
                .map(move |c| (&c.date, i, c.note.as_ref()))
        })
        .collect();
    list.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
    list.into_iter()
        .map(|(date, i, note)| RecentCorrection {
            slug: events[i].slug.clone(),
            href: href(events[i]),
            title: events[i].title.clone(),
            date: DateView::of(date, language),
            note: note.cloned(),
        })
        .collect()
}
