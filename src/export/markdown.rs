//! The GitHub-flavoured Markdown export: one file that renders on GitHub, GitLab and Wiki.js
//! and that pandoc reads back.
//!
//! Each event's body is written from comrak's tree by comrak's own CommonMark writer, with its
//! note markers turned into footnote references whose labels are unique in the whole file
//! (`<slug>-<number>`: slugs are unique, numbers are per event).

use super::{Citation, Export};
use crate::diagnostics::Problem;
use crate::markdown::{self, PreparedContent};
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

pub fn document(export: &Export) -> Result<String, Vec<Problem>> {
    let site = &export.view.timeline.site;
    let mut problems = Vec::new();
    let mut out = format!("# {}\n\n", escape(&export.title()));
    if let Some(description) = &site.description {
        out.push_str(&format!("*{}*\n\n", escape(description)));
    }
    let intro = body(export, export.intro_input(1), "_intro", &[], &mut problems);
    push_block(&mut out, &intro);

    let mut titled = Vec::new();
    for (day, events) in export.days() {
        out.push_str(&format!(
            "## {}\n\n",
            escape(&day.date_text(export.language()))
        ));
        for event in events {
            out.push_str(&format!("### {}\n\n", escape(&event.title)));
            titled.push(event.slug.as_str());
            for flag in export.flags(event) {
                out.push_str(&format!("**{}** ", escape(flag)));
            }
            out.push_str(&format!("*{}*\n\n", escape(&export.meta_line(event))));
            let text = body(
                export,
                export.input(event, 3),
                &event.slug,
                &event.sources,
                &mut problems,
            );
            push_block(&mut out, &text);
            for (label, note) in export.correction_lines(event) {
                let note = note.map(|n| format!(": {}", escape(n))).unwrap_or_default();
                out.push_str(&format!("*{}*{note}\n\n", escape(&label)));
            }
        }
    }
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(format!("{}\n", link_events(&out, &titled).trim_end()))
}

/// Where links to events point until the file is whole: `#` and this, then the slug.
const EVENT_LINK: &str = "kroniek-event:";

/// Links between events point at the event's heading: its GFM anchor, which GitHub, GitLab
/// and pandoc compute from the heading's text, made unique by `-1`, `-2`… in the order of all
/// the file's headings. `titled` are the slugs of the level-3 (event) headings, in order.
fn link_events(out: &str, titled: &[&str]) -> String {
    if !out.contains(EVENT_LINK) {
        return out.to_string();
    }
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, out, &markdown::options("_"));
    let mut anchorizer = comrak::Anchorizer::new();
    let mut events = titled.iter();
    let mut anchors = Vec::new();
    for node in root.descendants() {
        let NodeValue::Heading(ref heading) = node.data().value else {
            continue;
        };
        let anchor = anchorizer.anchorize(&node.collect_text());
        if heading.level == 3 {
            if let Some(slug) = events.next() {
                anchors.push((format!("#{EVENT_LINK}{slug})"), format!("#{anchor})")));
            }
        }
    }
    // Longest first, so that a slug that starts another one is not replaced inside it.
    anchors.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    let mut out = out.to_string();
    for (from, to) in anchors {
        out = out.replace(&from, &to);
    }
    out
}

/// Links to other events (`events/<slug>/`, `../<slug>/`, or the site's own URL of an event)
/// point at the event in this file (see [`link_events`]). A link to an event the file leaves
/// out is its words already: `markdown::prepare` did that, for every output.
fn events_in_file<'a>(export: &Export, root: &'a AstNode<'a>) {
    for node in root.descendants().collect::<Vec<_>>() {
        let NodeValue::Link(mut link) = node.data().value.clone() else {
            continue;
        };
        let relative = match export.base_url.and_then(|b| link.url.strip_prefix(b)) {
            Some(rest) => rest,
            None if markdown::is_content_relative(&link.url) => link.url.as_str(),
            None => continue,
        };
        let Some(slug) = markdown::event_slug(relative) else {
            continue;
        };
        if export.events.iter().any(|e| e.slug == slug) {
            link.url = format!("#{EVENT_LINK}{slug}");
            node.data_mut().value = NodeValue::Link(link);
        }
    }
}

