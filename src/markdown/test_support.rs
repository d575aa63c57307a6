//! What the unit tests of every markdown module share: a body rendered as an event's would be.

use super::{render, Body, Input};
use crate::diagnostics::Problem;
use crate::front_matter::split;
use crate::model::Source;
use std::collections::HashSet;
use std::path::PathBuf;

pub fn source(id: Option<&str>, title: &str) -> Source {
    Source {
        id: id.map(str::to_string),
        title: title.to_string(),
        publisher: None,
        url: None,
        date: None,
        archive_url: None,
        ..Default::default()
    }
}

/// `body` as the body of `content/x.md` (its first line is line 4 of the file), rendered for
/// an event page two folders deep with headings from `<h4>`.
pub fn run(body: &str, sources: &[Source], internal: bool) -> (Body, Vec<Problem>) {
    run_hiding(body, sources, internal, &HashSet::new())
}

/// [`run`] for a reader who does not see the events `hidden`.
pub fn run_hiding(
    body: &str,
    sources: &[Source],
    internal: bool,
    hidden: &HashSet<String>,
) -> (Body, Vec<Problem>) {
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
        hidden_events: hidden,
    };
    (render(&input, &mut problems), problems)
}
