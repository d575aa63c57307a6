//! The timeline page in a real browser: builds the example site (Dutch) and the rich fixture
//! (English) and runs `tests/browser/filter.mjs` on each, which serves the site on loopback with
//! a strict Content-Security-Policy and drives headless Chromium with playwright-core: the
//! organisation, tag and key-moment filters, the URL state (reload, back/forward, shared
//! links, `file://`), the live region, the chart's links, the page without JavaScript, print
//! (every event, source URLs), no layout shift while loading, no requests elsewhere and no
//! console errors. Then `tests/browser/jump.mjs`: chart marks, footnote markers and their
//! back-links land below the sticky day heading, at 1280 px, at 320 px and with large text.
//! Then `tests/browser/footnotes.mjs`: a footnote of several paragraphs shows them apart.
//! And `tests/browser/search.mjs`: the search box (counts announced, results checked against
//! the site's own data, a result followed to its page, `file://`, none without JavaScript).
//! And `tests/browser/clusters.mjs` on a crowded generated site: the chart's clusters dim
//! only when the filter hides all their events.
//! `scripts/test` installs Chromium, Node.js and playwright-core; without them this test
//! fails, it never skips.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

mod common;

use common::{build_into, run_within};

/// The browser script stops itself after 120 s; this is the last resort.
const TIMEOUT: Duration = Duration::from_secs(180);

/// Runs the browser tests on a built site; panics with their reports unless all pass.
fn browser_tests(site: &Path) {
    browser_tests_on(site, None);
}

/// One Chromium at a time: the tests measure layout shift and timing on a 2-core machine,
/// where three browsers side by side would measure each other.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The same, on one list page of the site (`timeline/2024-06/index.html`) instead of the
/// timeline's first page.
fn browser_tests_on(site: &Path, page: Option<&str>) {
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    // Every script runs, so that one report shows every failure.
    let failed: Vec<String> = ["filter.mjs", "jump.mjs", "search.mjs"]
        .into_iter()
        .filter_map(|script| {
            let result = run_script(script, site, page);
            result.err().map(|report| format!("{script}:\n{report}"))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// Runs `tests/browser/<script>` on `site` (and `page`); its report when it fails.
fn run_script(script: &str, site: &Path, page: Option<&str>) -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut command = Command::new("node");
    command
        .arg(root.join("tests/browser").join(script))
        .arg(site)
        .args(page)
        .current_dir(root);
    let run = run_within(&mut command, TIMEOUT)
        .unwrap_or_else(|e| panic!("node is missing ({e}): run scripts/test"));
    let (status, report) = (run.status, format!("{}{}", run.stdout, run.stderr));
    println!("{report}");
    match status {
        None => Err(format!(
            "the browser tests took over {TIMEOUT:?}:\n{report}"
        )),
        Some(status) if status.code() == Some(2) => {
            panic!("a browser test tool is missing: run scripts/test\n{report}")
        }
        Some(status) if status.success() => Ok(()),
        Some(_) => Err(format!("browser tests failed:\n{report}")),
    }
}

#[test]
fn example_site_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    build_into(Path::new(env!("CARGO_MANIFEST_DIR")), &site, &[]);
    browser_tests(&site);
}

#[test]
fn english_fixture_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    build_into(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich"),
        &site,
        &[],
    );
    browser_tests(&site);
}

/// The example with `page_size: 10`: the timeline is split by month, and the filters work on
/// the page of June 2024 (13 events) the same way they do on an unsplit timeline.
#[test]
fn period_page_of_a_split_timeline_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("site");
    std::fs::create_dir_all(&source).unwrap();
    let copy = Command::new("cp")
        .arg("-r")
        .arg(root.join("content"))
        .arg(&source)
        .status()
        .unwrap();
    assert!(copy.success());
    let index = source.join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replacen("---\n", "---\npage_size: 10\n", 1)).unwrap();
    let site = dir.path().join("public");
    build_into(&source, &site, &[]);
    assert!(
        site.join("timeline/2024-05/index.html").is_file(),
        "the timeline is split"
    );
    browser_tests_on(&site, Some("timeline/2024-06/index.html"));
}

