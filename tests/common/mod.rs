//! Helpers that several integration test files share, each written once: folders (copying a
//! fixture site, listing, snapshots: `files`), running a child within a time limit (`run`),
//! running `kroniek build` (`build`), reading built HTML (`html`), starting `kroniek serve`
//! ([`serve`]) and judging a built folder with `scripts/check-site`.
//!
//! Each test file that needs them says `mod common;`; a file uses only some of them. The
//! other shared module, `tests/harness/`, is not for this: it holds the invariants behind the
//! fuzz targets, which `fuzz/` includes and `tests/regressions.rs` replays; it does not run the
//! binary. A helper that two test files need goes here, not into either file.
//!
//! Nothing here may write outside the temporary folders it is given or makes, or leave a child
//! process running when a test fails (each is killed by its own handle, never by name).
#![allow(dead_code)]

mod build;
mod files;
mod html;
mod run;

// Each test file uses only some of these, so that an unused one is no warning there.
#[allow(unused_imports)]
pub use build::{build_into, build_output, Built};
#[cfg(unix)]
#[allow(unused_imports)]
pub use files::Restore;
#[allow(unused_imports)]
pub use files::{copy_dir, names_in, snapshot, temp_copy};
#[allow(unused_imports)]
pub use html::{sel, squashed};
#[allow(unused_imports)]
pub use run::{run_within, Finished};

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a test waits for the server to start.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Runs `scripts/check-site` on `folder` and fails the test unless it reports no error, no
/// warning and no axe-core violation.
pub fn assert_check_site_clean(folder: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-site");
    let check = Command::new(script)
        .arg(folder)
        .output()
        .expect("scripts/check-site runs (python3)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    assert_eq!(
        check.status.code(),
        Some(0),
        "check-site found problems:\n{report}"
    );
    assert!(report.contains("0 errors, 0 warnings"), "{report}");
    assert!(
        report.contains("axe-core: 0 critical, 0 serious, 0 moderate, 0 minor"),
        "{report}"
    );
}

/// A running `kroniek serve` on a site in a temporary folder; killed on drop, so a failing
/// test never leaves a server behind.
pub struct Server {
    pub child: Child,
    /// `127.0.0.1:<port>`.
    pub address: String,
    /// Every line the server printed so far (stdout and stderr).
    pub output: Arc<Mutex<Vec<String>>>,
    /// The temporary folder that holds `site`.
    pub dir: tempfile::TempDir,
    pub site: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `kroniek serve --port 0` on `site` (inside `dir`) and waits until it prints its
/// address.
pub fn serve(dir: tempfile::TempDir, site: PathBuf) -> Server {
    serve_with(dir, site, &[])
}

/// [`serve`] with more arguments (`--audience internal`).
#[allow(dead_code)] // not every test file that shares this module uses it
pub fn serve_with(dir: tempfile::TempDir, site: PathBuf, args: &[&str]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kroniek"));
    command
        .args([
            "serve".as_ref(),
            site.as_os_str(),
            "--port".as_ref(),
            "0".as_ref(),
        ])
        .args(args);
    serve_by(dir, site, command)
}

/// [`serve`] with file descriptors limited to `limit` (`ulimit -n`, through `sh`, which then
/// becomes the server: `exec`), so that a test can run the server out of them.
#[cfg(unix)]
pub fn serve_with_fd_limit(dir: tempfile::TempDir, site: PathBuf, limit: u32) -> Server {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!(
            "ulimit -n {limit} && exec \"$0\" serve \"$1\" --port 0"
        ))
        .arg(env!("CARGO_BIN_EXE_kroniek"))
        .arg(&site);
    serve_by(dir, site, command)
}

/// Starts `command` (a `kroniek serve` on `site`) and waits until it prints its address.
fn serve_by(dir: tempfile::TempDir, site: PathBuf, mut command: Command) -> Server {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = Arc::new(Mutex::new(Vec::new()));
    // Drain both pipes, so that the server never blocks on a full pipe.
    for pipe in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let output = Arc::clone(&output);
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                output.lock().unwrap().push(line);
            }
        });
    }
    let started = Instant::now();
    let address = loop {
        let found = output.lock().unwrap().iter().find_map(|l| {
            l.split("at http://")
                .nth(1)
                .map(|a| a.split('/').next().unwrap().to_string())
        });
        if let Some(address) = found {
            break address;
        }
        if started.elapsed() >= PATIENCE {
            // Kill the child before failing: the Server that would do it does not exist yet.
            let _ = child.kill();
            let _ = child.wait();
            panic!("server did not start: {:?}", output.lock().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Server {
        child,
        address,
        output,
        dir,
        site,
    }
}
