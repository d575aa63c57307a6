//! The bad-input corpus: one small site per failure under `tests/bad/<case>/`, run through the
//! real `kroniek` binary.
//!
//! Each case holds a site (`content/…`) and `expected.txt`:
//!
//! ```text
//! # what the case is about
//! $ kroniek build            (or `$ kroniek check`)
//! exit 1
//! content/2024-06-05-x.md:3:8: error: unknown organisation `nsc`
//!   help: did you mean `ncsc`?
//! ```
//!
//! The diagnostics are every problem kroniek prints, in order, as `file:line:column: severity:
//! message` with the hint below: exactly these, no more. A `build` goes into a folder that
//! already holds a good build; when it fails, that build must be untouched, byte for byte, with
//! nothing left beside it. Nothing may panic, and every run must end within a time limit.
//!
//! What git cannot hold portably (symlinks, named pipes, unreadable files, names that are not
//! UTF-8, 50 MB of text, 100,000 files) a case describes in a `prepare` file, one step a line,
//! and the test makes it.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

mod common;

use common::{copy_dir, names_in, run_within, snapshot, Restore};

/// Generous: most cases take milliseconds; only a hang comes near it.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// For the cases that are big on purpose. A debug build of kroniek needs about 20 s for the
/// 50 MB event and 80 s for 100,000 events on a busy two-core machine; this is no benchmark,
/// only a bound that a hang or a quadratic blow-up would cross.
const BIG_TIME_LIMIT: Duration = Duration::from_secs(600);
const BIG_CASES: [&str; 2] = ["huge-event", "many-events"];

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad")
}

/// What one run of kroniek did.
struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs kroniek with `args` to the end, killing it after `limit`.
fn kroniek(args: &[&std::ffi::OsStr], limit: Duration) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kroniek"));
    let run = run_within(command.args(args), limit).unwrap();
    let Some(status) = run.status else {
        panic!("kroniek {args:?} did not finish within {limit:?} (a hang?)");
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "kroniek {args:?} panicked:\n{}",
        run.stderr
    );
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
    Run {
        code: status.code(),
        stderr: run.stderr,
    }
}

/// The problems of kroniek's text output, each as `location: severity: message`, with
/// `\n  help: hint` when there is one. The summary line is left out.
fn diagnostics(stderr: &str) -> Vec<String> {
    stderr
        .trim_end()
        .split("\n\n")
        .filter_map(|block| {
            let mut lines = block.lines();
            let first = lines.next()?;
            let (severity, message) = first.split_once(": ")?;
            if !matches!(severity, "error" | "warning") {
                return None;
            }
            let location = block
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("--> "))?;
            let mut shown = format!("{location}: {severity}: {message}");
            if let Some(hint) = block
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("= help: "))
            {
                shown.push_str(&format!("\n  help: {hint}"));
            }
            Some(shown)
        })
        .collect()
}

/// A case's expectation: the command, the exit status and the diagnostics.
struct Expected {
    command: String,
    exit: i32,
    diagnostics: Vec<String>,
}

fn expected(file: &Path) -> Expected {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut command = None;
    let mut exit = None;
    let mut diagnostics: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(c) = line.strip_prefix("$ kroniek ") {
            command = Some(c.trim().to_string());
        } else if let Some(code) = line.strip_prefix("exit ") {
            exit = Some(code.trim().parse().unwrap());
        } else if line.starts_with("  help: ") {
            let last = diagnostics
                .last_mut()
                .expect("a help line follows a problem");
            last.push('\n');
            last.push_str(line);
        } else {
            diagnostics.push(line.to_string());
        }
    }
    Expected {
        command: command.unwrap_or_else(|| panic!("{}: no `$ kroniek …` line", file.display())),
        exit: exit.unwrap_or_else(|| panic!("{}: no `exit N` line", file.display())),
        diagnostics,
    }
}

