//! The whole chronology as one self-contained HTML page (`kroniek export --format html`): the
//! theme's CSS inline, no scripts, links only within the page or to the web.

use super::view::{value, DateView, EventView};
use super::{site_view, Assets, Rendered, Settings};
use crate::audience::View;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown;
use crate::model::Event;
use crate::output::OutputFile;
use crate::theme::Theme;
use base64::engine::{general_purpose::STANDARD as BASE64, Engine};
use comrak::nodes::{AstNode, NodeValue};
use comrak::Arena;
use minijinja::{context, Value};
use serde::Serialize;
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

#[derive(Serialize)]
struct Day {
    id: String,
    date: DateView,
    events: Vec<Value>,
}

/// Renders `export.html` for the events of `view`.
pub fn single_page(
    view: &View,
    base_url: Option<&str>,
    site: &Path,
) -> Result<String, Vec<Problem>> {
    let timeline = &view.timeline;
    let audience = view.audience;
    let hidden_events = view.hidden_slugs();
    let events: &[&Event] = &view.events().iter().collect::<Vec<_>>();
    let language = timeline.site.language;
    let mut problems = Vec::new();
    // Content-relative links stay as written here; `Standalone` decides what each becomes.
    let link_root = "";
    let content = site.join("content");
    let slugs: HashSet<&str> = events.iter().map(|e| e.slug.as_str()).collect();
    let images = Standalone {
        content: &content,
        base_url,
        slugs: &slugs,
    };
    let input = |doc, id_prefix, sources, heading_offset| markdown::Input {
        doc,
        id_prefix,
        sources,
        internal_notes: audience.sees_internal_notes(),
        internal_label: i18n::strings(language).internal,
        heading_offset,
        link_root,
        hidden_events,
    };
    let bodies: Vec<Rendered> = events
        .iter()
        .map(|event| {
            let input = input(&event.doc, &event.slug, &event.sources, 3);
            Rendered {
                list: markdown::render_with(&input, &mut problems, &images),
                page: None,
                nested: None,
            }
        })
        .collect();
    let intro_input = input(&timeline.site.intro, "_intro", &[], 1);
    let intro = markdown::render_with(&intro_input, &mut problems, &images);
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    let views: Vec<Value> = events
        .iter()
        .zip(&bodies)
        .map(|(event, body)| value(EventView::of(event, body, timeline)))
        .collect();
    let all: Vec<usize> = (0..events.len()).collect();
    let days: Vec<Day> = super::days::group_indices(events, &all)
        .into_iter()
        .map(|(heading, members)| {
            let date = DateView::of(&heading, language);
            Day {
                id: format!("_{}", date.iso),
                date,
                events: members.iter().map(|&i| views[i].clone()).collect(),
            }
        })
        .collect();

    let theme = Theme::for_site(site);
    let settings = Settings {
        base_url,
        theme: &theme,
    };
    let css = Assets::build(&theme, timeline, audience)
        .files
        .into_iter()
        .find_map(|file| match file {
            OutputFile::Made { path, bytes } if path.to_string_lossy().contains("/style.") => {
                Some(String::from_utf8_lossy(&bytes).into_owned())
            }
            _ => None,
        })
        .unwrap_or_default();
    let chart = super::chart::overview(timeline, events, &|e: &Event| format!("#{}", e.slug)).svg;
    let mut env = theme.environment();
    env.add_global("t", value(i18n::strings(language)));
    env.add_global(
        "site",
        value(site_view(timeline, events, &intro, &settings, audience)),
    );
    env.get_template("export.html")
        .and_then(|t| {
            t.render(context! {
                days => value(days),
                css => Value::from_safe_string(css),
                chart => Value::from_safe_string(chart),
            })
        })
        .map_err(|e| vec![theme.problem(&e)])
}

/// A self-contained page requests nothing from elsewhere, and a link written relative to the
/// content folder leads nowhere from a lone file:
/// - a link to an event in the file (`events/<slug>/`, or `../<slug>/` as from another event's
///   page) becomes its anchor `#<slug>` (a link to an event not in the file is its words
///   already: `markdown::prepare` did that, for every output);
/// - an image that is one of the site's content files goes inline as a `data:` URL; any other
///   image becomes a link to it, named by its description or else by its URL;
/// - any other content-relative link (a PDF, an SVG) points at the published site when its URL
///   is known, and is otherwise its words followed by the path, as text.
struct Standalone<'p> {
    content: &'p Path,
    base_url: Option<&'p str>,
    /// The events in the file.
    slugs: &'p HashSet<&'p str>,
}

impl markdown::TreeEdit for Standalone<'_> {
    fn edit<'a>(&self, arena: &'a Arena<'a>, root: &'a AstNode<'a>) {
        for node in root.descendants().collect::<Vec<_>>() {
            let value = node.data().value.clone();
            match value {
                NodeValue::Image(mut link) => {
                    if let Some(data) =
                        content_file(&link.url).and_then(|f| data_url(&self.content.join(f)))
                    {
                        link.url = data;
                        node.data_mut().value = NodeValue::Image(link);
                        continue;
                    }
                    if node.first_child().is_none() {
                        node.append(arena.alloc(NodeValue::Text(link.url.clone().into()).into()));
                    }
                    node.data_mut().value = NodeValue::Link(link);
                    self.link(arena, node);
                }
                NodeValue::Link(_) => self.link(arena, node),
                _ => {}
            }
        }
    }
}

impl Standalone<'_> {
    /// Makes the link `node` work in the lone file (see [`Standalone`]).
    fn link<'a>(&self, arena: &'a Arena<'a>, node: &'a AstNode<'a>) {
        let NodeValue::Link(mut link) = node.data().value.clone() else {
            return;
        };
        if !markdown::is_content_relative(&link.url) {
            return;
        }
        if let Some(slug) = markdown::event_slug(&link.url).filter(|s| self.slugs.contains(*s)) {
            link.url = format!("#{slug}");
            node.data_mut().value = NodeValue::Link(link);
            return;
        }
        if let Some(base) = self.base_url {
            link.url = format!("{base}{}", link.url);
            node.data_mut().value = NodeValue::Link(link);
            return;
        }
        // No site to point at: the words, then the path, as text.
        let words: String = node
            .descendants()
            .filter_map(|n| match n.data().value {
                NodeValue::Text(ref t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        let path = link.url.clone();
        let shown = if words.trim().is_empty() || words.trim() == path {
            path
        } else {
            format!(" ({path})")
        };
        node.insert_after(arena.alloc(NodeValue::Text(shown.into()).into()));
        markdown::unwrap(node);
    }
}

/// The content file a content-relative image URL names, relative to `content/`. Never outside
/// `content/`.
fn content_file(relative: &str) -> Option<PathBuf> {
    if !markdown::is_content_relative(relative) {
        return None;
    }
    let path = relative.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let file = PathBuf::from(decoded.as_ref());
    file.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(file)
}

/// A `data:` URL for the image formats every browser shows (and comrak lets through), else
/// `None`.
fn data_url(file: &Path) -> Option<String> {
    let extension = file.extension()?.to_str()?.to_ascii_lowercase();
    let mime = match extension.as_str() {
        "png" => "image/png",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => return None,
    };
    let bytes = std::fs::read(file).ok()?;
    Some(format!("data:{mime};base64,{}", BASE64.encode(bytes)))
}
