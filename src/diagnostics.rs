//! Problems found in a site, and how people and machines see them.
//!
//! Every stage reports what is wrong with the content as a [`Problem`] that points at a file,
//! a line and a column. Stages never print; `main` hands the collected problems to
//! [`render_text`] or [`render_json`]. Nothing here may panic on odd input: a problem about a
//! file we could not read still has to be shown.
//!
//! Nothing an author wrote may reach a terminal as it is: control characters (escape sequences
//! that recolour or rewrite the terminal), direction controls and zero-width characters are
//! printed as `\u{1b}`, in every field. Nor may a problem quote more than [`QUOTE_CHARS`]
//! characters of its line, or [`FIELD_CHARS`] of its message, hint or label: a file of one
//! huge line gives short messages, in text and in JSON.

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
    let _ = writeln!(out, "{level}: {}", visible(&bounded(&problem.message)));
    let gutter = " ".repeat(problem.line.max(1).to_string().len());
    let _ = writeln!(out, "{gutter}--> {}", visible(&problem.location()));
    if let Some(source) = problem.source_line.as_deref() {
        let quote = Quote::of(source, problem.column, problem.span);
        let _ = writeln!(out, "{gutter} |");
        let _ = writeln!(out, "{} | {}", problem.line, quote.text);
        if problem.column > 0 {
            let carets = "^".repeat(quote.carets);
            let label = problem
                .label
                .as_deref()
                .map(|l| format!(" {}", visible(&bounded(l))))
                .unwrap_or_default();
            let _ = writeln!(out, "{gutter} | {}{carets}{label}", quote.pad);
        }
    }
    if let Some(hint) = &problem.hint {
        let _ = writeln!(out, "{gutter} = help: {}", visible(&bounded(hint)));
    }
    out
}

/// At most this many characters of a line are quoted, around the problem's column.
pub const QUOTE_CHARS: usize = 200;
/// At most this many characters of a message, hint or label are shown.
pub const FIELD_CHARS: usize = 500;

/// `text` cut to [`FIELD_CHARS`] characters, with `…` where it was cut.
fn bounded(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(FIELD_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// Whether `c` must not reach a terminal as it is: control characters (C0, DEL, C1: escape
/// sequences start with them), direction controls (which reverse what follows) and
/// zero-width characters (which hide between letters).
pub fn is_unprintable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// How `c` is shown: itself, or `\u{1b}` when it is [`is_unprintable`]. A tab stays a tab.
fn shown(c: char) -> std::borrow::Cow<'static, str> {
    if c == '\t' || !is_unprintable(c) {
        String::from(c).into()
    } else {
        format!("\\u{{{:x}}}", c as u32).into()
    }
}

/// `text` with every [`is_unprintable`] character (tabs and line breaks too) escaped.
pub fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => "\\u{9}".into(),
            c => shown(c),
        })
        .collect()
}

/// The part of a source line a problem quotes, and what goes under it.
struct Quote {
    /// At most [`QUOTE_CHARS`] characters around the column, escaped, with `…` where cut.
    text: String,
    /// White space up to the column, as wide as what [`Quote::text`] shows before it.
    pad: String,
    /// How many `^`: the span, but never past the end of the quote.
    carets: usize,
}

impl Quote {
    fn of(line: &str, column: usize, span: usize) -> Quote {
        let at = column.saturating_sub(1);
        let length = line.chars().count();
        // A window of QUOTE_CHARS characters, the column a third of the way in.
        let start = if length <= QUOTE_CHARS {
            0
        } else {
            at.saturating_sub(QUOTE_CHARS / 3).min(length - QUOTE_CHARS)
        };
        let end = (start + QUOTE_CHARS).min(length);
        let mut text = String::new();
        let mut pad = String::new();
        if start > 0 {
            text.push('…');
            pad.push(' ');
        }
        let mut carets = 0;
        for (i, c) in line.chars().enumerate().skip(start).take(end - start) {
            let piece = shown(c);
            if i < at {
                // Columns count characters, so the caret lines up under non-ASCII text too.
                if c == '\t' {
                    pad.push('\t');
                } else {
                    pad.extend(std::iter::repeat_n(' ', piece.chars().count()));
                }
            } else if i < at + span.max(1) {
                carets += piece.chars().count();
            }
            text.push_str(&piece);
        }
        if end < length {
            text.push('…');
        }
        Quote {
            text,
            pad,
            // At the end of the line (a missing closing quote), one caret after it.
            carets: carets.max(1),
        }
    }
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
        message: &bounded(&problem.message),
        hint: problem.hint.as_deref().map(bounded).as_deref(),
    })
    .map(|json| escape_json(&json))
    .unwrap_or_default()
}

