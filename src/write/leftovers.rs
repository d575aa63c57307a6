//! The folders a build makes beside its output, and the clean-up of those that a killed build
//! left: `.public.kroniek-new-*` (a staging folder), `.public.kroniek-old-*` (the previous
//! output, moved aside for a moment during the swap) and `.public.kroniek-trash-*` (a folder
//! being deleted). A folder is deleted by first renaming it to a trash name and then removing
//! its marker last, so that whenever a kill stops the deletion, what is left still carries the
//! marker (or is empty) and the next build finishes the job. Runs only under the output's
//! lock, when no other build can be using these folders. It must never delete a folder that
//! carries neither the marker nor is empty: that may be the user's.

use super::MARKER;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What a leftover folder is, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A staging folder.
    New,
    /// The previous output, moved aside during a swap.
    Old,
    /// A folder being deleted.
    Trash,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::New => "new",
            Kind::Old => "old",
            Kind::Trash => "trash",
        }
    }
}

/// A fresh name for a folder of `kind` beside the output named `name`: this process's id and a
/// counter, so that no two folders of one run share a name.
pub(crate) fn name_for(parent: &Path, name: &str, kind: Kind) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let word = kind.word();
    parent.join(format!(".{name}.kroniek-{word}-{}-{n}", std::process::id()))
}

/// The kind of the leftover `file_name` beside the output named `name`, if it is one.
fn kind_of(file_name: &str, name: &str) -> Option<Kind> {
    let rest = file_name.strip_prefix(&format!(".{name}.kroniek-"))?;
    [Kind::New, Kind::Old, Kind::Trash]
        .into_iter()
        .find(|kind| rest.starts_with(&format!("{}-", kind.word())))
}

/// Whether kroniek may delete `folder`: it carries the marker, or it is empty.
fn ours(folder: &Path) -> bool {
    folder.join(MARKER).is_file() || std::fs::read_dir(folder).is_ok_and(|mut d| d.next().is_none())
}

/// Deletes `folder` (ours): renamed to a trash name first, its marker removed last. Errors are
/// left for the next build's [`clean`] to retry.
pub(crate) fn discard(folder: &Path, parent: &Path, name: &str) {
    let trash = name_for(parent, name, Kind::Trash);
    if std::fs::rename(folder, &trash).is_ok() {
        delete_marker_last(&trash);
    }
}

/// Removes everything in `folder` but its marker, then the marker, then the folder.
fn delete_marker_last(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
    }
    let _ = std::fs::remove_file(folder.join(MARKER));
    let _ = std::fs::remove_dir(folder);
}

/// Removes what killed builds left beside the output named `name` in `parent`: staging folders,
/// old outputs and trash, when ours. Call under the lock, after [`recover`].
pub(crate) fn clean(parent: &Path, name: &str) {
    for (kind, path) in leftovers(parent, name) {
        if !ours(&path) {
            continue;
        }
        match kind {
            Kind::Trash => delete_marker_last(&path),
            Kind::New | Kind::Old => discard(&path, parent, name),
        }
    }
}

/// The leftover folders beside the output named `name`, with their kinds.
fn leftovers(parent: &Path, name: &str) -> Vec<(Kind, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((kind_of(&e.file_name().to_string_lossy(), name)?, e.path())))
        .collect()
}

/// Puts the previous output back if a build was killed inside [`super::swap::swap`], between moving
/// the old output aside and moving the new one in: then the output folder is missing and the
/// old one waits beside it (ours, by name and marker). Without this, the clean-up of leftovers
/// deleted it, and a failed build after such a kill left no output at all. Call under the lock,
/// before anything can fail.
pub(crate) fn recover(output: &Path, parent: &Path, name: &str) {
    if output.exists() || output.is_symlink() {
        return;
    }
    let mut old: Vec<PathBuf> = leftovers(parent, name)
        .into_iter()
        .filter(|(kind, path)| *kind == Kind::Old && path.join(MARKER).is_file())
        .map(|(_, path)| path)
        .collect();
    // If several were left, the newest is the last output.
    old.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    if let Some(newest) = old.last() {
        let _ = std::fs::rename(newest, output);
    }
}

#[cfg(test)]
mod tests {
    use super::super::MARKER_TEXT;
    use super::*;

    fn marked(path: &Path, files: &[&str]) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join(MARKER), MARKER_TEXT).unwrap();
        for file in files {
            let file = path.join(file);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, "x").unwrap();
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn names_are_recognised_by_kind_and_output() {
        assert_eq!(
            kind_of(".public.kroniek-new-12-0", "public"),
            Some(Kind::New)
        );
        assert_eq!(kind_of(".public.kroniek-old-12", "public"), Some(Kind::Old));
        assert_eq!(
            kind_of(".public.kroniek-trash-1-2", "public"),
            Some(Kind::Trash)
        );
        assert_eq!(kind_of(".public.kroniek-lock", "public"), None);
        assert_eq!(kind_of(".internal.kroniek-new-12-0", "public"), None);
        assert_eq!(kind_of(".public.kroniek-newer", "public"), None);
    }

    #[test]
    fn clean_removes_our_leftovers_of_every_kind_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        marked(
            &p.join(".public.kroniek-new-999999"),
            &["events/a/index.html"],
        );
        marked(&p.join(".public.kroniek-old-999999-3"), &["index.html"]);
        // A deletion killed halfway: the marker is still there.
        marked(
            &p.join(".public.kroniek-trash-999999-1"),
            &["events/b/index.html"],
        );
        // A staging folder killed before its marker was written: empty.
        std::fs::create_dir(p.join(".public.kroniek-new-999998")).unwrap();
        // Not ours: no marker and not empty; another output's; the output itself.
        std::fs::create_dir(p.join(".public.kroniek-new-notours")).unwrap();
        std::fs::write(p.join(".public.kroniek-new-notours/keep.txt"), "mine").unwrap();
        marked(&p.join(".internal.kroniek-new-999999"), &[]);
        marked(&p.join("public"), &["index.html"]);
        clean(p, "public");
        assert_eq!(
            names(p),
            [
                ".internal.kroniek-new-999999",
                ".public.kroniek-new-notours",
                "public"
            ]
        );
    }

    #[test]
    fn discard_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(".public.kroniek-new-1-0");
        marked(&folder, &["a/b/c.html", "d.html"]);
        discard(&folder, dir.path(), "public");
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_swap_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let aside = dir.path().join(".public.kroniek-old-4242-0");
        marked(&aside, &["index.html"]);
        recover(&out, dir.path(), "public");
        assert!(out.join("index.html").is_file());
        assert!(!aside.exists());
        // With the output in place, an old folder is trash, not a backup.
        marked(&aside, &["other.html"]);
        recover(&out, dir.path(), "public");
        assert!(aside.exists() && !out.join("other.html").exists());
    }
}
