//! The overview chart on built sites: `tests/fixtures/diginotar` (one event in 1998, one in
//! January 2011, fourteen from 28 August to 6 September, a bankruptcy two weeks later) through
//! the real binary. Its busy days are in focus and the rest at the "earlier" and "later"
//! edges, each still a link; `chart: false` leaves an event off the chart and nowhere else;
//! `chart: { from, to }` fixes the range; the output stays the same from build to build and
//! valid by check-site's judgement.

use scraper::Html;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;

use common::{assert_check_site_clean, build_into, sel, temp_copy};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diginotar")
}

/// Builds `site` into a temporary folder: (guard, output folder).
fn build(site: &Path) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_into(site, &public, &[]);
    (out, public)
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap()
}

/// The events a drawing (`svg.chart-wide` or `svg.chart-narrow`) links to: by a mark, or as
/// members of a cluster.
fn charted(html: &Html, drawing: &str) -> BTreeSet<String> {
    let mut slugs = BTreeSet::new();
    for a in html.select(&sel(&format!("svg.{drawing} g.lane a"))) {
        match a.value().attr("data-events") {
            Some(members) => slugs.extend(members.split(' ').map(str::to_string)),
            None => {
                let href = a.value().attr("href").unwrap();
                slugs.insert(href.trim_start_matches('#').to_string());
            }
        }
    }
    slugs
}

fn events_on_page(html: &Html) -> BTreeSet<String> {
    html.select(&sel("article.event"))
        .map(|a| a.value().attr("id").unwrap().to_string())
        .collect()
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&sel(css)).map(|t| t.text().collect()).collect()
}

#[test]
fn the_busy_days_are_in_focus_and_the_rest_at_the_edges() {
    let (_out, public) = build(&fixture());
    let page = read(&public, "index.html");
    let html = Html::parse_document(&page);
    let all = events_on_page(&html);
    assert_eq!(all.len(), 17);
    for drawing in ["chart-wide", "chart-narrow"] {
        assert_eq!(
            charted(&html, drawing),
            all,
            "{drawing}: every event is on the chart"
        );
        let words = texts(&html, &format!("svg.{drawing} g.edges text:not(.years)"));
        assert_eq!(words, ["earlier", "later"], "{drawing}");
        let years = texts(&html, &format!("svg.{drawing} g.edges text.years"));
        assert_eq!(years, ["1998–2011", "2011"], "{drawing}");
    }
    // The wide drawing ticks every day; the founding in 1998 is a link at the earlier edge.
    let ticks = texts(&html, "svg.chart-wide g.axis text:not(.caption)");
    assert!(ticks.contains(&"29 Aug".to_string()), "{ticks:?}");
    assert!(
        ["30", "31", "1 Sep", "2", "3"]
            .iter()
            .all(|d| ticks.contains(&d.to_string())),
        "{ticks:?}"
    );
    let founded = html
        .select(&sel(
            r##"svg.chart-wide a[href="#diginotar-founded"] > title"##,
        ))
        .map(|t| t.text().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(
        founded,
        ["1998 — DigiNotar founded in Beverwijk (DigiNotar)"]
    );
    // Two drawings, two titles, no id twice; no inline style or script.
    assert_eq!(html.select(&sel("svg > title#_chart-title")).count(), 1);
    assert_eq!(
        html.select(&sel("svg > title#_chart-title-narrow")).count(),
        1
    );
    let chart = &page[page.find("<svg").unwrap()..page.rfind("</svg>").unwrap()];
    assert!(
        !chart.contains("style") && !chart.contains("<script"),
        "{chart}"
    );
    // The same bytes from build to build.
    let (_again, second) = build(&fixture());
    assert_eq!(page, read(&second, "index.html"));
}

#[test]
fn an_event_with_chart_false_is_left_off_the_chart_only() {
    let (_tmp, site) = temp_copy(&fixture());
    let (_out, before) = build(&site);
    let file = site.join("content/diginotar-founded.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("date: 1998\n", "date: 1998\nchart: false\n", 1),
    )
    .unwrap();
    let (_out2, after) = build(&site);
    let html = Html::parse_document(&read(&after, "index.html"));
    assert!(events_on_page(&html).contains("diginotar-founded"));
    for drawing in ["chart-wide", "chart-narrow"] {
        let charted = charted(&html, drawing);
        assert!(!charted.contains("diginotar-founded"), "{drawing}");
        assert_eq!(charted.len(), 16, "{drawing}");
        let years = texts(&html, &format!("svg.{drawing} g.edges text.years"));
        assert_eq!(
            years,
            ["2011", "2011"],
            "{drawing}: the earlier edge is January's alone"
        );
    }
    assert!(after.join("events/diginotar-founded/index.html").exists());
    assert!(read(&after, "feed.xml").contains("DigiNotar founded in Beverwijk"));
    // timeline.json keeps its shape: the same fields, and the event is still in it.
    let shape = |out: &Path| {
        let json: serde_json::Value = serde_json::from_str(&read(out, "timeline.json")).unwrap();
        let keys =
            |v: &serde_json::Value| v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>());
        let events = json["events"].as_array().unwrap();
        (keys(&json), events.iter().map(keys).collect::<Vec<_>>())
    };
    assert_eq!(shape(&before), shape(&after));
    assert!(read(&after, "timeline.json").contains("diginotar-founded"));
}

