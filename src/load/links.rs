//! Symbolic links in the site's inputs: the one rule that decides whether a link may be
//! followed, for `build` and `serve` alike.
//!
//! A link may be followed only when it resolves, through every link on the way, to a place
//! inside its folder (`content/` for content, `theme/` for the theme). A link that leads out
//! (to `/etc/passwd`, `/proc/self/environ`, a folder beside the site, the theme) is an error
//! naming the link and its target: kroniek must never publish a file from outside the site
//! because a link pointed at it.

use crate::diagnostics::{display_path, Problem};
use std::path::{Component, Path, PathBuf};

/// Whether `path` resolves, symlinks followed all the way, to `root` or a place inside it.
/// `root` must be resolved already (`canonicalize`). A dangling link resolves nowhere: false.
pub fn resolves_inside(root: &Path, path: &Path) -> bool {
    path.canonicalize().is_ok_and(|real| real.starts_with(root))
}

/// Whether the dangling link at `link` would lead out of `root` (both resolved), judged by its
/// written target with `..` worked out.
pub fn dangles_outside(root: &Path, link: &Path) -> bool {
    let written = std::fs::read_link(link).unwrap_or_default();
    !normalise(&link.parent().unwrap_or(link).join(written)).starts_with(root)
}

/// The error for a link at `link` (absolute, under `site`) that leads out of `folder` (`content`
/// or `theme`). `site` is resolved. The target is shown relative to the site when it lies in
/// it, else as the link gives it, so that the author can find it.
pub fn leaves_folder(site: &Path, link: &Path, folder: &str) -> Problem {
    let shown_link = link.strip_prefix(site).unwrap_or(link);
    let target = target_shown(site, link);
    let dangling = link.canonicalize().is_err();
    let message = if dangling {
        format!(
            "symbolic link to {target}, which does not exist and is outside the {folder} folder"
        )
    } else {
        format!("symbolic link to {target}, outside the {folder} folder")
    };
    let inside = match folder {
        "site" => "the site folder".to_string(),
        folder => format!("`{folder}/`"),
    };
    Problem::file_error(shown_link, "link-outside", message).with_hint(format!(
        "kroniek publishes only files inside {inside}: copy the file in, or remove the link"
    ))
}

/// Where the link at `link` points, for a message: resolved through every link when it can
/// be, else by its written target with `..` worked out; relative to `site` when inside it.
fn target_shown(site: &Path, link: &Path) -> String {
    let written = std::fs::read_link(link).unwrap_or_default();
    let resolved = link
        .canonicalize()
        .unwrap_or_else(|_| normalise(&link.parent().unwrap_or(site).join(&written)));
    match resolved.strip_prefix(site) {
        Ok(inside) if inside.as_os_str().is_empty() => "the site folder".to_string(),
        Ok(inside) => display_path(inside),
        // As written: `/proc/self/environ`, not the `/proc/4711/environ` it resolves to.
        Err(_) if written.is_absolute() => display_path(&written),
        Err(_) => relative_from(site, &resolved),
    }
}

/// `path` relative to `base` (`../elsewhere/x.md`) when they share more than the root, else
/// `path` itself (`/etc/passwd`): both absolute and free of `.` and `..`.
fn relative_from(base: &Path, path: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let path_parts: Vec<Component> = path.components().collect();
    let common = base
        .iter()
        .zip(&path_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return display_path(path);
    }
    let mut relative = PathBuf::new();
    for _ in common..base.len() {
        relative.push("..");
    }
    for part in &path_parts[common..] {
        relative.push(part);
    }
    display_path(&relative)
}

/// `path` with `.` and `..` worked out by text alone (for a target that does not exist).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Every symbolic link under `SITE/theme` (the folder itself included) that leads out of it.
/// The theme is read through links (`fs::read`), so a template linked to `/etc/passwd` would be
/// rendered into every page.
pub fn theme_links(site: &Path) -> Vec<Problem> {
    let theme = site.join("theme");
    if theme.symlink_metadata().is_err() {
        return Vec::new();
    }
    if !resolves_inside(site, &theme) {
        return vec![leaves_folder(site, &theme, "site")];
    }
    let Ok(root) = theme.canonicalize() else {
        return Vec::new();
    };
    walkdir::WalkDir::new(&theme)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|entry| entry.path_is_symlink() && entry.depth() > 0)
        .filter(|entry| !resolves_inside(&root, entry.path()))
        .map(|entry| leaves_folder(site, entry.path(), "theme"))
        .collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_are_followed_only_inside_their_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().canonicalize().unwrap();
        let content = site.join("content");
        std::fs::create_dir_all(content.join("sub")).unwrap();
        std::fs::write(content.join("a.png"), "x").unwrap();
        symlink("../a.png", content.join("sub/in.png")).unwrap();
        symlink("../content/a.png", content.join("via-site.png")).unwrap();
        symlink("/etc/passwd", content.join("passwd")).unwrap();
        symlink("../theme", content.join("theme")).unwrap();
        symlink("gone.png", content.join("dangling.png")).unwrap();
        assert!(resolves_inside(&content, &content.join("sub/in.png")));
        assert!(resolves_inside(&content, &content.join("via-site.png")));
        assert!(!resolves_inside(&content, &content.join("passwd")));
        assert!(!resolves_inside(&content, &content.join("dangling.png")));
        let problem = leaves_folder(&site, &content.join("passwd"), "content");
        assert_eq!(
            problem.message,
            "symbolic link to /etc/passwd, outside the content folder"
        );
        assert_eq!(display_path(&problem.file), "content/passwd");
        let problem = leaves_folder(&site, &content.join("theme"), "content");
        assert_eq!(
            problem.message,
            "symbolic link to theme, which does not exist and is outside the content folder"
        );
    }

    #[test]
    fn relative_targets_are_shown_from_the_site() {
        let base = Path::new("/srv/sites/a");
        assert_eq!(
            relative_from(base, Path::new("/srv/sites/b/x.md")),
            "../b/x.md"
        );
        assert_eq!(relative_from(base, Path::new("/etc/passwd")), "/etc/passwd");
        assert_eq!(
            normalise(Path::new("/srv/a/content/../../x")),
            Path::new("/srv/x")
        );
    }
}
