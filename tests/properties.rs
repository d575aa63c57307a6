//! Properties that must hold for any input, checked with proptest on generated dates, events,
//! footnotes and audiences. Case counts are kept small: each case of the site-wide properties
//! renders a whole site.

use kroniek::audience::{Audience, Reader};
use kroniek::front_matter::split;
use kroniek::load::Content;
use kroniek::model::{EventDate, Precision, Timeline};
use kroniek::output::{OutputFile, Sink};
use kroniek::pipeline::{self, Make, Memos, Request};
use proptest::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// `cases` cases, and no failure files written into the repository: a failure prints its
/// minimal input, which belongs in a test of its own.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const ZONES: [chrono_tz::Tz; 5] = [
    chrono_tz::UTC,
    chrono_tz::Europe::Amsterdam,
    chrono_tz::America::St_Johns,
    chrono_tz::Asia::Kathmandu,
    chrono_tz::Pacific::Apia,
];

/// A date as an author may write it: any precision, with or without seconds and offset.
fn written_date() -> impl Strategy<Value = String> {
    (
        1900..2100i32,
        1..=12u32,
        1..=31u32,
        0..5u8,
        (0..24u32, 0..60u32, 0..60u32),
        prop::option::of((-14..=14i32, prop::sample::select(vec![0u32, 30, 45]))),
    )
        .prop_filter_map(
            "a day of the calendar",
            |(y, m, d, form, (h, mi, s), offset)| {
                chrono::NaiveDate::from_ymd_opt(y, m, d)?;
                let zone = match offset {
                    None => String::new(),
                    Some((0, 0)) => "Z".into(),
                    Some((h, m)) => {
                        format!("{}{:02}:{m:02}", if h < 0 { '-' } else { '+' }, h.abs())
                    }
                };
                Some(match form {
                    0 => format!("{y:04}"),
                    1 => format!("{y:04}-{m:02}"),
                    2 => format!("{y:04}-{m:02}-{d:02}"),
                    3 => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}{}", zone),
                    _ => format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}{}", zone),
                })
            },
        )
}

proptest! {
    #![proptest_config(config(512))]

    /// A date reads, prints as it was written (at its precision), and reads back the same.
    #[test]
    fn dates_round_trip(written in written_date(), zone in 0..ZONES.len()) {
        let tz = ZONES[zone];
        // A local time in a DST gap does not exist; that is the one allowed failure.
        let date = match EventDate::parse(&written, tz) {
            Ok((date, _)) => date,
            Err(kroniek::model::DateError::DstGap(..)) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{written}: {e}"))),
        };
        let iso = date.iso();
        let (again, _) = EventDate::parse(&iso, tz).unwrap();
        prop_assert_eq!(again.start, date.start, "{} -> {}", written, iso);
        prop_assert_eq!(again.iso(), iso.clone());
        // Local mean time (offsets with seconds) is written in UTC to the second; every other
        // date keeps its precision.
        let whole_minutes = date.offset.local_minus_utc() % 60 == 0;
        if whole_minutes {
            prop_assert_eq!(&again, &date, "{} -> {}", written, iso);
        }
        if date.precision <= Precision::Day {
            prop_assert_eq!(&iso, &written, "a date without time prints as written");
        } else if whole_minutes && !written.ends_with('Z') && !written[10..].contains(['+', '-']) {
            // Local time without offset: the clock reads as written (unless moved by a DST
            // overlap, which resolves to the earlier instant but keeps the clock).
            prop_assert!(iso.starts_with(&written), "{} -> {}", written, iso);
        }
        if whole_minutes {
            // The feed's form names the same day as the machine one.
            prop_assert!(date.rfc3339().starts_with(&iso[..iso.len().min(10)]));
        }
    }

    /// The order of events depends on their dates and file names only: total (no ties), sorted
    /// by start, precision and path, and the same whatever order the files were read in.
    #[test]
    fn event_order_is_total_and_stable(
        dates in prop::collection::vec(written_date(), 1..24),
        seed in any::<u64>(),
    ) {
        let events: Vec<(String, String)> = dates
            .into_iter()
            .enumerate()
            .map(|(i, date)| {
                // Several folders, so that sorting by path is exercised across them.
                let folder = ["", "a/", "b/c/"][i % 3];
                (format!("content/{folder}e{i}.md"), date)
            })
            .collect();
        let order = |events: &[(String, String)]| -> Vec<String> {
            let docs = events
                .iter()
                .map(|(file, date)| event_doc(file, &format!("title: T\ndate: \"{date}\"\norgs: [ncsc]"), "Body."))
                .collect();
            let timeline = timeline(docs);
            let keys: Vec<_> = timeline
                .events
                .iter()
                .map(|e| (e.date.sort_key(), e.doc.file.clone()))
                .collect();
            for pair in keys.windows(2) {
                assert!(pair[0] < pair[1], "not strictly ascending: {pair:?}");
            }
            timeline.events.iter().map(|e| e.doc.file.display().to_string()).collect()
        };
        let first = order(&events);
        let mut shuffled = events.clone();
        shuffle(&mut shuffled, seed);
        prop_assert_eq!(order(&shuffled), first);
    }
}

