//! Links and images in a body: content-relative links rebased to the page they appear on and
//! collected for the dead-link check, unsafe URLs reduced to their words, and the helpers the
//! outputs use to recognise links to events.
//!
//! Links to events the reader does not see keep only their words, for every output.
//!
//! This module must never leave a link whose target a browser would run (`javascript:` and the
//! like), nor a link that names an event the reader does not see, and never change a link
//! that is not relative to the content folder.

use super::parse::position_in_file;
use super::Input;
use crate::diagnostics::Problem;
use crate::front_matter::Document;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;
use std::collections::HashSet;

/// A link or image written relative to `content/` (`img/x.png`, `events/slug/`), where it is
/// written: `render::links` checks that it leads somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    pub url: String,
    pub line: usize,
    pub column: usize,
}

/// Links and images to `javascript:`, `vbscript:`, `file:` or `data:` (other than raster
/// images) keep only their words: comrak would write them with an empty `href`/`src`, a dead
/// link and an invalid `<img src="">`. Each is a warning, so that `check` says what was dropped.
pub(super) fn drop_unsafe_urls<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    problems: &mut Vec<Problem>,
) {
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    for node in root.descendants().collect::<Vec<_>>() {
        let (url, image, start) = {
            let data = node.data();
            match data.value {
                NodeValue::Link(ref l) => (l.url.clone(), false, data.sourcepos.start),
                NodeValue::Image(ref l) => (l.url.clone(), true, data.sourcepos.start),
                _ => continue,
            }
        };
        if !comrak::html::dangerous_url(&url) {
            continue;
        }
        for child in node.children().collect::<Vec<_>>() {
            node.insert_before(child);
        }
        node.detach();
        let (line, column) = position_in_file(input, &lines, added, start);
        let shown: String = url.chars().take(40).collect();
        let what = if image { "image" } else { "link" };
        problems.push(
            input
                .doc
                .error(
                    (line, column, 1),
                    "unsafe-link",
                    format!("{what} to `{shown}` removed; its words are kept"),
                )
                .with_hint("only http(s), mailto and relative links are published")
                .warning(),
        );
    }
}

/// The content-relative links and images of `root` (footnotes included), with their positions
/// in the file.
pub(super) fn content_links<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
) -> Vec<ContentLink> {
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    let mut links = Vec::new();
    for node in root.descendants() {
        let data = node.data();
        let (NodeValue::Link(ref link) | NodeValue::Image(ref link)) = data.value else {
            continue;
        };
        if !is_content_relative(&link.url) {
            continue;
        }
        let (line, column) = position_in_file(input, &lines, added, data.sourcepos.start);
        links.push(ContentLink {
            url: link.url.to_string(),
            line,
            column,
        });
    }
    links
}

/// Links and images written relative to the content folder (`img/chart.png`) are made relative
/// to the page the body appears on. Returns whether there were any.
pub(super) fn rebase_relative_urls<'a>(root: &'a AstNode<'a>, link_root: &str) -> bool {
    let mut any = false;
    for node in root.descendants() {
        if let NodeValue::Link(ref mut link) | NodeValue::Image(ref mut link) =
            node.data_mut().value
        {
            if is_content_relative(&link.url) {
                any = true;
                let url = as_from_content(&link.url);
                link.url = format!("{link_root}{url}");
            }
        }
    }
    any
}

/// A link to an event written as from another event's page (`../<slug>/`, the form
/// [`event_slug`] reads) as from the content folder (`events/<slug>/`), so that it leads to
/// the event from every page: rebased as it was, it climbed out of the site on the timeline
/// (`../patch/`) and on event pages (`../../../patch/`).
fn as_from_content(url: &str) -> std::borrow::Cow<'_, str> {
    match url.strip_prefix("../") {
        Some(rest) if event_slug(url).is_some_and(is_slug_like) && !rest.starts_with("../") => {
            format!("events/{rest}").into()
        }
        _ => url.into(),
    }
}

