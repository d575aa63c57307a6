//! The site's settings and organisations, from `content/_index.md`.

use super::chart_range::ChartRange;
use super::fields::warn_unknown_fields;
use super::text::{is_slug, is_web_url, one_line, Text};
use super::Language;
use crate::diagnostics::{nearest, Problem};
use crate::front_matter::{self, locate, Document, Step};
use chrono_tz::Tz;
use indexmap::IndexMap;
use serde::Deserialize;

/// What `_index.md` sets for the whole site.
#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub description: Option<String>,
    pub language: Language,
    pub timezone: Tz,
    /// Absolute URL of the site's root, ending in `/`, when known.
    pub base_url: Option<String>,
    /// In the order `_index.md` lists them: that order is the order of filters and chart lanes.
    pub organisations: Vec<Organisation>,
    /// The intro text (Markdown), shown above the timeline.
    pub intro: Document,
    /// Most events one timeline page shows: above it, the timeline (and each organisation's
    /// page) is split into a page per year, and a year that is still too big into months, so
    /// that a register of 100,000 events stays readable in a browser.
    pub page_size: usize,
    /// The sources of `content/sources.yaml`, by id (set by the model after the settings).
    pub register: super::register::Register,
    /// How many entries `feed.xml` (and each organisation's feed) holds: the latest, by when
    /// they last changed.
    pub feed_entries: usize,
    /// What the ids of the feeds and their entries are made of (`urn:kroniek:<feed_id>:<slug>`):
    /// never the title or the address, so that retitling or moving the site does not give every
    /// entry a new id (feed readers would show them all twice).
    pub feed_id: String,
    /// The range the overview chart shows, when `chart:` fixes it.
    pub chart: ChartRange,
}

/// Feed entries when `_index.md` does not say.
pub const DEFAULT_FEED_ENTRIES: usize = 50;

/// `feed_id` when `_index.md` does not say. `kroniek init` writes a distinct one for each new
/// site, so that two sites' entries never share an id.
pub const DEFAULT_FEED_ID: &str = "site";

/// Events per page when `_index.md` does not say: about 5 MB of HTML with typical events, which
/// phones still open.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

/// An actor in the chronology: a ministry, an agency, a company, a journalist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Organisation {
    /// The key events use in `orgs:`; also its URL (`orgs/<key>/`) and CSS class.
    pub key: String,
    pub name: String,
    pub short: String,
    pub url: Option<String>,
    /// Background colour of its badge, `#rrggbb`.
    pub color: String,
    /// Text colour on that background (black or white, whichever contrasts more).
    pub text_color: String,
}

const FIELDS: &[&str] = &[
    "title",
    "description",
    "language",
    "timezone",
    "base_url",
    "organisations",
    "page_size",
    "max_file_size",
    "feed_entries",
    "feed_id",
    "chart",
];

/// Colours that keep at least 4.5:1 contrast with white text, in an order where neighbours
/// differ in hue.
const PALETTE: &[&str] = &[
    "#1f5fa8", "#a3361f", "#2e6b30", "#6a3d9a", "#8a4f00", "#00707a", "#b0245c", "#4a5a6a",
    "#3d5a00", "#1d4e89", "#7a2e5f", "#5c4a00",
];

/// Advice for fields whose value has the wrong shape.
const HINTS: &[(&str, &str)] = &[
    (
        "organisations",
        "write each organisation as `key: { name: \"…\", short: \"…\" }`",
    ),
    (
        "feed_entries",
        "write how many of the latest events the feeds hold, e.g. `feed_entries: 50`",
    ),
    (
        "chart",
        "write the range the overview chart shows as `chart: { from: YYYY-MM-DD, to: YYYY-MM-DD }`",
    ),
];

#[derive(Deserialize)]
#[serde(expecting = "site settings such as `title: \"…\"`")]
struct RawSite {
    title: Option<Text>,
    description: Option<Text>,
    language: Option<Text>,
    timezone: Option<Text>,
    base_url: Option<Text>,
    #[serde(default)]
    organisations: IndexMap<String, RawOrganisation>,
    page_size: Option<u64>,
    max_file_size: Option<Text>,
    feed_entries: Option<u64>,
    feed_id: Option<Text>,
    chart: Option<IndexMap<String, Text>>,
}

#[derive(Deserialize)]
#[serde(expecting = "an organisation with a `name`")]
struct RawOrganisation {
    name: Option<Text>,
    short: Option<Text>,
    url: Option<Text>,
    color: Option<Text>,
}

