//! One event file: its front matter read into an [`Event`] and checked.

use super::date::{DateError, EventDate, Precision};
use super::fields::warn_unknown_fields;
use super::site::Site;
use super::text::{is_slug, is_web_url, one_line, slugify, Text};
use crate::diagnostics::{nearest, Problem};
use crate::front_matter::{self, locate, Document, Step};
use serde::Deserialize;

/// Something that happened, as one file describes it.
#[derive(Debug, Clone)]
pub struct Event {
    /// The event's id: its URL (`events/<slug>/`) and its anchor on the timeline.
    pub slug: String,
    pub title: String,
    pub date: EventDate,
    /// Set when the event is a period.
    pub end: Option<EventDate>,
    /// A label for when the exact time is unknown ("einde dag").
    pub time_label: Option<String>,
    /// Organisation keys, all known to the site, without repeats.
    pub orgs: Vec<String>,
    pub tags: Vec<String>,
    pub major: bool,
    /// `false` leaves the event off the overview chart (`chart: false`); it stays on every
    /// page, in the feed and in the data.
    pub chart: bool,
    pub sources: Vec<Source>,
    pub draft: bool,
    pub internal: bool,
    /// Oldest first.
    pub corrections: Vec<Correction>,
    /// The latest of `updated` and the correction dates.
    pub updated: Option<EventDate>,
    /// Slugs the event had before it was renamed, oldest first (`aliases: [old-slug]`). Each is
    /// a valid slug, not the event's own, and no other event's slug or alias (checked in
    /// `model::build`). The old URLs send readers on; the feed keeps the oldest as the entry id.
    pub aliases: Vec<String>,
    /// Set when the event is withdrawn: it stays on the record, struck through, with the note.
    pub withdrawn: Option<Withdrawal>,
    /// The file, kept whole: the body is rendered from it and problems quote it.
    pub doc: Document,
}

#[cfg(test)]
impl Event {
    /// A bare event on `date`, for tests of what is built from events.
    pub fn for_tests(date: EventDate) -> Event {
        Event {
            slug: format!("e-{}", date.iso()),
            title: String::new(),
            date,
            end: None,
            time_label: None,
            orgs: Vec::new(),
            tags: Vec::new(),
            major: false,
            chart: true,
            sources: Vec::new(),
            draft: false,
            internal: false,
            corrections: Vec::new(),
            updated: None,
            aliases: Vec::new(),
            withdrawn: None,
            doc: crate::front_matter::Document::empty(std::path::Path::new("test.md")),
        }
    }
}

/// A document an event rests on. It becomes a numbered footnote of the event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Source {
    /// Lets the body cite the source inline as `[^id]`; for a source of the register
    /// (`content/sources.yaml`), its key there.
    pub id: Option<String>,
    pub title: String,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub date: Option<EventDate>,
    pub archive_url: Option<String>,
    pub author: Option<String>,
    /// When the author last read the document online.
    pub access_date: Option<EventDate>,
    /// When `archive_url`'s copy was made.
    pub archive_date: Option<EventDate>,
    /// The document's language, as written (`nl`, `German`).
    pub language: Option<String>,
    /// The passage the event rests on, quoted.
    pub quote: Option<String>,
    /// A source of the register that the body cites (`[^id]`) without listing it in
    /// `sources:`: it is the event's only where a reader sees it cited, so a citation inside an
    /// `::: internal` block gives public readers no trace of it.
    pub cited_only: bool,
    /// Where the source is written: in its event's file, or (`in_register`) in
    /// `content/sources.yaml`; for messages about near-duplicate sources.
    pub at: Option<(usize, usize, usize)>,
    pub in_register: bool,
}

impl Source {
    /// What makes two citations the same document: the URL, or without one the title (spaces
    /// and case aside). The sources page lists a document once under this key, and the
    /// MediaWiki export gives it one named ref.
    pub fn identity(&self) -> String {
        match &self.url {
            Some(url) => format!("url:{}", url.trim()),
            None => format!(
                "title:{}",
                self.title
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase()
            ),
        }
    }
}

/// Why and when an event was taken back (`withdrawn: {date, note}`): the chronology no longer
/// stands by it, but keeps it in view, struck through, so that the record shows what it once
/// said.
#[derive(Debug, Clone)]
pub struct Withdrawal {
    pub date: EventDate,
    /// One line, as written: rendered as text, never as Markdown or HTML.
    pub note: String,
}

/// A dated note on a change made after publication.
#[derive(Debug, Clone)]
pub struct Correction {
    pub date: EventDate,
    pub note: Option<String>,
}

