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
    assert_eq!(feed.id, "https://example.org/webex/");
    assert_eq!(feed.entries.len(), 14);
    let first = &feed.entries[0];
    assert_eq!(
        first.id,
        "https://example.org/webex/events/cisco-verhelpt-kwetsbaarheid/"
    );
    assert_eq!(
        first.links[0].href,
        "https://example.org/webex/events/cisco-verhelpt-kwetsbaarheid/"
    );
    assert_eq!(
        first.updated.unwrap().to_rfc3339(),
        "2024-05-27T22:00:00+00:00"
    );
    let content = first
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap();
    assert!(
        content.contains("Kamerstukken II 2023/24, 26 643, nr. 1182"),
        "sources are in the entry: {content}"
    );
    // Ids are the event URLs: unique, and the same in every build.
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
/// generated events) both still parse, with every event once and in timeline order.
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
    let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
    let expected: Vec<String> = slugs
        .iter()
        .map(|s| format!("https://example.org/timeline/events/{s}/"))
        .collect();
    assert_eq!(ids, expected, "one entry per event, in timeline order");
    assert!(feed.entries.iter().all(|e| e.content.is_some()));
}
