//! Authoring: `kroniek init` (a new site from a template) and `kroniek new` (an event file with
//! every field an author may fill in).
//!
//! Both write files that people will edit, so both are careful: they never overwrite a file,
//! and what they write builds with kroniek as it is. `new` reads the site through the normal
//! pipeline (`load` and `model`), so it judges dates and organisation keys exactly as `build`
//! will, in the site's own time zone.
//!
//! Nothing here prints or exits: the command line turns an [`AuthoringError`] into a message
//! and an exit status.

use crate::diagnostics::{display_path, nearest, Problem};
use crate::model::{self, slugify, DateError, EventDate, Language, Precision, Timeline};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Why `init` or `new` wrote nothing. Each message says what is wrong, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum AuthoringError {
    #[error(
        "`{}` is not empty; `kroniek init` only writes into a new or empty folder: choose another folder",
        .dir.display()
    )]
    NotEmpty { dir: PathBuf },

    #[error("`{}` is a file, not a folder: choose a folder for the new site", .path.display())]
    NotADirectory { path: PathBuf },

    #[error("cannot write `{}`: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    /// The site cannot be read well enough to check a new event against it. `problems` holds
    /// every blocking problem, for printing in full with `diagnostics::render_text`.
    #[error(
        "cannot add an event to the site in `{}`: {}; fix it first (`kroniek check` shows every problem)",
        .site.display(), summary(.problems)
    )]
    Site {
        site: PathBuf,
        problems: Vec<Problem>,
    },

    #[error("the event has no title: give one, e.g. \"Overleg met Cisco\"")]
    MissingTitle,

    #[error(
        "the title `{title}` gives no file name: use at least one letter or digit (a–z, 0–9) in it"
    )]
    EmptySlug { title: String },

    #[error("invalid date: {source}; write `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `YYYY-MM-DDTHH:MM`")]
    InvalidDate {
        date: String,
        #[source]
        source: DateError,
    },

    #[error("invalid time `{time}`: {reason}")]
    InvalidTime { time: String, reason: String },

    #[error("unknown organisation `{key}`; {}", org_advice(.key, .suggestion.as_deref(), .known))]
    UnknownOrg {
        key: String,
        /// The known key closest to `key`, when it looks like a typo.
        suggestion: Option<String>,
        /// Every key the site knows, in the order of `_index.md`.
        known: Vec<String>,
    },

    #[error("unknown source `{id}`; {}", match .suggestion {
        Some(near) => format!("did you mean `{near}`?"),
        None => "add it to content/sources.yaml first (`id: { title: \"…\", url: \"…\" }`)".to_string(),
    })]
    UnknownSource {
        id: String,
        suggestion: Option<String>,
    },

    #[error("invalid end `{end}`: {reason}")]
    InvalidEnd { end: String, reason: String },

    #[error(
        "`{}` already exists; kroniek never overwrites a file: edit it, or choose another title or date",
        .path.display()
    )]
    FileExists { path: PathBuf },

    #[error(
        "the slug `{slug}` is already used by {}; every event needs its own: choose a more specific title",
        display_path(.existing)
    )]
    DuplicateSlug { slug: String, existing: PathBuf },
}

fn summary(problems: &[Problem]) -> String {
    let Some(first) = problems.first() else {
        return "it has errors".into();
    };
    let more = match problems.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    format!("{}: {}{more}", first.location(), first.message)
}

fn org_advice(key: &str, suggestion: Option<&str>, known: &[String]) -> String {
    if let Some(near) = suggestion {
        return format!("did you mean `{near}`?");
    }
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let known = if list.is_empty() {
        "the site has no organisations yet".to_string()
    } else {
        format!("the site knows {list}")
    };
    format!("{known}; add `{key}` to `organisations` in content/_index.md")
}

// ---------------------------------------------------------------------------------------------
// init

