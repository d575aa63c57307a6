//! The CSV export: one row per event the reader sees, for spreadsheets, and the format
//! `kroniek import` reads back, so that a chronology kept in a spreadsheet round-trips.
//!
//! The columns are fixed ([`COLUMNS`]; scripts rely on their names). Dates are written as the
//! author wrote them (`2024-06`, `2024-06-04T14:30+02:00`), lists as `a, b`, and the body as
//! Markdown written from the same prepared tree as every other output (so a public export holds
//! nothing of `::: internal` blocks and no link to a hidden event). Sources go in their own
//! column, one per line: `title | url | publisher | date | archive_url | id` (a `|` inside a
//! part is written `\|`), corrections as `date | note`. This module never decides visibility.

use super::Export;
use crate::diagnostics::Problem;
use crate::markdown::{self, PreparedContent};
use crate::model::{Event, Source};
use comrak::nodes::NodeValue;
use comrak::Arena;
use std::collections::HashSet;

/// The header row. `kroniek import` recognises a kroniek CSV file by it.
pub const COLUMNS: [&str; 14] = [
    "slug",
    "date",
    "end",
    "time",
    "title",
    "orgs",
    "tags",
    "major",
    "draft",
    "internal",
    "sources",
    "corrections",
    "updated",
    "body",
];

pub fn document(export: &Export) -> Result<String, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let write_failed = |e: ::csv::Error| panic!("writing CSV to memory cannot fail: {e}");
    writer.write_record(COLUMNS).unwrap_or_else(write_failed);
    for event in export.events {
        let (body, cited) = body(export, event, &mut problems);
        writer
            .write_record(row(event, &body, &cited))
            .unwrap_or_else(write_failed);
    }
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let bytes = writer.into_inner().expect("a Vec takes every byte");
    Ok(String::from_utf8(bytes).expect("the CSV writer writes the UTF-8 it is given"))
}

/// `cited`: the event's sources this reader sees cited (a register source that is only cited,
/// not listed, belongs in the row only then).
fn row(event: &Event, body: &str, cited: &HashSet<usize>) -> Vec<String> {
    let flag = |b: bool| if b { "true" } else { "false" }.to_string();
    vec![
        event.slug.clone(),
        event.date.iso(),
        event.end.as_ref().map(|e| e.iso()).unwrap_or_default(),
        event.time_label.clone().unwrap_or_default(),
        event.title.clone(),
        event.orgs.join(", "),
        event.tags.join(", "),
        flag(event.major),
        flag(event.draft),
        flag(event.internal),
        event
            .sources
            .iter()
            .enumerate()
            .filter(|(i, s)| !s.cited_only || cited.contains(i))
            .map(|(_, s)| source_line(s))
            .collect::<Vec<_>>()
            .join("\n"),
        event
            .corrections
            .iter()
            .map(|c| parts(&[c.date.iso(), c.note.clone().unwrap_or_default()]))
            .collect::<Vec<_>>()
            .join("\n"),
        event.updated.as_ref().map(|u| u.iso()).unwrap_or_default(),
        body.to_string(),
    ]
}

/// `title | url | publisher | date | archive_url | id`, without empty parts at the end.
pub fn source_line(source: &Source) -> String {
    parts(&[
        source.title.clone(),
        source.url.clone().unwrap_or_default(),
        source.publisher.clone().unwrap_or_default(),
        source.date.as_ref().map(|d| d.iso()).unwrap_or_default(),
        source.archive_url.clone().unwrap_or_default(),
        source.id.clone().unwrap_or_default(),
    ])
}

/// Parts joined by ` | `, each with its `|` escaped, empty parts at the end left off.
fn parts(parts: &[String]) -> String {
    let kept = parts.len() - parts.iter().rev().take_while(|p| p.is_empty()).count();
    parts[..kept]
        .iter()
        .map(|p| p.replace('\\', "\\\\").replace('|', "\\|"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The body as Markdown: the prepared tree written back by comrak's CommonMark writer. Sources
/// with an id are cited as `[^id]` where the author cited them; the markers kroniek adds for the
/// others are left out (the sources column has them); footnotes are written after the text.
/// Links stay as written (relative to `content/`).
fn body(export: &Export, event: &Event, problems: &mut Vec<Problem>) -> (String, HashSet<usize>) {
    let arena = Arena::new();
    let input = markdown::Input {
        link_root: "",
        heading_offset: 0,
        ..export.input(event, 0)
    };
    let prepared = markdown::prepare(&arena, &input, problems);
    let cited: HashSet<usize> = prepared
        .notes
        .iter()
        .filter_map(|n| match n.content {
            PreparedContent::Source(i) => Some(i),
            PreparedContent::Footnote(_) => None,
        })
        .collect();
    let mut footnotes = Vec::new();
    for note in &prepared.notes {
        let marker = match note.content {
            PreparedContent::Source(i) => match &event.sources[i].id {
                Some(id) if event.sources[i].cited_only || cited_inline(event, id) => {
                    format!("[^{id}]")
                }
                _ => String::new(),
            },
            PreparedContent::Footnote(doc) => {
                footnotes.push((note.number, doc));
                format!("[^{}]", note.number)
            }
        };
        for node in &note.markers {
            node.data_mut().value = NodeValue::Raw(marker.clone());
        }
    }
    let options = markdown::options(&event.slug);
    let mut out = commonmark(prepared.root, &options);
    for (number, doc) in footnotes {
        let text = commonmark(doc, &options);
        out.push_str(&format!(
            "\n[^{number}]: {}\n",
            text.trim().replace('\n', "\n    ")
        ));
    }
    (out.trim().to_string(), cited)
}

/// Whether the body cites the source `id` itself (`[^id]`), rather than kroniek adding its
/// marker after the text.
fn cited_inline(event: &Event, id: &str) -> bool {
    event.doc.body_text().contains(&format!("[^{id}]"))
}

fn commonmark<'a>(root: &'a comrak::nodes::AstNode<'a>, options: &comrak::Options) -> String {
    let mut out = String::new();
    let _ = comrak::format_commonmark(root, options, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_escape_bars_and_drop_empty_ends() {
        assert_eq!(
            parts(&["A | B".into(), "https://x.nl/".into(), String::new()]),
            "A \\| B | https://x.nl/"
        );
        assert_eq!(parts(&["a\\b".into()]), "a\\\\b");
        assert_eq!(parts(&[String::new(), "x".into()]), " | x");
    }
}
