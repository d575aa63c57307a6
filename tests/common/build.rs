//! Running `kroniek build` from a test, through the real binary.

use std::path::Path;
use std::process::{Command, Output};

/// `kroniek build SITE -o OUT ARGS…`, run to the end: its exit status and what it printed,
/// for the test to judge.
pub fn build_output(site: &Path, out: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .args(args)
        .output()
        .unwrap()
}

/// The same, for a test that needs the built site: the build must succeed, or the test fails
/// with kroniek's messages.
pub fn build_into(site: &Path, out: &Path, args: &[&str]) {
    let run = build_output(site, out, args);
    assert!(
        run.status.success(),
        "kroniek build {} {args:?} failed:\n{}",
        site.display(),
        String::from_utf8_lossy(&run.stderr)
    );
}
