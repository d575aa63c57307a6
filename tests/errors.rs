//! Bad input, end to end: every kind of broken site, run through the real `kroniek` binary.
//!
//! Each case is a tiny site under `tests/fixtures/bad/<case>/` (an `_index.md` with the
//! organisations `ncsc` and `bzk`, plus the broken file). A case pins the exact problems that
//! `kroniek check --format json` reports (file, line, column, severity, code, message, hint),
//! and checks that `kroniek build` fails with exit status 1, writes nothing, and shows the same
//! errors to people (location, message, hint, and a caret under the reported column). A few
//! cases also pin the full human-readable text. Cases that need bytes git might not keep as
//! they are (a byte-order mark, CRLF, invalid UTF-8), symlinks or permissions are made at run
//! time in a temporary copy of the `good` fixture.
//!
//! Every run of kroniek here must finish within a time limit and must never panic.

#![cfg(unix)]

use serde::Deserialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;

use common::{names_in, run_within, snapshot, temp_copy, Restore};

/// The broken event file of most fixtures.
const EVENT: &str = "content/2024-06-04-ncsc-warned.md";
const INDEX: &str = "content/_index.md";
/// Generous: kroniek builds these sites in milliseconds; only a hang gets near it.
const TIME_LIMIT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// Running kroniek

/// What one run of kroniek did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `command` to the end (or kills it after [`TIME_LIMIT`]) and checks it did not panic.
fn run(mut command: Command) -> Run {
    let described = format!("{command:?}");
    let finished = run_within(&mut command, TIME_LIMIT)
        .unwrap_or_else(|e| panic!("cannot start {described}: {e}"));
    let Some(status) = finished.status else {
        panic!("{described} did not finish within {TIME_LIMIT:?} (a hang?)");
    };
    let run = Run {
        code: status.code(),
        stdout: finished.stdout,
        stderr: finished.stderr,
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "{described} panicked:\n{}",
        run.stderr
    );
    assert!(
        status.code().is_some(),
        "{described} was killed by a signal: {status:?}\n{}",
        run.stderr
    );
    run
}

fn kroniek<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kroniek"));
    command.args(args);
    run(command)
}

fn fixture(case: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(case);
    assert!(path.is_dir(), "no fixture {}", path.display());
    path
}

/// A writable copy of a fixture: `(guard, site)`, the site being `<tmp>/site`.
fn copy_fixture(case: &str) -> (tempfile::TempDir, PathBuf) {
    temp_copy(&fixture(case))
}

// ---------------------------------------------------------------------------------------------
// Problems as `check --format json` reports them

/// One line of `kroniek check --format json`. Unknown fields are refused: the format is a
/// contract with editors and CI.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Diag {
    file: String,
    /// 0 here where the JSON has `null` (no position); a 0 in the JSON is refused.
    #[serde(deserialize_with = "position")]
    line: usize,
    #[serde(deserialize_with = "position")]
    column: usize,
    severity: String,
    code: String,
    message: String,
    hint: Option<String>,
}

/// A line or column of the JSON form: a number from 1, or `null` when there is none.
fn position<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    match Option::<usize>::deserialize(d)? {
        Some(0) => Err(serde::de::Error::custom(
            "0 is no position: a problem without one has null",
        )),
        Some(n) => Ok(n),
        None => Ok(0),
    }
}

fn problem(severity: &str, file: &str, line: usize, column: usize, code: &str, msg: &str) -> Diag {
    Diag {
        file: file.to_string(),
        line,
        column,
        severity: severity.to_string(),
        code: code.to_string(),
        message: msg.to_string(),
        hint: None,
    }
}

fn error(file: &str, line: usize, column: usize, code: &str, message: &str) -> Diag {
    problem("error", file, line, column, code, message)
}

fn warning(file: &str, line: usize, column: usize, code: &str, message: &str) -> Diag {
    problem("warning", file, line, column, code, message)
}

impl Diag {
    fn hint(mut self, hint: &str) -> Diag {
        self.hint = Some(hint.to_string());
        self
    }

    fn is_error(&self) -> bool {
        self.severity == "error"
    }

    /// `file:line:column` as the text form shows it (less when the position is unknown).
    fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.clone(),
            (l, 0) => format!("{}:{l}", self.file),
            (l, c) => format!("{}:{l}:{c}", self.file),
        }
    }
}

/// Runs `kroniek check SITE --format json [extra]`: its exit status and the problems.
fn check_json(site: &Path, extra: &[&str]) -> (Option<i32>, Vec<Diag>) {
    let mut args: Vec<&OsStr> = vec!["check".as_ref(), site.as_os_str()];
    args.extend(["--format", "json"].iter().map(OsStr::new));
    args.extend(extra.iter().map(OsStr::new));
    let run = kroniek(args);
    assert_eq!(
        run.stderr, "",
        "check --format json should keep stderr empty"
    );
    let problems = run
        .stdout
        .lines()
        .map(|line| {
            serde_json::from_str::<Diag>(line)
                .unwrap_or_else(|e| panic!("not a problem object ({e}): {line}"))
        })
        .collect();
    (run.code, problems)
}

/// `check --format json` reports exactly `expected`, in this order, and exits 1 when any of
/// them is an error, else 0.
fn assert_check(site: &Path, expected: &[Diag]) {
    let (code, problems) = check_json(site, &[]);
    assert_eq!(
        problems,
        expected,
        "check --format json on {}",
        site.display()
    );
    let want = if expected.iter().any(Diag::is_error) {
        1
    } else {
        0
    };
    assert_eq!(
        code,
        Some(want),
        "exit status of check on {}",
        site.display()
    );
}

// ---------------------------------------------------------------------------------------------
// Problems as people see them (stderr of `build` and of `check`)

