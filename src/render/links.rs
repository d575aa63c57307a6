//! The dead-link check: every link or image an author wrote relative to `content/`
//! (`img/schema.png`, `events/overleg-met-cisco/`, `orgs/ncsc/`) must lead to a file of
//! `content/` or to a page of the built site. A chronology is read for its evidence: a link
//! that leads nowhere is a warning at its line and column, not a surprise for the reader.
//!
//! Only what this build publishes counts. A link to an event this reader does not see is not
//! checked here: `markdown::prepare` reduces it to its words with a `hidden-link` warning of
//! its own (`check` runs the public view too, so it reports them). Which events those are is
//! the audience's `View` to say.

use crate::diagnostics::{nearest, Problem};
use crate::front_matter::Document;
use crate::markdown::ContentLink;
use crate::model::{Event, Timeline};
use crate::urls::{resolve, Page};
use std::collections::HashSet;

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
        let known = match Page::parse(written) {
            Some(Page::Event(slug)) => {
                if !self.slugs.contains(slug.as_str()) {
                    let hint = nearest(&slug, self.slugs.iter().copied())
                        .map(|near| format!("did you mean `events/{near}/`?"));
                    return Some((format!("link to `{url}`: no event `{slug}`"), hint));
                }
                true
            }
            Some(Page::Organisation(key) | Page::OrganisationPeriod(key, _)) => {
                if !self.orgs.contains(key.as_str()) {
                    let hint = nearest(&key, self.orgs.iter().copied())
                        .map(|near| format!("did you mean `orgs/{near}/`?"));
                    return Some((format!("link to `{url}`: no organisation `{key}`"), hint));
                }
                true
            }
            // The timeline, its periods, the sources, the feed and the data: made by every
            // build. (Robots.txt only by internal ones, and a page could not know which.)
            Some(Page::Robots) => self.files.contains("robots.txt"),
            Some(_) => true,
            None => parts.first() == Some(&"assets") || self.files.contains(&parts.join("/")),
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
}
