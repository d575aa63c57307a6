//! The dead-link check: every link or image an author wrote relative to `content/`
//! (`img/schema.png`, `events/overleg-met-cisco/`, `orgs/ncsc/`) must lead to a file of
//! `content/` or to a page of the built site. A chronology is read for its evidence: a link
//! that leads nowhere is a warning at its line and column, not a surprise for the reader.
//!
//! Only what this build publishes counts. A link to an event this audience does not see is
//! not checked here: `markdown::prepare` reduces it to its words with a `hidden-link` warning
//! of its own (and `check`, which sees everything, finds no such link). This module also says
//! which events those are ([`hidden_events`]), and takes their addresses out of sources
//! ([`unlink_hidden_sources`]).
//!
//! It must never let a link or a source's address name an event this audience does not see.

use crate::audience::Audience;
use crate::diagnostics::{nearest, Problem};
use crate::front_matter::{locate, Document, Step};
use crate::markdown::ContentLink;
use crate::model::{Event, Timeline};
use std::collections::HashSet;
use std::hash::Hasher;

/// The slugs of the events of `timeline` that `audience` does not see: links to them keep only
/// their words. `timeline` must still hold every event (before [`Audience::restrict`]).
pub fn hidden_events(timeline: &Timeline, audience: Audience) -> HashSet<String> {
    timeline
        .events
        .iter()
        .filter(|e| !audience.sees(e))
        .map(|e| e.slug.clone())
        .collect()
}

/// Sources of the events in `timeline` whose `url` or `archive_url` leads to an event in
/// `hidden` (the site's own address of an internal event, or an internal build's) lose that
/// address, and keep their title, publisher and date: the address would give the event away
/// on every page, feed, data file and export that lists the source. Each is a `hidden-link`
/// warning at the address, as for links in a body (`markdown::Input::hidden_events`).
pub fn unlink_hidden_sources(
    timeline: &mut Timeline,
    audience: Audience,
    hidden: &HashSet<String>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    if hidden.is_empty() {
        return problems;
    }
    let readers = if audience.sees_internal_notes() {
        "internal"
    } else {
        "public"
    };
    for event in &mut timeline.events {
        for (i, source) in event.sources.iter_mut().enumerate() {
            for (field, address) in [
                ("url", &mut source.url),
                ("archive_url", &mut source.archive_url),
            ] {
                let Some(url) =
                    address.take_if(|u| crate::markdown::hidden_event(u, hidden).is_some())
                else {
                    continue;
                };
                let path = [Step::Key("sources"), Step::Index(i), Step::Key(field)];
                problems.push(
                    event
                        .doc
                        .error(
                            locate(&event.doc, &path, Some(&url)),
                            "hidden-link",
                            format!(
                                "source `{field}` `{url}` leads to an event {readers} readers do \
                                 not see; it is left out"
                            ),
                        )
                        .with_hint("cite the document itself, or publish that event")
                        .warning(),
                );
            }
        }
    }
    problems
}

/// `intro_hash` and the set of hidden events as one number, for the cache keys of rendered
/// bodies: a body's HTML changes when an event it links to is hidden or shown, though its own
/// file did not change.
pub(super) fn context_hash(intro_hash: u64, hidden: &HashSet<String>) -> u64 {
    if hidden.is_empty() {
        return intro_hash;
    }
    let mut slugs: Vec<&String> = hidden.iter().collect();
    slugs.sort();
    let mut hasher = fnv::FnvHasher::default();
    hasher.write_u64(intro_hash);
    for slug in slugs {
        hasher.write(slug.as_bytes());
        hasher.write_u8(0);
    }
    hasher.finish()
}

/// What a content-relative link may lead to in this build.
pub struct Targets<'a> {
    slugs: HashSet<&'a str>,
    orgs: HashSet<&'a str>,
    files: HashSet<String>,
}

