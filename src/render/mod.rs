//! Stage 3, render: the timeline to pages.
//!
//! Each event's Markdown is rendered once (in parallel) and its view is shared by every page
//! that shows it: the timeline, its own page, the pages of its organisations. Templates come
//! from the theme; all links are relative, so the site works under any sub-path and from
//! `file://`. Nothing here touches the disk except reading theme overrides; `write` does that.

mod assets;
mod data;
mod days;
mod feed;
mod sources;
mod view;

use crate::audience::Audience;
use crate::cache::Cache;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown::{self, Body};
use crate::model::{Event, Timeline};
use crate::theme::Theme;
use minijinja::{context, Environment, Value};
use rayon::prelude::*;
use std::path::PathBuf;
use view::{value, EventView, OrgView, PageMeta, SiteView};

pub use assets::Assets;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Contents made by kroniek.
    Made { path: PathBuf, bytes: Vec<u8> },
    /// A content file copied as it is.
    Copied { path: PathBuf, source: PathBuf },
}

impl OutputFile {
    pub fn path(&self) -> &PathBuf {
        match self {
            OutputFile::Made { path, .. } | OutputFile::Copied { path, .. } => path,
        }
    }
}

/// The rendered bodies of one event. The HTML depends on where it is shown (heading levels,
/// depth of the page for content-relative links), so up to three variants exist; the extra ones
/// only when they differ from `list`.
#[derive(Clone)]
pub struct Rendered {
    /// For the timeline (headings from `<h4>`, links from the site root).
    pub list: Body,
    /// For the event's own page (headings from `<h2>`, two folders deep).
    pub page: Option<Body>,
    /// For lists two folders deep: the organisation pages and feed entries.
    pub nested: Option<Body>,
}

impl Rendered {
    pub fn page(&self) -> &Body {
        self.page.as_ref().unwrap_or(&self.list)
    }

    pub fn nested(&self) -> &Body {
        self.nested.as_ref().unwrap_or(&self.list)
    }
}

/// Renders the Markdown of `events` for `audience`, in parallel. Used by `build` for the
/// events it shows and by `check` for every event.
pub fn render_bodies(
    events: &[&Event],
    timeline: &Timeline,
    audience: Audience,
    cache: Option<&Cache>,
) -> (Vec<Rendered>, Vec<Problem>) {
    let results: Vec<(Rendered, Vec<Problem>)> = events
        .par_iter()
        .map(|event| match cache {
            Some(cache) => {
                let key = (
                    (
                        event.doc.file.clone(),
                        event.doc.hash,
                        timeline.site.intro.hash,
                    ),
                    audience,
                );
                cache.bodies.get_or_compute(
                    cache.current_run(),
                    key,
                    |_| true,
                    || render_body(event, timeline, audience),
                )
            }
            None => render_body(event, timeline, audience),
        })
        .collect();
    let mut problems = Vec::new();
    let rendered = results
        .into_iter()
        .map(|(r, p)| {
            problems.extend(p);
            r
        })
        .collect();
    (rendered, problems)
}

/// One event's Markdown in each variant its pages need.
fn render_body(event: &Event, timeline: &Timeline, audience: Audience) -> (Rendered, Vec<Problem>) {
    let label = i18n::strings(timeline.site.language).internal;
    {
        {
            let mut problems = Vec::new();
            let input = |heading_offset, link_root| markdown::Input {
                doc: &event.doc,
                id_prefix: &event.slug,
                sources: &event.sources,
                internal_notes: audience.sees_internal_notes(),
                internal_label: label,
                heading_offset,
                link_root,
            };
            let list = markdown::render(&input(3, ""), &mut problems);
            let page = (list.has_headings || list.has_relative_links)
                .then(|| markdown::render(&input(1, "../../"), &mut Vec::new()));
            let nested = list
                .has_relative_links
                .then(|| markdown::render(&input(3, "../../"), &mut Vec::new()));
            (Rendered { list, page, nested }, problems)
        }
    }
}

/// Settings of one build that are not content.
pub struct Settings<'a> {
    pub audience: Audience,
    /// `base_url` from the site, or from `--base-url`.
    pub base_url: Option<&'a str>,
    pub theme: &'a Theme,
}

