//! Running `kroniek build` from a test, through the real binary, and reading what it built.

use scraper::Html;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A built site in a temporary folder, which goes when this is dropped. A test file adds the
/// questions only it asks in an `impl Built` of its own.
pub struct Built {
    /// Keeps the temporary folder (which may hold the site as well as the output).
    pub _dir: tempfile::TempDir,
    /// The output folder.
    pub out: PathBuf,
}

impl Built {
    /// The built file `path` (relative to the output folder), as text.
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    /// The built page `path`, parsed.
    pub fn html(&self, path: &str) -> Html {
        Html::parse_document(&self.read(path))
    }
}

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
