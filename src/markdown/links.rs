//! Links and images in a body: content-relative links rebased to the page they appear on and
//! collected for the dead-link check, unsafe URLs reduced to their words, and the helpers the
//! outputs use to recognise links to events.
//!
//! This module must never leave a link whose target a browser would run (`javascript:` and the
//! like), and never change a link that is not relative to the content folder.

use super::parse::position_in_file;
use super::Input;
use crate::diagnostics::Problem;
use crate::front_matter::Document;
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;

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
                link.url = format!("{link_root}{}", link.url);
            }
        }
    }
    any
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

#[cfg(test)]
mod tests {
    use super::super::test_support::run;

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
    }
}