/// Writes a small working site into `dir`: `content/_index.md` with two organisations and an
/// intro, and two sourced events (one citing its source inline, one not), in `language`.
/// Returns the files written.
///
/// `dir` may be missing (it is created) or empty; anything else is refused before a single
/// file is written, so an existing folder is never mixed with the template.
pub fn init(dir: &Path, language: Language) -> Result<Vec<PathBuf>, AuthoringError> {
    prepare_empty_dir(dir)?;
    let content = dir.join("content");
    std::fs::create_dir(&content).map_err(|source| AuthoringError::Io {
        path: content.clone(),
        source,
    })?;
    template(language)
        .iter()
        .map(|(name, text)| {
            let path = content.join(name);
            write_new(&path, text)?;
            Ok(path)
        })
        .collect()
}

/// Makes sure `dir` exists and is empty.
fn prepare_empty_dir(dir: &Path) -> Result<(), AuthoringError> {
    let io_error = |source| AuthoringError::Io {
        path: dir.to_path_buf(),
        source,
    };
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(AuthoringError::NotEmpty {
            dir: dir.to_path_buf(),
        }),
        Err(_) if dir.exists() && !dir.is_dir() => Err(AuthoringError::NotADirectory {
            path: dir.to_path_buf(),
        }),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io_error)
        }
        Err(err) => Err(io_error(err)),
    }
}

/// The template's files inside `content/`, in the language of the site.
fn template(language: Language) -> [(&'static str, &'static str); 3] {
    match language {
        Language::Nl => [
            ("_index.md", NL_INDEX),
            ("2024-03-11-storing-klantportaal-gemeld.md", NL_FIRST),
            ("2024-03-12-leverancier-herstelt-klantportaal.md", NL_SECOND),
        ],
        Language::En => [
            ("_index.md", EN_INDEX),
            ("2024-03-11-portal-outage-reported.md", EN_FIRST),
            ("2024-03-12-supplier-restores-portal.md", EN_SECOND),
        ],
    }
}

const NL_INDEX: &str = r#"---
title: "Storing in het klantportaal van gemeente Voorbeeldstad"
description: "Chronologie van de storing in het klantportaal, maart 2024"
language: nl                  # nl of en: woorden en datumnotatie van de site
timezone: Europe/Amsterdam    # de tijdzone waarin tijden gelden en getoond worden
# base_url: "https://example.org/chronologie/"   # het adres van de site, voor sitemap en feed
# feed_id: voorbeeldstad-2024   # eens gekozen, nooit meer wijzigen: de id's van de feed-items
organisations:                # in de volgorde waarin de filters ze tonen
  gemeente:
    name: "Gemeente Voorbeeldstad"
    short: "Gemeente"
    url: "https://www.example.org/"
  leverancier:
    name: "Voorbeeld Hosting B.V."
    short: "Leverancier"
    url: "https://www.example.com/"
---
Deze chronologie is een voorbeeld, gemaakt door `kroniek init`. Vervang deze inleiding door je
eigen tekst: waar gaat het incident over, en op welke stukken berust de chronologie?

Elke gebeurtenis is een Markdown-bestand in `content/`, met de datum vooraan in de bestandsnaam.
`kroniek new` maakt zo'n bestand, `kroniek serve` toont de site terwijl je schrijft en
`kroniek check` meldt wat er nog ontbreekt, zoals een gebeurtenis zonder bron.
"#;

const NL_FIRST: &str = r#"---
title: "Storing in het klantportaal gemeld"
date: 2024-03-11T08:45        # een tijdstip geldt in de tijdzone van de site
orgs: [gemeente]              # sleutels uit organisations in _index.md
tags: [melding]
major: true                   # een sleutelmoment: wordt uitgelicht
sources:
  - id: nieuwsbericht         # met een id haalt de tekst de bron aan als [^nieuwsbericht]
    title: "Klantportaal tijdelijk niet bereikbaar"
    publisher: "Gemeente Voorbeeldstad"
    url: "https://www.example.org/nieuws/klantportaal-niet-bereikbaar"
    date: 2024-03-11
---
Inwoners melden dat het klantportaal niet bereikbaar is. De gemeente bevestigt de storing in een
nieuwsbericht[^nieuwsbericht] en schakelt de leverancier in.
"#;