const FIELDS: &[&str] = &[
    "title",
    "date",
    "time",
    "end",
    "slug",
    "orgs",
    "tags",
    "major",
    "chart",
    "sources",
    "draft",
    "internal",
    "corrections",
    "updated",
    "aliases",
    "withdrawn",
];

/// Advice for fields whose value has the wrong shape, in the site's language and with one of
/// its own organisation keys (an English site got `tags: [melding, kamerbrief]`).
fn hints(site: &Site) -> Vec<(&'static str, String)> {
    let org = site
        .organisations
        .first()
        .map_or("ncsc", |o| o.key.as_str());
    let tags = match site.language {
        super::Language::Nl => "melding, kamerbrief",
        super::Language::En => "report, letter",
    };
    vec![
        ("orgs", format!("write a list of organisation keys, e.g. `orgs: [{org}]`")),
        ("tags", format!("write a list, e.g. `tags: [{tags}]`")),
        ("major", "write `major: true` or `major: false`".into()),
        (
            "chart",
            "write `chart: false` to leave the event off the overview chart".into(),
        ),
        ("draft", "write `draft: true` or `draft: false`".into()),
        ("internal", "write `internal: true` or `internal: false`".into()),
        (
            "sources",
            "write each source as `- title: \"…\"` with `url: \"…\"` on the next line, or the id of one in content/sources.yaml".into(),
        ),
        (
            "corrections",
            "write each correction as `- date: YYYY-MM-DD` with `note: \"…\"` on the next line".into(),
        ),
        (
            "aliases",
            "write a list of the event's old slugs, e.g. `aliases: [old-slug]`".into(),
        ),
        (
            "withdrawn",
            "write `withdrawn:` with `date: YYYY-MM-DD` and `note: \"…\"` indented below it".into(),
        ),
    ]
}

#[derive(Deserialize)]
#[serde(expecting = "front matter fields such as `title: \"…\"`")]
struct RawEvent {
    title: Option<Text>,
    date: Option<Text>,
    time: Option<Text>,
    end: Option<Text>,
    slug: Option<Text>,
    #[serde(default)]
    orgs: Vec<Text>,
    #[serde(default)]
    tags: Vec<Text>,
    #[serde(default)]
    major: bool,
    #[serde(default = "on_the_chart")]
    chart: bool,
    #[serde(default)]
    sources: Vec<RawSourceEntry>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    internal: bool,
    #[serde(default)]
    corrections: Vec<RawCorrection>,
    updated: Option<Text>,
    #[serde(default)]
    aliases: Vec<Text>,
    withdrawn: Option<RawWithdrawal>,
}

/// An entry of an event's `sources:`: a source written out, or the id of one in the register.
#[derive(Deserialize)]
#[serde(
    untagged,
    expecting = "a source with a `title`, or the id of a source in content/sources.yaml"
)]
enum RawSourceEntry {
    Id(Text),
    Inline(Box<RawSource>),
}

/// The fields of a source, in an event or in the register.
pub const SOURCE_FIELDS: &[&str] = &[
    "id",
    "title",
    "publisher",
    "url",
    "date",
    "archive_url",
    "author",
    "access_date",
    "archive_date",
    "language",
    "quote",
];

/// Names people give source fields in other tools (Wikipedia's citation templates, Zotero),
/// for the hint of an unknown field.
const SOURCE_SYNONYMS: &[(&str, &str)] = &[
    ("accessed", "access_date"),
    ("accessdate", "access_date"),
    ("access-date", "access_date"),
    ("retrieved", "access_date"),
    ("archived", "archive_url"),
    ("archive", "archive_url"),
    ("archive-url", "archive_url"),
    ("archivedate", "archive_date"),
    ("archive-date", "archive_date"),
    ("lang", "language"),
    ("authors", "author"),
    ("by", "author"),
    ("link", "url"),
    ("href", "url"),
    ("website", "publisher"),
    ("work", "publisher"),
    ("name", "title"),
    ("published", "date"),
];

/// An event is on the overview chart unless it says `chart: false`.
fn on_the_chart() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(expecting = "a source with a `title`")]
pub(super) struct RawSource {
    id: Option<Text>,
    title: Option<Text>,
    publisher: Option<Text>,
    url: Option<Text>,
    date: Option<Text>,
    archive_url: Option<Text>,
    author: Option<Text>,
    access_date: Option<Text>,
    archive_date: Option<Text>,
    language: Option<Text>,
    quote: Option<Text>,
    /// Whatever else is written, for a warning (`accessed:` for `access_date:`).
    #[serde(flatten)]
    unknown: indexmap::IndexMap<String, serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(expecting = "a correction with a `date` and a `note`")]
