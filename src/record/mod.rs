//! The public record: what each release gave the public, and the rules that keep a published
//! statement from changing silently.
//!
//! An event's *substance* is what a reader relies on: its title, dates, organisations, text and
//! sources as the public sees them (after `::: internal` blocks are taken out). [`released`]
//! hashes it per part; `kroniek release` keeps those hashes in `releases/N.json`. [`check`]
//! compares the public's view with the latest release: a changed event needs a correction dated
//! on or after the release, a vanished one a withdrawal or an alias. [`changes`] says what each
//! release changed, for the changes page and `timeline.json`.
//!
//! This module reads the public's view only: it must never see, hash or name an event or a
//! passage the public does not get, and it never writes a file (`pipeline::release` does).

mod changes;
mod check;
mod files;

pub use changes::{history, Changes, Item, Renamed};
pub use check::check;
pub use files::Hashes;

use crate::audience::View;
use crate::markdown::{html_text, Body, NoteContent};
use crate::model::release::{Parts, ReleasedEvent, ReleasedNote};
use crate::model::{Event, Source};
use crate::urls::Page;
use sha2::{Digest, Sha256};

/// `sha256:` and the hex digest of `bytes`: how records write every hash.
pub fn hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(7 + 64);
    text.push_str("sha256:");
    for byte in digest {
        text.push_str(&format!("{byte:02x}"));
    }
    text
}

/// Every event of the view as a release records it. `bodies` are the view's rendered bodies,
/// in the view's order. The view must be the public's: the record is what the public was given.
pub fn released<'a>(view: &View, bodies: impl IntoIterator<Item = &'a Body>) -> Vec<ReleasedEvent> {
    view.events()
        .iter()
        .zip(bodies)
        .map(|(event, body)| released_event(event, body))
        .collect()
}

fn released_event(event: &Event, body: &Body) -> ReleasedEvent {
    let parts = parts(event, body);
    ReleasedEvent {
        slug: event.slug.clone(),
        url: Page::Event(event.slug.clone()).pretty(),
        title: event.title.clone(),
        substance: substance(&parts),
        parts,
        aliases: event.aliases.clone(),
        withdrawn: event.withdrawn.as_ref().map(|w| ReleasedNote {
            date: w.date.iso(),
            note: Some(w.note.clone()),
        }),
        corrections: event
            .corrections
            .iter()
            .map(|c| ReleasedNote {
                date: c.date.iso(),
                note: c.note.clone(),
            })
            .collect(),
        line: 0,
    }
}

/// The hash of all parts together.
fn substance(parts: &Parts) -> String {
    let all = [
        &parts.title,
        &parts.dates,
        &parts.organisations,
        &parts.body,
        &parts.sources,
    ];
    hash(all.map(String::as_str).join("\n").as_bytes())
}

/// Each part of the event's substance, hashed. Every part is written in a form that does not
/// depend on how the file is laid out (spacing, the order of YAML keys, line breaks in the
/// Markdown), so that only a change a reader can see changes a hash.
fn parts(event: &Event, body: &Body) -> Parts {
    let dates = [
        event.date.iso(),
        event.end.as_ref().map(|d| d.iso()).unwrap_or_default(),
        event.time_label.clone().unwrap_or_default(),
    ];
    Parts {
        title: hash(event.title.as_bytes()),
        dates: hash(dates.join("\n").as_bytes()),
        organisations: hash(event.orgs.join("\n").as_bytes()),
        body: hash(body_text(body).as_bytes()),
        sources: hash(sources_text(event, body).as_bytes()),
    }
}

/// The words of the body and of its footnotes, as the public reads them: markup, spacing and
/// line breaks aside.
fn body_text(body: &Body) -> String {
    let mut text = words(&html_text(&body.html));
    for note in &body.notes {
        if let NoteContent::Footnote(html) = &note.content {
            text.push('\n');
            text.push_str(&words(&html_text(html)));
        }
    }
    text
}

fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The sources the public is shown: those listed, and those of the register the body cites
/// where the public sees it.
fn sources_text(event: &Event, body: &Body) -> String {
    let cited: Vec<usize> = body
        .notes
        .iter()
        .filter_map(|note| match note.content {
            NoteContent::Source(i) => Some(i),
            NoteContent::Footnote(_) => None,
        })
        .collect();
    event
        .sources
        .iter()
        .enumerate()
        .filter(|(i, source)| !source.cited_only || cited.contains(i))
        .map(|(_, source)| source_text(source))
        .collect::<Vec<_>>()
        .join("\n")
}

fn source_text(source: &Source) -> String {
    let date = |d: &Option<crate::model::EventDate>| d.as_ref().map(|d| d.iso());
    let fields = [
        Some(source.title.clone()),
        source.publisher.clone(),
        source.url.clone(),
        date(&source.date),
        source.archive_url.clone(),
        source.author.clone(),
        date(&source.access_date),
        date(&source.archive_date),
        source.language.clone(),
        source.quote.clone(),
    ];
    fields
        .iter()
        .map(|f| words(f.as_deref().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("\t")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_sha256_in_hex() {
        assert_eq!(
            hash(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn layout_is_not_substance() {
        assert_eq!(words(" a\n\n b  c "), "a b c");
    }
}
