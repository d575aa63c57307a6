//! Citations and notes: footnotes the author writes, sources cited like footnotes (`[^id]`),
//! and the one numbering per body that both share.
//!
//! Every citation must cite something: `[^label]` with no footnote and no source of that id is
//! an error at its line and column, as are footnotes defined twice or named like a source.
//! comrak's footnote nodes are replaced by empty markers for each output to fill in.
//!
//! This module must never number a footnote that public readers may not see (one written only
//! inside an `::: internal` block, see `internal`), nor report one citation twice.

use super::parse::text_runs;
use super::prepare::{PreparedContent, PreparedNote};
use super::Input;
use crate::diagnostics::Problem;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;
use std::collections::HashMap;

/// Footnote definitions written in the body (`[^1]: …`), by lowercased label, with their line.
/// Reports labels defined twice and labels that are also a source id.
pub(super) fn scan_definitions(
    input: &Input,
    text: &str,
    problems: &mut Vec<Problem>,
) -> HashMap<String, usize> {
    let mut defined = HashMap::new();
    let mut fence: Option<&str> = None;
    for (i, line) in text.split('\n').enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let marker = &trimmed[..3];
            fence = match fence {
                Some(open) if open == marker => None,
                None => Some(marker),
                other => other,
            };
            continue;
        }
        if fence.is_some() || line.len() - trimmed.len() > 3 {
            continue;
        }
        let Some(rest) = trimmed.strip_prefix("[^") else {
            continue;
        };
        let Some((label, _)) = rest.split_once("]:") else {
            continue;
        };
        if label.is_empty() || label.contains([' ', '\t', ']', '[']) {
            continue;
        }
        let line_number = input.doc.body_line + i;
        let column = line.len() - trimmed.len() + 1;
        let key = label.to_lowercase();
        if let Some(first) = defined.get(&key) {
            problems.push(
                input
                    .doc
                    .error(
                        (line_number, column, label.len() + 4),
                        "duplicate-footnote",
                        format!("footnote `[^{label}]` is defined twice"),
                    )
                    .with_hint(format!(
                        "the first definition is on line {first}; remove or rename one"
                    )),
            );
            continue;
        }
        if input
            .sources
            .iter()
            .any(|s| s.id.as_deref().map(str::to_lowercase) == Some(key.clone()))
        {
            problems.push(
                input
                    .doc
                    .error(
                        (line_number, column, label.len() + 4),
                        "footnote-is-source",
                        format!("footnote `[^{label}]` has the same name as a source"),
                    )
                    .with_hint("rename the footnote or the source's `id`"),
            );
            continue;
        }
        defined.insert(key, line_number);
    }
    defined
}

/// At most this many undefined citations are reported per body.
pub(super) const MAX_UNDEFINED_CITATIONS: usize = 50;

/// `[^nope]` with no definition and no source of that id stays text in comrak's output; that
/// is almost always a typo in a citation, so it is an error. Labels in `skip` (notes written
/// inside an internal block, reported by [`report_internal_references`]) are left out.
pub(super) fn report_undefined_citations<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    skip: &[String],
    problems: &mut Vec<Problem>,
) {
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    let mut finder = Finder::default();
    let mut reported = 0;
    for (run, at) in text_runs(root) {
        let line = at.line.saturating_sub(added).max(1);
        // Where the next citation of this run may be written on its line.
        let mut cursor = at.column.saturating_sub(1);
        for (offset, label) in citations_in(&run) {
            let written = lines
                .get(line - 1)
                .map(|text| finder.find(line, text, &mut cursor, &label));
            let column = match written {
                Some(Written::Escaped) => continue,
                Some(Written::At(column)) => column,
                None => at.column + run[..offset].chars().count(),
            };
            if skip.contains(&label.to_lowercase()) {
                continue;
            }
            // A huge file full of one typo needs no million messages.
            if reported == MAX_UNDEFINED_CITATIONS {
                return;
            }
            reported += 1;
            problems.push(
                input
                    .doc
                    .error(
                        (
                            input.doc.body_line + line - 1,
                            column,
                            label.chars().count() + 3,
                        ),
                        "undefined-citation",
                        format!("`[^{label}]` cites nothing"),
                    )
                    .with_hint(hint_for_citation(&label, input)),
            );
        }
    }
}

