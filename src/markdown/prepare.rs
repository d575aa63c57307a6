//! The prepared tree: a body parsed and made ready for any output format, in the order the
//! steps must run (internal blocks first, then links, citations, notes).
//!
//! The site's HTML (`html`) and the exports (Markdown, MediaWiki) all start from [`prepare`],
//! so that what a reader may see is decided once, here, and never again by an output.
//!
//! This module must never return a tree for public readers that holds anything of an
//! `::: internal` block.

use super::citations::split_autolinked_citations;
use super::citations::{number_notes, report_undefined_citations, scan_definitions};
use super::internal::{
    check_internal_fences, check_unseen_blocks, handle_directives, internal_line_ranges,
};
use super::links::{
    content_links, drop_hidden_links, drop_unsafe_urls, rebase_relative_urls, ContentLink,
};
use super::nesting::limit_nesting;
use super::parse::{self, drop_added, options};
use super::{internal, Input};
use crate::diagnostics::Problem;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

/// A body parsed and prepared for any output format: `::: internal` blocks handled, headings
/// shifted, links rebased, citations checked and numbered. Where a note is cited there is an
/// empty `Raw` node for the format to fill in (an HTML marker, `[^label]`, `<ref>`).
pub struct Prepared<'a> {
    pub root: &'a AstNode<'a>,
    /// In number order, starting at 1.
    pub notes: Vec<PreparedNote<'a>>,
    pub has_headings: bool,
    pub has_relative_links: bool,
    /// The content-relative links and images, as written, for the dead-link check.
    pub content_links: Vec<ContentLink>,
}

pub struct PreparedNote<'a> {
    pub number: usize,
    /// A footnote written inside an `::: internal` block (only for internal readers): it is
    /// marked as internal wherever it is shown.
    pub internal: bool,
    /// The empty `Raw` nodes where the note is cited, in document order.
    pub markers: Vec<&'a AstNode<'a>>,
    pub content: PreparedContent<'a>,
}

pub enum PreparedContent<'a> {
    /// A footnote written in the body: a `Document` node holding its blocks.
    Footnote(&'a AstNode<'a>),
    /// The event's source at this index.
    Source(usize),
}

/// Parses and prepares a body. Problems (undefined citations, duplicate footnotes, unclosed
/// internal blocks) are pushed; the tree is still produced so that `check` can go on.
pub fn prepare<'a>(
    arena: &'a Arena<'a>,
    input: &Input,
    problems: &mut Vec<Problem>,
) -> Prepared<'a> {
    let text = input.doc.body_text();
    let defined = scan_definitions(input, text, problems);
    check_internal_fences(input, text, problems);

    let parsed = parse::with_additions(input, text, &defined);
    let (markdown, added) = (&parsed.markdown, parsed.added);

    let options = options(input.id_prefix);
    let mut root = comrak::parse_document(arena, markdown, &options);
    // First, so that no step after it sees a tree deeper than the limit.
    let cut = limit_nesting(root, input, added, true, problems);
    // The lines of `::: internal` blocks, in comrak's numbering (1-based, `added` included).
    let internal_lines = internal_line_ranges(root);
    check_unseen_blocks(root, input, added, problems);
    let mut internal_notes = Vec::new();
    if !internal_lines.is_empty() {
        let public = internal::public_tree(arena, input, &parsed, &internal_lines, problems);
        internal_notes = public.internal_notes;
        if !input.internal_notes {
            root = public.root;
            // Without internal blocks the body nests no deeper; report only what was not.
            limit_nesting(root, input, added, !cut, problems);
        }
    }
    drop_added(root, added);
    handle_directives(root, input, added, problems);
    drop_unsafe_urls(root, input, added, problems);
    drop_hidden_links(root, input, added, problems);
    split_autolinked_citations(arena, root, input);
    let has_headings = shift_headings(root, input.heading_offset);
    let content_links = content_links(root, input, added);
    let has_relative_links = rebase_relative_urls(root, input.link_root);
    report_undefined_citations(root, input, added, &internal_notes, problems);
    let written_inside = if input.internal_notes {
        &internal_lines[..]
    } else {
        &[]
    };
    let notes = number_notes(arena, root, input, written_inside);
    Prepared {
        root,
        notes,
        has_headings,
        has_relative_links,
        content_links,
    }
}

/// Moves every heading down by `offset` levels (at most to `<h6>`). Returns whether there were any.
fn shift_headings<'a>(root: &'a AstNode<'a>, offset: u8) -> bool {
    let mut any = false;
    for node in root.descendants() {
        if let NodeValue::Heading(ref mut h) = node.data_mut().value {
            h.level = (h.level + offset).min(6);
            any = true;
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::super::test_support::run;

    #[test]
    fn headings_move_down_and_get_prefixed_ids() {
        let (body, _) = run("# Kop\n\nTekst\n", &[], false);
        assert!(body.has_headings);
        assert!(body.html.contains("<h4 "), "{}", body.html);
        assert!(body.html.contains("id=\"ev.h-kop\""), "{}", body.html);
        assert!(body.html.contains("href=\"#ev.h-kop\""), "{}", body.html);
    }
}
