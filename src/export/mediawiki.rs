//! The MediaWiki export: wikitext with `<ref>` citations and `<references />`.
//!
//! Written from comrak's tree by a small writer of our own (comrak has none for wikitext).
//! Sources cited more than once in the file (by several events, or twice by one) become named
//! refs: the first citation carries the text, later ones point to it. Text is escaped so that
//! nothing an author writes is read as wiki markup: `[`, `]`, `{`, `}`, `|`, `'`, `<`, `>`, `&`,
//! `~` and line-start markers become character references.

use super::{Citation, Export};
use crate::diagnostics::Problem;
use crate::markdown::{self, Prepared, PreparedContent};
use crate::model::Source;
use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::Arena;
use std::collections::{HashMap, HashSet};

pub fn document(export: &Export) -> Result<String, Vec<Problem>> {
    let site = &export.view.timeline.site;
    let t = crate::i18n::strings(export.language());
    let mut problems = Vec::new();
    let mut refs = Refs::new(export);
    let mut out = format!("'''{}'''\n\n", escape(&export.title()));
    if let Some(description) = &site.description {
        out.push_str(&format!("''{}''\n\n", escape(description)));
    }
    let intro = body(
        export,
        export.intro_input(1),
        "_intro",
        &[],
        &mut refs,
        &mut problems,
    );
    push_block(&mut out, &intro);

    for (day, events) in export.days() {
        out.push_str(&format!(
            "== {} ==\n\n",
            heading_escape(&day.date_text(export.language()))
        ));
        for event in events {
            out.push_str(&format!("=== {} ===\n\n", heading_escape(&event.title)));
            for flag in export.flags(event) {
                out.push_str(&format!("'''{}''' ", escape(flag)));
            }
            out.push_str(&format!("''{}''\n\n", escape(&export.meta_line(event))));
            let text = body(
                export,
                export.input(event, 3),
                &event.slug,
                &event.sources,
                &mut refs,
                &mut problems,
            );
            push_block(&mut out, &text);
            for (label, note) in export.correction_lines(event) {
                let note = note.map(|n| format!(": {}", escape(n))).unwrap_or_default();
                out.push_str(&format!("''{}''{note}\n\n", escape(&label)));
            }
        }
    }
    out.push_str(&format!(
        "== {} ==\n\n<references />\n",
        heading_escape(t.sources)
    ));
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(out)
}

fn push_block(out: &mut String, block: &str) {
    let block = block.trim();
    if !block.is_empty() {
        out.push_str(block);
        out.push_str("\n\n");
    }
}

/// Which sources are cited more than once in the whole file, and which named refs have been
/// written out already.
///
/// A named ref shows the text of its first citation wherever it is used, so two citations
/// share one only when their text is the same: the same URL with another title, date or
/// archived copy, or two untitled press releases of different publishers, stay two refs
/// (unlike the sources page, which lists a document once by URL).
struct Refs {
    /// Citation text -> how many citations have it in the file.
    counts: HashMap<String, usize>,
    /// Citation text -> the name of its ref.
    names: HashMap<String, String>,
    written: HashSet<String>,
}

impl Refs {
    fn new(export: &Export) -> Refs {
        let language = export.language();
        let archived = crate::i18n::strings(language).archived;
        let mut counts: HashMap<String, usize> = HashMap::new();
        for event in export.events {
            for source in &event.sources {
                let text = citation(&Citation::of(source, language), archived);
                *counts.entry(text).or_default() += 1;
            }
        }
        Refs {
            counts,
            names: HashMap::new(),
            written: HashSet::new(),
        }
    }

    /// The ref for one citation: `<ref>…</ref>`, or for a source cited again elsewhere
    /// `<ref name="…">…</ref>` the first time and `<ref name="…" />` after.
    fn cite(&mut self, name: Option<String>, content: &str) -> String {
        match name {
            None => format!("<ref>{content}</ref>"),
            Some(name) if self.written.contains(&name) => format!("<ref name=\"{name}\" />"),
            Some(name) => {
                self.written.insert(name.clone());
                format!("<ref name=\"{name}\">{content}</ref>")
            }
        }
    }

    /// The ref name of a source (by its citation `text`) cited more than once, else `None`.
    fn source_name(&mut self, text: &str, cited_in_event: usize) -> Option<String> {
        let total = self.counts.get(text).copied().unwrap_or(0);
        if total <= 1 && cited_in_event <= 1 {
            return None;
        }
        let next = self.names.len() + 1;
        Some(
            self.names
                .entry(text.to_string())
                .or_insert_with(|| format!("source-{next}"))
                .clone(),
        )
    }
}

