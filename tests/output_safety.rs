//! Where `kroniek build` and `kroniek export -o` may write, and what a killed, interrupted or
//! concurrent build leaves.
//!
//! The refusals of the site folder, its parents, `/`, its `content/`, a file and a non-empty
//! folder without kroniek's marker are in `tests/errors.rs` (`refuses_*`); here are the home
//! folder, a link to the site, a mount point, a link to nothing, two builds at once, a build
//! killed while it writes or deletes, Ctrl+C, and every kind of target an export may be given.
//! Every wait is bounded; no test depends on how fast the machine is, only on a large site
//! taking longer to write than a small command takes to start.

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::{names_in, run_within, snapshot, Finished};

/// The longest any one kroniek run in this file may take.
const LIMIT: Duration = Duration::from_secs(300);

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
    // Wait until the build has begun writing event pages into its temporary folder, then kill
    // it without warning (SIGKILL: no destructor, no clean-up runs).
    let staging = wait_until_writing(&mut child, tmp.path(), "out");
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

/// The staging folder of `child`'s build of `parent/name`, once event pages are being written
/// into it. Fails if the build ends first (the site is too small) or after [`LIMIT`].
fn wait_until_writing(child: &mut std::process::Child, parent: &Path, name: &str) -> PathBuf {
    let prefix = format!(".{name}.kroniek-new-{}-", child.id());
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be caught writing; make the site bigger"
        );
        assert!(started.elapsed() < LIMIT, "the build never began writing");
        let staging = std::fs::read_dir(parent)
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
            .map(|e| e.path());
        if let Some(staging) = staging {
            if std::fs::read_dir(staging.join("events")).is_ok_and(|mut d| d.next().is_some()) {
                return staging;
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn spawn_build(site: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits (at most [`LIMIT`]) for `child` to end: its exit code and what it printed on stderr.
fn finish(mut child: std::process::Child) -> (Option<i32>, String) {
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the build did not end within {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status.code(), reader.join().unwrap())
}

/// `kroniek ARGS…`, bounded by [`LIMIT`].
fn kroniek(args: &[&std::ffi::OsStr]) -> Finished {
    let run = run_within(
        Command::new(env!("CARGO_BIN_EXE_kroniek")).args(args),
        LIMIT,
    )
    .unwrap();
    assert!(run.status.is_some(), "kroniek {args:?} did not end");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn code(run: &Finished) -> Option<i32> {
    run.status.and_then(|s| s.code())
}

/// Two builds of one output at once: the second is refused while the first holds the lock, and
/// the first's output is whole. Before the lock, the second deleted the first's staging folder
/// as a leftover and the first swapped in a site with files and its marker missing.
#[test]
fn a_second_build_of_the_same_output_is_refused_and_the_first_is_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tempfile::tempdir().unwrap();
    let small_site = good_site(small.path());
    let site = big_site(tmp.path(), 3000);
    let reference = tmp.path().join("reference");
    assert_eq!(build(&site, &reference, None).status.code(), Some(0));
    let out = tmp.path().join("out");

    let mut first = spawn_build(&site, &out);
    wait_until_writing(&mut first, tmp.path(), "out");
    let second = kroniek(&[
        "build".as_ref(),
        small_site.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert_eq!(code(&second), Some(2), "{}", second.stderr);
    assert_eq!(
        second.stderr,
        format!(
            "error: another kroniek build is writing to {}; wait for it to finish, then build \
             again (it holds {})\n",
            out.display(),
            tmp.path().join(".out.kroniek-lock").display()
        )
    );
    let (code, stderr) = finish(first);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        snapshot(&out),
        snapshot(&reference),
        "the first build is whole"
    );
    assert!(out.join(".kroniek-output").is_file());
    assert_eq!(names_in(tmp.path()), ["out", "reference", "site"]);
}

/// Ctrl+C (SIGINT) during the write: the build removes its staging folder and its lock file,
/// says so, and exits 130; the previous output is as it was.
#[test]
fn a_build_interrupted_with_ctrl_c_leaves_the_output_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let small = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(
        build(&good_site(small.path()), &out, None).status.code(),
        Some(0)
    );
    let before = snapshot(&out);
    let site = big_site(tmp.path(), 3000);
    let mut child = spawn_build(&site, &out);
    wait_until_writing(&mut child, tmp.path(), "out");
    let signal = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(signal.success());
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(130), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "error: the build of {} was interrupted; the output was left as it was\n",
            out.display()
        )
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(names_in(tmp.path()), ["out", "site"]);
}

/// The names in `dir` that are a build's leftovers of `name`.
fn leftovers(dir: &Path, name: &str) -> Vec<String> {
    let prefix = format!(".{name}.kroniek-");
    names_in(dir)
        .into_iter()
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

/// SIGKILL while the old output is being deleted (after the new one is in place): the next
/// build deletes what is left. Before, the deletion removed the marker at some random point,
/// and what was left then was never removed (30 kills: 13 folders, ~560 MB).
#[test]
fn a_build_killed_while_deleting_the_old_output_leaves_no_trash_after_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let site = big_site(tmp.path(), 3000);
    let out = tmp.path().join("out");
    assert_eq!(build(&site, &out, None).status.code(), Some(0));
    // The moment is short: try a few builds until one is caught in it.
    let mut caught = false;
    for _ in 0..5 {
        let mut child = spawn_build(&site, &out);
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() && started.elapsed() < LIMIT {
            let deleting = leftovers(tmp.path(), "out")
                .iter()
                .any(|n| n.contains("-trash-") || n.contains("-old-"));
            if deleting && out.join("index.html").is_file() {
                child.kill().unwrap();
                caught = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
        finish(child);
        if caught {
            break;
        }
    }
    assert!(caught, "no build was caught deleting its old output");
    let small = tempfile::tempdir().unwrap();
    let next = build(&good_site(small.path()), &out, None);
    assert_eq!(next.status.code(), Some(0), "{next:?}");
    assert_eq!(leftovers(tmp.path(), "out"), Vec::<String>::new());
}

/// What a kill leaves in each moment of a build, made by hand: a half-deleted trash folder
/// (marker still in it), an old output whose deletion never began, a staging folder killed
/// before its marker was written, and a lock file. The next build removes them all and keeps
/// what is not kroniek's.
#[test]
fn the_next_build_removes_what_every_kind_of_kill_leaves() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let out = tmp.path().join("out");
    assert_eq!(build(&site, &out, None).status.code(), Some(0));
    let copy = |to: &str| {
        common::copy_dir(&out, &tmp.path().join(to));
    };
    copy(".out.kroniek-trash-999999-0");
    std::fs::remove_dir_all(tmp.path().join(".out.kroniek-trash-999999-0/events")).unwrap();
    copy(".out.kroniek-old-999999-1");
    std::fs::create_dir(tmp.path().join(".out.kroniek-new-999999-2")).unwrap();
    std::fs::write(tmp.path().join(".out.kroniek-lock"), "").unwrap();
    let foreign = tmp.path().join(".out.kroniek-trash-mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();

    let next = build(&site, &out, None);
    assert_eq!(next.status.code(), Some(0), "{next:?}");
    assert_eq!(
        names_in(tmp.path()),
        [".out.kroniek-trash-mine", "out", "site"],
        "a folder without the marker that is not empty is never deleted"
    );
}

/// A mount point cannot be renamed, so no build could be swapped in: refused before anything
/// is written, with what to do instead. Before, it failed at the end with "Device or resource
/// busy" and left its staging folder behind.
#[test]
fn refuses_a_mount_point() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    // `/proc` is a mount point on every Linux; the build only looks at it.
    let proc = Path::new("/proc");
    let output = build(&site, proc, Some(tmp.path()));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: refusing to write to /proc: it is a mount point, which kroniek cannot replace (a \
         build is put in place by renaming the output folder); build into a folder inside it, \
         such as /proc/public\n"
    );
}

#[test]
fn refuses_a_link_to_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(tmp.path().join("missing"), &link).unwrap();
    assert_refused(
        &site,
        &link,
        tmp.path(),
        tmp.path(),
        "it is a link to a folder that does not exist; create that folder or remove the link",
    );
}

/// A link to an output folder: the folder it points to is replaced, the link stays.
#[test]
fn a_linked_output_folder_is_replaced_where_it_points() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let real = tmp.path().join("real");
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    std::fs::create_dir(&real).unwrap();
    for _ in 0..2 {
        let run = build(&site, &link, None);
        assert_eq!(run.status.code(), Some(0), "{run:?}");
    }
    assert!(link.is_symlink());
    assert!(real.join("index.html").is_file() && real.join(".kroniek-output").is_file());
    assert_eq!(names_in(tmp.path()), ["out", "real", "site"]);
}

