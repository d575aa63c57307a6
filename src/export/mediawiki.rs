//! The MediaWiki export: wikitext with `<ref>` citations and `<references />`, as one page or,
//! above a size, as an index page and one page per period ([`split`]).
//!
//! Written from comrak's tree by a small writer of our own (comrak has none for wikitext).
//! Sources cited more than once on a page (by several events, or twice by one) become named
//! refs: the first citation carries the text, later ones point to it. Text is escaped so that
//! nothing an author writes is read as wiki markup: `[`, `]`, `{`, `}`, `|`, `'`, `<`, `>`, `&`,
//! `~`, `__`, `://` and line-start markers become character references; URLs are
//! percent-encoded where wikitext would read them ([`wiki_url`]).
//!
//! This module must never write wikitext that makes a template, a category, a signature, a
//! page property or a link to a page that is not one of the export's own: the output is
//! rendered by a real MediaWiki in `tests/mediawiki.rs` to hold it to that.

use super::{Citation, Export};
use crate::diagnostics::Problem;
use crate::markdown::{self, Prepared, PreparedContent};
use crate::model::{Event, EventDate, Source};
use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::Arena;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// The export as one page, whatever its size.
pub fn document(export: &Export) -> Result<String, Vec<Problem>> {
    let days = export.days();
    page(export, &Pages::one(), &days, Part::Whole)
}

/// The export as pages of at most `max_bytes` each, as (page title, wikitext), index first.
///
/// MediaWiki refuses a page above `$wgMaxArticleSize` (2,048 KiB by default) and stops reading
/// `<ref>`s in pages close to it. One page when the whole export fits; else an index page with
/// the title, the intro and a list of the period pages, and one page per month (a month too
/// large for one page is cut between days). Links between events point to the page the event
/// is on. The titles are also file names (see [`page_title`]).
pub fn split(export: &Export, max_bytes: usize) -> Result<Vec<(String, String)>, Vec<Problem>> {
    let days = export.days();
    let base = page_title(&export.title());
    let whole = page(export, &Pages::one(), &days, Part::Whole)?;
    if whole.len() <= max_bytes {
        return Ok(vec![(base, whole)]);
    }
    let periods = periods(export, &days, &base, max_bytes)?;
    let mut pages = Pages {
        base: base.clone(),
        of_event: HashMap::new(),
    };
    for (name, range) in &periods {
        for (_, events) in &days[range.clone()] {
            for event in events {
                pages.of_event.insert(event.slug.clone(), name.clone());
            }
        }
    }
    let index = page(export, &pages, &days, Part::Index(&periods))?;
    let mut out = vec![(base, index)];
    for (name, range) in &periods {
        let text = page(export, &pages, &days[range.clone()], Part::Period(name))?;
        out.push((name.clone(), text));
    }
    Ok(out)
}

/// Which page each event is on, for links between events.
struct Pages {
    /// The title of the index page (empty for one page).
    base: String,
    /// Slug -> the title of its period page; empty for one page.
    of_event: HashMap<String, String>,
}

impl Pages {
    fn one() -> Pages {
        Pages {
            base: String::new(),
            of_event: HashMap::new(),
        }
    }
}

