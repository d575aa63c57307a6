//! Stage 1, load: walk `content/`, read every file, split Markdown files into front matter and
//! body.
//!
//! This stage knows about files and bytes only; it does not interpret front matter (see
//! `front_matter` and `model`). It never writes anything. It decides which files are inputs at
//! all: it never follows a symlink out of `content/` or `theme/` (`links`, whose rule `serve`
//! shares) and never passes on a backup of a draft or a hidden file (`names`). Problems with a
//! file become [`Problem`]s and the walk goes on, so one run reports every bad file at once.

use crate::cache::Memo;
use crate::diagnostics::Problem;
use crate::front_matter::{split, Document};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

mod links;
mod names;
pub mod releases;
mod size;

pub use links::resolves_inside;
use names::FileKind;
pub use size::{parse_size, DEFAULT_MAX_FILE_SIZE};

/// Everything read from a site's `content/` folder.
#[derive(Debug, Default)]
pub struct Content {
    /// `content/_index.md`, if it exists and could be read.
    pub index: Option<Document>,
    /// Every other Markdown file, in sorted path order.
    pub events: Vec<Document>,
    /// `content/sources.yaml`, the sources register, read as YAML (never copied to the output).
    pub register: Option<Document>,
    /// Files that are copied to the output as they are.
    pub assets: Vec<Asset>,
    /// The release records of `SITE/releases/`, by number.
    pub releases: Vec<releases::ReleaseFile>,
}

/// A non-Markdown file of the content folder (an image, a PDF).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Its path inside the output, which is its path inside `content/`.
    pub output: PathBuf,
}

/// Walks and reads `SITE/content`. Problems with single files are collected; the walk goes on.
pub fn load(site: &Path, memo: FileMemo) -> (Content, Vec<Problem>) {
    let content_dir = site.join("content");
    let mut problems = Vec::new();
    if !content_dir.is_dir() {
        problems.push(
            Problem::file_error(
                Path::new("content"),
                "missing-content",
                format!("no `content` folder in {}", site.display()),
            )
            .with_hint(
                "run kroniek in a site folder, or pass the site folder: `kroniek build SITE`",
            ),
        );
        return (Content::default(), problems);
    }

    let (markdown, assets) = walk(site, &content_dir, &mut problems);
    problems.extend(links::theme_links(&site_root(site)));

    // `_index.md` first, under the default limit: it says how big the other files may be.
    let index = Path::new("content/_index.md");
    let index_read = markdown
        .iter()
        .find(|(_, relative)| relative == index)
        .map(|(path, relative)| read_remembered(memo, path, relative, DEFAULT_MAX_FILE_SIZE));
    let limit = index_read
        .as_ref()
        .and_then(|doc| doc.as_ref().ok())
        .and_then(|doc| crate::front_matter::scalar(doc, "max_file_size"))
        .and_then(|written| parse_size(&written).ok())
        .unwrap_or(DEFAULT_MAX_FILE_SIZE);
    // Reading and splitting is independent per file: do it in parallel, keep the sorted order.
    let read: Vec<Result<Document, Problem>> = index_read
        .into_iter()
        .chain(
            markdown
                .par_iter()
                .filter(|(_, relative)| relative != index)
                .map(|(path, relative)| read_remembered(memo, path, relative, limit))
                .collect::<Vec<_>>(),
        )
        .collect();
    let register = Path::new(crate::model::register::FILE);
    let (registers, assets): (Vec<Asset>, Vec<Asset>) = assets
        .into_iter()
        .partition(|asset| Path::new("content").join(&asset.output) == register);
    let mut content = Content {
        assets,
        ..Content::default()
    };
    for asset in registers {
        match read_register(&asset.source, register, limit) {
            Ok(doc) => content.register = Some(doc),
            Err(problem) => problems.push(problem),
        }
    }
    content.releases = releases::read(site, limit, &mut problems);
    for result in read {
        match result {
            Ok(doc) if doc.file == Path::new("content/_index.md") => content.index = Some(doc),
            Ok(doc) => content.events.push(doc),
            Err(problem) => problems.push(problem),
        }
    }
    (content, problems)
}

/// The site folder, resolved through symlinks, as [`links`] compares paths.
fn site_root(site: &Path) -> PathBuf {
    site.canonicalize().unwrap_or_else(|_| site.to_path_buf())
}

