//! CSV files: kroniek's own export (known by its header, see `export::CSV_COLUMNS`) and
//! TimelineJS's Google-Sheets template saved as CSV (known by its `Year` and `Headline`
//! columns). Columns are found by their header, in any order; a header that is neither is an
//! error naming the columns expected.

use super::timelinejs::{html_to_markdown, html_to_text, timelinejs_date};
use super::{Field, Row, RowSource};
use crate::diagnostics::Problem;
use std::collections::HashMap;
use std::path::Path;

pub fn rows(file: &Path, bytes: &[u8], problems: &mut Vec<Problem>) -> Vec<Row> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|h| h.trim().to_string()).collect(),
        Err(err) => {
            problems.push(csv_problem(file, &err));
            return Vec::new();
        }
    };
    let columns = Columns::of(&header);
    let kind = if columns.has("slug") && columns.has("date") && columns.has("title") {
        Kind::Kroniek
    } else if columns.has("year") && columns.has("headline") {
        Kind::TimelineJs
    } else {
        let mut problem = Problem::file_error(
            file,
            "unknown-columns",
            "the header row is neither kroniek's CSV nor TimelineJS's template",
        )
        .with_hint(format!(
            "kroniek's columns are {}; TimelineJS's include Year, Month, Day, Time, Headline, Text, Group",
            crate::export::CSV_COLUMNS.join(", ")
        ));
        problem.line = 1;
        problem.column = 1;
        problems.push(problem);
        return Vec::new();
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                problems.push(csv_problem(file, &err));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cells = Cells {
            record: &record,
            columns: &columns,
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let row = match kind {
            Kind::Kroniek => kroniek_row(file, line, &cells, problems),
            Kind::TimelineJs => timelinejs_row(file, line, &cells, problems),
        };
        rows.extend(row);
    }
    rows
}

enum Kind {
    Kroniek,
    TimelineJs,
}

/// Header names (lowercase) to their 0-based index.
struct Columns(HashMap<String, usize>);

impl Columns {
    fn of(header: &[String]) -> Columns {
        Columns(
            header
                .iter()
                .enumerate()
                .map(|(i, h)| (h.to_lowercase(), i))
                .collect(),
        )
    }

    fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

struct Cells<'a> {
    record: &'a ::csv::StringRecord,
    columns: &'a Columns,
}

impl Cells<'_> {
    /// The cell of column `name` (its header, lowercase), trimmed; empty when missing.
    fn text(&self, name: &str) -> String {
        self.columns
            .0
            .get(name)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
            .trim()
            .to_string()
    }

    fn field(&self, name: &'static str) -> Field {
        Field {
            text: self.text(name),
            column: self.columns.0.get(name).map_or(0, |i| i + 1),
            name,
        }
    }

    fn optional(&self, name: &'static str) -> Option<Field> {
        Some(self.field(name)).filter(|f| !f.text.is_empty())
    }

    fn list(&self, name: &'static str) -> Vec<Field> {
        let column = self.field(name);
        column
            .text
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Field {
                text: t.to_string(),
                ..column.clone()
            })
            .collect()
    }
}

fn kroniek_row(
    file: &Path,
    line: usize,
    cells: &Cells,
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    let mut row = Row {
        line: Some(line),
        place: format!("row {line}"),
        slug: Some(cells.text("slug")).filter(|s| !s.is_empty()),
        date: cells.field("date"),
        end: cells.optional("end"),
        time: Some(cells.text("time")).filter(|t| !t.is_empty()),
        title: cells.text("title"),
        orgs: cells.list("orgs"),
        tags: cells.list("tags").into_iter().map(|f| f.text).collect(),
        updated: cells.optional("updated"),
        body: cells.text("body"),
        ..Row::default()
    };
    for name in ["major", "draft", "internal"] {
        let field = cells.field(name);
        let set = match field.text.as_str() {
            "" | "false" => false,
            "true" => true,
            // Never "not a draft" by accident: the same rule as front matter.
            other => {
                problems.push(super::row_error(
                    file,
                    &row,
                    Some(&field),
                    "invalid-field",
                    format!("`{name}` must be `true` or `false`, found `{other}`"),
                ));
                false
            }
        };
        match name {
            "major" => row.major = set,
            "draft" => row.draft = set,
            _ => row.internal = set,
        }
    }
    let sources = cells.field("sources");
    for part_line in sources.text.lines().filter(|l| !l.trim().is_empty()) {
        let parts = split_parts(part_line);
        let part = |i: usize| parts.get(i).cloned().filter(|p| !p.is_empty());
        row.sources.push(RowSource {
            title: part(0).unwrap_or_default(),
            url: part(1),
            publisher: part(2),
            date: part(3),
            archive_url: part(4),
            id: part(5),
            column: sources.column,
        });
    }
    let corrections = cells.field("corrections");
    for part_line in corrections.text.lines().filter(|l| !l.trim().is_empty()) {
        let parts = split_parts(part_line);
        let date = Field {
            text: parts.first().cloned().unwrap_or_default(),
            ..corrections.clone()
        };
        row.corrections
            .push((date, parts.get(1).cloned().unwrap_or_default()));
    }
    Some(row)
}