/// Renders every page of the site. Content problems (bad citations) and template errors are
/// returned as problems.
/// On success, the files and the warnings found while rendering.
pub fn render(
    timeline: &Timeline,
    settings: &Settings,
    cache: Option<&Cache>,
) -> Result<(Vec<OutputFile>, Vec<Problem>), Vec<Problem>> {
    let events: Vec<&Event> = timeline
        .events
        .iter()
        .filter(|e| settings.audience.sees(e))
        .collect();
    let started = std::time::Instant::now();
    let (bodies, mut problems) = render_bodies(&events, timeline, settings.audience, cache);
    crate::timing("render: markdown", started);
    let intro = render_intro(timeline, settings.audience, &mut problems);
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let views: Vec<Value> = events
        .par_iter()
        .zip(bodies.par_iter())
        .map(|(event, body)| value(EventView::of(event, body, timeline)))
        .collect();

    let assets = Assets::build(settings.theme, timeline);
    let mut env = settings.theme.environment();
    env.add_global("t", value(i18n::strings(timeline.site.language)));
    env.add_global("assets", value(&assets.names));
    env.add_global("site", value(site_view(timeline, &events, intro, settings)));

    let pages = Pages {
        timeline,
        events: &events,
        views: &views,
        bodies: &bodies,
        env: &env,
        base_url: settings.base_url,
        theme: settings.theme,
    };
    let mut files = pages.all()?;
    files.extend(assets.files);
    files.extend(timeline.assets.iter().map(|a| OutputFile::Copied {
        path: a.output.clone(),
        source: a.source.clone(),
    }));
    Ok((files, problems))
}

/// The intro (the body of `_index.md`), shown at the top of the timeline.
fn render_intro(timeline: &Timeline, audience: Audience, problems: &mut Vec<Problem>) -> Body {
    let site = &timeline.site;
    markdown::render(
        &markdown::Input {
            doc: &site.intro,
            id_prefix: "_intro",
            sources: &[],
            internal_notes: audience.sees_internal_notes(),
            internal_label: i18n::strings(site.language).internal,
            heading_offset: 1,
            link_root: "",
        },
        problems,
    )
}

fn site_view<'a>(
    timeline: &'a Timeline,
    events: &[&Event],
    intro: Body,
    settings: &Settings<'a>,
) -> SiteView<'a> {
    let site = &timeline.site;
    SiteView {
        title: &site.title,
        description: site.description.as_deref(),
        language: site.language.code(),
        base_url: settings.base_url,
        intro_notes: view::note_views(&intro.notes, &[], site.language),
        intro: intro.html,
        organisations: site
            .organisations
            .iter()
            .map(|o| OrgView::of(o, events.iter().filter(|e| e.orgs.contains(&o.key)).count()))
            .collect(),
        event_count: events.len(),
    }
}

/// Everything the page functions share.
struct Pages<'a> {
    timeline: &'a Timeline,
    events: &'a [&'a Event],
    views: &'a [Value],
    bodies: &'a [Rendered],
    env: &'a Environment<'static>,
    base_url: Option<&'a str>,
    theme: &'a Theme,
}

