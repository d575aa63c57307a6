//! What the benchmarks share: the synthetic site they measure.

use std::path::Path;
use std::process::Command;

/// Writes `events` synthetic events of 12 organisations into `site/content` with
/// `benches/gen-events.py` (seed 1, so every run measures the same site). Fails loudly: a
/// benchmark of nothing would report nonsense.
pub fn generate(site: &Path, events: usize) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen-events.py");
    let output = Command::new("python3")
        .arg(&script)
        .args([
            "--events",
            &events.to_string(),
            "--orgs",
            "12",
            "--seed",
            "1",
        ])
        .arg(site.join("content"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "{} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}