const NL_SECOND: &str = r#"---
title: "Leverancier herstelt het klantportaal"
date: 2024-03-12
time: "einde middag"          # als het precieze tijdstip niet bekend is
orgs: [leverancier, gemeente]
tags: [herstel]
sources:
  # Een bron die de tekst niet aanhaalt, krijgt haar voetnoot na de tekst. Een URL mag ontbreken.
  - title: "Verslag van het incidentoverleg van 12 maart 2024"
    publisher: "Gemeente Voorbeeldstad"
    date: 2024-03-12
---
De leverancier vindt de oorzaak, een verlopen certificaat, vervangt het en stelt het
klantportaal weer open.
"#;

const EN_INDEX: &str = r#"---
title: "Outage of the Example Council resident portal"
description: "Chronology of the resident portal outage, March 2024"
language: en                  # en or nl: the site's words and date format
timezone: UTC                 # the time zone in which times are meant and shown
# base_url: "https://example.org/chronology/"   # the site's address, for sitemap and feed
# feed_id: example-council-2024   # choose once, never change: the ids of the feed's entries
organisations:                # in the order the filters show them
  council:
    name: "Example Council"
    short: "Council"
    url: "https://www.example.org/"
  supplier:
    name: "Example Hosting Ltd"
    short: "Supplier"
    url: "https://www.example.com/"
---
This chronology is an example, made by `kroniek init`. Replace this introduction with your own:
what is the incident about, and which documents is the chronology based on?

Every event is a Markdown file in `content/`, with its date at the start of the file name.
`kroniek new` makes such a file, `kroniek serve` shows the site while you write, and
`kroniek check` reports what is still missing, such as an event without a source.
"#;

const EN_FIRST: &str = r#"---
title: "Resident portal outage reported"
date: 2024-03-11T08:45        # a time is in the site's time zone
orgs: [council]               # keys from organisations in _index.md
tags: [report]
major: true                   # a key moment: highlighted
sources:
  - id: news-item             # with an id, the text cites the source as [^news-item]
    title: "Resident portal temporarily unavailable"
    publisher: "Example Council"
    url: "https://www.example.org/news/resident-portal-unavailable"
    date: 2024-03-11
---
Residents report that the resident portal cannot be reached. The council confirms the outage in
a news item[^news-item] and calls in the supplier.
"#;

const EN_SECOND: &str = r#"---
title: "Supplier restores the resident portal"
date: 2024-03-12
time: "late afternoon"        # when the exact time is not known
orgs: [supplier, council]
tags: [recovery]
sources:
  # A source the text does not cite gets its footnote after the text. A URL may be missing.
  - title: "Minutes of the incident meeting of 12 March 2024"
    publisher: "Example Council"
    date: 2024-03-12
---
The supplier finds the cause, an expired certificate, replaces it and reopens the resident
portal.
"#;

// ---------------------------------------------------------------------------------------------
// new

/// What `kroniek new` is asked to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or a date-time such as `2024-06-04T14:30`.
    pub date: String,
    /// A clock time (`14:30`), joined to a day's date, or a label such as "einde dag".
    pub time: Option<String>,
    /// Organisation keys from `_index.md`.
    pub orgs: Vec<String>,
    pub draft: bool,
    /// Kept out of public output (`internal: true`).
    pub internal: bool,
    /// When a period ends, in the same forms as `date`.
    pub end: Option<String>,
    pub tags: Vec<String>,
    pub major: bool,
    /// Ids of sources in `content/sources.yaml`.
    pub sources: Vec<String>,
}

/// Longest slug `new` makes from a title: slugs end up in URLs and file names, and a whole
/// sentence of a title makes neither readable.
const MAX_SLUG: usize = 80;

