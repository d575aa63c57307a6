//! TimelineJS3 JSON (`{"title": …, "events": [slide, …]}`), and what TimelineJS's CSV template
//! shares with it: dates in parts, text in HTML.
//!
//! A slide's HTML becomes Markdown (htmd); kroniek's own TimelineJS export is recognised by its
//! markup, so that its date line is dropped and its numbered notes become sources again. The
//! title slide and eras are not events and are left out with a warning.

use super::{Field, Row, RowSource};
use crate::diagnostics::Problem;
use serde_json::Value;
use std::path::Path;

pub fn rows(file: &Path, bytes: &[u8], problems: &mut Vec<Problem>) -> Vec<Row> {
    let json: Value = match serde_json::from_slice(bytes) {
        Ok(json) => json,
        Err(err) => {
            let mut problem =
                Problem::file_error(file, "invalid-json", format!("not readable as JSON: {err}"));
            problem.line = err.line();
            problem.column = err.column();
            problems.push(problem);
            return Vec::new();
        }
    };
    let Some(events) = json.get("events").and_then(Value::as_array) else {
        problems.push(
            Problem::file_error(file, "invalid-json", "no `events` list: not a TimelineJS file")
                .with_hint("TimelineJS JSON is `{\"title\": {…}, \"events\": [{\"start_date\": {…}, \"text\": {…}}]}`"),
        );
        return Vec::new();
    };
    for (what, present) in [
        ("title slide", json.get("title").is_some()),
        (
            "eras",
            json.get("eras")
                .is_some_and(|e| e.as_array().is_some_and(|a| !a.is_empty())),
        ),
    ] {
        if present {
            problems.push(
                Problem::file_error(
                    file,
                    "not-imported",
                    format!("the {what} is not an event and is left out"),
                )
                .warning(),
            );
        }
    }
    events
        .iter()
        .enumerate()
        .filter_map(|(i, slide)| row(file, i, slide, problems))
        .collect()
}