pub(super) fn hint_for_citation(label: &str, input: &Input) -> String {
    let ids: Vec<&str> = input
        .sources
        .iter()
        .filter_map(|s| s.id.as_deref())
        .collect();
    match crate::diagnostics::nearest(label, ids.iter().copied()) {
        Some(near) => format!("did you mean `[^{near}]`?"),
        None => format!("add a source with `id: {label}` or a footnote `[^{label}]: …`"),
    }
}

/// Gives back the citations that comrak's autolinker took into a URL.
///
/// comrak links `https://example.org/page.[^s]` as one URL, brackets included (cmark-gfm
/// autolinks after parsing footnotes, so GitHub does not), and authors write exactly that: a
/// URL, then the source. A link whose text is its own URL and that contains `[^label]` for a
/// source or footnote of this event is cut there; the citations after it become references
/// again, and trailing punctuation (`.`) leaves the link as it would at the end of any URL.
pub(super) fn split_autolinked_citations<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    input: &Input,
) {
    let defined: Vec<String> = root
        .children()
        .filter_map(|n| match n.data().value {
            NodeValue::FootnoteDefinition(ref d) => Some(d.name.to_lowercase()),
            _ => None,
        })
        .chain(
            input
                .sources
                .iter()
                .filter_map(|s| s.id.as_ref().map(|id| id.to_lowercase())),
        )
        .collect();
    let links: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::Link(ref l) if l.url.contains("[^")))
        .collect();
    for link in links {
        let Some(text) = autolink_text(link) else {
            continue;
        };
        let Some(cut) = citations_in(&text)
            .into_iter()
            .find(|(_, label)| defined.contains(&label.to_lowercase()))
            .map(|(offset, _)| offset)
        else {
            continue;
        };
        let kept = text[..cut].trim_end_matches(['.', ',', ':', ';', '!', '?', '*', '_', '~']);
        if kept.is_empty() {
            continue;
        }
        let after = text[kept.len()..].to_string();
        if let NodeValue::Link(ref mut l) = link.data_mut().value {
            let dropped = text.len() - kept.len();
            l.url.truncate(l.url.len() - dropped);
        }
        if let Some(child) = link.first_child() {
            child.data_mut().value = NodeValue::Text(kept.to_string().into());
        }
        let mut previous = link;
        for node in citation_nodes(&after, &defined) {
            let node: &'a AstNode<'a> = arena.alloc(node.into());
            previous.insert_after(node);
            previous = node;
        }
    }
}

/// The text of a link that shows its own URL (an autolink), when it is one text node.
pub(super) fn autolink_text<'a>(link: &'a AstNode<'a>) -> Option<String> {
    let child = link.first_child()?;
    if child.next_sibling().is_some() {
        return None;
    }
    let text = match child.data().value {
        NodeValue::Text(ref t) => t.to_string(),
        _ => return None,
    };
    match link.data().value {
        NodeValue::Link(ref l) if l.url.ends_with(text.as_str()) => Some(text),
        _ => None,
    }
}

/// `text` as text nodes and references: `[^label]` for a `defined` label becomes a reference.
pub(super) fn citation_nodes(text: &str, defined: &[String]) -> Vec<NodeValue> {
    let mut nodes = Vec::new();
    let mut from = 0;
    for (offset, label) in citations_in(text) {
        if !defined.contains(&label.to_lowercase()) {
            continue;
        }
        if offset > from {
            nodes.push(NodeValue::Text(text[from..offset].to_string().into()));
        }
        nodes.push(NodeValue::FootnoteReference(Box::new(
            comrak::nodes::NodeFootnoteReference {
                name: label.clone(),
                texts: Vec::new(),
                ref_num: 0,
                ix: 0,
            },
        )));
        from = offset + label.len() + 3;
    }
    if from < text.len() {
        nodes.push(NodeValue::Text(text[from..].to_string().into()));
    }
    nodes
}

/// How a citation that comrak's text shows is written in the body.
pub(super) enum Written {
    /// `\\[^label]`: brackets written as text.
    Escaped,
    /// A citation at this (1-based, character) column.
    At(usize),
}

/// Finds where the citations that comrak's text shows are written in the body. comrak's text
/// has lost the backslash of `\\[^1]`, the way authors write the brackets as text, which was
/// then reported as a citation of nothing (found by fuzzing); and escapes or entities before a
/// citation on its line shifted the reported column.
#[derive(Default)]
pub(super) struct Finder {
    /// Per line and label: whether the line has the citation unescaped anywhere.
    anywhere: HashMap<(usize, String), bool>,
    /// Per line and label: a byte after which the line does not have the citation at all, so
    /// that many escaped citations on one long line are not searched for again and again.
    missing_after: HashMap<(usize, String), usize>,
}

