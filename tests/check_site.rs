//! The example site, built, judged from the outside by `scripts/check-site`: the Nu HTML
//! Checker on every page, axe-core in headless Chromium, a link checker, feed and sitemap
//! checks. `scripts/test` installs its tools; if they are missing this test fails (check-site
//! exits 2), it never skips.

use std::path::Path;
use std::process::Command;

#[test]
fn example_site_passes_check_site() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("public");
    let build = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("build")
        .arg(root)
        .arg("-o")
        .arg(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );

    let check = Command::new(root.join("scripts/check-site"))
        .arg(&site)
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
