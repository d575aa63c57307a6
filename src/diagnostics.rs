//! Problems found in a site, and how people and machines see them.
//!
//! Every stage reports what is wrong with the content as a [`Problem`] that points at a file,
//! a line and a column. Stages never print; `main` hands the collected problems to
//! [`render_text`] or [`render_json`]. Nothing here may panic on odd input: a problem about a
//! file we could not read still has to be shown.

use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a problem is. Errors stop a build; warnings only show in `check` (or fail it with
/// `--strict`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong with the content, located as precisely as we can.
///
/// `line` and `column` are 1-based; 0 means "the file as a whole" (an unreadable file, a
/// missing `_index.md`). `file` is relative to the site folder, so messages read the same on
/// every machine and in CI logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    /// A stable, kebab-case name for the kind of problem (`unknown-org`), for editors and CI.
    pub code: &'static str,
    pub message: String,
    /// What to do about it, when we know ("did you mean `ncsc`?").
    pub hint: Option<String>,
    /// A short label under the underlined text ("not in _index.md organisations").
    #[serde(skip)]
    pub label: Option<String>,
    /// The source line the problem is on, copied when the problem is made so that printing
    /// never needs the file again.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters to underline from `column`.
    #[serde(skip)]
    pub span: usize,
}

impl Problem {
    /// An error about a whole file, without a position inside it.
    pub fn file_error(file: &Path, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_path_buf(),
            line: 0,
            column: 0,
            severity: Severity::Error,
            code,
            message: message.into(),
            hint: None,
            label: None,
            source_line: None,
            span: 0,
        }
    }

    /// An error at `line:column` of `file`, whose full text is `text` (used to quote the line).
    pub fn error_at(
        file: &Path,
        text: &str,
        line: usize,
        column: usize,
        span: usize,
        code: &'static str,
        message: impl Into<String>,
    ) -> Problem {
        let source_line = text
            .split('\n')
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        Problem {
            line,
            column,
            span,
            source_line: if line == 0 { None } else { source_line },
            ..Problem::file_error(file, code, message)
        }
    }

    pub fn warning(mut self) -> Problem {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Problem {
        self.label = Some(label.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, or less when the position is unknown.
    pub fn location(&self) -> String {
        let file = display_path(&self.file);
        match (self.line, self.column) {
            (0, _) => file,
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

/// Paths are shown with `/` on every platform so that messages are the same everywhere.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Sorts problems by file and position, so that output is stable whatever order stages ran in.
pub fn sort(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// The human form, modelled on rustc:
///
/// ```text
/// error: unknown organisation `nsc`
///  --> content/2024-06-04-x.md:5:8
///   |
/// 5 | orgs: [nsc]
///   |        ^^^ not in _index.md organisations
///   = help: did you mean `ncsc`?
/// ```
pub fn render_text(problem: &Problem) -> String {
    let mut out = String::new();
    let level = match problem.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{level}: {}", problem.message);
    let gutter = " ".repeat(problem.line.max(1).to_string().len());
    let _ = writeln!(out, "{gutter}--> {}", problem.location());
    if let Some(source) = problem.source_line.as_deref() {
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{} | {}", problem.line, source);
        if problem.column > 0 {
            // Columns count characters, so the caret lines up under non-ASCII text too.
            let pad: String = source
                .chars()
                .take(problem.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = "^".repeat(problem.span.max(1));
            let label = problem
                .label
                .as_deref()
                .map(|l| format!(" {l}"))
                .unwrap_or_default();
            let _ = writeln!(out, "{gutter} | {pad}{carets}{label}");
        }
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(out, "{gutter} = help: {hint}");
    }
    out
}

/// The machine form: one JSON object per line (JSON Lines), with the fields editors need.
pub fn render_json(problem: &Problem) -> String {
    #[derive(Serialize)]
    struct Json<'a> {
        file: String,
        /// `null` for a problem of a whole file or folder (a missing `_index.md`): an editor
        /// would otherwise jump to a line 0 that does not exist.
        line: Option<usize>,
        column: Option<usize>,
        severity: Severity,
        code: &'a str,
        message: &'a str,
        hint: Option<&'a str>,
    }
    serde_json::to_string(&Json {
        file: display_path(&problem.file),
        line: (problem.line > 0).then_some(problem.line),
        column: (problem.line > 0 && problem.column > 0).then_some(problem.column),
        severity: problem.severity,
        code: problem.code,
        message: &problem.message,
        hint: problem.hint.as_deref(),
    })
    .unwrap_or_default()
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely
/// typo. Used for "did you mean" hints on organisation keys and field names.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance over characters where swapping two neighbours counts as one edit (optimal
/// string alignment), so `tgas` is one step from `tags`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let text = "---\ntitle: x\norgs: [nsc]\n";
        let p = Problem::error_at(
            Path::new("content/a.md"),
            text,
            3,
            8,
            3,
            "unknown-org",
            "unknown organisation `nsc`",
        )
        .with_label("not in _index.md organisations")
        .with_hint("did you mean `ncsc`?");
        assert_eq!(
            render_text(&p),
            "error: unknown organisation `nsc`\n --> content/a.md:3:8\n  |\n3 | orgs: [nsc]\n  |        ^^^ not in _index.md organisations\n  = help: did you mean `ncsc`?\n"
        );
    }

    #[test]
    fn json_has_every_field() {
        let p = Problem::file_error(Path::new("content/_index.md"), "missing-index", "no index")
            .warning();
        let v: serde_json::Value = serde_json::from_str(&render_json(&p)).unwrap();
        assert_eq!(v["file"], "content/_index.md");
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["code"], "missing-index");
        assert!(v["line"].is_null() && v["column"].is_null(), "{v}");
        assert!(v["hint"].is_null());
    }

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(nearest("nsc", ["ncsc", "bzk"]), Some("ncsc"));
        assert_eq!(nearest("sorces", ["sources", "title"]), Some("sources"));
        assert_eq!(nearest("tgas", ["tags", "title"]), Some("tags"));
        assert_eq!(nearest("zzzz", ["ncsc", "bzk"]), None);
    }
}
