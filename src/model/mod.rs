//! Stage 2, model: typed events, organisations and sources, checked against each other.
//!
//! Everything after this stage works on a [`Timeline`] and can trust it: dates parsed with
//! their precision, organisation keys known, slugs unique, events in their one total order. The
//! model holds every event, drafts and internal ones included; what an audience may see is
//! decided in `audience`, not here.

mod chart_range;
mod date;
mod event;
mod fields;
mod near_duplicates;
pub mod register;
pub mod release;
mod site;
mod text;

pub use chart_range::ChartRange;
pub use date::{DateError, EventDate, Precision};
pub use event::{Correction, Event, Source, Withdrawal};
pub use site::{normalise_base_url, Organisation, Site};
pub use text::{is_slug, is_web_url, slugify};

use crate::cache::Memo;
use crate::diagnostics::Problem;
use crate::front_matter::Document;
use crate::load::Content;
use std::collections::HashMap;

/// The site's language: UI strings and date formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Nl,
    #[default]
    En,
}

impl Language {
    pub fn parse(code: &str) -> Option<Language> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" | "nl-nl" | "nl_nl" => Some(Language::Nl),
            "en" | "en-gb" | "en-us" | "en_gb" | "en_us" => Some(Language::En),
            _ => None,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    pub fn locale(self) -> chrono::Locale {
        match self {
            Language::Nl => chrono::Locale::nl_NL,
            Language::En => chrono::Locale::en_GB,
        }
    }
}

/// The whole chronology: the site's settings and every event, in order.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub site: Site,
    /// Sorted by start instant, then precision, then file path: a total, stable order.
    pub events: Vec<Event>,
    /// Non-Markdown files of `content/`, copied to the output as they are.
    pub assets: Vec<crate::load::Asset>,
    /// The releases recorded in `releases/`, oldest first: what the public was given so far.
    pub releases: Vec<release::Release>,
}

impl Timeline {
    pub fn organisation(&self, key: &str) -> Option<&Organisation> {
        self.site.organisations.iter().find(|o| o.key == key)
    }
}

/// What identifies an event file's content and the site settings it was read with: its path,
/// the hash of its text, the hash of `_index.md` and `sources.yaml`.
pub type ContentKey = (std::path::PathBuf, u64, u64);

/// What a run may remember of parsing an event file.
pub type EventMemo<'a> = &'a dyn Memo<ContentKey, (Option<Event>, Vec<Problem>)>;

/// Builds the timeline from loaded content. Returns it together with every problem found
/// (warnings included); the caller decides whether errors stop the build. `None` only when the
/// site settings themselves are unusable.
pub fn build(content: Content, memo: EventMemo) -> (Option<Timeline>, Vec<Problem>) {
    let mut problems = Vec::new();
    let Some(index) = content.index else {
        problems.push(
            Problem::file_error(
                std::path::Path::new("content/_index.md"),
                "missing-index",
                "the site has no `content/_index.md`",
            )
            .with_hint("create it with at least `title: \"…\"` between two `---` lines"),
        );
        return (None, problems);
    };
    let mut site = match site::parse(&index, &mut problems) {
        Some(site) => site,
        None => return (None, problems),
    };
    site.register = register::parse(content.register.as_ref(), &site, &mut problems);
    // What every event is read with: the site settings and the register.
    let settings = site.intro.hash
        ^ content
            .register
            .as_ref()
            .map_or(0, |r| r.hash.rotate_left(1));

    let parsed: Vec<(Option<Event>, Vec<Problem>)> = {
        use rayon::prelude::*;
        content
            .events
            .into_par_iter()
            .map(|doc| {
                let key = (doc.file.clone(), doc.hash, settings);
                memo.get_or_make(key, Box::new(|| parse_event(doc, &site)))
            })
            .collect()
    };
    let mut events = Vec::with_capacity(parsed.len());
    for (event, found) in parsed {
        problems.extend(found);
        events.extend(event);
    }
    check_unique_slugs(&events, &mut problems);
    let releases = release::parse(&content.releases, &mut problems);
    check_aliases(&events, &mut problems);
    near_duplicates::check(&events, content.register.as_ref(), &mut problems);
    events.sort_by(|a, b| (a.date.sort_key(), &a.doc.file).cmp(&(b.date.sort_key(), &b.doc.file)));
    (
        Some(Timeline {
            site,
            events,
            assets: content.assets,
            releases,
        }),
        problems,
    )
}

