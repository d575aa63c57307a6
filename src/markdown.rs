//! Markdown bodies to HTML, with sources as footnotes and ids unique on any page.
//!
//! comrak parses; we then rewrite its tree before printing it:
//! - footnote references become our own numbered markers, one numbering per event shared by
//!   body footnotes and sources, with ids prefixed by the event's slug and a `.` (which no slug
//!   contains), so that a page showing hundreds of events has no duplicate id;
//! - sources the body does not cite get a marker after the text;
//! - `::: internal` blocks are removed, or kept and labelled for internal readers;
//! - headings move down to fit under the page's own headings.
//!
//! Raw HTML is shown as text and unsafe URLs (`javascript:` and the like) are emptied by comrak;
//! the only HTML we inject is built here from escaped values.

use crate::diagnostics::Problem;
use crate::front_matter::Document;
use crate::model::Source;
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};
use std::collections::HashMap;

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

/// What to render and how.
pub struct Input<'a> {
    /// The file, for problem positions.
    pub doc: &'a Document,
    /// Prefix of every id the body produces; a slug, or `_intro` for the intro.
    pub id_prefix: &'a str,
    pub sources: &'a [Source],
    /// Keep `::: internal` blocks (for internal readers) instead of removing them.
    pub internal_notes: bool,
    /// Label shown on kept internal blocks ("INTERN").
    pub internal_label: &'a str,
    /// `#` in the body becomes `<h{1 + heading_offset}>`.
    pub heading_offset: u8,
    /// Path from the page the body appears on back to the site root ("", "../../"): content-
    /// relative links and images get it in front.
    pub link_root: &'a str,
}

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

/// A link or image written relative to `content/` (`img/x.png`, `events/slug/`), where it is
/// written: `render::links` checks that it leads somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    pub url: String,
    pub line: usize,
    pub column: usize,
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
    keep_definitions(&mut markdown, &defined);
    // Lines added before the body: comrak's line numbers minus this are the body's.
    let added = markdown.matches('\n').count();
    let head_len = markdown.len();
    markdown.push_str(text);

    let options = options(input.id_prefix);
    let mut root = comrak::parse_document(arena, &markdown, &options);
    // The lines of `::: internal` blocks, in comrak's numbering (1-based, `added` included).
    let internal_lines = internal_line_ranges(root);
    let mut internal_notes = Vec::new();
    if !internal_lines.is_empty() {
        // The body as public readers get it: the internal blocks blanked out before parsing,
        // so that nothing written in one (a footnote, a link reference definition) can reach
        // what is outside it. Public text that needs something from inside is an error, for
        // every audience, so that an internal build finds what would break a public one.
        let public_markdown = blank_lines(&markdown, &internal_lines);
        let public = comrak::parse_document(arena, &public_markdown, &options);
        drop_added(public, added);
        split_autolinked_citations(arena, public, input);
        let written_inside = definitions_in(&markdown[head_len..], &internal_lines, added);
        internal_notes = written_inside
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
        if !input.internal_notes {
            root = public;
        }
    }
    drop_added(root, added);
    handle_directives(root, input, added, problems);
    drop_unsafe_urls(root, input, added, problems);
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

/// Renders a body to HTML, with kroniek's note markers and page-unique ids.
pub fn render(input: &Input, problems: &mut Vec<Problem>) -> Body {
    render_with(input, problems, &NoEdit)
}

/// A change one output makes to a prepared tree before it is rendered (the single-file export
/// inlines its images with one).
pub trait TreeEdit {
    fn edit<'a>(&self, arena: &'a Arena<'a>, root: &'a AstNode<'a>);
}

struct NoEdit;

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

/// Footnote definitions written in the body (`[^1]: …`), by lowercased label, with their line.
/// Reports labels defined twice and labels that are also a source id.
fn scan_definitions(
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

/// `::: internal` must be closed: an unclosed block would hide (or, for internal readers, swallow)
/// the rest of the body.
fn check_internal_fences(input: &Input, text: &str, problems: &mut Vec<Problem>) {
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
                    "this `:::` block is never closed",
                )
                .with_hint("end the block with a line containing only `:::`"),
        );
    }
}

