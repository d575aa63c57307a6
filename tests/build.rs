//! Builds fixture sites with the `kroniek` binary into temporary folders and checks the output
//! by parsing it: event order, ids, links, footnotes, audiences, escaping, organisation and
//! sources pages, dates, determinism, base URLs and event pages.
//!
//! The rich fixture (`tests/fixtures/rich`) is an English site with one event for each feature;
//! `PUBLIC` below is its expected timeline, written by hand from SPEC.md's rules.

use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

mod common;

use common::{sel, squashed, Built};

const RICH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rich");
const BASE_URL: &str = "https://example.org/sub/path/";

/// The public events of the rich fixture in SPEC order: start instant, coarser before finer,
/// then file path. (slug, title, organisations)
const PUBLIC: &[(&str, &str, &[&str])] = &[
    // 2024: a year sorts before everything in it.
    ("whole-year", "The whole of 2024: background", &["cert"]),
    // June 2024 starts at the same instant as 1 June; the month is coarser, so first (its file
    // path sorts after `2024-06-01-kickoff.md`).
    ("patch-cycle", "June patch cycle", &["vendor"]),
    (
        "kickoff",
        "Café meeting with a naïve vendor — first contact",
        &["cert", "press"],
    ),
    (
        "report-received",
        "CERT receives a report from the press",
        &["cert", "press"],
    ),
    // 4 June without a time (a `time:` label only) before 4 June 09:30, although its file path
    // sorts after.
    (
        "title-escaping",
        "Escaping <b>&\"quotes\"</b> in a title",
        &["press"],
    ),
    (
        "morning-call",
        "Morning call between CERT and the vendor",
        &["cert", "vendor"],
    ),
    ("offset-meeting", "Vendor meeting in New York", &["vendor"]),
    // Same day, no time: `2024-06/2024-06-06-zeta.md` sorts before `2024-06/alpha.md`.
    ("zeta", "Zeta: first of two events on Thursday", &["cert"]),
    (
        "alpha",
        "Alpha: second of two events on Thursday",
        &["vendor"],
    ),
    ("investigation", "Investigation period", &["cert"]),
    // 2024-06-08T22:30Z is 00:30 on 9 June in Amsterdam.
    (
        "night-deploy",
        "Night deploy just after midnight",
        &["vendor"],
    ),
    (
        "statement",
        "Public statement by all three",
        &["cert", "vendor", "press"],
    ),
];

const ORGS: &[(&str, &str)] = &[
    ("cert", "Computer Emergency Response Team"),
    ("vendor", "Vendor Inc."),
    ("press", "Le Café Naïf — the press"),
];

/// Strings that only a draft, an internal event or a `::: internal` block contain (compared
/// case-insensitively, so they also catch slugs and URLs).
const CANARIES: &[&str] = &[
    "canary-draft-7f3a",
    "canary-internal-7f3a",
    "canary-block-7f3a",
];

// ---------------------------------------------------------------------------------------------
// Helpers

/// Runs `kroniek build SITE -o <temp> ARGS…` and insists that it succeeds.
fn build(site: &str, args: &[&str]) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    common::build_into(Path::new(site), &out, args);
    Built { _dir: dir, out }
}

/// What only these tests ask of a built site (`Built` itself is shared).
impl Built {
    /// Every file, as a `/`-separated path relative to the output folder, sorted.
    fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, prefix: &str, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
                if entry.file_type().unwrap().is_dir() {
                    walk(&entry.path(), &format!("{name}/"), found);
                } else {
                    found.push(name);
                }
            }
        }
        let mut found = Vec::new();
        walk(&self.out, "", &mut found);
        found.sort();
        found
    }

    fn pages(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// All text of an element, as it is.
fn text(el: ElementRef) -> String {
    el.text().collect()
}

fn select_all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

fn select_one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select_all(doc, css);
    assert_eq!(found.len(), 1, "expected exactly one `{css}`");
    found[0]
}

fn attr<'a>(el: ElementRef<'a>, name: &str) -> &'a str {
    el.value().attr(name).unwrap_or_default()
}

/// The ids of the `<article>`s of a page, in document order.
fn article_ids(doc: &Html) -> Vec<String> {
    select_all(doc, "article.event")
        .into_iter()
        .map(|a| attr(a, "id").to_string())
        .collect()
}

fn public_slugs() -> Vec<&'static str> {
    PUBLIC.iter().map(|e| e.0).collect()
}

/// Ids that occur more than once on a page.
fn duplicate_ids(doc: &Html) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut twice = BTreeSet::new();
    for el in doc.select(&sel("[id]")) {
        let id = attr(el, "id").to_string();
        if !seen.insert(id.clone()) {
            twice.insert(id);
        }
    }
    twice.into_iter().collect()
}

/// Whether a URL has a scheme (`https:`, `mailto:`…), i.e. leaves the site.
fn has_scheme(url: &str) -> bool {
    match url.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Resolves a relative `url` found on the page at `from` to a path in the output and a
/// fragment. Root-relative URLs (`/x/…`) are allowed only when `root_path` is given (404.html,
/// whose links start with the site's path). `None` for links that leave the site.
fn resolve(
    from: &str,
    url: &str,
    root_path: Option<&str>,
) -> Option<Result<(String, String), String>> {
    if has_scheme(url) || url.starts_with("//") {
        return None;
    }
    let (rest, fragment) = url.split_once('#').unwrap_or((url, ""));
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    let mut parts: Vec<&str> = Vec::new();
    let joined = if path.is_empty() {
        return Some(Ok((from.to_string(), fragment.to_string())));
    } else if let Some(absolute) = path.strip_prefix('/') {
        match root_path {
            Some(root) if path.starts_with(root) => path[root.len()..].to_string(),
            _ => {
                return Some(Err(format!(
                    "root-relative link (breaks under a sub-path and on file://): {absolute}"
                )))
            }
        }
    } else {
        match from.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{path}"),
            None => path.to_string(),
        }
    };
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err("goes above the site root".into()));
                }
            }
            other => parts.push(other),
        }
    }
    if joined.ends_with('/') {
        return Some(Err("names a folder, not a file (fails on file://)".into()));
    }
    Some(Ok((parts.join("/"), fragment.to_string())))
}

/// Every link (`attribute` of the elements `css`) on every page that does not resolve to an
/// existing file, or whose fragment names no element of the target page. 404.html may link from
/// the path of `base_url`.
fn broken_links(site: &Built, css: &str, attribute: &str, base_url: &str) -> Vec<String> {
    let files: HashSet<String> = site.files().into_iter().collect();
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let after_scheme = base_url.split_once("://").unwrap().1;
    let root_path = &after_scheme[after_scheme.find('/').unwrap()..];
    let mut broken = Vec::new();
    for page in site.pages() {
        let doc = site.html(&page);
        let root = (page == "404.html").then_some(root_path);
        for el in doc.select(&sel(css)) {
            let url = attr(el, attribute);
            let Some(resolved) = resolve(&page, url, root) else {
                continue;
            };
            let (target, fragment) = match resolved {
                Ok(found) => found,
                Err(why) => {
                    broken.push(format!("{page}: {url}: {why}"));
                    continue;
                }
            };
            if !files.contains(&target) {
                broken.push(format!("{page}: {url}: no file {target}"));
                continue;
            }
            if fragment.is_empty() {
                continue;
            }
            let known = ids.entry(target.clone()).or_insert_with(|| {
                select_all(&site.html(&target), "[id]")
                    .into_iter()
                    .map(|e| attr(e, "id").to_string())
                    .collect()
            });
            if !known.contains(&fragment) {
                broken.push(format!("{page}: {url}: no id `{fragment}` in {target}"));
            }
        }
    }
    broken
}

/// The visible label of a note: a source's title or a footnote's text.
fn note_label(li: ElementRef) -> String {
    match li.select(&sel("cite")).next() {
        Some(cite) => squashed(cite),
        None => li
            .select(&sel(".footnote"))
            .next()
            .map(squashed)
            .unwrap_or_default(),
    }
}

/// The numbers shown by the note markers of an event, in document order.
fn marker_numbers(article: ElementRef) -> Vec<String> {
    article
        .select(&sel(".body sup.note-ref a"))
        .map(squashed)
        .collect()
}