impl Finder {
    /// How `[^label]` is written on `text` (line `line` of the body) at or after byte `cursor`,
    /// which moves past it. Linear in the line over all the citations of one text run.
    pub(super) fn find(
        &mut self,
        line: usize,
        text: &str,
        cursor: &mut usize,
        label: &str,
    ) -> Written {
        let citation = format!("[^{label}]");
        let key = (line, label.to_string());
        let searched = self.missing_after.get(&key).is_some_and(|m| *cursor >= *m);
        let found = text
            .get(*cursor..)
            .filter(|_| !searched)
            .and_then(|rest| rest.find(&citation))
            .map(|at| *cursor + at);
        let Some(at) = found else {
            let after = self.missing_after.entry(key).or_insert(*cursor);
            *after = (*after).min(*cursor);
            // Not where comrak says: written with escapes (`[\\^1]`, `&#91;^1]`), unless the
            // line has it somewhere as it is.
            let anywhere = self
                .anywhere
                .entry((line, label.to_string()))
                .or_insert_with(|| {
                    text.match_indices(&citation)
                        .any(|(at, _)| !text[..at].ends_with('\\'))
                });
            return if *anywhere {
                Written::At(text.get(..*cursor).map_or(1, |t| t.chars().count() + 1))
            } else {
                Written::Escaped
            };
        };
        *cursor = at + citation.len();
        if text[..at].ends_with('\\') {
            Written::Escaped
        } else {
            Written::At(text[..at].chars().count() + 1)
        }
    }
}

/// Byte offsets and labels of `[^label]` in text.
pub(super) fn citations_in(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[^") {
        let start = from + i;
        let rest = &text[start + 2..];
        match rest.find(']') {
            Some(end) if end > 0 && !rest[..end].contains([' ', '\t', '[']) => {
                found.push((start, rest[..end].to_string()));
                from = start + 2 + end;
            }
            _ => from = start + 2,
        }
    }
    found
}

/// Numbers references in order of first appearance, then uncited sources; replaces comrak's
/// footnote nodes with our markers and returns the notes.
pub(super) fn number_notes<'a>(
    arena: &'a Arena<'a>,
    root: &'a AstNode<'a>,
    input: &Input,
    internal_lines: &[std::ops::RangeInclusive<usize>],
) -> Vec<PreparedNote<'a>> {
    let source_index: HashMap<String, usize> = input
        .sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.id.as_ref().map(|id| (id.to_lowercase(), i)))
        .collect();
    // comrak moves footnote definitions to the end of the document; the stubs we added for
    // sources are among them.
    let definitions: Vec<(String, &'a AstNode<'a>)> = root
        .children()
        .filter_map(|n| match n.data().value {
            NodeValue::FootnoteDefinition(ref d) => Some((d.name.to_lowercase(), n)),
            _ => None,
        })
        .filter(|(name, def)| !(source_index.contains_key(name) && is_stub(def)))
        .collect();

    // By name, so that numbering stays linear in the number of notes (a search through the
    // list for each new note took 4 s for 40,000 footnotes). The first definition of a name
    // wins, as it did with the search.
    let mut definition_of: HashMap<&str, &'a AstNode<'a>> = HashMap::new();
    for (name, def) in &definitions {
        definition_of.entry(name.as_str()).or_insert(*def);
    }

    // Every reference, in document order: the body's first, then those inside footnotes.
    let mut notes: Vec<PreparedNote<'a>> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let references: Vec<_> = root
        .descendants()
        .filter(|n| matches!(n.data().value, NodeValue::FootnoteReference(_)))
        .collect();
    for node in references {
        let name = match node.data().value {
            NodeValue::FootnoteReference(ref r) => r.name.to_lowercase(),
            _ => continue,
        };
        let index = *by_name.entry(name.clone()).or_insert_with(|| {
            let footnote = definition_of.get(name.as_str()).copied();
            let content = match (source_index.get(&name), footnote) {
                (Some(&i), None) => PreparedContent::Source(i),
                // The definition's blocks move to a document of their own below.
                _ => PreparedContent::Footnote(arena.alloc(NodeValue::Document.into())),
            };
            let internal = footnote.is_some_and(|def| {
                let line = def.data().sourcepos.start.line;
                internal_lines.iter().any(|r| r.contains(&line))
            });
            notes.push(PreparedNote {
                number: notes.len() + 1,
                internal,
                markers: Vec::new(),
                content,
            });
            notes.len() - 1
        });
        node.data_mut().value = NodeValue::Raw(String::new());
        notes[index].markers.push(node);
    }

    // Footnote definitions leave the body; the cited ones become notes.
    for def in root
        .children()
        .filter(|n| matches!(n.data().value, NodeValue::FootnoteDefinition(_)))
        .collect::<Vec<_>>()
    {
        def.detach();
    }
    for (name, def) in &definitions {
        let Some(&index) = by_name.get(name) else {
            continue;
        };
        if let PreparedContent::Footnote(doc) = notes[index].content {
            for child in def.children().collect::<Vec<_>>() {
                doc.append(child);
            }
        }
    }

    // Sources the body does not cite: markers after the text.
    let cited: std::collections::HashSet<usize> = notes
        .iter()
        .filter_map(|n| match n.content {
            PreparedContent::Source(i) => Some(i),
            _ => None,
        })
        .collect();
    // A register source the body only cites (`cited_only`) is the event's only where this
    // reader sees it cited: uncited here (inside an internal block, for a public reader), it
    // gets no marker and leaves no trace.
    let uncited: Vec<usize> = (0..input.sources.len())
        .filter(|&i| !cited.contains(&i) && !input.sources[i].cited_only)
        .collect();
    if !uncited.is_empty() {
        let paragraph = match root.last_child() {
            Some(last) if matches!(last.data().value, NodeValue::Paragraph) => last,
            _ => {
                let p: &'a AstNode<'a> = arena.alloc(NodeValue::Paragraph.into());
                root.append(p);
                p
            }
        };
        for i in uncited {
            let node: &'a AstNode<'a> = arena.alloc(NodeValue::Raw(String::new()).into());
            paragraph.append(node);
            notes.push(PreparedNote {
                number: notes.len() + 1,
                internal: false,
                markers: vec![node],
                content: PreparedContent::Source(i),
            });
        }
    }
    notes
}

