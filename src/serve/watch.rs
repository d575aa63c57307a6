//! Watches a site for changes and rebuilds the preview.
//!
//! notify reports file events on a channel; one thread waits for a change, then for a short
//! quiet time (a burst of saves becomes one rebuild), skips editor leftovers and rebuilds.
//! Events that only say a file was opened or read are ignored: the build itself reads files,
//! and must not set off the next build. Editors that save by writing a new file and renaming it
//! over the old one (vim, VS Code) are seen as a create or rename in the watched folder.

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
    watcher.watch(&content, RecursiveMode::Recursive)?;
    // The site folder itself, not its children: notices `theme/` appearing.
    watcher.watch(&site, RecursiveMode::NonRecursive)?;
    let mut theme_watched =
        theme.is_dir() && watcher.watch(&theme, RecursiveMode::Recursive).is_ok();
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
            if !theme_watched && theme.is_dir() {
                theme_watched = watcher.watch(&theme, RecursiveMode::Recursive).is_ok();
            }
            changed.sort();
            changed.dedup();
            let relevant: Vec<&PathBuf> = changed
                .iter()
                .filter(|p| is_site_input(p, &content, &theme))
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

/// Files under `content/` or `theme/`, but not editor leftovers (`.x.swp`, `x~`, `#x#`, vim's
/// `4913` probe).
fn is_site_input(path: &Path, content: &Path, theme: &Path) -> bool {
    let inside =
        path.starts_with(content) || path.starts_with(theme) || path == content || path == theme;
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

    #[test]
    fn only_site_inputs_trigger_rebuilds() {
        let content = Path::new("/s/content");
        let theme = Path::new("/s/theme");
        assert!(is_site_input(
            Path::new("/s/content/2024-06-04-x.md"),
            content,
            theme
        ));
        assert!(is_site_input(
            Path::new("/s/theme/static/style.css"),
            content,
            theme
        ));
        assert!(is_site_input(Path::new("/s/theme"), content, theme));
        assert!(!is_site_input(
            Path::new("/s/public/index.html"),
            content,
            theme
        ));
        assert!(!is_site_input(
            Path::new("/s/content/.x.md.swp"),
            content,
            theme
        ));
        assert!(!is_site_input(
            Path::new("/s/content/x.md~"),
            content,
            theme
        ));
        assert!(!is_site_input(Path::new("/s/content/4913"), content, theme));
    }
}
