//! `kroniek import FILE --into SITE`: event files from a spreadsheet or a TimelineJS timeline.
//!
//! Reads three kinds of file into the same [`Row`]s: kroniek's own CSV export (`csv`, by its
//! header), TimelineJS's Google-Sheets template saved as CSV (`csv`), and TimelineJS3 JSON
//! (`timelinejs`). Every row is then checked against the site as `build` would check it (dates
//! in the site's zone, organisation keys, source URLs, slugs free), and only when every row is
//! good are the files written, each created new: import never replaces a file, and a file
//! with a bad row writes nothing at all.
//!
//! Nothing here prints or exits; the command line shows the [`Problem`]s, which name the row
//! (its line in the file) and the column.

mod csv;
mod event_file;
mod timelinejs;

use crate::authoring::{self, AuthoringError};
use crate::diagnostics::{nearest, Problem};
use crate::model::{is_web_url, slugify, EventDate, Timeline};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One event as read from a file, before it is checked: text as found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// Where the row is: its 1-based line in the file (`None` for JSON, where `place` says).
    pub line: Option<usize>,
    /// How to name the row in messages: `row 4` or `events[3]`.
    pub place: String,
    pub slug: Option<String>,
    pub date: Field,
    pub end: Option<Field>,
    pub time: Option<String>,
    pub title: String,
    /// Organisation keys, or (from TimelineJS) a group name to match to one.
    pub orgs: Vec<Field>,
    pub tags: Vec<String>,
    pub major: bool,
    pub draft: bool,
    pub internal: bool,
    pub sources: Vec<RowSource>,
    pub corrections: Vec<(Field, String)>,
    pub updated: Option<Field>,
    pub body: String,
}

/// A value with the column it came from (1-based), for messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub column: usize,
    /// The column's name (`date`, `Year`).
    pub name: &'static str,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowSource {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub archive_url: Option<String>,
    pub id: Option<String>,
    /// The column the source came from.
    pub column: usize,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub files: Vec<PathBuf>,
    /// Things left out on purpose (a TimelineJS title slide, eras), as warnings.
    pub notes: Vec<Problem>,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read `{}`: {source}", .path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is neither CSV (`.csv`) nor TimelineJS JSON (`.json`)", .path.display())]
    UnknownFormat { path: PathBuf },
    #[error(transparent)]
    Site(#[from] AuthoringError),
    /// Rows that cannot become events (and warnings found on the way); nothing was written.
    #[error("nothing imported: {} row(s) with errors", .problems.iter().filter(|p| p.is_error()).map(|p| (p.line, &p.message)).collect::<std::collections::HashSet<_>>().len())]
    Rows { problems: Vec<Problem> },
    #[error("no events in `{}`", .path.display())]
    Empty { path: PathBuf },
}

/// Reads `file` and writes one event file per row into `site`'s `content/`.
pub fn import(file: &Path, site: &Path) -> Result<Imported, ImportError> {
    let bytes = std::fs::read(file).map_err(|source| ImportError::Unreadable {
        path: file.to_path_buf(),
        source,
    })?;
    let shown = file.file_name().map(PathBuf::from).unwrap_or_default();
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let (timeline, taken) = authoring::read_site(site)?;
    let mut problems = Vec::new();
    let rows = match extension.as_deref() {
        Some("csv") => csv::rows(&shown, &bytes, &mut problems),
        Some("json") => timelinejs::rows(&shown, &bytes, &mut problems),
        _ => {
            return Err(ImportError::UnknownFormat {
                path: file.to_path_buf(),
            })
        }
    };
    if rows.is_empty() && problems.iter().all(|p| !p.is_error()) {
        return Err(ImportError::Empty {
            path: file.to_path_buf(),
        });
    }
    let mut planned = Vec::new();
    let mut slugs: HashMap<String, String> = taken
        .into_iter()
        .map(|(slug, path)| (slug, path.display().to_string()))
        .collect();
    for row in &rows {
        if let Some(file) = plan(&shown, row, &timeline, &mut slugs, &mut problems) {
            planned.push((row, file));
        }
    }
    let content = site.join("content");
    for (row, name) in &planned {
        if content.join(name).symlink_metadata().is_ok() {
            problems.push(row_error(
                &shown,
                row,
                None,
                "file-exists",
                format!("content/{name} already exists; import never replaces a file"),
            ));
        }
    }
    if problems.iter().any(Problem::is_error) {
        crate::diagnostics::sort(&mut problems);
        return Err(ImportError::Rows { problems });
    }
    let mut files = Vec::new();
    for (row, name) in planned {
        let path = content.join(&name);
        authoring::write_new(&path, &event_file::text(row, &timeline))?;
        files.push(path);
    }
    Ok(Imported {
        files,
        notes: problems,
    })
}

