//! A timeline longer than `page_size` is split into pages by year, then by month, and so are the
//! organisation pages: built from a small site with `page_size: 3` and checked from the parsed
//! HTML (which events each page lists, the period lists, the counts, where every link goes),
//! then by `check-site`.

mod common;

use common::{build_into, build_output, Built};
use scraper::{Html, Selector};
use std::collections::BTreeMap;

/// (file stem, date, organisations), in timeline order.
const EVENTS: &[(&str, &str, &[&str])] = &[
    ("spring", "2023-03-01", &["a"]),
    ("summer", "2023-07-01", &["a", "b"]),
    ("all-year", "2024", &["a"]),
    ("february-a", "2024-02-05", &["a"]),
    ("february-b", "2024-02-06", &["b"]),
    ("march-morning", "2024-03-01T10:00:00", &["a"]),
    ("march-both", "2024-03-02", &["a", "b"]),
    ("new-year", "2025-01-01", &["b"]),
];

/// Writes the site with `page_size` (none: the default) into a new temporary folder.
fn site(page_size: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    let size = page_size.map_or(String::new(), |s| format!("page_size: {s}\n"));
    std::fs::write(
        content.join("_index.md"),
        format!(
            "---\ntitle: \"Split register\"\nlanguage: en\ntimezone: Europe/Amsterdam\n\
             base_url: \"https://example.org/register/\"\n{size}organisations:\n  \
             a: {{ name: \"Agency A\", short: \"A\" }}\n  b: {{ name: \"Bureau B\", short: \"B\" }}\n---\n\
             A register long enough to be split.\n"
        ),
    )
    .unwrap();
    for (stem, date, orgs) in EVENTS {
        std::fs::write(
            content.join(format!("{stem}.md")),
            format!(
                "---\ntitle: \"Event {stem}\"\ndate: {date}\norgs: [{}]\nsources:\n  - title: \"Report on {stem}\"\n    url: \"https://source.example/{stem}\"\n---\nWhat happened: {stem}.\n",
                orgs.join(", ")
            ),
        )
        .unwrap();
    }
    dir
}

impl Built {
    /// The built site of [`site`]`(page_size)`, in the site's temporary folder.
    fn of(page_size: Option<&str>) -> Built {
        let dir = site(page_size);
        let out = dir.path().join("public");
        build_into(dir.path(), &out, &[]);
        Built { _dir: dir, out }
    }

    /// The ids of the events a list page shows, in order.
    fn events_on(&self, path: &str) -> Vec<String> {
        select(&self.html(path), ".timeline article.event", "id")
    }

    /// The period list of a page: (link, label text, count).
    fn periods_on(&self, path: &str) -> Vec<(String, String)> {
        let doc = self.html(path);
        let items = Selector::parse("nav.periods li").unwrap();
        let link = Selector::parse("a").unwrap();
        let count = Selector::parse(".count").unwrap();
        doc.select(&items)
            .map(|li| {
                let a = li.select(&link).next().unwrap();
                let n = li.select(&count).next().unwrap();
                (
                    a.value().attr("href").unwrap().to_string(),
                    n.text().collect::<String>(),
                )
            })
            .collect()
    }
}

fn select(doc: &Html, css: &str, attribute: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|el| el.value().attr(attribute).unwrap_or_default().to_string())
        .collect()
}

