//! `KRONIEK_TIMINGS=1`: how long each stage took, on stderr. Measures and prints only; it must
//! never change what a run does.

use std::time::Instant;

/// With `KRONIEK_TIMINGS=1`, how long each stage took, on stderr, with the memory in use at
/// its end and the peak so far (on Linux): the figures behind the README's cost model.
pub fn timing(stage: &str, started: Instant) {
    if std::env::var_os("KRONIEK_TIMINGS").is_some() {
        eprintln!(
            "timing: {stage}: {:.1} ms{}",
            started.elapsed().as_secs_f64() * 1000.0,
            memory_in_use()
        );
    }
}

/// `, 120 MiB in use, 300 MiB peak` from `/proc/self/status`; empty where that is missing.
fn memory_in_use() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kib| kib / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(", {now} MiB in use, {peak} MiB peak"),
        _ => String::new(),
    }
}