/// Removes or labels `::: internal` blocks. Any other `:::` name is an error: the block's text
/// would be published, and `::: Internal`, `::: intern` or `::: internal :::` are most often
/// meant to hide it.
fn handle_directives<'a>(
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

/// Links and images to `javascript:`, `vbscript:`, `file:` or `data:` (other than raster
/// images) keep only their words: comrak would write them with an empty `href`/`src`, a dead
/// link and an invalid `<img src="">`. Each is a warning, so that `check` says what was dropped.
fn drop_unsafe_urls<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    problems: &mut Vec<Problem>,
) {
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    for node in root.descendants().collect::<Vec<_>>() {
        let (url, image, start) = {
            let data = node.data();
            match data.value {
                NodeValue::Link(ref l) => (l.url.clone(), false, data.sourcepos.start),
                NodeValue::Image(ref l) => (l.url.clone(), true, data.sourcepos.start),
                _ => continue,
            }
        };
        if !comrak::html::dangerous_url(&url) {
            continue;
        }
        for child in node.children().collect::<Vec<_>>() {
            node.insert_before(child);
        }
        node.detach();
        let (line, column) = position_in_file(input, &lines, added, start);
        let shown: String = url.chars().take(40).collect();
        let what = if image { "image" } else { "link" };
        problems.push(
            input
                .doc
                .error(
                    (line, column, 1),
                    "unsafe-link",
                    format!("{what} to `{shown}` removed; its words are kept"),
                )
                .with_hint("only http(s), mailto and relative links are published")
                .warning(),
        );
    }
}

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

/// Runs of adjacent text nodes in `root`, each with where its first node starts (comrak's
/// numbering).
fn text_runs<'a>(root: &'a AstNode<'a>) -> Vec<(String, comrak::nodes::LineColumn)> {
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

/// `[^nope]` with no definition and no source of that id stays text in comrak's output; that
/// is almost always a typo in a citation, so it is an error. Labels in `skip` (notes written
/// inside an internal block, reported by [`report_internal_references`]) are left out.
fn report_undefined_citations<'a>(
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

/// The 1-based line ranges (in comrak's numbering) of the outermost `::: internal` blocks.
fn internal_line_ranges<'a>(root: &'a AstNode<'a>) -> Vec<std::ops::RangeInclusive<usize>> {
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

/// At most this many undefined citations are reported per body.
const MAX_UNDEFINED_CITATIONS: usize = 50;