/// Writes `content/<date>-<slug>.md` for a new event and returns its path.
///
/// The file has every field an author may fill in and builds as it is (`kroniek check` warns
/// that it has no sources yet, which is the truth). Everything is checked before anything is
/// written: the date in the site's time zone, the organisation keys, the slug (from the title)
/// against every other event; an existing file is never replaced.
pub fn new_event(site: &Path, request: &NewEvent) -> Result<PathBuf, AuthoringError> {
    let (timeline, taken) = read_site(site)?;
    let title = one_line(&request.title);
    let slug = slug_for(&title)?;
    let when = When::resolve(
        &request.date,
        request.time.as_deref(),
        timeline.site.timezone,
    )?;
    let orgs = known_orgs(&request.orgs, &timeline)?;
    let end = end_date(request.end.as_deref(), &when, timeline.site.timezone)?;
    let sources = known_sources(&request.sources, &timeline)?;

    let name = match &when.file_date {
        Some(date) => format!("{date}-{slug}.md"),
        None => format!("{slug}.md"),
    };
    let path = site.join("content").join(name);
    if path.symlink_metadata().is_ok() {
        return Err(AuthoringError::FileExists { path });
    }
    if let Some(existing) = taken.get(&slug) {
        return Err(AuthoringError::DuplicateSlug {
            slug,
            existing: existing.clone(),
        });
    }
    let fields = Fields {
        title: &title,
        when: &when,
        end: end.as_deref(),
        orgs: &orgs,
        tags: &request.tags,
        sources: &sources,
        request,
    };
    let text = event_text(&fields, timeline.site.language);
    write_new(&path, &text)?;
    Ok(path)
}

/// The site's timeline, and the slug of every event file (by file name, so that files with
/// errors count too) with its path. Errors in `_index.md` stop `new`, since the organisations
/// and the time zone come from there; errors in other events are not `new`'s business.
pub(crate) fn read_site(
    site: &Path,
) -> Result<(Timeline, HashMap<String, PathBuf>), AuthoringError> {
    let (content, mut problems) = crate::load::load(site, &crate::cache::Fresh);
    let mut taken = HashMap::new();
    for doc in &content.events {
        taken
            .entry(file_slug(&doc.file))
            .or_insert_with(|| doc.file.clone());
    }
    let (timeline, found) = model::build(content, &crate::cache::Fresh);
    problems.extend(found);
    let index = Path::new("content/_index.md");
    problems.retain(|p| p.is_error() && (timeline.is_none() || p.file == index));
    match timeline {
        Some(timeline) if problems.is_empty() => Ok((timeline, taken)),
        _ => {
            crate::diagnostics::sort(&mut problems);
            Err(AuthoringError::Site {
                site: site.to_path_buf(),
                problems,
            })
        }
    }
}

/// The slug a file name gives, by the rule of the model: `2024-06-04-slug.md` and
/// `2024-06-slug.md` drop the date, any other name is the slug as it is.
fn file_slug(file: &Path) -> String {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = stem.splitn(4, '-').collect();
    let dated = |n: usize| {
        parts.len() >= 3
            && parts[0].len() == 4
            && parts[1..n].iter().all(|p| p.len() == 2)
            && parts[..n].iter().all(|p| digits(p))
    };
    if parts.len() == 4 && dated(3) {
        parts[3].to_string()
    } else if dated(2) {
        stem[8..].to_string()
    } else {
        stem.to_string()
    }
}

/// A title is one line: line breaks and runs of spaces from a shell become single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn slug_for(title: &str) -> Result<String, AuthoringError> {
    if title.is_empty() {
        return Err(AuthoringError::MissingTitle);
    }
    let slug = shorten(&slugify(title));
    if slug.is_empty() {
        return Err(AuthoringError::EmptySlug {
            title: title.to_string(),
        });
    }
    Ok(slug)
}

/// Cuts a long slug after a whole word, keeping at most [`MAX_SLUG`] characters.
pub(crate) fn shorten(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    // slugify gives ASCII only, so byte indices are character indices.
    let cut = &slug[..=MAX_SLUG];
    match cut.rfind('-') {
        Some(i) if i > 0 => cut[..i].to_string(),
        _ => slug[..MAX_SLUG].trim_end_matches('-').to_string(),
    }
}

