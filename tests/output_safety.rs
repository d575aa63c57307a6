//! Where `kroniek build` may write, and what a killed build leaves.
//!
//! The refusals of the site folder, its parents, `/`, its `content/`, a file and a non-empty
//! folder without kroniek's marker are in `tests/errors.rs` (`refuses_*`); here are the home
//! folder, a link to the site, and a build killed while it writes.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{names_in, snapshot};

fn good_site(into: &Path) -> PathBuf {
    let site = into.join("site");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad/good/content");
    std::fs::create_dir_all(site.join("content")).unwrap();
    for entry in std::fs::read_dir(fixture).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), site.join("content").join(entry.file_name())).unwrap();
    }
    site
}

fn build(site: &Path, out: &Path, home: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kroniek"));
    command.arg("build").arg(site).arg("-o").arg(out);
    if let Some(home) = home {
        command.env("HOME", home);
    }
    let output = command.stdin(Stdio::null()).output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    output
}

/// `build -o target` exits 2 with `reason`, and `watched` is as it was.
fn assert_refused(site: &Path, target: &Path, home: &Path, watched: &Path, reason: &str) {
    let before = snapshot(watched);
    let output = build(site, target, Some(home));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "error: refusing to write to {}: {reason}\n",
            target.display()
        )
    );
    assert_eq!(snapshot(watched), before, "{} changed", watched.display());
}

#[test]
fn refuses_the_home_folder_and_its_parents() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    // The child's HOME is a folder of our own: never the real one.
    let homes = tmp.path().join("homes");
    let home = homes.join("alice");
    std::fs::create_dir_all(home.join("Documents")).unwrap();
    std::fs::write(home.join("Documents/letter.txt"), "Dear Bob,\n").unwrap();
    std::fs::write(
        home.join(".kroniek-output"),
        "a marker cannot make HOME fair game\n",
    )
    .unwrap();
    let reason = "it is your home folder or contains it";
    assert_refused(&site, &home, &home, &homes, reason);
    assert_refused(&site, &homes, &home, &homes, reason);
    // An empty home is refused as well: emptiness is no reason to take it.
    let empty = tmp.path().join("bob");
    std::fs::create_dir(&empty).unwrap();
    assert_refused(&site, &empty, &empty, &empty, reason);
    // The same folder under another HOME is an ordinary empty folder.
    let output = build(&site, &empty, Some(&home));
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn refuses_a_link_to_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let link = tmp.path().join("public");
    std::os::unix::fs::symlink(&site, &link).unwrap();
    assert_refused(
        &site,
        &link,
        tmp.path(),
        &site,
        "it is the site folder itself",
    );
}

/// A site big enough that writing it takes a while: `count` events with some text each.
fn big_site(into: &Path, count: usize) -> PathBuf {
    let site = good_site(into);
    let body = "The NCSC informed the ministry. ".repeat(40);
    for i in 0..count {
        std::fs::write(
            site.join(format!("content/2024-06-{:02}-e{i}.md", 1 + i % 28)),
            format!(
                "---\ntitle: \"Event {i}\"\norgs: [ncsc]\nsources:\n  - title: \"S{i}\"\n---\n{body}\n"
            ),
        )
        .unwrap();
    }
    site
}

#[test]
fn a_build_killed_while_writing_leaves_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tempfile::tempdir().unwrap();
    let small_site = good_site(small.path());
    let out = tmp.path().join("out");
    assert_eq!(build(&small_site, &out, None).status.code(), Some(0));
    let before = snapshot(&out);

    let site = big_site(tmp.path(), 3000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(&site)
        .arg("-o")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = tmp.path().join(format!(".out.kroniek-new-{}", child.id()));
    // Wait until the build has begun writing event pages into its temporary folder, then kill
    // it without warning (SIGKILL: no destructor, no clean-up runs).
    let started = Instant::now();
    let mut written = 0;
    while written == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be killed; make the site bigger"
        );
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the build never began writing"
        );
        written = std::fs::read_dir(staging.join("events")).map_or(0, |d| d.count());
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    assert_eq!(
        snapshot(&out),
        before,
        "the killed build touched the output"
    );
    assert!(
        staging.join(".kroniek-output").is_file(),
        "the killed build's folder is left behind, with the marker"
    );

    // The next build replaces the output and removes the dead build's folder.
    let next = build(&small_site, &out, None);
    assert_eq!(next.status.code(), Some(0), "{next:?}");
    assert_eq!(
        snapshot(&out),
        before,
        "the small site again, byte for byte"
    );
    assert_eq!(
        names_in(tmp.path()),
        ["out", "site"],
        "stale folders were left"
    );
}

/// A build killed inside the swap, between moving the old output aside and moving the new one
/// in, leaves no output folder, only the old one beside it. The next build puts it back first,
/// so that even a failed next build leaves the previous output where it was.
#[test]
fn an_output_left_aside_by_a_killed_swap_is_put_back() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let out = tmp.path().join("out");
    assert_eq!(build(&site, &out, None).status.code(), Some(0));
    let before = snapshot(&out);
    std::fs::rename(&out, tmp.path().join(".out.kroniek-old-999999")).unwrap();

    let event = site.join("content/2024-06-04-ncsc-warned.md");
    let text = std::fs::read_to_string(&event).unwrap();
    std::fs::write(&event, text.replace("orgs: [ncsc]", "orgs: [nsc]")).unwrap();
    let failed = build(&site, &out, None);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        snapshot(&out),
        before,
        "the previous output is back, as it was"
    );
    assert_eq!(names_in(tmp.path()), ["out", "site"]);
}
