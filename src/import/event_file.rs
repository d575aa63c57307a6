//! The event file an imported row becomes: front matter with only the fields the row has, in
//! the order the README lists them, every text quoted so that YAML reads it back as written,
//! and the body as it came.

use super::{org_key, Row};
use crate::authoring::{plain_or_quoted, quoted};
use crate::model::Timeline;
use std::fmt::Write as _;

pub fn text(row: &Row, timeline: &Timeline) -> String {
    let mut out = String::from("---\n");
    let mut line = |key: &str, value: &str| {
        let _ = writeln!(out, "{key}: {value}");
    };
    line("title", &quoted(row.title.trim()));
    line("date", &quoted(row.date.text.trim()));
    if let Some(time) = &row.time {
        line("time", &quoted(time));
    }
    if let Some(end) = &row.end {
        line("end", &quoted(end.text.trim()));
    }
    let orgs: Vec<String> = row
        .orgs
        .iter()
        .filter_map(|o| org_key(&o.text, timeline))
        .map(plain_or_quoted)
        .collect();
    if !orgs.is_empty() {
        line("orgs", &format!("[{}]", orgs.join(", ")));
    }
    if !row.tags.is_empty() {
        let tags: Vec<String> = row.tags.iter().map(|t| quoted(t)).collect();
        line("tags", &format!("[{}]", tags.join(", ")));
    }
    for (key, set) in [
        ("major", row.major),
        ("draft", row.draft),
        ("internal", row.internal),
    ] {
        if set {
            line(key, "true");
        }
    }
    if let Some(updated) = &row.updated {
        line("updated", &quoted(updated.text.trim()));
    }
    if !row.sources.is_empty() {
        out.push_str("sources:\n");
        for source in &row.sources {
            let _ = writeln!(out, "  - title: {}", quoted(&source.title));
            let parts = [
                ("url", &source.url),
                ("publisher", &source.publisher),
                ("date", &source.date),
                ("archive_url", &source.archive_url),
                ("id", &source.id),
            ];
            for (key, value) in parts {
                if let Some(value) = value {
                    let _ = writeln!(out, "    {key}: {}", quoted(value));
                }
            }
        }
    }
    if !row.corrections.is_empty() {
        out.push_str("corrections:\n");
        for (date, note) in &row.corrections {
            let _ = writeln!(out, "  - date: {}", quoted(date.text.trim()));
            if !note.is_empty() {
                let _ = writeln!(out, "    note: {}", quoted(note));
            }
        }
    }
    out.push_str("---\n");
    let body = row.body.trim();
    if !body.is_empty() {
        out.push_str(body);
        out.push('\n');
    }
    out
}
