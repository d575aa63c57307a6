//! `kroniek export`: the chronology as one file, for wikis and other tools.
//!
//! The exports are siblings of the HTML site over the same pipeline (`pipeline::run` with
//! [`Format`] in place of the site's pages): the same audience's [`View`], the same prepared
//! Markdown trees (`markdown::prepare`), written out per format from comrak's tree, never by
//! rewriting HTML. This module never loads content or decides visibility itself. Formats:
//! `markdown` (GFM), `mediawiki` (wikitext with `<ref>`s), `html` (one self-contained file),
//! `json` (the document `timeline.json` holds), `timelinejs` (TimelineJS3's JSON) and `csv`
//! (one row per event, which `kroniek import` reads back).

mod csv;
mod html;
mod markdown;
mod mediawiki;
mod timelinejs;

pub use self::csv::COLUMNS as CSV_COLUMNS;

use crate::audience::{Audience, View};
use crate::diagnostics::Problem;
use crate::model::{Event, EventDate, Language, Source};
use crate::render::Bodies;
use std::path::{Path, PathBuf};

/// The formats `kroniek export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Markdown,
    Mediawiki,
    Html,
    Json,
    Timelinejs,
    Csv,
}

/// What to export, for whom, and where to.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub site: PathBuf,
    pub format: Format,
    pub audience: Audience,
    /// Overrides the site's `base_url` (used to make links absolute).
    pub base_url: Option<String>,
}

/// The chronology in `format`, as bytes, for the view's reader: the last stage of the pipeline
/// for `kroniek export`, in the place where a build renders pages. Content errors (found while
/// preparing a format's own trees) fail the export as they fail a build.
pub fn document(
    format: Format,
    view: &View,
    bodies: &Bodies,
    base_url: Option<&str>,
    site: &Path,
) -> Result<Vec<u8>, Vec<Problem>> {
    let events: Vec<&Event> = view.events().iter().collect();
    let export = Export {
        view,
        events: &events,
        base_url,
        site,
    };
    match format {
        Format::Markdown => markdown::document(&export).map(String::into_bytes),
        Format::Mediawiki => mediawiki::document(&export).map(String::into_bytes),
        Format::Html => html::document(&export).map(String::into_bytes),
        Format::Json => Ok(crate::render::timeline_json(view, bodies, base_url)),
        Format::Timelinejs => timelinejs::document(&export).map(String::into_bytes),
        Format::Csv => self::csv::document(&export).map(String::into_bytes),
    }
}

/// The chronology in `format` as files (name, bytes): for MediaWiki, pages of at most
/// `max_bytes` each (`mediawiki::split`: one page when it fits, else an index page and one
/// page per period, each file named `<page title>.wiki`); for the other formats, one file.
pub fn pages(
    format: Format,
    view: &View,
    bodies: &Bodies,
    base_url: Option<&str>,
    site: &Path,
    max_bytes: usize,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Problem>> {
    if format != Format::Mediawiki {
        let bytes = document(format, view, bodies, base_url, site)?;
        return Ok(vec![(file_name(format).to_string(), bytes)]);
    }
    let events: Vec<&Event> = view.events().iter().collect();
    let export = Export {
        view,
        events: &events,
        base_url,
        site,
    };
    Ok(mediawiki::split(&export, max_bytes)?
        .into_iter()
        .map(|(title, text)| (format!("{title}.wiki"), text.into_bytes()))
        .collect())
}

/// What `--max-bytes` is by default: below MediaWiki's page limit of 2,048 KiB
/// (`$wgMaxArticleSize`), with room for an editor's additions.
pub const MAX_BYTES: usize = 1_900_000;

/// The file name an export is known by inside a run (it is written where `-o` says).
pub fn file_name(format: Format) -> &'static str {
    match format {
        Format::Markdown => "export.md",
        Format::Mediawiki => "export.wiki",
        Format::Html => "export.html",
        Format::Json => "export.json",
        Format::Timelinejs => "export.timelinejs.json",
        Format::Csv => "export.csv",
    }
}

/// What every format gets: the reader's view, and where the file will be read.
pub struct Export<'a> {
    pub view: &'a View,
    /// The events the reader sees, in timeline order (the view's, as references).
    pub events: &'a [&'a Event],
    pub base_url: Option<&'a str>,
    pub site: &'a Path,
}

