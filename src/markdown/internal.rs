//! `::: internal` blocks: what only internal readers may see.
//!
//! The line scanner ([`check_internal_fences`]) checks how blocks open and close; comrak's tree
//! says where they are. Public readers get the body parsed again with those lines blanked out
//! ([`public_tree`]), so that nothing written inside (a footnote, a link reference definition)
//! reaches the text outside; public text that needs something from inside is an error for
//! every audience. Internal readers get the blocks kept and labelled.
//!
//! This module must never let the text of an internal block reach a public reader, by any
//! path: not as text, not as a footnote, not as a link, not through an error's hint.

use super::citations::MAX_UNDEFINED_CITATIONS;
use super::citations::{citations_in, split_autolinked_citations, Finder, Written};
use super::parse::{drop_added, options, position_in_file, text_runs, Parsed};
use super::prepare::{Prepared, PreparedContent};
use super::Input;
use crate::diagnostics::Problem;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

/// The body as public readers get it, and the footnotes written only inside internal blocks.
pub(super) struct PublicTree<'a> {
    pub(super) root: &'a AstNode<'a>,
    /// Labels (lowercased) of footnotes defined inside an internal block and nowhere else.
    pub(super) internal_notes: Vec<String>,
}

/// Parses the body with the lines of its internal blocks (`internal_lines`, comrak's
/// numbering) blanked out, and reports public text that uses what those blocks define.
pub(super) fn public_tree<'a>(
    arena: &'a Arena<'a>,
    input: &Input,
    parsed: &Parsed,
    internal_lines: &[std::ops::RangeInclusive<usize>],
    problems: &mut Vec<Problem>,
) -> PublicTree<'a> {
    let (markdown, added) = (&parsed.markdown, parsed.added);
    // The body as public readers get it: the internal blocks blanked out before parsing,
    // so that nothing written in one (a footnote, a link reference definition) can reach
    // what is outside it. Public text that needs something from inside is an error, for
    // every audience, so that an internal build finds what would break a public one.
    let public_markdown = blank_lines(markdown, internal_lines);
    let public = comrak::parse_document(arena, &public_markdown, &options(input.id_prefix));
    drop_added(public, added);
    split_autolinked_citations(arena, public, input);
    let written_inside = definitions_in(&markdown[parsed.head_len..], internal_lines, added);
    let internal_notes: Vec<String> = written_inside
        .footnotes
        .iter()
        .filter(|label| !defined_outside(public, label))
        .cloned()
        .collect();
    report_internal_references(
        public,
        input,
        added,
        &internal_notes,
        &written_inside.links,
        problems,
    );
    PublicTree {
        root: public,
        internal_notes,
    }
}

/// `::: internal` must be closed: an unclosed block would hide (or, for internal readers, swallow)
/// the rest of the body.
pub(super) fn check_internal_fences(input: &Input, text: &str, problems: &mut Vec<Problem>) {
    let mut open: Option<usize> = None;
    for (i, line) in text.split('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(rest) = trimmed.strip_prefix(":::") {
            let rest = rest.trim_start_matches(':').trim();
            if rest.ends_with(":::") {
                // `::: internal :::` is no block at all for comrak: its text would show.
                problems.push(
                    input
                        .doc
                        .error(
                            (input.doc.body_line + i, 1, trimmed.chars().count()),
                            "unclosed-block",
                            "a `:::` block cannot open and close on one line",
                        )
                        .with_hint(
                            "put `::: internal` and the closing `:::` on lines of their own",
                        ),
                );
                continue;
            }
            if rest.is_empty() {
                open = None;
            } else if open.is_none() {
                open = Some(i);
            }
        }
    }
    if let Some(i) = open {
        problems.push(
            input
                .doc
                .error(
                    (input.doc.body_line + i, 1, 3),
                    "unclosed-block",
                    NEVER_CLOSED,
                )
                .with_hint("end the block with a line containing only `:::`"),
        );
    }
}