/// Carries out the steps of a case's `prepare` file in `site`. Returns whether the case must
/// be judged by `expected-root.txt` (see `unreadable`), and guards to drop at the end.
fn prepare(site: &Path, steps: &str) -> (bool, Vec<Restore>) {
    let mut as_root = false;
    let mut guards = Vec::new();
    for line in steps.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words[..] {
            ["symlink", path, target] => {
                let link = site.join(path);
                std::fs::create_dir_all(link.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(target, link).unwrap();
            }
            ["file", path] => {
                // A file whose name may hold bytes that are not UTF-8, written `\xNN`.
                use std::os::unix::ffi::OsStrExt;
                let name = unescape_bytes(path);
                let file = site.join(std::ffi::OsStr::from_bytes(&name));
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, "not content\n").unwrap();
            }
            ["fifo", path] => {
                let status = Command::new("mkfifo")
                    .arg(site.join(path))
                    .status()
                    .unwrap();
                assert!(status.success(), "mkfifo failed");
            }
            ["unreadable", path] => {
                use std::os::unix::fs::PermissionsExt;
                let file = site.join(path);
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
                guards.push(Restore(vec![(file.clone(), 0o644)]));
                if std::fs::read(&file).is_ok() {
                    // Running as root, which reads anything: chmod cannot make a file
                    // unreadable. The nearest thing root cannot read is an entry whose target
                    // is gone, so the file becomes a dangling symlink, and the case is judged
                    // by expected-root.txt. (tests/errors.rs also runs chmod 000 as `nobody`.)
                    std::fs::remove_file(&file).unwrap();
                    std::os::unix::fs::symlink("/nonexistent/kroniek-unreadable.md", &file)
                        .unwrap();
                    as_root = true;
                }
            }
            ["huge", path, megabytes] => {
                let size: usize = megabytes.parse::<usize>().unwrap() * 1024 * 1024;
                let mut text = String::with_capacity(size + 200);
                text.push_str(
                    "---\ntitle: \"Huge\"\norgs: [ncsc]\nsources:\n  - title: \"x\"\n---\n",
                );
                let paragraph = "The ministry was informed by the NCSC, which had heard of the \
                                 vulnerabilities from a journalist; *nothing* was patched yet.\n\n";
                while text.len() < size {
                    text.push_str(paragraph);
                }
                std::fs::write(site.join(path), text).unwrap();
            }
            ["alias-bomb", path] => {
                let aliases = vec!["*a"; 5_000].join(", ");
                let text = format!(
                    "---\ntitle: \"Bomb\"\nlong: &a \"{}\"\nmany: [{aliases}]\norgs: [ncsc]\n---\nBody.\n",
                    "x".repeat(100_000)
                );
                std::fs::write(site.join(path), text).unwrap();
            }
            ["events", count] => {
                let count: usize = count.parse().unwrap();
                let content = site.join("content");
                for i in 0..count {
                    let (day, month, year) = (1 + i % 28, 1 + (i / 28) % 12, 2000 + i / 336);
                    std::fs::write(
                        content.join(format!("{year:04}-{month:02}-{day:02}-e{i}.md")),
                        format!(
                            "---\ntitle: \"Event {i}\"\norgs: [ncsc]\nsources:\n  - title: \"S\"\n---\nBody {i}.\n"
                        ),
                    )
                    .unwrap();
                }
            }
            _ => panic!("unknown prepare step: {line}"),
        }
    }
    (as_root, guards)
}

/// `text` as bytes, with each `\xNN` read as the byte NN.
fn unescape_bytes(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        if rest.starts_with(b"\\x") && rest.len() >= 4 {
            let hex = std::str::from_utf8(&rest[2..4]).unwrap();
            bytes.push(u8::from_str_radix(hex, 16).unwrap());
            rest = &rest[4..];
        } else {
            bytes.push(rest[0]);
            rest = &rest[1..];
        }
    }
    bytes
}