// ---------------------------------------------------------------------------------------------
// `kroniek export -o PATH`

/// `kroniek export SITE --format markdown -o TARGET`, bounded.
fn export_to(site: &Path, target: &Path) -> Finished {
    kroniek(&[
        "export".as_ref(),
        site.as_os_str(),
        "--format".as_ref(),
        "markdown".as_ref(),
        "-o".as_ref(),
        target.as_os_str(),
    ])
}

/// The Markdown export of `site`, from standard output.
fn export_bytes(site: &Path) -> String {
    let run = kroniek(&[
        "export".as_ref(),
        site.as_os_str(),
        "--format".as_ref(),
        "markdown".as_ref(),
    ]);
    assert_eq!(code(&run), Some(0), "{}", run.stderr);
    run.stdout
}

fn file_type(path: &Path) -> std::fs::FileType {
    std::fs::symlink_metadata(path).unwrap().file_type()
}

/// A named pipe is written into, as `> pipe` would: it stays a pipe. Before, it was replaced by
/// a regular file.
#[test]
fn export_into_a_named_pipe_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let fifo = tmp.path().join("pipe");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let (sender, received) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    // Opening a pipe waits for the other end: the reader waits here, on its own thread.
    std::thread::spawn(move || {
        let _ = sender.send(std::fs::read_to_string(&reader));
    });
    let run = export_to(&site, &fifo);
    assert_eq!(code(&run), Some(0), "{}", run.stderr);
    let text = received.recv_timeout(LIMIT).unwrap().unwrap();
    assert_eq!(text, export_bytes(&site));
    assert!(file_type(&fifo).is_fifo(), "the pipe is still a pipe");
    assert_eq!(names_in(tmp.path()), ["pipe", "site"]);
}

