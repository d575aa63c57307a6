//! Interchange with other tools: `kroniek import` and the two formats it shares with
//! `kroniek export`, CSV and TimelineJS.
//!
//! A chronology kept in a spreadsheet must round-trip (import, build, export: the same events),
//! a TimelineJS timeline must come in with its dates, groups, text and media, a bad row must be
//! reported at its row and column with nothing written, and TimelineJS itself (the npm package
//! `@knight-lab/timelinejs`, which `scripts/test` installs) must show the export.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::{run_within, snapshot, Built};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn kroniek(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(args)
        .output()
        .unwrap()
}

fn export(site: &Path, format: &str) -> String {
    let run = kroniek(&[
        "export".as_ref(),
        "--format".as_ref(),
        format.as_ref(),
        site.as_os_str(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

/// An empty site with the settings of `index` (a `_index.md`), in a temporary folder.
fn empty_site(index: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::copy(index, site.join("content/_index.md")).unwrap();
    (dir, site)
}

fn import(file: &Path, site: &Path) -> Output {
    kroniek(&[
        "import".as_ref(),
        file.as_os_str(),
        "--into".as_ref(),
        site.as_os_str(),
    ])
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn built(site: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::build_into(site, &out, &[]);
    Built { _dir: dir, out }
}

fn events_json(site: &Built) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&site.read("timeline.json")).unwrap();
    json["events"].as_array().unwrap().clone()
}

#[test]
fn a_csv_export_imports_back_to_the_same_events() {
    let example = manifest();
    let csv = export(example, "csv");
    assert!(csv.starts_with(
        "slug,date,end,time,title,orgs,tags,major,draft,internal,sources,corrections,updated,body\n"
    ));
    let (dir, site) = empty_site(&example.join("content/_index.md"));
    let file = write(dir.path(), "chronology.csv", &csv);
    let run = import(&file, &site);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(
        export(&site, "csv"),
        csv,
        "export, import, export changed the CSV"
    );
    // Every field of every event, rendered, is the same.
    assert_eq!(events_json(&built(&site)), events_json(&built(example)));
}

#[test]
fn a_public_csv_keeps_internal_text_and_hidden_events_out() {
    let canary = manifest().join("tests/fixtures/canary");
    let public = export(&canary, "csv");
    assert!(!public.contains("kanarie-"), "a canary in the public CSV");
    let run = kroniek(&[
        "export".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--audience".as_ref(),
        "internal".as_ref(),
        canary.as_os_str(),
    ]);
    let internal = String::from_utf8(run.stdout).unwrap();
    // Internal rows say so, and internal blocks stay blocks, so that an internal CSV imported
    // into a site stays internal there.
    assert!(internal.contains(",true,"), "no internal row");
    assert!(
        internal.contains(":::internal\n"),
        "an internal block lost its fence"
    );
    let (dir, site) = empty_site(&canary.join("content/_index.md"));
    let run = import(&write(dir.path(), "internal.csv", &internal), &site);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let again = export(&site, "csv");
    for word in [
        "kanarie-block-top",
        "kanarie-internal-title",
        "kanarie-block-footnote",
    ] {
        assert!(
            internal.contains(word),
            "{word} missing from the internal CSV"
        );
        assert!(
            !again.contains(word),
            "{word} public after an internal CSV was imported"
        );
    }
}

#[test]
fn a_timelinejs_export_imports_back_with_its_dates_groups_and_sources() {
    let example = manifest();
    let json = export(example, "timelinejs");
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    let slides = parsed["events"].as_array().unwrap();
    let original = events_json(&built(example));
    assert_eq!(slides.len(), original.len());
    assert!(parsed["title"]["text"]["headline"]
        .as_str()
        .unwrap()
        .contains("Webex"));
    let month = slides
        .iter()
        .find(|s| s["unique_id"] == "crisisorganisatie-bzk-opgestart");
    assert_eq!(
        month.unwrap()["start_date"],
        serde_json::json!({"year": 2024, "month": 6}),
        "a month stays a month"
    );

    let (dir, site) = empty_site(&example.join("content/_index.md"));
    let file = write(dir.path(), "timeline.json", &json);
    let run = import(&file, &site);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("the title slide is not an event"));
    let back = events_json(&built(&site));
    assert_eq!(back.len(), original.len());
    for (a, b) in original.iter().zip(&back) {
        for key in ["slug", "title", "date", "end"] {
            assert_eq!(a[key], b[key], "{key} of {}", a["slug"]);
        }
        // TimelineJS has one group per slide: the first organisation.
        assert_eq!(a["orgs"][0], b["orgs"][0], "{}", a["slug"]);
        let urls = |e: &serde_json::Value| -> Vec<String> {
            e["notes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|n| n["source"]["url"].as_str().map(String::from))
                .collect()
        };
        assert_eq!(urls(a), urls(b), "sources of {}", a["slug"]);
    }
}

#[test]
fn the_timelinejs_sheet_template_imports_with_times_groups_and_media() {
    let fixture = manifest().join("tests/fixtures/import");
    let (_dir, site) = empty_site(&fixture.join("site/content/_index.md"));
    let run = import(&fixture.join("timelinejs-sheet.csv"), &site);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("row 2: a TimelineJS title slide is not an event"),
        "{stderr}"
    );
    assert!(
        stderr.contains("row 3: a TimelineJS era slide is not an event"),
        "{stderr}"
    );
    let google = std::fs::read_to_string(
        site.join("content/2011-08-29-google-warns-of-a-forged-certificate.md"),
    )
    .unwrap();
    assert_eq!(
        google,
        "---\ntitle: \"Google warns of a forged certificate\"\ndate: \"2011-08-29T14:30\"\n\
         orgs: [google]\nsources:\n  - title: \"Google's post\"\n    url: \"https://example.org/blog\"\n---\n\
         Users in Iran see a [forged certificate](https://example.org/cert) for *google.com*.\n\n\
         Second paragraph.\n"
    );
    // A month, and a group given by an organisation's name.
    assert!(site
        .join("content/2011-09-investigation-in-september.md")
        .exists());
    let bzk =
        std::fs::read_to_string(site.join("content/2011-09-05-government-takes-over.md")).unwrap();
    assert!(bzk.contains("orgs: [bzk]"), "{bzk}");
    built(&site);
}

#[test]
fn bad_rows_are_reported_at_their_row_and_column_and_nothing_is_written() {
    let fixture = manifest().join("tests/fixtures/import");
    let (_dir, site) = empty_site(&fixture.join("site/content/_index.md"));
    let before = snapshot(&site);
    let run = kroniek(&[
        "import".as_ref(),
        fixture.join("bad-rows.csv").as_os_str(),
        "--into".as_ref(),
        site.as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("  = help") || l.contains("-->"))
        .collect();
    assert_eq!(
        lines,
        [
            "error: row 3: `2011-02-30` is not a date in the calendar (column 2 `date`)",
            " --> bad-rows.csv:3:2",
            "error: row 4: unknown organisation `gogle` (column 6 `orgs`)",
            " --> bad-rows.csv:4:6",
            "  = help: did you mean `google`?",
            "error: row 5: `draft` must be `true` or `false`, found `yes` (column 9 `draft`)",
            " --> bad-rows.csv:5:9",
            "error: row 6: the row has no title",
            " --> bad-rows.csv:6:1",
            "error: row 7: `www.example.org` is not an http(s) URL (column 11 `sources`)",
            " --> bad-rows.csv:7:11",
            "error: row 8: the slug `../../escape` cannot be used in a URL",
            " --> bad-rows.csv:8:1",
            "  = help: use lowercase letters, digits and `-`, e.g. `escape`",
            "error: row 9: the slug `good-row` is taken by row 2",
            " --> bad-rows.csv:9:1",
            "error: row 10: the event ends before it starts (column 3 `end`)",
            "  --> bad-rows.csv:10:3",
            "error: nothing imported: 8 row(s) with errors",
        ],
        "{stderr}"
    );
    assert_eq!(snapshot(&site), before, "a refused import wrote something");
}

#[test]
fn import_never_replaces_a_file() {
    let fixture = manifest().join("tests/fixtures/import");
    let (dir, site) = empty_site(&fixture.join("site/content/_index.md"));
    let mine = "---\ntitle: \"Mine\"\norgs: [google]\n---\nMy own text.\n";
    let existing = write(&site.join("content"), "2011-08-29-mine.md", mine);
    let csv = write(
        dir.path(),
        "rows.csv",
        "slug,date,title,orgs,body\nmine,2011-08-29,Theirs,google,Their text.\nother,2011-08-30,Other,google,Text.\n",
    );
    let run = import(&csv, &site);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error: row 2: the slug `mine` is taken by content/2011-08-29-mine.md"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(existing).unwrap(), mine);
    assert!(
        !site.join("content/2011-08-30-other.md").exists(),
        "a bad file wrote the good rows"
    );
}

#[test]
fn what_is_not_an_import_file_is_refused() {
    let fixture = manifest().join("tests/fixtures/import");
    let (dir, site) = empty_site(&fixture.join("site/content/_index.md"));
    let run = import(&write(dir.path(), "events.xlsx", "PK"), &site);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr)
        .contains("is neither CSV (`.csv`) nor TimelineJS JSON (`.json`)"));
    let run = import(&write(dir.path(), "other.csv", "name,when\nx,y\n"), &site);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("error: the header row is neither kroniek's CSV nor TimelineJS's template"),
        "{stderr}"
    );
    let run = import(&write(dir.path(), "broken.json", "{\"events\": [}"), &site);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("broken.json:1:13"));
    let hostile = "slug,date,title,orgs,body\n\
                   x,2011-08-29,\"Title\"\"\n---\ninternal: false\",google,\"---\ndraft: false\n---\"\n";
    let run = import(&write(dir.path(), "hostile.csv", hostile), &site);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(site.join("content/2011-08-29-x.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"Title\\\"\\n---\\ninternal: false\"\n"),
        "{text}"
    );
    built(&site);
}

/// Where `scripts/test` installs TimelineJS3 (`@knight-lab/timelinejs`, pinned there).
fn timelinejs_dist() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
    let dist = cache.join("kroniek-timelinejs/node_modules/@knight-lab/timelinejs/dist");
    assert!(
        dist.join("js/timeline.js").is_file(),
        "TimelineJS is missing from {}: run scripts/test",
        dist.display()
    );
    dist
}

#[test]
fn timelinejs_shows_every_slide_of_the_export() {
    let dist = timelinejs_dist();
    for site in [
        manifest().to_path_buf(),
        manifest().join("tests/fixtures/rich"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("timeline.json");
        std::fs::write(&file, export(&site, "timelinejs")).unwrap();
        let mut node = Command::new("node");
        node.arg(manifest().join("tests/browser/timelinejs.mjs"))
            .arg(&file)
            .arg(&dist);
        let run = run_within(&mut node, std::time::Duration::from_secs(180))
            .unwrap_or_else(|e| panic!("node is missing ({e}): run scripts/test"));
        let report = format!("{}{}", run.stdout, run.stderr);
        assert!(
            run.status.is_some_and(|s| s.success()),
            "TimelineJS on the export of {}:\n{report}",
            site.display()
        );
    }
}