/// A `:::` line that names `internal` but that comrak does not read as a block: indented
/// as code, inside a fenced code block or an HTML block, continuing a paragraph or a footnote.
/// The line scanner above is satisfied by it, and its text would be published as it is, so it
/// is an error for every audience. So is an internal block whose closing `:::` comrak does not
/// see (indented as code, say): the block then runs on over the text after it.
///
/// `root` is the body parsed with every block in it (comrak's numbering, `added` lines first).
pub(super) fn check_unseen_blocks<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    problems: &mut Vec<Problem>,
) {
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    let openings = check_block_ends(root, input, added, &lines, problems);
    check_block_lines(root, input, added, &lines, &openings, problems);
}

/// Reports each internal block whose closing `:::` comrak does not see. Returns the lines
/// (comrak's numbering) where comrak opens a `:::` block, of any name.
fn check_block_ends<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    lines: &[&str],
    problems: &mut Vec<Problem>,
) -> Vec<usize> {
    let mut openings = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let NodeValue::BlockDirective(ref d) = data.value else {
            continue;
        };
        openings.push(data.sourcepos.start.line);
        let end = data.sourcepos.end.line;
        let closed = end > data.sourcepos.start.line
            && end > added
            && lines
                .get(end - added - 1)
                .is_some_and(|line| is_closing_fence(line));
        if d.info.trim() == "internal" && !closed {
            let (line, column) = position_in_file(input, lines, added, data.sourcepos.start);
            // The line scanner already says when no `:::` follows at all.
            let scanned = problems
                .iter()
                .any(|p| p.line == line && p.file == input.doc.file && p.code == "unclosed-block");
            if !scanned {
                problems.push(
                    input
                        .doc
                        .error(
                            (line, column, 3),
                            "unclosed-block",
                            "this `::: internal` block is never closed where Markdown sees it",
                        )
                        .with_hint(
                            "end it with a line containing only `:::`, indented like the \
                             `::: internal` line and outside any code block",
                        ),
                );
            }
        }
    }
    openings
}

/// Reports each line that names an internal block where comrak opens none (`openings`).
fn check_block_lines<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    lines: &[&str],
    openings: &[usize],
    problems: &mut Vec<Problem>,
) {
    for (i, text) in lines.iter().enumerate() {
        let Some(column) = names_internal(text) else {
            continue;
        };
        if openings.contains(&(added + i + 1)) {
            continue;
        }
        let line = input.doc.body_line + i;
        if already_reported(problems, input, line) {
            continue;
        }
        // What is no block cannot be unclosed: this message says what is wrong instead.
        problems
            .retain(|p| !(p.line == line && p.file == input.doc.file && p.message == NEVER_CLOSED));
        let why = container_of(root, added + i + 1);
        problems.push(
            input
                .doc
                .error(
                    (line, column, text.trim().chars().count()),
                    "unseen-internal-block",
                    format!("`::: internal` {why} is no block: its text would be published"),
                )
                .with_hint(
                    "start `::: internal` at the beginning of a line of its own, after a blank \
                     line and outside code, HTML and footnotes; end the block with `:::`",
                ),
        );
    }
}

/// The (1-based, character) column of the `:::` of a line that opens a block named like
/// `internal` (`::: internal`, `:::: Internal`, `> - ::: intern`), after any quote and list
/// markers and indentation; `None` for any other line.
fn names_internal(line: &str) -> Option<usize> {
    let rest = strip_container_markers(line);
    let name = rest.strip_prefix(":::")?.trim_start_matches(':').trim();
    name.to_lowercase()
        .contains("intern")
        .then(|| line[..line.len() - rest.len()].chars().count() + 1)
}