/// `a | b \| c` -> `["a", "b | c"]`: the parts of a source or correction line, trimmed.
pub fn split_parts(line: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    parts.last_mut().unwrap().push(next);
                }
            }
            '|' => parts.push(String::new()),
            c => parts.last_mut().unwrap().push(c),
        }
    }
    parts.iter().map(|p| p.trim().to_string()).collect()
}

fn timelinejs_row(
    file: &Path,
    line: usize,
    cells: &Cells,
    problems: &mut Vec<Problem>,
) -> Option<Row> {
    let place = format!("row {line}");
    let kind = cells.text("type").to_lowercase();
    if kind == "title" || kind == "era" {
        let mut note = Problem::file_error(
            file,
            "not-imported",
            format!("{place}: a TimelineJS {kind} slide is not an event and is left out"),
        )
        .warning();
        if kind == "title" {
            note = note.with_hint("put its text in content/_index.md, above the timeline");
        }
        note.line = line;
        note.column = 1;
        problems.push(note);
        return None;
    }
    let year = cells.field("year");
    let date = |prefix: &str| {
        let part = |name: &str| cells.text(&format!("{prefix}{name}"));
        timelinejs_date(&part("year"), &part("month"), &part("day"), &part("time"))
    };
    let mut row = Row {
        line: Some(line),
        place,
        title: html_to_text(&cells.text("headline")),
        body: html_to_markdown(&cells.text("text")),
        ..Row::default()
    };
    match date("") {
        Ok(text) => {
            row.date = Field {
                text,
                ..year.clone()
            }
        }
        Err(why) => {
            problems.push(super::row_error(
                file,
                &row,
                Some(&year),
                "invalid-date",
                why,
            ));
            return None;
        }
    }
    if !cells.text("end year").is_empty() {
        let end_year = cells.field("end year");
        match date("end ") {
            Ok(text) => row.end = Some(Field { text, ..end_year }),
            Err(why) => problems.push(super::row_error(
                file,
                &row,
                Some(&end_year),
                "invalid-date",
                why,
            )),
        }
    }
    if let Some(group) = cells.optional("group") {
        row.orgs.push(group);
    }
    let media = cells.text("media");
    if crate::model::is_web_url(&media) {
        let title = [cells.text("media caption"), cells.text("media credit")]
            .into_iter()
            .map(|t| html_to_text(&t))
            .find(|t| !t.is_empty())
            .unwrap_or_else(|| media.clone());
        row.sources.push(RowSource {
            title,
            url: Some(media),
            column: cells.field("media").column,
            ..RowSource::default()
        });
    }
    Some(row)
}

fn csv_problem(file: &Path, err: &::csv::Error) -> Problem {
    let mut problem =
        Problem::file_error(file, "invalid-csv", format!("not readable as CSV: {err}"))
            .with_hint("save the sheet as CSV (UTF-8, comma-separated)");
    if let Some(position) = err.position() {
        problem.line = position.line() as usize;
        problem.column = 1;
    }
    problem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_on_bars_that_are_not_escaped() {
        assert_eq!(split_parts("a | b \\| c |"), vec!["a", "b | c", ""]);
        assert_eq!(split_parts("back\\\\slash"), vec!["back\\slash"]);
    }
}