/// What a slug may be made of (`report.pdf` is a file, not an event).
fn is_slug_like(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `img/x.png`, `../x`: not a fragment, not root-relative, no scheme.
pub use crate::urls::is_content_relative;

/// Every link and image URL in `doc`'s body as written, `::: internal` blocks and footnotes
/// included: what the audience's view needs to withhold the files that only hidden text uses.
pub fn urls_in(doc: &Document) -> Vec<String> {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, doc.body_text(), &super::options(""));
    root.descendants()
        .filter_map(|node| match node.data().value {
            NodeValue::Link(ref link) | NodeValue::Image(ref link) => Some(link.url.to_string()),
            _ => None,
        })
        .collect()
}

/// Replaces a link by its children.
pub fn unwrap<'a>(node: &'a AstNode<'a>) {
    for child in node.children().collect::<Vec<_>>() {
        node.insert_before(child);
    }
    node.detach();
}

/// The slug of an event page a content-relative URL names: `events/<slug>/` (from the site's
/// root, as the content folder is) or `../<slug>/` (from another event's page), with or
/// without `index.html`, a leading `./` or a fragment.
pub fn event_slug(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let mut path = path.trim_start_matches("./");
    while let Some(rest) = path.strip_prefix("../") {
        path = rest;
    }
    let path = path.strip_prefix("events/").unwrap_or(path);
    let path = path
        .strip_suffix("index.html")
        .unwrap_or(path)
        .trim_end_matches('/');
    (!path.is_empty() && !path.contains('/')).then_some(path)
}

/// Links and images to an event this reader does not see (`input.hidden_events`) keep only
/// their words (an image its description): the address would give the event away, its slug
/// being made from its title, and it leads nowhere for this reader. Each is a warning at the
/// link, and it is no longer a content link, so the dead-link check does not report it again.
/// This is the one rule for every output: the site's pages, feed and data and every export.
pub(super) fn drop_hidden_links<'a>(
    root: &'a AstNode<'a>,
    input: &Input,
    added: usize,
    problems: &mut Vec<Problem>,
) {
    if input.hidden_events.is_empty() {
        return;
    }
    let lines: Vec<&str> = input.doc.body_text().split('\n').collect();
    let readers = if input.internal_notes {
        "internal"
    } else {
        "public"
    };
    for node in root.descendants().collect::<Vec<_>>() {
        let (url, image, start) = {
            let data = node.data();
            match data.value {
                NodeValue::Link(ref l) => (l.url.clone(), false, data.sourcepos.start),
                NodeValue::Image(ref l) => (l.url.clone(), true, data.sourcepos.start),
                _ => continue,
            }
        };
        if hidden_event(&url, input.hidden_events).is_none() {
            continue;
        }
        // An autolink's words are its address: then nothing is left.
        let words = node.collect_text();
        let shows_address = words.trim().is_empty()
            || url
                .trim_end_matches('/')
                .ends_with(words.trim().trim_end_matches('/'));
        if shows_address {
            node.detach();
        } else {
            unwrap(node);
        }
        let (line, column) = position_in_file(input, &lines, added, start);
        let what = if image { "image" } else { "link" };
        let kept = if shows_address {
            "it is left out"
        } else {
            "they get its words only"
        };
        problems.push(
            input
                .doc
                .error(
                    (line, column, 1),
                    "hidden-link",
                    format!(
                        "{what} to `{url}` leads to an event {readers} readers do not see; {kept}"
                    ),
                )
                .with_hint("publish that event to keep the link, or write the words without it")
                .warning(),
        );
    }
}