/// `/dev/null` is written into and stays the character device it is (the test runs as root;
/// before, this turned `/dev/null` into a regular file).
#[test]
fn export_to_dev_null_leaves_it_a_character_device() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let null = Path::new("/dev/null");
    assert!(file_type(null).is_char_device());
    let run = export_to(&site, null);
    assert_eq!(code(&run), Some(0), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        file_type(null).is_char_device(),
        "/dev/null is still a device"
    );
}

/// `-o /dev/stdout` is standard output, and the link stays a link. Before, the link was
/// replaced by a file and nothing was printed.
#[test]
fn export_to_dev_stdout_prints_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let stdout = Path::new("/dev/stdout");
    let was_link = stdout.is_symlink();
    let run = export_to(&site, stdout);
    assert_eq!(code(&run), Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, export_bytes(&site));
    assert_eq!(stdout.is_symlink(), was_link);
}

/// A link planted where the temporary file used to go (`.NAME.kroniek-PID`, a guessable name)
/// is not followed: the file it points to is untouched. Before, the export was written through
/// the link.
#[test]
fn export_follows_no_link_planted_at_a_temporary_name() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let target = tmp.path().join("export.md");
    let child = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .args([
            "export".as_ref(),
            site.as_os_str(),
            "--format".as_ref(),
            "markdown".as_ref(),
        ])
        .arg("-o")
        .arg(&target)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The attacker's move, made while the export is still loading the site.
    let planted = tmp
        .path()
        .join(format!(".export.md.kroniek-{}", child.id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        export_bytes(&site)
    );
    assert!(planted.is_symlink(), "the planted link is left alone");
}

/// A file that only its owner may read stays so when an export replaces it (an internal export
/// is often kept 0600); its owner stays too. Before, it became 0644 and root's.
#[test]
fn export_keeps_the_mode_and_owner_of_the_file_it_replaces() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let target = tmp.path().join("internal.md");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    // Give it to another user where the test may (as root); otherwise it stays the test's own.
    let _ = std::os::unix::fs::chown(&target, Some(4321), Some(4321));
    let owner = std::fs::metadata(&target).unwrap().uid();
    let run = export_to(&site, &target);
    assert_eq!(code(&run), Some(0), "{}", run.stderr);
    let meta = std::fs::metadata(&target).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o600);
    assert_eq!(meta.uid(), owner);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        export_bytes(&site)
    );
}

/// `-o` inside the site's `content/` or `theme/`, directly or through a link, is refused
/// before anything is exported, and the site is as it was. Before, `-o content/_index.md`
/// overwrote the site's own source.
#[test]
fn export_refuses_the_sites_content_and_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    std::fs::create_dir(site.join("theme")).unwrap();
    let link = tmp.path().join("sources");
    std::os::unix::fs::symlink(site.join("content"), &link).unwrap();
    let before = snapshot(&site);
    for (target, inner) in [
        (site.join("content/_index.md"), "content"),
        (link.join("_index.md"), "content"),
        (site.join("content/new.md"), "content"),
        (site.join("theme/x"), "theme"),
    ] {
        let run = export_to(&site, &target);
        assert_eq!(code(&run), Some(2), "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: refusing to write to {}: it is inside the site's `{inner}` folder, which \
                 kroniek reads\n",
                target.display()
            )
        );
        assert!(run.stdout.is_empty());
    }
    assert_eq!(snapshot(&site), before);
}

#[test]
fn export_refuses_a_folder_and_names_a_missing_one() {
    let tmp = tempfile::tempdir().unwrap();
    let site = good_site(tmp.path());
    let folder = tmp.path().join("exports");
    std::fs::create_dir(&folder).unwrap();
    let run = export_to(&site, &folder);
    assert_eq!(code(&run), Some(2));
    assert_eq!(
        run.stderr,
        format!(
            "error: refusing to write to {}: it is a folder; name a file\n",
            folder.display()
        )
    );
    let missing = tmp.path().join("no/such/folder.md");
    let run = export_to(&site, &missing);
    assert_eq!(code(&run), Some(1));
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot write {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
    assert_eq!(names_in(tmp.path()), ["exports", "site"]);
    assert!(names_in(&folder).is_empty());
}
