//! The feeds, read back with feed-rs as a feed reader reads them: `feed.xml` holds the latest
//! `feed_entries` events by when they last changed, each organisation has its own feed linked
//! from its page, ids survive retitling and moving the site, and day-only events are dated on
//! their own day for readers anywhere.

use feed_rs::model::Feed;
use std::path::Path;

mod common;

use common::build_into;

/// A site in a temporary folder: `_index.md` with `settings` (YAML lines) and two
/// organisations, and `events` as (file stem, front matter lines).
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(settings: &str, events: &[(String, String)]) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("site/content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(
            content.join("_index.md"),
            format!(
                "---\ntitle: \"Feeds\"\nlanguage: en\n{settings}organisations:\n  a:\n    name: \"Agency A\"\n  b:\n    name: \"Bureau B\"\n---\n"
            ),
        )
        .unwrap();
        for (stem, front) in events {
            std::fs::write(
                content.join(format!("{stem}.md")),
                format!("---\n{front}sources:\n  - title: \"Report\"\n---\nText of {stem}.\n"),
            )
            .unwrap();
        }
        Site { dir }
    }

    fn index(&self) -> std::path::PathBuf {
        self.dir.path().join("site/content/_index.md")
    }

    /// Builds the site; the parsed feed at `path` (`feed.xml`, `orgs/a/feed.xml`).
    fn build(&self, args: &[&str]) -> Built {
        let out = self.dir.path().join("public");
        build_into(&self.dir.path().join("site"), &out, args);
        Built { out }
    }
}

struct Built {
    out: std::path::PathBuf,
}

impl Built {
    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn feed(&self, path: &str) -> Feed {
        feed_rs::parser::parse(self.read(path).as_bytes())
            .unwrap_or_else(|e| panic!("{path} is no feed: {e}"))
    }
}

/// Event `n` of January 2024 (day `n`), of organisation `org`.
fn event(n: usize, org: &str, extra: &str) -> (String, String) {
    let date = format!("2024-01-{:02}", n % 28 + 1);
    let year = 2000 + n / 28;
    let date = date.replacen("2024", &year.to_string(), 1);
    (
        format!("{date}-event-{n}"),
        format!("title: \"Event {n}\"\ndate: {date}\norgs: [{org}]\n{extra}"),
    )
}

fn slugs(feed: &Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| {
            let link = &e.links[0].href;
            link.trim_end_matches("/index.html")
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn ids(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.id.clone()).collect()
}

#[test]
fn the_feed_holds_the_latest_fifty_by_default() {
    let events: Vec<_> = (0..60).map(|n| event(n, "a", "")).collect();
    let site = Site::new("", &events);
    let feed = site.build(&[]).feed("feed.xml");
    assert_eq!(feed.entries.len(), 50);
    // The newest first; the ten oldest left out.
    let newest: Vec<String> = (10..60)
        .rev()
        .map(|n| events[n].0[11..].to_string())
        .collect();
    assert_eq!(slugs(&feed), newest);
}

#[test]
fn feed_entries_sets_how_many_and_a_correction_brings_an_entry_back() {
    let mut events: Vec<_> = (0..10).map(|n| event(n, "a", "")).collect();
    // The oldest event, corrected after all the others.
    events[0] = event(
        0,
        "b",
        "corrections:\n  - date: 2030-05-01\n    note: \"Date fixed\"\n",
    );
    let site = Site::new("feed_entries: 3\n", &events);
    let built = site.build(&[]);
    let feed = built.feed("feed.xml");
    let slug = |n: usize| events[n].0[11..].to_string();
    assert_eq!(slugs(&feed), [slug(0), slug(9), slug(8)]);
    let corrected = &feed.entries[0];
    assert_eq!(
        corrected.updated.unwrap().to_rfc3339(),
        "2030-05-01T12:00:00+00:00"
    );
    assert_eq!(
        corrected.published.unwrap().to_rfc3339(),
        "2000-01-01T12:00:00+00:00"
    );
    // The feed's own `updated` is its latest entry's.
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2030-05-01T12:00:00+00:00"
    );
}

#[test]
fn every_organisation_has_its_feed_linked_from_its_page() {
    let events: Vec<_> = (0..8)
        .map(|n| event(n, if n % 2 == 0 { "a" } else { "b" }, ""))
        .collect();
    let site = Site::new("feed_entries: 3\n", &events);
    let built = site.build(&[]);
    let slug = |n: usize| events[n].0[11..].to_string();
    let a = built.feed("orgs/a/feed.xml");
    assert_eq!(slugs(&a), [slug(6), slug(4), slug(2)]);
    let b = built.feed("orgs/b/feed.xml");
    assert_eq!(slugs(&b), [slug(7), slug(5), slug(3)]);
    assert_eq!(
        a.title.unwrap().content,
        "Feeds: Agency A",
        "the feed says whose it is"
    );
    // Without base_url, links are relative to the feed and lead to the event pages.
    for entry in &b.entries {
        let href = &entry.links[0].href;
        assert!(href.starts_with("../../events/"), "{href}");
        assert!(built.out.join("orgs/b").join(href).is_file(), "{href}");
    }
    // The same event has the same id in every feed it is in.
    let whole = built.feed("feed.xml");
    assert_eq!(slugs(&whole), [slug(7), slug(6), slug(5)]);
    assert_eq!(ids(&b)[0], ids(&whole)[0], "event 7, in both");
    assert_eq!(ids(&b)[1], ids(&whole)[2], "event 5, in both");
    let page = built.read("orgs/a/index.html");
    assert!(
        page.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Feeds: Agency A\" href=\"feed.xml\">"
        ),
        "{page}"
    );
    assert!(
        !built.read("index.html").contains("title=\"Feeds: "),
        "only the site's feed"
    );
}

