//! Footnote numbering scales linearly: one event with 10,000 and with 40,000 footnotes, rendered
//! side by side, alternately, 5 times each. Prints the medians and their ratio (linear: about
//! 4; the old numbering, which searched the definitions once per note, gave 10 to 16).
//!
//! `cargo bench --bench footnotes`. Under `cargo test` (no `--bench` argument) it renders one
//! small event once, so that the benchmark keeps compiling and working.

use kroniek::front_matter::split;
use kroniek::markdown::{render, Input};
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let benchmark = std::env::args().any(|a| a == "--bench");
    let (small, large, runs) = if benchmark {
        (10_000, 40_000, 5)
    } else {
        (100, 400, 1)
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        a.push(seconds(small));
        b.push(seconds(large));
    }
    let (a, b) = (median(&mut a), median(&mut b));
    println!(
        "footnotes: {small}: {a:.3} s, {large}: {b:.3} s, ratio {:.2} (linear: {})",
        b / a,
        large / small
    );
}

/// Seconds to render one event with `n` cited footnotes; panics if any note is lost.
fn seconds(n: usize) -> f64 {
    let cites: String = (0..n).map(|i| format!("Claim {i}[^n{i}].\n")).collect();
    let notes: String = (0..n).map(|i| format!("[^n{i}]: Note {i}.\n\n")).collect();
    let text = format!("---\ntitle: x\n---\n{cites}\n{notes}");
    let doc = split(PathBuf::from("content/2024-06-04-x.md"), text).expect("the event splits");
    let hidden = HashSet::new();
    let input = Input {
        doc: &doc,
        id_prefix: "x",
        sources: &[],
        internal_notes: false,
        internal_label: "INTERNAL",
        heading_offset: 3,
        link_root: "",
        hidden_events: &hidden,
    };
    let started = Instant::now();
    let mut problems = Vec::new();
    let body = render(&input, &mut problems);
    let elapsed = started.elapsed().as_secs_f64();
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(body.notes.len(), n);
    elapsed
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
