//! The checks behind each fuzz target (`fuzz/fuzz_targets/*.rs` include this file), shared with
//! `tests/regressions.rs`, which replays every input the fuzzers ever broke kroniek with.
//!
//! Each function takes any bytes. Bad input may give problems (that is what they are for); it
//! must not panic, every problem must print, and the invariants asserted here must hold.
//!
//! Helpers for the integration tests that run the `kroniek` binary are in `tests/common/`, not
//! here: this module must stay buildable inside the fuzz crate.

#![allow(dead_code)]

use kroniek::audience::Audience;
use kroniek::diagnostics::{render_json, render_text, Problem};
use kroniek::front_matter::{self, Step};
use kroniek::load::Content;
use kroniek::markdown::{Input, NoteContent};
use kroniek::model::{EventDate, Language, Source};
use kroniek::output::Sink;
use kroniek::pipeline::{self, Make, Memos, Request};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const EVENT: &str = "content/2024-06-04-fuzz.md";

fn show(problem: &Problem) {
    let _ = render_text(problem);
    let _ = render_json(problem);
}

// ---------------------------------------------------------------------------------------------
// front_matter

/// Decoding (UTF-8, BOM, CRLF), splitting off the YAML, deserialising it, and locating keys and
/// values in it for messages.
pub fn front_matter(data: &[u8]) {
    let file = Path::new(EVENT);
    let text = match kroniek::load::decode(file, data.to_vec()) {
        Ok(text) => text,
        Err(problem) => return show(&problem),
    };
    let doc = match front_matter::split(file.to_path_buf(), text) {
        Ok(doc) => doc,
        Err(problem) => return show(&problem),
    };
    // The ranges cut the text on character boundaries.
    let _ = (doc.yaml_text(), doc.body_text());
    if let Err(problem) = front_matter::parse::<serde_yaml::Value>(&doc, &[("orgs", "a hint")]) {
        show(&problem);
    }
    for (key, position) in front_matter::top_level_keys(&doc) {
        let _ = front_matter::locate(&doc, &[Step::Key(&key)], None);
        let _ = front_matter::raw_value(&doc, &[Step::Key(&key)]);
        show(&doc.error(position, "fuzz", "a problem"));
    }
    let paths: [&[Step]; 5] = [
        &[Step::Key("orgs")],
        &[Step::Key("sources"), Step::Index(0), Step::Key("date")],
        &[Step::Key("sources"), Step::Index(3), Step::Key("url")],
        &[
            Step::Key("organisations"),
            Step::Key("ncsc"),
            Step::Key("color"),
        ],
        &[Step::Key("tags"), Step::Index(1)],
    ];
    for path in paths {
        for needle in [None, Some("nsc"), Some("2024-13-01"), Some("é")] {
            let position = front_matter::locate(&doc, path, needle);
            show(&doc.error(position, "fuzz", "a problem"));
        }
        if let Some(position) = front_matter::find(&doc, path) {
            show(&doc.error(position, "fuzz", "a problem"));
        }
        if let Some((line, column, _)) = front_matter::raw_value(&doc, path) {
            show(&doc.error((line, column, 1), "fuzz", "a problem"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// date

const ZONES: [chrono_tz::Tz; 4] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Amsterdam,
    chrono_tz::America::St_Johns,
    chrono_tz::Pacific::Apia,
];

/// Any text parses or gives a `DateError`; a parsed date prints in every form, and its
/// machine-readable form reads back as the same date.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for tz in ZONES {
        let date = match EventDate::parse(text, tz) {
            Ok((date, _)) => date,
            Err(err) => {
                let _ = err.to_string();
                continue;
            }
        };
        for language in [Language::Nl, Language::En] {
            let _ = date.date_text(language);
            let _ = date.short_date_text(language);
        }
        let _ = (
            date.time_text(),
            date.rfc3339(),
            date.day(),
            date.has_time(),
        );
        let iso = date.iso();
        let (again, _) = EventDate::parse(&iso, tz)
            .unwrap_or_else(|e| panic!("{text:?} in {tz} printed as {iso:?}, which fails: {e}"));
        assert_eq!(again.start, date.start, "{text:?} in {tz} -> {iso:?}");
        // Local mean time (an offset with seconds) is written in UTC, to the second.
        if date.offset.local_minus_utc() % 60 == 0 {
            assert_eq!(again.precision, date.precision, "{text:?} -> {iso:?}");
        }
        assert_eq!(again.iso(), iso);
    }
}

// ---------------------------------------------------------------------------------------------
// markdown

const IDS: [&str; 4] = ["sec", "1", "Sec", "nope"];

/// Every `id="…"` in `html`.
fn ids(html: &str) -> Vec<&str> {
    html.match_indices(" id=\"")
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The renderer with kroniek's footnotes and sources. The first byte chooses the sources and
/// options, the rest is the body. A citation of a source always resolves; a body without errors
/// gives every source one note, ids unique on the page and prefixed by the event's, and no
/// active markup.
pub fn markdown(data: &[u8]) {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    // As every file is read: UTF-8, line ends normalised.
    let Ok(body) = kroniek::load::decode(Path::new(EVENT), body.to_vec()) else {
        return;
    };
    let body = body.as_str();
    let with_id = usize::from(choice & 0b11);
    let without_id = usize::from((choice >> 2) & 0b11);
    let sources: Vec<Source> = IDS[..with_id]
        .iter()
        .map(|id| Some(*id))
        .chain((0..without_id).map(|_| None))
        .enumerate()
        .map(|(n, id)| Source {
            id: id.map(str::to_string),
            title: format!("Source {n}"),
            publisher: None,
            url: None,
            date: None,
            archive_url: None,
            ..Default::default()
        })
        .collect();
    let text = format!("---\ntitle: x\n---\n{body}");
    let Ok(doc) = front_matter::split(PathBuf::from(EVENT), text) else {
        return;
    };
    let mut problems = Vec::new();
    // A link to this slug must keep only its words.
    let hidden: std::collections::HashSet<String> = ["hidden-event".to_string()].into();
    let input = Input {
        doc: &doc,
        id_prefix: "ev",
        sources: &sources,
        internal_notes: choice & 0x10 != 0,
        internal_label: "INTERN",
        hidden_events: &hidden,
        heading_offset: if choice & 0x20 != 0 { 1 } else { 3 },
        link_root: "../../",
    };
    let rendered = kroniek::markdown::render(&input, &mut problems);
    for problem in &problems {
        show(problem);
        if problem.code == "undefined-citation" {
            for id in &IDS[..with_id] {
                assert!(
                    !problem.message.starts_with(&format!("`[^{id}]`")),
                    "a citation of source `{id}` did not resolve: {body:?}"
                );
            }
        }
    }
    for (i, note) in rendered.notes.iter().enumerate() {
        assert_eq!(note.number, i + 1);
    }
    // A body with errors fails the build and reaches no page; check what a build shows.
    if problems.iter().any(Problem::is_error) {
        return;
    }
    let cited: HashSet<usize> = rendered
        .notes
        .iter()
        .filter_map(|n| match n.content {
            NoteContent::Source(i) => Some(i),
            _ => None,
        })
        .collect();
    assert_eq!(cited.len(), sources.len(), "{body:?}");
    // Ids of the body, of the notes, and inside footnote texts: all on one page.
    let mut all: Vec<String> = ids(&rendered.html).into_iter().map(String::from).collect();
    let mut htmls = vec![&*rendered.html];
    for note in &rendered.notes {
        all.push(note.id.clone());
        all.extend(note.backrefs.iter().cloned());
        if let NoteContent::Footnote(ref html) = note.content {
            htmls.push(html);
        }
    }
    for html in &htmls[1..] {
        all.extend(ids(html).into_iter().map(String::from));
    }
    for id in &all {
        assert!(
            id.starts_with("ev."),
            "id {id:?} without the event's prefix: {body:?}"
        );
    }
    let mut in_html = HashSet::new();
    for html in &htmls {
        for id in ids(html) {
            assert!(in_html.insert(id), "duplicate id {id:?}: {body:?}");
        }
    }
    for html in htmls {
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{body:?}");
        assert!(!lower.contains("<iframe"), "{body:?}");
        // `javascript:` as text is fine (it is what the author wrote); as a link it is not.
        for url in urls(&lower) {
            let url: String = url.chars().filter(|c| !c.is_whitespace()).collect();
            for scheme in ["javascript:", "vbscript:", "data:text"] {
                assert!(!url.starts_with(scheme), "{url:?} from {body:?}");
            }
        }
    }
}

/// Every `href="…"` and `src="…"` value in `html`, entities for `:` decoded.
fn urls(html: &str) -> Vec<String> {
    [" href=\"", " src=\""]
        .iter()
        .flat_map(|attribute| html.match_indices(attribute))
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let value = &rest[..rest.find('"')?];
            Some(value.replace("&#58;", ":").replace("&colon;", ":"))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// site

const INDEX: &str = "---
title: \"Fuzz chronology\"
language: nl
timezone: Europe/Amsterdam
base_url: \"https://example.org/fuzz/\"
organisations:
  ncsc: { name: \"Nationaal Cyber Security Centrum\", short: \"NCSC\" }
  bzk: { name: \"Ministerie van BZK\", short: \"BZK\", color: \"#154273\" }
---
Intro with a footnote.[^1]

[^1]: The intro's note.
";

/// A whole site in memory: the bytes are one event file next to a fixed `_index.md` and a
/// well-formed neighbour, loaded, modelled and rendered for the public and for internal readers
/// with drafts, as `build` and `serve` do. A draft or internal event never gets a public page.
pub fn site(data: &[u8]) {
    let file = Path::new(EVENT);
    let Ok(text) = kroniek::load::decode(file, data.to_vec()) else {
        return;
    };
    let Ok(event) = front_matter::split(file.to_path_buf(), text) else {
        return;
    };
    let index = front_matter::split(PathBuf::from("content/_index.md"), INDEX.to_string())
        .expect("the index splits");
    let neighbour = front_matter::split(
        PathBuf::from("content/2024-06-05-neighbour.md"),
        "---\ntitle: Neighbour\norgs: [bzk]\n---\nText[^1].\n\n[^1]: Note.\n".to_string(),
    )
    .expect("the neighbour splits");
    let content = Content {
        index: Some(index),
        events: vec![event, neighbour],
        assets: Vec::new(),
        register: None,
        releases: Vec::new(),
    };
    let (timeline, problems) = kroniek::model::build(content, &kroniek::cache::Fresh);
    problems.iter().for_each(show);
    let Some(timeline) = timeline else {
        return;
    };
    if problems.iter().any(Problem::is_error) {
        return;
    }
    for audience in [Audience::PUBLIC, Audience::EVERYONE] {
        let request = Request {
            site: Path::new("/nonexistent-kroniek-fuzz-site"),
            audience,
            base_url: None,
            make: Make::Site,
        };
        let sink = Sink::memory();
        let report =
            pipeline::from_model(timeline.clone(), Vec::new(), &request, &Memos::FRESH, &sink);
        if report.problems.iter().any(Problem::is_error) {
            report.problems.iter().for_each(show);
            continue;
        }
        let files = sink.into_files();
        for hidden in timeline.events.iter().filter(|e| !audience.sees(e)) {
            let page = format!("events/{}/", hidden.slug);
            assert!(
                !files
                    .iter()
                    .any(|f| f.path().to_string_lossy().starts_with(&page)),
                "{page} was written for {audience:?}"
            );
        }
    }
}
