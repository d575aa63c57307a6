//! Theme assets (CSS, JS) with content hashes in their names, so that browsers may cache them
//! forever and still see a new version at once.
//!
//! Internal builds get the theme's `internal.css` (the banner that says they are not for
//! publication) appended to `style.css`; a public build must never contain it, so that public
//! output stays exactly what it was.

use super::view;
use crate::audience::Audience;
use crate::model::Timeline;
use crate::output::OutputFile;
use crate::theme::Theme;
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::PathBuf;

pub struct Assets {
    /// `style.css` -> `assets/style.0123abcd.css`: what templates link to.
    pub names: BTreeMap<String, String>,
    pub files: Vec<OutputFile>,
}

impl Assets {
    /// Every file of the theme's `static/` folder. `style.css` gets the organisations' colours
    /// appended, so that pages need no inline styles (a strict Content-Security-Policy holds),
    /// and for internal readers the theme's `internal.css`.
    pub fn build(theme: &Theme, timeline: &Timeline, audience: Audience) -> Assets {
        let mut names = BTreeMap::new();
        let mut files = Vec::new();
        for (name, bytes) in theme.static_files() {
            let mut bytes = bytes.into_owned();
            if name == "style.css" {
                bytes.extend_from_slice(organisation_css(timeline).as_bytes());
                bytes.extend_from_slice(filter_css(timeline).as_bytes());
                if audience.sees_internal_notes() {
                    bytes.extend_from_slice(&theme.file("internal.css").unwrap_or_default());
                }
            }
            let hashed = format!("assets/{}", hashed_name(&name, &bytes));
            names.insert(name, hashed.clone());
            files.push(OutputFile::Made {
                path: PathBuf::from(hashed),
                bytes,
            });
        }
        Assets { names, files }
    }
}

/// `css/style.css` -> `css/style.<8 hex digits>.css`.
pub(super) fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(bytes);
    let hash = format!("{:08x}", hasher.finish() as u32);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !stem.ends_with('/') => {
            format!("{stem}.{hash}.{ext}")
        }
        _ => format!("{name}.{hash}"),
    }
}

fn organisation_css(timeline: &Timeline) -> String {
    let mut css = String::from("\n/* Organisation colours, from content/_index.md */\n");
    for org in &timeline.site.organisations {
        css.push_str(&format!(
            ".org-{key} {{ --org: {bg}; --org-text: {fg}; }}\n",
            key = org.key,
            bg = org.color,
            fg = org.text_color
        ));
    }
    css
}

/// The filter's rules, for the organisations and tags of the reader's events: timeline.js
/// only sets classes on the list (`f-org fo-ncsc`, `f-tag ft-<hash>`, `f-major`, `filtered`)
/// and these rules hide the cards that the filter leaves out, and the days left without a card,
/// in one style pass however long the list. On screen only: paper shows every event.
fn filter_css(timeline: &Timeline) -> String {
    let orgs: Vec<String> = timeline
        .site
        .organisations
        .iter()
        .map(|o| view::org_class(&o.key))
        .collect();
    let events: Vec<&crate::model::Event> = timeline.events.iter().collect();
    let tags: Vec<String> = view::TagView::of(&events)
        .into_iter()
        .map(|t| t.class)
        .collect();
    // `.fo-ncsc .o-ncsc`: a card of a chosen organisation (the list has `f` + its class).
    let chosen = |classes: &[String]| -> String {
        let list: Vec<String> = classes.iter().map(|c| format!(".f{c} .{c}")).collect();
        list.join(",")
    };
    let mut css = String::from(
        "\n/* The filter: timeline.js sets the classes of the list, these rules hide cards */\n@media screen {\n",
    );
    let mut shown = String::from(".event");
    for (group, classes) in [("org", &orgs), ("tag", &tags)] {
        if classes.is_empty() {
            continue;
        }
        let list = chosen(classes);
        css.push_str(&format!(
            ".f-{group} .event:not(:is({list})) {{ display: none; }}\n"
        ));
        shown.push_str(&format!(":is(:not(.f-{group} *),{list})"));
    }
    css.push_str(".f-major .event:not(.major) { display: none; }\n");
    shown.push_str(":is(:not(.f-major *),.major)");
    css.push_str(&format!(
        ".filtered .day:not(:has(> {shown})) {{ display: none; }}\n}}\n"
    ));
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_go_before_the_extension() {
        let name = hashed_name("style.css", b"body{}");
        assert!(
            name.starts_with("style.")
                && name.ends_with(".css")
                && name.len() == "style.12345678.css".len(),
            "{name}"
        );
        assert_ne!(
            hashed_name("style.css", b"a"),
            hashed_name("style.css", b"b")
        );
    }
}