/// When the event happened, as it will be written.
#[derive(Debug)]
struct When {
    /// The `date:` value: the date as given, with a clock time from `--time` joined to it.
    date: String,
    /// The date in the file name: the day or month as written, none for a year (a file name
    /// with only a year gives no date).
    file_date: Option<String>,
    /// A `time:` label.
    label: Option<String>,
}

impl When {
    fn resolve(date: &str, time: Option<&str>, tz: Tz) -> Result<When, AuthoringError> {
        let date = date.trim();
        let (parsed, _) =
            EventDate::parse(date, tz).map_err(|source| AuthoringError::InvalidDate {
                date: date.to_string(),
                source,
            })?;
        // Dates that parse are ASCII of the shape YYYY[-MM[-DD[T…]]], so these cuts are safe. A
        // time with an offset is named by its day in the site's zone, the day readers see
        // (`2011-09-02T23:15Z` is 3 September in Amsterdam).
        let file_date = match parsed.precision {
            Precision::Year => None,
            Precision::Month => date.get(..7).map(str::to_string),
            Precision::Day => date.get(..10).map(str::to_string),
            _ => Some(parsed.local.date().format("%Y-%m-%d").to_string()),
        };
        let time = time.map(str::trim).filter(|t| !t.is_empty());
        let (date, label) = match time {
            None => (date.to_string(), None),
            Some(time) => match clock(time) {
                Some(clock) => (at_clock(date, &parsed, time, &clock, tz)?, None),
                None => (date.to_string(), Some(one_line(time))),
            },
        };
        Ok(When {
            date,
            file_date,
            label,
        })
    }
}

/// `14:30`, `9:05` or `14:30:15` as a clock time (`09:05`), or `None` for a label.
fn clock(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(':').collect();
    let digits = |s: &str, lengths: &[usize]| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let is_clock = matches!(parts.len(), 2 | 3)
        && digits(parts[0], &[1, 2])
        && parts[1..].iter().all(|p| digits(p, &[2]));
    is_clock.then(|| format!("{:0>2}:{}", parts[0], parts[1..].join(":")))
}

/// Joins a clock time to a day and checks the result in the site's zone (hour 25 and the
/// spring daylight-saving gap are errors, as they are in a file).
fn at_clock(
    date: &str,
    parsed: &EventDate,
    time: &str,
    clock: &str,
    tz: Tz,
) -> Result<String, AuthoringError> {
    let invalid = |reason: String| AuthoringError::InvalidTime {
        time: time.to_string(),
        reason,
    };
    if parsed.has_time() {
        return Err(invalid(format!(
            "the date `{date}` has a time already; give the time in one place"
        )));
    }
    if parsed.precision != Precision::Day {
        return Err(invalid(format!(
            "a clock time needs a day, and `{date}` is not one: write e.g. `--date {}`, or give a label such as \"end of day\"",
            parsed.day()
        )));
    }
    let joined = format!("{date}T{clock}");
    EventDate::parse(&joined, tz).map_err(|err| invalid(err.to_string()))?;
    Ok(joined)
}

/// `--end`, checked as `build` will: a date in the site's zone, not before the start.
fn end_date(end: Option<&str>, when: &When, tz: Tz) -> Result<Option<String>, AuthoringError> {
    let Some(end) = end.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    let invalid = |reason: String| AuthoringError::InvalidEnd {
        end: end.to_string(),
        reason,
    };
    let (parsed, _) = EventDate::parse(end, tz).map_err(|e| invalid(e.to_string()))?;
    let (start, _) = EventDate::parse(&when.date, tz).map_err(|e| invalid(e.to_string()))?;
    if parsed.start < start.start {
        return Err(invalid(format!("it is before the start, {}", when.date)));
    }
    Ok(Some(end.to_string()))
}