/// `line` without the indentation and the quote (`>`) and list (`-`, `*`, `+`, `1.`, `1)`)
/// markers before its text. Any Unicode space and the invisible zero-width characters count as
/// indentation: `\u{a0}::: internal` is no block for comrak, and looks like one to an author.
fn strip_container_markers(line: &str) -> &str {
    let invisible = |c: char| {
        c.is_whitespace()
            || c == '>'
            || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
    };
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches(invisible);
        let digits = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
        let after_marker = match trimmed.chars().next() {
            Some('-' | '*' | '+') => &trimmed[1..],
            _ if digits.len() < trimmed.len() && digits.starts_with(['.', ')']) => &digits[1..],
            _ => trimmed,
        };
        let next = if after_marker.len() < trimmed.len()
            && (after_marker.is_empty() || after_marker.starts_with([' ', '\t']))
        {
            after_marker
        } else {
            trimmed
        };
        if next.len() == rest.len() {
            return rest;
        }
        rest = next;
    }
}

/// Whether `line` (with its quote markers and indentation) is a closing `:::`.
fn is_closing_fence(line: &str) -> bool {
    let text = strip_container_markers(line).trim_end();
    text.len() >= 3 && text.chars().all(|c| c == ':')
}

/// Where the line `line` (comrak's numbering) is, as comrak read it, for the message.
fn container_of<'a>(root: &'a AstNode<'a>, line: usize) -> &'static str {
    let mut why = "here";
    for node in root.descendants() {
        let data = node.data();
        if !(data.sourcepos.start.line..=data.sourcepos.end.line).contains(&line) {
            continue;
        }
        why = match data.value {
            NodeValue::CodeBlock(ref c) if c.fenced => "inside a fenced code block",
            NodeValue::CodeBlock(_) => "indented as code",
            NodeValue::HtmlBlock(_) => "inside an HTML block",
            NodeValue::Paragraph => "inside a paragraph",
            NodeValue::Table(_) => "inside a table",
            _ => continue,
        };
    }
    why
}

/// Whether an error more precise than ours is already on `line` (a block opened and closed on
/// one line, a block of another name): one mistake, one message.
fn already_reported(problems: &[Problem], input: &Input, line: usize) -> bool {
    problems.iter().any(|p| {
        p.line == line
            && p.file == input.doc.file
            && matches!(p.code, "unclosed-block" | "unknown-block")
            && p.message != NEVER_CLOSED
    })
}

/// The line scanner's message for a block it never sees closed.
const NEVER_CLOSED: &str = "this `:::` block is never closed";

/// Removes or labels `::: internal` blocks. Any other `:::` name is an error: the block's text
/// would be published, and `::: Internal`, `::: intern` or `::: internal :::` are most often
/// meant to hide it.
pub(super) fn handle_directives<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    problems: &mut Vec<Problem>,
) {
    let directives: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::BlockDirective(_)))
        .collect();
    for node in directives {
        let (name, line) = {
            let data = node.data();
            let NodeValue::BlockDirective(ref d) = data.value else {
                continue;
            };
            (d.info.trim().to_string(), data.sourcepos.start.line)
        };
        if name == "internal" {
            // Public readers get the body parsed without these blocks (see `prepare`); this
            // is only a second guard.
            if !input.internal_notes {
                node.detach();
            }
        } else {
            let hint = if crate::diagnostics::nearest(&name.to_lowercase(), ["internal"]).is_some()
                || name.to_lowercase().contains("intern")
            {
                "did you mean `::: internal`? Its text would be published as it is"
            } else {
                "kroniek knows only `::: internal`; to publish the text, remove the `:::` lines"
            };
            let message = if name.is_empty() {
                "a lone `:::` opens a block here, with no name".to_string()
            } else {
                format!("unknown block `::: {name}`")
            };
            problems.push(
                input
                    .doc
                    .error(
                        (input.doc.body_line + line - 1 - added, 1, 3),
                        "unknown-block",
                        message,
                    )
                    .with_hint(hint),
            );
        }
    }
}