fn push_block(out: &mut String, block: &str) {
    let block = block.trim();
    if !block.is_empty() {
        out.push_str(block);
        out.push_str("\n\n");
    }
}

/// A body as Markdown, followed by its footnote definitions.
fn body(
    export: &Export,
    input: markdown::Input,
    label_prefix: &str,
    sources: &[crate::model::Source],
    problems: &mut Vec<Problem>,
) -> String {
    let arena = Arena::new();
    let prepared = markdown::prepare(&arena, &input, problems);
    let label = |number: usize| format!("{label_prefix}-{number}");
    for note in &prepared.notes {
        for node in &note.markers {
            node.data_mut().value = NodeValue::Raw(format!("[^{}]", label(note.number)));
        }
    }
    let internal = crate::i18n::strings(export.language()).internal;
    for block in markdown::internal_blocks(prepared.root) {
        as_labelled_quote(&arena, block, internal);
    }
    markdown::label_internal_notes(&arena, &prepared, internal);
    neutralise(&arena, prepared.root);
    events_in_file(export, prepared.root);
    for note in &prepared.notes {
        if let PreparedContent::Footnote(doc) = note.content {
            neutralise(&arena, doc);
            events_in_file(export, doc);
        }
    }
    let options = markdown::options(label_prefix);
    let mut out = commonmark(prepared.root, &options);
    for note in &prepared.notes {
        let text = match note.content {
            PreparedContent::Footnote(doc) => commonmark(doc, &options),
            PreparedContent::Source(i) => citation(
                &Citation::of(&sources[i], export.language()),
                crate::i18n::strings(export.language()).archived,
            ),
        };
        // Lines after the first belong to the definition when indented by four spaces.
        let indented = text.trim().replace('\n', "\n    ");
        out.push_str(&format!("\n[^{}]: {}\n", label(note.number), indented));
    }
    out
}

fn commonmark<'a>(root: &'a AstNode<'a>, options: &comrak::Options) -> String {
    let mut out = String::new();
    let _ = comrak::format_commonmark(root, options, &mut out);
    end_lists(&out)
}

/// What comrak writes between a list and a list or code block after it.
const END_LIST: &str = "<!-- end list -->";

