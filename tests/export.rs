//! `kroniek export` from the outside.
//!
//! - Round trips: pandoc reads the Markdown and MediaWiki exports back (`-t json`), and every
//!   day, event and body heading, and every note with its exact text, is compared with what the
//!   JSON export of the same site says they should be. Special characters must come back as
//!   text, not as links, templates, lists or bold. pandoc is required: `scripts/test` installs
//!   it, and a missing pandoc fails these tests, it never skips them.
//! - The single-file HTML passes `scripts/check-site` and makes no requests elsewhere.
//! - Drafts, internal events and `::: internal` blocks (canary strings in the rich fixture)
//!   never reach a public export, and are there, marked, for the readers who may see them.
//! - Output: `-o` is all or nothing, `-` and no `-o` mean standard output, JSON equals
//!   `timeline.json`, dates and words follow the site's language.

use scraper::{ElementRef, Html, Node};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;

use common::{assert_check_site_clean, names_in, sel, squashed};

/// The example site (the repository root): the Webex chronology, in Dutch.
const EXAMPLE: &str = env!("CARGO_MANIFEST_DIR");
/// One event per feature, in English, with the canaries below.
const RICH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rich");
/// Many footnotes and shared sources, and text full of wikitext and Markdown syntax.
const FOOTNOTES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/footnotes");
/// Events that link to each other and to files, and no `base_url`.
const LINKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/links");
/// A site with one content error (an event that ends before it starts).
const BROKEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/bad/end-before-start"
);

/// Strings that only the rich fixture's draft event, its internal event and its `::: internal`
/// block contain, in every field (title, time label, body, footnotes, sources, tags,
/// corrections). Compared case-insensitively, so that they also catch slugs and URLs.
const CANARIES: &[&str] = &[
    "CANARY-DRAFT-7f3a",
    "CANARY-INTERNAL-7f3a",
    "CANARY-BLOCK-7f3a",
];
const DRAFT: &str = CANARIES[0];
const INTERNAL: &str = CANARIES[1];
const BLOCK: &str = CANARIES[2];

const FORMATS: &[&str] = &["markdown", "mediawiki", "html", "json"];

// ---------------------------------------------------------------------------------------------
// Running kroniek and pandoc

fn kroniek(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(args)
        .output()
        .unwrap()
}

