//! The site-wide sources page: every distinct source once, with links to what cites it.

use super::periods::Period;
use super::view::{DateView, SourceView};
use super::Rendered;
use crate::markdown::NoteContent;
use crate::model::{Event, Language};
use crate::urls::Page;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
pub struct SourceEntry {
    pub source: SourceView,
    pub citations: Vec<Citation>,
    /// The first event that cites it (an index into the events): which page of a split
    /// timeline it belongs with.
    #[serde(skip)]
    pub first: usize,
}

/// A link from the sources page to the note of an event that cites the source.
#[derive(Serialize)]
pub struct Citation {
    pub title: String,
    pub date: DateView,
    /// Relative to the site root: the event's page, at the note.
    pub href: String,
}

/// Distinct sources in order of first citation. The same URL is the same source; without a
/// URL, the same title (ignoring case and spacing) is.
pub fn distinct(events: &[&Event], bodies: &[Rendered], language: Language) -> Vec<SourceEntry> {
    let mut entries: Vec<SourceEntry> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (position, (event, body)) in events.iter().zip(bodies).enumerate() {
        for note in &body.list.notes {
            let NoteContent::Source(i) = note.content else {
                continue;
            };
            let Some(source) = event.sources.get(i) else {
                continue;
            };
            let key = source.identity();
            let index = *by_key.entry(key).or_insert_with(|| {
                entries.push(SourceEntry {
                    source: SourceView::of(source, language),
                    citations: Vec::new(),
                    first: position,
                });
                entries.len() - 1
            });
            entries[index].citations.push(Citation {
                title: event.title.clone(),
                date: DateView::of(&event.date, language),
                href: format!("{}#{}", Page::Event(event.slug.clone()).path(), note.id),
            });
        }
    }
    entries
}

/// The sources of one period of a split timeline: those first cited by its events.
pub struct PeriodSources<'p> {
    pub period: &'p Period,
    /// The number of the first entry in the whole list, so the numbering goes on across pages.
    pub start: usize,
    pub entries: Vec<SourceEntry>,
}

/// `entries` (in order of first citation) grouped by the period of their first citation:
/// when the timeline is split, so is the sources page, along the same lines. Periods whose
/// events cite nothing new are left out.
pub fn by_period<'p>(
    entries: Vec<SourceEntry>,
    periods: &'p [Period],
    events: usize,
) -> Vec<PeriodSources<'p>> {
    let period_of = super::periods::index_by_event(periods, events);
    let mut groups: Vec<PeriodSources> = Vec::new();
    for (number, entry) in (1..).zip(entries) {
        let p = period_of.get(entry.first).copied().flatten().unwrap_or(0);
        match groups.last_mut() {
            Some(group) if std::ptr::eq(group.period, &periods[p]) => group.entries.push(entry),
            _ => groups.push(PeriodSources {
                period: &periods[p],
                start: number,
                entries: vec![entry],
            }),
        }
    }
    groups
}