/// The requested source ids, each in the site's register, without repeats.
fn known_sources(requested: &[String], timeline: &Timeline) -> Result<Vec<String>, AuthoringError> {
    let register = &timeline.site.register;
    let mut ids: Vec<String> = Vec::new();
    for id in requested.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if !register.contains_key(id) {
            return Err(AuthoringError::UnknownSource {
                id: id.to_string(),
                suggestion: nearest(id, register.keys().map(String::as_str)).map(str::to_string),
            });
        }
        if !ids.iter().any(|k| k == id) {
            ids.push(id.to_string());
        }
    }
    Ok(ids)
}

/// The requested keys, each known to the site, without repeats.
fn known_orgs(requested: &[String], timeline: &Timeline) -> Result<Vec<String>, AuthoringError> {
    let known: Vec<&str> = timeline
        .site
        .organisations
        .iter()
        .map(|o| o.key.as_str())
        .collect();
    let mut keys: Vec<String> = Vec::new();
    for key in requested.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if !known.contains(&key) {
            return Err(AuthoringError::UnknownOrg {
                key: key.to_string(),
                suggestion: nearest(key, known.iter().copied()).map(str::to_string),
                known: known.iter().map(|k| k.to_string()).collect(),
            });
        }
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    Ok(keys)
}

/// The words of the comments in a new event file, in the site's language.
struct Help {
    end: &'static str,
    sources: [&'static str; 2],
    source_id: &'static str,
    source_title: &'static str,
    publisher: &'static str,
    corrections: &'static str,
    correction_note: &'static str,
    body: &'static str,
}

const HELP_NL: Help = Help {
    end: "als de gebeurtenis een periode is",
    sources: [
        "Bronnen: vervang `sources: []` door een lijst zoals deze. Met een `id` haalt de tekst",
        "de bron aan als [^id]; een bron zonder `id` krijgt haar voetnoot na de tekst.",
    ],
    source_id: "kort-id",
    source_title: "Titel van het document",
    publisher: "Uitgever",
    corrections: "Correcties na publicatie, elk met een datum:",
    correction_note: "Wat er is gecorrigeerd.",
    body: "Onder de afsluitende `---`: wat er gebeurde, in Markdown.",
};

const HELP_EN: Help = Help {
    end: "when the event is a period",
    sources: [
        "Sources: replace `sources: []` with a list like this one. With an `id`, the text",
        "cites the source as [^id]; a source without `id` gets its footnote after the text.",
    ],
    source_id: "short-id",
    source_title: "Title of the document",
    publisher: "Publisher",
    corrections: "Corrections after publication, each with a date:",
    correction_note: "What was corrected.",
    body: "Below the closing `---`: what happened, in Markdown.",
};

/// What goes into a new event file, checked.
struct Fields<'a> {
    title: &'a str,
    when: &'a When,
    end: Option<&'a str>,
    orgs: &'a [String],
    tags: &'a [String],
    sources: &'a [String],
    request: &'a NewEvent,
}

/// The new file: front matter with every field, commented examples for the optional lists,
/// and an empty body (a placeholder sentence would be published if forgotten).
fn event_text(fields: &Fields, language: Language) -> String {
    let Fields {
        title, when, orgs, ..
    } = *fields;
    let help = match language {
        Language::Nl => &HELP_NL,
        Language::En => &HELP_EN,
    };
    // Examples show a date near the event's own, so they can be kept after a small edit.
    let day = when.file_date.as_deref().unwrap_or(&when.date);
    let orgs: Vec<String> = orgs.iter().map(|k| plain_or_quoted(k)).collect();
    let mut out = String::from("---\n");
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("title: {}", quoted(title)));
    line(format!("date: {}", when.date));
    if let Some(label) = &when.label {
        line(format!("time: {}", quoted(label)));
    }
    line(format!("orgs: [{}]", orgs.join(", ")));
    let tags: Vec<String> = fields.tags.iter().map(|t| quoted(t.trim())).collect();
    line(format!("tags: [{}]", tags.join(", ")));
    line(format!("major: {}", fields.request.major));
    match fields.end {
        Some(end) => line(format!("end: {end}")),
        None => line(format!("# end: {day}          # {}", help.end)),
    }
    line(format!("# {}", help.sources[0]));
    line(format!("# {}", help.sources[1]));
    line("# sources:".into());
    line(format!("#   - id: {}", help.source_id));
    line(format!("#     title: \"{}\"", help.source_title));
    line(format!("#     publisher: \"{}\"", help.publisher));
    line("#     url: \"https://example.org/document\"".into());
    line(format!("#     date: {day}"));
    let sources: Vec<String> = fields
        .sources
        .iter()
        .map(|id| plain_or_quoted(id))
        .collect();
    line(format!("sources: [{}]", sources.join(", ")));
    line(format!("draft: {}", fields.request.draft));
    line(format!("internal: {}", fields.request.internal));
    line(format!("# {}", help.corrections));
    line("# corrections:".into());
    line(format!("#   - date: {day}"));
    line(format!("#     note: \"{}\"", help.correction_note));
    line(format!("# {}", help.body));
    line("---".into());
    out
}