/// `kroniek export SITE --format FORMAT ARGS…` to standard output; it must succeed.
fn export(site: &str, format: &str, args: &[&str]) -> String {
    let run = kroniek(&[&["export", site, "--format", format], args].concat());
    assert!(
        run.status.success(),
        "export {site} --format {format} {args:?} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).expect("exports are UTF-8")
}

/// pandoc's JSON AST of `input`, read as `from`. A missing pandoc fails the test.
fn pandoc(from: &str, input: &str) -> Value {
    let mut child = Command::new("pandoc")
        .args(["-f", from, "-t", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run pandoc ({e}); run scripts/test, which installs it (apt-get install pandoc)")
        });
    // pandoc reads all of its input before it writes anything, so this cannot deadlock.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "pandoc -f {from} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

// ---------------------------------------------------------------------------------------------
// What pandoc read

/// pandoc block types: their text is followed by a space.
const BLOCKS: &[&str] = &[
    "Plain",
    "Para",
    "LineBlock",
    "CodeBlock",
    "BlockQuote",
    "OrderedList",
    "BulletList",
    "DefinitionList",
    "Header",
    "Table",
    "Div",
];

/// The plain text of a piece of pandoc AST, whitespace collapsed. Notes inside it are left out
/// (they are collected on their own), and so is raw markup.
fn plain(value: &Value) -> String {
    let mut out = String::new();
    text_into(value, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_into(value: &Value, out: &mut String) {
    let object = match value {
        Value::Array(items) => return items.iter().for_each(|i| text_into(i, out)),
        Value::Object(object) => object,
        _ => return,
    };
    let Some(kind) = object.get("t").and_then(Value::as_str) else {
        return;
    };
    let c = object.get("c").unwrap_or(&Value::Null);
    match kind {
        "Str" => out.push_str(c.as_str().unwrap()),
        "Space" | "SoftBreak" | "LineBreak" => out.push(' '),
        "Code" | "Math" => out.push_str(c[1].as_str().unwrap()),
        "Quoted" => {
            let quote = if c[0]["t"] == "SingleQuote" {
                '\''
            } else {
                '"'
            };
            out.push(quote);
            text_into(&c[1], out);
            out.push(quote);
        }
        "Note" | "RawInline" | "RawBlock" => {}
        "Link" | "Image" => text_into(&c[1], out),
        "Header" => text_into(&c[2], out),
        _ => text_into(c, out),
    }
    if BLOCKS.contains(&kind) {
        out.push(' ');
    }
}

/// What the tests look at in a pandoc document.
#[derive(Debug)]
struct Ast {
    /// Every header: (level, text), in order.
    headers: Vec<(u64, String)>,
    /// Every note's own text (notes inside it left out), in document order, grouped by the
    /// number of level-3 headers (events) before it: group 0 is the introduction.
    notes: Vec<Vec<String>>,
    /// Link and image targets.
    links: Vec<String>,
    /// Raw HTML or wikitext that pandoc passed through.
    raw: Vec<String>,
    /// The text of every Strong and Emph.
    marked_up: Vec<String>,
    /// How often each node type occurs.
    kinds: BTreeMap<String, usize>,
    /// All text, notes included.
    text: String,
}

impl Ast {
    fn read(from: &str, input: &str) -> Ast {
        let doc = pandoc(from, input);
        let mut ast = Ast {
            headers: Vec::new(),
            notes: vec![Vec::new()],
            links: Vec::new(),
            raw: Vec::new(),
            marked_up: Vec::new(),
            kinds: BTreeMap::new(),
            text: String::new(),
        };
        ast.walk(&doc["blocks"]);
        ast
    }

    fn walk(&mut self, value: &Value) {
        let object = match value {
            Value::Array(items) => return items.iter().for_each(|i| self.walk(i)),
            Value::Object(object) => object,
            _ => return,
        };
        let Some(kind) = object.get("t").and_then(Value::as_str) else {
            return;
        };
        *self.kinds.entry(kind.to_string()).or_default() += 1;
        let c = object.get("c").unwrap_or(&Value::Null);
        match kind {
            "Header" => {
                let level = c[0].as_u64().unwrap();
                if level == 3 {
                    self.notes.push(Vec::new());
                }
                self.headers.push((level, plain(value)));
            }
            "Note" => {
                self.notes.last_mut().unwrap().push(plain(c));
                self.text.push(' ');
            }
            "Link" | "Image" => self.links.push(c[2][0].as_str().unwrap().to_string()),
            "RawInline" | "RawBlock" => self.raw.push(c[1].as_str().unwrap().to_string()),
            "Strong" | "Emph" => self.marked_up.push(plain(c)),
            "Str" => self.text.push_str(c.as_str().unwrap()),
            "Space" | "SoftBreak" | "LineBreak" => self.text.push(' '),
            "Code" => self.text.push_str(c[1].as_str().unwrap()),
            _ => {}
        }
        self.walk(c);
        if BLOCKS.contains(&kind) {
            self.text.push(' ');
        }
    }

    fn count(&self, kind: &str) -> usize {
        self.kinds.get(kind).copied().unwrap_or(0)
    }

    /// All text with whitespace collapsed.
    fn words(&self) -> String {
        self.text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

// ---------------------------------------------------------------------------------------------
// What the JSON export says should be there

/// The expected content of a site for one audience, read from its JSON export.
struct Expected {
    title: String,
    english: bool,
    /// The site's URL, against which relative links in bodies resolve in the exports.
    base_url: Option<String>,
    events: Vec<ExpectedEvent>,
}

struct ExpectedEvent {
    slug: String,
    title: String,
    /// The day (or month, or year) heading the event sits under.
    day: String,
    /// Headings in the body: (level, text).
    headings: Vec<(u64, String)>,
    /// Note numbers of the markers in the body, in order.
    markers: Vec<usize>,
    /// By number - 1.
    notes: Vec<NoteData>,
    /// Web links in the body and its footnotes.
    links: Vec<String>,
    /// How many `::: internal` blocks the body shows.
    internal_blocks: usize,
}

enum NoteData {
    Source(Value),
    /// A footnote's text, and markers of notes it cites.
    Footnote(Vec<Piece>),
}

enum Piece {
    Text(String),
    Marker(usize),
}

impl Expected {
    fn of(site: &str, args: &[&str]) -> Expected {
        let data: Value = serde_json::from_str(&export(site, "json", args)).unwrap();
        let english = data["language"] == "en";
        let base_url = data["base_url"].as_str().map(String::from);
        let events = data["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| ExpectedEvent::of(event, english))
            .collect();
        Expected {
            title: data["title"].as_str().unwrap().to_string(),
            english,
            base_url,
            events,
        }
    }

    /// Every header the export should have, in order. Markdown starts with the site's title;
    /// MediaWiki ends with the heading over `<references />`.
    fn headers(&self, format: &str) -> Vec<(u64, String)> {
        let mut headers = Vec::new();
        if format == "markdown" {
            headers.push((1, self.title.clone()));
        }
        let mut day = None;
        for event in &self.events {
            if day != Some(&event.day) {
                headers.push((2, event.day.clone()));
                day = Some(&event.day);
            }
            headers.push((3, event.title.clone()));
            headers.extend(event.headings.iter().cloned());
        }
        if format == "mediawiki" {
            let sources = if self.english { "Sources" } else { "Bronnen" };
            headers.push((2, sources.to_string()));
        }
        headers
    }

    /// The notes pandoc should find under each event, for Markdown: every marker is a note
    /// with the whole text (a footnote cited twice appears twice), and notes cited inside a
    /// footnote are notes inside that note.
    fn markdown_notes(&self) -> Vec<Vec<String>> {
        self.events
            .iter()
            .map(|event| {
                let mut notes = Vec::new();
                for &number in &event.markers {
                    self.push_nested(event, number, &mut notes, 0);
                }
                notes
            })
            .collect()
    }

    fn push_nested(&self, event: &ExpectedEvent, number: usize, out: &mut Vec<String>, depth: u8) {
        assert!(
            depth < 4,
            "{}: notes cite each other in a circle",
            event.slug
        );
        match &event.notes[number - 1] {
            NoteData::Source(source) => out.push(citation(source, self.english)),
            NoteData::Footnote(pieces) => {
                out.push(squash(&pieces_text(pieces, &|_| String::new())));
                for piece in pieces {
                    if let Piece::Marker(nested) = piece {
                        self.push_nested(event, *nested, out, depth + 1);
                    }
                }
            }
        }
    }

    /// The notes pandoc should find under each event, for MediaWiki: one `<ref>` per marker in
    /// the body. The first citation of a source in the file (by its text: the same URL with
    /// another title or date is another ref), or of a footnote in its event, carries the text; later ones are named refs
    /// (`<ref name="…" />`), which pandoc reads as empty notes. Notes cited inside a footnote
    /// are written in it, in parentheses.
    fn mediawiki_notes(&self) -> Vec<Vec<String>> {
        let mut seen = HashSet::new();
        self.events
            .iter()
            .map(|event| {
                event
                    .markers
                    .iter()
                    .map(|&number| {
                        let key = match &event.notes[number - 1] {
                            NoteData::Source(source) => {
                                format!("source:{}", citation(source, self.english))
                            }
                            NoteData::Footnote(_) => format!("{}#{number}", event.slug),
                        };
                        if seen.insert(key) {
                            self.wiki_text(event, number)
                        } else {
                            String::new()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn wiki_text(&self, event: &ExpectedEvent, number: usize) -> String {
        let own_text = |n: usize| match &event.notes[n - 1] {
            NoteData::Source(source) => citation(source, self.english),
            NoteData::Footnote(pieces) => squash(&pieces_text(pieces, &|_| String::new())),
        };
        match &event.notes[number - 1] {
            NoteData::Source(source) => citation(source, self.english),
            NoteData::Footnote(pieces) => {
                squash(&pieces_text(pieces, &|n| format!(" ({})", own_text(n))))
            }
        }
    }

    /// Every URL a link in the export may have: sources, their archived copies, and the links
    /// and images of bodies and footnotes, made absolute against the site's URL.
    fn allowed_links(&self) -> HashSet<String> {
        let mut links = HashSet::new();
        for event in &self.events {
            for note in &event.notes {
                if let NoteData::Source(source) = note {
                    for key in ["url", "archive_url"] {
                        if let Some(url) = source[key].as_str() {
                            links.insert(url.to_string());
                        }
                    }
                }
            }
            for link in &event.links {
                let absolute = match (&self.base_url, link.contains("://")) {
                    (Some(base), false) => format!("{base}{link}"),
                    _ => link.clone(),
                };
                links.insert(absolute);
            }
        }
        links
    }
}

impl ExpectedEvent {
    fn of(event: &Value, english: bool) -> ExpectedEvent {
        let slug = event["slug"].as_str().unwrap().to_string();
        let body = Html::parse_fragment(event["body_html"].as_str().unwrap());
        let markers = select(&body, "sup.note-ref a")
            .map(|a| note_number(a, &slug))
            .collect();
        let headings = select(&body, "h1, h2, h3, h4, h5, h6")
            .map(|h| (h.value().name()[1..].parse().unwrap(), squashed(h)))
            .collect();
        let mut links = web_links(&body);
        let internal_blocks = select(&body, "div.internal").count();
        let notes = event["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|note| match note["kind"].as_str().unwrap() {
                "source" => NoteData::Source(note["source"].clone()),
                _ => {
                    let html = Html::parse_fragment(note["html"].as_str().unwrap());
                    links.extend(web_links(&html));
                    let mut pieces = Vec::new();
                    collect_pieces(html.root_element(), &slug, &mut pieces);
                    NoteData::Footnote(pieces)
                }
            })
            .collect();
        ExpectedEvent {
            day: day_heading(&event["date"], english),
            title: event["title"].as_str().unwrap().to_string(),
            slug,
            headings,
            markers,
            notes,
            links,
            internal_blocks,
        }
    }
}

/// A footnote's HTML as text and the markers of the notes it cites.
fn collect_pieces(element: ElementRef, slug: &str, out: &mut Vec<Piece>) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push(Piece::Text(text.to_string())),
            Node::Element(e) if e.name() == "sup" && e.classes().any(|c| c == "note-ref") => {
                let a = ElementRef::wrap(child).unwrap();
                let a = a.select(&sel("a")).next().unwrap();
                out.push(Piece::Marker(note_number(a, slug)));
            }
            Node::Element(_) => collect_pieces(ElementRef::wrap(child).unwrap(), slug, out),
            _ => {}
        }
    }
}

fn pieces_text(pieces: &[Piece], marker: &dyn Fn(usize) -> String) -> String {
    pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.clone(),
            Piece::Marker(number) => marker(*number),
        })
        .collect()
}

/// The note number of a marker link, `#<slug>.fn<number>`.
fn note_number(a: ElementRef, slug: &str) -> usize {
    let href = a.value().attr("href").unwrap();
    href.strip_prefix(&format!("#{slug}.fn"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("marker {href} in {slug}"))
}

/// Web links and content-relative links and images (not fragments, not note markers). Without
/// a `base_url` (a site without one, and every internal export) the Markdown export keeps
/// content-relative links as they are and MediaWiki keeps only their words, so they may appear.
fn web_links(html: &Html) -> Vec<String> {
    let a = select(html, "a[href]").filter_map(|a| a.value().attr("href"));
    let img = select(html, "img[src]").filter_map(|i| i.value().attr("src"));
    a.chain(img)
        .filter(|url| !url.starts_with('#'))
        .map(String::from)
        .collect()
}

/// The same source as the sources page and the MediaWiki export see it.
/// A source as the exports write it: "Title, Publisher, 4 June 2024 (archived copy)".
fn citation(source: &Value, english: bool) -> String {
    let title = source["title"].as_str().unwrap_or("");
    let mut text = if title.is_empty() {
        source["publisher"]
            .as_str()
            .or(source["url"].as_str())
            .unwrap_or("")
            .to_string()
    } else {
        title.to_string()
    };
    if let Some(publisher) = source["publisher"].as_str() {
        text.push_str(&format!(", {publisher}"));
    }
    if !source["date"].is_null() {
        text.push_str(&format!(", {}", date_text(&source["date"], english, false)));
    }
    if !source["archive_url"].is_null() {
        let archived = if english {
            "archived copy"
        } else {
            "gearchiveerde versie"
        };
        text.push_str(&format!(" ({archived})"));
    }
    squash(&text)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const DAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// A JSON date as people read it: "2024", "June 2024", "4 June 2024" or, with the weekday,
/// "Tuesday 4 June 2024" ("dinsdag 4 juni 2024" in Dutch). `start` is in the site's zone.
fn date_text(date: &Value, english: bool, weekday: bool) -> String {
    use chrono::Datelike;
    let start = date["start"].as_str().unwrap();
    let day = chrono::NaiveDate::parse_from_str(&start[..10], "%Y-%m-%d").unwrap();
    let months = if english { MONTHS_EN } else { MONTHS_NL };
    let month = months[day.month0() as usize];
    match date["precision"].as_str().unwrap() {
        "year" => day.year().to_string(),
        "month" => format!("{month} {}", day.year()),
        _ if weekday => {
            let days = if english { DAYS_EN } else { DAYS_NL };
            let name = days[day.weekday().num_days_from_monday() as usize];
            format!("{name} {} {month} {}", day.day(), day.year())
        }
        _ => format!("{} {month} {}", day.day(), day.year()),
    }
}

fn day_heading(date: &Value, english: bool) -> String {
    date_text(date, english, true)
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn select<'a>(html: &'a Html, css: &str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    let selector = sel(css);
    html.select(&selector).collect::<Vec<_>>().into_iter()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The canaries in `text`, compared case-insensitively.
fn canaries_in(text: &str) -> Vec<&'static str> {
    let text = text.to_lowercase();
    CANARIES
        .iter()
        .copied()
        .filter(|c| text.contains(&c.to_lowercase()))
        .collect()
}

/// A copy of `site` in a temporary folder, with `edit` applied to its `content/_index.md`.
fn copy_site(site: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(
        &Path::new(site).join("content"),
        &dir.path().join("content"),
    );
    let index = dir.path().join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, edit(&text)).unwrap();
    dir
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

// ---------------------------------------------------------------------------------------------
// (1) pandoc round trips

/// What a round trip must find beyond what the JSON export gives: the introduction is not in
/// the JSON, so its notes and links are named here.
struct Intro<'a> {
    notes: &'a [&'a str],
    links: &'a [&'a str],
}

/// Exports `site` as `format` (pandoc reader `from`), reads it back, and compares headers,
/// notes, links and raw markup with what the JSON export says. Returns what pandoc read.
fn round_trip(site: &str, format: &str, from: &str, args: &[&str], intro: &Intro) -> Ast {
    let expected = Expected::of(site, args);
    let ast = Ast::read(from, &export(site, format, args));
    let context = format!("{site} as {format} {args:?}");

    assert_eq!(
        ast.headers,
        expected.headers(format),
        "headers of {context}"
    );

    let mut want_notes = vec![intro.notes.iter().map(|n| n.to_string()).collect()];
    want_notes.extend(match format {
        "markdown" => expected.markdown_notes(),
        _ => expected.mediawiki_notes(),
    });
    assert_eq!(ast.notes.len(), want_notes.len(), "{context}");
    let titles =
        std::iter::once("(introduction)").chain(expected.events.iter().map(|e| e.title.as_str()));
    for ((got, want), title) in ast.notes.iter().zip(&want_notes).zip(titles) {
        assert_eq!(got, want, "notes of {title:?} in {context}");
    }

    let mut allowed = expected.allowed_links();
    allowed.extend(intro.links.iter().map(|l| l.to_string()));
    let strays: Vec<&String> = ast.links.iter().filter(|l| !allowed.contains(*l)).collect();
    assert!(
        strays.is_empty(),
        "unexpected links in {context}: {strays:?}"
    );

    // MediaWiki shows an internal block as a `<div>`, which pandoc keeps as raw HTML; so is
    // the anchor in each event's heading that links between events point to.
    let mut want_raw: Vec<String> = Vec::new();
    if format == "mediawiki" {
        for event in &expected.events {
            want_raw.push(format!("<span id=\"{}\">", event.slug));
            want_raw.push("</span>".into());
            for _ in 0..event.internal_blocks {
                want_raw.extend(["<div class=\"internal\">".into(), "</div>".into()]);
            }
        }
        want_raw.push("<references />".into());
    }
    assert_eq!(ast.raw, want_raw, "raw markup in {context}");
    ast
}

const EXAMPLE_INTRO: Intro = Intro {
    notes: &[],
    links: &["https://zoek.officielebekendmakingen.nl/kst-26643-1182.html"],
};

const FOOTNOTES_INTRO: Intro = Intro {
    notes: &["The introduction's note: {{not a template}} and [[not a link]]."],
    links: &[],
};

const RICH_INTRO: Intro = Intro {
    notes: &["A footnote in the introduction."],
    links: &["https://vendor.example/"],
};

#[test]
fn pandoc_reads_every_heading_and_note_of_the_example_back() {
    for (format, from) in [("markdown", "gfm"), ("mediawiki", "mediawiki")] {
        let ast = round_trip(EXAMPLE, format, from, &[], &EXAMPLE_INTRO);
        // An anchor written by hand: the journalist's event cites Security.NL.
        let event = "Duitse journalist wijst NCSC op kwetsbaarheden in Cisco Webex";
        let index = ast
            .headers
            .iter()
            .filter(|(level, _)| *level == 3)
            .position(|(_, title)| title == event)
            .unwrap_or_else(|| panic!("{event} missing from the {format} export"));
        assert!(
            ast.notes[index + 1]
                .iter()
                .any(|n| n.starts_with("Bugs in Cisco Webex Meetings gebruikt voor ongeautoriseerde toegang, Security.NL, 4 juni 2024")),
            "{format}: {:#?}",
            ast.notes[index + 1]
        );
        assert!(ast
            .headers
            .contains(&(2, "dinsdag 4 juni 2024".to_string())));
    }
}

#[test]
fn pandoc_reads_every_heading_and_note_of_the_footnotes_fixture_back() {
    let expected = Expected::of(FOOTNOTES, &[]);
    assert!(expected.events.len() >= 6);
    for (format, from) in [("markdown", "gfm"), ("mediawiki", "mediawiki")] {
        let ast = round_trip(FOOTNOTES, format, from, &[], &FOOTNOTES_INTRO);
        let notes: usize = ast.notes.iter().map(Vec::len).sum();
        assert!(notes >= 25, "{format}: only {notes} notes");
        // Named refs: the shared advisory is written out once, then referred to.
        if format == "mediawiki" {
            let empty = ast.notes.iter().flatten().filter(|n| n.is_empty()).count();
            assert!(empty >= 5, "{empty} named refs reused");
        }
        // Two sources with one title from two publishers are two notes, each with its own
        // publisher (MediaWiki once gave both the first one's text under one named ref).
        for publisher in ["CERT", "Vendor & Sons"] {
            let text = format!("Press release, {publisher}, 6 June 2024");
            assert!(
                ast.notes.iter().flatten().any(|n| *n == text),
                "{format}: no note {text:?}"
            );
        }
        // Explicit anchors besides the computed expectations: the advisory is first cited by
        // the month-only event, then by the first report (by name only, in MediaWiki).
        let advisory =
            "Vendor advisory VSA-2024-01 | critical, Vendor & Sons, 3 June 2024 (archived copy)";
        assert_eq!(ast.notes[1][0], advisory, "{format}");
        let again = if format == "markdown" { advisory } else { "" };
        assert_eq!(ast.notes[3][0], again, "{format}");
        let statement = ast.notes.last().unwrap();
        let last = if format == "markdown" {
            statement.last().unwrap().clone()
        } else {
            statement[3].clone()
        };
        assert!(
            last.contains("Cited only inside another footnote, so no wiki may drop it."),
            "{format}: {statement:#?}"
        );
    }
}

/// A footnote holding a list and a table keeps them: MediaWiki's `<ref>` holds block content on
/// lines of its own (it was once flattened onto one line, which broke both), and a `!!` in a
/// header cell stays in its cell.
#[test]
fn a_footnote_with_a_list_and_a_table_comes_back_whole() {
    for (format, from) in [("markdown", "gfm"), ("mediawiki", "mediawiki")] {
        let doc = pandoc(from, &export(FOOTNOTES, format, &[]));
        let mut notes = Vec::new();
        fn find_notes(value: &Value, out: &mut Vec<Value>) {
            match value {
                Value::Array(items) => items.iter().for_each(|i| find_notes(i, out)),
                Value::Object(object) => {
                    if object.get("t").and_then(Value::as_str) == Some("Note") {
                        out.push(object["c"].clone());
                    }
                    object.values().for_each(|v| find_notes(v, out));
                }
                _ => {}
            }
        }
        find_notes(&doc, &mut notes);
        let note = notes
            .iter()
            .find(|n| plain(n).starts_with("What the patch fixed:"))
            .unwrap_or_else(|| panic!("{format}: no note with the list"));
        let kinds: Vec<&str> = note
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["t"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["Para", "BulletList", "Table", "Para"], "{format}");
        let items: Vec<String> = note[1]["c"].as_array().unwrap().iter().map(plain).collect();
        assert_eq!(
            items,
            ["the login bypass", "the recording download, with a link"],
            "{format}"
        );
        let table = &note[2];
        let header: Vec<String> = table["c"][3][1][0][1]
            .as_array()
            .unwrap()
            .iter()
            .map(|cell| plain(&cell[4]))
            .collect();
        assert_eq!(header, ["Version", "Status !! final"], "{format}");
        let rows = table["c"][4][0][3].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{format}");
        assert_eq!(plain(&note[3]), "Checked on 6 June.", "{format}");
    }
}

#[test]
fn pandoc_reads_internal_blocks_and_drafts_of_the_rich_fixture_back() {
    let args = &["--audience", "internal", "--drafts"];
    for (format, from) in [("markdown", "gfm"), ("mediawiki", "mediawiki")] {
        round_trip(RICH, format, from, args, &RICH_INTRO);
        round_trip(RICH, format, from, &[], &RICH_INTRO);
    }
}

/// What the author typed as text, in the footnotes fixture: each must come back as text.
const LITERALS: &[&str] = &[
    "Footnotes *everywhere*: a_stress_test",
    "{{not a template}} and [[not a link]]",
    "It also uses bold and a pipe | here.",
    "First report: *stars*, _underscores_ and user_name",
    "CERT | Response {{team}}",
    "Vendor & Sons",
    "* This line is not a list item, and # this is not a heading.",
    "= Not a heading either =",
    "{{template}}, [[Page|label]], '''not bold''', <nowiki> & ~~~~ and a pipe | here. = at the start of a line",
    "code | with pipe",
    "Vendor advisory VSA-2024-01 | critical",
    "Blog: ''quoted'' and [[bracketed]]",
    "Phone log ~~~~ (not published)",
    "Second report at 10:15 — 50% = *lots*",
    "Meeting notes {{draft}}",
    "Tell users | all of them.",
    "config|grep",
    "a pipe | inside a cell",
    "End of the day: [[brackets]] & {{braces}}",
    "<div class=\"raw\"> * not a list, but raw HTML shown as text </div>",
    "with ~~~ three tildes",
    "Patch 1.2.3 released (#42) <finally>",
    "Release notes [v1.2.3] (final)",
    "== Second paragraph, starting with equals signs ==",
    "Version number corrected | it was 1.2.2 {{sic}}.",
    "Statement: 'quotes', ~~~~ and a trailing #",
    "Joint statement <final> & signed",
];

/// Words that would be bold, italic, a link or a template if the export let wiki or Markdown
/// syntax through.
const NOT_MARKUP: &[&str] = &[
    "everywhere",
    "stars",
    "underscores",
    "lots",
    "not bold",
    "quoted",
    "team",
    "template",
];

#[test]
fn special_characters_come_back_as_text_not_markup() {
    for (format, from) in [("markdown", "gfm"), ("mediawiki", "mediawiki")] {
        let ast = Ast::read(from, &export(FOOTNOTES, format, &[]));
        let words = ast.words();
        let missing: Vec<&&str> = LITERALS.iter().filter(|l| !words.contains(**l)).collect();
        assert!(
            missing.is_empty(),
            "{format}: not text: {missing:#?}\n{words}"
        );
        for word in NOT_MARKUP {
            assert!(
                !ast.marked_up.iter().any(|m| m == word),
                "{format}: `{word}` became bold or italic: {:?}",
                ast.marked_up
            );
        }
        // The lists and tables the author wrote (an ordered list and a table in a body, a list
        // and a table in a footnote); no list, rule or code block made of a line that starts
        // with `*`, `#`, `-` or a space.
        let shapes: Vec<(&str, usize)> = [
            "BulletList",
            "OrderedList",
            "Table",
            "CodeBlock",
            "HorizontalRule",
            "BlockQuote",
            "Div",
        ]
        .iter()
        .map(|kind| (*kind, ast.count(kind)))
        .collect();
        assert_eq!(
            shapes,
            [
                ("BulletList", 1),
                ("OrderedList", 1),
                ("Table", 2),
                ("CodeBlock", 0),
                ("HorizontalRule", 0),
                ("BlockQuote", 0),
                ("Div", 0)
            ],
            "{format}"
        );
    }
}

#[test]
fn markdown_footnote_labels_are_unique_in_the_file() {
    for site in [EXAMPLE, FOOTNOTES, RICH] {
        let markdown = export(site, "markdown", &["--audience", "internal", "--drafts"]);
        let definitions: Vec<&str> = markdown
            .lines()
            .filter(|l| l.starts_with("[^"))
            .filter_map(|l| l.split_once("]:").map(|(label, _)| label))
            .collect();
        let unique: HashSet<String> = definitions.iter().map(|l| l.to_lowercase()).collect();
        assert_eq!(unique.len(), definitions.len(), "{site}: {definitions:?}");
        assert!(!definitions.is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// (2) The single-file HTML

#[test]
fn html_export_passes_check_site() {
    for (site, args) in [
        (EXAMPLE, &[][..]),
        (RICH, &["--audience", "internal", "--drafts"][..]),
        (FOOTNOTES, &[][..]),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.html");
        let run = kroniek(
            &[
                &["export", site, "--format", "html", "-o", path_str(&file)],
                args,
            ]
            .concat(),
        );
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert_check_site_clean(dir.path());
    }
}

/// Whether every `url(…)` in CSS is a `data:` URL or a fragment: anything else is a request.
fn only_data_urls(css: &str) -> bool {
    css.split("url(").skip(1).all(|rest| {
        let url = rest.trim_start().trim_start_matches(['"', '\'']);
        url.starts_with("data:") || url.starts_with('#')
    })
}

/// Every attribute that makes a browser fetch something.
const FETCHING: &[&str] = &["src", "srcset", "poster", "data", "action", "background"];

#[test]
fn html_export_is_self_contained() {
    for (site, args) in [
        (EXAMPLE, &[][..]),
        (RICH, &[][..]),
        (RICH, &["--audience", "internal", "--drafts"][..]),
        (FOOTNOTES, &[][..]),
    ] {
        let page = export(site, "html", args);
        let doc = Html::parse_document(&page);
        let context = format!("{site} {args:?}");
        assert_eq!(select(&doc, "script").count(), 0, "{context}");
        assert_eq!(select(&doc, "link").count(), 0, "{context}: <link>");
        assert_eq!(select(&doc, "style").count(), 1, "{context}");
        let css = select(&doc, "style")
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert!(css.len() > 1000, "{context}: the theme's CSS is inline");
        assert!(!css.contains("@import"), "{context}");
        assert!(only_data_urls(&css), "{context}: the CSS fetches something");
        for element in select(&doc, "*") {
            for (name, value) in element.value().attrs() {
                let fetches = FETCHING.contains(&name) && !value.starts_with("data:");
                let links_elsewhere = name.ends_with("href")
                    && element.value().name() != "a"
                    && !value.starts_with('#');
                assert!(
                    !fetches && !links_elsewhere,
                    "{context}: <{} {name}={value:?}>",
                    element.value().name()
                );
                if name == "style" {
                    assert!(only_data_urls(value), "{context}: {value}");
                }
            }
        }
        // The overview chart, inline, with a link per event to its place in the page.
        let chart = select(&doc, "figure.overview > svg").next();
        let chart = chart.unwrap_or_else(|| panic!("{context}: no inline chart"));
        let ids: HashSet<&str> = select(&doc, "[id]")
            .filter_map(|e| e.value().attr("id"))
            .collect();
        let marks: HashSet<&str> = chart
            .select(&sel("a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        for href in &marks {
            assert!(
                href.starts_with('#') && ids.contains(&href[1..]),
                "{context}: {href}"
            );
        }
        let events: HashSet<String> = select(&doc, "article.event")
            .map(|a| format!("#{}", a.value().id().unwrap()))
            .collect();
        assert!(!events.is_empty(), "{context}");
        assert_eq!(
            marks,
            events.iter().map(String::as_str).collect(),
            "{context}"
        );
    }
}

#[test]
fn html_export_inlines_content_images() {
    let page = export(RICH, "html", &[]);
    let doc = Html::parse_document(&page);
    let img = select(&doc, "article#morning-call img").next().unwrap();
    let png = std::fs::read(Path::new(RICH).join("content/img/chart.png")).unwrap();
    use base64::Engine;
    let want = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    );
    assert_eq!(img.value().attr("src"), Some(want.as_str()));
    assert_eq!(img.value().attr("alt"), Some("Chart of reports"));
}

/// In one lone file, a link to another event leads to it in the file, and a link to a content
/// file leads to the published site, or, with no site URL, stays readable as words and path.
#[test]
fn html_export_links_events_in_the_file_and_keeps_file_links_readable() {
    for (args, internal) in [(&[][..], false), (&["--audience", "internal"][..], true)] {
        let doc = Html::parse_document(&export(LINKS, "html", args));
        let context = format!("{args:?}");
        let mut to_patch = 0;
        for a in select(&doc, "main a[href]") {
            let href = a.value().attr("href").unwrap();
            let ok = href.starts_with("https://") || href.starts_with('#');
            assert!(ok, "{context}: dead link {href} ({})", squashed(a));
            if let Some(id) = href.strip_prefix('#') {
                let target = format!("[id=\"{id}\"]");
                assert!(select(&doc, &target).next().is_some(), "{context}: no {id}");
            }
            if squashed(a) == "the patch" || squashed(a) == "from an event page" {
                assert_eq!(href, "#patch", "{context}");
                to_patch += 1;
            }
        }
        assert_eq!(to_patch, 3 + usize::from(internal), "{context}");
        let text = squash(&doc.root_element().text().collect::<String>());
        for words in [
            "The report is in the PDF (docs/report.pdf), and the diagram is the network diagram (img/network.svg).",
            "See the patch and the log (docs/log.txt).",
            "The first report is the start.",
            "The internal follow-up stays internal.",
        ] {
            assert!(text.contains(words), "{context}: no {words:?} in {text}");
        }
        let follow_up: Vec<_> = select(&doc, ".body a[href='#follow-up']").collect();
        assert_eq!(follow_up.len(), usize::from(internal), "{context}");
    }
    // With the site's URL, links to files lead there.
    let doc = Html::parse_document(&export(
        LINKS,
        "html",
        &["--base-url", "https://example.org/links/"],
    ));
    let hrefs: Vec<&str> = select(&doc, "main a[href]")
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    for url in [
        "https://example.org/links/docs/report.pdf",
        "https://example.org/links/img/network.svg",
        "https://example.org/links/docs/log.txt",
        "#patch",
    ] {
        assert!(hrefs.contains(&url), "no {url} in {hrefs:?}");
    }
}

/// In the Markdown export, links to other events lead to the event's heading: pandoc, like
/// GitHub, gives each heading an id from its text, and every fragment link must find one.
#[test]
fn markdown_export_links_events_to_their_headings() {
    let doc = pandoc("gfm", &export(LINKS, "markdown", &[]));
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    fn walk(value: &Value, ids: &mut HashSet<String>, links: &mut Vec<String>) {
        match value {
            Value::Array(items) => items.iter().for_each(|i| walk(i, ids, links)),
            Value::Object(object) => {
                match object.get("t").and_then(Value::as_str) {
                    Some("Header") => {
                        ids.insert(object["c"][1][0].as_str().unwrap().to_string());
                    }
                    Some("Link") => links.push(object["c"][2][0].as_str().unwrap().to_string()),
                    _ => {}
                }
                object.values().for_each(|v| walk(v, ids, links));
            }
            _ => {}
        }
    }
    walk(&doc, &mut ids, &mut links);
    let fragments: Vec<&String> = links.iter().filter(|l| l.starts_with('#')).collect();
    assert_eq!(fragments.len(), 6, "{links:?}");
    for link in &fragments {
        assert!(ids.contains(&link[1..]), "{link} leads nowhere: {ids:?}");
    }
    assert!(
        fragments.iter().any(|l| *l == "#patch-released"),
        "{links:?}"
    );
    assert!(
        !links
            .iter()
            .any(|l| l.contains("events/") || l.contains("../")),
        "{links:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// (3) Drafts, internal events and internal blocks

#[test]
fn public_exports_leak_nothing() {
    for format in FORMATS {
        for args in [&[][..], &["--audience", "public"][..]] {
            let output = export(RICH, format, args);
            assert_eq!(
                canaries_in(&output),
                Vec::<&str>::new(),
                "{format} {args:?}"
            );
            // The public event that holds the internal block is there, with its public text.
            assert!(
                output.contains("published a statement"),
                "{format} {args:?}"
            );
            assert!(output.contains("Contact details are kept apart."));
        }
        // Drafts for public readers: the draft, but nothing internal.
        let output = export(RICH, format, &["--drafts"]);
        assert_eq!(canaries_in(&output), [DRAFT], "{format} --drafts");
    }
}

#[test]
fn public_build_leaks_nothing_in_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = kroniek(&["build", RICH, "-o", path_str(&out)]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut scanned = Vec::new();
    let mut leaks = Vec::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let name = entry
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for canary in canaries_in(&name) {
            leaks.push(format!("{canary} in the name {name}"));
        }
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            for canary in canaries_in(&String::from_utf8_lossy(&bytes)) {
                leaks.push(format!("{canary} in {name}"));
            }
            scanned.push(name);
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
    for file in [
        "index.html",
        "feed.xml",
        "timeline.json",
        "sitemap.xml",
        "sources/index.html",
    ] {
        assert!(
            scanned.iter().any(|f| f == file),
            "{file} not built: {scanned:?}"
        );
    }
}

/// Public text that cites a footnote (or uses a link) written only inside a `::: internal`
/// block: every export and a build fail, for every audience, naming the place, and show
/// nothing of the block.
#[test]
fn citing_an_internal_footnote_from_public_text_fails_and_leaks_nothing() {
    let site = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bad/internal-citation"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let runs = FORMATS
        .iter()
        .flat_map(|format| {
            [&[][..], &["--audience", "internal", "--drafts"][..]].map(|args| {
                let run = kroniek(&[&["export", site, "--format", format], args].concat());
                (format!("export {format} {args:?}"), run)
            })
        })
        .chain([(
            "build".to_string(),
            kroniek(&["build", site, "-o", path_str(&out)]),
        )]);
    for (what, run) in runs {
        assert_eq!(run.status.code(), Some(1), "{what}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        for at in [
            "content/2024-06-04-ncsc-warned.md:7:37",
            "content/2024-06-04-ncsc-warned.md:7:55",
        ] {
            assert!(stderr.contains(at), "{what}: {stderr}");
        }
        let everything = format!("{}{stderr}", String::from_utf8_lossy(&run.stdout));
        assert_eq!(canaries_in(&everything), Vec::<&str>::new(), "{what}");
    }
    assert!(!out.exists());
}

/// The words the exports mark drafts and internal content with, by site language.
struct Marks {
    draft: &'static str,
    internal: &'static str,
}

const ENGLISH: Marks = Marks {
    draft: "DRAFT",
    internal: "INTERNAL",
};
const DUTCH: Marks = Marks {
    draft: "CONCEPT",
    internal: "INTERN",
};

/// The top-level blocks of a pandoc document between the level-3 header `title` and the next
/// header.
fn blocks_under(doc: &Value, title: &str) -> Vec<Value> {
    let blocks = doc["blocks"].as_array().unwrap();
    let start = blocks
        .iter()
        .position(|b| b["t"] == "Header" && b["c"][0] == 3 && plain(b) == title)
        .unwrap_or_else(|| panic!("no heading {title:?}"));
    blocks[start + 1..]
        .iter()
        .take_while(|b| b["t"] != "Header")
        .cloned()
        .collect()
}

/// Whether a list of inlines or blocks starts with bold `label`.
fn starts_with_bold(items: &Value, label: &str) -> bool {
    let first = &items[0];
    match first["t"].as_str() {
        Some("Strong") => plain(&first["c"]) == label,
        Some("Para" | "Plain") => starts_with_bold(&first["c"], label),
        _ => false,
    }
}

/// The blocks of the first internal block among `blocks`: a block quote in Markdown, the
/// blocks between `<div class="internal">` and `</div>` in MediaWiki.
fn internal_block(blocks: &[Value], format: &str) -> Option<Value> {
    if format == "markdown" {
        let quote = blocks.iter().find(|b| b["t"] == "BlockQuote")?;
        return Some(quote["c"].clone());
    }
    let is_raw = |b: &Value, html: &str| b["t"] == "RawBlock" && b["c"][1] == html;
    let start = blocks
        .iter()
        .position(|b| is_raw(b, "<div class=\"internal\">"))?;
    let inner: Vec<Value> = blocks[start + 1..]
        .iter()
        .take_while(|b| !is_raw(b, "</div>"))
        .cloned()
        .collect();
    Some(Value::Array(inner))
}

/// Checks that an export shows the rich fixture's internal event, its internal block and, if
/// `drafts`, its draft, each marked with the language's word.
fn assert_marked(site: &str, format: &str, drafts: bool, marks: &Marks) {
    let mut args = vec!["--audience", "internal"];
    if drafts {
        args.push("--drafts");
    }
    let output = export(site, format, &args);
    let want: &[&str] = if drafts {
        &[DRAFT, INTERNAL, BLOCK]
    } else {
        &[INTERNAL, BLOCK]
    };
    let context = format!("{format} {args:?} ({})", marks.internal);
    assert_eq!(canaries_in(&output), want, "{context}");
    let mut flagged = vec![("CANARY-INTERNAL-7f3a internal meeting", marks.internal)];
    if drafts {
        flagged.push(("CANARY-DRAFT-7f3a not yet published", marks.draft));
    }
    match format {
        "markdown" | "mediawiki" => {
            let doc = pandoc(
                if format == "markdown" {
                    "gfm"
                } else {
                    "mediawiki"
                },
                &output,
            );
            for (title, mark) in &flagged {
                let blocks = Value::Array(blocks_under(&doc, title));
                assert!(
                    starts_with_bold(&blocks, mark),
                    "{context}: {title} not marked {mark}"
                );
            }
            let blocks = blocks_under(&doc, "Public statement by all three");
            let inner = internal_block(&blocks, format)
                .unwrap_or_else(|| panic!("{context}: no internal block in {blocks:#?}"));
            assert!(
                starts_with_bold(&inner, marks.internal),
                "{context}: {inner}"
            );
            assert!(
                plain(&inner).contains("CANARY-BLOCK-7f3a: the phone number"),
                "{context}"
            );
            // Footnotes written inside the internal block are marked in the notes too.
            let ast = Ast::read(
                if format == "markdown" {
                    "gfm"
                } else {
                    "mediawiki"
                },
                &output,
            );
            let notes: Vec<&String> = ast
                .notes
                .iter()
                .flatten()
                .filter(|n| {
                    n.contains("footnote defined inside the internal block")
                        || n.contains("footnote defined and cited inside")
                })
                .collect();
            assert_eq!(notes.len(), 2, "{context}: {:#?}", ast.notes);
            for note in notes {
                assert!(
                    note.starts_with(&format!("{} CANARY-BLOCK-7f3a", marks.internal)),
                    "{context}: {note}"
                );
            }
            assert!(
                ast.marked_up.iter().any(|m| m == marks.internal),
                "{context}"
            );
        }
        "html" => {
            let doc = Html::parse_document(&output);
            for (title, mark) in &flagged {
                let slug = if title.contains("DRAFT") {
                    "canary-draft-7f3a"
                } else {
                    "canary-internal-7f3a"
                };
                let flags: Vec<String> = select(&doc, &format!("article#{slug} .flag"))
                    .map(squashed)
                    .collect();
                assert_eq!(flags, [*mark], "{context}");
            }
            let block = select(&doc, "article#statement .body .internal")
                .next()
                .unwrap();
            let label = block.select(&sel(".internal-label")).next().map(squashed);
            assert_eq!(label.as_deref(), Some(marks.internal), "{context}");
            assert!(squashed(block).contains("CANARY-BLOCK-7f3a"), "{context}");
            // Footnotes written inside the internal block are marked in the notes list.
            let internal_notes: Vec<String> = select(&doc, "article#statement .notes li")
                .filter(|li| squashed(*li).contains("CANARY-BLOCK-7f3a"))
                .map(|li| {
                    li.select(&sel(".internal-label"))
                        .next()
                        .map(squashed)
                        .unwrap_or_default()
                })
                .collect();
            assert_eq!(
                internal_notes,
                [marks.internal, marks.internal],
                "{context}"
            );
        }
        _ => {
            let data: Value = serde_json::from_str(&output).unwrap();
            let event = |slug: &str| {
                data["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["slug"] == slug)
                    .cloned()
                    .unwrap_or_else(|| panic!("{context}: no {slug}"))
            };
            assert_eq!(event("canary-internal-7f3a")["internal"], true);
            if drafts {
                assert_eq!(event("canary-draft-7f3a")["draft"], true);
            }
            let body = Html::parse_fragment(event("statement")["body_html"].as_str().unwrap());
            let label = select(&body, ".internal .internal-label")
                .next()
                .map(squashed);
            assert_eq!(label.as_deref(), Some(marks.internal), "{context}");
            let notes = event("statement")["notes"].as_array().unwrap().clone();
            let internal: Vec<&Value> = notes.iter().filter(|n| n["internal"] == true).collect();
            assert_eq!(internal.len(), 2, "{context}: {notes:#?}");
            for note in internal {
                let html = Html::parse_fragment(note["html"].as_str().unwrap());
                let label = select(&html, ".internal-label").next().map(squashed);
                assert_eq!(label.as_deref(), Some(marks.internal), "{context}");
            }
            // Only those: public notes carry no `internal` field.
            assert!(notes.iter().filter(|n| n.get("internal").is_none()).count() >= 3);
        }
    }
}

#[test]
fn internal_exports_show_internal_content_marked() {
    for format in FORMATS {
        assert_marked(RICH, format, false, &ENGLISH);
        assert_marked(RICH, format, true, &ENGLISH);
    }
}

#[test]
fn internal_exports_are_marked_in_the_site_language() {
    let dutch = copy_site(RICH, |index| index.replace("language: en", "language: nl"));
    for format in FORMATS {
        assert_marked(path_str(dutch.path()), format, true, &DUTCH);
    }
}

/// The title line of each export: what pandoc reads as the first block (the Markdown `#`
/// heading, the MediaWiki bold line), the HTML's `<title>` and `<h1>`, the JSON's `title`.
fn title_lines(site: &str, args: &[&str]) -> Vec<(String, String)> {
    let mut titles = Vec::new();
    for (format, from, kind) in [
        ("markdown", "gfm", "Header"),
        ("mediawiki", "mediawiki", "Para"),
    ] {
        let doc = pandoc(from, &export(site, format, args));
        let first = &doc["blocks"][0];
        assert_eq!(first["t"], kind, "{format}: {first}");
        titles.push((format.to_string(), plain(first)));
    }
    let html = Html::parse_document(&export(site, "html", args));
    for css in ["head title", "main h1"] {
        let found: Vec<String> = select(&html, css).map(squashed).collect();
        assert_eq!(found.len(), 1, "html {css}");
        titles.push((format!("html {css}"), found[0].clone()));
    }
    let data: Value = serde_json::from_str(&export(site, "json", args)).unwrap();
    titles.push((
        "json".to_string(),
        data["title"].as_str().unwrap().to_string(),
    ));
    titles
}

/// An internal export passed on without its context still says that it is internal, in the
/// site's language, in its title line; a public export keeps the site's title as it is.
#[test]
fn internal_exports_say_internal_in_their_title_line() {
    let dutch = copy_site(RICH, |index| index.replace("language: en", "language: nl"));
    let title = "Rich fixture — a café chronology";
    for (site, marks) in [(RICH, &ENGLISH), (path_str(dutch.path()), &DUTCH)] {
        for (args, want) in [
            (
                &["--audience", "internal"][..],
                format!("{}: {title}", marks.internal),
            ),
            (&["--drafts"][..], title.to_string()),
            (&[][..], title.to_string()),
        ] {
            for (format, found) in title_lines(site, args) {
                assert_eq!(found, want, "{format} {args:?}");
            }
        }
    }
}

/// The internal single-file HTML carries the same marks as every page of an internal build:
/// `noindex`, and the banner as a named region before the content.
#[test]
fn internal_html_export_asks_robots_to_stay_out_and_shows_the_banner() {
    let html = Html::parse_document(&export(RICH, "html", &["--audience", "internal"]));
    let robots: Vec<&str> = select(&html, "head meta[name=robots]")
        .map(|m| m.value().attr("content").unwrap())
        .collect();
    assert_eq!(robots, ["noindex, nofollow"]);
    let banner: Vec<ElementRef> =
        select(&html, "body > div.audience-banner[role=region]").collect();
    assert_eq!(banner.len(), 1);
    let label = banner[0].value().attr("aria-labelledby").unwrap();
    let named = banner[0]
        .select(&sel(&format!("[id='{label}']")))
        .next()
        .unwrap();
    assert_eq!(squashed(named), "INTERNAL — not for publication");
    let first = select(&html, "body > *").next().unwrap();
    assert_eq!(first.value().attr("class"), Some("audience-banner"));
    let public = Html::parse_document(&export(RICH, "html", &[]));
    assert_eq!(
        select(&public, "meta[name=robots], .audience-banner").count(),
        0
    );
}

/// The site's `base_url` is the public site's: internal exports do not make links absolute
/// under it (a link to an internal event or file would point into the public site), and
/// `--base-url` is refused with `--audience internal`, before anything is read or written.
#[test]
fn internal_exports_name_no_public_address() {
    for format in FORMATS {
        let output = export(RICH, format, &["--audience", "internal", "--drafts"]);
        assert!(
            !output.contains("example.org/sub/path"),
            "{format} names the public base_url"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.md");
    let run = kroniek(&[
        "export",
        RICH,
        "--format",
        "markdown",
        "--audience",
        "internal",
        "--base-url",
        "https://example.org/",
        "-o",
        path_str(&file),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr).trim_end(),
        "error: --base-url cannot be used with --audience internal: internal output names no \
         address of its own (no canonical links, no sitemap, feed ids `urn:kroniek:…`), so that \
         it is never taken for the published site"
    );
    assert!(run.stdout.is_empty());
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// (4) Output

#[test]
fn failed_export_writes_nothing_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    for format in FORMATS {
        // No file before: none after.
        let fresh = dir.path().join(format!("fresh.{format}"));
        let run = kroniek(&["export", BROKEN, "--format", format, "-o", path_str(&fresh)]);
        assert_eq!(run.status.code(), Some(1), "{format}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("the event ends before it starts"),
            "{stderr}"
        );
        assert!(stderr.contains("nothing was written"), "{stderr}");
        assert!(run.stdout.is_empty());
        // A file before: the same bytes after.
        let old = dir.path().join("old");
        let bytes: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        std::fs::write(&old, &bytes).unwrap();
        let run = kroniek(&["export", BROKEN, "--format", format, "-o", path_str(&old)]);
        assert_eq!(run.status.code(), Some(1), "{format}");
        assert_eq!(std::fs::read(&old).unwrap(), bytes, "{format}");
        // And no temporary file beside them.
        assert_eq!(names_in(dir.path()), ["old"], "{format}");
    }
}

#[test]
fn export_to_a_file_replaces_it_whole_and_leaves_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chronology.md");
    std::fs::write(&file, "an older, much longer export ".repeat(1000)).unwrap();
    let run = kroniek(&[
        "export",
        RICH,
        "--format",
        "markdown",
        "-o",
        path_str(&file),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        run.stdout.is_empty(),
        "nothing on standard output with -o FILE"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        export(RICH, "markdown", &[])
    );
    assert_eq!(names_in(dir.path()), ["chronology.md"]);
}

#[test]
fn dash_and_no_output_mean_standard_output() {
    for format in FORMATS {
        let plain = kroniek(&["export", RICH, "--format", format]);
        let dash = kroniek(&["export", RICH, "--format", format, "-o", "-"]);
        let long = kroniek(&["export", RICH, "--format", format, "--output", "-"]);
        for run in [&plain, &dash, &long] {
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            assert!(
                run.stderr.is_empty(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
        assert!(plain.stdout.len() > 1000, "{format}");
        assert_eq!(plain.stdout, dash.stdout, "{format}");
        assert_eq!(plain.stdout, long.stdout, "{format}");
        assert!(!Path::new("-").exists(), "-o - wrote a file named `-`");
    }
}

#[test]
fn json_export_is_byte_identical_to_timeline_json() {
    for site in [EXAMPLE, RICH, FOOTNOTES] {
        for args in [&[][..], &["--audience", "internal", "--drafts"][..]] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let run = kroniek(&[&["build", site, "-o", path_str(&out)], args].concat());
            assert!(
                run.status.success(),
                "{}",
                String::from_utf8_lossy(&run.stderr)
            );
            let built = std::fs::read(out.join("timeline.json")).unwrap();
            let exported = kroniek(&[&["export", site, "--format", "json"], args].concat());
            assert!(exported.status.success());
            assert!(
                exported.stdout == built,
                "{site} {args:?}: export differs from timeline.json"
            );
        }
    }
}

#[test]
fn unknown_format_is_a_usage_error() {
    for args in [
        &["export", RICH, "--format", "docx"][..],
        &["export", RICH][..],
        &[
            "export",
            RICH,
            "--format",
            "markdown",
            "--audience",
            "everyone",
        ][..],
    ] {
        let run = kroniek(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(run.stdout.is_empty());
    }
    let run = kroniek(&["export", RICH, "--format", "docx"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    for name in FORMATS {
        assert!(stderr.contains(name), "{stderr}");
    }
}

#[test]
fn dates_and_words_follow_the_site_language() {
    // English: the rich fixture.
    let markdown = export(RICH, "markdown", &[]);
    assert!(markdown.contains("## Tuesday 4 June 2024\n"), "{markdown}");
    assert!(markdown.contains("*Corrected on 10 June 2024*: Time corrected"));
    assert!(markdown.contains("*Updated on 15 June 2024*"));
    assert!(markdown.contains(", The Blog, 2 June 2024 ([archived copy]("));
    let wiki = export(RICH, "mediawiki", &[]);
    assert!(wiki.contains("== Tuesday 4 June 2024 ==\n"));
    assert!(wiki.contains("''Updated on 15 June 2024''"));
    assert!(
        wiki.ends_with("== Sources ==\n\n<references />\n"),
        "{wiki}"
    );
    let html = Html::parse_document(&export(RICH, "html", &[]));
    assert_eq!(select(&html, "html[lang='en']").count(), 1);
    let days: Vec<String> = select(&html, "h2.day-title").map(squashed).collect();
    assert!(
        days.contains(&"Tuesday 4 June 2024".to_string()),
        "{days:?}"
    );
    let notes_titles: HashSet<String> = select(&html, ".notes-title").map(squashed).collect();
    assert!(notes_titles.contains("Sources"), "{notes_titles:?}");

    // Dutch: the example.
    let markdown = export(EXAMPLE, "markdown", &[]);
    assert!(markdown.contains("## dinsdag 4 juni 2024\n"), "{markdown}");
    assert!(!markdown.contains("Tuesday"));
    let wiki = export(EXAMPLE, "mediawiki", &[]);
    assert!(wiki.contains("== dinsdag 4 juni 2024 ==\n"));
    assert!(
        wiki.ends_with("== Bronnen ==\n\n<references />\n"),
        "{wiki}"
    );
    let html = Html::parse_document(&export(EXAMPLE, "html", &[]));
    assert_eq!(select(&html, "html[lang='nl']").count(), 1);
    let days: Vec<String> = select(&html, "h2.day-title").map(squashed).collect();
    assert!(
        days.contains(&"dinsdag 4 juni 2024".to_string()),
        "{days:?}"
    );
    let notes_titles: HashSet<String> = select(&html, ".notes-title").map(squashed).collect();
    assert!(notes_titles.contains("Bronnen"), "{notes_titles:?}");

    // The same site in the other language: only the language changed.
    let english = copy_site(EXAMPLE, |index| {
        index.replace("language: nl", "language: en")
    });
    let markdown = export(path_str(english.path()), "markdown", &[]);
    assert!(markdown.contains("## Tuesday 4 June 2024\n"), "{markdown}");
    let wiki = export(path_str(english.path()), "mediawiki", &[]);
    assert!(wiki.ends_with("== Sources ==\n\n<references />\n"));
}

/// `docs/examples/` holds the example site exported to each format, linked from the README as
/// what kroniek makes: they must be what it makes now. After a change to an export or the
/// theme, make them again with
/// `for f in markdown:md mediawiki:wiki html:html json:json timelinejs:timelinejs.json csv:csv; do cargo run -- export --format ${f%%:*} -o docs/examples/webex.${f##*:}; done`.
#[test]
fn docs_examples_are_the_current_exports_of_the_example() {
    for (format, extension) in [
        ("markdown", "md"),
        ("mediawiki", "wiki"),
        ("html", "html"),
        ("json", "json"),
        ("timelinejs", "timelinejs.json"),
        ("csv", "csv"),
    ] {
        let path = Path::new(EXAMPLE).join(format!("docs/examples/webex.{extension}"));
        let committed = std::fs::read_to_string(&path).unwrap();
        assert!(
            committed == export(EXAMPLE, format, &[]),
            "{} is not what `kroniek export --format {format}` makes now: make it again (see this test's comment)",
            path.display()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Nesting: one depth limit for build, check and every export

/// A site of one event whose body is `body`, in a temporary folder.
fn site_with_body(body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: \"T\"\nlanguage: en\ntimezone: UTC\n---\n",
    )
    .unwrap();
    std::fs::write(
        content.join("2024-01-01-a.md"),
        format!("---\ntitle: \"A\"\ndate: 2024-01-01\n---\nIntro.\n\n{body}"),
    )
    .unwrap();
    dir
}

/// 17,500 nested `>` overflowed the MediaWiki writer's stack (an abort, not an error) while
/// build and check accepted the site. Now build, check and every export give the same error
/// at the same line and column, run in a thread with the default 2 MiB stack of spawned
/// threads, so that no output can overflow a smaller stack than `main`'s either.
#[test]
fn deep_nesting_is_one_error_for_build_check_and_every_export() {
    let cases = [
        ("quotes", "> ".repeat(17_500) + "deep\n", 201),
        // A list and its item are two levels: the 51st list.
        ("lists", "- ".repeat(17_500) + "deep\n", 101),
        ("ordered lists", "1. ".repeat(17_500) + "deep\n", 151),
        // Quote, list, item: the list of the 34th `> - `.
        ("quoted lists", "> - ".repeat(8_750) + "deep\n", 135),
    ];
    for (what, body, column) in cases {
        let dir = site_with_body(&body);
        let site = dir.path().to_path_buf();
        let out = dir.path().join("public");
        let expected = (
            "too-deep",
            7,
            column,
            "Markdown nested more than 100 levels deep".to_string(),
        );
        let located = |problems: &[kroniek::diagnostics::Problem]| -> Vec<_> {
            problems
                .iter()
                .filter(|p| p.is_error())
                .map(|p| (p.code, p.line, p.column, p.message.clone()))
                .collect()
        };
        let results = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let mut results = Vec::new();
                let built = kroniek::build(&kroniek::BuildOptions {
                    site: site.clone(),
                    output: Some(out),
                    base_url: None,
                    audience: kroniek::audience::Audience::PUBLIC,
                });
                results.push(("build", built.map(|_| ())));
                results.push((
                    "check",
                    Err(kroniek::Failure::Content {
                        errors: kroniek::check(&site),
                        warnings: 0,
                    }),
                ));
                use kroniek::audience::Audience;
                use kroniek::export::Format;
                for audience in [Audience::PUBLIC, Audience::EVERYONE] {
                    for format in [
                        Format::Markdown,
                        Format::Mediawiki,
                        Format::Html,
                        Format::Json,
                        Format::Timelinejs,
                        Format::Csv,
                    ] {
                        let exported = kroniek::export(&kroniek::export::ExportOptions {
                            site: site.clone(),
                            format,
                            audience,
                            base_url: None,
                        });
                        results.push(("export", exported.map(|_| ())));
                    }
                }
                results
            })
            .unwrap()
            .join()
            .unwrap_or_else(|_| panic!("{what}: a thread with a 2 MiB stack panicked"));
        for (command, result) in results {
            match result {
                Err(kroniek::Failure::Content {
                    errors: problems, ..
                }) => assert_eq!(
                    located(&problems),
                    vec![expected.clone()],
                    "{what}: {command}"
                ),
                other => panic!("{what}: {command} gave {other:?}, not the nesting error"),
            }
        }
    }
}
