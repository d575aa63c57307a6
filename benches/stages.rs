//! The pipeline's stages one by one, through the public library API, on a 1,000-event site
//! generated once per run by `benches/gen-events.py --orgs 12` (needs python3):
//!
//! - `load`: walk `content/`, read every file, split front matter from Markdown;
//! - `model`: `load` plus `model::build` (`kroniek::compile`): typed, validated, sorted events;
//! - `markdown`: every public event's Markdown to HTML (`render::bodies`);
//! - `render`: every page, the feed and the data of the public view into `Sink::discard()` (no disk);
//! - `build`: all of `kroniek::build`, into an output folder on `/dev/shm` (else a tempdir).
//!
//! No cache: each iteration does the stage's whole work, as a fresh `kroniek build` does.
//! Throughput is in events (the site's events, public or not).
//!
//! `cargo bench --bench stages` (or `cargo bench --bench stages -- render` for one stage).

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use kroniek::audience::{Audience, View};
use kroniek::cache::Fresh;
use kroniek::diagnostics::{render_text, Problem};
use kroniek::model::Timeline;
use kroniek::output::Sink;
use kroniek::theme::Theme;
use kroniek::{load, render, BuildOptions, Failure};
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
    let view = View::of(timeline.clone(), audience);
    let public = view.events().len();
    assert!(public > 0, "the generated site has no public event");
    let (bodies, problems) = markdown(&view);
    fail_on_errors("markdown", &problems);
    let theme = Theme::for_site(&site);
    let settings = render::Settings {
        base_url: timeline.site.base_url.as_deref(),
        theme: &theme,
    };
    let output_base = output_base();
    let options = BuildOptions {
        site: site.clone(),
        output: Some(output_base.path().join("public")),
        base_url: None,
        audience,
    };
    let report = build(&options);
    assert_eq!(report.events, public, "build shows every public event");
    println!(
        "stages: {EVENTS} events ({} public), {} files, output in {}",
        public,
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
            let (content, problems) = load::load(black_box(&site), &Fresh);
            fail_on_errors("load", &problems);
            content
        })
    });
    group.bench_function("model", |b| b.iter(|| compile(black_box(&site))));
    group.bench_function("markdown", |b| {
        b.iter(|| {
            let (bodies, problems) = markdown(black_box(&view));
            fail_on_errors("markdown", &problems);
            bodies
        })
    });
    // A render or build takes a few hundred milliseconds: the same number of iterations in
    // every sample, so that ten samples fit in the measurement time.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("render", |b| {
        b.iter(|| {
            let sink = Sink::discard();
            render::pages(
                black_box(&view),
                &bodies,
                &settings,
                (&Fresh, &Fresh),
                &sink,
            )
            .unwrap_or_else(|problems| fail("render", &problems));
            sink.count()
        })
    });
    group.bench_function("build", |b| b.iter(|| build(black_box(&options))));
    group.finish();
}

/// `kroniek::compile`; panics on any error.
fn compile(site: &Path) -> Timeline {
    let (timeline, problems) = kroniek::compile(site);
    fail_on_errors("model", &problems);
    timeline.unwrap_or_else(|| fail("model", &problems))
}

/// Every Markdown body of the view.
fn markdown(view: &View) -> (render::Bodies, Vec<Problem>) {
    let mut problems = Vec::new();
    let bodies = render::bodies(view, &Fresh, &mut problems);
    (bodies, problems)
}

/// `kroniek::build`; panics on any failure.
fn build(options: &BuildOptions) -> kroniek::BuildReport {
    match kroniek::build(options) {
        Ok(report) => report,
        Err(Failure::Content {
            errors: problems, ..
        }) => fail("build", &problems),
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