/// A YAML double-quoted string: the one YAML form in which every character can be written
/// (with escapes), so a title with `:`, `#`, quotes or backslashes reads back exactly.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if yaml_printable(c) => out.push(c),
            c if u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", u32::from(c));
            }
            c if u32::from(c) <= 0xffff => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08X}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// The characters YAML lets a file contain as they are (YAML 1.1, 5.1), minus the byte-order
/// mark, which some readers drop.
fn yaml_printable(c: char) -> bool {
    matches!(c,
        '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..)
        && c != '\u{FEFF}'
}

/// An organisation key as written in a flow list: plain when YAML reads it back as that text,
/// quoted when it would read as something else (`null`, `yes`, `2024`…).
pub(crate) fn plain_or_quoted(key: &str) -> String {
    const SPECIAL: &[&str] = &[
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let plain = key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && !SPECIAL.contains(&key);
    if plain {
        key.to_string()
    } else {
        quoted(key)
    }
}

/// Creates `path` and writes `text`, failing if anything is already there: kroniek never
/// replaces an author's file, not even in a race with another process.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), AuthoringError> {
    let io_error = |source| AuthoringError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|err| match err.kind() {
            io::ErrorKind::AlreadyExists => AuthoringError::FileExists {
                path: path.to_path_buf(),
            },
            _ => io_error(err),
        })?;
    file.write_all(text.as_bytes()).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_slugs_follow_the_model() {
        assert_eq!(
            file_slug(Path::new("content/2024-06-04-overleg.md")),
            "overleg"
        );
        assert_eq!(file_slug(Path::new("content/2024-06-crisis.md")), "crisis");
        assert_eq!(file_slug(Path::new("content/sub/overleg.md")), "overleg");
        assert_eq!(file_slug(Path::new("content/2024-06-04-2fa.md")), "2fa");
        assert_eq!(file_slug(Path::new("content/2024-slug.md")), "2024-slug");
    }

    #[test]
    fn clock_times_and_labels() {
        assert_eq!(clock("14:30").as_deref(), Some("14:30"));
        assert_eq!(clock("9:05").as_deref(), Some("09:05"));
        assert_eq!(clock("14:30:15").as_deref(), Some("14:30:15"));
        assert_eq!(clock("einde dag"), None);
        assert_eq!(clock("14.30"), None);
        assert_eq!(clock("14:3"), None);
    }

    #[test]
    fn strings_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(quoted("x\u{1}y"), r#""x\x01y""#);
        assert_eq!(quoted("geïnformeerd — #1"), "\"geïnformeerd — #1\"");
        assert_eq!(plain_or_quoted("ncsc"), "ncsc");
        assert_eq!(plain_or_quoted("yes"), "\"yes\"");
        assert_eq!(plain_or_quoted("2024"), "\"2024\"");
    }

    #[test]
    fn long_slugs_are_cut_after_a_word() {
        let long = "woord-".repeat(30);
        let slug = shorten(long.trim_end_matches('-'));
        assert!(slug.len() <= MAX_SLUG);
        assert!(slug.ends_with("woord"));
    }
}