/// What one page holds.
#[derive(Clone, Copy)]
enum Part<'p> {
    /// Everything.
    Whole,
    /// The title, the intro and links to the period pages (title, days).
    Index(&'p [(String, Range<usize>)]),
    /// The days of one period, on the page of this title.
    Period(&'p str),
}

/// The period pages: consecutive days of one month (or year, for events dated by the year),
/// cut further between days where a month is larger than `max_bytes`.
fn periods(
    export: &Export,
    days: &[(EventDate, Vec<&Event>)],
    base: &str,
    max_bytes: usize,
) -> Result<Vec<(String, Range<usize>)>, Vec<Problem>> {
    // What a period page has around its days: its title lines. Each day is measured as a page
    // of its own, less that, so with its own references heading: a little more than it adds.
    let frame = page(export, &Pages::one(), &[], Part::Period("")).map(|p| p.len())?;
    let mut groups: Vec<(String, Range<usize>)> = Vec::new();
    let mut size = 0;
    for (i, (date, _)) in days.iter().enumerate() {
        let month = match date.precision {
            crate::model::Precision::Year => date.local.format("%Y").to_string(),
            _ => date.local.format("%Y-%m").to_string(),
        };
        let day_size = page(export, &Pages::one(), &days[i..=i], Part::Period(""))?.len() - frame;
        if frame + day_size > max_bytes {
            return Err(vec![too_large(
                export,
                &days[i],
                frame + day_size,
                max_bytes,
            )]);
        }
        match groups.last_mut() {
            Some((m, range)) if *m == month && frame + size + day_size <= max_bytes => {
                range.end = i + 1;
                size += day_size;
            }
            _ => {
                groups.push((month, i..i + 1));
                size = day_size;
            }
        }
    }
    let mut named = Vec::new();
    for (i, (month, range)) in groups.iter().enumerate() {
        let same = |g: &(String, Range<usize>)| g.0 == *month;
        let parts = groups.iter().filter(|g| same(g)).count();
        let name = if parts == 1 {
            format!("{base} ({month})")
        } else {
            let part = groups[..=i].iter().filter(|g| same(g)).count();
            format!("{base} ({month}, {part})")
        };
        named.push((name, range.clone()));
    }
    Ok(named)
}

/// The error for a day whose events alone make a page above `--max-bytes`: pages are cut
/// between days only, and a wiki would refuse the page (or show its `<ref>`s as text).
fn too_large(export: &Export, day: &(EventDate, Vec<&Event>), size: usize, max: usize) -> Problem {
    let file = day
        .1
        .first()
        .map(|e| e.doc.file.clone())
        .unwrap_or_default();
    Problem::file_error(
        &file,
        "export-page-too-large",
        format!(
            "the events of {} make a MediaWiki page of {size} bytes, above --max-bytes ({max})",
            day.0.date_text(export.language())
        ),
    )
    .with_hint(
        "raise --max-bytes (MediaWiki takes pages up to 2,048 KiB), or shorten that day's events",
    )
}

/// A page title that MediaWiki accepts and a file name that every system accepts, from the
/// export's title: no `# < > [ ] | { } / \ : % ~`, no control characters, no leading `.`, at
/// most 200 bytes. MediaWiki's `importTextFiles.php` names each page after its file.
pub fn page_title(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let c = match c {
            '#' | '<' | '>' | '[' | ']' | '|' | '{' | '}' | '/' | '\\' | ':' | '%' | '~' | '_'
            | '\'' | '=' | '&' | '?' | '*' | '"' => ' ',
            c if c.is_control() || c.is_whitespace() => ' ',
            c => c,
        };
        let doubled = c == ' ' && (out.is_empty() || out.ends_with(' '));
        if !doubled && out.len() + c.len_utf8() <= 200 {
            out.push(c);
        }
    }
    let out = out.trim().trim_start_matches(['.', ' ']).trim().to_string();
    if out.is_empty() {
        "Chronology".to_string()
    } else {
        out
    }
}