/// Fisher–Yates with a small deterministic generator: proptest shrinks the seed.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        items.swap(i, (seed >> 33) as usize % (i + 1));
    }
}

const INDEX: &str = "---\ntitle: \"Properties\"\ntimezone: Europe/Amsterdam\nbase_url: \"https://example.org/p/\"\norganisations:\n  ncsc: { name: \"NCSC\" }\n  bzk: { name: \"BZK\" }\n---\nIntro.[^1]\n\n[^1]: Intro note.\n";

fn event_doc(file: &str, yaml: &str, body: &str) -> kroniek::front_matter::Document {
    split(PathBuf::from(file), format!("---\n{yaml}\n---\n{body}")).unwrap()
}

/// The timeline of `_index.md` plus `events`, which must have no errors.
fn timeline(events: Vec<kroniek::front_matter::Document>) -> Timeline {
    let content = Content {
        index: Some(split(PathBuf::from("content/_index.md"), INDEX.to_string()).unwrap()),
        events,
        assets: Vec::new(),
        register: None,
        releases: Vec::new(),
    };
    let (timeline, problems) = kroniek::model::build(content, &kroniek::cache::Fresh);
    let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).collect();
    // DST gaps are the only errors generated dates may have.
    assert!(
        errors.iter().all(|p| p.message.contains("daylight saving")),
        "{errors:#?}"
    );
    timeline.unwrap()
}

/// Every file of the site for `audience`.
fn render_site(timeline: &Timeline, audience: Audience) -> Vec<OutputFile> {
    let request = Request {
        site: Path::new("/nonexistent-kroniek-site"),
        audience,
        base_url: None,
        make: Make::Site,
    };
    let sink = Sink::memory();
    let report = pipeline::from_model(timeline.clone(), Vec::new(), &request, &Memos::FRESH, &sink);
    let errors: Vec<_> = report.problems.iter().filter(|p| p.is_error()).collect();
    assert!(errors.is_empty(), "render failed: {errors:#?}");
    sink.into_files()
}

fn text_of(file: &OutputFile) -> Option<(String, String)> {
    match file {
        OutputFile::Made { path, bytes } => Some((
            path.display().to_string(),
            String::from_utf8_lossy(bytes).into_owned(),
        )),
        OutputFile::Copied { .. } => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Footnote ids

/// A footnote label or source id: what authors write after `[^`.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,2}",
        "[a-z]{1,6}",
        "[A-Za-z][A-Za-z0-9._-]{0,8}",
        "(fn|ref|h-|notes|title)[0-9]?",
        "[éüñ]{1,3}",
    ]
}