/// Checks the notes of one event as SPEC.md's "Sources and footnotes" describes them; returns
/// what is wrong.
fn note_problems(article: ElementRef) -> Vec<String> {
    let slug = attr(article, "id");
    let mut problems = Vec::new();
    let items: Vec<ElementRef> = article.select(&sel("section.notes ol > li")).collect();
    let markers: Vec<ElementRef> = article.select(&sel("sup.note-ref a")).collect();
    let number_of: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, li)| (attr(*li, "id"), i + 1))
        .collect();
    for (i, li) in items.iter().enumerate() {
        if attr(*li, "value") != (i + 1).to_string() {
            problems.push(format!(
                "{slug}: note {} has value `{}`",
                i + 1,
                attr(*li, "value")
            ));
        }
    }
    // Markers: each links to the note with its number; numbers appear in order 1, 2, 3…
    let mut first_seen = Vec::new();
    for m in &markers {
        let target = attr(*m, "href").trim_start_matches('#');
        let shown = squashed(*m);
        match number_of.get(target) {
            Some(n) if n.to_string() == shown => {
                if !first_seen.contains(n) {
                    first_seen.push(*n);
                }
            }
            Some(n) => problems.push(format!("{slug}: marker `{shown}` links to note {n}")),
            None => problems.push(format!(
                "{slug}: marker `{shown}` links to `#{target}`, not a note of the event"
            )),
        }
    }
    let expected: Vec<usize> = (1..=items.len()).collect();
    if first_seen != expected {
        problems.push(format!(
            "{slug}: notes first cited in the order {first_seen:?}, expected {expected:?}"
        ));
    }
    // Back-links: each note's back-links are exactly the markers that point to it.
    for li in &items {
        let id = attr(*li, "id");
        let pointing: BTreeSet<&str> = markers
            .iter()
            .filter(|m| attr(**m, "href") == format!("#{id}"))
            .map(|m| attr(*m, "id"))
            .collect();
        let back: BTreeSet<&str> = li
            .select(&sel("a.backref"))
            .map(|a| attr(a, "href").trim_start_matches('#'))
            .collect();
        if pointing != back || back.is_empty() {
            problems.push(format!(
                "{slug}: note `{id}` links back to {back:?}, its markers are {pointing:?}"
            ));
        }
    }
    problems
}

/// Heading levels of a page in document order.
fn heading_levels(doc: &Html) -> Vec<u8> {
    select_all(doc, "h1, h2, h3, h4, h5, h6")
        .into_iter()
        .map(|h| h.value().name().as_bytes()[1] - b'0')
        .collect()
}