/// One page of the export: its title lines, then what `part` says, then its references.
fn page(
    export: &Export,
    pages: &Pages,
    days: &[(EventDate, Vec<&Event>)],
    part: Part,
) -> Result<String, Vec<Problem>> {
    let site = &export.view.timeline.site;
    let t = crate::i18n::strings(export.language());
    let mut problems = Vec::new();
    let mut refs = Refs::new(export, days);
    let writer = Writer {
        export,
        pages,
        current: match part {
            Part::Period(name) => name,
            _ => pages.base.as_str(),
        },
    };
    let mut out = format!("'''{}'''\n\n", escape(&export.title()));
    if let Some(description) = &site.description {
        out.push_str(&format!("''{}''\n\n", escape(description)));
    }
    if !matches!(part, Part::Period(_)) {
        let intro = writer.body(
            export.intro_input(1),
            "_intro",
            &[],
            &mut refs,
            &mut problems,
        );
        push_block(&mut out, &intro);
    }
    match part {
        Part::Index(periods) => {
            for (name, range) in periods {
                let language = export.language();
                let mut label = days[range.start].0.short_date_text(language);
                if range.len() > 1 {
                    label.push_str(" – ");
                    label.push_str(&days[range.end - 1].0.short_date_text(language));
                }
                out.push_str(&format!("* [[{name}|{}]]\n", escape(&label)));
            }
            out.push('\n');
        }
        _ => writer.days(days, &mut out, &mut refs, &mut problems),
    }
    if refs.any {
        out.push_str(&format!(
            "== {} ==\n\n<references />\n",
            heading_escape(t.sources)
        ));
    }
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

/// Which sources are cited more than once on the page, and which named refs have been
/// written out already.
///
/// A named ref shows the text of its first citation wherever it is used, so two citations
/// with a URL share one only when their text is the same: the same URL with another title,
/// date or archived copy, or two untitled press releases of different publishers, stay two
/// refs (unlike the sources page, which lists a document once by URL). Sources without a URL
/// share one by title, spaces and case aside ([`Source::identity`]), as the sources page lists
/// them, when publisher and date are the same too: "Phone call" and "phone  call" were two
/// references.
struct Refs {
    /// Citation text -> how many citations have it on the page.
    counts: HashMap<String, usize>,
    /// Citation text -> the name of its ref.
    names: HashMap<String, String>,
    written: HashSet<String>,
    /// Whether any ref was written (then the page needs `<references />`).
    any: bool,
}

impl Refs {
    fn new(export: &Export, days: &[(EventDate, Vec<&Event>)]) -> Refs {
        let language = export.language();
        let archived = crate::i18n::strings(language).archived;
        let mut counts: HashMap<String, usize> = HashMap::new();
        for event in days.iter().flat_map(|(_, events)| events) {
            for source in &event.sources {
                *counts
                    .entry(ref_key(source, language, archived))
                    .or_default() += 1;
            }
        }
        Refs {
            counts,
            names: HashMap::new(),
            written: HashSet::new(),
            any: false,
        }
    }

    /// The ref for one citation: `<ref>…</ref>`, or for a source cited again elsewhere
    /// `<ref name="…">…</ref>` the first time and `<ref name="…" />` after.
    fn cite(&mut self, name: Option<String>, content: &str) -> String {
        self.any = true;
        match name {
            None => format!("<ref>{content}</ref>"),
            Some(name) if self.written.contains(&name) => format!("<ref name=\"{name}\" />"),
            Some(name) => {
                self.written.insert(name.clone());
                format!("<ref name=\"{name}\">{content}</ref>")
            }
        }
    }

    /// The ref name of a source (by its [`ref_key`]) cited more than once, else `None`.
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

/// What makes two citations one named ref (see [`Refs`]).
fn ref_key(source: &Source, language: crate::model::Language, archived: &str) -> String {
    if source.url.is_none() && !source.title.trim().is_empty() {
        // The title as the sources page compares it; publisher and date as written, so that
        // two "Press release"s of different publishers stay two.
        let details = Citation::of(source, language).details.to_lowercase();
        return format!("{}\u{0}{details}", source.identity());
    }
    citation(&Citation::of(source, language), archived)
}

/// Writes the wikitext of one page: knows which page each event is on.
struct Writer<'w> {
    export: &'w Export<'w>,
    pages: &'w Pages,
    /// The title of the page being written.
    current: &'w str,
}

impl Writer<'_> {
    fn days(
        &self,
        days: &[(EventDate, Vec<&Event>)],
        out: &mut String,
        refs: &mut Refs,
        problems: &mut Vec<Problem>,
    ) {
        let export = self.export;
        for (day, events) in days {
            out.push_str(&format!(
                "== {} ==\n\n",
                heading_escape(&day.date_text(export.language()))
            ));
            for event in events {
                // The slug as an anchor inside the heading: links between events then do not
                // depend on how MediaWiki makes an anchor of a title (or of two equal ones).
                out.push_str(&format!(
                    "=== <span id=\"{}\"></span>{} ===\n\n",
                    event.slug,
                    heading_escape(&event.title)
                ));
                for flag in export.flags(event) {
                    out.push_str(&format!("'''{}''' ", escape(flag)));
                }
                out.push_str(&format!("''{}''\n\n", escape(&export.meta_line(event))));
                let text = self.body(
                    export.input(event, 3),
                    &event.slug,
                    &event.sources,
                    refs,
                    problems,
                );
                push_block(out, &text);
                for (label, note) in export.correction_lines(event) {
                    let note = note.map(|n| format!(": {}", escape(n))).unwrap_or_default();
                    out.push_str(&format!("''{}''{note}\n\n", escape(&label)));
                }
            }
        }
    }

    /// A body as wikitext, its citations as `<ref>`s.
    fn body(
        &self,
        input: markdown::Input,
        prefix: &str,
        sources: &[Source],
        refs: &mut Refs,
        problems: &mut Vec<Problem>,
    ) -> String {
        let arena = Arena::new();
        let prepared = markdown::prepare(&arena, &input, problems);
        let language = self.export.language();
        markdown::label_internal_notes(&arena, &prepared, crate::i18n::strings(language).internal);
        let archived = crate::i18n::strings(language).archived;
        let source_text = |i: usize| citation(&Citation::of(&sources[i], language), archived);
        self.cite_inside_footnotes(&prepared, &source_text);
        // A footnote's own ref keeps its blocks: lists and tables need their lines.
        let contents: Vec<String> = prepared
            .notes
            .iter()
            .map(|note| match note.content {
                PreparedContent::Footnote(doc) => ref_blocks(doc, &self.blocks(doc, "")),
                PreparedContent::Source(i) => source_text(i),
            })
            .collect();
        let keys: Vec<String> = prepared
            .notes
            .iter()
            .zip(&contents)
            .map(|(note, content)| match note.content {
                PreparedContent::Source(i) => ref_key(&sources[i], language, archived),
                PreparedContent::Footnote(_) => content.clone(),
            })
            .collect();
        cite_in_body(&prepared, &contents, &keys, prefix, refs);
        let internal = crate::i18n::strings(language).internal;
        for block in markdown::internal_blocks(prepared.root) {
            self.as_internal_div(block, internal);
        }
        self.blocks(prepared.root, "")
    }

    /// Citations inside footnotes cannot be refs (MediaWiki does not nest them): they are
    /// written in parentheses inside the footnote's ref, a footnote cited there by its own text,
    /// its own citations in parentheses again, to any depth, so that a note cited only inside
    /// another is never lost. A note that cites itself, directly or through others, is cited
    /// by its number the second time.
    fn cite_inside_footnotes(&self, prepared: &Prepared, source_text: &dyn Fn(usize) -> String) {
        let mut done: Vec<Option<String>> = vec![None; prepared.notes.len()];
        for i in 0..prepared.notes.len() {
            self.inline_note(prepared, i, source_text, &mut done, &mut Vec::new());
        }
        for (note, text) in prepared.notes.iter().zip(&done) {
            let text = format!(" ({})", text.clone().unwrap_or_default());
            for node in note.markers.iter().filter(|m| !is_in(m, prepared.root)) {
                node.data_mut().value = NodeValue::Raw(text.clone());
            }
        }
    }

    /// The one-line text of note `i`, with the notes it cites filled in first.
    fn inline_note(
        &self,
        prepared: &Prepared,
        i: usize,
        source_text: &dyn Fn(usize) -> String,
        done: &mut Vec<Option<String>>,
        open: &mut Vec<usize>,
    ) -> String {
        if let Some(text) = &done[i] {
            return text.clone();
        }
        let note = &prepared.notes[i];
        let text = match note.content {
            PreparedContent::Source(s) => source_text(s),
            PreparedContent::Footnote(doc) => {
                open.push(i);
                for (j, other) in prepared.notes.iter().enumerate() {
                    let inside: Vec<_> = other
                        .markers
                        .iter()
                        .filter(|m| m.ancestors().any(|a| std::ptr::eq(a, doc)))
                        .collect();
                    if inside.is_empty() {
                        continue;
                    }
                    let cited = if open.contains(&j) {
                        other.number.to_string()
                    } else {
                        self.inline_note(prepared, j, source_text, done, open)
                    };
                    for node in inside {
                        node.data_mut().value = NodeValue::Raw(format!(" ({cited})"));
                    }
                }
                open.pop();
                one_line(&self.blocks(doc, ""))
            }
        };
        done[i] = Some(text.clone());
        text
    }

    /// An internal block as a `<div class="internal">` that starts with its label in bold.
    fn as_internal_div<'a>(&self, block: &'a AstNode<'a>, label: &str) {
        block.data_mut().value = NodeValue::Raw(String::new());
        let inner = self.blocks(block, "");
        block.data_mut().value = NodeValue::Raw(format!(
            "<div class=\"internal\">\n'''{}'''\n\n{}\n</div>\n\n",
            escape(label),
            inner.trim()
        ));
        for child in block.children().collect::<Vec<_>>() {
            child.detach();
        }
    }

    /// Block-level wikitext of `node`'s children; `prefix` is the list markers of the items
    /// they are in ("#*" for a bullet under a numbered item).
    fn blocks<'a>(&self, node: &'a AstNode<'a>, prefix: &str) -> String {
        node.children().map(|c| self.block(c, prefix)).collect()
    }

    fn block<'a>(&self, node: &'a AstNode<'a>, prefix: &str) -> String {
        let value = node.data().value.clone();
        match value {
            NodeValue::Paragraph => format!("{}\n\n", line_start_safe(&self.inlines(node))),
            NodeValue::Heading(h) => {
                let marks = "=".repeat(usize::from(h.level.clamp(2, 6)));
                let text = self.inlines_with(node, &heading_escape);
                format!("{marks} {} {marks}\n\n", text.trim())
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                format!("<blockquote>\n{}</blockquote>\n\n", self.blocks(node, ""))
            }
            NodeValue::List(list) => {
                if needs_html(node) {
                    return format!("{}\n\n", self.html_list(node));
                }
                let marker = if list.list_type == ListType::Ordered {
                    '#'
                } else {
                    '*'
                };
                let prefix = format!("{prefix}{marker}");
                let mut out = String::new();
                for item in node.children() {
                    out.push_str(&self.list_item(item, &prefix));
                }
                if prefix.len() == 1 {
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
            NodeValue::Table(_) => self.table(node),
            NodeValue::Raw(raw) => raw,
            // Anything else that holds blocks: write its blocks.
            _ => self.blocks(node, prefix),
        }
    }

    /// One list item: its first paragraph on the marker's line, further paragraphs after
    /// `<br />`, nested lists with the item's markers in front of their own.
    fn list_item<'a>(&self, item: &'a AstNode<'a>, prefix: &str) -> String {
        let mut text = Vec::new();
        let mut nested = String::new();
        for child in item.children() {
            match child.data().value {
                NodeValue::List(_) => nested.push_str(&self.block(child, prefix)),
                NodeValue::Paragraph => text.push(self.inlines(child)),
                _ => text.push(self.block(child, "").trim().replace('\n', " ")),
            }
        }
        format!("{prefix} {}{}\n{nested}", task(item), text.join("<br />"))
    }

    /// A list as HTML, for what wikitext lists cannot say: a numbered list that does not start
    /// at 1. Its items and nested lists are HTML too, each item's text on one line.
    fn html_list<'a>(&self, list: &'a AstNode<'a>) -> String {
        let NodeValue::List(ref l) = list.data().value else {
            return String::new();
        };
        let (open, close) = match l.list_type {
            ListType::Ordered if l.start != 1 => (format!("<ol start=\"{}\">", l.start), "</ol>"),
            ListType::Ordered => ("<ol>".to_string(), "</ol>"),
            ListType::Bullet => ("<ul>".to_string(), "</ul>"),
        };
        let mut out = open;
        for item in list.children() {
            out.push_str("<li>");
            out.push_str(task(item));
            let mut parts = Vec::new();
            for child in item.children() {
                match child.data().value {
                    NodeValue::List(_) => parts.push(self.html_list(child)),
                    NodeValue::Paragraph => parts.push(self.inlines(child)),
                    _ => parts.push(self.block(child, "").trim().replace('\n', " ")),
                }
            }
            out.push_str(&parts.join("<br />"));
            out.push_str("</li>");
        }
        out.push_str(close);
        out
    }

    fn table<'a>(&self, node: &'a AstNode<'a>) -> String {
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
                    let cell = self.inlines(c).trim().to_string();
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
    fn inlines<'a>(&self, node: &'a AstNode<'a>) -> String {
        self.inlines_with(node, &escape)
    }

    /// Inline wikitext with `text` escaping the author's words: [`escape`], or in a heading
    /// [`heading_escape`].
    fn inlines_with<'a>(&self, node: &'a AstNode<'a>, text: &dyn Fn(&str) -> String) -> String {
        node.children()
            .map(|child| self.inline(child, text))
            .collect()
    }

    fn inline<'a>(&self, node: &'a AstNode<'a>, text: &dyn Fn(&str) -> String) -> String {
        let value = node.data().value.clone();
        let inner = || self.inlines_with(node, text);
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
                if let Some(target) = self.event_target(&link.url) {
                    let words = if words.trim().is_empty() {
                        text(&link.url)
                    } else {
                        words
                    };
                    return format!("[[{target}|{words}]]");
                }
                if is_wiki_url(&link.url) {
                    let words = if words.trim().is_empty() {
                        text(&link.url)
                    } else {
                        words
                    };
                    format!("[{} {}]", wiki_url(&link.url), words)
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

    /// Where a link to an event of this export points: `#slug` on the page it is on (the
    /// anchor in its heading), `Page#slug` on another page. Links are to events written
    /// relative to the content folder, `../slug/` as from another event's page, or the site's
    /// own address of an event.
    fn event_target(&self, url: &str) -> Option<String> {
        let relative = match self.export.base_url.and_then(|b| url.strip_prefix(b)) {
            Some(rest) => rest,
            None if markdown::is_content_relative(url) => url,
            None => return None,
        };
        let slug = markdown::event_slug(relative)?;
        if !self.export.events.iter().any(|e| e.slug == slug) {
            return None;
        }
        match self.pages.of_event.get(slug) {
            Some(page) if page != self.current => Some(format!("{page}#{slug}")),
            _ => Some(format!("#{slug}")),
        }
    }
}

