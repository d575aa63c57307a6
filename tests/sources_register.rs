//! The sources register, `content/sources.yaml`: events list its sources by id or cite them
//! inline without listing; the register is never copied to the output; a source cited only
//! inside an `::: internal` block leaves no trace for public readers; citation fields (author,
//! access and archive dates, language, quote) are shown.

use scraper::Html;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{sel, squashed};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/register")
}

fn build(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    common::build_into(&fixture(), &out, args);
    (dir, out)
}

fn every_file(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let text = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
            (e.path().display().to_string(), text)
        })
        .collect()
}

fn export(format: &str, args: &[&str]) -> String {
    let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(["export", "--format", format])
        .args(args)
        .arg(fixture())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

#[test]
fn register_sources_are_cited_by_id_and_inline_with_all_their_fields() {
    let (_dir, out) = build(&[]);
    assert!(
        !out.join("sources.yaml").exists(),
        "the register was copied"
    );
    let page = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let notes = |slug: &str| -> Vec<String> {
        page.select(&sel(&format!("#{slug} .notes li")))
            .map(squashed)
            .collect()
    };
    let warned = notes("ncsc-warned");
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0].contains(
            "State Secretary for the Interior, Kamerstukken II 2023/24, 26 643, nr. 1182 (Dutch), \
             Tweede Kamer, 7 June 2024, accessed 8 June 2024 (archived copy, 9 June 2024): \
             The vulnerability has been fixed."
        ),
        "{warned:?}"
    );
    // Cited inline without being listed: two notes, in the order cited.
    let report = notes("report");
    assert_eq!(report.len(), 2, "{report:?}");
    assert!(
        report[0].contains("Bugs in Cisco Webex Meetings"),
        "{report:?}"
    );
    assert!(report[1].contains("Kamerstukken II"), "{report:?}");
    // The sources page lists the letter once, cited by three events.
    let sources = std::fs::read_to_string(out.join("sources/index.html")).unwrap();
    assert_eq!(
        sources.matches("<cite>Kamerstukken II").count(),
        1,
        "{sources}"
    );
}

#[test]
fn a_register_source_cited_only_inside_an_internal_block_stays_internal() {
    let (_dir, public) = build(&[]);
    let mut outputs = every_file(&public);
    for format in ["markdown", "mediawiki", "html", "json", "timelinejs", "csv"] {
        outputs.push((format.to_string(), export(format, &[])));
    }
    for (name, text) in &outputs {
        // One word, so that the search index, which splits words at `-`, holds it whole.
        assert!(
            !text.to_lowercase().contains("registercanary"),
            "{name} shows the internal-only source"
        );
    }
    let (_dir, internal) = build(&["--audience", "internal"]);
    let index = std::fs::read_to_string(internal.join("index.html")).unwrap();
    assert!(
        index.contains("Registercanarytitle"),
        "internal readers lost the source"
    );
    for format in ["markdown", "csv", "timelinejs"] {
        let text = export(format, &["--audience", "internal"]);
        assert!(
            text.contains("Registercanarytitle"),
            "{format} lost the internal source"
        );
    }
}

#[test]
fn unknown_source_fields_are_warnings_that_name_the_field_people_mean() {
    let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(["check", "--format", "json"])
        .arg(fixture())
        .output()
        .unwrap();
    assert!(run.status.success());
    let stdout = String::from_utf8(run.stdout).unwrap();
    let problems: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(problems.len(), 1, "{stdout}");
    let p = &problems[0];
    assert_eq!(p["file"], "content/sources.yaml");
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(18), Some(3))
    );
    assert_eq!(p["severity"], "warning");
    assert_eq!(p["message"], "unknown source field `accessed`");
    assert_eq!(p["hint"], "did you mean `access_date`?");
}

/// A source without a title is named by its publisher, once ("Pastebin, Pastebin" before).
#[test]
fn a_source_without_a_title_names_its_publisher_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::copy(
        fixture().join("content/_index.md"),
        site.join("content/_index.md"),
    )
    .unwrap();
    std::fs::write(
        site.join("content/2011-07-20-paste.md"),
        "---\ntitle: \"Paste\"\norgs: [ncsc]\nsources:\n  - publisher: Pastebin\n    url: https://pastebin.com/x\n---\nText.\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    common::build_into(&site, &out, &[]);
    let page = Html::parse_document(&std::fs::read_to_string(out.join("index.html")).unwrap());
    let note = page
        .select(&sel("#paste .notes li"))
        .map(squashed)
        .next()
        .unwrap();
    assert_eq!(note, "Pastebin ↩");
    let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args(["export", "--format", "markdown"])
        .arg(&site)
        .output()
        .unwrap();
    let markdown = String::from_utf8(run.stdout).unwrap();
    assert!(
        markdown.contains("[Pastebin](<https://pastebin.com/x>)\n"),
        "{markdown}"
    );
}
