//! The site's URL layout in one place: where each page lives, and what a link an author wrote
//! relative to the content folder leads to.
//!
//! Plain functions of strings: this module must never import another part of kroniek, so that
//! every stage (the audience's view, the Markdown, the pages, the exports) can use it.

use std::path::Path;

/// A page (or whole-site file) of the built site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Page {
    /// `index.html`: the timeline, or the list of its periods when it is split.
    Timeline,
    /// `timeline/<key>/index.html`: one period of a split timeline.
    Period(String),
    /// `events/<slug>/index.html`.
    Event(String),
    /// `orgs/<key>/index.html`.
    Organisation(String),
    /// `orgs/<key>/<period>.html`: one period of an organisation's split list.
    OrganisationPeriod(String, String),
    /// `sources/index.html`.
    Sources,
    /// `sources/<key>.html`: one source and the events that cite it.
    Source(String),
    /// `changes/index.html`: every release and what it changed (only when there is one).
    Changes,
    Feed,
    /// `orgs/<key>/feed.xml`: the feed of one organisation's events.
    OrganisationFeed(String),
    Data,
    Sitemap,
    /// `robots.txt`: written by internal builds only, to keep every crawler out.
    Robots,
    NotFound,
}

impl Page {
    /// The file inside the output folder, `/`-separated. Links name it in full (with
    /// `index.html`), so that the site also works from `file://`.
    pub fn path(&self) -> String {
        match self {
            Page::Timeline => "index.html".into(),
            Page::Period(key) => format!("timeline/{key}/index.html"),
            Page::Event(slug) => format!("events/{slug}/index.html"),
            Page::Organisation(key) => format!("orgs/{key}/index.html"),
            Page::OrganisationPeriod(key, period) => format!("orgs/{key}/{period}.html"),
            Page::Sources => "sources/index.html".into(),
            Page::Source(key) => format!("sources/{key}.html"),
            Page::Changes => "changes/index.html".into(),
            Page::Feed => "feed.xml".into(),
            Page::OrganisationFeed(key) => format!("orgs/{key}/feed.xml"),
            Page::Data => "timeline.json".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Robots => "robots.txt".into(),
            Page::NotFound => "404.html".into(),
        }
    }

    /// The path as a web server shows it, without `index.html`: for URLs under `base_url`
    /// (canonical links, the sitemap, the feed, `timeline.json`).
    pub fn pretty(&self) -> String {
        let path = self.path();
        match path.strip_suffix("index.html") {
            Some(folder) => folder.to_string(),
            None => path,
        }
    }

    /// How many folders deep the page is: a link from it to the site root starts with this
    /// many `../`.
    pub fn depth(&self) -> usize {
        self.path().matches('/').count()
    }

    /// `../` as many times as the page is deep.
    pub fn root(&self) -> String {
        "../".repeat(self.depth())
    }

    /// The page a link written relative to the content folder (the site root) leads to:
    /// `events/x/`, `./orgs/ncsc/index.html#y`, `timeline/2024/`. `None` for anything else (a
    /// file of the content folder, a link above the site, a URL with a scheme).
    pub fn parse(link: &str) -> Option<Page> {
        let written = link.trim().split(['?', '#']).next().unwrap_or("");
        if !is_content_relative(link) && !written.is_empty() {
            return None;
        }
        let parts = resolve(written)?;
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        let html = |name: &str| name.strip_suffix(".html").map(str::to_string);
        Some(match parts.as_slice() {
            [] | ["index.html"] => Page::Timeline,
            ["feed.xml"] => Page::Feed,
            ["timeline.json"] => Page::Data,
            ["sitemap.xml"] => Page::Sitemap,
            ["robots.txt"] => Page::Robots,
            ["404.html"] => Page::NotFound,
            ["events", slug] | ["events", slug, "index.html"] => Page::Event(slug.to_string()),
            ["orgs", key] | ["orgs", key, "index.html"] => Page::Organisation(key.to_string()),
            ["orgs", key, "feed.xml"] => Page::OrganisationFeed(key.to_string()),
            ["orgs", key, name] => Page::OrganisationPeriod(key.to_string(), html(name)?),
            ["timeline", key] | ["timeline", key, "index.html"] => Page::Period(key.to_string()),
            ["sources"] | ["sources", "index.html"] => Page::Sources,
            ["sources", name] => Page::Source(html(name)?),
            _ => return None,
        })
    }
}