/// serde_json escapes C0 controls but writes DEL, C1 controls (U+009B starts an escape
/// sequence in some terminals), direction controls and zero-width characters as they are.
/// They can only be inside strings, where `\uXXXX` means the same character: a reader of the
/// JSON gets the text unchanged, a terminal that shows it gets no control.
fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_unprintable(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
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
    fn every_field_shows_controls_escaped_and_the_caret_stays_under_its_character() {
        let text = "x\u{1b}[2J \u{202e}bad\u{7f}\n";
        let p = Problem::error_at(
            Path::new("content/\u{1b}]0;evil\u{7}.md"),
            text,
            1,
            4,
            4,
            "code",
            "message \u{9b}31m\nerror: forged",
        )
        .with_label("label \u{200b}")
        .with_hint("hint \u{1b}c");
        assert_eq!(
            render_text(&p),
            "error: message \\u{9b}31m\\u{a}error: forged\n --> content/\\u{1b}]0;evil\\u{7}.md:1:4\n  |\n1 | x\\u{1b}[2J \\u{202e}bad\\u{7f}\n  |         ^^^^^^^^^^^ label \\u{200b}\n  = help: hint \\u{1b}c\n"
        );
    }

    #[test]
    fn a_long_line_is_quoted_around_its_column_only() {
        let text = format!("{}é^{}", "a".repeat(1_000), "b".repeat(1_000));
        let p = Problem::error_at(
            Path::new("a.md"),
            &text,
            1,
            1_002,
            1,
            "code",
            "m".repeat(900),
        );
        let shown = render_text(&p);
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines[0], format!("error: {}…", "m".repeat(FIELD_CHARS)));
        assert_eq!(
            lines[3],
            format!("1 | …{}é^{}…", "a".repeat(65), "b".repeat(133))
        );
        assert_eq!(lines[4], format!("  | {}^", " ".repeat(67)));
        // At the start and at the end of a long line: one `…` only.
        let start = render_text(&Problem::error_at(
            Path::new("a.md"),
            &text,
            1,
            1,
            1,
            "c",
            "m",
        ));
        assert!(
            start.contains(&format!("1 | {}…\n  | ^\n", "a".repeat(200))),
            "{start}"
        );
        // Column 2,003 is just past the end (a missing closing quote).
        let end = render_text(&Problem::error_at(
            Path::new("a.md"),
            &text,
            1,
            2_003,
            1,
            "c",
            "m",
        ));
        assert!(
            end.contains(&format!("1 | …{}\n", "b".repeat(200))),
            "{end}"
        );
        assert!(
            end.ends_with(&format!("  | {}^\n", " ".repeat(201))),
            "{end}"
        );
        let json = render_json(&p);
        assert!(json.len() < 2 * FIELD_CHARS, "{json}");
    }

    #[test]
    fn json_escapes_what_serde_leaves_and_reads_back_the_same() {
        let message = "a\u{1b}b\u{7f}c\u{9b}d\u{202e}e\u{200b}f\u{2066}g é";
        let p = Problem::file_error(Path::new("x\u{85}.md"), "code", message).with_hint("\u{61c}");
        let json = render_json(&p);
        assert!(!json.chars().any(is_unprintable), "{json}");
        assert_eq!(
            json,
            r#"{"file":"x\u0085.md","line":null,"column":null,"severity":"error","code":"code","message":"a\u001bb\u007fc\u009bd\u202ee\u200bf\u2066g é","hint":"\u061c"}"#
        );
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["message"], message);
        assert_eq!(v["file"], "x\u{85}.md");
    }

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(nearest("nsc", ["ncsc", "bzk"]), Some("ncsc"));
        assert_eq!(nearest("sorces", ["sources", "title"]), Some("sources"));
        assert_eq!(nearest("tgas", ["tags", "title"]), Some("tags"));
        assert_eq!(nearest("zzzz", ["ncsc", "bzk"]), None);
    }
}
