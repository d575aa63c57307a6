//! `timeline.json`: the whole timeline as data, for other tools (and `kroniek export json`).
//!
//! The schema is versioned and documented in the README. It has every public field of every
//! event and organisation the audience sees, with the rendered HTML, and nothing else: it is
//! built from the same audience-filtered event list as the pages.

use super::Rendered;
use crate::audience::Audience;
use crate::markdown::{Body, Note, NoteContent};
use crate::model::{Event, EventDate, Precision, Source, Timeline};
use crate::record::Changes;
use crate::urls::Page;
use serde::Serialize;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
pub const VERSION: u32 = 1;

/// Everything in `timeline.json` except the events.
#[derive(Serialize)]
pub struct Header<'a> {
    pub version: u32,
    /// The site's title; for internal readers marked as such ("INTERN: …").
    pub title: String,
    pub description: Option<&'a str>,
    pub language: &'static str,
    pub timezone: &'a str,
    pub base_url: Option<&'a str>,
    /// The intro (the body of `_index.md`) as HTML, and its footnotes: text the site shows
    /// above the timeline, which a tool reading the data should not lose.
    pub intro_html: &'a str,
    pub intro_notes: Vec<DataNote<'a>>,
    pub organisations: Vec<DataOrganisation<'a>>,
    /// The public record: every release (`kroniek release`) with its date, note and the events
    /// it added, changed, withdrew and moved, oldest first; empty before the first release.
    pub releases: Vec<&'a Changes>,
    /// What changed since the latest release and is not recorded yet (public output only).
    pub unreleased: Option<&'a Changes>,
}

#[derive(Serialize)]
pub struct DataOrganisation<'a> {
    pub key: &'a str,
    pub name: &'a str,
    pub short: &'a str,
    pub url: Option<&'a str>,
    pub color: &'a str,
    pub event_count: usize,
}

#[derive(Serialize)]
pub struct DataDate {
    /// As precise as written: `2024`, `2024-06`, `2024-06-04`, `2024-06-04T14:30+02:00`.
    pub value: String,
    pub precision: Precision,
    /// RFC 3339 instant at which the period starts (local midnight for a day).
    pub start: String,
}

impl DataDate {
    fn of(date: &EventDate) -> DataDate {
        DataDate {
            value: date.iso(),
            precision: date.precision,
            start: date.rfc3339(),
        }
    }
}

#[derive(Serialize)]
pub struct DataEvent<'a> {
    pub slug: &'a str,
    /// The event's page, relative to the site root.
    pub url: String,
    pub title: &'a str,
    pub date: DataDate,
    pub end: Option<DataDate>,
    pub time_label: Option<&'a str>,
    pub orgs: &'a [String],
    pub tags: &'a [String],
    pub major: bool,
    pub draft: bool,
    pub internal: bool,
    /// The body as HTML, with note markers linking to `#<note id>`.
    pub body_html: &'a str,
    /// Footnotes and sources in number order.
    pub notes: Vec<DataNote<'a>>,
    pub corrections: Vec<DataCorrection<'a>>,
    pub updated: Option<DataDate>,
}

#[derive(Serialize)]
pub struct DataNote<'a> {
    pub number: usize,
    pub id: &'a str,
    /// `footnote` (written in the body) or `source`.
    pub kind: &'static str,
    pub html: Option<&'a str>,
    pub source: Option<DataSource<'a>>,
    /// A footnote written inside an `::: internal` block (internal output only); absent when
    /// false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal: bool,
}

#[derive(Serialize)]
pub struct DataSource<'a> {
    pub id: Option<&'a str>,
    pub title: &'a str,
    pub publisher: Option<&'a str>,
    pub url: Option<&'a str>,
    pub date: Option<DataDate>,
    pub archive_url: Option<&'a str>,
}

impl<'a> DataSource<'a> {
    fn of(source: &'a Source) -> DataSource<'a> {
        DataSource {
            id: source.id.as_deref(),
            title: &source.title,
            publisher: source.publisher.as_deref(),
            url: source.url.as_deref(),
            date: source.date.as_ref().map(DataDate::of),
            archive_url: source.archive_url.as_deref(),
        }
    }
}

#[derive(Serialize)]
pub struct DataCorrection<'a> {
    pub date: DataDate,
    pub note: Option<&'a str>,
}

