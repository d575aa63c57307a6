//! The pages of the site, each from its template.
//!
//! Every event is rendered once as a "card" (the `card.html` template) for each depth of page it
//! appears on; the timeline and organisation pages put those cards together instead of
//! rendering each event again. With a cache (in `serve`), cards, event pages and feed entries
//! are also kept between runs, keyed by a hash of everything they are made from.

use super::view::{value, OrgView, PageMeta};
use super::{chart, data, days, feed, sources, OutputFile, Rendered};
use crate::cache::Cache;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown;
use crate::model::{Event, Language, Precision, Timeline};
use crate::theme::Theme;
use crate::write::Sink;
use minijinja::{context, Environment, Value};
use rayon::prelude::*;
use std::hash::Hasher;
use std::path::PathBuf;

/// Everything the page functions share.
pub struct Pages<'a> {
    pub timeline: &'a Timeline,
    /// The events this audience sees, in timeline order; the other slices run in parallel.
    pub events: &'a [&'a Event],
    pub views: &'a [Value],
    /// Hash of each event's view: what its card and page are made from.
    pub view_hashes: &'a [u64],
    pub bodies: &'a [Rendered],
    pub env: &'a Environment<'static>,
    pub base_url: Option<&'a str>,
    pub theme: &'a Theme,
    pub memo: Memo<'a>,
    /// Where each page goes as soon as it is made.
    pub sink: &'a Sink<'a>,
}

/// Rendered fragments kept between runs, when there is a cache.
pub struct Memo<'a> {
    pub cache: Option<&'a Cache>,
    /// Hash of what every fragment depends on besides its own data: theme files, site
    /// settings, UI words, asset names.
    pub salt: u64,
}

impl Memo<'_> {
    fn render(
        &self,
        parts: &[u64],
        render: impl FnOnce() -> Result<String, Problem>,
    ) -> Result<String, Problem> {
        let Some(cache) = self.cache else {
            return render();
        };
        let key = hash_parts(self.salt, parts);
        if let Some(html) = cache.fragments.get(cache.current_run(), &key) {
            return Ok(html);
        }
        let html = render()?;
        cache
            .fragments
            .insert(cache.current_run(), key, html.clone());
        Ok(html)
    }
}

/// One 64-bit hash of several.
pub fn hash_parts(salt: u64, parts: &[u64]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write_u64(salt);
    for part in parts {
        hasher.write_u64(*part);
    }
    hasher.finish()
}

/// Distinguishes fragments of different kinds with the same inputs.
const CARD: u64 = 1;
const NESTED_CARD: u64 = 2;
const EVENT_PAGE: u64 = 3;
const FEED_ENTRY: u64 = 4;
const DATA_EVENT: u64 = 5;
const WHOLE_PAGE: u64 = 6;