/// The marks of a task item.
fn task<'a>(item: &'a AstNode<'a>) -> &'static str {
    match item.data().value {
        NodeValue::TaskItem(ref t) if t.symbol.is_some() => "☑ ",
        NodeValue::TaskItem(_) => "☐ ",
        _ => "",
    }
}

/// Whether a list must be written as HTML: a numbered list that starts elsewhere than at 1.
fn needs_html<'a>(list: &'a AstNode<'a>) -> bool {
    matches!(list.data().value, NodeValue::List(ref l) if l.list_type == ListType::Ordered && l.start != 1)
}

/// The markers of the body itself become `<ref>`s holding `contents` (by note), named when
/// the note is cited more than once.
fn cite_in_body(
    prepared: &Prepared,
    contents: &[String],
    keys: &[String],
    prefix: &str,
    refs: &mut Refs,
) {
    for ((note, content), key) in prepared.notes.iter().zip(contents).zip(keys) {
        let in_body: Vec<_> = note
            .markers
            .iter()
            .filter(|m| is_in(m, prepared.root))
            .collect();
        let name = match note.content {
            PreparedContent::Source(_) => refs.source_name(key, in_body.len()),
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

/// A footnote's wikitext blocks as the content of its `<ref>`: one paragraph stays on the
/// ref's line; anything more starts on a line of its own, where wikitext reads list and table
/// markup, and keeps its lines, each paragraph in `<p>`: MediaWiki makes no paragraphs inside
/// a `<ref>`, and without them the paragraphs of a footnote ran together.
fn ref_blocks<'a>(doc: &'a AstNode<'a>, wikitext: &str) -> String {
    let paragraphs = doc
        .children()
        .filter(|c| matches!(c.data().value, NodeValue::Paragraph))
        .count();
    let wikitext = wikitext.trim();
    if !wikitext.contains('\n') {
        return wikitext.to_string();
    }
    if paragraphs < 2 {
        return format!("\n{wikitext}\n");
    }
    let mut out = String::from("\n");
    // Blocks are written with a blank line after each; a list ends with one too.
    for block in wikitext.split("\n\n") {
        let block = block.trim_matches('\n');
        if block.is_empty() {
            continue;
        }
        let is_markup = block.starts_with(['*', '#', ':', ';', '{', '|', '<', '='])
            || block.starts_with("----");
        if is_markup {
            out.push_str(block);
            out.push('\n');
        } else {
            out.push_str(&format!("<p>{block}</p>\n"));
        }
    }
    out
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
        Some(url) => format!("[{} {}]", wiki_url(url), escape(c.title)),
        None => escape(c.title),
    };
    out.push_str(&escape(&c.details));
    if let Some(archive) = c.archive_url {
        out.push_str(&format!(" ([{} {}])", wiki_url(archive), escape(archived)));
    }
    out
}

/// The URL schemes MediaWiki links by default (`$wgUrlProtocols`) that the site links too.
const SCHEMES: &[&str] = &[
    "http://", "https://", "mailto:", "tel:", "sms:", "ftp://", "ftps://", "sftp://", "ssh://",
    "irc://", "ircs://", "xmpp:", "sip:", "sips:", "news:", "nntp://", "geo:", "magnet:", "urn:",
];

/// Whether MediaWiki makes an external link of `url`: one of [`SCHEMES`], or `//host`.
fn is_wiki_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("//") && lower.len() > 2)
        || SCHEMES
            .iter()
            .any(|s| lower.starts_with(s) && lower.len() > s.len())
}