/// One event: footnote labels it defines, source ids, which of them the body cites, and whether
/// bodies and footnotes have headings.
#[derive(Debug, Clone)]
struct NoteEvent {
    footnotes: Vec<String>,
    sources: Vec<Option<String>>,
    cite_order: Vec<usize>,
    heading: Option<String>,
}

fn note_event() -> impl Strategy<Value = NoteEvent> {
    (
        prop::collection::btree_set(label(), 0..5),
        // Source ids are slugs (the model says so); footnote labels are anything citable.
        prop::collection::vec(prop::option::of("[a-z0-9][a-z0-9_-]{0,6}"), 0..4),
        prop::collection::vec(0..9usize, 0..8),
        prop::option::of("[A-Za-z ]{1,12}"),
    )
        .prop_map(|(footnotes, sources, cite_order, heading)| {
            // Labels compare without case; a source id may not repeat a footnote's or another
            // source's (those are errors, tested in tests/errors.rs).
            let mut taken: HashSet<String> = footnotes.iter().map(|l| l.to_lowercase()).collect();
            let footnotes: Vec<String> = {
                let mut seen = HashSet::new();
                footnotes
                    .into_iter()
                    .filter(|l| seen.insert(l.to_lowercase()))
                    .collect()
            };
            let sources = sources
                .into_iter()
                .map(|id| id.filter(|id| taken.insert(id.to_lowercase())))
                .collect();
            NoteEvent {
                footnotes,
                sources,
                cite_order,
                heading,
            }
        })
}

impl NoteEvent {
    fn file(&self, i: usize) -> kroniek::front_matter::Document {
        let mut yaml = format!(
            "title: \"Event {i}\"\ndate: 2024-06-{:02}\norgs: [ncsc]\n",
            1 + i % 3
        );
        if !self.sources.is_empty() {
            yaml.push_str("sources:\n");
            for (n, id) in self.sources.iter().enumerate() {
                yaml.push_str(&format!("  - title: \"Source {n}\"\n"));
                if let Some(id) = id {
                    yaml.push_str(&format!("    id: \"{id}\"\n"));
                }
            }
        }
        let citable: Vec<&String> = self
            .footnotes
            .iter()
            .chain(self.sources.iter().flatten())
            .collect();
        let mut body = String::new();
        if let Some(heading) = &self.heading {
            body.push_str(&format!("# {heading}\n\n"));
        }
        body.push_str("Text");
        for &c in &self.cite_order {
            if let Some(label) = citable.get(c % citable.len().max(1)) {
                body.push_str(&format!(" cited[^{label}]"));
            }
        }
        body.push_str(".\n\n");
        for label in &self.footnotes {
            body.push_str(&format!("[^{label}]: Note {label}.\n"));
            if let Some(heading) = &self.heading {
                // A heading inside the footnote, the same words as the body's.
                body.push_str(&format!("\n    # {heading}\n\n"));
            }
        }
        event_doc(&format!("content/e{i}.md"), yaml.trim_end(), &body)
    }
}

/// Every `id` in an HTML page, in document order.
fn ids_in(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let any = scraper::Selector::parse("[id]").unwrap();
    doc.select(&any)
        .map(|el| el.value().attr("id").unwrap().to_string())
        .collect()
}