impl<'a> Targets<'a> {
    /// The pages and files of a build of `timeline` showing `events`.
    pub fn of(timeline: &'a Timeline, events: &[&'a Event]) -> Targets<'a> {
        Targets {
            slugs: events.iter().map(|e| e.slug.as_str()).collect(),
            orgs: timeline
                .site
                .organisations
                .iter()
                .map(|o| o.key.as_str())
                .collect(),
            files: timeline
                .assets
                .iter()
                .map(|a| {
                    let parts: Vec<String> = a
                        .output
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    parts.join("/")
                })
                .collect(),
        }
    }

    /// The warnings for the content-relative `links` of `doc`'s body.
    pub fn check(&self, doc: &Document, links: &[ContentLink]) -> Vec<Problem> {
        links
            .iter()
            .filter_map(|link| {
                let (message, hint) = self.dead(&link.url)?;
                let problem = doc
                    .error((link.line, link.column, 1), "dead-link", message)
                    .warning();
                Some(match hint {
                    Some(hint) => problem.with_hint(hint),
                    None => problem,
                })
            })
            .collect()
    }

    /// Why `url` leads nowhere, with advice; `None` when it leads somewhere.
    fn dead(&self, url: &str) -> Option<(String, Option<String>)> {
        let written = url.split(['?', '#']).next().unwrap_or("");
        let Some(parts) = resolve(written) else {
            let hint = match crate::markdown::event_slug(url) {
                Some(slug) if self.slugs.contains(slug) => {
                    format!("links are relative to the content folder: write `events/{slug}/`")
                }
                _ => "links and images are relative to the content folder".to_string(),
            };
            return Some((
                format!("link to `{url}` leads outside the site"),
                Some(hint),
            ));
        };
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let known = match parts.as_slice() {
            [] => true,
            ["index.html" | "feed.xml" | "timeline.json" | "sitemap.xml" | "404.html"] => true,
            ["sources" | "timeline" | "assets", ..] => true,
            ["events", slug] | ["events", slug, "index.html"] => {
                if self.slugs.contains(slug) {
                    true
                } else {
                    let hint = nearest(slug, self.slugs.iter().copied())
                        .map(|near| format!("did you mean `events/{near}/`?"));
                    return Some((format!("link to `{url}`: no event `{slug}`"), hint));
                }
            }
            ["orgs", key] | ["orgs", key, _] => {
                if self.orgs.contains(key) {
                    true
                } else {
                    let hint = nearest(key, self.orgs.iter().copied())
                        .map(|near| format!("did you mean `orgs/{near}/`?"));
                    return Some((format!("link to `{url}`: no organisation `{key}`"), hint));
                }
            }
            _ => self.files.contains(&parts.join("/")),
        };
        if known {
            return None;
        }
        let hint = match parts.as_slice() {
            [slug] | [slug, "index.html"] if self.slugs.contains(slug) => {
                format!("event pages are under events/: write `events/{slug}/`")
            }
            _ => "no such file in the content folder (its files are copied as they are)".into(),
        };
        Some((format!("link to `{url}` leads nowhere"), Some(hint)))
    }
}

/// The path segments `path` leads to from the content folder (`.` and `..` resolved, `%XX`
/// decoded), or `None` when it leads above it.
fn resolve(path: &str) -> Option<Vec<String>> {
    let mut parts: Vec<String> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(percent_decoded(s)),
        }
    }
    Some(parts)
}

/// `%20` and the like as the characters they stand for (a file name with a space is written
/// `my%20file.pdf` in a link); text that does not decode to UTF-8 stays as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets<'static> {
        Targets {
            slugs: ["overleg-met-cisco", "ncsc-gewaarschuwd"].into(),
            orgs: ["ncsc", "bzk"].into(),
            files: ["img/schema.png".to_string(), "docs/my file.pdf".to_string()].into(),
        }
    }

    #[test]
    fn links_to_pages_and_files_of_the_site_lead_somewhere() {
        let t = targets();
        for url in [
            "img/schema.png",
            "./img/schema.png",
            "img/../img/schema.png",
            "docs/my%20file.pdf",
            "events/overleg-met-cisco/",
            "events/overleg-met-cisco/index.html#overleg-met-cisco.fn1",
            "orgs/ncsc/",
            "orgs/bzk/index.html",
            "sources/index.html",
            "index.html?org=ncsc",
            "feed.xml",
            "timeline/2024/index.html",
        ] {
            assert_eq!(t.dead(url), None, "{url}");
        }
    }

    #[test]
    fn dead_links_say_why_and_what_to_write() {
        let t = targets();
        let (message, hint) = t.dead("img/schema.jpg").unwrap();
        assert_eq!(message, "link to `img/schema.jpg` leads nowhere");
        assert!(hint.unwrap().contains("no such file"));
        let (message, hint) = t.dead("events/overleg-met-cisko/").unwrap();
        assert_eq!(
            message,
            "link to `events/overleg-met-cisko/`: no event `overleg-met-cisko`"
        );
        assert_eq!(hint.unwrap(), "did you mean `events/overleg-met-cisco/`?");
        let (message, hint) = t.dead("../overleg-met-cisco/").unwrap();
        assert_eq!(
            message,
            "link to `../overleg-met-cisco/` leads outside the site"
        );
        assert_eq!(
            hint.unwrap(),
            "links are relative to the content folder: write `events/overleg-met-cisco/`"
        );
        let (_, hint) = t.dead("overleg-met-cisco/").unwrap();
        assert_eq!(
            hint.unwrap(),
            "event pages are under events/: write `events/overleg-met-cisco/`"
        );
        let (message, hint) = t.dead("orgs/nsc/").unwrap();
        assert_eq!(message, "link to `orgs/nsc/`: no organisation `nsc`");
        assert_eq!(hint.unwrap(), "did you mean `orgs/ncsc/`?");
    }

    #[test]
    fn resolving_never_climbs_above_the_content_folder() {
        assert_eq!(resolve("a/../b"), Some(vec!["b".to_string()]));
        assert_eq!(resolve("a/../../b"), None);
        assert_eq!(percent_decoded("a%20b%zz%"), "a b%zz%");
        assert_eq!(percent_decoded("%ff"), "%ff");
    }
}
