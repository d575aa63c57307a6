//! Watches a site for changes and rebuilds the preview.
//!
//! notify reports file events on a channel; one thread waits for a change, then for a short
//! quiet time (a burst of saves becomes one rebuild), skips editor leftovers and rebuilds.
//! Events that only say a file was opened or read are ignored: the build itself reads files,
//! and must not set off the next build. Editors that save by writing a new file and renaming it
//! over the old one (vim, VS Code) are seen as a create or rename in the watched folder.
//!
//! A watch follows a folder, not its name: when `content/` or `theme/` is removed and made anew
//! (`git checkout`, `rsync --delete`, a move over it), the old watch is gone with it. The site
//! folder itself is watched too, so any event that names `content` or `theme` themselves sets
//! up their watch again, before the rebuild that reads them. This module must never let a
//! build start before the watches it depends on are in place.

use super::preview::Preview;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// Quiet time after the last event of a burst before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Starts watching `site` in a thread of its own, which rebuilds `preview` after each burst of
/// changes, for as long as the process runs.
pub fn start(site: &Path, preview: Arc<Preview>) -> notify::Result<()> {
    let (sender, receiver) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(sender)?;
    let site = site.canonicalize()?;
    let content = site.join("content");
    let theme = site.join("theme");
    // The release records: a new release changes the changes page and what counts as changed.
    let releases = site.join(crate::load::releases::FOLDER);
    watcher.watch(&content, RecursiveMode::Recursive)?;
    // The site folder itself, not its children: notices `content/`, `theme/` and `releases/`
    // (re)appearing.
    watcher.watch(&site, RecursiveMode::NonRecursive)?;
    for folder in [&theme, &releases] {
        if folder.is_dir() {
            rewatch(&mut watcher, folder);
        }
    }
    let inputs = [content, theme, releases];
    std::thread::spawn(move || {
        let changes = |event: notify::Result<Event>| -> Vec<PathBuf> {
            match event {
                Ok(event) if !matches!(event.kind, EventKind::Access(_)) => event.paths,
                _ => Vec::new(),
            }
        };
        while let Ok(first) = receiver.recv() {
            let mut changed = changes(first);
            if changed.is_empty() {
                continue;
            }
            // Wait until the files have been quiet for a moment.
            while let Ok(more) = receiver.recv_timeout(DEBOUNCE) {
                changed.extend(changes(more));
            }
            for folder in &inputs {
                if changed.contains(folder) {
                    rewatch(&mut watcher, folder);
                }
            }
            changed.sort();
            changed.dedup();
            let relevant: Vec<&PathBuf> = changed
                .iter()
                .filter(|p| is_site_input(p, &inputs))
                .collect();
            let reason = match relevant.as_slice() {
                [] => continue,
                [one] => format!("{} changed", shown(one, &site)),
                many => format!("{} files changed", many.len()),
            };
            preview.rebuild(Some(&reason));
        }
    });
    Ok(())
}

/// Watches `folder` afresh: the watch of a folder that was removed (or moved away) is dropped,
/// and the folder now at that path, if any, is watched. A failure (the system's limit of
/// watches, say) leaves the folder unwatched until its next event here, and is said.
fn rewatch(watcher: &mut impl Watcher, folder: &Path) {
    if let Some(warning) = watch_again(watcher, folder) {
        eprintln!("{warning}");
    }
}

/// [`rewatch`]'s work; the warning to print if it failed.
fn watch_again(watcher: &mut impl Watcher, folder: &Path) -> Option<String> {
    // The old watch may be gone already (inotify drops it with the folder): no matter.
    let _ = watcher.unwatch(folder);
    if !folder.is_dir() {
        return None;
    }
    let e = watcher.watch(folder, RecursiveMode::Recursive).err()?;
    Some(format!(
        "warning: cannot watch {} for changes: {e}; edits in it are not seen until it is made anew",
        folder.display()
    ))
}

/// Files under one of the site's input folders (`content/`, `theme/`, `releases/`), but not
/// editor leftovers (`.x.swp`, `x~`, `#x#`, vim's `4913` probe).
fn is_site_input(path: &Path, folders: &[PathBuf]) -> bool {
    let inside = folders.iter().any(|folder| path.starts_with(folder));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let leftover = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913";
    inside && !leftover
}

fn shown(path: &Path, site: &Path) -> String {
    crate::diagnostics::display_path(path.strip_prefix(site).unwrap_or(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A watcher that refuses every watch, as one past the system's limit of watches does.
    struct Refusing;

    impl Watcher for Refusing {
        fn new<F: notify::EventHandler>(_: F, _: notify::Config) -> notify::Result<Self> {
            Ok(Refusing)
        }
        fn watch(&mut self, _: &Path, _: RecursiveMode) -> notify::Result<()> {
            Err(notify::Error::generic("no more watches"))
        }
        fn unwatch(&mut self, _: &Path) -> notify::Result<()> {
            Err(notify::Error::watch_not_found())
        }
        fn kind() -> notify::WatcherKind {
            notify::WatcherKind::NullWatcher
        }
    }

    #[test]
    fn a_folder_that_cannot_be_watched_again_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let warning = watch_again(&mut Refusing, dir.path()).unwrap();
        assert_eq!(
            warning,
            format!(
                "warning: cannot watch {} for changes: no more watches; edits in it are not seen until it is made anew",
                dir.path().display()
            )
        );
        // A folder that is gone is not watched, and that is no failure.
        assert_eq!(watch_again(&mut Refusing, &dir.path().join("gone")), None);
    }

    #[test]
    fn only_site_inputs_trigger_rebuilds() {
        let inputs = ["/s/content", "/s/theme", "/s/releases"].map(PathBuf::from);
        let input = |path: &str| is_site_input(Path::new(path), &inputs);
        assert!(input("/s/content/2024-06-04-x.md"));
        assert!(input("/s/theme/static/style.css"));
        assert!(input("/s/theme"));
        assert!(input("/s/releases/2.json"));
        assert!(!input("/s/public/index.html"));
        assert!(!input("/s/content/.x.md.swp"));
        assert!(!input("/s/content/x.md~"));
        assert!(!input("/s/content/4913"));
    }
}
