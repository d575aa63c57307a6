//! The site-wide sources page: every distinct source once, with links to what cites it.

use super::view::{DateView, SourceView};
use super::Rendered;
use crate::markdown::NoteContent;
use crate::model::{Event, Language};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
pub struct SourceEntry {
    pub source: SourceView,
    pub citations: Vec<Citation>,
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
    for (event, body) in events.iter().zip(bodies) {
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
                });
                entries.len() - 1
            });
            entries[index].citations.push(Citation {
                title: event.title.clone(),
                date: DateView::of(&event.date, language),
                href: format!("events/{}/index.html#{}", event.slug, note.id),
            });
        }
    }
    entries
}