/// Checks a row against the site; the file name it gets, or `None` with its problems pushed.
fn plan(
    file: &Path,
    row: &Row,
    timeline: &Timeline,
    slugs: &mut HashMap<String, String>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let before = problems.iter().filter(|p| p.is_error()).count();
    let zone = timeline.site.timezone;
    let mut date_of = |field: &Field| match EventDate::parse(field.text.trim(), zone) {
        Ok((date, _)) => Some(date),
        Err(err) => {
            problems.push(row_error(
                file,
                row,
                Some(field),
                "invalid-date",
                err.to_string(),
            ));
            None
        }
    };
    let start = date_of(&row.date);
    let end = row.end.as_ref().and_then(&mut date_of);
    for (date, _) in &row.corrections {
        date_of(date);
    }
    if let Some(updated) = &row.updated {
        date_of(updated);
    }
    if let (Some(start), Some(end)) = (&start, &end) {
        if end.start < start.start {
            let field = row.end.as_ref();
            problems.push(row_error(
                file,
                row,
                field,
                "end-before-start",
                "the event ends before it starts",
            ));
        }
    }
    if row.title.trim().is_empty() {
        problems.push(row_error(
            file,
            row,
            None,
            "missing-title",
            "the row has no title",
        ));
    }
    for org in &row.orgs {
        check_org(file, row, org, timeline, problems);
    }
    for source in &row.sources {
        for url in [&source.url, &source.archive_url].into_iter().flatten() {
            if !is_web_url(url) {
                let field = Field {
                    text: url.clone(),
                    column: source.column,
                    name: "sources",
                };
                problems.push(row_error(
                    file,
                    row,
                    Some(&field),
                    "invalid-url",
                    format!("`{url}` is not an http(s) URL"),
                ));
            }
        }
    }
    if let Some(given) = row.slug.as_ref().filter(|s| !crate::model::is_slug(s)) {
        problems.push(
            row_error(
                file,
                row,
                None,
                "invalid-slug",
                format!("the slug `{given}` cannot be used in a URL"),
            )
            .with_hint(format!(
                "use lowercase letters, digits and `-`, e.g. `{}`",
                slugify(given)
            )),
        );
    }
    let slug = row
        .slug
        .clone()
        .unwrap_or_else(|| authoring::shorten(&slugify(&row.title)));
    if slug.is_empty() && !row.title.trim().is_empty() {
        problems.push(row_error(
            file,
            row,
            None,
            "invalid-slug",
            "the title gives no file name: it needs a letter or digit",
        ));
    }
    if let Some(existing) = slugs.get(&slug) {
        problems.push(row_error(
            file,
            row,
            None,
            "duplicate-slug",
            format!("the slug `{slug}` is taken by {existing}"),
        ));
    }
    slugs.insert(slug.clone(), row.place.clone());
    let start = start?;
    if problems.iter().filter(|p| p.is_error()).count() > before {
        return None;
    }
    let written = row.date.text.trim();
    let prefix = match start.precision {
        crate::model::Precision::Year => None,
        crate::model::Precision::Month => written.get(..7),
        _ => written.get(..10),
    };
    Some(match prefix {
        Some(date) => format!("{date}-{slug}.md"),
        None => format!("{slug}.md"),
    })
}

/// An organisation must be one of the site's: by key, or (a TimelineJS group) by its short
/// name or name, in any case.
fn check_org(
    file: &Path,
    row: &Row,
    org: &Field,
    timeline: &Timeline,
    problems: &mut Vec<Problem>,
) {
    if org_key(&org.text, timeline).is_some() {
        return;
    }
    let keys: Vec<&str> = timeline
        .site
        .organisations
        .iter()
        .map(|o| o.key.as_str())
        .collect();
    let hint = match nearest(&org.text, keys.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "add it to `organisations` in content/_index.md, e.g. `{}: {{ name: {} }}`",
            slugify(&org.text),
            authoring::quoted(&org.text)
        ),
    };
    problems.push(
        row_error(
            file,
            row,
            Some(org),
            "unknown-org",
            format!("unknown organisation `{}`", org.text),
        )
        .with_hint(hint),
    );
}

/// The key of the organisation `text` names.
pub fn org_key<'a>(text: &str, timeline: &'a Timeline) -> Option<&'a str> {
    let text = text.trim();
    timeline
        .site
        .organisations
        .iter()
        .find(|o| {
            o.key == text || o.short.eq_ignore_ascii_case(text) || o.name.eq_ignore_ascii_case(text)
        })
        .map(|o| o.key.as_str())
}

/// A problem with a row: at its line and the field's column, naming both.
fn row_error(
    file: &Path,
    row: &Row,
    field: Option<&Field>,
    code: &'static str,
    message: impl Into<String>,
) -> Problem {
    let mut message = message.into();
    if let Some(field) = field {
        message = format!("{message} (column {} `{}`)", field.column, field.name);
    }
    let mut problem = Problem::file_error(file, code, format!("{}: {message}", row.place));
    if let Some(line) = row.line {
        problem.line = line;
        problem.column = field.map_or(1, |f| f.column);
    }
    problem
}
