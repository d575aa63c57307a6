//! File names in `content/`: which files are events, which are copied to the output as they
//! are, and which are never copied.
//!
//! Only `x.md` is an event. What must never reach the output: hidden files and folders
//! (`.git/`, `.x.md.swp`), operating-system clutter (`Thumbs.db`), Markdown under another
//! extension (`x.MD`, `x.markdown`: an error, the author meant an event) and backup copies of
//! Markdown files (`x.md~`, `x.md.orig`, `#x.md#`: skipped with a warning), which hold the text
//! of drafts. Names are judged by their bytes, so a name that is not UTF-8 cannot slip past.

use std::ffi::OsStr;

/// What a file of `content/` is, by its name.
#[derive(Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `x.md`: read as an event (or `_index.md`).
    Event,
    /// Copied to the output as it is (an image, a PDF).
    Asset,
    /// Not content and nothing to say about it: hidden files, `Thumbs.db`, `photo.png~`.
    Ignored,
    /// Markdown under another extension (`MD`, `markdown`): an error, never copied.
    MisnamedMarkdown,
    /// A backup copy of a Markdown file: skipped with a warning, never copied.
    MarkdownBackup,
    /// A name that is not UTF-8: an error, since no page could link to it reliably.
    NotUtf8,
}

/// Extensions of Markdown files; only `.md` is read, the others are refused.
const MARKDOWN: [&str; 10] = [
    "md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mdtxt", "mdtext", "mdx", "rmd",
];

/// Files that operating systems leave in folders: never content.
const CLUTTER: [&str; 4] = ["thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"];

/// Whether a file or folder of this name is skipped without a word: hidden (`.x`), or clutter.
/// Decided on the bytes: a hidden name that is not UTF-8 is hidden too.
pub fn is_ignored(name: &OsStr) -> bool {
    let bytes = name.as_encoded_bytes();
    bytes.starts_with(b".")
        || std::str::from_utf8(bytes).is_ok_and(|n| CLUTTER.contains(&n.to_lowercase().as_str()))
}

/// What the file called `name` is.
pub fn kind(name: &OsStr) -> FileKind {
    if is_ignored(name) {
        return FileKind::Ignored;
    }
    let Some(name) = name.to_str() else {
        return FileKind::NotUtf8;
    };
    if name.ends_with(".md") {
        return FileKind::Event;
    }
    // What the reader of a folder listing sees: invisible characters and trailing spaces do
    // not make `x.md\u{200B}` something other than Markdown.
    let seen: String = name
        .chars()
        .filter(|&c| !crate::front_matter::is_invisible(c))
        .collect::<String>()
        .trim_end()
        .to_lowercase();
    let extension = seen.rsplit_once('.').map(|(_, e)| e);
    if extension.is_some_and(|e| MARKDOWN.contains(&e)) {
        return FileKind::MisnamedMarkdown;
    }
    if has_markdown_inside(&seen) {
        return FileKind::MarkdownBackup;
    }
    if name.ends_with('~') || (name.starts_with('#') && name.ends_with('#')) {
        return FileKind::Ignored;
    }
    FileKind::Asset
}

/// Whether `.md` (or another Markdown extension) is in `name` followed by more that is not a
/// letter or digit: `x.md.orig`, `x.md~`, `#x.md#`, `x.markdown.bak`, but not `x.mdb`.
fn has_markdown_inside(name: &str) -> bool {
    MARKDOWN.iter().any(|extension| {
        let dotted = format!(".{extension}");
        name.match_indices(&dotted).any(|(at, _)| {
            name[at + dotted.len()..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_ascii_alphanumeric())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_what_is_copied() {
        let cases = [
            ("2024-06-04-x.md", FileKind::Event),
            ("_index.md", FileKind::Event),
            ("photo.png", FileKind::Asset),
            ("report.mdb", FileKind::Asset),
            ("notes.md5", FileKind::Asset),
            ("x.MD", FileKind::MisnamedMarkdown),
            ("x.Md", FileKind::MisnamedMarkdown),
            ("x.markdown", FileKind::MisnamedMarkdown),
            ("x.md ", FileKind::MisnamedMarkdown),
            ("x.md\u{200B}", FileKind::MisnamedMarkdown),
            ("x.md~", FileKind::MarkdownBackup),
            ("x.md.orig", FileKind::MarkdownBackup),
            ("x.md.bak", FileKind::MarkdownBackup),
            ("x.MD.bak", FileKind::MarkdownBackup),
            ("_index.md.old", FileKind::MarkdownBackup),
            ("#x.md#", FileKind::MarkdownBackup),
            ("x.md.", FileKind::MarkdownBackup),
            (".x.md.swp", FileKind::Ignored),
            (".git", FileKind::Ignored),
            ("Thumbs.db", FileKind::Ignored),
            ("desktop.ini", FileKind::Ignored),
            ("photo.png~", FileKind::Ignored),
            ("#notes#", FileKind::Ignored),
        ];
        for (name, expected) in cases {
            assert_eq!(kind(OsStr::new(name)), expected, "{name:?}");
        }
    }

    #[test]
    #[cfg(unix)]
    fn names_are_judged_by_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        // Hidden, whatever follows the dot; otherwise refused, never copied.
        assert_eq!(kind(OsStr::from_bytes(b".caf\xe9.md")), FileKind::Ignored);
        assert_eq!(kind(OsStr::from_bytes(b"caf\xe9.png")), FileKind::NotUtf8);
        assert_eq!(kind(OsStr::from_bytes(b"caf\xe9.md")), FileKind::NotUtf8);
    }
}