/// A body as wikitext, its citations as `<ref>`s.
fn body(
    export: &Export,
    input: markdown::Input,
    prefix: &str,
    sources: &[Source],
    refs: &mut Refs,
    problems: &mut Vec<Problem>,
) -> String {
    let arena = Arena::new();
    let prepared = markdown::prepare(&arena, &input, problems);
    let language = export.language();
    markdown::label_internal_notes(&arena, &prepared, crate::i18n::strings(language).internal);
    let archived = crate::i18n::strings(language).archived;
    let text_of = |content: &PreparedContent| match *content {
        PreparedContent::Source(i) => citation(&Citation::of(&sources[i], language), archived),
        PreparedContent::Footnote(doc) => one_line(&blocks(doc, 0)),
    };
    cite_inside_footnotes(&prepared, &text_of);
    // A footnote's own ref keeps its blocks: lists and tables need their lines.
    let contents: Vec<String> = prepared
        .notes
        .iter()
        .map(|note| match note.content {
            PreparedContent::Footnote(doc) => ref_blocks(&blocks(doc, 0)),
            PreparedContent::Source(_) => text_of(&note.content),
        })
        .collect();
    cite_in_body(&prepared, &contents, prefix, refs);
    let internal = crate::i18n::strings(language).internal;
    for block in markdown::internal_blocks(prepared.root) {
        as_internal_div(block, internal);
    }
    blocks(prepared.root, 0)
}

/// Citations inside footnotes cannot be refs (MediaWiki does not nest them): they are written
/// in parentheses inside the footnote's ref, a footnote cited there by its own text (with its
/// own citations left out), so that a note cited only inside another is not lost.
fn cite_inside_footnotes(prepared: &Prepared, text_of: &dyn Fn(&PreparedContent) -> String) {
    let inline: Vec<String> = prepared
        .notes
        .iter()
        .map(|note| format!(" ({})", text_of(&note.content)))
        .collect();
    for (note, text) in prepared.notes.iter().zip(&inline) {
        for node in note.markers.iter().filter(|m| !is_in(m, prepared.root)) {
            node.data_mut().value = NodeValue::Raw(text.clone());
        }
    }
}

/// The markers of the body itself become `<ref>`s holding `contents` (by note), named when
/// the note is cited more than once.
fn cite_in_body(prepared: &Prepared, contents: &[String], prefix: &str, refs: &mut Refs) {
    for (note, content) in prepared.notes.iter().zip(contents) {
        let in_body: Vec<_> = note
            .markers
            .iter()
            .filter(|m| is_in(m, prepared.root))
            .collect();
        let name = match note.content {
            PreparedContent::Source(_) => refs.source_name(content, in_body.len()),
            PreparedContent::Footnote(_) if in_body.len() > 1 => {
                Some(format!("{prefix}-note-{}", note.number))
            }
            PreparedContent::Footnote(_) => None,
        };
        for node in in_body {
            let reference = refs.cite(name.clone(), content);
            node.data_mut().value = NodeValue::Raw(reference);
        }
    }
}

/// An internal block as a `<div class="internal">` that starts with its label in bold.
fn as_internal_div<'a>(block: &'a AstNode<'a>, label: &str) {
    block.data_mut().value = NodeValue::Raw(String::new());
    let inner = children_blocks(block, 0);
    block.data_mut().value = NodeValue::Raw(format!(
        "<div class=\"internal\">\n'''{}'''\n\n{}\n</div>\n\n",
        escape(label),
        inner.trim()
    ));
    for child in block.children().collect::<Vec<_>>() {
        child.detach();
    }
}

/// A footnote's wikitext blocks as the content of its `<ref>`: one paragraph stays on the
/// ref's line; anything more (paragraphs, a list, a table) starts on a line of its own, where
/// wikitext reads list and table markup, and keeps its lines. MediaWiki and pandoc both read
/// block content inside `<ref>`.
fn ref_blocks(wikitext: &str) -> String {
    let wikitext = wikitext.trim();
    if wikitext.contains('\n') {
        format!("\n{wikitext}\n")
    } else {
        wikitext.to_string()
    }
}

/// Wikitext blocks as one line, for a footnote cited inside another one's `<ref>` (in
/// parentheses, where no block can start).
fn one_line(wikitext: &str) -> String {
    wikitext.trim().replace("\n\n", " ").replace('\n', " ")
}