/// Walks `content_dir`: the Markdown files to read (path, path shown) and the assets to copy.
/// Links are followed only while they stay inside the folder ([`links::resolves_inside`]);
/// names are judged by [`names::kind`].
fn walk(
    site: &Path,
    content_dir: &Path,
    problems: &mut Vec<Problem>,
) -> (Vec<(PathBuf, PathBuf)>, Vec<Asset>) {
    let site_root = site_root(site);
    let Some(root) = content_root(&site_root, content_dir, problems) else {
        return (Vec::new(), Vec::new());
    };
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut refused = Vec::new();
    let walk = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || admit(site, &site_root, &root, e, &mut refused));
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                problems.push(walk_problem(site, &site_root, &root, &err));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = relative_to(site, entry.path());
        // A named pipe, socket or device is not content: reading a pipe that nobody writes to
        // waits for ever, so the build hung (found by the bad-input corpus, tests/bad/fifo).
        if !entry.file_type().is_file() {
            problems.push(
                Problem::file_error(
                    &relative,
                    "not-a-file",
                    "not a regular file (a named pipe, socket or device)",
                )
                .with_hint("remove it from the content folder; kroniek reads only files"),
            );
            continue;
        }
        match names::kind(entry.file_name()) {
            FileKind::Event => markdown.push((entry.path().to_path_buf(), relative)),
            FileKind::Asset => assets.push(Asset {
                source: entry.path().to_path_buf(),
                output: entry
                    .path()
                    .strip_prefix(content_dir)
                    .unwrap_or(entry.path())
                    .to_path_buf(),
            }),
            FileKind::Ignored => {}
            kind => problems.push(name_problem(&relative, &kind)),
        }
    }
    problems.append(&mut refused);
    (markdown, assets)
}

/// `content/` resolved; an error when it is itself a link out of the site folder.
fn content_root(
    site_root: &Path,
    content_dir: &Path,
    problems: &mut Vec<Problem>,
) -> Option<PathBuf> {
    if !links::resolves_inside(site_root, content_dir) {
        problems.push(links::leaves_folder(
            site_root,
            &site_root.join("content"),
            "site",
        ));
        return None;
    }
    content_dir.canonicalize().ok()
}

/// Whether the walk goes into (or yields) `entry`: not when it is hidden or clutter, not when
/// its name is not UTF-8, and not when it is a link out of `content/` (`root`); the last two
/// are problems, pushed to `refused`.
fn admit(
    site: &Path,
    site_root: &Path,
    root: &Path,
    entry: &walkdir::DirEntry,
    refused: &mut Vec<Problem>,
) -> bool {
    if names::is_ignored(entry.file_name()) {
        return false;
    }
    if entry.path_is_symlink() && !links::resolves_inside(root, entry.path()) {
        refused.push(links::leaves_folder(
            site_root,
            &site_root.join(relative_to(site, entry.path())),
            "content",
        ));
        return false;
    }
    if entry.file_name().to_str().is_none() {
        refused.push(name_problem(
            &relative_to(site, entry.path()),
            &FileKind::NotUtf8,
        ));
        return false;
    }
    true
}

/// The problem for a file whose name keeps it out of the output.
fn name_problem(relative: &Path, kind: &FileKind) -> Problem {
    match kind {
        FileKind::MisnamedMarkdown => Problem::file_error(
            relative,
            "markdown-extension",
            "a Markdown file must end in `.md` to be read",
        )
        .with_hint("rename it to end in `.md` (lowercase); it is not published as it is"),
        FileKind::MarkdownBackup => Problem::file_error(
            relative,
            "markdown-backup",
            "not published: a backup copy of a Markdown file",
        )
        .with_hint("delete it, or move it out of the content folder")
        .warning(),
        _ => Problem::file_error(
            relative,
            "name-not-utf8",
            "the file name is not valid UTF-8",
        )
        .with_hint("rename it: names in the output must be UTF-8"),
    }
}

/// The path shown in messages: relative to the site, e.g. `content/2024-06-04-x.md`.
fn relative_to(site: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(site).unwrap_or(path).to_path_buf()
}

