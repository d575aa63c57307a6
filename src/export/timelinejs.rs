//! The TimelineJS export: TimelineJS3's JSON (Knight Lab's timeline viewer, which newsrooms
//! embed), one slide per event the reader sees and a title slide from the site's title and
//! intro.
//!
//! Dates are given at their precision (a month stays a month) in the site's zone, which is
//! what TimelineJS shows: it has no time zones. `display_date` carries the date as the site
//! writes it, with the time label. Slide text is HTML from the same prepared tree as the site
//! (`markdown::render`), so nothing a reader may not see gets in; titles and citations are
//! escaped here. This module never decides visibility and never writes raw author HTML.

use super::{Citation, Export};
use crate::diagnostics::Problem;
use crate::markdown::{self, escape, NoteContent};
use crate::model::{Event, EventDate, Precision};
use chrono::{Datelike, Timelike};
use serde::Serialize;

#[derive(Serialize)]
struct Timeline {
    title: Slide,
    events: Vec<Slide>,
    scale: &'static str,
}

#[derive(Serialize)]
struct Slide {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
    text: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unique_id: Option<String>,
    /// Off: TimelineJS would otherwise turn addresses in the text into links of its own.
    autolink: bool,
}

/// A TimelineJS date: as many parts as the event's precision gives.
#[derive(Serialize, Debug, PartialEq, Eq)]
struct Date {
    year: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    second: Option<u32>,
}

impl Date {
    fn of(date: &EventDate) -> Date {
        let local = date.local;
        let at = |p: Precision, value: u32| (date.precision >= p).then_some(value);
        Date {
            year: local.year(),
            month: at(Precision::Month, local.month()),
            day: at(Precision::Day, local.day()),
            hour: at(Precision::Minute, local.hour()),
            minute: at(Precision::Minute, local.minute()),
            second: at(Precision::Second, local.second()),
        }
    }
}

#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

pub fn document(export: &Export) -> Result<String, Vec<Problem>> {
    let mut problems = Vec::new();
    let site = &export.view.timeline.site;
    let mut intro = String::new();
    if let Some(description) = &site.description {
        intro.push_str(&format!("<p><em>{}</em></p>", escape(description)));
    }
    let body = markdown::render(&export.intro_input(1), &mut problems);
    intro.push_str(&body.html);
    intro.push_str(&notes_list(&body.notes, &[], export.language()));
    let title = Slide {
        start_date: None,
        end_date: None,
        display_date: None,
        text: Text {
            headline: escape(&export.title()),
            text: intro,
        },
        group: None,
        unique_id: None,
        autolink: false,
    };
    let events = export
        .events
        .iter()
        .map(|event| slide(export, event, &mut problems))
        .collect();
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let timeline = Timeline {
        title,
        events,
        scale: "human",
    };
    let json = serde_json::to_string_pretty(&timeline).expect("plain data serialises");
    Ok(format!("{json}\n"))
}

fn slide(export: &Export, event: &Event, problems: &mut Vec<Problem>) -> Slide {
    let language = export.language();
    let body = markdown::render(&export.input(event, 2), problems);
    // The classes let `kroniek import` tell this line and the notes from the author's text.
    let mut text = format!(
        "<p class=\"kroniek-when\">{}</p>",
        escape(&export.meta_line(event))
    );
    text.push_str(&body.html);
    text.push_str(&notes_list(&body.notes, &event.sources, language));
    for (label, note) in export.correction_lines(event) {
        let note = note.map(|n| format!(": {}", escape(n))).unwrap_or_default();
        text.push_str(&format!(
            "<p class=\"kroniek-correction\"><em>{}</em>{note}</p>",
            escape(&label)
        ));
    }
    let mut headline = String::new();
    for flag in export.flags(event) {
        headline.push_str(&format!("{}: ", escape(flag)));
    }
    headline.push_str(&escape(&event.title));
    Slide {
        start_date: Some(Date::of(&event.date)),
        end_date: event.end.as_ref().map(Date::of),
        display_date: Some(export.when(event)),
        text: Text { headline, text },
        group: event
            .orgs
            .first()
            .and_then(|key| export.view.timeline.organisation(key))
            .map(|org| org.short.clone()),
        unique_id: Some(event.slug.clone()),
        autolink: false,
    }
}

/// The numbered notes of a body (footnotes and sources), as the site lists them.
fn notes_list(
    notes: &[markdown::Note],
    sources: &[crate::model::Source],
    language: crate::model::Language,
) -> String {
    if notes.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ol class=\"kroniek-notes\">");
    for note in notes {
        let content = match &note.content {
            NoteContent::Footnote(html) => html.clone(),
            NoteContent::Source(i) => citation(
                &Citation::of(&sources[*i], language),
                crate::i18n::strings(language).archived,
            ),
        };
        out.push_str(&format!("<li id=\"{}\">{content}</li>", escape(&note.id)));
    }
    out.push_str("</ol>");
    out
}

/// A source as HTML: its title linked, publisher and date, and the archived copy.
fn citation(c: &Citation, archived: &str) -> String {
    let mut out = match c.url {
        Some(url) => format!("<a href=\"{}\">{}</a>", escape(url), escape(c.title)),
        None => escape(c.title),
    };
    out.push_str(&escape(&c.details));
    if let Some(archive) = c.archive_url {
        out.push_str(&format!(
            " (<a href=\"{}\">{}</a>)",
            escape(archive),
            escape(archived)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision_in_the_site_zone() {
        let tz: chrono_tz::Tz = "Europe/Amsterdam".parse().unwrap();
        let date = |text: &str| Date::of(&EventDate::parse(text, tz).unwrap().0);
        assert_eq!(
            date("2024-06"),
            Date {
                year: 2024,
                month: Some(6),
                day: None,
                hour: None,
                minute: None,
                second: None
            }
        );
        // 12:30 UTC is 14:30 in Amsterdam in June: TimelineJS shows local parts as they are.
        let at = date("2024-06-04T12:30Z");
        assert_eq!(
            (at.day, at.hour, at.minute, at.second),
            (Some(4), Some(14), Some(30), None)
        );
        assert_eq!(date("2011").month, None);
    }
}