/// The parts of one problem in the text form that must agree with the JSON form.
#[derive(Debug, PartialEq, Eq)]
struct Shown {
    severity: String,
    message: String,
    location: String,
    hint: Option<String>,
}

impl From<&Diag> for Shown {
    fn from(d: &Diag) -> Shown {
        Shown {
            severity: d.severity.clone(),
            message: d.message.clone(),
            location: d.location(),
            hint: d.hint.clone(),
        }
    }
}

/// Splits the text form into its problems (blocks separated by an empty line) and the final
/// summary line. Where a block quotes the source line, its caret must sit under the reported
/// column.
fn parse_text(stderr: &str) -> (Vec<Shown>, String) {
    let mut blocks: Vec<&str> = stderr.trim_end_matches('\n').split("\n\n").collect();
    let summary = blocks.pop().unwrap_or_default().to_string();
    let shown = blocks
        .into_iter()
        .map(|block| {
            let lines: Vec<&str> = block.lines().collect();
            let (severity, message) = lines[0]
                .split_once(": ")
                .unwrap_or_else(|| panic!("no `severity: message` line in:\n{block}"));
            let location = lines
                .get(1)
                .and_then(|l| l.trim_start().strip_prefix("--> "))
                .unwrap_or_else(|| panic!("no `--> location` line in:\n{block}"))
                .to_string();
            let hint = lines
                .iter()
                .filter_map(|l| l.trim_start().strip_prefix("= help: "))
                .map(str::to_string)
                .next();
            let position: Vec<&str> = location.rsplitn(3, ':').collect();
            if let [column, line, _] = position[..] {
                let quoted = format!("{line} | ");
                if let Some(at) = lines.iter().position(|l| l.starts_with(&quoted)) {
                    let carets = lines.get(at + 1).unwrap_or_else(|| panic!("{block}"));
                    let bar = carets.find(" | ").expect("caret line has a gutter") + 3;
                    let pad = carets[bar..].find('^').expect("caret line has a caret");
                    assert_eq!(
                        carets[bar..bar + pad].chars().count() + 1,
                        column.parse::<usize>().unwrap(),
                        "caret not under the reported column:\n{block}"
                    );
                }
            }
            Shown {
                severity: severity.to_string(),
                message: message.to_string(),
                location,
                hint,
            }
        })
        .collect();
    (shown, summary)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `build SITE -o <new folder>`: exit status 1, no output folder and no leftovers, and every
/// error of `expected` (and nothing else) on stderr, in order, then the summary line.
/// Returns stderr for callers that pin the full text.
fn assert_build_fails(site: &Path, expected: &[Diag]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = kroniek([
        "build".as_ref(),
        site.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, Some(1), "exit status of build:\n{}", run.stderr);
    assert_eq!(run.stdout, "", "a failed build prints nothing on stdout");
    assert!(!out.exists(), "a failed build must not create its output");
    assert_eq!(names_in(tmp.path()), Vec::<String>::new(), "leftovers");
    let errors: Vec<&Diag> = expected.iter().filter(|d| d.is_error()).collect();
    let (shown, summary) = parse_text(&run.stderr);
    let want: Vec<Shown> = errors.iter().map(|d| Shown::from(*d)).collect();
    assert_eq!(shown, want, "errors shown by build:\n{}", run.stderr);
    assert_eq!(
        summary,
        format!(
            "error: build failed with {}; nothing was written",
            plural(errors.len(), "error")
        )
    );
    run.stderr
}

/// `build SITE -o <new folder>` succeeds and mentions the number of warnings.
fn assert_build_succeeds(site: &Path, warnings: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = kroniek([
        "build".as_ref(),
        site.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(run.code, Some(0), "build failed:\n{}", run.stderr);
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    let note = format!("({}: run `kroniek check`)", plural(warnings, "warning"));
    assert_eq!(run.stdout.contains(&note), warnings > 0, "{}", run.stdout);
    assert!(out.join("index.html").is_file());
    (tmp, out)
}

/// The whole contract for a site with errors: check and build agree on exactly `expected`.
fn assert_errors_at(site: &Path, expected: &[Diag]) -> String {
    assert!(expected.iter().any(Diag::is_error), "no error expected");
    assert_check(site, expected);
    assert_build_fails(site, expected)
}

fn assert_errors(case: &str, expected: &[Diag]) -> String {
    assert_errors_at(&fixture(case), expected)
}

/// A site with warnings only: `check` exits 0 and lists them, `check --strict` exits 1 with the
/// same problems, `build` succeeds.
fn assert_warnings_at(site: &Path, expected: &[Diag]) {
    assert!(!expected.iter().any(Diag::is_error), "no error expected");
    assert_check(site, expected);
    let (code, strict) = check_json(site, &["--strict"]);
    assert_eq!(code, Some(1), "check --strict must fail on warnings");
    let codes = |ds: &[Diag]| ds.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&strict), codes(expected));
    assert_build_succeeds(site, expected.len());
}

// ---------------------------------------------------------------------------------------------
// The baseline

#[test]
fn the_good_fixture_has_no_problems() {
    let site = fixture("good");
    assert_check(&site, &[]);
    let (code, strict) = check_json(&site, &["--strict"]);
    assert_eq!((code, strict), (Some(0), vec![]));
    assert_build_succeeds(&site, 0);
}

// ---------------------------------------------------------------------------------------------
// Front matter syntax

#[test]
fn yaml_syntax_error_colon_in_unquoted_value() {
    assert_errors(
        "yaml-syntax",
        &[error(
            EVENT,
            2,
            12,
            "yaml-syntax",
            "`: ` in the unquoted value of `title`: YAML reads it as a field of its own",
        )
        .hint("put the value in quotes: `title: \"NCSC: warned by a journalist\"`")],
    );
}

#[test]
fn a_tab_is_named_at_its_column() {
    assert_errors(
        "yaml-tab",
        &[error(
            EVENT,
            3,
            1,
            "yaml-syntax",
            "a tab in the front matter: YAML takes only spaces before a field",
        )
        .hint("replace the tab at column 1 with spaces")],
    );
}

#[test]
fn text_after_a_closing_quote_is_explained_with_the_value_quoted_whole() {
    assert_errors(
        "yaml-text-after-quote",
        &[error(
            EVENT,
            2,
            16,
            "yaml-syntax",
            "text after the closing quote of `title`: YAML ends the value at the quote",
        )
        .hint("put the whole value in single quotes: `title: '\"VASCO\" reports incident'`")],
    );
}

#[test]
fn a_value_cut_at_a_comment_is_a_warning() {
    assert_warnings_at(
        &fixture("yaml-comment-in-title"),
        &[warning(
            EVENT,
            2,
            15,
            "comment-in-value",
            "` #` starts a comment in YAML: `title` is read as `Update`",
        )
        .hint("put the value in quotes: `title: \"Update #1 on the incident\"`")],
    );
}

#[test]
fn hints_use_the_site_language_and_its_own_keys() {
    assert_errors(
        "wrong-type-tags",
        &[error(
            EVENT,
            6,
            7,
            "invalid-field",
            "invalid front matter: tags: invalid type: integer `5`, expected a sequence",
        )
        .hint("write a list, e.g. `tags: [report, letter]`")],
    );
}

#[test]
fn yaml_unclosed_quote_points_at_the_opening_quote() {
    assert_errors(
        "yaml-unclosed-quote",
        &[error(
            EVENT,
            2,
            8,
            "yaml-syntax",
            "invalid front matter: the quoted value that starts here is not closed",
        )
        .hint("add the closing `\"` at the end of the line")],
    );
}

#[test]
fn duplicate_key_points_at_the_second_one() {
    assert_errors(
        "duplicate-key",
        &[error(
            EVENT,
            4,
            1,
            "yaml-syntax",
            "invalid front matter: duplicate field `title`",
        )
        .hint("the first `title` is on line 2; remove one of them")],
    );
}

#[test]
fn front_matter_not_closed() {
    let stderr = assert_errors(
        "unclosed-front-matter",
        &[error(
            EVENT,
            1,
            1,
            "unclosed-front-matter",
            "front matter is not closed",
        )
        .hint("add a line with only `---` after the last field")],
    );
    assert_eq!(
        stderr,
        "\
error: front matter is not closed
 --> content/2024-06-04-ncsc-warned.md:1:1
  |
1 | ---
  | ^^^ front matter starts here
  = help: add a line with only `---` after the last field

error: build failed with 1 error; nothing was written
"
    );
}

// ---------------------------------------------------------------------------------------------
// Organisations and fields

#[test]
fn unknown_organisation_with_did_you_mean() {
    let stderr = assert_errors(
        "unknown-org-near",
        &[
            error(EVENT, 3, 13, "unknown-org", "unknown organisation `nsc`")
                .hint("did you mean `ncsc`?"),
        ],
    );
    assert_eq!(
        stderr,
        "\
error: unknown organisation `nsc`
 --> content/2024-06-04-ncsc-warned.md:3:13
  |
3 | orgs: [bzk, nsc]
  |             ^^^ not in _index.md organisations
  = help: did you mean `ncsc`?

error: build failed with 1 error; nothing was written
"
    );
}

#[test]
fn an_unknown_only_organisation_is_one_error_and_no_warning() {
    // The event names an organisation, wrongly: that is the error, and "event names no
    // organisation" would be both untrue and noise.
    let (_tmp, site) = copy_fixture("good");
    std::fs::write(
        site.join(EVENT),
        "---\ntitle: \"NCSC warned\"\norgs: [nsc]\nsources:\n  - title: \"Brief\"\n---\nBody.\n",
    )
    .unwrap();
    assert_errors_at(
        &site,
        &[
            error(EVENT, 3, 8, "unknown-org", "unknown organisation `nsc`")
                .hint("did you mean `ncsc`?"),
        ],
    );
}

#[test]
fn unknown_organisation_without_a_near_key() {
    assert_errors(
        "unknown-org-far",
        &[
            error(EVENT, 5, 5, "unknown-org", "unknown organisation `cisco`")
                .hint("add `cisco` to `organisations` in content/_index.md"),
        ],
    );
}

#[test]
fn unknown_field_is_a_warning_with_a_hint() {
    // `sorces` is not read, so the event also has no sources.
    assert_warnings_at(
        &fixture("unknown-field"),
        &[
            warning(EVENT, 2, 1, "unsourced", "event has no sources")
                .hint("add `sources:` so that readers can verify the event"),
            warning(EVENT, 4, 1, "unknown-field", "unknown field `sorces`")
                .hint("did you mean `sources`?"),
        ],
    );
}

#[test]
fn missing_title() {
    assert_errors(
        "missing-title",
        &[error(EVENT, 1, 1, "missing-title", "event has no `title`")
            .hint("add `title: \"…\"` to the front matter")],
    );
}

#[test]
fn wrong_type_orgs_is_reported_on_its_line() {
    assert_errors(
        "wrong-type-orgs",
        &[error(
            EVENT,
            5,
            7,
            "invalid-field",
            "invalid front matter: orgs: invalid type: integer `5`, expected a sequence",
        )
        .hint("write a list of organisation keys, e.g. `orgs: [ncsc]`")],
    );
}

#[test]
fn wrong_type_major_is_reported_on_its_line() {
    assert_errors(
        "wrong-type-major",
        &[error(
            EVENT,
            6,
            8,
            "invalid-field",
            "invalid front matter: major: invalid type: string \"yes\", expected a boolean",
        )
        .hint("write `major: true` or `major: false`")],
    );
}

#[test]
fn sources_as_plain_urls_are_explained_without_rust_type_names() {
    assert_errors(
        "wrong-type-sources",
        // A plain word is the id of a register source (content/sources.yaml); a URL is not one.
        &[error(
            EVENT,
            5,
            6,
            "invalid-field",
            "`https://example.org/kamerbrief` is not a source: a source has a `title` (a plain \
             word is the id of one in content/sources.yaml)",
        )
        .hint("write `- title: \"…\"` with `url: \"https://example.org/kamerbrief\"` on the next line")],
    );
}

// ---------------------------------------------------------------------------------------------
// Dates

#[test]
fn missing_date() {
    assert_errors(
        "missing-date",
        &[error(
            "content/ncsc-warned.md",
            1,
            1,
            "missing-date",
            "event has no date",
        )
        .hint("add `date: YYYY-MM-DD` to the front matter, or start the file name with the date")],
    );
}

#[test]
fn date_that_does_not_exist() {
    assert_errors(
        "no-such-date",
        &[error(
            "content/leap-day.md",
            3,
            7,
            "invalid-date",
            "`2024-02-30` is not a date in the calendar",
        )
        .hint("February 2024 has 29 days")],
    );
}

#[test]
fn time_24_00() {
    let stderr = assert_errors(
        "time-24",
        &[error(
            "content/midnight.md",
            3,
            8,
            "invalid-date",
            "`2024-06-04T24:00` is not a time of day (hours 00–23, minutes and seconds 00–59)",
        )
        .hint("write midnight at the end of the day as `2024-06-05T00:00`")],
    );
    assert_eq!(
        stderr,
        "\
error: `2024-06-04T24:00` is not a time of day (hours 00–23, minutes and seconds 00–59)
 --> content/midnight.md:3:8
  |
3 | date: \"2024-06-04T24:00\"
  |        ^^^^^^^^^^^^^^^^
  = help: write midnight at the end of the day as `2024-06-05T00:00`

error: build failed with 1 error; nothing was written
"
    );
}

#[test]
fn offset_without_time() {
    assert_errors(
        "offset-without-time",
        &[error(
            "content/offset.md",
            4,
            7,
            "invalid-date",
            "`2024-06-04+02:00` has a time-zone offset but no time",
        )
        .hint("add a time (`2024-06-04T14:30+02:00`) or drop the offset")],
    );
}

#[test]
fn local_time_in_the_dst_gap() {
    assert_errors(
        "dst-gap",
        &[error(
            "content/2024-03-31-night-shift.md",
            3,
            7,
            "invalid-date",
            "`2024-03-31T02:30` does not exist in Europe/Amsterdam: \
             the clocks skip that hour (daylight saving time)",
        )
        .hint("use a time that exists, or give the offset explicitly")],
    );
}

#[test]
fn end_before_start() {
    assert_errors(
        "end-before-start",
        &[error(
            EVENT,
            4,
            6,
            "end-before-start",
            "the event ends before it starts",
        )
        .hint("`end` must be on or after `date`")],
    );
}

#[test]
fn file_name_date_disagrees_with_front_matter() {
    assert_errors(
        "date-mismatch",
        &[error(
            EVENT,
            3,
            7,
            "date-mismatch",
            "`date: 2024-06-05` does not agree with the file name's date 2024-06-04",
        )
        .hint("make the file name and `date:` agree, or remove `date:`")],
    );
}

// ---------------------------------------------------------------------------------------------
// Slugs

#[test]
fn front_matter_slug_disagrees_with_file_name() {
    assert_errors(
        "slug-mismatch",
        &[error(
            EVENT,
            3,
            7,
            "slug-mismatch",
            "slug `ncsc-alerted` does not match the file name's slug `ncsc-warned`",
        )
        .hint("the file name gives the slug: rename the file or remove `slug:`")],
    );
}

#[test]
fn duplicate_slugs_in_different_folders() {
    assert_errors(
        "duplicate-slug",
        &[error(
            "content/2024-07/2024-07-01-meeting.md",
            1,
            1,
            "duplicate-slug",
            "duplicate slug `meeting`",
        )
        .hint("content/2024-06/2024-06-04-meeting.md has the same slug; rename one of the files")],
    );
}

#[test]
fn invalid_slug_from_file_name() {
    assert_errors(
        "invalid-slug",
        &[error(
            "content/2024-06-04-NCSC-Warned.md",
            1,
            1,
            "invalid-slug",
            "the file name gives the slug `NCSC-Warned`, which cannot be used in a URL",
        )
        .hint("use lowercase letters, digits and `-`: rename the file to end in `ncsc-warned.md`")],
    );
}

// ---------------------------------------------------------------------------------------------
// The body

#[test]
fn undefined_citations_point_into_the_body() {
    assert_errors(
        "undefined-citation",
        &[
            error(
                EVENT,
                8,
                37,
                "undefined-citation",
                "`[^securitnl]` cites nothing",
            )
            .hint("did you mean `[^securitynl]`?"),
            error(
                EVENT,
                10,
                17,
                "undefined-citation",
                "`[^nope]` cites nothing",
            )
            .hint("add a source with `id: nope` or a footnote `[^nope]: …`"),
        ],
    );
}

/// Public text that needs something written only inside a `::: internal` block: public readers
/// would lose it (or see the block's secrets), so it is an error for every audience.
#[test]
fn public_text_citing_an_internal_footnote_or_link_is_an_error() {
    assert_errors(
        "internal-citation",
        &[
            error(
                EVENT,
                7,
                37,
                "internal-citation",
                "`[^5]` cites a footnote written inside a `::: internal` block",
            )
            .hint("public text cannot cite an internal note: move the citation into the block, or the footnote out of it"),
            error(
                EVENT,
                7,
                55,
                "internal-link",
                "link `[log]` is defined inside a `::: internal` block",
            )
            .hint("public text cannot use an internal link: move the link into the block, or its definition out of it"),
        ],
    );
}

#[test]
fn footnote_defined_twice() {
    assert_errors(
        "duplicate-footnote",
        &[error(
            EVENT,
            10,
            1,
            "duplicate-footnote",
            "footnote `[^1]` is defined twice",
        )
        .hint("the first definition is on line 9; remove or rename one")],
    );
}

#[test]
fn unclosed_internal_block() {
    assert_errors(
        "unclosed-internal",
        &[error(
            EVENT,
            9,
            1,
            "unclosed-block",
            "this `:::` block is never closed",
        )
        .hint("end the block with a line containing only `:::`")],
    );
}

// ---------------------------------------------------------------------------------------------
// Files and bytes

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    let (_tmp, site) = copy_fixture("good");
    // `é` is two bytes but one column; the bad byte is the 14th character of line 2.
    std::fs::write(
        site.join("content/2024-06-05-bad-bytes.md"),
        b"---\ntitle: \"Caf\xc3\xa9 \xff au lait\"\norgs: [ncsc]\n---\nBody.\n",
    )
    .unwrap();
    assert_errors_at(
        &site,
        &[error(
            "content/2024-06-05-bad-bytes.md",
            2,
            14,
            "invalid-utf8",
            "file is not valid UTF-8 text",
        )
        .hint("save the file with UTF-8 encoding")],
    );
}

#[test]
fn bom_and_crlf_build_fine_with_right_line_numbers() {
    let (_tmp, site) = copy_fixture("good");
    std::fs::write(
        site.join("content/2024-06-05-windows.md"),
        "\u{feff}---\r\ntitle: \"Windows notes\"\r\norgs: [ncsc]\r\ntgas: [melding]\r\n---\r\n\
         Written on Windows.[^1]\r\n\r\n[^1]: A footnote.\r\n",
    )
    .unwrap();
    let file = "content/2024-06-05-windows.md";
    assert_warnings_at(
        &site,
        &[
            warning(file, 2, 1, "unsourced", "event has no sources")
                .hint("add `sources:` so that readers can verify the event"),
            // Swapped letters are the most common typo of all.
            warning(file, 4, 1, "unknown-field", "unknown field `tgas`")
                .hint("did you mean `tags`?"),
        ],
    );
    let (_out_guard, out) = assert_build_succeeds(&site, 2);
    let page = std::fs::read_to_string(out.join("events/windows/index.html")).unwrap();
    assert!(page.contains("Windows notes"));
    assert!(!page.contains('\r') && !page.contains('\u{feff}'));

    let run = kroniek(["check".as_ref(), site.as_os_str()]);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stderr,
        "\
warning: event has no sources
 --> content/2024-06-05-windows.md:2:1
  |
2 | title: \"Windows notes\"
  | ^^^^^
  = help: add `sources:` so that readers can verify the event

warning: unknown field `tgas`
 --> content/2024-06-05-windows.md:4:1
  |
4 | tgas: [melding]
  | ^^^^ kroniek does not use this field
  = help: did you mean `tags`?

0 errors, 2 warnings
"
    );
}