/// Whether `node` is inside `root` (and not in a footnote that was moved out of it).
fn is_in<'a>(node: &'a AstNode<'a>, root: &'a AstNode<'a>) -> bool {
    node.ancestors().any(|a| std::ptr::eq(a, root))
}

/// "[https://… Title], Publisher, 4 juni 2024 ([https://… archived copy])".
fn citation(c: &Citation, archived: &str) -> String {
    let mut out = match c.url {
        Some(url) => format!("[{} {}]", link_url(url), escape(c.title)),
        None => escape(c.title),
    };
    out.push_str(&escape(&c.details));
    if let Some(archive) = c.archive_url {
        out.push_str(&format!(" ([{} {}])", link_url(archive), escape(archived)));
    }
    out
}

/// A URL inside `[url text]`: spaces and brackets would end it.
fn link_url(url: &str) -> String {
    url.replace(' ', "%20")
        .replace('[', "%5B")
        .replace(']', "%5D")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace('"', "%22")
}

/// Block-level wikitext of `node`'s children; `depth` is the list nesting ("*", "**").
fn children_blocks<'a>(node: &'a AstNode<'a>, depth: usize) -> String {
    node.children().map(|c| block(c, depth)).collect()
}

fn blocks<'a>(node: &'a AstNode<'a>, depth: usize) -> String {
    children_blocks(node, depth)
}

fn block<'a>(node: &'a AstNode<'a>, depth: usize) -> String {
    let value = node.data().value.clone();
    match value {
        NodeValue::Paragraph => format!("{}\n\n", line_start_safe(&inlines(node))),
        NodeValue::Heading(h) => {
            let marks = "=".repeat(usize::from(h.level.clamp(2, 6)));
            let text = inlines_with(node, &heading_escape);
            format!("{marks} {} {marks}\n\n", text.trim())
        }
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
            format!(
                "<blockquote>\n{}</blockquote>\n\n",
                children_blocks(node, 0)
            )
        }
        NodeValue::List(list) => {
            let marker = if list.list_type == ListType::Ordered {
                '#'
            } else {
                '*'
            };
            let mut out = String::new();
            for item in node.children() {
                out.push_str(&list_item(item, depth, marker));
            }
            if depth == 0 {
                out.push('\n');
            }
            out
        }
        NodeValue::CodeBlock(code) => {
            format!("<pre>{}</pre>\n\n", escape_markup(code.literal.trim_end()))
        }
        // Every line, not only the first: wikitext reads markup at the start of each.
        NodeValue::HtmlBlock(html) => {
            let lines: Vec<String> = html
                .literal
                .trim_end()
                .lines()
                .map(|line| line_start_safe(&escape(line)))
                .collect();
            format!("{}\n\n", lines.join("\n"))
        }
        NodeValue::ThematicBreak => "----\n\n".to_string(),
        NodeValue::Table(_) => table(node),
        NodeValue::Raw(raw) => raw,
        NodeValue::Document | NodeValue::BlockDirective(_) => children_blocks(node, depth),
        // Anything else that holds blocks: write its blocks.
        _ => children_blocks(node, depth),
    }
}

/// One list item: its first paragraph on the marker's line, further paragraphs after `<br />`,
/// nested lists with a longer marker.
fn list_item<'a>(item: &'a AstNode<'a>, depth: usize, marker: char) -> String {
    let prefix = marker.to_string().repeat(depth + 1);
    let task = match item.data().value {
        NodeValue::TaskItem(ref t) if t.symbol.is_some() => "☑ ",
        NodeValue::TaskItem(_) => "☐ ",
        _ => "",
    };
    let mut text = Vec::new();
    let mut nested = String::new();
    for child in item.children() {
        match child.data().value {
            NodeValue::List(_) => nested.push_str(&block(child, depth + 1)),
            NodeValue::Paragraph => text.push(inlines(child)),
            _ => text.push(block(child, depth).trim().replace('\n', " ")),
        }
    }
    format!("{prefix} {task}{}\n{nested}", text.join("<br />"))
}

fn table<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::from("{| class=\"wikitable\"\n");
    for (i, row) in node.children().enumerate() {
        let header = matches!(row.data().value, NodeValue::TableRow(true));
        if i > 0 {
            out.push_str("|-\n");
        }
        // `!!` separates header cells even inside one: written as `!&#33;` there.
        let cells: Vec<String> = row
            .children()
            .map(|c| {
                let cell = inlines(c).trim().to_string();
                if header {
                    cell.replace("!!", "!&#33;")
                } else {
                    cell
                }
            })
            .collect();
        let (first, between) = if header {
            ("! ", " !! ")
        } else {
            ("| ", " || ")
        };
        out.push_str(first);
        out.push_str(&cells.join(between));
        out.push('\n');
    }
    out.push_str("|}\n\n");
    out
}