#[test]
fn a_fixed_range_sends_the_rest_to_the_edges() {
    let (_tmp, site) = temp_copy(&fixture());
    let index = site.join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    let fixed = text.replacen(
        "organisations:",
        "chart: { from: 2011-09-01, to: 2011-09-06 }\norganisations:",
        1,
    );
    std::fs::write(&index, fixed).unwrap();
    let (_out, public) = build(&site);
    let html = Html::parse_document(&read(&public, "index.html"));
    let ticks = texts(&html, "svg.chart-wide g.axis text:not(.caption)");
    assert!(!ticks.iter().any(|t| t.contains("Aug")), "{ticks:?}");
    // The first label names the month (the tick on 1 September itself sits at the break, where
    // its label has no room); the range runs to the end of 6 September.
    assert!(ticks[0].ends_with(" Sep"), "{ticks:?}");
    assert!(ticks.contains(&"6".to_string()), "{ticks:?}");
    // August's events are at the earlier edge now, still linked.
    assert_eq!(charted(&html, "chart-wide"), events_on_page(&html));
    let years = texts(&html, "svg.chart-wide g.edges text.years");
    assert_eq!(years, ["1998–2011", "2011"]);
}

#[test]
fn the_fixture_passes_check_site() {
    let (_out, public) = build(&fixture());
    assert_check_site_clean(&public);
}

/// Eight more events in the small hours of the busy Saturday: the narrow drawing folds some
/// into a cluster, the wide one has room for them all, and the legend's cluster item says it
/// belongs to the narrow drawing (the stylesheet shows it with that drawing only).
#[test]
fn a_legend_item_of_one_drawing_only_says_so() {
    let (_tmp, site) = temp_copy(&fixture());
    for hour in 2..10 {
        let text = format!(
            "---\ntitle: \"Advice {hour}\"\ndate: 2011-09-03T{hour:02}:00\norgs: [government]\n\
             sources:\n  - title: \"Advice\"\n---\nAdvice.\n"
        );
        std::fs::write(
            site.join(format!("content/2011-09-03-advice-{hour}.md")),
            text,
        )
        .unwrap();
    }
    let (_out, public) = build(&site);
    let html = Html::parse_document(&read(&public, "index.html"));
    assert_eq!(html.select(&sel("svg.chart-wide a.cluster")).count(), 0);
    assert!(html.select(&sel("svg.chart-narrow a.cluster")).count() > 0);
    let classes: Vec<String> = html
        .select(&sel(".legend .legend-item"))
        .filter(|item| item.select(&sel(".key-cluster")).next().is_some())
        .map(|item| item.value().attr("class").unwrap().to_string())
        .collect();
    assert_eq!(classes, ["legend-item legend-narrow"]);
    assert_eq!(charted(&html, "chart-narrow"), events_on_page(&html));
}