impl Export<'_> {
    fn language(&self) -> Language {
        self.view.timeline.site.language
    }

    /// The file's title line: the site's title, for internal readers marked "INTERN: ".
    fn title(&self) -> String {
        crate::i18n::output_title(
            &self.view.timeline.site.title,
            self.view.audience.sees_internal_notes(),
            self.language(),
        )
    }

    /// The events grouped under their day (or month, or year) headings.
    fn days(&self) -> Vec<(EventDate, Vec<&Event>)> {
        let all: Vec<usize> = (0..self.events.len()).collect();
        crate::render::days::group_indices(self.events, &all)
            .into_iter()
            .map(|(date, members)| (date, members.into_iter().map(|i| self.events[i]).collect()))
            .collect()
    }

    /// The date as the site writes it, with the time or time label, and the end of a period:
    /// "dinsdag 4 juni 2024, 14:30".
    fn when(&self, event: &Event) -> String {
        let language = self.language();
        let mut when = event.date.date_text(language);
        if let Some(time) = event.time_label.clone().or_else(|| event.date.time_text()) {
            when.push_str(", ");
            when.push_str(&time);
        }
        if let Some(end) = &event.end {
            when.push_str(" – ");
            when.push_str(&end.date_text(language));
        }
        when
    }

    /// "14:30 · Nationaal Cyber Security Centrum, Ministerie van BZK", as plain text: the time
    /// (or time label, or period) and the organisations under an event's heading.
    fn meta_line(&self, event: &Event) -> String {
        let mut parts = vec![self.when(event)];
        let orgs: Vec<&str> = event
            .orgs
            .iter()
            .filter_map(|k| self.view.timeline.organisation(k))
            .map(|o| o.name.as_str())
            .collect();
        if !orgs.is_empty() {
            parts.push(orgs.join(", "));
        }
        parts.join(" · ")
    }

    /// The dated lines under an event, as plain text with an optional note: each correction
    /// ("Corrected on 10 June 2024"), or, without corrections, the `updated` date alone
    /// ("Updated on 15 June 2024"), as the site shows them.
    fn correction_lines<'e>(&self, event: &'e Event) -> Vec<(String, Option<&'e str>)> {
        let language = self.language();
        let t = crate::i18n::strings(language);
        let mut lines: Vec<(String, Option<&str>)> = event
            .corrections
            .iter()
            .map(|c| {
                let date = c.date.short_date_text(language);
                (format!("{} {date}", t.corrected_on), c.note.as_deref())
            })
            .collect();
        if let (true, Some(updated)) = (lines.is_empty(), &event.updated) {
            let date = updated.short_date_text(language);
            lines.push((format!("{} {date}", t.updated_on), None));
        }
        lines
    }

    /// Labels shown next to an event's title: draft, internal.
    fn flags(&self, event: &Event) -> Vec<&'static str> {
        let t = crate::i18n::strings(self.language());
        let mut flags = Vec::new();
        if event.draft {
            flags.push(t.draft);
        }
        if event.internal {
            flags.push(t.internal);
        }
        flags
    }

    /// Input for preparing an event's body in an export: headings below the event's own,
    /// content-relative links made absolute when the site's URL is known.
    fn input<'b>(&'b self, event: &'b Event, heading_offset: u8) -> crate::markdown::Input<'b> {
        crate::markdown::Input {
            doc: &event.doc,
            id_prefix: &event.slug,
            sources: &event.sources,
            internal_notes: self.view.internal_notes(),
            internal_label: crate::i18n::strings(self.language()).internal,
            hidden_events: self.view.hidden_slugs(),
            heading_offset,
            link_root: self.base_url.unwrap_or(""),
        }
    }

    fn intro_input(&self, heading_offset: u8) -> crate::markdown::Input<'_> {
        crate::markdown::Input {
            doc: &self.view.timeline.site.intro,
            id_prefix: "_intro",
            sources: &[],
            internal_notes: self.view.internal_notes(),
            internal_label: crate::i18n::strings(self.language()).internal,
            hidden_events: self.view.hidden_slugs(),
            heading_offset,
            link_root: self.base_url.unwrap_or(""),
        }
    }
}

/// A source as plain parts, for formats that write citations themselves.
struct Citation<'a> {
    title: &'a str,
    url: Option<&'a str>,
    /// ", Publisher, 4 juni 2024" (plain text, may be empty).
    details: String,
    archive_url: Option<&'a str>,
}

impl<'a> Citation<'a> {
    fn of(source: &'a Source, language: Language) -> Citation<'a> {
        let mut details = String::new();
        if let Some(language) = &source.language {
            details.push_str(&format!(" ({language})"));
        }
        if let Some(author) = &source.author {
            details.push_str(", ");
            details.push_str(author);
        }
        // A source without a title is named by its publisher, which is then not repeated.
        if let Some(publisher) = source
            .publisher
            .as_ref()
            .filter(|_| !source.title.is_empty())
        {
            details.push_str(", ");
            details.push_str(publisher);
        }
        if let Some(date) = &source.date {
            details.push_str(", ");
            details.push_str(&date.short_date_text(language));
        }
        if let Some(accessed) = &source.access_date {
            let t = crate::i18n::strings(language);
            details.push_str(&format!(
                ", {} {}",
                t.accessed,
                accessed.short_date_text(language)
            ));
        }
        if let Some(quote) = &source.quote {
            details.push_str(&format!(": “{quote}”"));
        }
        let title = if source.title.is_empty() {
            source
                .publisher
                .as_deref()
                .or(source.url.as_deref())
                .unwrap_or("")
        } else {
            &source.title
        };
        Citation {
            title,
            url: source.url.as_deref(),
            details,
            archive_url: source.archive_url.as_deref(),
        }
    }
}