impl Pages<'_> {
    fn language(&self) -> Language {
        self.timeline.site.language
    }

    /// Every generated file: pages, feed, data, sitemap, each handed to the sink when done.
    pub fn all(&self) -> Result<(), Vec<Problem>> {
        let started = std::time::Instant::now();
        let cards = self.cards("", CARD).map_err(|p| vec![p])?;
        let nested = self.cards("../../", NESTED_CARD).map_err(|p| vec![p])?;
        crate::timing("render: cards", started);
        let started = std::time::Instant::now();
        type Job<'j> = Box<dyn Fn() -> Result<(), Problem> + Sync + 'j>;
        let mut jobs: Vec<Job> = vec![
            Box::new(|| self.index(&cards)),
            Box::new(|| self.sources()),
            Box::new(|| self.not_found()),
            Box::new(|| self.feed()),
            Box::new(|| self.data()),
            Box::new(|| {
                self.sitemap();
                Ok(())
            }),
        ];
        for i in 0..self.events.len() {
            jobs.push(Box::new(move || self.event(i)));
        }
        for org in &self.timeline.site.organisations {
            let nested = &nested;
            jobs.push(Box::new(move || self.organisation(&org.key, nested)));
        }
        let results: Vec<Result<(), Problem>> = jobs.par_iter().map(|job| job()).collect();
        let mut problems = Vec::new();
        for problem in results.into_iter().filter_map(Result::err) {
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
        crate::timing("render: pages, feed and data", started);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Each event as it appears in lists, for pages `root` below the site root.
    fn cards(&self, root: &str, kind: u64) -> Result<Vec<String>, Problem> {
        let template = self
            .env
            .get_template("card.html")
            .map_err(|e| self.theme.problem(&e))?;
        self.views
            .par_iter()
            .zip(self.view_hashes.par_iter())
            .map(|(view, hash)| {
                self.memo.render(&[kind, *hash], || {
                    template
                        .render(context! { event => view, root })
                        .map_err(|e| self.theme.problem(&e))
                })
            })
            .collect()
    }

    /// Renders `template` to `path` (relative to the output root), straight into the sink.
    fn page(&self, template: &str, path: &str, meta: PageMeta, ctx: Value) -> Result<(), Problem> {
        let template = self
            .env
            .get_template(template)
            .map_err(|e| self.theme.problem(&e))?;
        self.sink.put_with(path, |out| {
            template
                .render_captured_to(context! { page => value(&meta), ..ctx }, out)
                .map(|_| ())
                .map_err(|e| self.theme.problem(&e))
        })
    }

    /// Renders `template` to a string, for pages that are kept between runs.
    fn render(&self, template: &str, meta: PageMeta, ctx: Value) -> Result<String, Problem> {
        self.env
            .get_template(template)
            .and_then(|t| t.render(context! { page => value(&meta), ..ctx }))
            .map_err(|e| self.theme.problem(&e))
    }

    /// Hands a finished file to the sink.
    fn put(&self, path: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.sink.put(OutputFile::Made {
            path: path.into(),
            bytes,
        });
    }

    fn meta(
        &self,
        path: &str,
        title: String,
        description: Option<String>,
        kind: &'static str,
    ) -> PageMeta {
        let depth = path.matches('/').count();
        let pretty = path.strip_suffix("index.html").unwrap_or(path);
        PageMeta {
            root: "../".repeat(depth),
            canonical: self.base_url.map(|base| format!("{base}{pretty}")),
            title,
            description,
            kind,
        }
    }

    fn index(&self, cards: &[String]) -> Result<(), Problem> {
        let site = &self.timeline.site;
        let meta = self.meta(
            "index.html",
            site.title.clone(),
            site.description.clone(),
            "website",
        );
        let all: Vec<usize> = (0..self.events.len()).collect();
        let corrections = days::recent_corrections(self.events, self.language());
        let days = days::group(self.events, cards, &all, self.language());
        // Marks link to the events' places on this page, so the chart is a map of it.
        let started = std::time::Instant::now();
        let chart = chart::overview(self.timeline, self.events, &|e: &Event| {
            format!("#{}", e.slug)
        });
        crate::timing("render: chart", started);
        self.page(
            "index.html",
            "index.html",
            meta,
            context! {
                days => value(days),
                corrections => value(corrections),
                chart => Value::from_safe_string(chart),
            },
        )
    }

    fn event(&self, i: usize) -> Result<(), Problem> {
        let event = self.events[i];
        let path = format!("events/{}/index.html", event.slug);
        let previous = i.checked_sub(1);
        let next = (i + 1 < self.events.len()).then_some(i + 1);
        let hash_of = |j: Option<usize>| j.map_or(0, |j| self.view_hashes[j]);
        let html = self.memo.render(
            &[
                EVENT_PAGE,
                self.view_hashes[i],
                hash_of(previous),
                hash_of(next),
            ],
            || {
                let description = summary(&self.bodies[i].list.html, 200);
                let meta = self.meta(&path, event.title.clone(), description, "article");
                let previous = previous.map(|p| &self.views[p]);
                let next = next.map(|n| &self.views[n]);
                self.render(
                    "event.html",
                    meta,
                    context! { event => &self.views[i], previous, next },
                )
            },
        )?;
        self.put(path, html.into_bytes());
        Ok(())
    }

    fn organisation(&self, key: &str, cards: &[String]) -> Result<(), Problem> {
        let org = self
            .timeline
            .organisation(key)
            .expect("organisation from the site's own list");
        let path = format!("orgs/{key}/index.html");
        let meta = self.meta(&path, org.name.clone(), None, "website");
        let mine: Vec<usize> = (0..self.events.len())
            .filter(|&i| self.events[i].orgs.iter().any(|k| k == key))
            .collect();
        let org = OrgView::of(org, mine.len());
        let days = days::group(self.events, cards, &mine, self.language());
        self.page(
            "org.html",
            &path,
            meta,
            context! { org => value(org), days => value(days) },
        )
    }

    fn sources(&self) -> Result<(), Problem> {
        let t = i18n::strings(self.language());
        let meta = self.meta("sources/index.html", t.sources.to_string(), None, "website");
        let list = sources::distinct(self.events, self.bodies, self.language());
        let hash = super::hash_json(&list);
        let html = self.memo.render(&[WHOLE_PAGE, hash], || {
            self.render("sources.html", meta, context! { sources => value(list) })
        })?;
        self.put("sources/index.html", html.into_bytes());
        Ok(())
    }

    fn not_found(&self) -> Result<(), Problem> {
        let t = i18n::strings(self.language());
        let mut meta = self.meta("404.html", t.not_found_title.to_string(), None, "website");
        // 404.html is served for any missing path, so relative links would break below the
        // root: use the site's path from `base_url` when it is known.
        if let Some(base) = self.base_url {
            meta.root = base_path(base);
        }
        meta.canonical = None;
        self.page("404.html", "404.html", meta, context! {})
    }

    fn feed(&self) -> Result<(), Problem> {
        let entry = self
            .env
            .get_template("feed-entry.html")
            .map_err(|e| self.theme.problem(&e))?;
        let nested = self.base_url.is_some();
        let contents = self
            .views
            .par_iter()
            .zip(self.view_hashes.par_iter())
            .map(|(view, hash)| {
                // Escaped here, once, for `<content type="html">`; the feed template prints
                // it as it is.
                self.memo
                    .render(&[FEED_ENTRY, *hash, u64::from(nested)], || {
                        entry
                            .render(context! { event => view, nested })
                            .map(|html| markdown::escape(&html))
                            .map_err(|e| self.theme.problem(&e))
                    })
            })
            .collect::<Result<Vec<String>, Problem>>()?;
        let feed = feed::feed(self.timeline, self.events, contents, self.base_url);
        let template = self
            .env
            .get_template("feed.xml")
            .map_err(|e| self.theme.problem(&e))?;
        self.sink.put_with("feed.xml", |out| {
            template
                .render_captured_to(context! { feed => value(feed) }, out)
                .map(|_| ())
                .map_err(|e| self.theme.problem(&e))
        })
    }

    fn data(&self) -> Result<(), Problem> {
        let events = self
            .events
            .par_iter()
            .zip(self.bodies.par_iter())
            .map(|(event, body)| {
                let path = crate::front_matter::hash_text(&event.doc.file.to_string_lossy());
                self.memo.render(&[DATA_EVENT, event.doc.hash, path], || {
                    Ok(data::event_json(event, body))
                })
            })
            .collect::<Result<Vec<String>, Problem>>()?;
        let header = data::header(self.timeline, self.events, self.base_url);
        self.put("timeline.json", data::document(&header, &events));
        Ok(())
    }

    /// `sitemap.xml` needs absolute URLs, so it is written only when `base_url` is known.
    fn sitemap(&self) {
        let Some(base) = self.base_url else {
            return;
        };
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let mut url = |path: &str, lastmod: Option<String>| {
            xml.push_str("  <url><loc>");
            xml.push_str(&markdown::escape(&format!("{base}{path}")));
            xml.push_str("</loc>");
            if let Some(date) = lastmod {
                xml.push_str("<lastmod>");
                xml.push_str(&date);
                xml.push_str("</lastmod>");
            }
            xml.push_str("</url>\n");
        };
        url("", None);
        for event in self.events {
            let changed = event.updated.as_ref().unwrap_or(&event.date);
            let lastmod = (changed.precision >= Precision::Day).then(|| changed.day().to_string());
            url(&format!("events/{}/", event.slug), lastmod);
        }
        for org in &self.timeline.site.organisations {
            url(&format!("orgs/{}/", org.key), None);
        }
        url("sources/", None);
        xml.push_str("</urlset>\n");
        self.put("sitemap.xml", xml.into_bytes());
    }
}

/// `https://example.org/webex/` -> `/webex/`.
fn base_path(base: &str) -> String {
    let after_scheme = base.split_once("://").map_or(base, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

/// The first paragraph of rendered HTML as plain text (note markers left out), at most `max`
/// characters, cut at a word: the page description for search engines and link previews.
fn summary(html: &str, max: usize) -> Option<String> {
    let start = html.find("<p>")? + 3;
    let end = html[start..].find("</p>").map_or(html.len(), |e| start + e);
    let paragraph = &html[start..end];
    let mut text = String::new();
    let mut rest = paragraph;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag_end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
        let tag = &rest[open..tag_end];
        rest = &rest[tag_end..];
        if tag.starts_with("<sup class=\"note-ref\"") {
            rest = rest.find("</sup>").map_or("", |e| &rest[e + 6..]);
        }
    }
    text.push_str(rest);
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return None;
    }
    if flat.chars().count() <= max {
        return Some(flat);
    }
    let cut: String = flat.chars().take(max).collect();
    Some(match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/webex/"), "/webex/");
        assert_eq!(base_path("https://example.org/"), "/");
    }

    #[test]
    fn summaries_are_plain_text_cut_at_words() {
        assert_eq!(summary("<p>een twee drie</p>", 8).as_deref(), Some("een…"));
        let html = "<h4>x</h4><p><strong>kort</strong> &amp; <a href=\"u\">goed</a><sup class=\"note-ref\"><a href=\"#a\">1</a></sup>.</p>";
        assert_eq!(summary(html, 80).as_deref(), Some("kort & goed."));
        assert_eq!(summary("<ul><li>x</li></ul>", 80), None);
    }
}
