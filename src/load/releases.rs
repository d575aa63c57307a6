//! The release records of `SITE/releases/`: `1.json`, `2.json`, … as text, in order.
//!
//! Read like content: never through a symlink out of the site, never more than the size limit.
//! This module reads bytes only; what a record says is the model's to judge
//! (`model::release`). It never writes: `kroniek release` does (`record::write_release`).

use super::{decode, links, size};
use crate::diagnostics::Problem;
use std::path::{Path, PathBuf};

/// The folder of release records, inside the site folder.
pub const FOLDER: &str = "releases";

/// One release record as read: its number (from its name), its path as shown, and its text.
#[derive(Debug, Clone)]
pub struct ReleaseFile {
    pub number: u32,
    pub file: PathBuf,
    pub text: String,
}

/// Every `N.json` of `SITE/releases/`, by number. Other files there are left alone (a README),
/// except a `.json` file that is not named by a release number, which is a mistake worth a
/// warning.
pub fn read(site: &Path, limit: u64, problems: &mut Vec<Problem>) -> Vec<ReleaseFile> {
    let root = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let folder = root.join(FOLDER);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    if !links::resolves_inside(&root, &folder) {
        problems.push(links::leaves_folder(&root, &root.join(FOLDER), "site"));
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let relative = Path::new(FOLDER).join(name);
        let number = stem
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0 && n.to_string() == stem);
        let Some(number) = number else {
            problems.push(
                Problem::file_error(
                    &relative,
                    "release-file-name",
                    "not a release record: records are named by their number (`1.json`, `2.json`, …)",
                )
                .with_hint("kroniek release writes them; move other files out of releases/")
                .warning(),
            );
            continue;
        };
        if !links::resolves_inside(&root, &entry.path()) {
            problems.push(links::leaves_folder(&root, &entry.path(), "releases"));
            continue;
        }
        match size::read_limited(&entry.path(), &relative, limit)
            .and_then(|bytes| decode(&relative, bytes))
        {
            Ok(text) => found.push(ReleaseFile {
                number,
                file: relative,
                text,
            }),
            Err(problem) => problems.push(problem),
        }
    }
    found.sort_by_key(|r| r.number);
    found
}