/// Cites every footnote the author defined once more, in a paragraph before the text.
///
/// comrak drops a definition that nothing cites, and a citation can hide inside an autolinked
/// URL until [`split_autolinked_citations`] gives it back; this keeps the definition until
/// then. The paragraph also closes the source stubs before it, so that it is there whenever
/// anything was added. [`drop_added`] removes it right after parsing, so it is never a note.
fn keep_definitions(markdown: &mut String, defined: &HashMap<String, usize>) {
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
fn drop_added<'a>(root: &'a AstNode<'a>, added: usize) {
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

/// Gives back the citations that comrak's autolinker took into a URL.
///
/// comrak links `https://example.org/page.[^s]` as one URL, brackets included (cmark-gfm
/// autolinks after parsing footnotes, so GitHub does not), and authors write exactly that: a
/// URL, then the source. A link whose text is its own URL and that contains `[^label]` for a
/// source or footnote of this event is cut there; the citations after it become references
/// again, and trailing punctuation (`.`) leaves the link as it would at the end of any URL.
fn split_autolinked_citations<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, input: &Input) {
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
fn autolink_text<'a>(link: &'a AstNode<'a>) -> Option<String> {
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
fn citation_nodes(text: &str, defined: &[String]) -> Vec<NodeValue> {
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

fn hint_for_citation(label: &str, input: &Input) -> String {
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

/// Byte offsets and labels of `[^label]` in text.
enum Written {
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
struct Finder {
    /// Per line and label: whether the line has the citation unescaped anywhere.
    anywhere: HashMap<(usize, String), bool>,
    /// Per line and label: a byte after which the line does not have the citation at all, so
    /// that many escaped citations on one long line are not searched for again and again.
    missing_after: HashMap<(usize, String), usize>,
}

impl Finder {
    /// How `[^label]` is written on `text` (line `line` of the body) at or after byte `cursor`,
    /// which moves past it. Linear in the line over all the citations of one text run.
    fn find(&mut self, line: usize, text: &str, cursor: &mut usize, label: &str) -> Written {
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

fn citations_in(text: &str) -> Vec<(usize, String)> {
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
fn number_notes<'a>(
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
            let footnote = definitions
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, def)| *def);
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
    let cited: Vec<usize> = notes
        .iter()
        .filter_map(|n| match n.content {
            PreparedContent::Source(i) => Some(i),
            _ => None,
        })
        .collect();
    let uncited: Vec<usize> = (0..input.sources.len())
        .filter(|i| !cited.contains(i))
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
fn is_stub<'a>(def: &'a AstNode<'a>) -> bool {
    def.children().count() == 1
        && def.first_child().is_some_and(|p| {
            p.children().count() == 1
                && matches!(p.first_child().map(|t| t.data().value.clone()), Some(NodeValue::Text(ref t)) if t == "source")
        })
}

/// Links and images written relative to the content folder (`img/chart.png`) are made relative
/// to the page the body appears on. Returns whether there were any.
/// Line and column in the whole file (column in characters) of a position comrak gives in
/// the text it parsed: `added` lines before the body, columns in bytes.
fn position_in_file(
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

/// The content-relative links and images of `root` (footnotes included), with their positions
/// in the file.
fn content_links<'a>(root: &'a AstNode<'a>, input: &Input, added: usize) -> Vec<ContentLink> {
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    let mut links = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let (NodeValue::Link(ref link) | NodeValue::Image(ref link)) = data.value else {
            continue;
        };
        if !is_content_relative(&link.url) {
            continue;
        }
        let (line, column) = position_in_file(input, &lines, added, data.sourcepos.start);
        links.push(ContentLink {
            url: link.url.to_string(),
            line,
            column,
        });
    }
    links
}

/// Every link and image URL in `doc`'s body as written, `::: internal` blocks and footnotes
/// included: what the audience's view needs to withhold the files that only hidden text uses.
pub fn urls_in(doc: &Document) -> Vec<String> {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, doc.body_text(), &options(""));
    root.descendants()
        .filter_map(|node| match node.data().value {
            NodeValue::Link(ref link) | NodeValue::Image(ref link) => Some(link.url.to_string()),
            _ => None,
        })
        .collect()
}

fn rebase_relative_urls<'a>(root: &'a AstNode<'a>, link_root: &str) -> bool {
    let mut any = false;
    for node in root.descendants() {
        if let NodeValue::Link(ref mut link) | NodeValue::Image(ref mut link) =
            node.data_mut().value
        {
            if is_content_relative(&link.url) {
                any = true;
                link.url = format!("{link_root}{}", link.url);
            }
        }
    }
    any
}

/// `img/x.png`, `../x`: not a fragment, not root-relative, no scheme.
pub fn is_content_relative(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.starts_with(['#', '/', '?']) {
        return false;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    !matches!(scheme_end, Some(i) if i < path_start)
}

/// Replaces a link by its children.
pub fn unwrap<'a>(node: &'a AstNode<'a>) {
    for child in node.children().collect::<Vec<_>>() {
        node.insert_before(child);
    }
    node.detach();
}

/// The slug of an event page a content-relative URL names: `events/<slug>/` (from the site's
/// root, as the content folder is) or `../<slug>/` (from another event's page), with or
/// without `index.html`, a leading `./` or a fragment.
pub fn event_slug(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let mut path = path.trim_start_matches("./");
    while let Some(rest) = path.strip_prefix("../") {
        path = rest;
    }
    let path = path.strip_prefix("events/").unwrap_or(path);
    let path = path
        .strip_suffix("index.html")
        .unwrap_or(path)
        .trim_end_matches('/');
    (!path.is_empty() && !path.contains('/')).then_some(path)
}

/// Whether `text` can be a footnote label: `[^text]` cites it.
fn is_label(text: &str) -> bool {
    !text.is_empty()
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '[' | ']' | '^' | '\\'))
}