fn parse_event(doc: Document, site: &Site) -> (Option<Event>, Vec<Problem>) {
    let mut found = Vec::new();
    let event = event::parse(doc, site, &mut found);
    (event, found)
}

/// A slug is an event's URL and anchor: two events with one slug would overwrite each other.
fn check_unique_slugs(events: &[Event], problems: &mut Vec<Problem>) {
    let mut first: HashMap<&str, &Event> = HashMap::new();
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.doc.file.cmp(&b.doc.file));
    for event in sorted {
        if let Some(earlier) = first.get(event.slug.as_str()) {
            problems.push(
                event
                    .doc
                    .name_error("duplicate-slug", format!("duplicate slug `{}`", event.slug))
                    .with_hint(format!(
                        "{} has the same slug; rename one of the files",
                        crate::diagnostics::display_path(&earlier.doc.file)
                    )),
            );
        } else {
            first.insert(&event.slug, event);
        }
    }
}

/// An alias is an old URL that sends readers on to its event: it must be no other event's slug
/// (whose page would be overwritten, or would send its readers away) and no other event's alias
/// (one old URL cannot lead to two events). Both files are named. Drafts and internal events
/// count too: a public build must not depend on what it leaves out.
fn check_aliases(events: &[Event], problems: &mut Vec<Problem>) {
    let mut sorted: Vec<&Event> = events.iter().collect();
    sorted.sort_by(|a, b| a.doc.file.cmp(&b.doc.file));
    let slugs: HashMap<&str, &Event> = sorted.iter().rev().map(|e| (e.slug.as_str(), *e)).collect();
    let mut aliases: HashMap<&str, &Event> = HashMap::new();
    for event in sorted {
        for alias in &event.aliases {
            let at = crate::front_matter::locate(
                &event.doc,
                &[crate::front_matter::Step::Key("aliases")],
                Some(alias),
            );
            let other = crate::diagnostics::display_path;
            if let Some(owner) = slugs.get(alias.as_str()) {
                problems.push(
                    event
                        .doc
                        .error(at, "alias-taken", format!("alias `{alias}` is the slug of {}", other(&owner.doc.file)))
                        .with_hint("an alias is a slug this event had before; remove it, or rename the other event"),
                );
            } else if let Some(earlier) = aliases.get(alias.as_str()) {
                problems.push(
                    event
                        .doc
                        .error(at, "alias-taken", format!("alias `{alias}` is also an alias of {}", other(&earlier.doc.file)))
                        .with_hint("one old URL can lead to one event only; remove the alias from one of the files"),
                );
            } else {
                aliases.insert(alias, event);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(slug: &str, file: &str, aliases: &[&str]) -> Event {
        let mut event = Event::for_tests(EventDate::parse("2024-06-04", chrono_tz::UTC).unwrap().0);
        event.slug = slug.into();
        event.aliases = aliases.iter().map(|a| a.to_string()).collect();
        event.doc = Document::empty(std::path::Path::new(file));
        event
    }

    fn alias_problems(events: &[Event]) -> Vec<String> {
        let mut problems = Vec::new();
        check_aliases(events, &mut problems);
        problems
            .iter()
            .map(|p| format!("{}: {}", p.file.display(), p.message))
            .collect()
    }

    #[test]
    fn an_alias_leads_to_one_event_only() {
        let chain = [
            named("c", "content/c.md", &["a", "b"]),
            named("d", "content/d.md", &[]),
        ];
        assert_eq!(alias_problems(&chain), Vec::<String>::new());
        let taken = [
            named("a", "content/a.md", &[]),
            named("b", "content/b.md", &["a"]),
        ];
        assert_eq!(
            alias_problems(&taken),
            ["content/b.md: alias `a` is the slug of content/a.md"]
        );
        let twice = [
            named("c", "content/c.md", &["old"]),
            named("b", "content/b.md", &["old"]),
        ];
        assert_eq!(
            alias_problems(&twice),
            ["content/c.md: alias `old` is also an alias of content/b.md"]
        );
    }
}