struct RawCorrection {
    date: Option<Text>,
    note: Option<Text>,
}

#[derive(Deserialize)]
#[serde(expecting = "a withdrawal with a `date` and a `note`")]
struct RawWithdrawal {
    date: Option<Text>,
    note: Option<Text>,
}

/// Reads and checks one event. Returns `None` when the file cannot give an event at all (bad
/// YAML, no date); every problem found is pushed, warnings included.
pub fn parse(doc: Document, site: &Site, problems: &mut Vec<Problem>) -> Option<Event> {
    let hints = hints(site);
    let hints: Vec<(&str, &str)> = hints.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let raw: RawEvent = match front_matter::parse(&doc, &hints) {
        Ok(raw) => raw,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    warn_unknown_fields(&doc, FIELDS, &["draft", "internal"], problems);
    let before = problems.iter().filter(|p| p.is_error()).count();
    let name = FileName::of(&doc);

    let title = one_line(&doc, &[Step::Key("title")], raw.title, problems).unwrap_or_else(|| {
        problems.push(
            doc.error((1, 1, 3), "missing-title", "event has no `title`")
                .with_hint("add `title: \"…\"` to the front matter"),
        );
        String::new()
    });
    let slug = check_slug(&doc, &name, raw.slug.as_ref(), problems);
    let date = event_date(&doc, &name, raw.date.as_ref(), site, problems);
    let end = raw
        .end
        .and_then(|e| date_field(&doc, &[Step::Key("end")], &e, site, problems));
    if let (Some(start), Some(end_date)) = (&date, &end) {
        if end_date.start < start.start {
            problems.push(
                doc.error(
                    locate(&doc, &[Step::Key("end")], Some(&end_date_text(&doc))),
                    "end-before-start",
                    "the event ends before it starts",
                )
                .with_hint("`end` must be on or after `date`"),
            );
        }
    }
    let orgs = check_orgs(&doc, &raw.orgs, site, problems);
    let mut sources = Vec::new();
    let sources_written = !raw.sources.is_empty();
    for (i, entry) in raw.sources.into_iter().enumerate() {
        let path = [Step::Key("sources"), Step::Index(i)];
        match entry {
            RawSourceEntry::Inline(raw) => sources.push(source(&doc, &path, *raw, site, problems)),
            RawSourceEntry::Id(id) => {
                sources.extend(listed_source(&doc, &path, &id, site, problems))
            }
        }
    }
    sources.extend(super::register::cited_only(&doc, &sources, &site.register));
    check_source_ids(&doc, &sources, problems);
    let corrections = corrections(&doc, raw.corrections, site, problems);
    let updated = raw
        .updated
        .and_then(|u| date_field(&doc, &[Step::Key("updated")], &u, site, problems));
    let updated = corrections
        .iter()
        .map(|c| c.date.clone())
        .chain(updated)
        .max();
    let aliases = aliases(&doc, &slug, raw.aliases, problems);
    let withdrawn = raw
        .withdrawn
        .and_then(|w| withdrawal(&doc, w, site, problems));

    // A source written but refused is an error already; "no sources" would say it twice.
    warn_incomplete(
        &doc,
        raw.orgs.is_empty(),
        sources.is_empty() && !sources_written,
        problems,
    );
    let date = date?;
    if problems.iter().filter(|p| p.is_error()).count() > before {
        return None;
    }
    Some(Event {
        slug,
        title,
        date,
        end,
        time_label: one_line(&doc, &[Step::Key("time")], raw.time, problems),
        orgs,
        tags: raw
            .tags
            .into_iter()
            .enumerate()
            .filter_map(|(i, tag)| {
                one_line(
                    &doc,
                    &[Step::Key("tags"), Step::Index(i)],
                    Some(tag),
                    problems,
                )
            })
            .collect(),
        major: raw.major,
        chart: raw.chart,
        sources,
        draft: raw.draft,
        internal: raw.internal,
        corrections,
        updated,
        aliases,
        withdrawn,
        doc,
    })
}

fn end_date_text(doc: &Document) -> String {
    let (line, column, _) = locate(doc, &[Step::Key("end")], None);
    doc.text
        .split('\n')
        .nth(line - 1)
        .and_then(|l| l.get(column - 1..))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().trim_matches(['"', '\'']).to_string())
        .unwrap_or_default()
}

/// What a file name like `2024-06-04-ncsc-gewaarschuwd.md` says: a date and a slug.
struct FileName {
    date: Option<String>,
    slug: String,
}