fn new_note(prefix: &str, number: usize, content: NoteContent) -> Note {
    Note {
        number,
        internal: false,
        id: format!("{prefix}.fn{number}"),
        backrefs: Vec::new(),
        content,
    }
}

/// The superscript link to a note, with an id of its own for the back-link.
fn marker(note: &mut Note, prefix: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter::split;
    use std::path::PathBuf;

    fn source(id: Option<&str>, title: &str) -> Source {
        Source {
            id: id.map(str::to_string),
            title: title.to_string(),
            publisher: None,
            url: None,
            date: None,
            archive_url: None,
        }
    }

    fn run(body: &str, sources: &[Source], internal: bool) -> (Body, Vec<Problem>) {
        let doc = split(
            PathBuf::from("content/x.md"),
            format!("---\ntitle: x\n---\n{body}"),
        )
        .unwrap();
        let mut problems = Vec::new();
        let input = Input {
            doc: &doc,
            id_prefix: "ev",
            sources,
            internal_notes: internal,
            internal_label: "INTERN",
            heading_offset: 3,
            link_root: "../../",
        };
        (render(&input, &mut problems), problems)
    }

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
    fn unsafe_links_and_images_keep_their_words_with_a_warning() {
        let body = "Zie [de bron](javascript:alert(1)) en ![het schema](data:text/html,x).\n\n\
                    Veilig: [web](https://example.org/) ![png](data:image/png;base64,AAAA)\n";
        let (rendered, problems) = run(body, &[], false);
        let html = &rendered.html;
        assert!(!html.contains("href=\"\""), "{html}");
        assert!(!html.contains("src=\"\""), "{html}");
        assert!(html.contains("Zie de bron en het schema."), "{html}");
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(
            html.contains("src=\"data:image/png;base64,AAAA\""),
            "{html}"
        );
        let warnings: Vec<_> = problems
            .iter()
            .filter(|p| p.code == "unsafe-link")
            .map(|p| (p.line, p.column, p.is_error()))
            .collect();
        assert_eq!(warnings, [(4, 5, false), (4, 39, false)], "{problems:?}");
    }

    #[test]
    fn headings_move_down_and_get_prefixed_ids() {
        let (body, _) = run("# Kop\n\nTekst\n", &[], false);
        assert!(body.has_headings);
        assert!(body.html.contains("<h4 "), "{}", body.html);
        assert!(body.html.contains("id=\"ev.h-kop\""), "{}", body.html);
        assert!(body.html.contains("href=\"#ev.h-kop\""), "{}", body.html);
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

    #[test]
    fn content_relative_urls_follow_the_page() {
        let (body, _) = run(
            "![c](img/c.png) [a](https://e.org/x) [b](#top) [d](/abs) [m](mailto:a@b.c)\n",
            &[],
            false,
        );
        assert!(body.has_relative_links);
        assert!(
            body.html.contains("src=\"../../img/c.png\""),
            "{}",
            body.html
        );
        assert!(body.html.contains("href=\"https://e.org/x\""));
        assert!(body.html.contains("href=\"#top\""));
        assert!(body.html.contains("href=\"/abs\""));
        assert!(body.html.contains("href=\"mailto:a@b.c\""));
        let (plain, _) = run("[a](https://e.org/x)\n", &[], false);
        assert!(!plain.has_relative_links);
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