/// The definition we added for a source id (`[^id]: source`), as opposed to one the author wrote.
pub(super) fn is_stub<'a>(def: &'a AstNode<'a>) -> bool {
    def.children().count() == 1
        && def.first_child().is_some_and(|p| {
            p.children().count() == 1
                && matches!(p.first_child().map(|t| t.data().value.clone()), Some(NodeValue::Text(ref t)) if t == "source")
        })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{run, source};
    use super::MAX_UNDEFINED_CITATIONS;
    use crate::markdown::NoteContent;

    #[test]
    fn a_citation_right_after_a_url_stays_a_citation() {
        let sources = [source(Some("s"), "S")];
        let (body, problems) = run(
            "See https://e.org/page.[^s] and www.e.org[^s], then https://e.org/a[^1].\n\n[^1]: Note.\n",
            &sources,
            false,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert!(
            body.html.contains(r##"<a href="https://e.org/page">https://e.org/page</a>.<sup class="note-ref"><a href="#ev.fn1" id="ev.ref1">1</a></sup>"##),
            "{}",
            body.html
        );
        assert!(
            body.html
                .contains(r#"<a href="http://www.e.org">www.e.org</a><sup"#),
            "{}",
            body.html
        );
        assert!(
            body.html.contains(r##"<a href="https://e.org/a">https://e.org/a</a><sup class="note-ref"><a href="#ev.fn2" id="ev.ref2">2</a></sup>."##),
            "{}",
            body.html
        );
        assert_eq!(body.notes.len(), 2);
        assert_eq!(body.notes[0].content, NoteContent::Source(0));
    }

    #[test]
    fn brackets_in_a_url_that_cite_nothing_stay_in_the_url() {
        let (body, problems) = run(
            "See https://e.org/x[1] and https://e.org/y[^zz].\n",
            &[],
            false,
        );
        assert!(
            body.html.contains(r#"href="https://e.org/x%5B1%5D""#),
            "{}",
            body.html
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("`[^zz]` cites nothing"));
    }

    #[test]
    fn footnotes_nobody_cites_and_the_keeper_paragraph_leave_no_trace() {
        let (body, problems) = run(
            "- a list item\n- another[^used]\n\n[^used]: Used.\n\n[^unused]: Never cited.\n",
            &[],
            false,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(body.notes.len(), 1);
        assert!(!body.html.contains("unused") && !body.html.contains("Never cited"));
        assert!(body.html.trim_end().ends_with("</ul>"), "{}", body.html);
    }

    #[test]
    fn sources_and_footnotes_share_one_numbering() {
        let sources = [
            source(Some("sec"), "Security.NL"),
            source(None, "Kamerstuk"),
        ];
        let (body, problems) = run(
            "Eerst[^1], dan bron[^sec] en weer[^1].\n\n[^1]: Noot.\n",
            &sources,
            false,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let numbers: Vec<_> = body
            .notes
            .iter()
            .map(|n| (n.number, n.content.clone()))
            .collect();
        assert_eq!(
            numbers,
            vec![
                (1, NoteContent::Footnote("<p>Noot.</p>\n".into())),
                (2, NoteContent::Source(0)),
                (3, NoteContent::Source(1)),
            ]
        );
        assert_eq!(body.notes[0].backrefs, vec!["ev.ref1", "ev.ref1.2"]);
        assert!(
            body.html
                .contains("<a href=\"#ev.fn3\" id=\"ev.ref3\">3</a></sup></p>"),
            "{}",
            body.html
        );
        assert!(
            !body.html.contains("footnotes"),
            "comrak's own footnote list must not appear"
        );
    }

    #[test]
    fn undefined_citation_is_located() {
        let (_, problems) = run(
            "Tekst.\n\nZie [^nope] hier.\n",
            &[source(Some("nop"), "x")],
            false,
        );
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!((p.code, p.line, p.column), ("undefined-citation", 6, 5));
        assert_eq!(p.hint.as_deref(), Some("did you mean `[^nop]`?"));
    }

    #[test]
    fn escaped_brackets_are_text_not_a_citation() {
        let (body, problems) = run("Write \\[^1] for a footnote.\n", &[], false);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(body.html.contains("Write [^1] for"), "{}", body.html);
        let (_, problems) = run("Both \\[^x] and [^x].\n", &[], false);
        assert_eq!(problems.len(), 1, "the unescaped one is still an error");
        assert_eq!(problems[0].column, 16);
        let (_, problems) = run("[\\^1] and &#91;^2] and [^3\\].\n", &[], false);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn undefined_citations_are_capped_and_found_in_linear_time() {
        let (_, problems) = run(&"x[^nope] \\[^nope] [\\^nope] ".repeat(20_000), &[], false);
        assert_eq!(problems.len(), MAX_UNDEFINED_CITATIONS);
        assert_eq!((problems[1].line, problems[1].column), (4, 29));
    }

    /// Many notes are all numbered, in order of first citation. (Numbering used to search the
    /// definitions once per note: 40,000 footnotes took 16 times as long as 10,000. How it
    /// scales now is measured in `benches/footnotes.rs`, not timed here.)
    #[test]
    fn thousands_of_footnotes_are_all_numbered_in_order() {
        let n = 5_000;
        let cites: String = (0..n).map(|i| format!("Claim {i}[^n{i}].\n")).collect();
        let notes: String = (0..n)
            .rev()
            .map(|i| format!("[^n{i}]: Note {i}.\n\n"))
            .collect();
        let (rendered, problems) = run(&format!("{cites}\n{notes}"), &[], false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(rendered.notes.len(), n);
        assert!(rendered.html.contains("Claim 4999"));
        for (i, note) in rendered.notes.iter().enumerate() {
            assert_eq!(note.number, i + 1);
            // In the order of citation, not of definition (the definitions are reversed).
            match &note.content {
                NoteContent::Footnote(html) => {
                    assert!(html.contains(&format!("Note {i}.")), "{html}")
                }
                other => panic!("a footnote, not {other:?}"),
            }
        }
    }

    #[test]
    fn footnote_defined_twice() {
        let (_, problems) = run("A[^1]\n\n[^1]: a\n\n[^1]: b\n", &[], false);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].code, problems[0].line),
            ("duplicate-footnote", 8)
        );
    }

    #[test]
    fn citations_inside_footnotes_are_numbered_too() {
        let sources = [source(Some("st"), "Statement")];
        let (body, problems) = run(
            "Text[^1].\n\n[^1]: See the statement[^st].\n",
            &sources,
            false,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(body.notes.len(), 2);
        assert_eq!(body.notes[1].content, NoteContent::Source(0));
        let NoteContent::Footnote(ref html) = body.notes[0].content else {
            panic!()
        };
        assert!(
            html.contains("<a href=\"#ev.fn2\" id=\"ev.ref2\">2</a>"),
            "{html}"
        );
        assert!(!body.html.contains("footnote-ref") && !html.contains("footnote-ref"));
    }
}
