//! The machine-readable outputs of the example site, read back by other tools: the Atom feed
//! by the `feed-rs` parser, `timeline.json` by serde_json.

use std::path::{Path, PathBuf};
use std::process::Command;

fn build_example(out: &Path) -> PathBuf {
    let site = out.join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("-o")
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    site
}

#[test]
fn atom_feed_parses_with_one_entry_per_event() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_example(dir.path());
    let bytes = std::fs::read(site.join("feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(&bytes[..]).expect("feed-rs reads the feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    // Ids depend on no title or address (tests/feed.rs); links are the event URLs.
    assert_eq!(feed.id, "urn:kroniek:site");
    assert_eq!(feed.entries.len(), 14);
    // The newest first; the first event of the timeline (a day, 28 May) is the oldest.
    let first = feed.entries.last().unwrap();
    assert_eq!(first.id, "urn:kroniek:site:cisco-verhelpt-kwetsbaarheid");
    assert_eq!(
        first.links[0].href,
        "https://example.org/webex/events/cisco-verhelpt-kwetsbaarheid/"
    );
    // A day without a time is dated at noon UTC of that day, not at midnight in Amsterdam
    // (which was 27 May for every reader west of it).
    assert_eq!(
        first.updated.unwrap().to_rfc3339(),
        "2024-05-28T12:00:00+00:00"
    );
    let updated: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(
        updated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {updated:?}"
    );
    let content = feed
        .entries
        .iter()
        .find(|e| e.id.ends_with(":kamer-geinformeerd"))
        .unwrap()
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap();
    assert!(
        content.contains("Kamerstukken II 2023/24, 26 643, nr. 1182"),
        "sources are in the entry: {content}"
    );
    // Ids are unique, and the same in every build.
    let mut ids: Vec<_> = feed.entries.iter().map(|e| e.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 14);
    let again = build_example(&dir.path().join("again"));
    assert_eq!(std::fs::read(again.join("feed.xml")).unwrap(), bytes);
}

#[test]
fn timeline_json_has_every_event_with_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let site = build_example(dir.path());
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("timeline.json")).unwrap()).unwrap();
    assert_eq!(data["version"], 1);
    assert_eq!(data["language"], "nl");
    assert_eq!(data["organisations"].as_array().unwrap().len(), 10);
    let events = data["events"].as_array().unwrap();
    assert_eq!(events.len(), 14);
    let crisis = events
        .iter()
        .find(|e| e["slug"] == "crisisorganisatie-bzk-opgestart")
        .unwrap();
    assert_eq!(crisis["date"]["value"], "2024-06");
    assert_eq!(crisis["date"]["precision"], "month");
    assert_eq!(crisis["url"], "events/crisisorganisatie-bzk-opgestart/");
    for event in events {
        let notes = event["notes"].as_array().unwrap();
        assert!(!notes.is_empty(), "every example event has sources");
        for (i, note) in notes.iter().enumerate() {
            assert_eq!(note["number"], i + 1);
            let id = note["id"].as_str().unwrap();
            assert!(
                event["body_html"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("href=\"#{id}\"")),
                "the body links to note {id}"
            );
        }
    }
}

/// The feed and the data are written in chunks of 512 events: across chunk borders (1,300
/// generated events, `feed_entries: 2000`) both still parse, with every event once, the data
/// in timeline order and the feed newest first.
#[test]
fn feed_and_data_longer_than_one_chunk_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let generate = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen-events.py"))
        .args(["--events", "1300", "--orgs", "4"])
        .arg(dir.path().join("content"))
        .output()
        .expect("python3 runs");
    assert!(generate.status.success());
    let index = dir.path().join("content/_index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(
        &index,
        text.replacen("---\n", "---\nfeed_entries: 2000\n", 1),
    )
    .unwrap();
    let site = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(dir.path())
        .arg("-o")
        .arg(&site)
        .status()
        .unwrap();
    assert!(status.success());
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("timeline.json")).unwrap()).unwrap();
    let slugs: Vec<&str> = data["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), 1300);
    let feed = feed_rs::parser::parse(&std::fs::read(site.join("feed.xml")).unwrap()[..])
        .expect("feed-rs reads the feed");
    let mut ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    let mut expected: Vec<String> = slugs
        .iter()
        .map(|s| format!("urn:kroniek:site:{s}"))
        .collect();
    let updated: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "newest first");
    ids.sort();
    expected.sort();
    assert_eq!(ids, expected, "one entry per event");
    assert!(feed.entries.iter().all(|e| e.content.is_some()));
}