/// The 1-based line ranges (in comrak's numbering) of the outermost `::: internal` blocks.
pub(super) fn internal_line_ranges<'a>(
    root: &'a AstNode<'a>,
) -> Vec<std::ops::RangeInclusive<usize>> {
    let mut ranges: Vec<std::ops::RangeInclusive<usize>> = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        if matches!(data.value, NodeValue::BlockDirective(ref d) if d.info.trim() == "internal") {
            let (start, end) = (data.sourcepos.start.line, data.sourcepos.end.line);
            if !ranges.iter().any(|r| r.contains(&start)) {
                ranges.push(start..=end.max(start));
            }
        }
    }
    ranges
}

/// `markdown` with the lines in `ranges` emptied (their container prefix, such as `> ` of a
/// quote, kept), so that line numbers stay as they were.
fn blank_lines(markdown: &str, ranges: &[std::ops::RangeInclusive<usize>]) -> String {
    let mut out = String::with_capacity(markdown.len());
    for (i, line) in markdown.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if ranges.iter().any(|r| r.contains(&(i + 1))) {
            let prefix = line.len() - line.trim_start_matches(['>', ' ', '\t']).len();
            out.push_str(line[..prefix].trim_end_matches([' ', '\t']));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// What was written inside internal blocks that text elsewhere can use: footnote labels and
/// link reference labels, lowercased. `body` is the body's text; `ranges` count `added` lines
/// before it.
struct WrittenInside {
    footnotes: Vec<String>,
    links: Vec<String>,
}

fn definitions_in(
    body: &str,
    ranges: &[std::ops::RangeInclusive<usize>],
    added: usize,
) -> WrittenInside {
    let mut inside = WrittenInside {
        footnotes: Vec::new(),
        links: Vec::new(),
    };
    let mut outside_links = Vec::new();
    for (i, line) in body.split('\n').enumerate() {
        let rest = line.trim_start_matches(['>', ' ', '\t']);
        let Some(label) = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once("]:"))
            .map(|(label, _)| label)
        else {
            continue;
        };
        if label.is_empty() || label.contains(['[', ']']) {
            continue;
        }
        let label = label
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let is_inside = ranges.iter().any(|r| r.contains(&(added + i + 1)));
        match (label.strip_prefix('^'), is_inside) {
            (Some(note), true) => inside.footnotes.push(note.to_string()),
            (None, true) => inside.links.push(label),
            (None, false) => outside_links.push(label),
            (Some(_), false) => {}
        }
    }
    inside.links.retain(|l| !outside_links.contains(l));
    inside
}

/// Whether `public` has a definition of the footnote `label`.
fn defined_outside<'a>(public: &'a AstNode<'a>, label: &str) -> bool {
    public.children().any(|n| {
        matches!(n.data().value, NodeValue::FootnoteDefinition(ref d) if d.name.to_lowercase() == label)
    })
}

/// Public text (outside every `::: internal` block; `public` is the body parsed with those
/// blocks blanked out) that cites a footnote written only inside an internal block, or uses a
/// link reference defined only there. Public readers would lose the citation or link (or, if
/// it were resolved, see what the block holds), so it is an error.
fn report_internal_references<'a>(
    public: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    notes: &[String],
    links: &[String],
    problems: &mut Vec<Problem>,
) {
    if notes.is_empty() && links.is_empty() {
        return;
    }
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    let mut finder = Finder::default();
    let mut reported = 0;
    for (run, at) in text_runs(public) {
        let line = at.line.saturating_sub(added).max(1);
        let text = lines.get(line - 1).copied().unwrap_or("");
        let mut found = Vec::new();
        let mut cursor = at.column.saturating_sub(1);
        for (_, label) in citations_in(&run) {
            if !notes.contains(&label.to_lowercase()) {
                continue;
            }
            let column = match finder.find(line, text, &mut cursor, &label) {
                Written::Escaped => continue,
                Written::At(column) => column,
            };
            found.push((
                column,
                label.chars().count() + 3,
                "internal-citation",
                format!("`[^{label}]` cites a footnote written inside a `::: internal` block"),
                "public text cannot cite an internal note: move the citation into the block, \
                 or the footnote out of it",
            ));
        }
        let lower = run.to_lowercase();
        for label in links {
            let written = format!("[{label}]");
            if !lower.contains(&written) {
                continue;
            }
            let column = text
                .to_lowercase()
                .find(&written)
                .filter(|&at| !text[..at].ends_with('\\'))
                .map(|at| text[..at].chars().count() + 1);
            let Some(column) = column else { continue };
            found.push((
                column,
                written.chars().count(),
                "internal-link",
                format!("link `{written}` is defined inside a `::: internal` block"),
                "public text cannot use an internal link: move the link into the block, or its \
                 definition out of it",
            ));
        }
        for (column, width, code, message, hint) in found {
            if reported == MAX_UNDEFINED_CITATIONS {
                return;
            }
            reported += 1;
            problems.push(
                input
                    .doc
                    .error(
                        (input.doc.body_line + line - 1, column, width),
                        code,
                        message,
                    )
                    .with_hint(hint),
            );
        }
    }
}