/// Reads the site settings. Problems are pushed; `None` only when the YAML cannot be read at
/// all, since without the organisations no event can be checked.
pub fn parse(doc: &Document, problems: &mut Vec<Problem>) -> Option<Site> {
    let raw: RawSite = match front_matter::parse(doc, HINTS) {
        Ok(raw) => raw,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    warn_unknown_fields(doc, FIELDS, &[], problems);

    let at = |key: &str| locate(doc, &[Step::Key(key)], None);
    let title = one_line(doc, &[Step::Key("title")], raw.title, problems).unwrap_or_else(|| {
        problems.push(
            doc.error((1, 1, 3), "missing-title", "the site has no `title`")
                .with_hint("add `title: \"…\"` to the front matter of content/_index.md"),
        );
        String::new()
    });
    let language = match raw.language.and_then(|l| l.non_empty()) {
        None => Language::default(),
        Some(code) => Language::parse(&code).unwrap_or_else(|| {
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("language")], Some(&code)),
                    "unknown-language",
                    format!("unknown language `{code}`"),
                )
                .with_hint("kroniek speaks `nl` and `en`"),
            );
            Language::default()
        }),
    };
    let timezone = match raw.timezone.and_then(|t| t.non_empty()) {
        None => Tz::UTC,
        Some(name) => name.parse::<Tz>().unwrap_or_else(|_| {
            let hint = nearest(&name, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()))
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| "use an IANA zone name such as `Europe/Amsterdam`".into());
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("timezone")], Some(&name)),
                    "unknown-timezone",
                    format!("unknown time zone `{name}`"),
                )
                .with_hint(hint),
            );
            Tz::UTC
        }),
    };
    let base_url = raw.base_url.and_then(|u| u.non_empty()).and_then(|url| {
        normalise_base_url(&url).or_else(|| {
            problems.push(
                doc.error(
                    at("base_url"),
                    "invalid-url",
                    format!("`base_url` must be an absolute http(s) URL, found `{url}`"),
                )
                .with_hint("for example `base_url: \"https://example.org/webex/\"`"),
            );
            None
        })
    });

    let page_size = match raw.page_size {
        None => DEFAULT_PAGE_SIZE,
        Some(0) => {
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("page_size")], Some("0")),
                    "invalid-page-size",
                    "`page_size` must be at least 1",
                )
                .with_hint(format!(
                    "it is the most events one timeline page shows (default {DEFAULT_PAGE_SIZE})"
                )),
            );
            DEFAULT_PAGE_SIZE
        }
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let feed_entries = match raw.feed_entries {
        None => DEFAULT_FEED_ENTRIES,
        Some(0) => {
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("feed_entries")], Some("0")),
                    "invalid-feed-entries",
                    "`feed_entries` must be at least 1",
                )
                .with_hint(format!(
                    "it is how many of the latest events the feeds hold (default {DEFAULT_FEED_ENTRIES})"
                )),
            );
            DEFAULT_FEED_ENTRIES
        }
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let feed_id = match raw.feed_id.and_then(|t| t.non_empty()) {
        None => DEFAULT_FEED_ID.to_string(),
        Some(id) if is_feed_id(&id) => id,
        Some(id) => {
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("feed_id")], Some(&id)),
                    "invalid-feed-id",
                    format!(
                        "`feed_id` may hold only letters, digits, `.`, `_` and `-`, found `{id}`"
                    ),
                )
                .with_hint("choose it once and keep it, e.g. `feed_id: webex-2024`"),
            );
            DEFAULT_FEED_ID.to_string()
        }
    };
    // The load stage has already read this setting (it needs it before the model exists);
    // here a value it could not use is reported where it is written.
    if let Some(written) = raw.max_file_size.and_then(|t| t.non_empty()) {
        if let Err(why) = crate::load::parse_size(&written) {
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("max_file_size")], Some(&written)),
                    "invalid-size",
                    format!("`max_file_size`: {why}"),
                )
                .with_hint("write a size such as `max_file_size: 50 MB` (the default is 10 MB)"),
            );
        }
    }
    let organisations = raw
        .organisations
        .into_iter()
        .enumerate()
        .map(|(i, (key, raw))| organisation(doc, i, key, raw, problems))
        .collect();

    let chart = super::chart_range::parse(doc, raw.chart, timezone, problems);

    let mut intro = doc.clone();
    intro.yaml = 0..0;
    Some(Site {
        title,
        description: one_line(doc, &[Step::Key("description")], raw.description, problems),
        language,
        timezone,
        base_url,
        organisations,
        intro,
        page_size,
        register: Default::default(),
        feed_entries,
        feed_id,
        chart,
    })
}

