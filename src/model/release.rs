//! Release records (`releases/N.json`): what the public was given in release N, as plain data.
//!
//! A record is written once by `kroniek release` and then committed with the site; kroniek only
//! reads it afterwards, to check that published events do not change silently and to show the
//! history of changes. The format is fixed here and must stay readable by later versions:
//! fields may be added, never renamed. This module must never compute a record (that is
//! `record`, which needs the public's view) and never write one.

use crate::diagnostics::Problem;
use crate::load::releases::ReleaseFile;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The version of the record format written in each record's `format`.
pub const FORMAT: u32 = 1;

/// One release: the public events and files of the site as published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub format: u32,
    pub number: u32,
    /// The day of the release in the site's time zone: corrections dated on or after it
    /// account for changes made since.
    pub date: NaiveDate,
    pub note: String,
    /// The address the release was built for (`--base-url` or the site's `base_url`): part of
    /// what its files hash to.
    pub base_url: Option<String>,
    /// Every event the public saw, in the timeline's order.
    pub events: Vec<ReleasedEvent>,
    /// Every public output file (path inside the output, `/`-separated) and its hash.
    pub files: BTreeMap<String, String>,
    /// Where the record is (`releases/N.json`) and its text, for messages.
    #[serde(skip)]
    pub file: PathBuf,
    #[serde(skip)]
    pub text: String,
}

/// One event as a release gave it to the public.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedEvent {
    pub slug: String,
    /// Relative to the site root (`events/<slug>/`).
    pub url: String,
    pub title: String,
    /// The hash of the parts below together: what changes when the event changes in substance.
    pub substance: String,
    pub parts: Parts,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub withdrawn: Option<ReleasedNote>,
    /// The corrections the event carried, oldest first.
    #[serde(default)]
    pub corrections: Vec<ReleasedNote>,
    /// The line of the record that names the event, for messages.
    #[serde(skip)]
    pub line: usize,
}

/// The hash of each part of an event's substance, so that a message can say what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parts {
    pub title: String,
    pub dates: String,
    pub organisations: String,
    pub body: String,
    pub sources: String,
}

/// A dated note as a record keeps it: a correction or a withdrawal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedNote {
    /// As the site shows it in machine-readable form (`2024-06-07`, `2024-06-07T14:30:00+02:00`).
    pub date: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Reads the records; a record that cannot be read is an error at its line and column, and
/// the numbers must run 1, 2, 3… without a gap (a missing record would hide a release).
pub fn parse(files: &[ReleaseFile], problems: &mut Vec<Problem>) -> Vec<Release> {
    let mut releases = Vec::new();
    for (expected, file) in (1..).zip(files) {
        if file.number != expected {
            problems.push(
                Problem::file_error(
                    &file.file,
                    "release-missing",
                    format!(
                        "release {expected} is missing: releases/ holds {} but not {expected}.json",
                        file.file.display()
                    ),
                )
                .with_hint(format!(
                    "restore releases/{expected}.json from version control; records are never removed"
                )),
            );
            return releases;
        }
        match read(file) {
            Ok(release) => releases.push(release),
            Err(problem) => {
                problems.push(*problem);
                return releases;
            }
        }
    }
    releases
}

fn read(file: &ReleaseFile) -> Result<Release, Box<Problem>> {
    let mut release: Release = serde_json::from_str(&file.text).map_err(|err| {
        let mut problem = Problem::file_error(
            &file.file,
            "release-record",
            format!("cannot read this release record: {err}"),
        )
        .with_hint("release records are written by `kroniek release`; restore this one from version control");
        problem.line = err.line().max(1);
        problem.column = err.column().max(1);
        problem.span = 1;
        problem.source_line = file.text.lines().nth(problem.line - 1).map(str::to_string);
        Box::new(problem)
    })?;
    if release.number != file.number {
        return Err(Box::new(
            Problem::file_error(
                &file.file,
                "release-record",
                format!(
                    "this record says it is release {}, but its name says {}",
                    release.number, file.number
                ),
            )
            .with_hint("restore the record from version control"),
        ));
    }
    release.file = file.file.clone();
    release.text = file.text.clone();
    let mut lines = slug_lines(&file.text);
    for event in &mut release.events {
        event.line = lines.remove(event.slug.as_str()).unwrap_or(1);
    }
    Ok(release)
}

