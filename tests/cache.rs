//! `serve` renders with a cache; `build` without. Whatever was edited in between, both must
//! give the same files byte for byte.

use kroniek::audience::Audience;
use kroniek::output::OutputFile;
use kroniek::pipeline::Memos;
use kroniek::serve::PreviewMemo;
use kroniek::{render_site, BuildOptions};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

use common::copy_dir;

fn files(options: &BuildOptions, memo: Option<&PreviewMemo>) -> BTreeMap<PathBuf, Vec<u8>> {
    let site = match memo {
        Some(memo) => {
            memo.start_run();
            let site = render_site(options, &memo.memos()).expect("site renders");
            memo.finish_run();
            site
        }
        None => render_site(options, &Memos::FRESH).expect("site renders"),
    };
    site.files
        .into_iter()
        .map(|f| match f {
            OutputFile::Made { path, bytes } => (path, bytes),
            OutputFile::Copied { path, source } => (path, std::fs::read(source).unwrap()),
        })
        .collect()
}

#[test]
fn cached_rebuilds_equal_fresh_builds_after_every_edit() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich"),
        &site,
    );
    let options = BuildOptions {
        site: site.clone(),
        output: None,
        base_url: None,
        audience: Audience {
            drafts: true,
            ..Audience::default()
        },
    };
    let cache = PreviewMemo::new();
    assert_eq!(files(&options, Some(&cache)), files(&options, None));

    let content = site.join("content");
    let event = content.join("2024-06-04-morning-call.md");
    let edits: Vec<Box<dyn Fn()>> = vec![
        // A body edit.
        Box::new(|| {
            let text = std::fs::read_to_string(&event).unwrap();
            std::fs::write(
                &event,
                text.replace("\n---\n", "\n---\nA new first line.\n\n"),
            )
            .unwrap();
        }),
        // A title edit: the neighbours' prev/next links change too.
        Box::new(|| {
            let text = std::fs::read_to_string(&event).unwrap();
            std::fs::write(
                &event,
                text.replacen("title:", "title: \"Renamed\"\nold_title:", 1),
            )
            .unwrap();
        }),
        // A new event, then a renamed file, then a deleted one.
        Box::new(|| {
            std::fs::write(
                content.join("2024-06-02-added.md"),
                "---\ntitle: Added\norgs: [cert]\n---\nNew.\n",
            )
            .unwrap();
        }),
        Box::new(|| {
            std::fs::rename(
                content.join("2024-06-02-added.md"),
                content.join("2024-06-02-renamed.md"),
            )
            .unwrap();
        }),
        Box::new(|| std::fs::remove_file(content.join("2024-06-02-renamed.md")).unwrap()),
        // Site settings: the language changes every date and word.
        Box::new(|| {
            let index = content.join("_index.md");
            let text = std::fs::read_to_string(&index).unwrap();
            std::fs::write(&index, text.replacen("language: en", "language: nl", 1)).unwrap();
        }),
        // A theme override.
        Box::new(|| {
            std::fs::create_dir_all(site.join("theme/templates")).unwrap();
            std::fs::write(
                site.join("theme/templates/card.html"),
                "{% import \"macros.html\" as m -%}<div class=\"custom\">{{ m.event_card(event, root) }}</div>",
            )
            .unwrap();
        }),
    ];
    for (i, edit) in edits.iter().enumerate() {
        edit();
        let cached = files(&options, Some(&cache));
        let fresh = files(&options, None);
        assert_eq!(
            cached.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>(),
            "edit {i}"
        );
        for (path, bytes) in &fresh {
            assert!(
                cached[path] == *bytes,
                "edit {i}: {} differs",
                path.display()
            );
        }
    }
    // Entries of deleted and replaced files are gone: the cache holds one site, not a history.
    let [files_held, events_held, bodies_held, _] = cache.sizes();
    let markdown = walkdir::WalkDir::new(&content)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    assert_eq!(files_held, markdown);
    assert_eq!(events_held, markdown - 1, "every event file, not _index.md");
    assert!(bodies_held <= markdown);
}

/// A body that links to an internal event is its words for public readers until that event
/// is made public; then the link comes back, though the linking file did not change. The
/// cache must not serve the old body.
#[test]
fn publishing_an_event_brings_back_the_links_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hidden-links"),
        &site,
    );
    let options = BuildOptions {
        site: site.clone(),
        output: None,
        base_url: None,
        audience: Audience::default(),
    };
    let cache = PreviewMemo::new();
    let link = "href=\"../../events/quiet-talks-x7q/\"";
    let page = |files: &BTreeMap<PathBuf, Vec<u8>>| {
        String::from_utf8(files[Path::new("events/statement/index.html")].clone()).unwrap()
    };
    assert!(!page(&files(&options, Some(&cache))).contains(link));
    let event = site.join("content/2024-06-04-quiet-talks-x7q.md");
    let text = std::fs::read_to_string(&event).unwrap();
    std::fs::write(&event, text.replace("internal: true\n", "")).unwrap();
    let cached = files(&options, Some(&cache));
    assert!(page(&cached).contains(link), "{}", page(&cached));
    assert_eq!(cached, files(&options, None));
}