impl FileName {
    fn of(doc: &Document) -> FileName {
        let stem = doc
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = stem.splitn(4, '-').collect();
        let day = parts.len() == 4
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts[..3].iter().all(|p| digits(p));
        if day {
            return FileName {
                date: Some(parts[..3].join("-")),
                slug: parts[3].to_string(),
            };
        }
        let month = parts.len() >= 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[..2].iter().all(|p| digits(p));
        if month {
            let slug = stem[8..].to_string();
            return FileName {
                date: Some(parts[..2].join("-")),
                slug,
            };
        }
        FileName {
            date: None,
            slug: stem.to_string(),
        }
    }
}

fn check_slug(
    doc: &Document,
    name: &FileName,
    given: Option<&Text>,
    problems: &mut Vec<Problem>,
) -> String {
    if let Some(given) = given.and_then(Text::non_empty) {
        if given != name.slug {
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("slug")], Some(&given)),
                    "slug-mismatch",
                    format!(
                        "slug `{given}` does not match the file name's slug `{}`",
                        name.slug
                    ),
                )
                .with_hint("the file name gives the slug: rename the file or remove `slug:`"),
            );
        }
    }
    if !is_slug(&name.slug) {
        problems.push(
            doc.name_error(
                "invalid-slug",
                format!(
                    "the file name gives the slug `{}`, which cannot be used in a URL",
                    name.slug
                ),
            )
            .with_hint(format!(
                "use lowercase letters, digits and `-`: rename the file to end in `{}.md`",
                slugify(&name.slug)
            )),
        );
    }
    name.slug.clone()
}