fn walk_problem(site: &Path, site_root: &Path, root: &Path, err: &walkdir::Error) -> Problem {
    let path = err.path().map(|p| relative_to(site, p)).unwrap_or_default();
    // A dangling link is an error at all; one that would lead out says so.
    let link = site_root.join(&path);
    if err.path().is_some_and(Path::is_symlink) && links::dangles_outside(root, &link) {
        return links::leaves_folder(site_root, &link, "content");
    }
    if let Some(ancestor) = err.loop_ancestor() {
        return Problem::file_error(
            &path,
            "symlink-loop",
            format!(
                "symbolic link loop: this folder links back to {}",
                relative_to(site, ancestor).display()
            ),
        )
        .with_hint("remove the link or point it outside the content folder");
    }
    // "No such file or directory" for a file that is plainly listed is puzzling: say it is a link.
    let target = err.path().and_then(|p| std::fs::read_link(p).ok());
    let missing = err
        .io_error()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    if let (Some(target), true) = (target, missing) {
        return Problem::file_error(
            &path,
            "broken-link",
            format!(
                "symbolic link to {}, which does not exist",
                crate::diagnostics::display_path(&target)
            ),
        )
        .with_hint("remove the link or point it at an existing file");
    }
    let reason = err
        .io_error()
        .map(|e| e.to_string())
        .unwrap_or_else(|| err.to_string());
    Problem::file_error(&path, "unreadable", format!("cannot read: {reason}"))
}

/// Reads one Markdown file of at most `limit` bytes: bytes, UTF-8 check, BOM and CRLF
/// normalisation, front matter split.
pub fn read_document(path: &Path, relative: &Path, limit: u64) -> Result<Document, Problem> {
    let bytes = size::read_limited(path, relative, limit)?;
    let text = decode(relative, bytes)?;
    split(relative.to_path_buf(), text)
}

/// Reads the sources register: a YAML file, whole, as a [`Document`] whose YAML is all of it
/// (a leading `---` is YAML's own document marker here, not front matter).
fn read_register(path: &Path, relative: &Path, limit: u64) -> Result<Document, Problem> {
    let text = decode(relative, size::read_limited(path, relative, limit)?)?;
    Ok(crate::front_matter::yaml_document(
        relative.to_path_buf(),
        text,
    ))
}

/// What identifies a file's content without reading it: its modification time and size, and
/// the size limit it was read under (a raised limit must read a refused file again).
pub type Stamp = (std::time::SystemTime, u64, u64);

/// What a run may remember of reading a file: keyed by its path and [`Stamp`], so that a file
/// whose size and modification time are unchanged since the last run is not read again.
pub type FileMemo<'a> = &'a dyn Memo<(PathBuf, Stamp), Result<Document, Problem>>;

/// [`read_document`] through `memo`; a file without a modification time is always read.
fn read_remembered(
    memo: FileMemo,
    path: &Path,
    relative: &Path,
    limit: u64,
) -> Result<Document, Problem> {
    if !memo.remembers() {
        return read_document(path, relative, limit);
    }
    let stamp = std::fs::metadata(path)
        .ok()
        .and_then(|meta| Some((meta.modified().ok()?, meta.len(), limit)));
    match stamp {
        Some(stamp) => memo.get_or_make(
            (path.to_path_buf(), stamp),
            Box::new(|| read_document(path, relative, limit)),
        ),
        None => read_document(path, relative, limit),
    }
}

/// UTF-8 only; a byte-order mark is dropped and CRLF line ends become LF, so that every later
/// stage (and every line number) sees the same text on every platform. A lone CR (classic Mac
/// OS) becomes LF too: Markdown and YAML count it as a line end, and every line number after
/// it was one off (found by fuzzing).
pub fn decode(relative: &Path, bytes: Vec<u8>) -> Result<String, Problem> {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            let mut problem =
                Problem::file_error(relative, "invalid-utf8", "file is not valid UTF-8 text")
                    .with_hint("save the file with UTF-8 encoding");
            problem.line = line;
            problem.column = column;
            problem.span = 1;
            let line_end = err.as_bytes()[line_start..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(err.as_bytes().len(), |i| line_start + i);
            problem.source_line =
                Some(String::from_utf8_lossy(&err.as_bytes()[line_start..line_end]).into_owned());
            return Err(problem);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_point_at_the_byte() {
        let err = decode(Path::new("a.md"), b"---\ntitle: ab\xffc\n".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column, err.code), (2, 10, "invalid-utf8"));
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = decode(
            Path::new("a.md"),
            b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "---\ntitle: x\n---\nbody\n");
        let text = decode(
            Path::new("a.md"),
            b"---\rtitle: x\r---\rbody\r\r\n".to_vec(),
        )
        .unwrap();
        assert_eq!(text, "---\ntitle: x\n---\nbody\n\n");
    }
}