impl Pages<'_> {
    fn language(&self) -> crate::model::Language {
        self.timeline.site.language
    }

    fn all(&self) -> Result<Vec<OutputFile>, Vec<Problem>> {
        let mut jobs: Vec<Box<dyn Fn() -> Result<OutputFile, Problem> + Sync + '_>> = vec![
            Box::new(|| self.index()),
            Box::new(|| self.sources()),
            Box::new(|| self.not_found()),
        ];
        for i in 0..self.events.len() {
            jobs.push(Box::new(move || self.event(i)));
        }
        for org in &self.timeline.site.organisations {
            jobs.push(Box::new(move || self.organisation(&org.key)));
        }
        let results: Vec<Result<OutputFile, Problem>> = jobs.par_iter().map(|job| job()).collect();
        let mut files = Vec::with_capacity(results.len() + 1);
        let mut problems = Vec::new();
        for result in results {
            match result {
                Ok(file) => files.push(file),
                Err(problem) if !problems.contains(&problem) => problems.push(problem),
                Err(_) => {}
            }
        }
        if let Some(sitemap) = self.sitemap() {
            files.push(sitemap);
        }
        match self.feed() {
            Ok(feed) => files.push(feed),
            Err(problem) => problems.push(problem),
        }
        files.push(self.data());
        if problems.is_empty() {
            Ok(files)
        } else {
            Err(problems)
        }
    }

    /// Renders `template` to `path` (relative to the output root).
    fn page(
        &self,
        template: &str,
        path: &str,
        meta: PageMeta,
        ctx: Value,
    ) -> Result<OutputFile, Problem> {
        let tmpl = self
            .env
            .get_template(template)
            .map_err(|e| self.theme.problem(&e))?;
        let html = tmpl
            .render(context! { page => value(&meta), ..ctx })
            .map_err(|e| self.theme.problem(&e))?;
        Ok(OutputFile::Made {
            path: PathBuf::from(path),
            bytes: html.into_bytes(),
        })
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

    fn index(&self) -> Result<OutputFile, Problem> {
        let site = &self.timeline.site;
        let meta = self.meta(
            "index.html",
            site.title.clone(),
            site.description.clone(),
            "website",
        );
        let all: Vec<usize> = (0..self.events.len()).collect();
        let corrections = days::recent_corrections(self.events, self.views, self.language());
        self.page(
            "index.html",
            "index.html",
            meta,
            context! { days => value(days::group(self.events, self.views, &all, self.language())), corrections => value(corrections) },
        )
    }

    fn event(&self, i: usize) -> Result<OutputFile, Problem> {
        let event = self.events[i];
        let path = format!("events/{}/index.html", event.slug);
        let description = summary(&self.bodies[i].list.html, 200);
        let meta = self.meta(&path, event.title.clone(), description, "article");
        let previous = i.checked_sub(1).map(|p| &self.views[p]);
        let next = self.views.get(i + 1);
        self.page(
            "event.html",
            &path,
            meta,
            context! { event => &self.views[i], previous, next },
        )
    }

    fn organisation(&self, key: &str) -> Result<OutputFile, Problem> {
        let org = self
            .timeline
            .organisation(key)
            .expect("organisation from the site's own list");
        let path = format!("orgs/{key}/index.html");
        let meta = self.meta(&path, org.name.clone(), None, "website");
        let mine: Vec<usize> = (0..self.events.len())
            .filter(|&i| self.events[i].orgs.iter().any(|k| k == key))
            .collect();
        let count = mine.len();
        let org = OrgView::of(org, count);
        self.page("org.html", &path, meta, context! { org => value(org), days => value(days::group(self.events, self.views, &mine, self.language())) })
    }

    fn sources(&self) -> Result<OutputFile, Problem> {
        let t = i18n::strings(self.timeline.site.language);
        let meta = self.meta("sources/index.html", t.sources.to_string(), None, "website");
        let list = sources::distinct(self.events, self.bodies, self.language());
        self.page(
            "sources.html",
            "sources/index.html",
            meta,
            context! { sources => value(list) },
        )
    }

    fn not_found(&self) -> Result<OutputFile, Problem> {
        let t = i18n::strings(self.timeline.site.language);
        let mut meta = self.meta("404.html", t.not_found_title.to_string(), None, "website");
        // 404.html is served for any missing path, so relative links would break below the
        // root: use the site's path from `base_url` when it is known.
        if let Some(base) = self.base_url {
            meta.root = base_path(base);
        }
        meta.canonical = None;
        self.page("404.html", "404.html", meta, context! {})
    }

    fn feed(&self) -> Result<OutputFile, Problem> {
        let entry = self
            .env
            .get_template("feed-entry.html")
            .map_err(|e| self.theme.problem(&e))?;
        let contents = self
            .views
            .par_iter()
            .map(|view| entry.render(context! { event => view, nested => self.base_url.is_some() }))
            .collect::<Result<Vec<String>, _>>()
            .map_err(|e| self.theme.problem(&e))?;
        let feed = feed::feed(self.timeline, self.events, contents, self.base_url);
        let xml = self
            .env
            .get_template("feed.xml")
            .and_then(|t| t.render(context! { feed => value(feed) }))
            .map_err(|e| self.theme.problem(&e))?;
        Ok(OutputFile::Made {
            path: PathBuf::from("feed.xml"),
            bytes: xml.into_bytes(),
        })
    }

    fn data(&self) -> OutputFile {
        let data = data::data(self.timeline, self.events, self.bodies, self.base_url);
        let mut bytes = serde_json::to_vec_pretty(&data).unwrap_or_default();
        bytes.push(b'\n');
        OutputFile::Made {
            path: PathBuf::from("timeline.json"),
            bytes,
        }
    }

    /// `sitemap.xml` needs absolute URLs, so it is written only when `base_url` is known.
    fn sitemap(&self) -> Option<OutputFile> {
        let base = self.base_url?;
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
            let lastmod = (changed.precision >= crate::model::Precision::Day)
                .then(|| changed.day().to_string());
            url(&format!("events/{}/", event.slug), lastmod);
        }
        for org in &self.timeline.site.organisations {
            url(&format!("orgs/{}/", org.key), None);
        }
        url("sources/", None);
        xml.push_str("</urlset>\n");
        Some(OutputFile::Made {
            path: PathBuf::from("sitemap.xml"),
            bytes: xml.into_bytes(),
        })
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