/// The line on which each `"slug": "…"` is written.
fn slug_lines(text: &str) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (number, line) in (1..).zip(text.lines()) {
        let Some(rest) = line.trim_start().strip_prefix("\"slug\":") else {
            continue;
        };
        if let Ok(slug) = serde_json::from_str::<String>(rest.trim().trim_end_matches(',')) {
            lines.entry(slug).or_insert(number);
        }
    }
    lines
}

impl Release {
    /// The record as `kroniek release` writes it: pretty JSON, one field a line, so that a
    /// diff between two records reads well in version control.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).expect("a release serialises");
        json.push('\n');
        json
    }

    /// The event released under `slug`.
    pub fn event(&self, slug: &str) -> Option<&ReleasedEvent> {
        self.events.iter().find(|e| e.slug == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn record(number: u32, events: &[&str]) -> Release {
        Release {
            format: FORMAT,
            number,
            date: NaiveDate::from_ymd_opt(2024, 6, 10).unwrap(),
            note: "Letter to parliament".into(),
            base_url: None,
            events: events
                .iter()
                .map(|slug| ReleasedEvent {
                    slug: slug.to_string(),
                    url: format!("events/{slug}/"),
                    title: slug.to_string(),
                    substance: "sha256:00".into(),
                    parts: Parts {
                        title: "a".into(),
                        dates: "b".into(),
                        organisations: "c".into(),
                        body: "d".into(),
                        sources: "e".into(),
                    },
                    aliases: vec![],
                    withdrawn: None,
                    corrections: vec![],
                    line: 0,
                })
                .collect(),
            files: BTreeMap::from([("index.html".into(), "sha256:11".into())]),
            file: PathBuf::new(),
            text: String::new(),
        }
    }

    fn file(number: u32, text: String) -> ReleaseFile {
        ReleaseFile {
            number,
            file: Path::new("releases").join(format!("{number}.json")),
            text,
        }
    }

    #[test]
    fn a_record_reads_back_as_written_and_knows_its_lines() {
        let written = record(1, &["a", "b"]);
        let mut problems = Vec::new();
        let read = parse(&[file(1, written.to_json())], &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(read[0].events.len(), 2);
        assert_eq!(read[0].file, Path::new("releases/1.json"));
        let line_of_b = written
            .to_json()
            .lines()
            .position(|l| l.contains("\"slug\": \"b\""))
            .unwrap()
            + 1;
        assert_eq!(read[0].events[1].line, line_of_b);
        let mut again = read[0].clone();
        again.file = PathBuf::new();
        again.text = String::new();
        for e in &mut again.events {
            e.line = 0;
        }
        assert_eq!(again, written);
    }

    #[test]
    fn a_gap_in_the_numbers_is_an_error() {
        let mut problems = Vec::new();
        let read = parse(
            &[
                file(1, record(1, &["a"]).to_json()),
                file(3, record(3, &["a"]).to_json()),
            ],
            &mut problems,
        );
        assert_eq!(read.len(), 1);
        assert_eq!(problems[0].code, "release-missing");
        assert_eq!(
            problems[0].message,
            "release 2 is missing: releases/ holds releases/3.json but not 2.json"
        );
    }

    #[test]
    fn a_broken_record_is_an_error_at_its_line_and_column() {
        let mut problems = Vec::new();
        let text = "{\n  \"format\": 1,\n  \"number\": x\n}\n".to_string();
        parse(&[file(1, text)], &mut problems);
        assert_eq!(problems[0].code, "release-record");
        assert_eq!((problems[0].line, problems[0].column), (3, 13));
    }

    #[test]
    fn a_record_under_another_number_is_an_error() {
        let mut problems = Vec::new();
        parse(&[file(1, record(2, &[]).to_json())], &mut problems);
        assert_eq!(
            problems[0].message,
            "this record says it is release 2, but its name says 1"
        );
    }
}