proptest! {
    #![proptest_config(config(24))]

    /// Any number of events with any labels, on the timeline and every other page: no id is
    /// used twice, and every note link points at an id on the same page.
    #[test]
    fn note_ids_are_unique_on_every_page(events in prop::collection::vec(note_event(), 1..7)) {
        let docs = events.iter().enumerate().map(|(i, e)| e.file(i)).collect();
        let timeline = timeline(docs);
        for file in render_site(&timeline, Audience::PUBLIC).iter().filter_map(text_of) {
            let (path, html) = file;
            if !path.ends_with(".html") {
                continue;
            }
            let ids = ids_in(&html);
            let mut seen = HashSet::new();
            for id in &ids {
                prop_assert!(seen.insert(id.clone()), "duplicate id {} on {}", id, path);
            }
            let doc = scraper::Html::parse_document(&html);
            let links = scraper::Selector::parse(".note-ref a, a.backref, a[href^='#']").unwrap();
            for a in doc.select(&links) {
                let target = a.value().attr("href").unwrap().trim_start_matches('#');
                if target.is_empty() || target == "top" || target == "main" {
                    continue;
                }
                prop_assert!(seen.contains(target), "#{} has no target on {}", target, path);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Audiences

/// One event of the audience mix: its flags, and whether its body has an internal note.
#[derive(Debug, Clone)]
struct Flags {
    draft: bool,
    internal: bool,
    note: bool,
}

fn flags() -> impl Strategy<Value = Flags> {
    (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(draft, internal, note)| Flags {
        draft,
        internal,
        note,
    })
}

fn audiences() -> [Audience; 4] {
    [false, true]
        .map(|drafts| [Reader::Public, Reader::Internal].map(|reader| Audience { reader, drafts }))
        .concat()
        .try_into()
        .unwrap()
}

proptest! {
    #![proptest_config(config(24))]

    /// Whatever the mix of drafts, internal events and `::: internal` notes, an audience gets
    /// exactly the events `Audience::sees` allows, and nothing of the others (title, body,
    /// page) reaches any file: pages, feed, data, sitemap, chart. The public never gets an
    /// internal note.
    #[test]
    fn audiences_see_only_what_they_may(mix in prop::collection::vec(flags(), 1..10)) {
        let docs = mix
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let yaml = format!(
                    "title: \"Title {i} CANARYTITLE{i}X\"\ndate: 2024-06-{:02}\norgs: [ncsc, bzk]\ndraft: {}\ninternal: {}\nsources:\n  - title: \"Source CANARYSOURCE{i}X\"\n    url: \"https://example.org/s{i}\"",
                    1 + i % 9, f.draft, f.internal
                );
                let mut body = format!("Body CANARYBODY{i}X.\n");
                if f.note {
                    body.push_str(&format!("\n::: internal\nNote CANARYNOTE{i}X.[^n]\n\n[^n]: Internal footnote CANARYFOOT{i}X.\n:::\n"));
                }
                event_doc(&format!("content/2024-06-{:02}-e{i}.md", 1 + i % 9), &yaml, &body)
            })
            .collect();
        let timeline = timeline(docs);
        for audience in audiences() {
            let files: Vec<(String, String)> =
                render_site(&timeline, audience).iter().filter_map(text_of).collect();
            let pages: BTreeSet<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
            for (i, f) in mix.iter().enumerate() {
                let event = &timeline.events.iter().find(|e| e.slug == format!("e{i}")).unwrap();
                let sees = audience.sees(event);
                prop_assert_eq!(
                    sees,
                    (audience.drafts || !f.draft) && (audience.reader == Reader::Internal || !f.internal)
                );
                let page = format!("events/e{i}/index.html");
                prop_assert_eq!(pages.contains(page.as_str()), sees, "{} for {:?}", page, audience);
                let note_seen = sees && f.note && audience.reader == Reader::Internal;
                for (canary, allowed) in [
                    (format!("CANARYTITLE{i}X"), sees),
                    (format!("CANARYBODY{i}X"), sees),
                    (format!("CANARYSOURCE{i}X"), sees),
                    (format!("CANARYNOTE{i}X"), note_seen),
                    (format!("CANARYFOOT{i}X"), note_seen),
                ] {
                    let found: Vec<&str> = files
                        .iter()
                        .filter(|(_, text)| text.contains(&canary))
                        .map(|(p, _)| p.as_str())
                        .collect();
                    if !allowed {
                        prop_assert!(found.is_empty(), "{} in {:?} for {:?}", canary, found, audience);
                    } else if canary.starts_with("CANARYTITLE") {
                        prop_assert!(found.contains(&"index.html"), "{} missing for {:?}", canary, audience);
                    }
                }
            }
        }
    }
}