fn slugs(stems: &[&str]) -> Vec<String> {
    stems.iter().map(|s| s.to_string()).collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn the_timeline_splits_by_year_then_by_month() {
    let site = Built::of(Some("3"));
    assert!(
        site.events_on("index.html").is_empty(),
        "the split timeline lists periods, not events"
    );
    assert_eq!(
        site.periods_on("index.html"),
        pairs(&[
            ("timeline/2023/index.html", "2"),
            ("timeline/2024/index.html", "1"),
            ("timeline/2024-02/index.html", "2"),
            ("timeline/2024-03/index.html", "2"),
            ("timeline/2025/index.html", "1"),
        ])
    );
    let pages: BTreeMap<&str, Vec<String>> = [
        ("2023", slugs(&["spring", "summer"])),
        ("2024", slugs(&["all-year"])),
        ("2024-02", slugs(&["february-a", "february-b"])),
        ("2024-03", slugs(&["march-morning", "march-both"])),
        ("2025", slugs(&["new-year"])),
    ]
    .into();
    let mut every = Vec::new();
    for (key, expected) in &pages {
        let path = format!("timeline/{key}/index.html");
        assert_eq!(&site.events_on(&path), expected, "{path}");
        every.extend(expected.clone());
        // The period list on a period page marks the page itself.
        let current = select(
            &site.html(&path),
            "nav.periods a[aria-current=page]",
            "href",
        );
        assert_eq!(current, [format!("../{key}/index.html")], "{path}");
    }
    let order: Vec<String> = EVENTS.iter().map(|(s, _, _)| s.to_string()).collect();
    assert_eq!(every, order, "every event on exactly one page, in order");
}

#[test]
fn a_period_page_counts_its_own_events_in_the_filter_bar() {
    let site = Built::of(Some("3"));
    let doc = site.html("timeline/2024-03/index.html");
    let counts: Vec<String> = doc
        .select(&Selector::parse(".filter-bar nav.filters a.filter").unwrap())
        .map(|a| {
            a.select(&Selector::parse(".count").unwrap())
                .next()
                .unwrap()
                .text()
                .collect()
        })
        .collect();
    assert_eq!(counts, ["2", "2", "1"], "all, then A and B on this page");
    let status = select(&doc, ".filter-status", "data-all");
    assert_eq!(status, ["All 2 events"]);
}

/// A filter carried from one period's page to the next (`?tag=…&major=1`) must be known
/// there: every period's filter bar offers every tag and the key-moment filter of the whole
/// timeline, counted on its own page.
#[test]
fn a_period_page_offers_every_tag_and_key_moments_of_the_timeline() {
    let dir = site(Some("3"));
    let content = dir.path().join("content");
    let add = |stem: &str, fields: &str| {
        let path = content.join(format!("{stem}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("\norgs:", &format!("\n{fields}\norgs:"), 1),
        )
        .unwrap();
    };
    add("spring", "tags: [Zulu, alpha]\nmajor: true");
    add("march-both", "tags: [beta, alpha]");
    let out = dir.path().join("public");
    let run = build_output(dir.path(), &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let site = Built { _dir: dir, out };

    let tags = |path: &str| -> Vec<(String, String)> {
        site.html(path)
            .select(&Selector::parse(".filter-bar button.filter-tag").unwrap())
            .map(|b| {
                let count = b
                    .select(&Selector::parse(".count").unwrap())
                    .next()
                    .unwrap();
                (
                    b.value().attr("data-tag").unwrap().to_string(),
                    count.text().collect(),
                )
            })
            .collect()
    };
    let major = |path: &str| -> Vec<String> {
        site.html(path)
            .select(&Selector::parse(".filter-bar button.filter-major .count").unwrap())
            .map(|c| c.text().collect())
            .collect()
    };
    assert_eq!(
        tags("timeline/2024-03/index.html"),
        pairs(&[("alpha", "1"), ("beta", "1"), ("Zulu", "0")]),
        "every tag of the timeline, counted on the page"
    );
    assert_eq!(major("timeline/2024-03/index.html"), ["0"]);
    assert_eq!(
        tags("timeline/2023/index.html"),
        pairs(&[("alpha", "1"), ("beta", "0"), ("Zulu", "1")])
    );
    assert_eq!(major("timeline/2023/index.html"), ["1"]);
}

#[test]
fn organisation_pages_split_the_same_way() {
    let site = Built::of(Some("3"));
    assert!(site.events_on("orgs/a/index.html").is_empty());
    assert_eq!(
        site.periods_on("orgs/a/index.html"),
        pairs(&[
            ("2023.html", "2"),
            ("2024.html", "1"),
            ("2024-02.html", "1"),
            ("2024-03.html", "2"),
        ])
    );
    assert_eq!(
        site.events_on("orgs/a/2024-03.html"),
        slugs(&["march-morning", "march-both"])
    );
    assert_eq!(
        site.periods_on("orgs/b/index.html"),
        pairs(&[("2023.html", "1"), ("2024.html", "2"), ("2025.html", "1")])
    );
    assert_eq!(
        site.events_on("orgs/b/2024.html"),
        slugs(&["february-b", "march-both"])
    );
}

#[test]
fn links_into_a_split_timeline_find_their_event() {
    let site = Built::of(Some("3"));
    // The chart of the split timeline has a bar per organisation and period with events, each
    // linking to the period's page filtered to that organisation, named by its count.
    let index = site.html("index.html");
    let marks = select(&index, "figure.overview svg.chart a", "href");
    assert!(marks.contains(&"timeline/2024-03/index.html?org=a".to_string()));
    assert!(
        marks.iter().all(|m| m.starts_with("timeline/")),
        "{marks:?}"
    );
    let period_page = |m: &str| format!("timeline/{m}/index.html");
    let expected: Vec<String> = ["2023", "2024", "2024-02", "2024-03"]
        .iter()
        .map(|p| format!("{}?org=a", period_page(p)))
        .chain(
            ["2023", "2024-02", "2024-03", "2025"]
                .iter()
                .map(|p| format!("{}?org=b", period_page(p))),
        )
        .collect();
    assert_eq!(
        marks, expected,
        "one bar per organisation and period with events"
    );
    let names: Vec<String> = index
        .select(&Selector::parse("svg.chart a > title").unwrap())
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(names[3], "A, March 2024: 2 events");
    assert_eq!(names[7], "B, 2025: 1 event");
    assert_eq!(select(&index, "a.skip-chart", "href"), ["#_periods"]);
    // A period page charts its own events, each mark linking to the event on that page.
    let march = site.html("timeline/2024-03/index.html");
    // (The wide drawing; the narrow one for phones has the same links.)
    let marks = select(&march, "figure.overview svg.chart-wide a", "href");
    assert_eq!(marks, ["#march-morning", "#march-both", "#march-both"]);
    let narrow = select(&march, "figure.overview svg.chart-narrow a", "href");
    assert_eq!(narrow, marks);
    let here = site.events_on("timeline/2024-03/index.html");
    assert!(
        marks.iter().all(|m| here.contains(&m[1..].to_string())),
        "{marks:?} {here:?}"
    );
    assert_eq!(select(&march, "a.skip-chart", "href"), ["#_filters"]);
    // The corrections and the event pages' way back point at the period page that shows the
    // event.
    let back = select(
        &site.html("events/march-both/index.html"),
        "main a[href$='index.html#march-both']",
        "href",
    );
    assert_eq!(back, ["../../timeline/2024-03/index.html#march-both"]);
    let sitemap = std::fs::read_to_string(site.out.join("sitemap.xml")).unwrap();
    for loc in [
        "https://example.org/register/timeline/2024-02/",
        "https://example.org/register/orgs/a/2024-03.html",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
    // Every page and link, checked by the Nu HTML Checker, axe-core and the link checker.
    common::assert_check_site_clean(&site.out);
}

#[test]
fn a_timeline_that_fits_is_one_page() {
    let site = Built::of(None);
    let order: Vec<String> = EVENTS.iter().map(|(s, _, _)| s.to_string()).collect();
    assert_eq!(site.events_on("index.html"), order);
    assert!(site.periods_on("index.html").is_empty());
    assert!(!site.out.join("timeline").exists());
    assert_eq!(site.events_on("orgs/b/index.html").len(), 4);
}

#[test]
fn a_page_size_of_zero_is_an_error_at_its_place() {
    let dir = site(Some("0"));
    let run = build_output(dir.path(), &dir.path().join("public"), &[]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error: `page_size` must be at least 1\n --> content/_index.md:6:12"),
        "{stderr}"
    );
    assert!(!dir.path().join("public").exists(), "nothing was written");
}

#[test]
fn the_sources_page_splits_along_the_same_periods() {
    let site = Built::of(Some("3"));
    // Each event cites one source of its own; they are listed by the period of their event.
    assert_eq!(
        site.periods_on("sources/index.html"),
        pairs(&[
            ("2023.html", "2"),
            ("2024.html", "1"),
            ("2024-02.html", "2"),
            ("2024-03.html", "2"),
            ("2025.html", "1"),
        ])
    );
    let march = site.html("sources/2024-03.html");
    let cited = select(&march, ".source-list cite", "");
    assert_eq!(cited.len(), 2);
    let links = select(&march, ".source-list a[href^='http']", "href");
    assert_eq!(
        links,
        [
            "https://source.example/march-morning",
            "https://source.example/march-both"
        ]
    );
    // Numbering goes on from the pages before: 2 + 1 + 2 sources come first.
    assert_eq!(select(&march, "ol.source-list", "start"), ["6"]);
    let back = select(&march, ".source-list .cited-by + ul a", "href");
    assert_eq!(
        back[0],
        "../events/march-morning/index.html#march-morning.fn1"
    );
    let sitemap = std::fs::read_to_string(site.out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/register/sources/2024-03.html</loc>"));
}

/// With `page_size: 1` a month of two days is two pages: the first keeps the month's address,
/// the second is named by its day; index.html lists the month once, the part pages list the
/// parts of their own month, and every link finds its event.
#[test]
fn a_month_above_the_page_size_becomes_parts_of_whole_days() {
    let site = Built::of(Some("1"));
    let index = site.periods_on("index.html");
    let listed: Vec<&str> = index.iter().map(|(href, _)| href.as_str()).collect();
    assert!(
        listed.contains(&"timeline/2024-02/index.html"),
        "{listed:?}"
    );
    assert!(
        !listed.contains(&"timeline/2024-02-06/index.html"),
        "{listed:?}"
    );
    let february = index
        .iter()
        .find(|(h, _)| h == "timeline/2024-02/index.html");
    assert_eq!(
        february.map(|(_, n)| n.as_str()),
        Some("2"),
        "counted whole"
    );
    assert_eq!(
        site.events_on("timeline/2024-02/index.html"),
        ["february-a"]
    );
    assert_eq!(
        site.events_on("timeline/2024-02-06/index.html"),
        ["february-b"]
    );
    let part = site.html("timeline/2024-02-06/index.html");
    let heading: String = part
        .select(&Selector::parse("main h1").unwrap())
        .flat_map(|h| h.text())
        .collect();
    assert_eq!(heading, "February 2024 (6)");
    let nav = select(&part, "nav.periods a", "href");
    assert!(
        nav.contains(&"../2024-02/index.html".to_string()),
        "{nav:?}"
    );
    assert!(
        nav.contains(&"../2024-03/index.html".to_string()),
        "{nav:?}"
    );
    assert!(
        !nav.contains(&"../2024-03-02/index.html".to_string()),
        "{nav:?}"
    );
    let pager = select(&part, ".period-pager a", "href");
    assert_eq!(
        pager[..2],
        ["../2024-02/index.html", "../2024-03/index.html"]
    );
    let back = select(
        &site.html("events/february-b/index.html"),
        "main a[href$='index.html#february-b']",
        "href",
    );
    assert_eq!(back, ["../../timeline/2024-02-06/index.html#february-b"]);
    assert!(site.out.join("orgs/a/2024-03-02.html").is_file());
    assert!(site.out.join("sources/2024-02-06.html").is_file());
}
