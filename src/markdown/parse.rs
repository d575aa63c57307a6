//! comrak's options and the text comrak parses: the body, with what `prepare` adds before it.
//!
//! Sources are cited like footnotes, so comrak is given a stub definition for each source id,
//! and a paragraph that cites every footnote the author defined (so that comrak keeps them
//! until citations are split out of autolinks). All of it goes before the body, and is counted
//! in lines so that every position can be given back in the author's file.
//!
//! This module must never let anything it adds be published: [`drop_added`] removes it right
//! after parsing, and nothing it adds may carry Markdown of the author's making.

use super::Input;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Options;
use std::collections::HashMap;

/// comrak's options, the same for every output format.
pub fn options(id_prefix: &str) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.block_directive = true;
    // `<slug>.h-<heading>`: never equal to the ids kroniek gives notes and titles
    // (`<slug>.fn1`, `<slug>.ref1`, `<slug>.notes`, `<slug>.title`).
    o.extension.header_id_prefix = Some(format!("{id_prefix}.h-"));
    o.extension.header_id_prefix_in_href = true;
    // Raw HTML is shown as text, never passed through.
    o.render.r#unsafe = false;
    o.render.escape = true;
    o
}

/// The text comrak parses: what was added, then the body.
pub(super) struct Parsed {
    pub(super) markdown: String,
    /// Lines added before the body: comrak's line numbers minus this are the body's.
    pub(super) added: usize,
    /// Bytes added before the body.
    pub(super) head_len: usize,
}

/// `text` (the body) with source stubs and the keeper paragraph before it. `defined` are the
/// footnotes the author wrote (see [`super::citations::scan_definitions`]).
pub(super) fn with_additions(
    input: &Input,
    text: &str,
    defined: &HashMap<String, usize>,
) -> Parsed {
    // Sources are cited like footnotes; give comrak a stub definition for each so that it
    // recognises `[^id]` as a reference. The stubs are dropped below.
    //
    // What we add goes before the body, not after it, and ends with a paragraph and a blank
    // line, so that comrak reads the body exactly as if it stood alone: added after it, a code
    // fence or HTML block left open at the end of the body swallowed the stubs (a spurious
    // "cites nothing" error, and `[^id]: source` shown in the code block). Found by fuzzing.
    let mut markdown = String::with_capacity(text.len() + 32 * input.sources.len());
    for id in input.sources.iter().filter_map(|s| s.id.as_deref()) {
        // The model refuses such ids already; never let one add Markdown of its own.
        if !defined.contains_key(id) && is_label(id) {
            markdown.push_str("[^");
            markdown.push_str(id);
            markdown.push_str("]: source\n\n");
        }
    }
    keep_definitions(&mut markdown, defined);
    let added = markdown.matches('\n').count();
    let head_len = markdown.len();
    markdown.push_str(text);

    Parsed {
        markdown,
        added,
        head_len,
    }
}

/// Cites every footnote the author defined once more, in a paragraph before the text.
///
/// comrak drops a definition that nothing cites, and a citation can hide inside an autolinked
/// URL until [`split_autolinked_citations`] gives it back; this keeps the definition until
/// then. The paragraph also closes the source stubs before it, so that it is there whenever
/// anything was added. [`drop_added`] removes it right after parsing, so it is never a note.
pub(super) fn keep_definitions(markdown: &mut String, defined: &HashMap<String, usize>) {
    if markdown.is_empty() && defined.is_empty() {
        return;
    }
    markdown.push('.');
    for label in defined.keys() {
        markdown.push_str(" [^");
        markdown.push_str(label);
        markdown.push(']');
    }
    markdown.push_str("\n\n");
}

/// Removes what `prepare` added before the body (the first `added` lines), except the source
/// stubs, which [`number_notes`] needs and drops itself.
pub(super) fn drop_added<'a>(root: &'a AstNode<'a>, added: usize) {
    let ours: Vec<_> = root
        .children()
        .filter(|n| {
            let data = n.data();
            !matches!(data.value, NodeValue::FootnoteDefinition(_))
                && data.sourcepos.start.line <= added
        })
        .collect();
    for node in ours {
        node.detach();
    }
}

/// Runs of adjacent text nodes in `root`, each with where its first node starts (comrak's
/// numbering).
pub(super) fn text_runs<'a>(root: &'a AstNode<'a>) -> Vec<(String, comrak::nodes::LineColumn)> {
    let mut runs = Vec::new();
    for parent in root.descendants() {
        let mut run = String::new();
        let mut start = None;
        let children: Vec<_> = parent.children().collect();
        for (i, child) in children.iter().enumerate() {
            let data = child.data();
            if let NodeValue::Text(ref t) = data.value {
                if start.is_none() {
                    start = Some(data.sourcepos.start);
                }
                run.push_str(t);
            }
            let ends = !matches!(data.value, NodeValue::Text(_)) || i + 1 == children.len();
            if ends && !run.is_empty() {
                if let Some(at) = start {
                    runs.push((std::mem::take(&mut run), at));
                }
                run.clear();
                start = None;
            }
        }
    }
    runs
}

/// Line and column in the whole file (column in characters) of a position comrak gives in
/// the text it parsed: `added` lines before the body, columns in bytes.
pub(super) fn position_in_file(
    input: &Input,
    body_lines: &[&str],
    added: usize,
    at: comrak::nodes::LineColumn,
) -> (usize, usize) {
    let line = at.line.saturating_sub(added).max(1);
    let column = body_lines.get(line - 1).map_or(at.column, |text| {
        let byte = at.column.saturating_sub(1).min(text.len());
        text.get(..byte)
            .map_or(at.column, |b| b.chars().count() + 1)
    });
    (input.doc.body_line + line - 1, column)
}

/// Whether `text` can be a footnote label: `[^text]` cites it.
pub(super) fn is_label(text: &str) -> bool {
    !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '[' | ']' | '^' | '\\'))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::run;

    #[test]
    fn raw_html_and_unsafe_urls_do_not_pass() {
        let (body, _) = run("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=x>b</b> ![i](data:text/html,x)\n", &[], false);
        assert!(!body.html.contains("<script"), "{}", body.html);
        assert!(!body.html.contains("<b "), "{}", body.html);
        assert!(!body.html.contains("javascript:"), "{}", body.html);
        assert!(!body.html.contains("data:text"), "{}", body.html);
        assert!(body.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn gfm_extensions() {
        let (body, _) = run(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~weg~~ https://example.org\n",
            &[],
            false,
        );
        assert!(body.html.contains("<table>"));
        assert!(body.html.contains("<del>weg</del>"));
        assert!(body.html.contains("<a href=\"https://example.org\">"));
    }
}