#[test]
fn crlf_errors_have_right_columns_and_no_carriage_returns() {
    let (_tmp, site) = copy_fixture("good");
    std::fs::write(
        site.join("content/2024-06-05-windows.md"),
        "---\r\ntitle: \"Windows notes\"\r\norgs: [ncsc, nsc]\r\nsources:\r\n  - title: \"Brief\"\r\n\
         ---\r\nBody.\r\n",
    )
    .unwrap();
    let stderr = assert_errors_at(
        &site,
        &[error(
            "content/2024-06-05-windows.md",
            3,
            14,
            "unknown-org",
            "unknown organisation `nsc`",
        )
        .hint("did you mean `ncsc`?")],
    );
    assert!(!stderr.contains('\r'), "{stderr:?}");
}

#[test]
fn missing_index() {
    let stderr = assert_errors(
        "missing-index",
        &[error(
            INDEX,
            0,
            0,
            "missing-index",
            "the site has no `content/_index.md`",
        )
        .hint("create it with at least `title: \"…\"` between two `---` lines")],
    );
    assert_eq!(
        stderr,
        "\
error: the site has no `content/_index.md`
 --> content/_index.md
  = help: create it with at least `title: \"…\"` between two `---` lines

error: build failed with 1 error; nothing was written
"
    );
}