/// comrak ends a list before another list or a code block with an HTML comment, which a
/// renderer without HTML (markdown-it, Wiki.js's default) shows as text. A list of another
/// kind or a fenced code block ends the list by itself, so the comment goes; before a list of
/// the same kind, that list's markers change (`-` to `*`, `1.` to `1)`), which CommonMark reads
/// as a new list.
fn end_lists(markdown: &str) -> String {
    if !markdown.contains(END_LIST) {
        return markdown.to_string();
    }
    let mut lines: Vec<String> = markdown.lines().map(str::to_string).collect();
    let mut i = 0;
    while i < lines.len() {
        let Some(prefix) = lines[i].strip_suffix(END_LIST).map(str::to_string) else {
            i += 1;
            continue;
        };
        if !prefix.chars().all(|c| c == ' ' || c == '>') {
            i += 1;
            continue;
        }
        let before = (0..i).rev().find_map(|j| list_marker(&lines[j], &prefix));
        let next =
            (i + 1..lines.len()).find(|&j| !lines[j].trim_start_matches([' ', '>']).is_empty());
        lines.remove(i);
        let Some(next) = next.map(|j| j - 1) else {
            continue;
        };
        let (Some(before), Some(after)) = (before, list_marker(&lines[next], &prefix)) else {
            continue;
        };
        if before != after {
            continue;
        }
        // The next list's own items: lines at its level that start with a marker, up to the
        // first line at that level that is not an item or a continuation.
        for line in lines.iter_mut().skip(next) {
            let Some(rest) = line.strip_prefix(prefix.as_str()) else {
                break;
            };
            if rest.starts_with(' ') || rest.trim().is_empty() {
                continue;
            }
            match list_marker(line, &prefix) {
                Some(Marker::Bullet(c)) => {
                    let other = if c == '-' { '*' } else { '-' };
                    *line = format!("{prefix}{other}{}", &rest[1..]);
                }
                Some(Marker::Ordered(c)) => {
                    let other = if c == '.' { ')' } else { '.' };
                    let digits =
                        rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    *line = format!("{prefix}{}{other}{}", &rest[..digits], &rest[digits + 1..]);
                }
                None => break,
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[derive(PartialEq, Clone, Copy)]
enum Marker {
    Bullet(char),
    Ordered(char),
}

/// The kind of list item `line` starts at the level of `prefix`, as comrak writes them.
fn list_marker(line: &str, prefix: &str) -> Option<Marker> {
    let rest = line.strip_prefix(prefix)?;
    for bullet in ['-', '*'] {
        if rest
            .strip_prefix(bullet)
            .is_some_and(|r| r.is_empty() || r.starts_with(' '))
        {
            return Some(Marker::Bullet(bullet));
        }
    }
    let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let delimiter = digits.chars().next().filter(|c| matches!(c, '.' | ')'))?;
    let after = &digits[1..];
    (digits.len() < rest.len() && (after.is_empty() || after.starts_with(' ')))
        .then_some(Marker::Ordered(delimiter))
}

/// Makes the tree as harmless as the site's HTML: comrak's CommonMark writer passes raw HTML
/// through, and GitHub strips it but Wiki.js and pandoc do not, so an author's `<script>` or
/// `<b>` becomes the text the site shows. Links and images to unsafe URLs (`javascript:`), which
/// the site empties, keep only their words.
fn neutralise<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
    for node in root.descendants().collect::<Vec<_>>() {
        let value = node.data().value.clone();
        match value {
            NodeValue::HtmlInline(html) => node.data_mut().value = NodeValue::Text(html.into()),
            NodeValue::HtmlBlock(block) => as_text_paragraph(arena, node, &block.literal),
            NodeValue::Link(link) | NodeValue::Image(link)
                if comrak::html::dangerous_url(&link.url) =>
            {
                for child in node.children().collect::<Vec<_>>() {
                    node.insert_before(child);
                }
                node.detach();
            }
            _ => {}
        }
    }
}

/// A raw HTML block as a paragraph of its text, line for line (the writer escapes what would
/// start a list or heading at the beginning of a line).
fn as_text_paragraph<'a>(arena: &'a Arena<'a>, node: &'a AstNode<'a>, literal: &str) {
    node.data_mut().value = NodeValue::Paragraph;
    for (i, line) in literal.trim_end().lines().enumerate() {
        if i > 0 {
            node.append(arena.alloc(NodeValue::SoftBreak.into()));
        }
        node.append(arena.alloc(NodeValue::Text(line.to_string().into()).into()));
    }
}

/// An internal block as a block quote that starts with its label in bold: Markdown has no
/// coloured boxes, and a quote keeps the block visibly apart.
fn as_labelled_quote<'a>(arena: &'a Arena<'a>, block: &'a AstNode<'a>, label: &str) {
    block.data_mut().value = NodeValue::BlockQuote;
    let paragraph: &'a AstNode<'a> = arena.alloc(NodeValue::Paragraph.into());
    let strong: &'a AstNode<'a> = arena.alloc(NodeValue::Strong.into());
    strong.append(arena.alloc(NodeValue::Text(label.to_string().into()).into()));
    paragraph.append(strong);
    block.prepend(paragraph);
}

/// "[Title](url), Publisher, 4 juni 2024 ([archived copy](url))".
fn citation(c: &Citation, archived: &str) -> String {
    let title = escape(c.title);
    let mut out = match c.url {
        Some(url) => format!("[{title}]({})", link_destination(url)),
        None => title,
    };
    out.push_str(&escape(&c.details));
    if let Some(archive) = c.archive_url {
        out.push_str(&format!(
            " ([{}]({}))",
            escape(archived),
            link_destination(archive)
        ));
    }
    out
}

/// A URL as a Markdown link destination: in angle brackets, which allow spaces and
/// parentheses but no line break. Tabs and line breaks are left out, as browsers do.
fn link_destination(url: &str) -> String {
    let url = entities_kept(url);
    let url: String = url
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    format!(
        "<{}>",
        url.replace('\\', "%5C")
            .replace('<', "%3C")
            .replace('>', "%3E")
            .replace(' ', "%20")
    )
}

/// CommonMark reads `&lt;` in a link destination as `<` (a backslash does not stop cmark-gfm):
/// an `&` that starts something like a character reference is written `&amp;`.
fn entities_kept(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for (i, c) in url.char_indices() {
        let rest = &url[i + 1..];
        let name = rest
            .find(';')
            .map(|end| &rest[..end])
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '#'));
        if c == '&' && name.is_some() {
            out.push_str("&amp;");
        } else {
            out.push(c);
        }
    }
    out
}