/// The hidden event a URL leads to. Written relative to the content folder: `events/<slug>/`,
/// or `../<slug>/` as from another event's page. Written as a web address: one whose path ends
/// in `events/<slug>/`, on any host, for the site's own address and for that of an internal
/// build of it alike. With or without `index.html`, a fragment or a query, `.` and `..`
/// segments, `%XX` escapes or capitals. And any link whose fragment is a hidden event's anchor
/// or one of its ids (`index.html#<slug>`, `#<slug>.fn1`): the place of an event on the
/// timeline names it as much as its page does.
pub fn hidden_event<'h>(url: &str, hidden: &'h HashSet<String>) -> Option<&'h str> {
    let url = url.trim();
    if let Some(slug) = hidden_anchor(url, hidden) {
        return Some(slug);
    }
    let (path, relative) = if is_content_relative(url) {
        (url, true)
    } else {
        let rest = url.split_once("://")?.1;
        (rest.find('/').map_or("", |i| &rest[i..]), false)
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let lower = decoded.to_lowercase();
    let mut parts: Vec<&str> = Vec::new();
    for segment in lower.split('/') {
        match segment {
            "" | "." => {}
            // Above the content folder, as `../<slug>/` from an event's page is.
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    let slug = match parts.as_slice() {
        [.., "events", slug] => slug,
        [slug] if relative => slug,
        _ => return None,
    };
    hidden.get(*slug).map(String::as_str)
}

/// The hidden event whose anchor (`<slug>`) or id (`<slug>.fn1`, `<slug>.h-x`) is the fragment
/// of `url`.
fn hidden_anchor<'h>(url: &str, hidden: &'h HashSet<String>) -> Option<&'h str> {
    let fragment = url.split_once('#')?.1;
    let decoded = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    let lower = decoded.to_lowercase();
    let anchor = lower.split('.').next().unwrap_or("");
    hidden.get(anchor).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{run, run_hiding};
    use super::hidden_event;
    use std::collections::HashSet;

    #[test]
    fn unsafe_links_and_images_keep_their_words_with_a_warning() {
        let body = "Zie [de bron](javascript:alert(1)) en ![het schema](data:text/html,x).\n\n\
                    Veilig: [web](https://example.org/) ![png](data:image/png;base64,AAAA)\n";
        let (rendered, problems) = run(body, &[], false);
        let html = &rendered.html;
        assert!(!html.contains("href=\"\""), "{html}");
        assert!(!html.contains("src=\"\""), "{html}");
        assert!(html.contains("Zie de bron en het schema."), "{html}");
        assert!(html.contains("href=\"https://example.org/\""), "{html}");
        assert!(
            html.contains("src=\"data:image/png;base64,AAAA\""),
            "{html}"
        );
        let warnings: Vec<_> = problems
            .iter()
            .filter(|p| p.code == "unsafe-link")
            .map(|p| (p.line, p.column, p.is_error()))
            .collect();
        assert_eq!(warnings, [(4, 5, false), (4, 39, false)], "{problems:?}");
    }

    #[test]
    fn content_relative_urls_follow_the_page() {
        let (body, _) = run(
            "![c](img/c.png) [a](https://e.org/x) [b](#top) [d](/abs) [m](mailto:a@b.c)\n",
            &[],
            false,
        );
        assert!(body.has_relative_links);
        assert!(
            body.html.contains("src=\"../../img/c.png\""),
            "{}",
            body.html
        );
        assert!(body.html.contains("href=\"https://e.org/x\""));
        assert!(body.html.contains("href=\"#top\""));
        assert!(body.html.contains("href=\"/abs\""));
        assert!(body.html.contains("href=\"mailto:a@b.c\""));
        let (plain, _) = run("[a](https://e.org/x)\n", &[], false);
        assert!(!plain.has_relative_links);
        // `../<slug>/`, as from another event's page, leads to the event from any page.
        let (event, _) = run(
            "[e](../patch/#x) [f](../report.pdf) [g](../../x/)\n",
            &[],
            false,
        );
        assert!(
            event.html.contains("href=\"../../events/patch/#x\"")
                && event.html.contains("href=\"../../../report.pdf\"")
                && event.html.contains("href=\"../../../../x/\""),
            "{}",
            event.html
        );
    }

    /// Every way to write a link to an event the reader does not see: each becomes its words
    /// (an autolink, whose words are its address, goes), with one warning at the link, and the
    /// slug is nowhere in the HTML, the notes or the content links.
    #[test]
    fn links_to_hidden_events_keep_their_words_with_a_warning() {
        let body = "Zie [inline](events/secret-talks/), [ref][r], [up](../secret-talks/),\n\
                    [frag](events/secret-talks/#x), [page](events/secret-talks/index.html),\n\
                    ![the photo](./events/./secret-talks), [esc](events/Secret%2Dtalks/),\n\
                    https://example.org/sub/events/secret-talks/ en \
                    <https://intranet.example/events/secret-talks/index.html>.[^1]\n\
                    Maar [open](events/open-talks/) blijft.\n\n\
                    [r]: events/secret-talks/\n\n\
                    [^1]: Noot met [voetnoot](events/secret-talks/).\n";
        let hidden: HashSet<String> = ["secret-talks".to_string()].into();
        let (rendered, problems) = run_hiding(body, &[], false, &hidden);
        let all = format!(
            "{}{:?}{:?}",
            rendered.html, rendered.notes, rendered.content_links
        );
        assert!(!all.to_lowercase().contains("secret"), "{all}");
        assert!(
            rendered
                .html
                .contains("Zie inline, ref, up,\nfrag, page,\nthe photo, esc,\n en .<sup"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("href=\"../../events/open-talks/\""));
        assert!(all.contains("Noot met voetnoot."), "{all}");
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.code, p.line, p.column, p.is_error()))
            .collect();
        let at = |line, column| ("hidden-link", line, column, false);
        assert_eq!(
            found,
            [
                at(4, 5),
                at(4, 37),
                at(4, 47),
                at(5, 1),
                at(5, 33),
                at(6, 1),
                at(6, 40),
                at(7, 1),
                at(7, 49),
                at(12, 16),
            ],
            "{problems:?}"
        );
        assert_eq!(
            problems[0].message,
            "link to `events/secret-talks/` leads to an event public readers do not see; they \
             get its words only"
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("publish that event to keep the link, or write the words without it")
        );
        assert_eq!(
            problems[7].message,
            "link to `https://example.org/sub/events/secret-talks/` leads to an event public \
             readers do not see; it is left out"
        );
        assert!(problems[5]
            .message
            .starts_with("image to `./events/./secret-talks`"));
    }

    /// For internal readers, a draft is the hidden event; without hidden events nothing changes.
    #[test]
    fn links_to_events_the_reader_sees_stay_links() {
        let body = "[a](events/secret-talks/) [b](events/draft-talks/)\n";
        let hidden: HashSet<String> = ["draft-talks".to_string()].into();
        let (rendered, problems) = run_hiding(body, &[], true, &hidden);
        assert!(rendered
            .html
            .contains("href=\"../../events/secret-talks/\""));
        assert!(!rendered.html.contains("draft-talks"), "{}", rendered.html);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0]
            .message
            .contains("an event internal readers do not see"));
        let (rendered, problems) = run(body, &[], false);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(rendered.html.contains("href=\"../../events/draft-talks/\""));
        assert_eq!(rendered.content_links.len(), 2);
    }

    #[test]
    fn hidden_event_reads_every_way_to_write_an_event_address() {
        let hidden: HashSet<String> = ["secret-talks".to_string()].into();
        for url in [
            "events/secret-talks/",
            "events/secret-talks",
            "../secret-talks/",
            "secret-talks/index.html",
            "events/secret-talks/index.html?x=1#y",
            "events/../events/secret-talks/",
            "events/SECRET-TALKS/",
            "https://example.org/sub/events/secret-talks/",
            "http://intranet/events/secret-talks/index.html",
            "#secret-talks",
            "index.html#secret-talks",
            "timeline/2024-06/index.html#Secret-Talks",
            "#secret-talks.fn1",
            "https://example.org/#secret-talks",
        ] {
            assert_eq!(hidden_event(url, &hidden), Some("secret-talks"), "{url}");
        }
        for url in [
            "events/open-talks/",
            "img/secret-talks.png",
            "events/secret-talks/photo.png",
            "https://example.org/secret-talks/",
            "mailto:secret-talks@example.org",
            "#secret-talks-and-more",
            "index.html#open-talks",
        ] {
            assert_eq!(hidden_event(url, &hidden), None, "{url}");
        }
    }
}
