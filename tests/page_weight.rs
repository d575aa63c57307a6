//! Pages a phone can carry: generated sites of 1,000 and 10,000 events (`benches/gen-events.py`,
//! 12 organisations, the default `page_size`) are built, and then no HTML page may be above
//! 500 KB, every event must be on exactly one page of the timeline and on exactly one page of
//! each of its organisations (and on no page of another), and every event page's "back to the
//! timeline" link must lead to the page that shows the event. Pages are read as text (the ids
//! of the cards), not parsed: the 10,000-event site has 11,000 pages. How fast the pages open
//! is measured by `benches/mobile.mjs`, not here.

mod common;

use common::build_into;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The heaviest an HTML page may be.
const MOST_BYTES: u64 = 500_000;

#[test]
fn a_thousand_events_give_light_pages_that_show_each_event_once() {
    check_generated_site(1_000);
}

#[test]
fn ten_thousand_events_give_light_pages_that_show_each_event_once() {
    check_generated_site(10_000);
}

fn check_generated_site(events: usize) {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), events);
    let out = dir.path().join("public");
    build_into(dir.path(), &out, &[]);
    let site = Site::read(&out);
    assert_eq!(site.events.len(), events);

    let heavy: Vec<String> = site
        .pages
        .iter()
        .filter(|(_, page)| page.bytes > MOST_BYTES)
        .map(|(path, page)| format!("{path}: {} bytes", page.bytes))
        .collect();
    assert!(
        heavy.is_empty(),
        "pages above 500 KB:\n{}",
        heavy.join("\n")
    );

    let on_timeline = site.lists_of(|path| {
        (path == "index.html" || path.starts_with("timeline/")).then(|| "the timeline".to_string())
    });
    let timeline_pages = site
        .pages
        .keys()
        .filter(|p| p.starts_with("timeline/"))
        .count();
    assert!(
        timeline_pages > 2,
        "{events} events are split, found {timeline_pages} pages"
    );
    let on_orgs = site.lists_of(|path| {
        let key = path.strip_prefix("orgs/")?.split_once('/')?.0;
        Some(key.to_string())
    });
    for (slug, orgs) in &site.events {
        let lists = |on: &BTreeMap<String, Vec<(String, String)>>| {
            let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for (list, page) in on.get(slug).into_iter().flatten() {
                found.entry(list.clone()).or_default().push(page.clone());
            }
            found
        };
        let timeline = lists(&on_timeline);
        assert_eq!(timeline.len(), 1, "{slug} on the timeline: {timeline:?}");
        assert!(
            timeline.values().all(|p| p.len() == 1),
            "{slug}: {timeline:?}"
        );
        let mine = lists(&on_orgs);
        let keys: Vec<&String> = mine.keys().collect();
        let mut expected: Vec<&String> = orgs.iter().collect();
        expected.sort();
        assert_eq!(keys, expected, "the organisations whose pages show {slug}");
        assert!(mine.values().all(|p| p.len() == 1), "{slug} on {mine:?}");
    }
    for (slug, _) in &site.events {
        let page = site.back_link(slug);
        let shown = site.pages.get(&page).map(|p| p.ids.contains(slug));
        assert_eq!(
            shown,
            Some(true),
            "the back link of {slug} goes to {page}, which does not show it"
        );
    }
}

/// `benches/gen-events.py --events N --orgs 12` into `site/content`.
fn generate(site: &Path, events: usize) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new("python3")
        .arg(root.join("benches/gen-events.py"))
        .args(["--events", &events.to_string(), "--orgs", "12"])
        .arg(site.join("content"))
        .output()
        .expect("python3 runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// What a built site shows, read as text.
struct Site {
    out: PathBuf,
    /// Every HTML page by its path in the output: its size and the ids of its event cards.
    pages: BTreeMap<String, Page>,
    /// Every event of `timeline.json`: its slug and organisations.
    events: Vec<(String, Vec<String>)>,
}

struct Page {
    bytes: u64,
    ids: BTreeSet<String>,
}

impl Site {
    fn read(out: &Path) -> Site {
        let mut pages = BTreeMap::new();
        for path in html_files(out) {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let page = Page {
                bytes: text.len() as u64,
                ids: card_ids(&text),
            };
            pages.insert(name, page);
        }
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("timeline.json")).unwrap())
                .unwrap();
        let events = data["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let orgs = e["orgs"].as_array().unwrap();
                let orgs = orgs.iter().map(|o| o.as_str().unwrap().to_string());
                (e["slug"].as_str().unwrap().to_string(), orgs.collect())
            })
            .collect();
        Site {
            out: out.to_path_buf(),
            pages,
            events,
        }
    }

    /// For each event, the lists (the timeline, an organisation) whose pages show it and which
    /// page: `list_of` names the list a page belongs to (`None`: no list).
    fn lists_of(
        &self,
        list_of: impl Fn(&str) -> Option<String>,
    ) -> BTreeMap<String, Vec<(String, String)>> {
        let mut on: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (path, page) in &self.pages {
            let Some(list) = list_of(path) else { continue };
            for id in &page.ids {
                on.entry(id.clone())
                    .or_default()
                    .push((list.clone(), path.clone()));
            }
        }
        on
    }

    /// The page the event's "back to the timeline" link leads to, as a path in the output.
    fn back_link(&self, slug: &str) -> String {
        let page =
            std::fs::read_to_string(self.out.join(format!("events/{slug}/index.html"))).unwrap();
        let fragment = format!("#{slug}");
        page.split("<a href=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(href, _)| href))
            .find_map(|href| href.strip_prefix("../../")?.strip_suffix(&fragment))
            .unwrap_or_else(|| panic!("events/{slug}/index.html has no link back"))
            .to_string()
    }
}

/// The ids of the event cards of a page: `<article class="event…" id="slug"`.
fn card_ids(html: &str) -> BTreeSet<String> {
    html.split("<article class=\"event")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let start = tag.find(" id=\"")? + 5;
            let len = tag[start..].find('"')?;
            Some(tag[start..start + len].to_string())
        })
        .collect()
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(html_files(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            files.push(path);
        }
    }
    files
}