#[test]
fn ids_survive_retitling_and_moving_the_site() {
    let events: Vec<_> = (0..3).map(|n| event(n, "a", "")).collect();
    let site = Site::new("", &events);
    let before = site.build(&[]);
    let first = before.feed("feed.xml");
    let org_first = before.feed("orgs/a/feed.xml");
    let index = std::fs::read_to_string(site.index()).unwrap();
    std::fs::write(
        site.index(),
        index.replace("title: \"Feeds\"", "title: \"Feeds, renamed\""),
    )
    .unwrap();
    let retitled = site.build(&[]);
    let moved = site.build(&["--base-url", "https://example.org/elsewhere/"]);
    for built in [&retitled, &moved] {
        let feed = built.feed("feed.xml");
        assert_eq!(feed.id, first.id);
        assert_eq!(ids(&feed), ids(&first));
        assert_eq!(built.feed("orgs/a/feed.xml").id, org_first.id);
    }
    assert_eq!(first.id, "urn:kroniek:site");
    assert_eq!(
        ids(&first)[0],
        format!("urn:kroniek:site:{}", &events[2].0[11..])
    );
    assert_ne!(org_first.id, first.id);
}

#[test]
fn feed_id_keeps_two_sites_apart_and_internal_feeds_apart() {
    let events: Vec<_> = (0..2).map(|n| event(n, "a", "")).collect();
    let one = Site::new("feed_id: webex-2024\n", &events);
    let other = Site::new("feed_id: other.site_2\n", &events);
    let one_feed = one.build(&[]).feed("feed.xml");
    let other_feed = other.build(&[]).feed("feed.xml");
    assert_eq!(one_feed.id, "urn:kroniek:webex-2024");
    assert!(ids(&one_feed)
        .iter()
        .all(|id| !ids(&other_feed).contains(id)));
    let internal = one.build(&["--audience", "internal"]).feed("feed.xml");
    assert_eq!(internal.id, "urn:kroniek:webex-2024+internal");
    assert!(ids(&internal).iter().all(|id| !ids(&one_feed).contains(id)));
}

/// An event without a time is dated at noon UTC of its day: on that day from UTC−12 to UTC+11,
/// where midnight in the site's zone (Amsterdam) was the day before for every reader west of it.
#[test]
fn day_only_events_are_dated_on_their_day_everywhere() {
    let events = vec![
        (
            "2024-06-04-day".to_string(),
            "title: \"Day\"\ndate: 2024-06-04\norgs: [a]\n".to_string(),
        ),
        (
            "2024-06-05-timed".to_string(),
            "title: \"Timed\"\ndate: 2024-06-05T00:30\norgs: [a]\n".to_string(),
        ),
    ];
    let site = Site::new("timezone: Europe/Amsterdam\n", &events);
    let built = site.build(&[]);
    let feed = built.feed("feed.xml");
    let text = built.read("feed.xml");
    assert!(
        text.contains("<published>2024-06-04T12:00:00Z</published>"),
        "{text}"
    );
    // A time of day keeps its instant and the site's offset.
    assert!(
        text.contains("<published>2024-06-05T00:30:00+02:00</published>"),
        "{text}"
    );
    let day = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Day")
        .unwrap();
    for offset in [-12, -8, -5, 0, 1, 9, 11] {
        let zone = chrono::FixedOffset::east_opt(offset * 3600).unwrap();
        let local = day.published.unwrap().with_timezone(&zone);
        assert_eq!(
            local.date_naive().to_string(),
            "2024-06-04",
            "at UTC{offset:+}"
        );
    }
}

#[test]
fn the_example_feeds_are_valid_and_the_build_repeats_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build_into(root, &a, &[]);
    build_into(root, &b, &[]);
    for path in ["feed.xml", "orgs/ncsc/feed.xml", "index.html"] {
        let one = std::fs::read(a.join(path)).unwrap();
        assert_eq!(one, std::fs::read(b.join(path)).unwrap(), "{path}");
        if path.ends_with(".xml") {
            feed_rs::parser::parse(&one[..]).unwrap();
        }
    }
}