fn row(file: &Path, index: usize, slide: &Value, problems: &mut Vec<Problem>) -> Option<Row> {
    let place = format!("events[{index}]");
    let text = |path: &[&str]| {
        let mut value = slide;
        for key in path {
            value = value.get(key)?;
        }
        match value {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let date = |key: &str| {
        let part = |name: &str| text(&[key, name]).unwrap_or_default();
        let time = match (part("hour"), part("minute"), part("second")) {
            (h, _, _) if h.is_empty() => String::new(),
            (h, m, s) if s.is_empty() => {
                format!("{h}:{}", if m.is_empty() { "0".into() } else { m })
            }
            (h, m, s) => format!("{h}:{m}:{s}"),
        };
        timelinejs_date(&part("year"), &part("month"), &part("day"), &time)
    };
    let mut row = Row {
        place: place.clone(),
        slug: text(&["unique_id"]).filter(|id| crate::model::is_slug(id)),
        title: html_to_text(&text(&["text", "headline"]).unwrap_or_default()),
        ..Row::default()
    };
    let field = |text: String, name: &'static str| Field {
        text,
        column: 0,
        name,
    };
    match date("start_date") {
        Ok(text) => row.date = field(text, "start_date"),
        Err(why) => {
            problems.push(super::row_error(
                file,
                &row,
                None,
                "invalid-date",
                format!("`start_date`: {why}"),
            ));
            return None;
        }
    }
    if slide.get("end_date").is_some() {
        match date("end_date") {
            Ok(text) => row.end = Some(field(text, "end_date")),
            Err(why) => problems.push(super::row_error(
                file,
                &row,
                None,
                "invalid-date",
                format!("`end_date`: {why}"),
            )),
        }
    }
    if let Some(group) = text(&["group"]).filter(|g| !g.is_empty()) {
        row.orgs.push(field(group, "group"));
    }
    let html = text(&["text", "text"]).unwrap_or_default();
    let (html, notes) = kroniek_parts(&html);
    row.body = html_to_markdown(&html);
    row.sources = notes.iter().map(|note| note_source(note)).collect();
    if !row.sources.is_empty() {
        row.body = cite_notes(&row.body);
        for (i, source) in row.sources.iter_mut().enumerate() {
            source.id = Some(format!("note-{}", i + 1));
        }
    }
    if let Some(url) = text(&["media", "url"]).filter(|u| crate::model::is_web_url(u)) {
        let title = [text(&["media", "caption"]), text(&["media", "credit"])]
            .into_iter()
            .flatten()
            .map(|t| html_to_text(&t))
            .find(|t| !t.is_empty())
            .unwrap_or_else(|| url.clone());
        row.sources.push(RowSource {
            title,
            url: Some(url),
            ..RowSource::default()
        });
    }
    Some(row)
}

/// kroniek's own slides start with a `<p class="kroniek-when">` date line, end with
/// `<ol class="kroniek-notes">` and `<p class="kroniek-correction">` lines: the text without
/// them, and the notes' items.
fn kroniek_parts(html: &str) -> (String, Vec<String>) {
    let mut text = html.to_string();
    for class in ["kroniek-when", "kroniek-correction"] {
        let open = format!("<p class=\"{class}\">");
        while let Some(start) = text.find(&open) {
            let end = text[start..]
                .find("</p>")
                .map_or(text.len(), |i| start + i + 4);
            text.replace_range(start..end, "");
        }
    }
    let Some(start) = text.find("<ol class=\"kroniek-notes\">") else {
        return (text, Vec::new());
    };
    let end = text[start..]
        .find("</ol>")
        .map_or(text.len(), |i| start + i + 5);
    let notes = text[start..end]
        .split("<li")
        .skip(1)
        .map(|item| {
            let inner = item.split_once('>').map_or(item, |(_, rest)| rest);
            inner.split("</li>").next().unwrap_or("").to_string()
        })
        .collect();
    text.replace_range(start..end, "");
    (text, notes)
}

/// kroniek's note markers, which come back from HTML as `[2](#slug.fn2)`, as citations of the
/// sources made from its notes: `[^note-2]`.
fn cite_notes(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let candidate = &rest[start..];
        let marker = candidate[1..]
            .split_once("](#")
            .and_then(|(number, after)| {
                let (target, _) = after.split_once(')')?;
                let ok = !number.is_empty()
                    && number.bytes().all(|b| b.is_ascii_digit())
                    && target.ends_with(&format!(".fn{number}"));
                ok.then(|| (number, number.len() + 4 + target.len() + 1))
            });
        match marker {
            Some((number, length)) => {
                out.push_str(&format!("[^note-{number}]"));
                rest = &candidate[length..];
            }
            None => {
                out.push('[');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A note of kroniek's list as a source: its first link is the title and URL, the text after
/// it the publisher.
fn note_source(note: &str) -> RowSource {
    let markdown = html_to_markdown(note);
    if let Some(rest) = markdown.strip_prefix('[') {
        if let Some((title, after)) = rest.split_once("](") {
            if let Some((url, details)) = after.split_once(')') {
                let publisher = details
                    .trim_start_matches(',')
                    .split(',')
                    .next()
                    .map(str::trim)
                    .filter(|p| !p.is_empty() && !p.starts_with('('))
                    .map(str::to_string);
                return RowSource {
                    title: title.to_string(),
                    url: Some(url.trim_matches(['<', '>']).to_string()),
                    publisher,
                    ..RowSource::default()
                };
            }
        }
    }
    RowSource {
        title: html_to_text(note),
        ..RowSource::default()
    }
}

/// TimelineJS's date parts as a kroniek date: `2024`, `2024-06`, `2024-06-04`,
/// `2024-06-04T14:30`. The time is `14:30`, `14:30:05` or `2:30 PM`.
pub fn timelinejs_date(year: &str, month: &str, day: &str, time: &str) -> Result<String, String> {
    let number = |text: &str, what: &str, max: u32| -> Result<Option<u32>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) || (what == "year" && n <= 9999) => Ok(Some(n)),
            _ => Err(format!("`{text}` is not a {what}")),
        }
    };
    let Some(year) = number(year, "year", 9999)? else {
        return Err("the year is missing".into());
    };
    let mut out = format!("{year:04}");
    let Some(month) = number(month, "month", 12)? else {
        return Ok(out);
    };
    out.push_str(&format!("-{month:02}"));
    let Some(day) = number(day, "day", 31)? else {
        return Ok(out);
    };
    out.push_str(&format!("-{day:02}"));
    if !time.trim().is_empty() {
        out.push('T');
        out.push_str(&clock(time)?);
    }
    Ok(out)
}

/// `14:30` -> `14:30`; `2:30 pm` -> `14:30`; `9:05:30` -> `09:05:30`.
fn clock(time: &str) -> Result<String, String> {
    let lower = time.trim().to_lowercase();
    let (clock, meridiem) = match lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p.m."))
    {
        Some(rest) => (rest.trim(), Some(12)),
        None => match lower
            .strip_suffix("am")
            .or_else(|| lower.strip_suffix("a.m."))
        {
            Some(rest) => (rest.trim(), Some(0)),
            None => (lower.as_str(), None),
        },
    };
    let bad = || format!("`{time}` is not a time: write `14:30`");
    let parts: Vec<u32> = clock
        .split(':')
        .map(|p| p.parse::<u32>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let (mut hour, minute, second) = match parts[..] {
        [h] => (h, 0, None),
        [h, m] => (h, m, None),
        [h, m, s] => (h, m, Some(s)),
        _ => return Err(bad()),
    };
    if let Some(offset) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(bad());
        }
        hour = hour % 12 + offset;
    }
    if hour > 23 || minute > 59 || second.is_some_and(|s| s > 59) {
        return Err(bad());
    }
    Ok(match second {
        Some(s) => format!("{hour:02}:{minute:02}:{s:02}"),
        None => format!("{hour:02}:{minute:02}"),
    })
}