/// The file a link written relative to the content folder names (`files/report.pdf`,
/// `./img/a%20b.png#x`), as a `/`-separated path inside that folder (`files/report.pdf`,
/// `img/a b.png`); `None` for links with a scheme, absolute paths, fragments alone, and paths
/// that lead above the content folder.
pub fn content_path(url: &str) -> Option<String> {
    if !is_content_relative(url) {
        return None;
    }
    let written = url.trim().split(['?', '#']).next().unwrap_or("");
    resolve(written).map(|parts| parts.join("/"))
}

/// Whether `url` is relative to the content folder: no scheme, not absolute, not only a
/// fragment or query.
pub fn is_content_relative(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.starts_with(['#', '/', '?']) {
        return false;
    }
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']).unwrap_or(url.len());
    !matches!(scheme_end, Some(i) if i < path_start)
}

/// A path inside the content or output folder as [`content_path`] writes it.
pub fn file_key(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The path segments `path` leads to from the content folder (`.` and `..` resolved, `%XX`
/// decoded), or `None` when it leads above it.
pub fn resolve(path: &str) -> Option<Vec<String>> {
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
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map_or_else(|_| text.to_string(), |decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_back_from_its_path_and_its_pretty_path() {
        let pages = [
            Page::Timeline,
            Page::Period("2024-06".into()),
            Page::Event("overleg-met-cisco".into()),
            Page::Organisation("ncsc".into()),
            Page::OrganisationPeriod("ncsc".into(), "2024".into()),
            Page::Sources,
            Page::Source("brief".into()),
            Page::Feed,
            Page::OrganisationFeed("ncsc".into()),
            Page::Data,
            Page::Sitemap,
            Page::Robots,
            Page::NotFound,
        ];
        for page in pages {
            assert_eq!(Page::parse(&page.path()), Some(page.clone()), "{page:?}");
            assert_eq!(Page::parse(&page.pretty()), Some(page.clone()), "{page:?}");
        }
        assert_eq!(Page::Event("x".into()).depth(), 2);
        assert_eq!(Page::Event("x".into()).root(), "../../");
        assert_eq!(Page::Timeline.root(), "");
    }

    #[test]
    fn links_that_are_not_pages_parse_to_nothing() {
        assert_eq!(
            Page::parse("./events/x/index.html#x.fn1"),
            Some(Page::Event("x".into()))
        );
        assert_eq!(Page::parse("files/report.pdf"), None);
        assert_eq!(Page::parse("../x/"), None);
        assert_eq!(Page::parse("https://example.org/events/x/"), None);
        assert_eq!(Page::parse("events/x/y/"), None);
    }

    #[test]
    fn content_paths_are_resolved_decoded_and_kept_inside() {
        assert_eq!(content_path("files/a.pdf").as_deref(), Some("files/a.pdf"));
        assert_eq!(
            content_path("./img/a%20b.png#x").as_deref(),
            Some("img/a b.png")
        );
        assert_eq!(
            content_path("img/../files/./a.pdf?v=2").as_deref(),
            Some("files/a.pdf")
        );
        assert_eq!(content_path("../../etc/passwd"), None);
        assert_eq!(content_path("https://example.org/a.pdf"), None);
        assert_eq!(content_path("/files/a.pdf"), None);
        assert_eq!(content_path("#fn1"), None);
        assert_eq!(content_path("mailto:x@example.org"), None);
    }

    #[test]
    fn resolving_never_climbs_above_the_content_folder() {
        assert_eq!(resolve("a/../b"), Some(vec!["b".to_string()]));
        assert_eq!(resolve("a/../../b"), None);
        assert_eq!(resolve("a%20b%zz%"), Some(vec!["a b%zz%".to_string()]));
        assert_eq!(resolve("%ff"), Some(vec!["%ff".to_string()]));
    }
}
