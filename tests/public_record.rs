//! The public record, through the real binary: `kroniek release` records what the public was
//! given; later builds refuse to change a released event without a correction or to drop one
//! without a withdrawal or an alias; `release --verify` rebuilds a release; the changes page
//! and `timeline.json` tell the history.

use scraper::Html;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::{build_output, sel, squashed};

/// A small English site in a temporary folder: two public events, an internal one and a draft.
struct Site {
    dir: tempfile::TempDir,
}

const INDEX: &str = "---\ntitle: \"Record\"\nlanguage: en\ntimezone: Europe/Amsterdam\norganisations:\n  a:\n    name: \"Agency A\"\n---\n";

fn event(title: &str, date: &str, more: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\norgs: [a]\n{more}sources:\n  - title: \"Report\"\n    url: \"https://example.org/report\"\n---\n{body}\n"
    )
}

impl Site {
    fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write("content/_index.md", INDEX);
        site.write(
            "content/2024-06-04-first.md",
            &event(
                "First",
                "2024-06-04",
                "",
                "The first thing happened.\n\n::: internal\nInternal detail.\n:::",
            ),
        );
        site.write(
            "content/2024-06-05-second.md",
            &event("Second", "2024-06-05", "", "Then the second."),
        );
        site.write(
            "content/2024-06-06-secret.md",
            &event(
                "Secret meeting",
                "2024-06-06",
                "internal: true\n",
                "Not for the public.",
            ),
        );
        site.write(
            "content/2024-06-07-unfinished.md",
            &event(
                "Unfinished draft",
                "2024-06-07",
                "draft: true\n",
                "Not ready.",
            ),
        );
        site
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path().join(file)).unwrap()
    }

    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert!(text.contains(from), "{file} has no {from:?}");
        self.write(file, &text.replacen(from, to, 1));
    }

    fn kroniek(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kroniek"))
            .args(args)
            .arg(self.path())
            .output()
            .unwrap()
    }

    fn release(&self, note: &str, date: &str) -> Output {
        self.kroniek(&["release", "--note", note, "--date", date])
    }

    fn released(&self, note: &str, date: &str) {
        let run = self.release(note, date);
        assert!(run.status.success(), "release failed:\n{}", stderr(&run));
    }

    fn check(&self) -> Output {
        self.kroniek(&["check"])
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn build(&self) -> Output {
        build_output(&self.path(), &self.out(), &[])
    }

    fn built(&self) {
        let run = self.build();
        assert!(run.status.success(), "build failed:\n{}", stderr(&run));
    }

    fn record(&self, n: u32) -> serde_json::Value {
        serde_json::from_str(&self.read(&format!("releases/{n}.json"))).unwrap()
    }

    fn page(&self, path: &str) -> Html {
        Html::parse_document(&std::fs::read_to_string(self.out().join(path)).unwrap())
    }
}

fn stderr(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).into_owned()
}

fn stdout(run: &Output) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// The problems of a failed run, one `file:line:col: message` a line (the text form's first
/// lines), for pinning.
fn errors(run: &Output) -> Vec<String> {
    let text = stderr(run);
    let mut found = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let (Some(at), Some(m)) = (line.trim_start().strip_prefix("--> "), &message) {
            found.push(format!("{at}: {m}"));
            message = None;
        }
    }
    found
}

fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn files_of(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).unwrap().to_string_lossy();
        if relative == ".kroniek-output" {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        files.push((relative.replace('\\', "/"), sha256(&bytes)));
    }
    files.sort();
    files
}