/// Runs one case and checks everything its `expected.txt` says.
fn run_case(case: &Path) {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&case.join("content"), &site.join("content"));
    let steps = std::fs::read_to_string(case.join("prepare")).unwrap_or_default();
    let (as_root, _guards) = prepare(&site, &steps);
    let expected = expected(&case.join(if as_root {
        "expected-root.txt"
    } else {
        "expected.txt"
    }));
    let limit = if BIG_CASES.contains(&name.as_str()) {
        BIG_TIME_LIMIT
    } else {
        TIME_LIMIT
    };

    // A previous good build in the output folder.
    let out = tmp.path().join("out");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/good");
    let first = kroniek(
        &[
            "build".as_ref(),
            good.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ],
        TIME_LIMIT,
    );
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = snapshot(&out);

    let run = match expected.command.as_str() {
        "build" => kroniek(
            &[
                "build".as_ref(),
                site.as_os_str(),
                "-o".as_ref(),
                out.as_os_str(),
            ],
            limit,
        ),
        "check" => kroniek(&["check".as_ref(), site.as_os_str()], limit),
        other => panic!("{name}: unknown command `{other}`"),
    };
    let shown = diagnostics(&run.stderr);
    if std::env::var_os("KRONIEK_BLESS").is_some() {
        bless(case, as_root, &expected, run.code, &shown);
        return;
    }
    assert_eq!(
        run.code,
        Some(expected.exit),
        "{name}: exit status; stderr:\n{}",
        run.stderr
    );
    assert_eq!(
        shown.join("\n"),
        expected.diagnostics.join("\n"),
        "{name}: diagnostics; stderr:\n{}",
        run.stderr
    );
    assert_eq!(
        names_in(tmp.path()),
        ["out", "site"],
        "{name}: temporary folders left beside the output"
    );
    if expected.command == "build" && expected.exit != 0 {
        assert!(
            snapshot(&out) == before,
            "{name}: the failed build changed the previous output"
        );
    }
    if expected.command == "build" && expected.exit == 0 {
        assert!(out.join("index.html").is_file(), "{name}: no index.html");
        assert!(
            snapshot(&out) != before,
            "{name}: the output was not replaced"
        );
    }
}

/// With `KRONIEK_BLESS=1`, writes what kroniek did into the case's expectation (keeping its
/// comments and command), for a person to read and commit: never trusted unread.
fn bless(case: &Path, as_root: bool, expected: &Expected, code: Option<i32>, shown: &[String]) {
    let file = case.join(if as_root {
        "expected-root.txt"
    } else {
        "expected.txt"
    });
    let old = std::fs::read_to_string(&file).unwrap_or_default();
    let mut text: String = old
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    text.push_str(&format!("$ kroniek {}\n", expected.command));
    text.push_str(&format!("exit {}\n", code.unwrap_or(-1)));
    for diagnostic in shown {
        text.push_str(diagnostic);
        text.push('\n');
    }
    std::fs::write(file, text).unwrap();
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// Every case but the two big ones, which have tests of their own so that they run in
/// parallel with the rest.
#[test]
fn every_case_fails_or_builds_as_expected() {
    let mut ran = 0;
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if BIG_CASES.contains(&name.as_str()) {
            continue;
        }
        run_case(&case);
        ran += 1;
    }
    assert!(ran >= 25, "only {ran} cases found in tests/bad");
}

#[test]
fn a_50_mb_event_file() {
    run_case(&cases_dir().join("huge-event"));
}

#[test]
fn a_hundred_thousand_events() {
    run_case(&cases_dir().join("many-events"));
}

/// The diagnostics parser itself, on the text form as kroniek prints it.
#[test]
fn diagnostics_are_read_from_the_text_form() {
    let stderr = "error: unknown organisation `nsc`\n --> content/a.md:3:8\n  |\n3 | orgs: [nsc]\n  |        ^^^\n  = help: did you mean `ncsc`?\n\nerror: the site has no `content/_index.md`\n --> content/_index.md\n\nerror: build failed with 2 errors; nothing was written\n";
    assert_eq!(
        diagnostics(stderr),
        [
            "content/a.md:3:8: error: unknown organisation `nsc`\n  help: did you mean `ncsc`?",
            "content/_index.md: error: the site has no `content/_index.md`",
        ]
    );
}