/// Text that Markdown reads as text only, for the titles, dates and source lines we write
/// ourselves (bodies go through comrak's writer).
///
/// Escapes only what could become markup, so the file stays readable for people who edit it
/// in a wiki: emphasis, links, code, HTML, tables, strikethrough and entities anywhere; list,
/// heading and quote markers only at the start, and `#` at the end (a heading's closing
/// sequence), where they would act.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let starts_list = text
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .starts_with(['.', ')'])
        && text.starts_with(|c: char| c.is_ascii_digit());
    for (i, c) in text.char_indices() {
        let first = i == 0;
        let rest = &text[i + c.len_utf8()..];
        let special = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => true,
            '!' => rest.starts_with('['),
            // A run of `#` at the end would close a heading.
            '#' => first || rest.chars().all(|r| r == '#'),
            '-' | '+' | '=' => first,
            '.' | ')' => starts_list && out.chars().all(|d| d.is_ascii_digit()),
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_leaves_plain_punctuation() {
        assert_eq!(
            escape("Kamerstukken II 2023/24, 26 643, nr. 1182 (Staten-Generaal)"),
            "Kamerstukken II 2023/24, 26 643, nr. 1182 (Staten-Generaal)"
        );
        assert_eq!(
            escape("*a* _b_ [c](d) `e` <f> g|h ~~i~~ &amp; ![j]"),
            "\\*a\\* \\_b\\_ \\[c\\](d) \\`e\\` \\<f\\> g\\|h \\~\\~i\\~\\~ \\&amp; \\!\\[j\\]"
        );
        assert_eq!(escape("- not a list"), "\\- not a list");
        assert_eq!(escape("# not a heading"), "\\# not a heading");
        assert_eq!(escape("a trailing ##"), "a trailing \\#\\#");
        assert_eq!(escape("issue #42 fixed"), "issue #42 fixed");
        assert_eq!(escape("2024. not a list"), "2024\\. not a list");
        assert_eq!(escape("12) not a list"), "12\\) not a list");
        assert_eq!(escape("v1.2 and 3.4"), "v1.2 and 3.4");
        assert_eq!(escape("back\\slash"), "back\\\\slash");
    }

    #[test]
    fn lists_end_without_html() {
        let out = super::end_lists("- a\n- b\n\n<!-- end list -->\n\n- c\n  more\n- d\n\n<!-- end list -->\n\n- x\n\n<!-- end list -->\n\n1. e\n\n<!-- end list -->\n\n1. f\n\ntext\n");
        assert_eq!(
            out,
            "- a\n- b\n\n\n* c\n  more\n* d\n\n\n- x\n\n\n1. e\n\n\n1) f\n\ntext\n"
        );
    }

    #[test]
    fn destinations_hold_no_line_break() {
        assert_eq!(
            super::link_destination("https://e.org/a\nb c"),
            "<https://e.org/ab%20c>"
        );
        assert_eq!(
            super::link_destination("https://e.org/?a=&lt;&b=1"),
            "<https://e.org/?a=&amp;lt;&b=1>"
        );
    }
}