fn event_date(
    doc: &Document,
    name: &FileName,
    given: Option<&Text>,
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Option<EventDate> {
    let from_name = name
        .date
        .as_deref()
        .and_then(|d| match EventDate::parse(d, site.timezone) {
            Ok((date, _)) => Some(date),
            Err(err) => {
                problems.push(
                    doc.name_error(
                        "invalid-date",
                        format!("the file name's date is wrong: {err}"),
                    )
                    .with_hint("rename the file"),
                );
                None
            }
        });
    let Some(given) = given else {
        if from_name.is_none() && name.date.is_none() {
            problems.push(
                doc.error((1, 1, 3), "missing-date", "event has no date")
                    .with_hint("add `date: YYYY-MM-DD` to the front matter, or start the file name with the date"),
            );
        }
        return from_name;
    };
    let date = date_field(doc, &[Step::Key("date")], given, site, problems)?;
    if let Some(file_date) = name.date.as_deref().filter(|_| from_name.is_some()) {
        // As written, or (for a time with an offset) the day it is in the site's zone, which
        // is the day readers see and the one `kroniek new` names the file by.
        let local_day = date.local.date().format("%Y-%m-%d").to_string();
        let in_zone = date.has_time() && local_day.starts_with(file_date);
        if !written_within(given.0.trim(), file_date) && !in_zone {
            let written = given.0.trim();
            let mut message =
                format!("`date: {written}` does not agree with the file name's date {file_date}");
            if date.has_time() && !written.starts_with(&local_day) {
                message = format!(
                    "`date: {written}` is {} in {}, the site's time zone, and the file name says {file_date}",
                    date.date_text(site.language),
                    site.timezone
                );
            }
            let hint = if date.has_time() {
                format!("name the file after the day in {}: start it with {local_day}, or remove `date:`", site.timezone)
            } else {
                "make the file name and `date:` agree, or remove `date:`".to_string()
            };
            problems.push(
                doc.error(
                    locate(doc, &[Step::Key("date")], Some(written)),
                    "date-mismatch",
                    message,
                )
                .with_hint(hint),
            );
            return None;
        }
    }
    Some(date)
}

/// Whether a date as written (`2024-06-04T23:10Z`) lies within the file name's date
/// (`2024-06-04`, `2024-06`). Compared as written, before any time-zone conversion: the file
/// name names the calendar date the author wrote.
fn written_within(written: &str, file_date: &str) -> bool {
    written.starts_with(file_date)
        && matches!(
            written.as_bytes().get(file_date.len()),
            None | Some(b'-' | b'T' | b't' | b' ')
        )
}

/// What to do about a date that cannot be read: as specific as we can make it.
fn date_hint(err: &DateError, written: &str) -> String {
    let number =
        |range: std::ops::Range<usize>| written.get(range).and_then(|s| s.parse::<u32>().ok());
    match err {
        DateError::OffsetWithoutTime(_) => {
            "add a time (`2024-06-04T14:30+02:00`) or drop the offset".into()
        }
        DateError::DstGap(..) => "use a time that exists, or give the offset explicitly".into(),
        DateError::OutOfRange(..) => {
            "use a date between 0000 and 9999 in the site's time zone".into()
        }
        DateError::NoSuchDate(_) => match (number(0..4), number(5..7)) {
            (Some(year), Some(month @ 1..=12)) => {
                let first = chrono::NaiveDate::from_ymd_opt(year as i32, month, 1);
                let next = if month == 12 {
                    chrono::NaiveDate::from_ymd_opt(year as i32 + 1, 1, 1)
                } else {
                    chrono::NaiveDate::from_ymd_opt(year as i32, month + 1, 1)
                };
                match (first, next) {
                    (Some(first), Some(next)) => format!(
                        "{} has {} days",
                        first.format("%B %Y"),
                        (next - first).num_days()
                    ),
                    _ => "check the year, month and day".into(),
                }
            }
            (_, Some(_)) => "months run from 01 to 12".into(),
            _ => "check the year, month and day".into(),
        },
        DateError::NoSuchTime(_) => {
            let day =
                chrono::NaiveDate::parse_from_str(written.get(0..10).unwrap_or(""), "%Y-%m-%d");
            let clock = written.get(11..).unwrap_or("");
            match day {
                Ok(day)
                    if clock.starts_with("24:00")
                        && clock[5..].trim_start_matches(":00").is_empty() =>
                {
                    format!(
                        "write midnight at the end of the day as `{}T00:00`",
                        day.succ_opt().unwrap_or(day)
                    )
                }
                _ => "write the time as `HH:MM` from 00:00 to 23:59, e.g. `14:30`".into(),
            }
        }
        DateError::Format(_) => {
            "write `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `YYYY-MM-DDTHH:MM`".into()
        }
    }
}

/// Parses a date field at `path`, pointing at it on failure.
fn date_field(
    doc: &Document,
    path: &[Step],
    text: &Text,
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Option<EventDate> {
    read_date(doc, path, text, site.timezone, problems)
}

/// Parses a date written at `path` in time zone `tz`, pointing at it on failure (with the
/// same messages and hints as an event's `date`). The site's settings use it too, before
/// there is a [`Site`].
pub(super) fn read_date(
    doc: &Document,
    path: &[Step],
    text: &Text,
    tz: chrono_tz::Tz,
    problems: &mut Vec<Problem>,
) -> Option<EventDate> {
    let written = text.0.trim();
    let position = locate(doc, path, Some(written));
    match EventDate::parse(written, tz) {
        Ok((date, ambiguous)) => {
            if ambiguous {
                problems.push(
                    doc.error(position, "ambiguous-time", format!("`{written}` happens twice in {tz} (clocks go back); the earlier one is used"))
                        .with_hint("add the offset, e.g. `+02:00` or `+01:00`")
                        .warning(),
                );
            }
            Some(date)
        }
        Err(err) => {
            let hint = date_hint(&err, written);
            problems.push(
                doc.error(position, "invalid-date", err.to_string())
                    .with_hint(hint),
            );
            None
        }
    }
}

fn check_orgs(
    doc: &Document,
    orgs: &[Text],
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let known: Vec<&str> = site.organisations.iter().map(|o| o.key.as_str()).collect();
    let mut keys = Vec::new();
    for org in orgs {
        let Some(key) = org.non_empty() else { continue };
        if !known.contains(&key.as_str()) {
            let mut problem = doc
                .error(
                    locate(doc, &[Step::Key("orgs")], Some(&key)),
                    "unknown-org",
                    format!("unknown organisation `{key}`"),
                )
                .with_label("not in _index.md organisations");
            problem = match nearest(&key, known.iter().copied()) {
                Some(near) => problem.with_hint(format!("did you mean `{near}`?")),
                None => problem.with_hint(format!(
                    "add `{key}` to `organisations` in content/_index.md"
                )),
            };
            problems.push(problem);
        } else if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// A source of the register listed by its id (`sources: [kst-1182]`).
fn listed_source(
    doc: &Document,
    path: &[Step],
    id: &Text,
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Option<Source> {
    let id = id.non_empty()?;
    if let Some(source) = site.register.get(&id) {
        return Some(source.clone());
    }
    // `- https://…`: a source needs its title, so that readers can find it without the link.
    if is_web_url(&id) || id.contains(['/', ' ']) {
        problems.push(
            doc.error(
                locate(doc, &path[..1], Some(&id)),
                "invalid-field",
                format!("`{id}` is not a source: a source has a `title` (a plain word is the id of one in content/sources.yaml)"),
            )
            .with_hint(if is_web_url(&id) {
                format!("write `- title: \"…\"` with `url: \"{id}\"` on the next line")
            } else {
                "write each source as `- title: \"…\"` with `url: \"…\"` on the next line".to_string()
            }),
        );
        return None;
    }
    let hint = match nearest(&id, site.register.keys().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None if site.register.is_empty() => {
            format!("define it in content/sources.yaml (`{id}: {{ title: \"…\", url: \"…\" }}`), or write the source out here with `- title: \"…\"`")
        }
        None => format!("add `{id}:` to content/sources.yaml"),
    };
    problems.push(
        doc.error(
            locate(doc, &path[..1], Some(&id)),
            "unknown-source",
            format!("no source `{id}` in content/sources.yaml"),
        )
        .with_hint(hint),
    );
    None
}

/// Reads one source, at `path` of `doc` (an event's `sources[i]`, or a key of the register).
pub(super) fn source(
    doc: &Document,
    path: &[Step],
    raw: RawSource,
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Source {
    let field = |name: &'static str| {
        let mut steps = path.to_vec();
        steps.push(Step::Key(name));
        steps
    };
    for key in raw.unknown.keys() {
        let mut problem = doc
            .error(
                locate(doc, &field_named(path, key), None),
                "unknown-field",
                format!("unknown source field `{key}`"),
            )
            .warning();
        let synonym = SOURCE_SYNONYMS
            .iter()
            .find(|(word, _)| key.eq_ignore_ascii_case(word))
            .map(|(_, field)| *field);
        problem = match synonym.or_else(|| nearest(key, SOURCE_FIELDS.iter().copied())) {
            Some(near) => problem.with_hint(format!("did you mean `{near}`?")),
            None => problem.with_hint(format!("a source has {}", SOURCE_FIELDS.join(", "))),
        };
        problems.push(problem);
    }
    let id = raw.id.and_then(|i| i.non_empty()).filter(|id| {
        let ok = is_slug(id);
        if !ok {
            problems.push(
                doc.error(
                    locate(doc, &field("id"), Some(id)),
                    "invalid-source-id",
                    format!("source id `{id}` cannot be cited"),
                )
                .with_hint(format!(
                    "use lowercase letters, digits and `-`, e.g. `{}`",
                    slugify(id)
                )),
            );
        }
        ok
    });
    let mut url_field = |name: &'static str, value: Option<Text>| {
        value.and_then(|u| u.non_empty()).filter(|url| {
            let ok = is_web_url(url);
            if !ok {
                problems.push(
                    doc.error(
                        locate(doc, &field(name), Some(url)),
                        "invalid-url",
                        format!("`{url}` is not an http(s) URL"),
                    )
                    .with_hint("write the full address, starting with https://"),
                );
            }
            ok
        })
    };
    let url = url_field("url", raw.url);
    let archive_url = url_field("archive_url", raw.archive_url);
    let title = one_line(doc, &field("title"), raw.title, problems).unwrap_or_else(|| {
        problems.push(
            doc.error(
                locate(doc, path, None),
                "source-without-title",
                "source has no `title`",
            )
            .with_hint("give the document's title, so that readers can find it without the link")
            .warning(),
        );
        String::new()
    });
    let mut day = |name: &'static str, value: Option<Text>| {
        value
            .and_then(|d| date_field(doc, &field(name), &d, site, problems))
            .filter(|d| d.precision <= Precision::Day || d.has_time())
    };
    let date = day("date", raw.date);
    let access_date = day("access_date", raw.access_date);
    let archive_date = day("archive_date", raw.archive_date);
    Source {
        id,
        title,
        publisher: one_line(doc, &field("publisher"), raw.publisher, problems),
        url,
        date,
        archive_url,
        author: one_line(doc, &field("author"), raw.author, problems),
        access_date,
        archive_date,
        language: one_line(doc, &field("language"), raw.language, problems),
        quote: one_line(doc, &field("quote"), raw.quote, problems),
        cited_only: false,
        at: Some(locate(doc, path, None)),
        in_register: false,
    }
}

/// `path` and then the key `name`, which lives as long as the caller's string.
fn field_named<'a>(path: &[Step<'a>], name: &'a str) -> Vec<Step<'a>> {
    let mut steps = path.to_vec();
    steps.push(Step::Key(name));
    steps
}

fn check_source_ids(doc: &Document, sources: &[Source], problems: &mut Vec<Problem>) {
    for (i, source) in sources.iter().enumerate() {
        let Some(id) = &source.id else { continue };
        if sources[..i].iter().any(|s| s.id.as_ref() == Some(id)) {
            problems.push(
                doc.error(
                    locate(
                        doc,
                        &[Step::Key("sources"), Step::Index(i), Step::Key("id")],
                        Some(id),
                    ),
                    "duplicate-source-id",
                    format!("two sources have the id `{id}`"),
                )
                .with_hint("give each source of an event its own id"),
            );
        }
    }
}

fn corrections(
    doc: &Document,
    raw: Vec<RawCorrection>,
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Vec<Correction> {
    let mut list: Vec<Correction> = raw
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let path = [Step::Key("corrections"), Step::Index(i)];
            let Some(date) = c.date else {
                problems.push(
                    doc.error(
                        locate(doc, &path, None),
                        "missing-date",
                        "correction has no `date`",
                    )
                    .with_hint("write `- date: YYYY-MM-DD` and `note: \"…\"`"),
                );
                return None;
            };
            let date = date_field(
                doc,
                &[path[0], path[1], Step::Key("date")],
                &date,
                site,
                problems,
            )?;
            let note = one_line(
                doc,
                &[path[0], path[1], Step::Key("note")],
                c.note,
                problems,
            );
            Some(Correction { date, note })
        })
        .collect();
    list.sort_by(|a, b| a.date.cmp(&b.date));
    list
}

/// The event's old slugs, checked one by one: each must be a slug and not the event's own. A
/// repeat is dropped with a warning. Whether another event uses one is checked in
/// `model::build`, which sees them all.
fn aliases(doc: &Document, slug: &str, raw: Vec<Text>, problems: &mut Vec<Problem>) -> Vec<String> {
    let mut list: Vec<String> = Vec::new();
    for (i, alias) in raw.iter().enumerate() {
        let Some(alias) = alias.non_empty() else {
            continue;
        };
        // A block list item is found by its index; in a flow list (`[a, b]`) by its text.
        let item = [Step::Key("aliases"), Step::Index(i)];
        let at = match front_matter::find(doc, &item) {
            Some(_) => locate(doc, &item, Some(&alias)),
            None => locate(doc, &item[..1], Some(&alias)),
        };
        if !is_slug(&alias) {
            problems.push(
                doc.error(
                    at,
                    "invalid-alias",
                    format!("alias `{alias}` is not a slug, so it was never this event's URL"),
                )
                .with_hint(format!(
                    "write the old slug as it was, in lowercase letters, digits and `-`, e.g. `{}`",
                    slugify(&alias)
                )),
            );
        } else if alias == slug {
            problems.push(
                doc.error(
                    at,
                    "alias-is-slug",
                    format!("alias `{alias}` is the event's own slug"),
                )
                .with_hint("list only slugs the event had before; remove this one"),
            );
        } else if list.contains(&alias) {
            problems.push(
                doc.error(
                    at,
                    "duplicate-alias",
                    format!("alias `{alias}` is listed twice"),
                )
                .with_hint("remove the repeat")
                .warning(),
            );
        } else {
            list.push(alias);
        }
    }
    list
}

/// `withdrawn: {date, note}`: both are required, since a withdrawal without its date or reason
/// tells readers nothing they can check.
fn withdrawal(
    doc: &Document,
    raw: RawWithdrawal,
    site: &Site,
    problems: &mut Vec<Problem>,
) -> Option<Withdrawal> {
    let at = locate(doc, &[Step::Key("withdrawn")], None);
    let date = match raw.date {
        Some(date) => date_field(
            doc,
            &[Step::Key("withdrawn"), Step::Key("date")],
            &date,
            site,
            problems,
        ),
        None => {
            problems.push(
                doc.error(at, "missing-date", "`withdrawn` has no `date`")
                    .with_hint("write the day the event was withdrawn as `date: YYYY-MM-DD` below `withdrawn:`"),
            );
            None
        }
    };
    let note = one_line(
        doc,
        &[Step::Key("withdrawn"), Step::Key("note")],
        raw.note,
        problems,
    );
    if note.is_none() {
        problems.push(
            doc.error(at, "missing-note", "`withdrawn` has no `note`")
                .with_hint("say why the event was withdrawn: `note: \"…\"` below `withdrawn:`"),
        );
    }
    Some(Withdrawal {
        date: date?,
        note: note?,
    })
}

/// What `check` warns about: things that are allowed but weaken a public record.
fn warn_incomplete(doc: &Document, no_orgs: bool, no_sources: bool, problems: &mut Vec<Problem>) {
    if no_sources {
        problems.push(
            doc.error(
                locate(doc, &[Step::Key("title")], None),
                "unsourced",
                "event has no sources",
            )
            .with_hint("add `sources:` so that readers can verify the event")
            .warning(),
        );
    }
    if no_orgs {
        problems.push(
            doc.error(
                locate(doc, &[Step::Key("title")], None),
                "no-organisation",
                "event names no organisation",
            )
            .with_hint("add `orgs: [key]` so that the event shows up in the filters")
            .warning(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn name(file: &str) -> FileName {
        let doc = front_matter::split(PathBuf::from(file), String::new()).unwrap();
        FileName::of(&doc)
    }

    #[test]
    fn file_dates_compare_as_written() {
        assert!(written_within("2023-04-11T23:10:00Z", "2023-04-11"));
        assert!(written_within("2024-06-30", "2024-06"));
        assert!(written_within("2024-06-04", "2024-06-04"));
        assert!(!written_within("2024-06", "2024-06-04"));
        assert!(!written_within("2024-06-05", "2024-06-04"));
        assert!(!written_within("2024-060", "2024-06"));
    }

    #[test]
    fn file_names_give_date_and_slug() {
        let n = name("content/2024-06-04-ncsc-gewaarschuwd.md");
        assert_eq!(
            (n.date.as_deref(), n.slug.as_str()),
            (Some("2024-06-04"), "ncsc-gewaarschuwd")
        );
        let n = name("content/2024-06-crisis.md");
        assert_eq!(
            (n.date.as_deref(), n.slug.as_str()),
            (Some("2024-06"), "crisis")
        );
        let n = name("content/sub/overleg.md");
        assert_eq!((n.date, n.slug.as_str()), (None, "overleg"));
        let n = name("content/2024-06-04-2fa.md");
        assert_eq!(n.slug, "2fa");
    }

    fn site() -> Site {
        let index = front_matter::split(
            PathBuf::from("content/_index.md"),
            "---\ntitle: \"T\"\nlanguage: en\ntimezone: Europe/Amsterdam\norganisations:\n  ncsc: { name: \"NCSC\" }\n---\n".into(),
        )
        .unwrap();
        super::super::site::parse(&index, &mut Vec::new()).unwrap()
    }

    /// Parses `fields` as the front matter of content/2024-06-04-new-name.md.
    fn event(fields: &str) -> (Option<Event>, Vec<String>) {
        let text = format!(
            "---\ntitle: \"T\"\norgs: [ncsc]\nsources: [{{ title: \"S\" }}]\n{fields}---\nBody.\n"
        );
        let doc =
            front_matter::split(PathBuf::from("content/2024-06-04-new-name.md"), text).unwrap();
        let mut problems = Vec::new();
        let event = parse(doc, &site(), &mut problems);
        let shown = problems
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect();
        (event, shown)
    }

    #[test]
    fn aliases_are_read_oldest_first() {
        let (e, problems) = event("aliases: [first-name, second-name]\n");
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(e.unwrap().aliases, ["first-name", "second-name"]);
        let (e, _) = event("");
        assert!(e.unwrap().aliases.is_empty());
    }

    #[test]
    fn aliases_must_be_other_slugs() {
        let (e, problems) = event("aliases:\n  - Old Name\n  - new-name\n");
        assert!(e.is_none());
        assert_eq!(
            problems,
            [
                "6:5: alias `Old Name` is not a slug, so it was never this event's URL",
                "7:5: alias `new-name` is the event's own slug",
            ]
        );
        let (e, problems) = event("aliases: [old, old]\n");
        assert_eq!(problems, ["5:11: alias `old` is listed twice"]);
        assert_eq!(e.unwrap().aliases, ["old"]);
    }

    #[test]
    fn withdrawal_needs_date_and_note() {
        let (e, problems) =
            event("withdrawn:\n  date: 2024-06-07\n  note: \"Not <b>so</b>\\nafter all\"\n");
        assert_eq!(problems, Vec::<String>::new());
        let w = e.unwrap().withdrawn.unwrap();
        assert_eq!(
            (w.date.iso().as_str(), w.note.as_str()),
            ("2024-06-07", "Not <b>so</b> after all")
        );

        let (e, problems) = event("withdrawn:\n  note: \"x\"\n");
        assert!(e.is_none());
        assert_eq!(problems, ["5:1: `withdrawn` has no `date`"]);
        let (e, problems) = event("withdrawn: { date: 2024-06-07 }\n");
        assert!(e.is_none());
        assert_eq!(problems, ["5:1: `withdrawn` has no `note`"]);
        let (e, problems) = event("withdrawn:\n  date: 2024-13-07\n  note: \"x\"\n");
        assert!(e.is_none());
        assert_eq!(
            problems,
            ["6:9: `2024-13-07` is not a date in the calendar"]
        );
        let (e, _) = event("");
        assert!(e.unwrap().withdrawn.is_none());
    }
}
