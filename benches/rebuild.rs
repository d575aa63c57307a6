//! The preview's rebuild after one edit: a 1,000-event site (`gen-events.py`), rendered once
//! to fill the cache, then one event file changed and the site rendered again, as `serve` does.
//! Prints the median and range of the rebuild over 21 edits, beside a full render without cache
//! measured in the same run.
//!
//! `cargo bench --bench rebuild` (needs python3; the generator is `benches/gen-events.py`).

use kroniek::audience::Audience;
use kroniek::pipeline::Memos;
use kroniek::serve::PreviewMemo;
use kroniek::{render_site, BuildOptions};
use std::path::Path;
use std::time::{Duration, Instant};

mod support;
use support::generate;

const EVENTS: usize = 1000;
const RUNS: usize = 21;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    generate(&site, EVENTS);
    let options = BuildOptions {
        site: site.clone(),
        output: None,
        base_url: None,
        audience: Audience {
            drafts: true,
            ..Audience::default()
        },
    };
    let edited = pick_event(&site);
    let original = std::fs::read_to_string(&edited).unwrap();

    let cache = PreviewMemo::new();
    cache.start_run();
    render_site(&options, &cache.memos()).expect("the generated site builds");
    cache.finish_run();

    let mut rebuilds = Vec::new();
    let mut full = Vec::new();
    for run in 0..RUNS {
        // An edit of the body, as an author makes it; the file's size changes too.
        std::fs::write(&edited, format!("{original}\nEdit number {run}.\n")).unwrap();
        let started = Instant::now();
        cache.start_run();
        let site = render_site(&options, &cache.memos()).expect("rebuild");
        cache.finish_run();
        rebuilds.push(started.elapsed());
        assert_eq!(site.events, EVENTS);

        let started = Instant::now();
        render_site(&options, &Memos::FRESH).expect("full render");
        full.push(started.elapsed());
    }
    report("rebuild after editing one event (cache)", &mut rebuilds);
    report("full render, no cache", &mut full);
    println!(
        "cache entries (files, events, bodies, fragments): {:?}",
        cache.sizes()
    );
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: median {:.1} ms (min {:.1}, max {:.1}) over {} runs, {EVENTS} events",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn pick_event(site: &Path) -> std::path::PathBuf {
    let mut files: Vec<_> = walkdir::WalkDir::new(site.join("content/events"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files[files.len() / 2].clone()
}