/// Inline wikitext of `node`'s children.
fn inlines<'a>(node: &'a AstNode<'a>) -> String {
    inlines_with(node, &escape)
}

/// Inline wikitext with `text` escaping the author's words: [`escape`], or in a heading
/// [`heading_escape`].
fn inlines_with<'a>(node: &'a AstNode<'a>, text: &dyn Fn(&str) -> String) -> String {
    node.children().map(|child| inline(child, text)).collect()
}

fn inline<'a>(node: &'a AstNode<'a>, text: &dyn Fn(&str) -> String) -> String {
    let value = node.data().value.clone();
    let inner = || inlines_with(node, text);
    match value {
        NodeValue::Text(words) => text(&words),
        NodeValue::SoftBreak => " ".to_string(),
        NodeValue::LineBreak => "<br />".to_string(),
        NodeValue::Code(code) => format!("<code>{}</code>", text(&code.literal)),
        NodeValue::Emph => format!("''{}''", inner()),
        NodeValue::Strong => format!("'''{}'''", inner()),
        // `<del>`, not `<s>`: MediaWiki shows both, pandoc reads only `<del>` as struck out.
        NodeValue::Strikethrough => format!("<del>{}</del>", inner()),
        NodeValue::Superscript => format!("<sup>{}</sup>", inner()),
        NodeValue::Link(link) | NodeValue::Image(link) => {
            let words = inner();
            if crate::model::is_web_url(&link.url) || link.url.starts_with("mailto:") {
                let words = if words.trim().is_empty() {
                    text(&link.url)
                } else {
                    words
                };
                format!("[{} {}]", link_url(&link.url), words)
            } else {
                // A fragment or relative link means nothing in a wiki: keep the words.
                words
            }
        }
        NodeValue::HtmlInline(html) => text(&html),
        NodeValue::Raw(raw) => raw,
        _ => inner(),
    }
}

/// Text in a heading: [`escape`], and `=` too. MediaWiki reads `=== a = b ===` as the heading
/// "a = b", but pandoc reads it as a paragraph, and would lose an event's title.
fn heading_escape(text: &str) -> String {
    escape(text).replace('=', "&#61;")
}

/// Characters that start wiki markup at the beginning of a line (lists, headings, indents,
/// rules) are written as character references there.
fn line_start_safe(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c @ ('*' | '#' | ':' | ';' | '=' | '-' | ' ')) => {
            format!("&#{};{}", u32::from(c), chars.as_str())
        }
        _ => text.to_string(),
    }
}

/// Text that wikitext reads as text only.
///
/// A lone apostrophe or tilde is plain text in wikitext ("CIO's"), and wiki authors edit the
/// result, so those two are escaped only where they could join others into markup: next to
/// another one, or at either end of the text, where our own `''` or a neighbour could touch them.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let touches = |same: char| {
            previous.is_none() || next.is_none() || previous == Some(same) || next == Some(same)
        };
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '|' => out.push_str("&#124;"),
            '\'' if touches('\'') => out.push_str("&#39;"),
            '~' if touches('~') => out.push_str("&#126;"),
            '_' if previous == Some('_') => out.push_str("&#95;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text inside `<pre>`, where only markup characters matter.
fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_wiki_would_read() {
        assert_eq!(escape("[[Link]] {{tpl}} a|b ''x'' ~~~~ __TOC__ <b>&"), "&#91;&#91;Link&#93;&#93; &#123;&#123;tpl&#125;&#125; a&#124;b &#39;&#39;x&#39;&#39; &#126;&#126;&#126;&#126; _&#95;TOC_&#95; &lt;b&gt;&amp;");
        assert_eq!(escape("CIO's en CISO's ~ ok"), "CIO's en CISO's ~ ok");
        assert_eq!(escape("'quoted'"), "&#39;quoted&#39;");
        assert_eq!(line_start_safe("* not a list"), "&#42; not a list");
        assert_eq!(line_start_safe("= no heading ="), "&#61; no heading =");
        assert_eq!(line_start_safe("plain"), "plain");
        assert_eq!(heading_escape("50% = *lots*"), "50% &#61; *lots*");
    }
}