/// The document's fields other than the events, for `events` (already filtered).
pub fn header<'a>(
    timeline: &'a Timeline,
    events: &[&'a Event],
    intro: &'a Body,
    base_url: Option<&'a str>,
    audience: Audience,
    history: &'a [Changes],
) -> Header<'a> {
    let site = &timeline.site;
    Header {
        version: VERSION,
        title: crate::i18n::output_title(
            &site.title,
            audience.sees_internal_notes(),
            site.language,
        ),
        description: site.description.as_deref(),
        language: site.language.code(),
        timezone: site.timezone.name(),
        base_url,
        intro_html: &intro.html,
        intro_notes: notes(&intro.notes, &[]),
        organisations: site
            .organisations
            .iter()
            .map(|o| DataOrganisation {
                key: &o.key,
                name: &o.name,
                short: &o.short,
                url: o.url.as_deref(),
                color: &o.color,
                event_count: events.iter().filter(|e| e.orgs.contains(&o.key)).count(),
            })
            .collect(),
        releases: history.iter().filter(|c| c.number.is_some()).collect(),
        unreleased: history.iter().find(|c| c.number.is_none()),
    }
}

/// One event as compact JSON: a line of the document.
pub fn event_json(event: &Event, body: &Rendered) -> String {
    serde_json::to_string(&self::event(event, body)).unwrap_or_default()
}

/// The whole document: the header's fields, then `"events"` with one event per line, so that a
/// change to one event is a change to one line.
pub fn document(header: &Header, events: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_document(header, events, &mut out);
    out
}

/// [`document`], written piece by piece.
pub fn write_document(
    header: &Header,
    events: &[String],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_head(header, out)?;
    write_events(events, true, out)?;
    write_tail(events.is_empty(), out)
}

/// The document up to its list of events: the build streams the events after it in chunks.
pub fn write_head(header: &Header, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let head = serde_json::to_string_pretty(header).unwrap_or_else(|_| "{}".into());
    // Reopen the object to add the events.
    let head = head.trim_end();
    out.write_all(head[..head.len() - 1].trim_end().as_bytes())?;
    out.write_all(b",\n  \"events\": [")
}

/// Events of the list (each from [`event_json`]); `first` when they start it.
pub fn write_events(
    events: &[String],
    first: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    for (i, event) in events.iter().enumerate() {
        out.write_all(if first && i == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        out.write_all(event.as_bytes())?;
    }
    Ok(())
}

/// The end of the document; `empty` when it has no events.
pub fn write_tail(empty: bool, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(if empty { b"]\n}\n" } else { b"\n  ]\n}\n" })
}

/// Footnotes and sources in number order; `sources` are those the notes refer to.
fn notes<'a>(notes: &'a [Note], sources: &'a [Source]) -> Vec<DataNote<'a>> {
    notes
        .iter()
        .map(|n| match &n.content {
            NoteContent::Footnote(html) => DataNote {
                number: n.number,
                id: &n.id,
                kind: "footnote",
                html: Some(html),
                source: None,
                internal: n.internal,
            },
            NoteContent::Source(i) => DataNote {
                number: n.number,
                id: &n.id,
                kind: "source",
                html: None,
                source: sources.get(*i).map(DataSource::of),
                internal: false,
            },
        })
        .collect()
}

fn event<'a>(event: &'a Event, body: &'a Rendered) -> DataEvent<'a> {
    DataEvent {
        slug: &event.slug,
        url: Page::Event(event.slug.clone()).pretty(),
        title: &event.title,
        date: DataDate::of(&event.date),
        end: event.end.as_ref().map(DataDate::of),
        time_label: event.time_label.as_deref(),
        orgs: &event.orgs,
        tags: &event.tags,
        major: event.major,
        draft: event.draft,
        internal: event.internal,
        body_html: &body.list.html,
        notes: notes(&body.list.notes, &event.sources),
        corrections: event
            .corrections
            .iter()
            .map(|c| DataCorrection {
                date: DataDate::of(&c.date),
                note: c.note.as_deref(),
            })
            .collect(),
        updated: event.updated.as_ref().map(DataDate::of),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_is_valid_json_with_one_event_per_line() {
        let header = Header {
            version: VERSION,
            title: "T".to_string(),
            description: None,
            language: "en",
            timezone: "UTC",
            base_url: None,
            intro_html: "",
            intro_notes: vec![],
            organisations: vec![],
            releases: vec![],
            unreleased: None,
        };
        let bytes = document(
            &header,
            &["{\"slug\":\"a\"}".into(), "{\"slug\":\"b\"}".into()],
        );
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["events"][1]["slug"], "b");
        assert_eq!(value["version"], 1);
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains("\n    {\"slug\":\"a\"},\n    {\"slug\":\"b\"}\n  ]\n}\n"),
            "{text}"
        );
        let empty: serde_json::Value = serde_json::from_slice(&document(&header, &[])).unwrap();
        assert_eq!(empty["events"], serde_json::json!([]));
    }
}