/// The `::: internal` blocks left in a prepared tree (only for internal readers).
pub fn internal_blocks<'a>(root: &'a AstNode<'a>) -> Vec<&'a AstNode<'a>> {
    root.descendants()
        .filter(|n| matches!(n.data().value, NodeValue::BlockDirective(ref d) if d.info.trim() == "internal"))
        .collect()
}

/// Starts each footnote written inside an `::: internal` block with its label in bold, for the
/// exports that write notes from the tree (the HTML gives it a labelled paragraph instead).
pub fn label_internal_notes<'a>(arena: &'a Arena<'a>, prepared: &Prepared<'a>, label: &str) {
    for note in prepared.notes.iter().filter(|n| n.internal) {
        if let PreparedContent::Footnote(doc) = note.content {
            let paragraph: &'a AstNode<'a> = arena.alloc(NodeValue::Paragraph.into());
            let strong: &'a AstNode<'a> = arena.alloc(NodeValue::Strong.into());
            strong.append(arena.alloc(NodeValue::Text(label.to_string().into()).into()));
            paragraph.append(strong);
            doc.prepend(paragraph);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::run;
    use crate::markdown::NoteContent;

    #[test]
    fn internal_blocks_are_removed_or_labelled() {
        let body = "Openbaar.\n\n::: internal\nGeheim.\n:::\n\nNog openbaar.\n";
        let (public, problems) = run(body, &[], false);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!public.html.contains("Geheim"), "{}", public.html);
        assert!(public.html.contains("Nog openbaar"));
        let (internal, _) = run(body, &[], true);
        assert!(
            internal
                .html
                .contains("<div class=\"internal\"><p class=\"internal-label\">INTERN</p>"),
            "{}",
            internal.html
        );
        assert!(internal.html.contains("Geheim"));
    }

    #[test]
    fn footnotes_written_in_an_internal_block_stay_internal() {
        let body = "Openbaar. Ook.[^1]\n\n::: internal\nGeheim.[^b] [link][l]\n\n[^b]: Geheim b.\n\n[l]: https://geheim.example/\n:::\n\n[^1]: Openbare noot.\n";
        let (public, problems) = run(body, &[], false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(public.notes.len(), 1, "{:?}", public.notes);
        assert_eq!(
            public.notes[0].content,
            NoteContent::Footnote("<p>Openbare noot.</p>\n".into())
        );
        assert!(!public.html.contains("eheim"), "{}", public.html);
        let (internal, problems) = run(body, &[], true);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(internal.notes.len(), 2, "{:?}", internal.notes);
        let marked: Vec<bool> = internal.notes.iter().map(|n| n.internal).collect();
        assert_eq!(marked, [false, true], "{:?}", internal.notes);
        assert_eq!(
            internal.notes[1].content,
            NoteContent::Footnote(
                "<p class=\"internal-label\">INTERN</p>\n<p>Geheim b.</p>\n".into()
            )
        );
        assert!(internal.html.contains("href=\"https://geheim.example/\""));
    }

    #[test]
    fn public_text_cannot_use_what_an_internal_block_defines() {
        // Inside a quote too: the quote's `>` stays, the block goes.
        let body = "Openbaar.[^a] Zie [hier][l] en [l].\n\n> Citaat\n> ::: internal\n> [^a]: Geheim a.\n>\n> [l]: https://geheim.example/\n> :::\n> Verder\n";
        for internal in [false, true] {
            let (body, problems) = run(body, &[], internal);
            let found: Vec<_> = problems
                .iter()
                .map(|p| (p.code, p.line, p.column))
                .collect();
            assert_eq!(
                found,
                [("internal-citation", 4, 10), ("internal-link", 4, 25),],
                "internal: {internal}"
            );
            if !internal {
                assert!(!body.html.contains("eheim"), "{}", body.html);
                assert!(body.html.contains("Citaat") && body.html.contains("Verder"));
            }
        }
    }

    #[test]
    fn unclosed_internal_block_is_an_error() {
        let (public, problems) = run("A\n\n::: internal\nGeheim\n", &[], false);
        assert_eq!(problems.len(), 1, "one mistake, one message: {problems:?}");
        assert_eq!(problems[0].code, "unclosed-block");
        assert_eq!(problems[0].line, 6);
        assert!(!public.html.contains("Geheim"));
    }

    #[test]
    fn blocks_other_than_internal_are_errors() {
        for (body, code, line) in [
            ("A\n\n::: Internal\nGeheim\n:::\n", "unknown-block", 6),
            ("A\n\n::: intern\nGeheim\n:::\n", "unknown-block", 6),
            ("A\n\n::: note\nTekst\n:::\n", "unknown-block", 6),
            ("A\n\n::: internal :::\nGeheim\n", "unclosed-block", 6),
        ] {
            let (_, problems) = run(body, &[], false);
            let errors: Vec<_> = problems.iter().filter(|p| p.is_error()).collect();
            assert_eq!(errors.len(), 1, "{body:?}: {problems:?}");
            assert_eq!((errors[0].code, errors[0].line), (code, line), "{body:?}");
        }
        let (_, problems) = run("A\n\n::: Internal\nGeheim\n:::\n", &[], false);
        assert!(problems[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("::: internal"));
    }

    /// Every way to write `::: internal` that the line scanner accepts and comrak does not
    /// read as a block: each is an error at the `:::`, for both audiences.
    #[test]
    fn internal_lines_comrak_does_not_see_as_blocks_are_errors() {
        let cases: [(&str, &str, usize, usize); 14] = [
            (
                "A\n\n    ::: internal\n    Geheim\n    :::\n",
                "indented as code",
                6,
                5,
            ),
            (
                "A\n\n\t::: internal\nGeheim\n:::\n",
                "indented as code",
                6,
                2,
            ),
            (
                "A\n\n```\n::: internal\nGeheim\n:::\n```\n",
                "inside a fenced code block",
                7,
                1,
            ),
            (
                "A\n\n~~~\n:::: Internal\nGeheim\n::::\n~~~\n",
                "inside a fenced code block",
                7,
                1,
            ),
            (
                "A\n\n<div>\n::: internal\nGeheim\n:::\n</div>\n",
                "inside an HTML block",
                7,
                1,
            ),
            (
                "A\n    ::: internal\n    Geheim\n    :::\n",
                "inside a paragraph",
                5,
                5,
            ),
            (
                "A[^1]\n\n[^1]: Note\n\n        ::: internal\n        Geheim\n",
                "indented as code",
                8,
                9,
            ),
            (
                "> A\n>\n>     ::: internal\n>     Geheim\n",
                "indented as code",
                6,
                7,
            ),
            (
                "- A\n\n      ::: internal\n      Geheim\n",
                "indented as code",
                6,
                7,
            ),
            (
                "A\r\n\r\n    ::: internal\r\n    Geheim\r\n    :::\r\n",
                "indented as code",
                6,
                5,
            ),
            (
                "```\n::: internal   \nGeheim\n:::\n```\n",
                "inside a fenced code block",
                5,
                1,
            ),
            (
                "- ```\n  ::: intern\n  ```\n",
                "inside a fenced code block",
                5,
                3,
            ),
            (
                "A\n\n\u{a0}::: internal\nGeheim\n:::\n",
                "inside a paragraph",
                6,
                2,
            ),
            (
                "A\n\n\u{200b}::: internal\nGeheim\n:::\n",
                "inside a paragraph",
                6,
                2,
            ),
        ];
        for (body, why, line, column) in cases {
            for internal in [false, true] {
                let (_, problems) = run(body, &[], internal);
                let found: Vec<_> = problems
                    .iter()
                    .filter(|p| p.code == "unseen-internal-block")
                    .map(|p| (p.line, p.column, p.message.as_str(), p.is_error()))
                    .collect();
                let message =
                    format!("`::: internal` {why} is no block: its text would be published");
                assert_eq!(
                    found,
                    [(line, column, message.as_str(), true)],
                    "{body:?}: {problems:?}"
                );
            }
        }
        let (_, problems) = run("A\n\n    ::: internal\n", &[], false);
        assert_eq!(
            problems[0].hint.as_deref(),
            Some(
                "start `::: internal` at the beginning of a line of its own, after a blank line \
                 and outside code, HTML and footnotes; end the block with `:::`"
            )
        );
    }

    /// Where comrak does read the block (in a quote, a list item, after a paragraph line,
    /// with tabs, CRLF, trailing spaces or four colons), nothing more is reported and public
    /// readers get none of it.
    #[test]
    fn internal_blocks_comrak_sees_anywhere_are_removed_without_errors() {
        for body in [
            "A\n\n> ::: internal\n> Geheim\n> :::\n",
            "A\n\n- item\n\n  ::: internal\n  Geheim\n  :::\n",
            "1. ::: internal\n   Geheim\n   :::\n",
            "A lazy line\n::: internal\nGeheim\n:::\n",
            "A\n\n:::\tinternal\nGeheim\n:::\t\n",
            "A\r\n\r\n::: internal\r\nGeheim\r\n:::\r\n",
            "A\n\n::: internal   \nGeheim\n:::   \n",
            "A\n\n:::: internal\nGeheim\n::::\n",
            "A\n\n   :::internal\nGeheim\n:::\n",
            "A[^1]\n\n[^1]: Note\n    ::: internal\n    Geheim\n    :::\n",
        ] {
            let (public, problems) = run(body, &[], false);
            assert!(problems.is_empty(), "{body:?}: {problems:?}");
            assert!(!public.html.contains("eheim"), "{body:?}: {}", public.html);
            assert!(!format!("{:?}", public.notes).contains("eheim"), "{body:?}");
        }
    }

    /// A closing `:::` that comrak does not read as one (indented as code, or only the end of
    /// a quote) leaves the block running over the text after it: an error at the block.
    #[test]
    fn an_internal_block_whose_end_comrak_does_not_see_is_an_error() {
        for (body, line, column) in [
            ("A\n\n::: internal\nGeheim\n    :::\nStill\n", 6, 1),
            ("A\n\n::: internal\nGeheim\n\n    :::\n\nStill\n", 6, 1),
            ("> ::: internal\n> Geheim\n\n:::\n", 4, 3),
        ] {
            for internal in [false, true] {
                let (_, problems) = run(body, &[], internal);
                let found: Vec<_> = problems
                    .iter()
                    .filter(|p| p.code == "unclosed-block")
                    .map(|p| (p.line, p.column, p.message.as_str()))
                    .collect();
                assert_eq!(
                    found,
                    [(
                        line,
                        column,
                        "this `::: internal` block is never closed where Markdown sees it"
                    )],
                    "{body:?}: {problems:?}"
                );
            }
        }
    }
}
