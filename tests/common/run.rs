//! Running a child process to its end within a time limit, its output read in full.
//!
//! Both pipes are drained on their own threads while the child runs, so that a chatty child
//! never blocks on a full pipe; a child past its limit is killed by its own handle (never by
//! name) and reaped. What a test then asserts about the run (no panic, an exit code, the
//! messages) stays in the test file: this module only runs.

use std::io::Read;
use std::process::{Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a child did, read to the end.
pub struct Finished {
    /// `None` when it was killed at the time limit.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` with no standard input and its output captured, killing it after `limit`.
/// An error only when it cannot be started (the caller says what is missing).
pub fn run_within(command: &mut Command, limit: Duration) -> std::io::Result<Finished> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let out = drain(child.stdout.take().unwrap());
    let err = drain(child.stderr.take().unwrap());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Ok(Finished {
        status,
        stdout: text(out),
        stderr: text(err),
    })
}

/// Reads `pipe` to its end on a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    })
}

/// What a drained pipe held, as text (invalid UTF-8 replaced).
fn text(pipe: JoinHandle<Vec<u8>>) -> String {
    String::from_utf8_lossy(&pipe.join().unwrap()).into_owned()
}