#[test]
fn missing_content_folder() {
    let site = fixture("missing-content");
    assert_errors_at(
        &site,
        &[error(
            "content",
            0,
            0,
            "missing-content",
            &format!("no `content` folder in {}", site.display()),
        )
        .hint("run kroniek in a site folder, or pass the site folder: `kroniek build SITE`")],
    );
}

#[test]
fn symlink_loop_is_an_error_not_a_hang() {
    let (_tmp, site) = copy_fixture("good");
    std::fs::create_dir(site.join("content/sub")).unwrap();
    std::os::unix::fs::symlink("..", site.join("content/sub/loop")).unwrap();
    assert_errors_at(
        &site,
        &[error(
            "content/sub/loop",
            0,
            0,
            "symlink-loop",
            "symbolic link loop: this folder links back to content",
        )
        .hint("remove the link or point it outside the content folder")],
    );
}

#[test]
fn unreadable_file_and_folder_are_named() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, site) = copy_fixture("good");
    let secret = site.join("content/2024-06-05-secret.md");
    std::fs::copy(site.join(EVENT), &secret).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked = site.join("content/locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Readable again at the end, whatever happens, so that the temporary folder can go.
    let _restore = Restore(vec![(secret.clone(), 0o644), (locked.clone(), 0o755)]);
    let expected = [
        error(
            "content/2024-06-05-secret.md",
            0,
            0,
            "unreadable",
            "cannot read: Permission denied (os error 13)",
        ),
        error(
            "content/locked",
            0,
            0,
            "unreadable",
            "cannot read: Permission denied (os error 13)",
        ),
    ];

    if std::fs::read(&secret).is_err() {
        assert_errors_at(&site, &expected);
        return;
    }
    // Running as root, which reads anything: run kroniek as `nobody` instead, if we can.
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = Command::new("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_kroniek"))
        .args(["check".as_ref(), site.as_os_str(), "--format".as_ref()])
        .arg("json");
    // setpriv (util-linux) is on every Debian machine; without it this test cannot prove
    // anything as root, so it fails rather than skip.
    let run = run(command);
    assert!(
        !run.stderr.starts_with("setpriv:"),
        "cannot drop privileges with setpriv: {}",
        run.stderr
    );
    let problems: Vec<Diag> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(problems, expected);
    assert_eq!(run.code, Some(1));
    // Whoever runs it, kroniek must not panic on the site (checked by `run`).
    kroniek(["check".as_ref(), site.as_os_str()]);
}

