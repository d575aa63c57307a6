//! Every input that once made a fuzz target fail, replayed through the same checks
//! (`tests/harness/mod.rs`). A file `tests/regressions/<target>/<name>` holds the raw bytes;
//! its name says what went wrong. See `docs/fuzzing.md` for how they are found.

mod harness;

use std::path::Path;

/// Replays every input in `tests/regressions/<target>/` through `check`.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !is_hidden(p))
        .collect();
    inputs.sort();
    for input in inputs {
        let bytes = std::fs::read(&input).unwrap();
        let result = std::panic::catch_unwind(|| check(&bytes));
        assert!(result.is_ok(), "regression {} fails again", input.display());
    }
}

/// `.keep` holds an empty folder in git (git does not track folders) and is not an input.
fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

#[test]
fn front_matter_inputs() {
    replay("front_matter", harness::front_matter);
}

#[test]
fn date_inputs() {
    replay("date", harness::date);
}

#[test]
fn markdown_inputs() {
    replay("markdown", harness::markdown);
}

#[test]
fn site_inputs() {
    replay("site", harness::site);
}

/// The fuzzers' seeds (`fuzz/seeds`, taken from the fixtures) pass the same checks: the harness
/// itself is right about good input.
#[test]
fn fuzz_seeds_pass() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    type Check = fn(&[u8]);
    let targets: [(&str, Check); 4] = [
        ("front_matter", harness::front_matter),
        ("date", harness::date),
        ("markdown", harness::markdown),
        ("site", harness::site),
    ];
    for (target, check) in targets {
        for entry in std::fs::read_dir(seeds.join(target)).unwrap() {
            check(&std::fs::read(entry.unwrap().path()).unwrap());
        }
    }
}

#[test]
fn an_offset_cannot_move_a_date_out_of_the_four_digit_years() {
    use kroniek::model::{DateError, EventDate};
    let err = EventDate::parse("9999-12-31T23:59:59-23:59", chrono_tz::UTC).unwrap_err();
    assert!(matches!(err, DateError::OutOfRange(..)), "{err:?}");
    assert_eq!(
        err.to_string(),
        "`9999-12-31T23:59:59-23:59` falls outside the years 0000–9999 in UTC"
    );
    assert!(EventDate::parse("9999-12-31T23:59:59+00:00", chrono_tz::UTC).is_ok());
    // Local mean time is written in UTC, which must be in range too.
    let err = EventDate::parse("0000-01-01T02:30", chrono_tz::Pacific::Apia).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`0000-01-01T02:30` falls outside the years 0000–9999 in Pacific/Apia or in UTC"
    );
}

/// The source stubs kroniek adds to the Markdown used to go after the body, where an open code
/// fence or HTML block at its end swallowed them.
#[test]
fn a_body_ending_in_an_open_block_still_cites_its_sources() {
    use kroniek::markdown::{render, Input, NoteContent};
    use kroniek::model::Source;
    for body in [
        "See[^sec].\n\n```\ncode never closed\n",
        "See[^sec].\n\n<pre>\nraw, never closed\n",
        "See[^sec].\n\n    indented code\n",
    ] {
        let doc = kroniek::front_matter::split(
            "content/2024-06-04-x.md".into(),
            format!("---\ntitle: x\n---\n{body}"),
        )
        .unwrap();
        let sources = [Source {
            id: Some("sec".into()),
            title: "Security.NL".into(),
            publisher: None,
            url: None,
            date: None,
            archive_url: None,
            ..Default::default()
        }];
        let mut problems = Vec::new();
        let rendered = render(
            &Input {
                doc: &doc,
                id_prefix: "ev",
                sources: &sources,
                internal_notes: false,
                internal_label: "INTERN",
                heading_offset: 3,
                link_root: "",
                hidden_events: &Default::default(),
            },
            &mut problems,
        );
        assert!(problems.is_empty(), "{body:?}: {problems:?}");
        assert_eq!(rendered.notes.len(), 1);
        assert_eq!(rendered.notes[0].content, NoteContent::Source(0));
        assert!(
            rendered.html.contains("id=\"ev.ref1\""),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("source\n"), "{}", rendered.html);
        assert!(!rendered.html.contains("[^"), "{}", rendered.html);
    }
}
