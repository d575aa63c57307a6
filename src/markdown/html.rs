//! The HTML of a body, for the site and the single-file export: kroniek's note markers,
//! labelled internal blocks and page-unique ids, and the escaping of text we inject.
//!
//! This module must never print HTML of the author's making: comrak shows raw HTML as text,
//! and the only HTML added here is built from escaped values.

use super::internal::internal_blocks;
use super::links::ContentLink;
use super::parse::options;
use super::prepare::{prepare, PreparedContent};
use super::Input;
use crate::diagnostics::Problem;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

/// A rendered body: its HTML and the notes (footnotes and sources) it refers to, in number
/// order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub html: std::sync::Arc<str>,
    pub notes: Vec<Note>,
    /// Whether the body has headings (then its HTML depends on the heading level it sits under).
    pub has_headings: bool,
    /// Whether the body has content-relative links or images (then its HTML depends on the
    /// depth of the page it appears on).
    pub has_relative_links: bool,
    /// Its content-relative links and images, for the dead-link check.
    pub content_links: Vec<ContentLink>,
}

/// One numbered entry of an event's "Sources" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub number: usize,
    /// Written inside an `::: internal` block: its HTML starts with the internal label.
    pub internal: bool,
    /// The id of the list item: `<slug>.fn<number>`.
    pub id: String,
    /// Ids of the markers that point here, for back-links.
    pub backrefs: Vec<String>,
    pub content: NoteContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteContent {
    /// A footnote written in the body, rendered.
    Footnote(String),
    /// The event's source at this index.
    Source(usize),
}

/// Renders a body to HTML, with kroniek's note markers and page-unique ids.
pub fn render(input: &Input, problems: &mut Vec<Problem>) -> Body {
    render_with(input, problems, &NoEdit)
}

/// A change one output makes to a prepared tree before it is rendered (the single-file export
/// inlines its images with one).
pub trait TreeEdit {
    fn edit<'a>(&self, arena: &'a Arena<'a>, root: &'a AstNode<'a>);
}

pub(super) struct NoEdit;

impl TreeEdit for NoEdit {
    fn edit<'a>(&self, _: &'a Arena<'a>, _: &'a AstNode<'a>) {}
}

/// [`render`], with `edit` applied to the body's tree and to each footnote's.
pub fn render_with(input: &Input, problems: &mut Vec<Problem>, edit: &dyn TreeEdit) -> Body {
    let arena = Arena::new();
    let prepared = prepare(&arena, input, problems);
    edit.edit(&arena, prepared.root);
    for note in &prepared.notes {
        if let PreparedContent::Footnote(doc) = note.content {
            edit.edit(&arena, doc);
        }
    }
    let label = format!(
        "<p class=\"internal-label\">{}</p>",
        escape(input.internal_label)
    );
    for block in internal_blocks(prepared.root) {
        block.prepend(arena.alloc(NodeValue::Raw(label.clone()).into()));
    }
    for note in prepared.notes.iter().filter(|n| n.internal) {
        if let PreparedContent::Footnote(doc) = note.content {
            doc.prepend(arena.alloc(NodeValue::Raw(format!("{label}\n")).into()));
        }
    }
    let options = options(input.id_prefix);
    // Markers first (a footnote may cite another note), then the footnotes' own HTML.
    let mut notes: Vec<Note> = prepared
        .notes
        .iter()
        .map(|note| {
            let mut html_note = new_note(input.id_prefix, note.number, NoteContent::Source(0));
            html_note.internal = note.internal;
            for node in &note.markers {
                let html = marker(&mut html_note, input.id_prefix);
                node.data_mut().value = NodeValue::Raw(html);
            }
            html_note
        })
        .collect();
    for (html_note, note) in notes.iter_mut().zip(&prepared.notes) {
        html_note.content = match note.content {
            PreparedContent::Source(i) => NoteContent::Source(i),
            PreparedContent::Footnote(doc) => {
                // Each footnote is printed on its own, and comrak makes heading ids unique only
                // within one printing: a heading in a footnote took the id of the same heading
                // in the body or another footnote. Its ids get the note's own prefix
                // (`<slug>.fn1.h-…`). Found by the property tests.
                let mut html = String::new();
                let _ = comrak::format_html(doc, &self::options(&html_note.id), &mut html);
                NoteContent::Footnote(html)
            }
        };
    }
    let mut html = String::new();
    // Writing to a String cannot fail.
    let _ = comrak::format_html(prepared.root, &options, &mut html);
    Body {
        html: html.into(),
        notes,
        has_headings: prepared.has_headings,
        has_relative_links: prepared.has_relative_links,
        content_links: prepared.content_links,
    }
}

pub(super) fn new_note(prefix: &str, number: usize, content: NoteContent) -> Note {
    Note {
        number,
        internal: false,
        id: format!("{prefix}.fn{number}"),
        backrefs: Vec::new(),
        content,
    }
}

/// The superscript link to a note, with an id of its own for the back-link.
pub(super) fn marker(note: &mut Note, prefix: &str) -> String {
    let id = match note.backrefs.len() {
        0 => format!("{prefix}.ref{}", note.number),
        n => format!("{prefix}.ref{}.{}", note.number, n + 1),
    };
    let html = format!(
        "<sup class=\"note-ref\"><a href=\"#{}\" id=\"{}\">{}</a></sup>",
        note.id, id, note.number
    );
    note.backrefs.push(id);
    html
}

/// Minimal HTML escaping for text we inject ourselves.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_into(&mut out, text);
    out
}

/// Appends `text` to `out`, HTML-escaped. Copies the runs between special characters whole:
/// this runs over every byte of every page.
pub fn escape_into(out: &mut String, text: &str) {
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

/// Plain text of rendered HTML: tags out, the note markers (`<sup class="note-ref">`) with
/// them, the entities the renderer writes decoded. For the search index and for
/// the substance of an event in a release record (`record`): nothing shows it.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with("<sup class=\"note-ref\"") {
            rest = rest.find("</sup>").map_or("", |e| &rest[e + 6..]);
        }
    }
    text.push_str(rest);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
