//! The pipeline's stages one by one, through the public library API, on a 1,000-event site
//! generated once per run by `benches/gen-events.py --orgs 12` (needs python3):
//!
//! - `load`: walk `content/`, read every file, split front matter from Markdown;
//! - `model`: `load` plus `model::build` (`kroniek::compile`): typed, validated, sorted events;
//! - `markdown`: every public event's Markdown to HTML (`render::render_bodies`);
//! - `render`: every page, the feed and the data into `Sink::discard()` (no disk);
//! - `build`: all of `kroniek::build`, into an output folder on `/dev/shm` (else a tempdir).
//!
//! No cache: each iteration does the stage's whole work, as a fresh `kroniek build` does.
//! Throughput is in events (the site's events, public or not).
//!
//! `cargo bench --bench stages` (or `cargo bench --bench stages -- render` for one stage).

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use kroniek::audience::Audience;
use kroniek::diagnostics::{render_text, Problem};
use kroniek::model::{Event, Timeline};
use kroniek::theme::Theme;
use kroniek::{load, render, write, BuildOptions, Failure};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

mod support;
use support::generate;

const EVENTS: usize = 1000;

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder for the generated site");
    let site = dir.path().join("site");
    generate(&site, EVENTS);

    // One run of each stage outside the measurements, so that a broken site or stage fails
    // here with its problems printed, not somewhere inside criterion's loop.
    let timeline = compile(&site);
    assert_eq!(
        timeline.events.len(),
        EVENTS,
        "the generated site should have {EVENTS} events"
    );
    let audience = Audience::PUBLIC;
    let public: Vec<&Event> = timeline
        .events
        .iter()
        .filter(|e| audience.sees(e))
        .collect();
    assert!(!public.is_empty(), "the generated site has no public event");
    let theme = Theme::for_site(&site);
    let hidden = render::hidden_events(&timeline, audience);
    let settings = render::Settings {
        audience,
        base_url: timeline.site.base_url.as_deref(),
        theme: &theme,
        hidden_events: &hidden,
    };
    let output_base = output_base();
    let options = BuildOptions {
        site: site.clone(),
        output: Some(output_base.path().join("public")),
        base_url: None,
        audience,
    };
    let report = build(&options);
    assert_eq!(
        report.events,
        public.len(),
        "build shows every public event"
    );
    println!(
        "stages: {EVENTS} events ({} public), {} files, output in {}",
        public.len(),
        report.files,
        output_base.path().display()
    );

    let mut group = c.benchmark_group("stages");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(EVENTS as u64));

    group.bench_function("load", |b| {
        b.iter(|| {
            let (content, problems) = load::load(black_box(&site), None);
            fail_on_errors("load", &problems);
            content
        })
    });
    group.bench_function("model", |b| b.iter(|| compile(black_box(&site))));
    group.bench_function("markdown", |b| {
        b.iter(|| {
            let (bodies, problems) =
                render::render_bodies(black_box(&public), &timeline, audience, &hidden, None);
            fail_on_errors("markdown", &problems);
            bodies
        })
    });
    // A render or build takes a few hundred milliseconds: the same number of iterations in
    // every sample, so that ten samples fit in the measurement time.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("render", |b| {
        b.iter(|| {
            let sink = write::Sink::discard();
            render::render(black_box(&timeline), &settings, None, &sink)
                .unwrap_or_else(|problems| fail("render", &problems));
            sink.count()
        })
    });
    group.bench_function("build", |b| b.iter(|| build(black_box(&options))));
    group.finish();
}

/// `kroniek::compile`; panics on any error.
fn compile(site: &Path) -> Timeline {
    let (timeline, problems) = kroniek::compile(site, None);
    fail_on_errors("model", &problems);
    timeline.unwrap_or_else(|| fail("model", &problems))
}

/// `kroniek::build`; panics on any failure.
fn build(options: &BuildOptions) -> kroniek::BuildReport {
    match kroniek::build(options) {
        Ok(report) => report,
        Err(Failure::Content(problems)) => fail("build", &problems),
        Err(other) => panic!("stage `build` failed: {other}"),
    }
}

fn fail_on_errors(stage: &str, problems: &[Problem]) {
    if problems.iter().any(Problem::is_error) {
        fail(stage, problems);
    }
}

fn fail(stage: &str, problems: &[Problem]) -> ! {
    let text: String = problems
        .iter()
        .filter(|p| p.is_error())
        .map(render_text)
        .collect();
    panic!("stage `{stage}` failed on the generated site:\n{text}");
}

/// The build's output goes on tmpfs where there is one, so that `build` measures kroniek more
/// than the disk.
fn output_base() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let made = if shm.is_dir() {
        tempfile::Builder::new()
            .prefix("kroniek-bench-")
            .tempdir_in(shm)
    } else {
        tempfile::tempdir()
    };
    made.expect("a temporary folder for the build's output")
}

criterion_group!(benches, stages);
criterion_main!(benches);