/// One `<h1>`, first, and no level skipped on the way down.
fn heading_problems(page: &str, doc: &Html) -> Vec<String> {
    let levels = heading_levels(doc);
    let mut problems = Vec::new();
    if levels.iter().filter(|l| **l == 1).count() != 1 || levels.first() != Some(&1) {
        problems.push(format!("{page}: headings {levels:?}: want one h1, first"));
    }
    for pair in levels.windows(2) {
        if pair[1] > pair[0] + 1 {
            problems.push(format!(
                "{page}: h{} follows h{} (levels {levels:?})",
                pair[1], pair[0]
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// (1) Order

#[test]
fn index_lists_events_in_spec_order() {
    let site = build(RICH, &[]);
    assert_eq!(article_ids(&site.html("index.html")), public_slugs());
}

#[test]
fn internal_build_with_drafts_keeps_the_same_order() {
    let site = build(RICH, &["--audience", "internal", "--drafts"]);
    let mut expected = public_slugs();
    // The draft is dated 8 June (after the period starting 7 June, before 00:30 on 9 June); the
    // internal event 11 June.
    expected.insert(10, "canary-draft-7f3a");
    expected.push("canary-internal-7f3a");
    assert_eq!(article_ids(&site.html("index.html")), expected);
}

// (2) Ids

#[test]
fn ids_are_unique_on_every_page() {
    for site in [
        build(RICH, &[]),
        build(RICH, &["--audience", "internal", "--drafts"]),
    ] {
        let pages = site.pages();
        assert!(pages.len() >= 17, "{pages:?}");
        let duplicates: Vec<String> = pages
            .iter()
            .flat_map(|page| {
                duplicate_ids(&site.html(page))
                    .into_iter()
                    .map(move |id| format!("{page}: {id}"))
            })
            .collect();
        assert!(duplicates.is_empty(), "duplicate ids:\n{duplicates:#?}");
    }
}

// (3) Links

#[test]
fn internal_links_resolve_to_files_and_ids() {
    for site in [
        build(RICH, &[]),
        build(RICH, &["--audience", "internal", "--drafts"]),
    ] {
        let broken = broken_links(&site, "[href]", "href", BASE_URL);
        assert!(broken.is_empty(), "broken links:\n{broken:#?}");
    }
}

#[test]
fn link_resolver_catches_broken_links() {
    assert_eq!(
        resolve("events/a/index.html", "../../index.html#x", None),
        Some(Ok(("index.html".into(), "x".into())))
    );
    assert_eq!(
        resolve("index.html", "#top", None),
        Some(Ok(("index.html".into(), "top".into())))
    );
    assert_eq!(resolve("index.html", "https://example.org/", None), None);
    assert!(matches!(
        resolve("index.html", "/x.html", None),
        Some(Err(_))
    ));
    assert!(matches!(
        resolve("index.html", "../x.html", None),
        Some(Err(_))
    ));
    assert!(matches!(
        resolve("index.html", "events/a/", None),
        Some(Err(_))
    ));
    let site = build(RICH, &[]);
    std::fs::remove_file(site.out.join("sources/index.html")).unwrap();
    assert!(!broken_links(&site, "[href]", "href", BASE_URL).is_empty());
}

/// `![Chart](img/chart.png)` in a body: the file is copied to `img/chart.png`, and the image
/// must show wherever the body is shown (the timeline, the event's page, organisation pages).
#[test]
fn content_files_are_copied_and_images_resolve_on_every_page() {
    let site = build(RICH, &[]);
    let copied = std::fs::read(site.out.join("img/chart.png")).unwrap();
    let original = std::fs::read(Path::new(RICH).join("content/img/chart.png")).unwrap();
    assert_eq!(copied, original);
    let images: usize = site
        .pages()
        .iter()
        .map(|p| select_all(&site.html(p), "img[src]").len())
        .sum();
    assert!(
        images >= 3,
        "the chart is shown on index, event and org pages"
    );
    let broken = broken_links(&site, "img[src]", "src", BASE_URL);
    assert!(broken.is_empty(), "broken images:\n{broken:#?}");
}

// (4) Footnotes

#[test]
fn footnotes_and_sources_share_one_numbering_per_event() {
    let site = build(RICH, &[]);
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in site.pages() {
        let doc = site.html(&page);
        for article in doc.select(&sel("article.event")) {
            problems.extend(
                note_problems(article)
                    .into_iter()
                    .map(|p| format!("{page}: {p}")),
            );
            checked += 1;
        }
    }
    // 12 on the timeline, 12 event pages, 7 + 6 + 4 on organisation pages.
    assert_eq!(checked, 41);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn notes_are_numbered_by_first_citation_then_uncited_sources() {
    let site = build(RICH, &[]);
    let expected: &[(&str, &[&str], &[&str])] = &[
        (
            "report-received",
            // [^blog] [^1] [^blog] [^advisory] [^blog], then the uncited telephone note.
            &["1", "2", "1", "3", "1", "4"],
            &[
                "Journalist's blog post",
                "Logged in the ticket system.",
                "CERT advisory 2024-001",
                "Telephone note, not published",
            ],
        ),
        (
            "whole-year",
            &["1", "2"],
            &[
                "A year-only event has a footnote too.",
                "Minutes of the crisis meeting",
            ],
        ),
        (
            "investigation",
            &["1", "2", "3"],
            &[
                "Investigation report",
                "A period with an end date.",
                "Uncited source with a URL",
            ],
        ),
    ];
    for page in ["index.html", "events/report-received/index.html"] {
        let doc = site.html(page);
        for (slug, markers, labels) in expected {
            let article = match doc.select(&sel(&format!("article[id='{slug}']"))).next() {
                Some(a) => a,
                None if page != "index.html" => continue,
                None => panic!("{slug} missing on {page}"),
            };
            assert_eq!(&marker_numbers(article), markers, "{page}: {slug}");
            let shown: Vec<String> = article
                .select(&sel("section.notes ol > li"))
                .map(note_label)
                .collect();
            assert_eq!(&shown, labels, "{page}: {slug}");
            // Ids are prefixed with the slug: `[^1]` appears in many events on one page.
            let ids: Vec<&str> = article
                .select(&sel("section.notes ol > li"))
                .map(|li| attr(li, "id"))
                .collect();
            let want: Vec<String> = (1..=labels.len())
                .map(|n| format!("{slug}.fn{n}"))
                .collect();
            assert_eq!(ids, want, "{page}: {slug}");
        }
    }
}

#[test]
fn note_checker_catches_bad_numbering_and_back_links() {
    let good = r##"<article class="event" id="e"><div class="body"><p>
        a<sup class="note-ref"><a href="#e.fn1" id="e.ref1">1</a></sup>
        b<sup class="note-ref"><a href="#e.fn2" id="e.ref2">2</a></sup>
        c<sup class="note-ref"><a href="#e.fn1" id="e.ref1.2">1</a></sup></p></div>
        <section class="notes"><ol>
        <li id="e.fn1" value="1"><cite>S</cite> <a class="backref" href="#e.ref1">↩</a>
            <a class="backref" href="#e.ref1.2">↩</a></li>
        <li id="e.fn2" value="2"><cite>T</cite> <a class="backref" href="#e.ref2">↩</a></li>
        </ol></section></article>"##;
    let check = |html: &str| {
        let doc = Html::parse_fragment(html);
        note_problems(select_one(&doc, "article"))
    };
    assert_eq!(check(good), Vec::<String>::new());
    // Numbers not in order of first citation.
    let (one, two) = (
        r##"href="#e.fn1" id="e.ref1">1"##,
        r##"href="#e.fn2" id="e.ref2">2"##,
    );
    let swapped = good
        .replace(one, "SWAP")
        .replace(two, one)
        .replace("SWAP", two);
    assert!(!check(&swapped).is_empty());
    // A missing back-link.
    assert!(!check(&good.replace(r##"<a class="backref" href="#e.ref1.2">↩</a>"##, "")).is_empty());
    // A note without a marker.
    assert!(!check(&good.replace(r##">2</a></sup>"##, ">1</a></sup>")).is_empty());
}

#[test]
fn a_source_cited_three_times_has_three_back_links() {
    let site = build(RICH, &[]);
    let doc = site.html("events/report-received/index.html");
    let backrefs: Vec<&str> = select_all(&doc, "li[id='report-received.fn1'] a.backref")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(backrefs.len(), 3, "{backrefs:?}");
    for href in backrefs {
        let marker = select_one(&doc, &format!("a[id='{}']", &href[1..]));
        assert_eq!(attr(marker, "href"), "#report-received.fn1");
    }
}

// (5) Audiences

#[test]
fn drafts_and_internal_content_never_reach_public_output() {
    let site = build(RICH, &[]);
    let mut leaks = Vec::new();
    for file in site.files() {
        let bytes = std::fs::read(site.out.join(&file)).unwrap();
        let content = String::from_utf8_lossy(&bytes).to_lowercase();
        for canary in CANARIES {
            if file.to_lowercase().contains(canary) {
                leaks.push(format!("file name {file}"));
            }
            if content.contains(canary) {
                leaks.push(format!("{canary} in {file}"));
            }
        }
    }
    assert!(leaks.is_empty(), "{leaks:#?}");
    // The public event that holds the internal block is there, with its public text.
    let doc = site.html("events/statement/index.html");
    assert!(squashed(select_one(&doc, "article .body")).contains("published a statement"));
    assert!(select_all(&doc, ".internal, .internal-label").is_empty());
}

#[test]
fn internal_build_with_drafts_shows_everything_marked() {
    let site = build(RICH, &["--audience", "internal", "--drafts"]);
    let all: String = site
        .files()
        .iter()
        .map(|f| String::from_utf8_lossy(&std::fs::read(site.out.join(f)).unwrap()).to_lowercase())
        .collect();
    for canary in CANARIES {
        assert!(
            all.contains(canary),
            "{canary} missing from the internal build"
        );
    }
    for page in ["index.html", "events/canary-draft-7f3a/index.html"] {
        let doc = site.html(page);
        let draft = select_one(&doc, "article[id='canary-draft-7f3a']");
        let flags: Vec<String> = draft.select(&sel(".flag")).map(squashed).collect();
        assert_eq!(flags, ["DRAFT"], "{page}");
    }
    for page in ["index.html", "events/canary-internal-7f3a/index.html"] {
        let doc = site.html(page);
        let internal = select_one(&doc, "article[id='canary-internal-7f3a']");
        let flags: Vec<String> = internal.select(&sel(".flag")).map(squashed).collect();
        assert_eq!(flags, ["INTERNAL"], "{page}");
    }
    for page in ["index.html", "events/statement/index.html"] {
        let doc = site.html(page);
        let block = select_one(&doc, "article[id='statement'] .body .internal");
        assert_eq!(
            squashed(select_one_in(block, ".internal-label")),
            "INTERNAL"
        );
        assert!(squashed(block).contains("CANARY-BLOCK-7f3a"), "{page}");
    }
    // Organisation counts include what this audience sees.
    let doc = site.html("index.html");
    assert_eq!(filter_counts(&doc)["index.html"], 14);
    assert_eq!(filter_counts(&doc)["orgs/cert/index.html"], 8);
    assert_eq!(filter_counts(&doc)["orgs/vendor/index.html"], 7);
}

fn select_one_in<'a>(el: ElementRef<'a>, css: &str) -> ElementRef<'a> {
    let found: Vec<_> = el.select(&sel(css)).collect();
    assert_eq!(found.len(), 1, "expected exactly one `{css}`");
    found[0]
}

// (6) Escaping

#[test]
fn raw_html_and_unsafe_urls_never_become_markup() {
    let site = build(RICH, &[]);
    let mut found = Vec::new();
    for page in site.pages() {
        let doc = site.html(&page);
        for el in doc.select(&sel("*")) {
            let name = el.value().name();
            // A theme script (`<script src="…/assets/…" defer>`) would be allowed; nothing else.
            if name == "script"
                && !(attr(el, "src").contains("assets/") && text(el).trim().is_empty())
            {
                found.push(format!("{page}: <script> {}", text(el)));
            }
            for (key, value) in el.value().attrs() {
                if key.to_ascii_lowercase().starts_with("on") {
                    found.push(format!("{page}: <{name} {key}={value:?}>"));
                }
                let v = value.trim().to_ascii_lowercase();
                if (key == "href" || key == "src") && v.starts_with("javascript:") {
                    found.push(format!("{page}: <{name} {key}={value:?}>"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    // The raw HTML is shown as text.
    let doc = site.html("events/title-escaping/index.html");
    let body = text(select_one(&doc, "article .body"));
    assert!(body.contains("<script>alert(1)</script>"), "{body}");
    assert!(body.contains("<img src=x onerror=alert(1)>"), "{body}");
}

#[test]
fn feed_content_has_no_active_markup() {
    let site = build(RICH, &[]);
    // The HTML parser decodes the escaped HTML of each <content>; parse that in turn.
    let feed = site.html("feed.xml");
    let contents: Vec<String> = select_all(&feed, "content").into_iter().map(text).collect();
    assert_eq!(contents.len(), PUBLIC.len());
    for html in contents {
        let fragment = Html::parse_fragment(&html);
        assert!(
            select_all(&fragment, "script, [onerror]").is_empty(),
            "{html}"
        );
        for a in select_all(&fragment, "[href]") {
            assert!(!attr(a, "href").to_lowercase().starts_with("javascript:"));
        }
    }
}

/// Feed readers and the chart show no badges: drafts and internal events carry their marks in
/// the feed entry's title and the chart mark's name, in the site's language.
#[test]
fn feed_entries_and_chart_marks_of_drafts_and_internal_events_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let dutch = dir.path().join("nl");
    common::copy_dir(Path::new(RICH), &dutch);
    let index = dutch.join("content/_index.md");
    let text_nl = std::fs::read_to_string(&index)
        .unwrap()
        .replace("language: en", "language: nl");
    std::fs::write(&index, text_nl).unwrap();
    for (site, draft, internal) in [
        (RICH, "DRAFT: ", "INTERNAL: "),
        (dutch.to_str().unwrap(), "CONCEPT: ", "INTERN: "),
    ] {
        let built = build(site, &["--audience", "internal", "--drafts"]);
        let feed = built.html("feed.xml");
        let entries: Vec<(String, String)> = select_all(&feed, "entry")
            .into_iter()
            .map(|e| {
                let id = text(e.select(&Selector::parse("id").unwrap()).next().unwrap());
                let title = text(e.select(&Selector::parse("title").unwrap()).next().unwrap());
                (id, title)
            })
            .collect();
        let index = built.html("index.html");
        let marks: Vec<(String, String)> = select_all(&index, "svg.chart a")
            .into_iter()
            .map(|a| {
                let name = text(a.select(&Selector::parse("title").unwrap()).next().unwrap());
                (attr(a, "href").to_string(), name)
            })
            .collect();
        assert!(entries.len() > PUBLIC.len() && !marks.is_empty());
        for (what, (link, name)) in entries
            .iter()
            .map(|e| ("feed", e))
            .chain(marks.iter().map(|m| ("chart", m)))
        {
            let want = if link.contains("canary-draft-7f3a") {
                draft
            } else if link.contains("canary-internal-7f3a") {
                internal
            } else {
                ""
            };
            let marked = name.starts_with(draft) || name.starts_with(internal);
            assert!(
                name.starts_with(want) && marked != want.is_empty(),
                "{what} {site}: {link} named {name:?}"
            );
        }
        for slug in CANARIES.iter().take(2) {
            assert!(entries.iter().any(|(id, _)| id.contains(slug)), "{slug}");
            assert!(marks.iter().any(|(href, _)| href.contains(slug)), "{slug}");
        }
    }
}

#[test]
fn a_title_with_markup_characters_round_trips() {
    let site = build(RICH, &[]);
    let title = PUBLIC[4].1;
    let page = site.html("events/title-escaping/index.html");
    assert_eq!(text(select_one(&page, "h1")), title);
    assert_eq!(
        text(select_one(&page, "title")),
        format!("{title} · Rich fixture — a café chronology")
    );
    assert_eq!(
        attr(select_one(&page, "meta[property='og:title']"), "content"),
        title
    );
    let index = site.html("index.html");
    assert_eq!(
        text(select_one(&index, "article[id='title-escaping'] h3 a")),
        title
    );
    let next = site.html("events/morning-call/index.html");
    assert!(text(select_one(&next, "a[rel=prev]")).ends_with(title));
    let sources = site.html("sources/index.html");
    assert!(select_all(&sources, ".source-list a")
        .into_iter()
        .any(|a| text(a) == title));
    // Unicode, too.
    let kickoff = site.html("events/kickoff/index.html");
    assert_eq!(text(select_one(&kickoff, "h1")), PUBLIC[2].1);
    assert_eq!(
        attr(select_one(&site.html("index.html"), "html"), "lang"),
        "en"
    );
}

// (7) Organisations

/// The filter links of a page: target -> count shown.
fn filter_counts(doc: &Html) -> BTreeMap<String, usize> {
    select_all(doc, "nav.filters a.filter")
        .into_iter()
        .map(|a| {
            let count = squashed(select_one_in(a, ".count")).parse().unwrap();
            (attr(a, "href").to_string(), count)
        })
        .collect()
}

fn events_of(org: &str) -> Vec<&'static str> {
    PUBLIC
        .iter()
        .filter(|e| e.2.contains(&org))
        .map(|e| e.0)
        .collect()
}

#[test]
fn organisation_pages_list_exactly_their_events() {
    let site = build(RICH, &[]);
    let mut org_pages: Vec<String> = site
        .pages()
        .into_iter()
        .filter(|p| p.starts_with("orgs/"))
        .collect();
    org_pages.sort();
    let mut want: Vec<String> = ORGS
        .iter()
        .map(|(k, _)| format!("orgs/{k}/index.html"))
        .collect();
    want.sort();
    assert_eq!(org_pages, want);
    for (key, name) in ORGS {
        let doc = site.html(&format!("orgs/{key}/index.html"));
        assert_eq!(article_ids(&doc), events_of(key), "orgs/{key}");
        assert!(squashed(select_one(&doc, "h1")).contains(name));
        let current = select_one(&doc, "nav.filters a[aria-current=page]");
        assert_eq!(
            attr(current, "href"),
            format!("../../orgs/{key}/index.html")
        );
    }
}

#[test]
fn filter_links_carry_correct_counts() {
    let site = build(RICH, &[]);
    let mut want = BTreeMap::from([("index.html".to_string(), PUBLIC.len())]);
    for (key, _) in ORGS {
        want.insert(format!("orgs/{key}/index.html"), events_of(key).len());
    }
    assert_eq!(filter_counts(&site.html("index.html")), want);
    assert_eq!(want["orgs/cert/index.html"], 7, "the fixture as written");
    // The same counts on an organisation page, with links relative to it.
    let on_org: BTreeMap<String, usize> = filter_counts(&site.html("orgs/press/index.html"))
        .into_iter()
        .map(|(href, n)| (href.trim_start_matches("../../").to_string(), n))
        .collect();
    assert_eq!(on_org, want);
}

/// Readers see the tags they can filter on: under the badges of every card (timeline and
/// organisation pages) and on the event's own page, labelled in the site's language.
#[test]
fn every_event_shows_its_tags() {
    let site = build(RICH, &[]);
    let shown = |doc: &Html, scope: &str| -> Vec<String> {
        select_all(doc, &format!("{scope} .event-header p.tags"))
            .into_iter()
            .map(squashed)
            .collect()
    };
    let timeline = site.html("index.html");
    for (slug, _, orgs) in PUBLIC {
        let want: Vec<String> = match *slug {
            "report-received" => vec!["Tags: report, press".into()],
            "morning-call" => vec!["Tags: call".into()],
            _ => vec![],
        };
        let card = format!("article[id='{slug}']");
        assert_eq!(shown(&timeline, &card), want, "timeline card of {slug}");
        let page = site.html(&format!("events/{slug}/index.html"));
        assert_eq!(shown(&page, "article.event-page"), want, "page of {slug}");
        for org in orgs.iter() {
            let list = site.html(&format!("orgs/{org}/index.html"));
            assert_eq!(shown(&list, &card), want, "orgs/{org} card of {slug}");
        }
    }
    // In Dutch, on the example site.
    let example = build(env!("CARGO_MANIFEST_DIR"), &[]);
    let page = example.html("events/ncsc-gewezen-op-kwetsbaarheden/index.html");
    assert_eq!(
        shown(&page, "article.event-page"),
        ["Labels: melding, kwetsbaarheid"]
    );
}

/// The kinds of mark the overview chart of `doc` draws (in its wide or its narrow drawing:
/// one legend serves both), and the keys its legend has.
fn chart_kinds(doc: &Html) -> (BTreeSet<String>, BTreeSet<String>) {
    let svgs = select_all(doc, "figure.overview svg.chart");
    assert_eq!(svgs.len(), 2, "a wide and a narrow drawing");
    let drawn = [
        ("circle", "key-dot"),
        ("path.major", "key-major"),
        ("rect.period", "key-period"),
        ("rect.coarse", "key-coarse"),
        ("rect.major", "key-outlined"),
    ]
    .into_iter()
    .filter(|(shape, _)| {
        svgs.iter().any(|svg| {
            svg.select(&sel(&format!(".lane a > {shape}")))
                .next()
                .is_some()
        })
    })
    .map(|(_, key)| key.to_string())
    .collect();
    let legend = select_all(doc, "figure.overview .legend .legend-item .key")
        .into_iter()
        .map(|key| {
            let classes: Vec<&str> = attr(key, "class").split(' ').collect();
            if classes.contains(&"key-outlined") {
                "key-outlined".to_string()
            } else {
                classes[1].to_string()
            }
        })
        .collect();
    (drawn, legend)
}

/// The chart's legend explains the kinds of mark the chart draws and no others, including key
/// moments drawn as outlined bars.
#[test]
fn the_chart_legend_names_the_marks_it_has() {
    let rich = build(RICH, &[]).html("index.html");
    let (drawn, legend) = chart_kinds(&rich);
    assert_eq!(legend, drawn, "rich fixture");
    let example = build(env!("CARGO_MANIFEST_DIR"), &[]).html("index.html");
    let (drawn, legend) = chart_kinds(&example);
    assert_eq!(legend, drawn, "example");
    // The example has only dates without a time: light bars, some outlined, and no diamond;
    // its one event a week before the rest is at the chart's earlier edge, where a day is
    // narrower than a dot and so drawn as one.
    let want: BTreeSet<String> = ["key-coarse", "key-dot", "key-outlined"]
        .map(String::from)
        .into();
    assert_eq!(legend, want);
    let text = squashed(select_one(&example, "figure.overview .legend"));
    assert!(text.contains("omlijnd: kernmoment"), "{text}");
}

#[test]
fn organisation_colour_reaches_the_stylesheet() {
    let site = build(RICH, &[]);
    let doc = site.html("index.html");
    let css = site.read(attr(select_one(&doc, "link[rel=stylesheet]"), "href"));
    let rule = css
        .lines()
        .find(|l| l.starts_with(".org-cert "))
        .expect("a rule for .org-cert");
    assert!(rule.contains("#0b7285"), "{rule}");
    for (key, _) in ORGS {
        let badge = select_all(&doc, &format!("nav.filters a.org-{key}"));
        assert_eq!(badge.len(), 1, "{key}");
    }
}

// (8) Sources page

#[test]
fn sources_page_lists_each_source_once_with_back_links() {
    let site = build(RICH, &[]);
    let doc = site.html("sources/index.html");
    let entries = select_all(&doc, "ol.source-list > li");
    let mut by_title: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in &entries {
        let title = squashed(select_one_in(*entry, ".citation cite"));
        let links: Vec<String> = entry
            .select(&sel(".cited-by + ul a"))
            .map(|a| attr(a, "href").to_string())
            .collect();
        assert!(
            by_title.insert(title.clone(), links).is_none(),
            "{title} listed twice"
        );
    }
    let titles: Vec<&str> = by_title.keys().map(String::as_str).collect();
    let mut want = vec![
        "A paste site",
        "Alpha source",
        "CERT advisory 2024-001",
        "Café diary — entry of 1 June",
        "Call notes",
        "Investigation report",
        "Joint statement",
        "Journalist's blog post",
        "Minutes of the crisis meeting",
        "Telephone note, not published",
        "Uncited source with a URL",
        "Vendor patch notes, June 2024",
        "Vendor status page",
        "Zeta source",
    ];
    want.sort();
    assert_eq!(titles, want);
    // Same URL, two events (the internal third one is not public).
    assert_eq!(
        by_title["CERT advisory 2024-001"],
        [
            "../events/report-received/index.html#report-received.fn3",
            "../events/offset-meeting/index.html#offset-meeting.fn1",
        ]
    );
    // No URL, same title: one source, cited once uncited and once inline.
    assert_eq!(
        by_title["Minutes of the crisis meeting"],
        [
            "../events/whole-year/index.html#whole-year.fn2",
            "../events/statement/index.html#statement.fn2",
        ]
    );
    // Cited three times in one event: one back-link to the note.
    assert_eq!(
        by_title["Journalist's blog post"],
        ["../events/report-received/index.html#report-received.fn1"]
    );

    let internal = build(RICH, &["--audience", "internal", "--drafts"]);
    let doc = internal.html("sources/index.html");
    let advisory = select_all(&doc, "ol.source-list > li")
        .into_iter()
        .find(|li| squashed(select_one_in(*li, ".citation cite")) == "CERT advisory 2024-001")
        .unwrap();
    assert_eq!(advisory.select(&sel(".cited-by + ul a")).count(), 3);
}

// (9) Dates and times

#[test]
fn day_headings_and_times_in_the_site_zone() {
    let site = build(RICH, &[]);
    let doc = site.html("index.html");
    let headings: Vec<(String, String)> = select_all(&doc, "h2.day-title time")
        .into_iter()
        .map(|t| (squashed(t), attr(t, "datetime").to_string()))
        .collect();
    let want = [
        ("2024", "2024"),
        ("June 2024", "2024-06"),
        ("Saturday 1 June 2024", "2024-06-01"),
        ("Monday 3 June 2024", "2024-06-03"),
        ("Tuesday 4 June 2024", "2024-06-04"),
        ("Wednesday 5 June 2024", "2024-06-05"),
        ("Thursday 6 June 2024", "2024-06-06"),
        ("Friday 7 June 2024", "2024-06-07"),
        ("Sunday 9 June 2024", "2024-06-09"),
        ("Monday 10 June 2024", "2024-06-10"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(headings, want);

    // The UTC event sits under the Amsterdam day it happened on.
    let day_of = |slug: &str| {
        select_all(&doc, "section.day")
            .into_iter()
            .find(|s| {
                s.select(&sel(&format!("article[id='{slug}']")))
                    .next()
                    .is_some()
            })
            .map(|s| squashed(select_one_in(s, "h2")))
            .unwrap()
    };
    assert_eq!(day_of("night-deploy"), "Sunday 9 June 2024");
    assert_eq!(day_of("offset-meeting"), "Wednesday 5 June 2024");
    assert_eq!(day_of("zeta"), "Thursday 6 June 2024");
    assert_eq!(day_of("alpha"), "Thursday 6 June 2024");

    let time_on_index = |slug: &str| {
        let sel = format!("article[id='{slug}'] .when .time");
        select_all(&doc, &sel).first().map(|t| squashed(*t))
    };
    assert_eq!(time_on_index("morning-call").as_deref(), Some("09:30"));
    assert_eq!(time_on_index("offset-meeting").as_deref(), Some("15:15"));
    assert_eq!(time_on_index("night-deploy").as_deref(), Some("00:30"));
    assert_eq!(
        time_on_index("title-escaping").as_deref(),
        Some("end of day")
    );
    assert_eq!(time_on_index("zeta"), None);

    // Event pages: the date at its precision, the time in Amsterdam, `<time datetime>`.
    let when = |slug: &str| {
        let page = site.html(&format!("events/{slug}/index.html"));
        let times: Vec<(String, String)> = select_all(&page, "article .when time")
            .into_iter()
            .map(|t| (squashed(t), attr(t, "datetime").to_string()))
            .collect();
        let label = select_all(&page, "article .when .time")
            .first()
            .map(|t| squashed(*t));
        (times, label)
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        when("night-deploy"),
        (
            vec![pair("Sunday 9 June 2024", "2024-06-09T00:30+02:00")],
            Some("00:30".into())
        )
    );
    assert_eq!(
        when("offset-meeting"),
        (
            vec![pair("Wednesday 5 June 2024", "2024-06-05T15:15+02:00")],
            Some("15:15".into())
        )
    );
    assert_eq!(
        when("morning-call"),
        (
            vec![pair("Tuesday 4 June 2024", "2024-06-04T09:30+02:00")],
            Some("09:30".into())
        )
    );
    assert_eq!(
        when("title-escaping"),
        (
            vec![pair("Tuesday 4 June 2024", "2024-06-04")],
            Some("end of day".into())
        )
    );
    assert_eq!(
        when("investigation"),
        (
            vec![
                pair("Friday 7 June 2024", "2024-06-07"),
                pair("Friday 14 June 2024", "2024-06-14")
            ],
            None
        )
    );
    assert_eq!(
        when("patch-cycle"),
        (vec![pair("June 2024", "2024-06")], None)
    );
    assert_eq!(when("whole-year"), (vec![pair("2024", "2024")], None));
}

#[test]
fn corrections_are_dated_under_their_event_and_listed_newest_first() {
    let site = build(RICH, &[]);
    let page = site.html("events/offset-meeting/index.html");
    let items: Vec<String> = select_all(&page, "article .corrections li")
        .into_iter()
        .map(squashed)
        .collect();
    assert_eq!(
        items,
        [
            "Corrected on 10 June 2024: Time corrected: the meeting was in the afternoon in Amsterdam.",
            "Corrected on 12 June 2024: The vendor's name was misspelled.",
        ]
    );
    let updated = site.html("events/investigation/index.html");
    let shown = squashed(select_one(&updated, "article .corrections"));
    assert_eq!(shown, "Updated on 15 June 2024");
    let index = site.html("index.html");
    let recent: Vec<String> = select_all(&index, ".recent-corrections li time")
        .into_iter()
        .map(|t| attr(t, "datetime").to_string())
        .collect();
    assert_eq!(recent, ["2024-06-12", "2024-06-10"]);
}

// (10) Determinism

#[test]
fn two_builds_are_byte_identical() {
    for args in [&[][..], &["--audience", "internal", "--drafts"][..]] {
        let a = build(RICH, args);
        let b = build(RICH, args);
        assert_eq!(a.files(), b.files());
        for file in a.files() {
            let (x, y) = (
                std::fs::read(a.out.join(&file)).unwrap(),
                std::fs::read(b.out.join(&file)).unwrap(),
            );
            assert!(x == y, "{file} differs between two builds ({args:?})");
        }
    }
}

// (11) Base URL

#[test]
fn base_url_from_the_command_line_reaches_canonical_links_and_sitemap() {
    let other = "https://other.example/x/";
    let site = build(RICH, &["--base-url", other]);
    let mut problems = Vec::new();
    for page in site.pages() {
        let doc = site.html(&page);
        let pretty = page.strip_suffix("index.html").unwrap_or(&page);
        if page != "404.html" {
            let canonical = attr(select_one(&doc, "link[rel=canonical]"), "href");
            if canonical != format!("{other}{pretty}") {
                problems.push(format!("{page}: canonical {canonical}"));
            }
            let og = attr(select_one(&doc, "meta[property='og:url']"), "content");
            if og != canonical {
                problems.push(format!("{page}: og:url {og}"));
            }
        }
        for el in doc.select(&sel("[href], [src]")) {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            let canonical = attr(el, "rel") == "canonical";
            if url.starts_with('/') && !(page == "404.html" && url.starts_with("/x/")) {
                problems.push(format!("{page}: root-relative {url}"));
            }
            if url.starts_with(other) && !canonical && attr(el, "rel") != "alternate" {
                problems.push(format!("{page}: absolute internal link {url}"));
            }
        }
    }
    let not_found = site.html("404.html");
    assert!(select_all(&not_found, "a[href]")
        .into_iter()
        .any(|a| attr(a, "href") == "/x/index.html"));
    for file in site.files() {
        let bytes = std::fs::read(site.out.join(&file)).unwrap();
        if String::from_utf8_lossy(&bytes).contains("example.org/sub/path") {
            problems.push(format!("{file}: still names the site's own base_url"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");

    let sitemap = site.read("sitemap.xml");
    let locs: Vec<String> = select_all(&Html::parse_document(&sitemap), "loc")
        .into_iter()
        .map(text)
        .collect();
    let mut want = vec![other.to_string()];
    want.extend(public_slugs().iter().map(|s| format!("{other}events/{s}/")));
    want.extend(ORGS.iter().map(|(k, _)| format!("{other}orgs/{k}/")));
    want.push(format!("{other}sources/"));
    assert_eq!(
        locs.iter().collect::<BTreeSet<_>>(),
        want.iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(locs.len(), want.len());
}

#[test]
fn site_base_url_is_used_without_the_option() {
    let site = build(RICH, &[]);
    let doc = site.html("events/zeta/index.html");
    assert_eq!(
        attr(select_one(&doc, "link[rel=canonical]"), "href"),
        format!("{BASE_URL}events/zeta/")
    );
    assert!(site
        .read("sitemap.xml")
        .contains(&format!("<loc>{BASE_URL}</loc>")));
}

// (12) Event pages

#[test]
fn event_pages_have_permalink_prev_next_and_one_h1() {
    let site = build(RICH, &[]);
    let index = site.html("index.html");
    let mut problems = Vec::new();
    for (i, (slug, title, _)) in PUBLIC.iter().enumerate() {
        let page = format!("events/{slug}/index.html");
        let doc = site.html(&page);
        assert_eq!(text(select_one(&doc, "h1")), *title, "{page}");
        assert_eq!(article_ids(&doc), [*slug], "{page}");
        assert_eq!(
            attr(select_one(&doc, "link[rel=canonical]"), "href"),
            format!("{BASE_URL}events/{slug}/"),
        );
        let link = |rel: &str| {
            select_all(&doc, &format!("a[rel={rel}]"))
                .into_iter()
                .map(|a| attr(a, "href").to_string())
                .collect::<Vec<_>>()
        };
        let want_prev: Vec<String> = i
            .checked_sub(1)
            .map(|p| format!("../../events/{}/index.html", PUBLIC[p].0))
            .into_iter()
            .collect();
        let want_next: Vec<String> = PUBLIC
            .get(i + 1)
            .map(|n| format!("../../events/{}/index.html", n.0))
            .into_iter()
            .collect();
        assert_eq!(link("prev"), want_prev, "{page}");
        assert_eq!(link("next"), want_next, "{page}");
        assert!(select_all(&doc, "a[href]")
            .into_iter()
            .any(|a| attr(a, "href") == format!("../../index.html#{slug}")));
        // On the timeline: an anchor, a visible permalink and a link to this page.
        let card = select_one(&index, &format!("article[id='{slug}']"));
        let permalink = select_one_in(card, ".permalink a");
        assert_eq!(attr(permalink, "href"), format!("#{slug}"));
        assert!(squashed(permalink).starts_with("Permalink"));
        let heading = select_one_in(card, ".event-title a");
        assert_eq!(attr(heading, "href"), page);
    }
    for page in site.pages() {
        problems.extend(heading_problems(&page, &site.html(&page)));
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // A body heading sits below the event title, on the page and on the timeline.
    let doc = site.html("events/morning-call/index.html");
    assert_eq!(select_all(&doc, ".body h2").len(), 1);
    assert_eq!(
        select_all(&index, "article[id='morning-call'] .body h4").len(),
        1
    );
    assert_eq!(select_all(&doc, ".body table tbody tr").len(), 2);
}

// (13) The timeline page: overview chart and filters

/// The chart sits between the intro and the filters, with one linked mark per event (and
/// organisation) pointing at the event's card on the same page; every card carries what
/// `timeline.js` filters on; the tag and key-moment filters and the live region come from the
/// server, in the site's language. No `style` attribute anywhere, so a strict CSP holds.
#[test]
fn timeline_has_the_overview_chart_and_filter_data() {
    let site = build(RICH, &[]);
    let doc = site.html("index.html");
    let order: Vec<String> = select_all(
        &doc,
        "main > figure.overview, main > .filter-bar, main > .timeline",
    )
    .into_iter()
    .map(|e| attr(e, "class").to_string())
    .collect();
    assert_eq!(order, ["overview", "filter-bar", "timeline"]);

    // The wide drawing; the narrow one (for phones) links to the same events.
    let marks: Vec<String> = select_all(&doc, "figure.overview > svg.chart-wide a")
        .into_iter()
        .map(|a| attr(a, "href").to_string())
        .collect();
    let marked: BTreeSet<&str> = marks.iter().map(|h| h.trim_start_matches('#')).collect();
    let slugs: BTreeSet<&str> = PUBLIC.iter().map(|e| e.0).collect();
    assert_eq!(marked, slugs, "every event, and only those, has a mark");
    assert!(marks.iter().all(|h| h.starts_with('#')), "{marks:?}");
    let one_per_org: usize = PUBLIC.iter().map(|e| e.2.len().max(1)).sum();
    assert_eq!(marks.len(), one_per_org);
    assert_eq!(
        attr(select_one(&doc, "a.skip-chart"), "href"),
        "#_filters",
        "a way past the chart's links"
    );
    select_one(&doc, "#_filters");

    for (slug, _, orgs) in PUBLIC {
        let card = select_one(&doc, &format!("article[id='{slug}']"));
        assert_eq!(attr(card, "data-orgs"), orgs.join(" "), "{slug}");
        let tags: Vec<String> = serde_json::from_str(attr(card, "data-tags")).unwrap();
        let major = card.value().attr("data-major").is_some();
        match *slug {
            "report-received" => {
                assert_eq!(tags, ["report", "press"]);
                assert!(major);
            }
            "morning-call" => {
                assert_eq!((tags.as_slice(), major), (&["call".to_string()][..], false))
            }
            _ => assert!(!major, "{slug}"),
        }
    }

    let tag_filters: Vec<(String, String)> = select_all(&doc, ".filter-bar button.filter-tag")
        .into_iter()
        .map(|b| (attr(b, "data-tag").to_string(), squashed(b)))
        .collect();
    assert_eq!(
        tag_filters,
        [
            ("call".to_string(), "call 1".to_string()),
            ("press".to_string(), "press 1".to_string()),
            ("report".to_string(), "report 1".to_string()),
        ]
    );
    assert_eq!(
        squashed(select_one(&doc, "button.filter-major")),
        "Key moments only 1"
    );
    let status = select_one(&doc, ".filter-status[role=status]");
    let total = PUBLIC.len();
    assert_eq!(squashed(status), format!("All {total} events"));
    assert_eq!(attr(status, "data-all"), format!("All {total} events"));
    assert_eq!(
        attr(status, "data-some"),
        format!("{{shown}} of {total} events")
    );

    // Sources are a landmark only on an event's own page: a list of events would otherwise
    // hold one "Sources" region per event, and events may share a title (axe: landmark-unique).
    assert!(select_all(&doc, ".timeline section.notes[aria-labelledby]").is_empty());
    let page = site.html("events/report-received/index.html");
    assert_eq!(
        attr(select_one(&page, "section.notes"), "aria-labelledby"),
        "report-received.notes report-received.title"
    );

    for page in site.pages() {
        assert!(
            select_all(&site.html(&page), "[style]").is_empty(),
            "{page} has a style attribute"
        );
    }
}

// The example site

#[test]
fn example_site_builds_with_dutch_dates() {
    let root = env!("CARGO_MANIFEST_DIR");
    let site = build(root, &[]);
    let doc = site.html("index.html");
    assert_eq!(attr(select_one(&doc, "html"), "lang"), "nl");
    assert_eq!(article_ids(&doc).len(), 14);
    let headings: Vec<String> = select_all(&doc, "h2.day-title")
        .into_iter()
        .map(squashed)
        .collect();
    assert_eq!(
        headings.first().map(String::as_str),
        Some("dinsdag 28 mei 2024")
    );
    for day in ["juni 2024", "dinsdag 4 juni 2024", "vrijdag 7 juni 2024"] {
        assert!(headings.iter().any(|h| h == day), "{day} in {headings:?}");
    }
    let duplicates: Vec<String> = site
        .pages()
        .iter()
        .flat_map(|p| duplicate_ids(&site.html(p)))
        .collect();
    assert!(duplicates.is_empty(), "{duplicates:?}");
    let broken = broken_links(&site, "[href]", "href", "https://example.org/webex/");
    assert!(broken.is_empty(), "{broken:#?}");
}

// (13) Internal builds say what they are

/// The robots.txt of every internal build.
const INTERNAL_ROBOTS: &str =
    "# An internal build of kroniek: not for publication.\nUser-agent: *\nDisallow: /\n";

/// The stylesheet a page links to.
fn stylesheet(site: &Built, doc: &Html, page: &str) -> String {
    let href = attr(select_one(doc, "link[rel=stylesheet]"), "href");
    let depth = page.matches('/').count();
    site.read(&href["../".len() * depth..])
}

/// What `<body>` holds, in order, as `tag.class` of each child element.
fn body_children(doc: &Html) -> Vec<String> {
    select_one(doc, "body")
        .children()
        .filter_map(ElementRef::wrap)
        .map(|el| {
            let class = el.value().classes().next().unwrap_or_default();
            format!("{}.{class}", el.value().name())
        })
        .collect()
}

/// An internal build uploaded by mistake must neither be indexed nor be mistaken for the
/// published site: every page asks robots to stay out, names itself internal in its title and
/// shows a banner above everything else, a named region that is styled for screen and print.
#[test]
fn every_page_of_an_internal_build_says_it_is_internal() {
    for (site, title, banner) in [
        (RICH, "INTERNAL: ", "INTERNAL — not for publication"),
        (
            env!("CARGO_MANIFEST_DIR"),
            "INTERN: ",
            "INTERN — niet openbaar",
        ),
    ] {
        let built = build(site, &["--audience", "internal"]);
        let pages = built.pages();
        assert!(pages.len() > 5, "{pages:?}");
        for page in &pages {
            let doc = built.html(page);
            let robots = select_one(&doc, "head meta[name=robots]");
            assert_eq!(attr(robots, "content"), "noindex, nofollow", "{page}");
            let shown = squashed(select_one(&doc, "head title"));
            assert!(shown.starts_with(title), "{page}: {shown}");
            let section = select_one(&doc, "body > div.audience-banner[role=region]");
            let label = attr(section, "aria-labelledby");
            let named = select_one_in(section, &format!("[id='{label}']"));
            assert_eq!(squashed(named), banner, "{page}");
            assert_eq!(
                body_children(&doc),
                [
                    "a.skip-link",
                    "div.audience-banner",
                    "header.site-header",
                    "main.",
                    "footer.site-footer"
                ],
                "{page}"
            );
        }
        let css = stylesheet(&built, &built.html("index.html"), "index.html");
        let print = css.rfind("@media print").unwrap();
        assert!(css.contains(".audience-banner {"), "no banner style");
        assert!(
            css[print..].contains(".audience-banner {"),
            "the banner is not styled for print"
        );
    }
}

/// An internal build names no public address: the site's `base_url` is the public site's, and
/// internal pages do not live there. No canonical links, no `og:url`, no sitemap; the feed has
/// `urn:` ids and relative links; `timeline.json` has no `base_url`. A `robots.txt` keeps
/// crawlers away from the copied files too, which carry no `<meta name="robots">`.
#[test]
fn an_internal_build_names_no_public_address() {
    let site = build(RICH, &["--audience", "internal", "--drafts"]);
    let files = site.files();
    assert!(!files.contains(&"sitemap.xml".to_string()), "{files:?}");
    assert_eq!(site.read("robots.txt"), INTERNAL_ROBOTS);
    let mut problems = Vec::new();
    for file in &files {
        let bytes = std::fs::read(site.out.join(file)).unwrap();
        if String::from_utf8_lossy(&bytes).contains("example.org/sub/path") {
            problems.push(format!("{file} names the public base_url"));
        }
    }
    for page in site.pages() {
        let doc = site.html(&page);
        let absolute = select_all(&doc, "link[rel=canonical], meta[property='og:url']");
        if !absolute.is_empty() {
            problems.push(format!("{page}: canonical or og:url"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    let feed = feed_rs::parser::parse(site.read("feed.xml").as_bytes()).unwrap();
    assert_eq!(
        feed.title.map(|t| t.content).as_deref(),
        Some("INTERNAL: Rich fixture — a café chronology")
    );
    assert!(feed.id.starts_with("urn:kroniek:"), "{}", feed.id);
    for entry in &feed.entries {
        assert!(entry.id.starts_with("urn:kroniek:"), "{}", entry.id);
        for link in &entry.links {
            assert!(link.href.starts_with("events/"), "{}", link.href);
        }
    }
    let data: serde_json::Value = serde_json::from_str(&site.read("timeline.json")).unwrap();
    assert_eq!(data["base_url"], serde_json::Value::Null);
    assert_eq!(data["title"], "INTERNAL: Rich fixture — a café chronology");
}

/// Public output has none of it (and stays byte for byte what it was).
#[test]
fn public_builds_carry_no_internal_marks() {
    let site = build(RICH, &["--drafts"]);
    assert!(!site.files().contains(&"robots.txt".to_string()));
    assert!(site.read("sitemap.xml").contains("<loc>"));
    for page in site.pages() {
        let doc = site.html(&page);
        assert!(select_all(&doc, "meta[name=robots], .audience-banner").is_empty());
        assert!(!squashed(select_one(&doc, "head title")).starts_with("INTERNAL"));
    }
    let css = stylesheet(&site, &site.html("index.html"), "index.html");
    assert!(!css.contains("audience-banner"));
    let data: serde_json::Value = serde_json::from_str(&site.read("timeline.json")).unwrap();
    assert_eq!(data["title"], "Rich fixture — a café chronology");
    assert_eq!(data["base_url"], BASE_URL);
}

/// A site's own `content/robots.txt` is copied into public builds, but never over the
/// `Disallow: /` of an internal build.
#[test]
fn a_sites_robots_txt_does_not_open_an_internal_build() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("site");
    common::copy_dir(Path::new(RICH), &copy);
    let theirs = "User-agent: *\nAllow: /\n";
    std::fs::write(copy.join("content/robots.txt"), theirs).unwrap();
    let copy = copy.to_str().unwrap();
    assert_eq!(
        build(copy, &["--audience", "internal"]).read("robots.txt"),
        INTERNAL_ROBOTS
    );
    assert_eq!(build(copy, &[]).read("robots.txt"), theirs);
}

/// `--base-url` says where the public site lives; an internal build refuses it (exit 2) rather
/// than present its pages there, and writes nothing.
#[test]
fn base_url_option_is_refused_for_internal_builds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args([
            "build",
            RICH,
            "--audience",
            "internal",
            "--base-url",
            BASE_URL,
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&run.stderr).trim_end(),
        "error: --base-url cannot be used with --audience internal: internal output names no \
         address of its own (no canonical links, no sitemap, feed ids `urn:kroniek:…`), so that \
         it is never taken for the published site"
    );
    assert!(!out.exists());
}

/// A public event (and the intro) linking to an internal and a draft event in every way
/// Markdown allows: inline, by reference, as from an event page, with a fragment or
/// `index.html`, as an image, as the site's own and an internal site's address (autolinks), in
/// a footnote, as a source's `url` or `archive_url`. Public readers get the words only; the hidden events' slugs (and titles, which
/// share `x7q`) are in no byte of the site or of any export, and each link is one warning.
#[test]
fn links_to_hidden_events_leave_no_trace_in_any_public_output() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hidden-links");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let report = kroniek::build(&kroniek::BuildOptions {
        site: site.clone(),
        output: Some(out.clone()),
        base_url: None,
        audience: kroniek::audience::Audience::PUBLIC,
    })
    .unwrap();
    let built = Built { _dir: dir, out };
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    for file in built.files() {
        let bytes = std::fs::read(built.out.join(&file)).unwrap();
        outputs.push((file, bytes));
    }
    for format in ["markdown", "mediawiki", "html", "json"] {
        let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
            .args(["export", site.to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        outputs.push((format!("export {format}"), run.stdout));
    }
    assert!(outputs.iter().any(|(name, _)| name.ends_with("feed.xml")));
    for (name, bytes) in &outputs {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(!text.contains("x7q"), "{name} names a hidden event");
    }
    let page = built.read("events/statement/index.html");
    assert!(
        page.contains("The statement follows the talks and the plan, as\nseen from an event page"),
        "{page}"
    );
    assert!(page.contains("href=\"../../events/follow-up/\""), "{page}");

    let warnings: Vec<_> = report
        .warnings
        .iter()
        .map(|p| (p.file.display().to_string(), p.line, p.column, p.code))
        .collect();
    let at = |file: &str, line, column| (format!("content/{file}"), line, column, "hidden-link");
    let statement = "2024-06-03-statement.md";
    assert_eq!(
        warnings,
        [
            // The sources' `url` and `archive_url`.
            at(statement, 9, 11),
            at(statement, 12, 19),
            at(statement, 14, 23),
            at(statement, 14, 64),
            at(statement, 15, 1),
            at(statement, 15, 49),
            at(statement, 16, 5),
            at(statement, 18, 1),
            at(statement, 20, 24),
            at(statement, 21, 5),
            at(statement, 27, 28),
            at("_index.md", 10, 29),
        ],
        "one warning per link, no dead-link beside it: {:#?}",
        report.warnings
    );
    assert_eq!(
        report.warnings[0].message,
        "source `url` `https://example.org/sub/events/quiet-talks-x7q/` leads to an event public \
         readers do not see; it is left out"
    );
    assert_eq!(
        report.warnings[0].hint.as_deref(),
        Some("cite the document itself, or publish that event")
    );
    let first = &report.warnings[2];
    assert_eq!(
        first.message,
        "link to `events/quiet-talks-x7q/` leads to an event public readers do not see; they \
         get its words only"
    );
    assert_eq!(
        first.hint.as_deref(),
        Some("publish that event to keep the link, or write the words without it")
    );
}

/// Direction controls and zero-width characters in titles, labels and names reorder or split
/// what readers see in pages, chart labels, the feed and every export: they are left out of
/// one-line fields (tests/bad/hidden-characters shows the warnings).
#[test]
fn hidden_characters_of_one_line_fields_reach_no_output() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad/hidden-characters");
    let (tmp, site) = common::temp_copy(&case);
    let out = tmp.path().join("out");
    common::build_into(&site, &out, &[]);
    let mut outputs: Vec<(String, String)> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.path().display().to_string(), text))
        })
        .collect();
    for format in ["markdown", "html", "mediawiki", "json"] {
        let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
            .args(["export", "--format", format])
            .arg(&site)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        outputs.push((format.to_string(), String::from_utf8(run.stdout).unwrap()));
    }
    let hidden = ['\u{202E}', '\u{2066}', '\u{2067}', '\u{200B}'];
    for (name, text) in &outputs {
        assert!(!text.contains(hidden), "{name} holds a hidden character");
    }
    let index = outputs
        .iter()
        .find(|(n, _)| n.ends_with("/index.html"))
        .unwrap();
    assert!(
        index.1.contains("Invoice gpj.exe"),
        "the title lost more than the control"
    );
    assert!(outputs
        .iter()
        .any(|(n, t)| n.ends_with("feed.xml") && t.contains("Invoice gpj.exe")));
}

/// Links in footnotes are relative to the page the footnote is on, as links in the body are:
/// the timeline's notes were shown on event and organisation pages, two folders deep, where
/// `docs/log.txt` is a 404.
#[test]
fn links_in_footnotes_follow_the_page_they_are_on() {
    let site = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/links");
    let built = build(site, &[]);
    for (page, root) in [
        ("index.html", ""),
        ("events/first-report/index.html", "../../"),
        ("orgs/cert/index.html", "../../"),
    ] {
        let doc = built.html(page);
        let hrefs: Vec<&str> = select_all(&doc, ".footnote a")
            .into_iter()
            .map(|a| attr(a, "href"))
            .collect();
        assert!(
            hrefs.contains(&format!("{root}docs/log.txt").as_str()),
            "{page}: {hrefs:?}"
        );
        for href in hrefs {
            let target = built
                .out
                .join(Path::new(page).parent().unwrap())
                .join(href.split('#').next().unwrap());
            assert!(target.exists(), "{page}: {href} leads nowhere");
        }
    }
}

/// Under its first day's heading a period showed "– Friday 14 June 2024", as if its start had
/// been lost; it says "until" there, and both ends on its own page.
#[test]
fn a_period_under_its_day_says_until_its_end() {
    let site = build(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rich"),
        &[],
    );
    let index = site.html("index.html");
    let when = select_one(&index, "#investigation .when");
    assert_eq!(text(when), "until Friday 14 June 2024");
    let page = site.html("events/investigation/index.html");
    let when = select_one(&page, ".when");
    assert!(
        text(when).starts_with("Friday 7 June 2024 – Friday 14 June 2024"),
        "{}",
        text(when)
    );
}