#[test]
fn a_release_records_every_public_event_and_file_and_nothing_else() {
    let site = Site::new();
    let run = site.release("Letter of 10 June", "2024-06-10");
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(
        stdout(&run).starts_with("recorded release 1 of 2024-06-10: 2 events, "),
        "{}",
        stdout(&run)
    );
    let text = site.read("releases/1.json");
    for hidden in [
        "secret",
        "Secret",
        "unfinished",
        "Unfinished",
        "Internal detail",
    ] {
        assert!(!text.contains(hidden), "the record names {hidden:?}");
    }
    let record = site.record(1);
    assert_eq!(record["number"], 1);
    assert_eq!(record["date"], "2024-06-10");
    assert_eq!(record["note"], "Letter of 10 June");
    let slugs: Vec<&str> = record["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["first", "second"]);
    assert_eq!(record["events"][0]["url"], "events/first/");
    assert_eq!(record["events"][0]["title"], "First");

    // The files are those of the public build, hash for hash; the build includes release 1.
    site.built();
    let recorded: Vec<(String, String)> = record["files"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    assert_eq!(recorded, files_of(&site.out()));

    let verified = site.kroniek(&["release", "--verify", "1"]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert_eq!(
        stdout(&verified),
        "release 1 is reproduced: every public file is as it was recorded\n"
    );
}

#[test]
fn a_release_made_twice_hashes_the_same() {
    let (one, two) = (Site::new(), Site::new());
    one.released("Letter", "2024-06-10");
    two.released("Letter", "2024-06-10");
    assert_eq!(one.read("releases/1.json"), two.read("releases/1.json"));
}

#[test]
fn a_changed_event_needs_a_correction_dated_on_or_after_the_release() {
    let site = Site::new();
    site.released("Letter of 10 June", "2024-06-10");
    site.built();
    let before = files_of(&site.out());

    site.edit(
        "content/2024-06-05-second.md",
        "Then the second.",
        "Then the second, an hour later.",
    );
    let check = site.check();
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        errors(&check),
        ["content/2024-06-05-second.md:9:1: `second` was published in release 1 (2024-06-10) and has changed since without a correction (its text)"]
    );
    assert!(stderr(&check).contains(
        "help: add a correction dated on or after 2024-06-10 that says what changed and why (`corrections: [{date: YYYY-MM-DD, note: \"…\"}]`), or undo the change"
    ));
    // The build refuses too, and the published output stays as it was.
    assert_eq!(site.build().status.code(), Some(1));
    assert_eq!(files_of(&site.out()), before);

    // A correction from before the release does not account for the change.
    site.edit(
        "content/2024-06-05-second.md",
        "sources:",
        "corrections:\n  - date: 2024-06-09\n    note: \"Older note\"\nsources:",
    );
    assert_eq!(site.check().status.code(), Some(1));
    site.edit(
        "content/2024-06-05-second.md",
        "corrections:",
        "corrections:\n  - date: 2024-06-12\n    note: \"The time was an hour off.\"",
    );
    let check = site.check();
    assert!(check.status.success(), "{}", stderr(&check));

    site.released("Follow-up letter", "2024-06-14");
    site.built();
    let page = site.page("changes/index.html");
    let release = page
        .select(&sel("section.release"))
        .next()
        .expect("release 2 comes first");
    let text = squashed(release);
    assert!(
        text.starts_with("Release 2: 14 June 2024 Follow-up letter"),
        "{text}"
    );
    assert!(
        text.contains("Changed Second: 12 June 2024, The time was an hour off."),
        "{text}"
    );
    assert!(!text.contains("Older note"), "{text}");
}

#[test]
fn what_the_public_does_not_read_is_no_substance() {
    let site = Site::new();
    site.released("Letter", "2024-06-10");
    // An internal note, tags, the layout of the file, an internal event: none of it is what
    // the public was given.
    site.edit(
        "content/2024-06-04-first.md",
        "Internal detail.",
        "Internal detail, revised.",
    );
    site.edit(
        "content/2024-06-04-first.md",
        "orgs: [a]",
        "orgs: [a]\ntags: [letter]\nmajor: true",
    );
    site.edit(
        "content/2024-06-04-first.md",
        "The first thing happened.",
        "The first   thing\nhappened.",
    );
    site.edit(
        "content/2024-06-06-secret.md",
        "Not for the public.",
        "Still not.",
    );
    let check = site.check();
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn each_part_of_the_substance_is_named_where_it_is() {
    let site = Site::new();
    site.released("Letter", "2024-06-10");
    site.edit(
        "content/2024-06-04-first.md",
        "title: \"First\"",
        "title: \"First, retold\"",
    );
    site.edit(
        "content/2024-06-05-second.md",
        "example.org/report",
        "example.org/other",
    );
    let check = site.check();
    assert_eq!(
        errors(&check),
        [
            "content/2024-06-04-first.md:2:1: `first` was published in release 1 (2024-06-10) and has changed since without a correction (its title)",
            "content/2024-06-05-second.md:5:1: `second` was published in release 1 (2024-06-10) and has changed since without a correction (its sources)",
        ]
    );
}

#[test]
fn an_event_gone_from_the_public_needs_a_withdrawal_or_an_alias() {
    let site = Site::new();
    site.released("Letter", "2024-06-10");

    // Deleted.
    std::fs::remove_file(site.path().join("content/2024-06-05-second.md")).unwrap();
    let check = site.check();
    let line = site
        .read("releases/1.json")
        .lines()
        .position(|l| l.contains("\"slug\": \"second\""))
        .unwrap()
        + 1;
    assert_eq!(
        errors(&check),
        [format!("releases/1.json:{line}:7: `second` (\"Second\") was published in release 1 (2024-06-10) and is gone: no event has this slug or lists it in `aliases:`")]
    );
    assert!(stderr(&check).contains("help: if the event was renamed, add `aliases: [second]` to its new file; if it no longer holds, restore its file and add `withdrawn: {date: …, note: \"…\"}` saying why"));

    // Made internal.
    site.write(
        "content/2024-06-05-second.md",
        &event(
            "Second",
            "2024-06-05",
            "internal: true\n",
            "Then the second.",
        ),
    );
    assert_eq!(
        errors(&site.check()),
        ["content/2024-06-05-second.md:5:1: `second` (\"Second\") was published in release 1 (2024-06-10) and is now internal: the public would no longer see it"]
    );
    // Made a draft.
    site.edit(
        "content/2024-06-05-second.md",
        "internal: true",
        "draft: true",
    );
    assert_eq!(
        errors(&site.check()),
        ["content/2024-06-05-second.md:5:1: `second` (\"Second\") was published in release 1 (2024-06-10) and is now a draft: the public would no longer see it"]
    );
}

#[test]
fn a_release_is_refused_while_check_finds_errors() {
    let site = Site::new();
    site.write(
        "content/2024-06-08-bad.md",
        &event("Bad", "2024-06-08", "", "Text.").replace("orgs: [a]", "orgs: [zz]"),
    );
    let run = site.release("Letter", "2024-06-10");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("error: release failed with 1 error; nothing was written"),
        "{}",
        stderr(&run)
    );
    assert!(!site.path().join("releases").exists());
}

#[test]
fn what_release_is_told_is_checked() {
    let site = Site::new();
    let empty = site.release(" ", "2024-06-10");
    assert_eq!(empty.status.code(), Some(2));
    assert_eq!(
        stderr(&empty),
        "error: --note is empty: say what this release is, e.g. --note \"Letter to parliament of 14 June 2024\"\n"
    );
    let bad_day = site.release("Letter", "10-06-2024");
    assert_eq!(bad_day.status.code(), Some(2));
    assert!(stderr(&bad_day).contains("expected a day like `2024-06-14`, found `10-06-2024`"));

    site.released("Letter", "2024-06-10");
    let earlier = site.release("Letter", "2024-06-09");
    assert_eq!(earlier.status.code(), Some(2));
    assert_eq!(
        stderr(&earlier),
        "error: release 1 is dated 2024-06-10: a new release cannot be dated earlier (2024-06-09)\n"
    );
    let none = site.kroniek(&["release", "--verify", "2"]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(
        stderr(&none),
        "error: there is no release 2: releases/ holds 1 release\n"
    );
    assert!(!site.path().join("releases/2.json").exists());
}

#[test]
fn verify_lists_every_file_that_differs() {
    let site = Site::new();
    site.released("Letter", "2024-06-10");
    site.edit(
        "content/2024-06-05-second.md",
        "sources:",
        "corrections:\n  - date: 2024-06-12\n    note: \"Reworded.\"\nsources:",
    );
    site.edit(
        "content/2024-06-05-second.md",
        "Then the second.",
        "Then, second.",
    );
    let run = site.kroniek(&["release", "--verify", "1"]);
    assert_eq!(run.status.code(), Some(1));
    let out = stdout(&run);
    for file in [
        "changed: events/second/index.html",
        "changed: index.html",
        "changed: timeline.json",
    ] {
        assert!(out.lines().any(|l| l == file), "{file} not in\n{out}");
    }
    assert!(stderr(&run).starts_with("error: the build differs from release 1 in "));
}

#[test]
fn broken_or_missing_records_are_errors_at_their_place() {
    let site = Site::new();
    site.released("Letter", "2024-06-10");
    let record = site.read("releases/1.json");
    site.write(
        "releases/1.json",
        &record.replacen("\"number\": 1", "\"number\": one", 1),
    );
    assert_eq!(
        errors(&site.check()),
        ["releases/1.json:3:13: cannot read this release record: expected value at line 3 column 13"]
    );
    site.write("releases/1.json", &record);
    site.write(
        "releases/3.json",
        &record.replacen("\"number\": 1", "\"number\": 3", 1),
    );
    let check = site.check();
    assert!(
        stderr(&check).contains(
            "error: release 2 is missing: releases/ holds releases/3.json but not 2.json"
        ),
        "{}",
        stderr(&check)
    );
}

#[test]
fn two_releases_at_once_never_record_the_same_number_twice() {
    let site = Site::new();
    let runs: Vec<std::process::Child> = (0..2)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_kroniek"))
                .args([
                    "release",
                    "--note",
                    &format!("run {i}"),
                    "--date",
                    "2024-06-10",
                ])
                .arg(site.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<Output> = runs
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let recorded = outputs.iter().filter(|o| o.status.success()).count();
    for failed in outputs.iter().filter(|o| !o.status.success()) {
        assert!(
            stderr(failed).contains("a release with this number was recorded meanwhile"),
            "{}",
            stderr(failed)
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(site.path().join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<String> = (1..=recorded).map(|n| format!("{n}.json")).collect();
    assert_eq!(names, expected, "records left: {names:?}");
    assert!(recorded >= 1);
}

#[test]
fn timeline_json_and_the_timeline_carry_the_history() {
    let site = Site::new();
    site.released("Letter of 10 June", "2024-06-10");
    site.write(
        "content/2024-06-08-third.md",
        &event("Third", "2024-06-08", "", "A third thing."),
    );
    site.built();
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.out().join("timeline.json")).unwrap())
            .unwrap();
    let releases = data["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 1);
    assert_eq!(releases[0]["number"], 1);
    assert_eq!(releases[0]["date"], "2024-06-10");
    assert_eq!(releases[0]["note"], "Letter of 10 June");
    let added: Vec<&str> = releases[0]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["slug"].as_str().unwrap())
        .collect();
    assert_eq!(added, ["first", "second"]);
    // What is not in a release yet is said apart.
    assert_eq!(data["unreleased"]["added"][0]["slug"], "third");

    let index = site.page("index.html");
    let link = index
        .select(&sel(".last-updated a[href=\"changes/index.html\"]"))
        .next()
        .expect("the timeline links to the changes page");
    assert_eq!(squashed(link), "Published as release 1 of 10 June 2024");
    let changes = squashed(
        site.page("changes/index.html")
            .select(&sel("main"))
            .next()
            .unwrap(),
    );
    assert!(
        changes.contains("Not yet in a release Changes since the latest release that have not been recorded as a release yet. Added Third"),
        "{changes}"
    );
    // An internal build shows the releases, not the public's unreleased changes.
    let internal = tempfile::tempdir().unwrap();
    let run = build_output(&site.path(), internal.path(), &["--audience", "internal"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let page = std::fs::read_to_string(internal.path().join("changes/index.html")).unwrap();
    assert!(page.contains("Release 1"));
    assert!(!page.contains("Not yet in a release"));
}

#[test]
fn a_site_without_releases_has_no_changes_page() {
    let site = Site::new();
    site.built();
    assert!(!site.out().join("changes").exists());
    let data = std::fs::read_to_string(site.out().join("timeline.json")).unwrap();
    assert!(
        data.contains("\"releases\": []"),
        "{}",
        &data[..400.min(data.len())]
    );
}

#[test]
fn a_release_of_many_events_is_counted_not_listed() {
    let site = Site::new();
    for i in 0..200 {
        site.write(
            &format!("content/2024-05-01-many-{i}.md"),
            &event(&format!("Many {i}"), "2024-05-01", "", "Text."),
        );
    }
    site.released("Letter", "2024-06-10");
    site.built();
    let page = site.page("changes/index.html");
    let text = squashed(page.select(&sel("section.release")).next().unwrap());
    assert_eq!(
        text,
        "Release 1: 10 June 2024 Letter Added 202 events: too many to list here; timeline.json lists them all."
    );
}

#[test]
fn a_rename_with_an_alias_and_a_withdrawal_are_accounted_for() {
    let site = Site::new();
    site.released("Letter", "2024-06-10");

    // Renamed: the old slug is gone, the new file lists it.
    std::fs::remove_file(site.path().join("content/2024-06-05-second.md")).unwrap();
    let renamed = event("Second", "2024-06-05", "", "Then the second.");
    site.write("content/2024-06-05-the-second.md", &renamed);
    let gone = errors(&site.check());
    assert!(
        gone[0]
            .contains("`second` (\"Second\") was published in release 1 (2024-06-10) and is gone"),
        "{gone:?}"
    );
    site.edit(
        "content/2024-06-05-the-second.md",
        "orgs: [a]",
        "orgs: [a]\naliases: [second]",
    );
    // Withdrawn: the text may change with it, no correction needed.
    site.edit(
        "content/2024-06-04-first.md",
        "orgs: [a]",
        "orgs: [a]\nwithdrawn:\n  date: 2024-06-13\n  note: \"The report did not hold.\"",
    );
    site.edit(
        "content/2024-06-04-first.md",
        "The first thing happened.",
        "The first thing was reported.",
    );
    let check = site.check();
    assert!(check.status.success(), "{}", stderr(&check));

    site.released("Second letter", "2024-06-14");
    site.built();
    let page = site.page("changes/index.html");
    let latest = page.select(&sel("section.release")).next().unwrap();
    let text = squashed(latest);
    assert_eq!(
        text,
        "Release 2: 14 June 2024 Second letter Withdrawn First: 13 June 2024, The report did not hold. New address Second: events/second/ → events/the-second/"
    );
    let links: Vec<&str> = latest
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        links,
        [
            "../events/first/index.html",
            "../events/the-second/index.html"
        ]
    );
    // Release 1's entries lead to where the events are now.
    let first: Vec<&str> = page
        .select(&sel("#release-1 ~ ul a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        first,
        [
            "../events/first/index.html",
            "../events/the-second/index.html"
        ]
    );
}

#[cfg(unix)]
#[test]
fn records_are_never_read_or_written_through_a_link_out_of_the_site() {
    let site = Site::new();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("releases")).unwrap();
    let run = site.release("Letter", "2024-06-10");
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("error: symbolic link to ")
            && stderr(&run).contains(", outside the site folder\n --> releases\n"),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);

    std::fs::remove_file(site.path().join("releases")).unwrap();
    site.released("Letter", "2024-06-10");
    let record = site.path().join("releases/1.json");
    let elsewhere = outside.path().join("1.json");
    std::fs::rename(&record, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &record).unwrap();
    let check = site.check();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains(", outside the releases folder\n --> releases/1.json\n"),
        "{}",
        stderr(&check)
    );
}