/// Whether `id` can stand in a URN as it is: ASCII letters, digits, `.`, `_`, `-`, at most 100.
fn is_feed_id(id: &str) -> bool {
    id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// `https://example.org/webex` -> `https://example.org/webex/`; `None` for anything that is not
/// an absolute web URL.
pub fn normalise_base_url(url: &str) -> Option<String> {
    let url = url.trim();
    if !is_web_url(url) || url.contains(['?', '#', ' ', '"', '<', '>']) {
        return None;
    }
    Some(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn organisation(
    doc: &Document,
    index: usize,
    key: String,
    raw: RawOrganisation,
    problems: &mut Vec<Problem>,
) -> Organisation {
    let org_path = [Step::Key("organisations"), Step::Key(&key)];
    let here = |field: Option<&str>, needle: Option<&str>| match field {
        Some(f) => locate(doc, &[org_path[0], org_path[1], Step::Key(f)], needle),
        None => locate(doc, &org_path, None),
    };
    if !is_slug(&key) {
        problems.push(
            doc.error(
                here(None, None),
                "invalid-key",
                format!("organisation key `{key}` cannot be used in a URL"),
            )
            .with_hint(format!(
                "use lowercase letters, digits and `-`, e.g. `{}`",
                super::text::slugify(&key)
            )),
        );
    }
    let field = |f| [org_path[0], org_path[1], Step::Key(f)];
    let name = one_line(doc, &field("name"), raw.name, problems).unwrap_or_else(|| {
        problems.push(
            doc.error(
                here(None, None),
                "missing-name",
                format!("organisation `{key}` has no `name`"),
            )
            .with_hint(format!("write `{key}: {{ name: \"…\", short: \"…\" }}`")),
        );
        key.clone()
    });
    let short = one_line(doc, &field("short"), raw.short, problems).unwrap_or_else(|| name.clone());
    let url = raw.url.and_then(|u| u.non_empty()).filter(|url| {
        let ok = is_web_url(url);
        if !ok {
            problems.push(
                doc.error(
                    here(Some("url"), Some(url)),
                    "invalid-url",
                    format!("`{url}` is not an http(s) URL"),
                )
                .with_hint("write the full address, starting with https://"),
            );
        }
        ok
    });
    let color = match raw.color.and_then(|c| c.non_empty()) {
        Some(c) => parse_color(&c).unwrap_or_else(|| {
            problems.push(
                doc.error(
                    here(Some("color"), Some(&c)),
                    "invalid-color",
                    format!("`{c}` is not a colour"),
                )
                .with_hint(
                    "write a hex colour such as \"#154273\" (in quotes: YAML reads # as a comment)",
                ),
            );
            PALETTE[index % PALETTE.len()].to_string()
        }),
        None => {
            // `color: #154273` without quotes is a YAML comment: the colour would vanish.
            let path = [org_path[0], org_path[1], Step::Key("color")];
            if let Some((line, column, value)) = front_matter::raw_value(doc, &path) {
                if let Some(comment) = value.strip_prefix('#') {
                    let colour = format!("#{}", comment.split_whitespace().next().unwrap_or(""));
                    problems.push(
                        doc.error(
                            (line, column, colour.chars().count()),
                            "invalid-color",
                            format!("`color` has no value: YAML reads `{colour}` as a comment"),
                        )
                        .with_hint(format!("put the colour in quotes: `color: \"{colour}\"`")),
                    );
                }
            }
            PALETTE[index % PALETTE.len()].to_string()
        }
    };
    let text_color = text_color_for(&color).to_string();
    Organisation {
        key,
        name,
        short,
        url,
        color,
        text_color,
    }
}

/// `#abc` or `#aabbcc`, returned as lowercase `#aabbcc`.
fn parse_color(text: &str) -> Option<String> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(
            hex.chars()
                .flat_map(|c| [c, c])
                .fold(String::from("#"), |mut s, c| {
                    s.push(c.to_ascii_lowercase());
                    s
                }),
        ),
        _ => None,
    }
}

/// Black or white, whichever has more contrast (WCAG relative luminance) with `color`.
fn text_color_for(color: &str) -> &'static str {
    let channel = |i: usize| {
        let v = u8::from_str_radix(&color[i..i + 2], 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    let with_white = 1.05 / (luminance + 0.05);
    let with_black = (luminance + 0.05) / 0.05;
    if with_white >= with_black {
        "#ffffff"
    } else {
        "#000000"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        assert_eq!(parse_color("#ABC").as_deref(), Some("#aabbcc"));
        assert_eq!(parse_color("#154273").as_deref(), Some("#154273"));
        assert_eq!(parse_color("blue"), None);
        assert_eq!(text_color_for("#154273"), "#ffffff");
        assert_eq!(text_color_for("#ffdd00"), "#000000");
        for color in PALETTE {
            assert_eq!(text_color_for(color), "#ffffff", "{color}");
        }
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            normalise_base_url("https://example.org/webex").as_deref(),
            Some("https://example.org/webex/")
        );
        assert_eq!(normalise_base_url("example.org"), None);
    }
}
