//! The timeline says when the chronology last changed: the latest event or correction date, in
//! the site's language and zone; never when it was built.

use std::path::Path;

mod common;

use common::build_into;

fn site(language: &str, events: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("site/content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("_index.md"),
        format!("---\ntitle: \"T\"\nlanguage: {language}\ntimezone: Europe/Amsterdam\norganisations: {{}}\n---\n"),
    )
    .unwrap();
    for (stem, front) in events {
        std::fs::write(
            content.join(format!("{stem}.md")),
            format!("---\n{front}sources:\n  - title: \"R\"\n---\nText.\n"),
        )
        .unwrap();
    }
    dir
}

fn line(dir: &Path) -> String {
    build_into(&dir.join("site"), &dir.join("public"), &[]);
    let html = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    let start = html
        .find("<p class=\"last-updated\">")
        .expect("a last-updated line");
    html[start..].lines().next().unwrap().to_string()
}

#[test]
fn the_timeline_says_when_its_latest_event_or_correction_was() {
    let dir = site(
        "nl",
        &[
            ("2024-06-04-a", "title: \"A\"\ndate: 2024-06-04\n"),
            // Late at night in Amsterdam: 3 March in the site's zone, 2 March in UTC.
            (
                "2024-03-01-b",
                "title: \"B\"\ndate: 2024-03-01\ncorrections:\n  - date: 2024-07-03T00:30\n    note: \"x\"\n",
            ),
        ],
    );
    assert_eq!(
        line(dir.path()),
        "<p class=\"last-updated\">Laatst bijgewerkt: <time datetime=\"2024-07-03T00:30+02:00\">3 juli 2024</time></p>"
    );
    let dir = site(
        "en",
        &[("2024-06-04-a", "title: \"A\"\ndate: 2024-06-04\n")],
    );
    assert_eq!(
        line(dir.path()),
        "<p class=\"last-updated\">Last updated: <time datetime=\"2024-06-04\">4 June 2024</time></p>"
    );
}

#[test]
fn an_empty_timeline_says_nothing_of_it() {
    let dir = site("en", &[]);
    build_into(&dir.path().join("site"), &dir.path().join("public"), &[]);
    let html = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(!html.contains("last-updated"), "{html}");
}