/// A URL inside `[url text]`, written so that wikitext reads nothing in it: a space or a
/// bracket would end it, `{{` make a template, `~~~` a signature, `__X__` a magic word, `''`
/// italics, `|` a new table cell, `&…;` a character. Those are percent-encoded (`~` and `_`
/// are unreserved, so the encoded URL is the same address) and `&` written `&amp;`, which
/// MediaWiki reads back as `&`. Tabs and line breaks are left out, as browsers do.
pub fn wiki_url(url: &str) -> String {
    let chars: Vec<char> = url.trim().chars().collect();
    let mut out = String::with_capacity(url.len());
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '\t' | '\n' | '\r' => {}
            '&' => out.push_str("&amp;"),
            '\'' if previous == Some('\'') || next == Some('\'') => out.push_str("%27"),
            '_' if previous == Some('_') => out.push_str("%5F"),
            c if c.is_control()
                || c.is_whitespace()
                || matches!(
                    c,
                    '[' | ']' | '<' | '>' | '"' | '{' | '}' | '|' | '~' | '\\' | '^' | '`'
                ) =>
            {
                let mut buffer = [0; 4];
                for byte in c.encode_utf8(&mut buffer).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
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
/// `://` is written `&#58;//`, so that an address in the text is not linked by the wiki where
/// the site shows it as text.
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
            ':' if next == Some('/') && chars.get(i + 2) == Some(&'/') => out.push_str("&#58;"),
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
        assert_eq!(escape("see https://e.org"), "see https&#58;//e.org");
        assert_eq!(line_start_safe("* not a list"), "&#42; not a list");
        assert_eq!(line_start_safe("= no heading ="), "&#61; no heading =");
        assert_eq!(line_start_safe("plain"), "plain");
        assert_eq!(heading_escape("50% = *lots*"), "50% &#61; *lots*");
    }

    #[test]
    fn urls_carry_no_wikitext() {
        assert_eq!(
            wiki_url("https://e.org/{{t}}/~~~~/__NOTOC__/a''b/x|y?a=1&b=[2] c\n"),
            "https://e.org/%7B%7Bt%7D%7D/%7E%7E%7E%7E/_%5FNOTOC_%5F/a%27%27b/x%7Cy?a=1&amp;b=%5B2%5D%20c"
        );
        assert_eq!(wiki_url("https://e.org/it's_ok"), "https://e.org/it's_ok");
        assert!(is_wiki_url("tel:+31701234567") && is_wiki_url("//cdn.example.org/x"));
        assert!(!is_wiki_url("img/x.png") && !is_wiki_url("#top") && !is_wiki_url("//"));
    }

    #[test]
    fn page_titles_are_safe_names() {
        assert_eq!(page_title("Wiki {{x}} [[y]] / a:b"), "Wiki x y a b");
        assert_eq!(page_title("../.."), "Chronology");
        assert_eq!(page_title(&"é".repeat(300)).len(), 200);
    }
}