// ---------------------------------------------------------------------------------------------
// Site settings

#[test]
fn unknown_language() {
    assert_errors(
        "unknown-language",
        &[
            error(INDEX, 3, 11, "unknown-language", "unknown language `fr`")
                .hint("kroniek speaks `nl` and `en`"),
        ],
    );
}

#[test]
fn unknown_timezone_with_did_you_mean() {
    assert_errors(
        "unknown-timezone",
        &[error(
            INDEX,
            4,
            11,
            "unknown-timezone",
            "unknown time zone `Europe/Amsterdan`",
        )
        .hint("did you mean `Europe/Amsterdam`?")],
    );
}

#[test]
fn bad_organisation_colour() {
    assert_errors(
        "bad-colour",
        &[
            error(INDEX, 9, 13, "invalid-color", "`#15427` is not a colour").hint(
                "write a hex colour such as \"#154273\" (in quotes: YAML reads # as a comment)",
            ),
        ],
    );
}

#[test]
fn unquoted_colour_is_not_silently_dropped() {
    // `color: #154273` is a YAML comment: the colour the author chose would silently vanish.
    assert_errors(
        "unquoted-colour",
        &[error(
            INDEX,
            10,
            12,
            "invalid-color",
            "`color` has no value: YAML reads `#154273` as a comment",
        )
        .hint("put the colour in quotes: `color: \"#154273\"`")],
    );
}

