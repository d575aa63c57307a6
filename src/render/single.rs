//! The whole chronology as one self-contained HTML page (`kroniek export --format html`): the
//! theme's CSS inline, no scripts, links only within the page or to the web.

use super::view::{value, DateView, EventView};
use super::{render_intro, site_view, Assets, OutputFile, Rendered, Settings};
use crate::audience::Audience;
use crate::diagnostics::Problem;
use crate::i18n;
use crate::markdown;
use crate::model::{Event, Timeline};
use crate::theme::Theme;
use minijinja::{context, Value};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Day {
    id: String,
    date: DateView,
    events: Vec<Value>,
}

/// Renders `export.html` for `events` (already filtered for `audience`).
pub fn single_page(
    timeline: &Timeline,
    events: &[&Event],
    audience: Audience,
    base_url: Option<&str>,
    site: &Path,
) -> Result<String, Vec<Problem>> {
    let language = timeline.site.language;
    let mut problems = Vec::new();
    // Content-relative links point at the published site when its URL is known.
    let link_root = base_url.unwrap_or("");
    let bodies: Vec<Rendered> = events
        .iter()
        .map(|event| {
            let input = markdown::Input {
                doc: &event.doc,
                id_prefix: &event.slug,
                sources: &event.sources,
                internal_notes: audience.sees_internal_notes(),
                internal_label: i18n::strings(language).internal,
                heading_offset: 3,
                link_root,
            };
            Rendered {
                list: markdown::render(&input, &mut problems),
                page: None,
                nested: None,
            }
        })
        .collect();
    let intro = render_intro(timeline, audience, &mut problems);
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
        audience,
        base_url,
        theme: &theme,
    };
    let css = Assets::build(&theme, timeline)
        .files
        .into_iter()
        .find_map(|file| match file {
            OutputFile::Made { path, bytes } if path.to_string_lossy().contains("/style.") => {
                Some(String::from_utf8_lossy(&bytes).into_owned())
            }
            _ => None,
        })
        .unwrap_or_default();
    let chart = super::chart::overview(timeline, events, &|e: &Event| format!("#{}", e.slug));
    let mut env = theme.environment();
    env.add_global("t", value(i18n::strings(language)));
    env.add_global("site", value(site_view(timeline, events, intro, &settings)));
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
