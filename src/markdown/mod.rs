//! Markdown bodies to HTML and to the trees the exports write, with sources as footnotes and
//! ids unique on any page.
//!
//! comrak parses; we then rewrite its tree before printing it:
//! - footnote references become our own numbered markers, one numbering per event shared by
//!   body footnotes and sources, with ids prefixed by the event's slug and a `.` (which no slug
//!   contains), so that a page showing hundreds of events has no duplicate id;
//! - sources the body does not cite get a marker after the text;
//! - `::: internal` blocks are removed, or kept and labelled for internal readers;
//! - headings move down to fit under the page's own headings;
//! - links to events the reader does not see become their words.
//!
//! Raw HTML is shown as text and unsafe URLs (`javascript:` and the like) are emptied by comrak;
//! the only HTML we inject is built here from escaped values.
//!
//! One module per job:
//! - [`parse`]: comrak's options and the text it parses (what is added before the body);
//! - [`internal`]: `::: internal` blocks (fences, the public tree, internal references);
//! - [`citations`]: citations, footnotes and their numbering;
//! - [`links`]: content-relative links, unsafe URLs, links to events;
//! - [`nesting`]: the depth limit every output relies on;
//! - [`prepare`](mod@prepare): the prepared tree every output starts from;
//! - [`html`]: the HTML of a body, and escaping.
//!
//! Nothing here may publish what a reader is not allowed to see: that is decided in
//! [`prepare()`], for every output at once.

mod citations;
mod html;
mod internal;
mod links;
mod nesting;
mod parse;
mod prepare;
#[cfg(test)]
mod test_support;

pub use html::{
    escape, escape_into, html_text, render, render_with, Body, Note, NoteContent, TreeEdit,
};
pub use internal::{internal_blocks, label_internal_notes};
pub use links::{event_slug, hidden_event, is_content_relative, unwrap, urls_in, ContentLink};
pub use nesting::MAX_NESTING;
pub use parse::options;
pub use prepare::{prepare, Prepared, PreparedContent, PreparedNote};

use crate::front_matter::Document;
use crate::model::Source;

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
    /// Slugs of events this reader does not see (internal or draft events, for a public
    /// reader): a link to one of them keeps only its words, since its address would give the
    /// event away (its slug is made from its title) and lead nowhere.
    pub hidden_events: &'a std::collections::HashSet<String>,
}