#[test]
fn javascript_source_url_is_refused() {
    assert_errors(
        "javascript-url",
        &[error(
            EVENT,
            6,
            11,
            "invalid-url",
            "`javascript:alert(1)` is not an http(s) URL",
        )
        .hint("write the full address, starting with https://")],
    );
}

// ---------------------------------------------------------------------------------------------
// Warnings

#[test]
fn warnings_in_check() {
    assert_warnings_at(
        &fixture("warnings"),
        &[
            warning(
                "content/2024-06-04-unsourced.md",
                2,
                1,
                "unsourced",
                "event has no sources",
            )
            .hint("add `sources:` so that readers can verify the event"),
            warning(
                "content/2024-06-05-untitled-source.md",
                6,
                3,
                "source-without-title",
                "source has no `title`",
            )
            .hint("give the document's title, so that readers can find it without the link"),
            warning(
                "content/2024-06-06-no-organisation.md",
                2,
                1,
                "no-organisation",
                "event names no organisation",
            )
            .hint("add `orgs: [key]` so that the event shows up in the filters"),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Many problems at once

/// Three broken files (one with two problems) among good ones: front matter errors of the
/// model stage and a body error of the render stage.
fn many_problems() -> Vec<Diag> {
    let first = "content/2024-06-01-first.md";
    let second = "content/2024-06-03-second.md";
    let third = "content/sub/2024-06-04-third.md";
    vec![
        error(first, 3, 13, "unknown-org", "unknown organisation `nsc`")
            .hint("did you mean `ncsc`?"),
        error(
            first,
            6,
            11,
            "invalid-url",
            "`ftp://example.org/brief` is not an http(s) URL",
        )
        .hint("write the full address, starting with https://"),
        error(
            second,
            3,
            7,
            "date-mismatch",
            "`date: 2024-06-30` does not agree with the file name's date 2024-06-03",
        )
        .hint("make the file name and `date:` agree, or remove `date:`"),
        error(
            third,
            7,
            33,
            "undefined-citation",
            "`[^gone]` cites nothing",
        )
        .hint("add a source with `id: gone` or a footnote `[^gone]: …`"),
    ]
}

#[test]
fn many_problems_check_reports_all_in_order() {
    let site = fixture("many-problems");
    assert_check(&site, &many_problems());
    let run = kroniek(["check".as_ref(), site.as_os_str()]);
    assert_eq!(run.code, Some(1));
    let (shown, summary) = parse_text(&run.stderr);
    let want: Vec<Shown> = many_problems().iter().map(Shown::from).collect();
    assert_eq!(shown, want);
    assert_eq!(summary, "4 errors, 0 warnings");
}

#[test]
fn many_problems_build_reports_all_errors_of_every_stage() {
    // The body error of `third` must not wait for the front matter errors to be fixed: "All
    // problems of a build are reported together, not only the first."
    let stderr = assert_build_fails(&fixture("many-problems"), &many_problems());
    assert_eq!(
        stderr,
        "\
error: unknown organisation `nsc`
 --> content/2024-06-01-first.md:3:13
  |
3 | orgs: [bzk, nsc]
  |             ^^^ not in _index.md organisations
  = help: did you mean `ncsc`?

error: `ftp://example.org/brief` is not an http(s) URL
 --> content/2024-06-01-first.md:6:11
  |
6 |     url: \"ftp://example.org/brief\"
  |           ^^^^^^^^^^^^^^^^^^^^^^^
  = help: write the full address, starting with https://

error: `date: 2024-06-30` does not agree with the file name's date 2024-06-03
 --> content/2024-06-03-second.md:3:7
  |
3 | date: 2024-06-30
  |       ^^^^^^^^^^
  = help: make the file name and `date:` agree, or remove `date:`

error: `[^gone]` cites nothing
 --> content/sub/2024-06-04-third.md:7:33
  |
7 | Body with a citation of nothing.[^gone]
  |                                 ^^^^^^^
  = help: add a source with `id: gone` or a footnote `[^gone]: …`

error: build failed with 4 errors; nothing was written
"
    );
}

// ---------------------------------------------------------------------------------------------
// The output folder

#[test]
fn failed_build_leaves_previous_output_intact() {
    let (tmp, site) = copy_fixture("good");
    let out = tmp.path().join("out");
    let first = kroniek([
        "build".as_ref(),
        site.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = snapshot(&out);
    assert!(before.contains_key(Path::new("index.html")));

    std::fs::write(
        site.join(EVENT),
        "---\ntitle: \"NCSC warned\"\norgs: [nsc]\nsources:\n  - title: \"Brief\"\n---\nBody.\n",
    )
    .unwrap();
    let second = kroniek([
        "build".as_ref(),
        site.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(second.code, Some(1), "{}", second.stderr);
    assert!(second
        .stderr
        .ends_with("error: build failed with 1 error; the previous output was left as it was\n"));
    assert_eq!(snapshot(&out), before, "the previous output changed");
    assert_eq!(
        names_in(tmp.path()),
        ["out", "site"],
        "leftovers beside out"
    );
}

/// `build` with `-o target` is refused: exit 2, one line on stderr, nothing written.
fn assert_refused(site: &Path, target: &Path, reasons: &[&str]) {
    let run = kroniek([
        "build".as_ref(),
        site.as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    assert_eq!(run.code, Some(2), "exit status:\n{}", run.stderr);
    let lines: Vec<String> = reasons
        .iter()
        .map(|r| format!("error: refusing to write to {}: {r}\n", target.display()))
        .collect();
    assert!(lines.contains(&run.stderr), "stderr: {:?}", run.stderr);
    assert_eq!(run.stdout, "");
}

fn assert_refused_untouched(site: &Path, target: &Path, watched: &Path, reason: &str) {
    let before = snapshot(watched);
    assert_refused(site, target, &[reason]);
    assert_eq!(snapshot(watched), before, "{} changed", watched.display());
}

#[test]
fn refuses_the_site_folder_as_output() {
    let (_tmp, site) = copy_fixture("good");
    assert_refused_untouched(&site, &site, &site, "it is the site folder itself");
}

#[test]
fn refuses_a_parent_of_the_site_as_output() {
    let (tmp, site) = copy_fixture("good");
    assert_refused_untouched(
        &site,
        tmp.path(),
        tmp.path(),
        "it contains the site; the build would replace your content",
    );
}

#[test]
fn refuses_the_root_folder_as_output() {
    let (_tmp, site) = copy_fixture("good");
    assert_refused(
        &site,
        Path::new("/"),
        &[
            "it is the root of the file system",
            "it contains the site; the build would replace your content",
        ],
    );
}

#[test]
fn refuses_a_non_empty_folder_kroniek_did_not_make() {
    let (tmp, site) = copy_fixture("good");
    let other = tmp.path().join("notes");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("todo.txt"), "my own notes\n").unwrap();
    std::fs::create_dir(other.join("drafts")).unwrap();
    std::fs::write(other.join("drafts/index.html"), "<p>mine</p>\n").unwrap();
    assert_refused_untouched(
        &site,
        &other,
        &other,
        "it is not empty and was not made by kroniek; choose another folder or empty it",
    );
}

#[test]
fn refuses_the_content_folder_as_output() {
    let (_tmp, site) = copy_fixture("good");
    assert_refused_untouched(
        &site,
        &site.join("content"),
        &site,
        "it is inside the site's `content` folder, which kroniek reads",
    );
}

#[test]
fn refuses_a_file_as_output() {
    let (tmp, site) = copy_fixture("good");
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "my own notes\n").unwrap();
    assert_refused_untouched(&site, &file, tmp.path(), "it is a file, not a folder");
}

#[test]
fn refusal_comes_before_content_errors() {
    // A broken site and a dangerous -o: the usage error wins, and nothing is touched.
    let (_tmp, site) = copy_fixture("many-problems");
    assert_refused_untouched(&site, &site, &site, "it is the site folder itself");
}

/// A SITE that does not exist is a typing mistake: exit 2 with one line naming it, for every
/// command that takes a site (build used to say it could not write the output folder in it).
#[test]
fn a_site_folder_that_does_not_exist_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    let shown = missing.display().to_string();
    for args in [
        vec!["build", &shown],
        vec!["check", &shown, "--format", "json"],
        vec!["export", &shown, "--format", "json"],
        vec!["serve", &shown, "--port", "0"],
    ] {
        let run = kroniek(&args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr.trim(),
            format!("error: no site folder {shown}: pass the folder that holds `content/`"),
            "{args:?}"
        );
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert!(!missing.exists(), "nothing is created");
}

/// Links written relative to `content/` that lead nowhere are warnings at their line and
/// column, with what to write instead (the links fixture writes `../patch/` as if from an event
/// page; on the timeline that leads above the site).
#[test]
fn dead_content_links_are_warnings_with_a_fix() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    let (code, problems) = check_json(&site, &[]);
    assert_eq!(code, Some(0), "{problems:#?}");
    let dead: Vec<_> = problems
        .iter()
        .filter(|p| p.code == "dead-link")
        .map(|p| (p.file.as_str(), p.line, p.column, p.severity.as_str()))
        .collect();
    assert_eq!(
        dead,
        [
            ("content/2024-06-03-first-report.md", 9, 49, "warning"),
            ("content/2024-06-03-first-report.md", 16, 11, "warning"),
            ("content/2024-06-06-follow-up.md", 8, 9, "warning"),
        ]
    );
    for p in problems.iter().filter(|p| p.code == "dead-link") {
        assert_eq!(p.message, "link to `../patch/` leads outside the site");
        assert_eq!(
            p.hint.as_deref(),
            Some("links are relative to the content folder: write `events/patch/`")
        );
    }
    // --strict makes them errors, as every warning.
    assert_eq!(check_json(&site, &["--strict"]).0, Some(1));
}

/// `check` sees every audience, and also what only the public's view has: each link to an
/// event the public does not see, as the warning a public build counts, at its line and
/// column. (It used to show none of them while `build` said "12 warnings: run `kroniek check`".)
#[test]
fn check_reports_the_links_public_readers_lose() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hidden-links");
    let (code, problems) = check_json(&site, &[]);
    assert_eq!(code, Some(0), "{problems:#?}");
    let hidden: Vec<_> = problems
        .iter()
        .filter(|p| p.code == "hidden-link")
        .map(|p| (p.file.as_str(), p.line, p.column, p.severity.as_str()))
        .collect();
    assert_eq!(hidden.len(), 12, "{hidden:#?}");
    assert!(hidden
        .iter()
        .all(|(_, line, column, severity)| *line > 0 && *column > 0 && *severity == "warning"));
    assert!(hidden.contains(&("content/2024-06-03-statement.md", 14, 23, "warning")));
    let first = problems
        .iter()
        .find(|p| p.code == "hidden-link" && p.line == 14)
        .unwrap();
    assert_eq!(
        first.message,
        "link to `events/quiet-talks-x7q/` leads to an event public readers do not see; they get \
         its words only"
    );
}

// ---------------------------------------------------------------------------------------------
// What problems may show of the content: no terminal controls, no huge lines

/// A citation of nothing with a terminal escape in its label (`ESC ( 0` switches a terminal to
/// line-drawing characters), in the middle of a 10,000-character line. People see the escape
/// as `\u{1b}` in the message and in the quoted line, which is cut to 200 characters around
/// the column with `…` on both sides, the caret still under the `[`. The JSON form escapes it
/// too and bounds nothing away that an editor needs: the message comes back exactly.
#[test]
fn problems_escape_terminal_controls_and_quote_a_bounded_slice_of_a_line() {
    let (_tmp, site) = copy_fixture("good");
    let file = "content/2024-06-05-escape.md";
    let line = format!(
        "{}[^a\u{1b}(0] cites nothing.{}\u{9b}\n",
        "x".repeat(5_000),
        "y".repeat(5_000)
    );
    std::fs::write(
        site.join(file),
        format!("---\ntitle: \"Escape\"\norgs: [ncsc]\nsources:\n  - title: \"S\"\n---\n{line}"),
    )
    .unwrap();
    let run = kroniek(["check".as_ref(), site.as_os_str()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        !run.stderr.contains(['\u{1b}', '\u{9b}']),
        "a control reached the terminal"
    );
    let quoted = format!(
        "…{}[^a\\u{{1b}}(0] cites nothing.{}…",
        "x".repeat(66),
        // 200 characters in all: 66 + 7 (the citation) + 15 + 112.
        "y".repeat(112)
    );
    let expected = format!(
        "error: `[^a\\u{{1b}}(0]` cites nothing\n --> {file}:7:5001\n  |\n7 | {quoted}\n  | {}^^^^^^^^^^^^\n  = help: add a source with `id: a\\u{{1b}}(0` or a footnote `[^a\\u{{1b}}(0]: …`\n",
        " ".repeat(67)
    );
    assert!(
        run.stderr.starts_with(&expected),
        "{}\n---\n{expected}",
        run.stderr
    );

    let json = kroniek([
        "check".as_ref(),
        site.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert!(
        !json.stdout.contains(['\u{1b}', '\u{9b}']),
        "{}",
        json.stdout
    );
    let (_, problems) = check_json(&site, &[]);
    assert_eq!(
        problems,
        vec![error(
            file,
            7,
            5001,
            "undefined-citation",
            "`[^a\u{1b}(0]` cites nothing"
        )
        .hint("add a source with `id: a\u{1b}(0` or a footnote `[^a\u{1b}(0]: …`")]
    );
}

/// A failed build lists its errors and counts the warnings found beside them: it printed no
/// word of them, so a warning (a missing image) seemed to vanish while other errors were there.
#[test]
fn a_failed_build_counts_its_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    std::fs::copy(
        fixture("yaml-syntax").join("content/_index.md"),
        site.join("content/_index.md"),
    )
    .unwrap();
    std::fs::write(
        site.join("content/2024-06-04-a.md"),
        "---\ntitle: \"A\"\norgs: [ncsc]\nsources:\n  - title: \"S\"\n---\n![chart](img/missing.png)\n",
    )
    .unwrap();
    std::fs::write(
        site.join("content/2024-06-05-b.md"),
        "---\ntitle: \"B\"\norgs: [nsc]\nsources:\n  - title: \"S\"\n---\nText.\n",
    )
    .unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.ends_with(
            "error: build failed with 1 error and 1 warning (`kroniek check` shows them); nothing was written\n"
        ),
        "{stderr}"
    );
}