/// A slide's HTML as Markdown, as kroniek's body.
pub fn html_to_markdown(html: &str) -> String {
    if html.trim().is_empty() {
        return String::new();
    }
    htmd::convert(html)
        .unwrap_or_else(|_| html_to_text(html))
        .trim()
        .to_string()
}

/// A headline's HTML as one line of text: tags left out, entities read.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_parts() {
        assert_eq!(timelinejs_date("2011", "", "", ""), Ok("2011".into()));
        assert_eq!(timelinejs_date("2011", "8", "", ""), Ok("2011-08".into()));
        assert_eq!(
            timelinejs_date("2011", "8", "29", "2:30 PM"),
            Ok("2011-08-29T14:30".into())
        );
        assert_eq!(
            timelinejs_date("2011", "08", "29", "9:05:30"),
            Ok("2011-08-29T09:05:30".into())
        );
        assert_eq!(
            timelinejs_date("2011", "13", "", ""),
            Err("`13` is not a month".into())
        );
        assert_eq!(
            timelinejs_date("", "1", "", ""),
            Err("the year is missing".into())
        );
        assert_eq!(
            timelinejs_date("2011", "1", "1", "25:00"),
            Err("`25:00` is not a time: write `14:30`".into())
        );
    }

    #[test]
    fn html_becomes_text_and_markdown() {
        assert_eq!(
            html_to_text("<b>Q&amp;A</b> with  the <i>CISO</i>"),
            "Q&A with the CISO"
        );
        assert_eq!(
            html_to_markdown("<p>One <a href=\"https://x.nl/\">link</a>.</p><p>Two</p>"),
            "One [link](https://x.nl/).\n\nTwo"
        );
    }

    #[test]
    fn note_markers_become_citations() {
        assert_eq!(
            cite_notes("Text[1](#a-b.fn1). More[12](#a-b.fn12) and [a link](#x)."),
            "Text[^note-1]. More[^note-12] and [a link](#x)."
        );
    }

    #[test]
    fn kroniek_slides_give_back_their_notes_as_sources() {
        let html = "<p class=\"kroniek-when\">4 June 2024 · NCSC</p><p>Body<sup>1</sup></p><ol class=\"kroniek-notes\"><li id=\"a.fn1\"><a href=\"https://x.nl/\">Letter</a>, Parliament, 7 June 2024</li></ol>";
        let (text, notes) = kroniek_parts(html);
        assert_eq!(text, "<p>Body<sup>1</sup></p>");
        let source = note_source(&notes[0]);
        assert_eq!(source.title, "Letter");
        assert_eq!(source.url.as_deref(), Some("https://x.nl/"));
        assert_eq!(source.publisher.as_deref(), Some("Parliament"));
    }
}
