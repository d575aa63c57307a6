//! The example site, an internal build and a generated 1,000-event site, built, judged from the outside by
//! `scripts/check-site`: the Nu HTML Checker on every page, axe-core in headless Chromium, a
//! link checker, feed and sitemap checks. `scripts/test` installs its tools; if they are
//! missing this test fails (check-site exits 2), it never skips.

use std::path::Path;
use std::process::Command;

mod common;

use common::{assert_check_site_clean, build_into};

/// Builds `site` into a temporary folder with `args` and judges it with check-site: no errors,
/// no warnings, no axe violations.
fn passes_check_site(site: &Path, args: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_into(site, &public, args);
    assert_check_site_clean(&public);
}

#[test]
fn example_site_passes_check_site() {
    passes_check_site(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
}

/// The organisation's own version, with drafts: the banner that says it is not for publication
/// on every page, the marks on internal events and drafts, internal notes, all valid and
/// accessible (the banner's contrast in light mode is judged by axe).
#[test]
fn internal_build_with_drafts_passes_check_site() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rich");
    passes_check_site(&site, &["--audience", "internal", "--drafts"]);
}

/// 1,000 generated events of 12 organisations (`benches/gen-events.py`), with repeated titles,
/// long bodies and a crowded overview chart; its sources link elsewhere (another `base_url`).
#[test]
fn thousand_event_site_passes_check_site() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    let generate = Command::new("python3")
        .arg(root.join("benches/gen-events.py"))
        .args(["--events", "1000", "--orgs", "12"])
        .arg(site.path().join("content"))
        .output()
        .expect("python3 runs");
    assert!(
        generate.status.success(),
        "{}",
        String::from_utf8_lossy(&generate.stderr)
    );
    passes_check_site(
        site.path(),
        &["--base-url", "https://kroniek.example/timeline/"],
    );
}