/// A footnote of three paragraphs shows three paragraphs, on the timeline, on the event's page
/// and in the single-file HTML export (`tests/browser/footnotes.mjs`).
#[test]
fn footnote_paragraphs_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/wikisyntax");
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    build_into(&fixture, &site, &[]);
    let export = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("export")
        .arg(&fixture)
        .args(["--format", "html", "-o"])
        .arg(site.join("export.html"))
        .status()
        .unwrap();
    assert!(export.success());
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let failed: Vec<String> = ["index.html", "events/templates/index.html", "export.html"]
        .into_iter()
        .filter_map(|page| run_script("footnotes.mjs", &site, Some(page)).err())
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The search box where a word is in more events than the first page of results shows ("N
/// more"), titles are hostile (markup, quotes, `constructor`, `__proto__`) and written in
/// several scripts, and some events are drafts and internal (never found in a public build).
#[test]
fn search_with_many_results_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("site");
    let content = source.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: \"Zoeken\"\nlanguage: en\norganisations:\n  gem:\n    name: \"Gemeente Zoetermeer\"\n    short: \"GZ\"\n---\n",
    )
    .unwrap();
    let titles = [
        "<script>alert(1)</script> constructor",
        "\"quoted\" & <b>bold</b> __proto__ hasOwnProperty",
        "Δήμος Αθηναίων Київ 東京",
        "Café Ångström geïnformeerd",
    ];
    for day in 1..=27 {
        let title = titles.get(day - 1).map_or_else(
            || format!("Melding {day} over de gemeente"),
            |t| t.to_string(),
        );
        let extra = match day {
            5 => "draft: true\n",
            6 => "internal: true\n",
            _ => "",
        };
        let body = if day % 2 == 0 {
            "De gemeente meldt iets."
        } else {
            "Niets."
        };
        std::fs::write(
            content.join(format!("2024-01-{day:02}-e{day}.md")),
            format!(
                "---\ntitle: {}\ndate: 2024-01-{day:02}\norgs: [gem]\n{extra}sources:\n  - title: \"Bron {day}\"\n---\n{body}\n",
                serde_json::to_string(&title).unwrap()
            ),
        )
        .unwrap();
    }
    let site = dir.path().join("public");
    build_into(&source, &site, &[]);
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(report) = run_script("search.mjs", &site, None) {
        panic!("{report}");
    }
}

/// The preview's error overlay, over a page of the rich fixture whose last edit broke the
/// build, passes axe in Chromium (`tests/browser/overlay.mjs`).
#[test]
fn the_preview_error_overlay_passes_axe_in_chromium() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich");
    let (dir, site) = common::temp_copy(&fixture);
    let server = common::serve(dir, site);
    let event = server.site.join("content/2024-06-04-morning-call.md");
    let good = std::fs::read_to_string(&event).unwrap();
    std::fs::write(
        &event,
        good.replacen("orgs: [cert, vendor]", "orgs: [cert, nobody]", 1),
    )
    .unwrap();
    let url = format!("http://{}/", server.address);
    // The preview rebuilds on its own; wait (without a timed assertion) until it says so.
    let started = std::time::Instant::now();
    while !page_has(&server.address, "kroniek-errors") {
        assert!(started.elapsed() < TIMEOUT, "the overlay never came");
        std::thread::sleep(Duration::from_millis(100));
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut command = Command::new("node");
    command
        .arg(root.join("tests/browser/overlay.mjs"))
        .arg(&url)
        .current_dir(root);
    let run = run_within(&mut command, TIMEOUT).unwrap();
    let report = format!("{}{}", run.stdout, run.stderr);
    println!("{report}");
    assert!(run.status.is_some_and(|s| s.success()), "{report}");
}

/// Whether the page at `/` of the preview at `address` contains `text`.
fn page_has(address: &str, text: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(address) else {
        return false;
    };
    let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    let mut reply = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut reply).is_ok()
        && reply.contains(text)
}

/// 150 small events of three organisations on three days, many at the same minutes: a chart
/// crowded enough to fold marks into clusters, on one page (generated events are heavy
/// enough that a list of a few dozen is split by size, and a split timeline charts bars, not
/// marks), which `tests/browser/clusters.mjs` filters.
#[test]
fn chart_clusters_dim_with_their_events_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("site");
    let content = source.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        "---\ntitle: \"Clusters\"\nlanguage: en\norganisations:\n  ant: { name: \"Ant\" }\n  bee: { name: \"Bee\" }\n  cat: { name: \"Cat\" }\n---\n",
    )
    .unwrap();
    let keys = ["ant", "bee", "cat"];
    for i in 0..150 {
        let orgs = if i % 7 == 0 {
            format!("{}, {}", keys[i % 3], keys[(i + 1) % 3])
        } else {
            keys[i % 3].to_string()
        };
        let day = 3 + (i % 3) * 2;
        std::fs::write(
            content.join(format!("2024-06-{day:02}-e{i}.md")),
            format!(
                "---\ntitle: \"Event {i}\"\ndate: 2024-06-{day:02}T{:02}:{:02}\norgs: [{orgs}]\nsources:\n  - title: \"S\"\n---\nShort.\n",
                9 + i % 8,
                i % 5
            ),
        )
        .unwrap();
    }
    let site = dir.path().join("public");
    build_into(&source, &site, &[]);
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(report) = run_script("clusters.mjs", &site, None) {
        panic!("clusters.mjs:\n{report}");
    }
}
