//! Front matter: the YAML block between `---` lines at the top of a Markdown file.
//!
//! This is the only module that knows YAML (so the archived `serde_yaml` can be swapped for an
//! API-identical fork in one line). It splits a file into front matter and body, deserialises
//! the front matter with positions translated from the YAML block to the whole file, and finds
//! where a key or value sits so that later checks (unknown organisation, bad date) can point at
//! the exact column.

use crate::diagnostics::Problem;
use budget::{Refusal, MAX_DEPTH};
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::{Path, PathBuf};

mod budget;

/// A Markdown file split into its parts. The text is kept whole so that problems can quote
/// any line of it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Relative to the site folder (`content/2024-06-04-x.md`).
    pub file: PathBuf,
    pub text: String,
    /// Byte range of the YAML text (without the `---` lines); empty when there is none.
    pub yaml: Range<usize>,
    /// 1-based line of the file on which the YAML text starts.
    pub yaml_line: usize,
    /// Byte range of the Markdown body.
    pub body: Range<usize>,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
    /// Hash of `text`: what caches key on.
    pub hash: u64,
}

impl Document {
    /// A document with no text: stands in for a file that could not be read.
    pub fn empty(file: &Path) -> Document {
        Document {
            file: file.to_path_buf(),
            text: String::new(),
            yaml: 0..0,
            yaml_line: 1,
            body: 0..0,
            body_line: 1,
            hash: hash_text(""),
        }
    }

    pub fn yaml_text(&self) -> &str {
        &self.text[self.yaml.clone()]
    }

    pub fn body_text(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// An error about the file's name (its slug or date): at 1:1, without quoting the file's
    /// first line, which has nothing to do with it.
    pub fn name_error(&self, code: &'static str, message: impl Into<String>) -> Problem {
        let mut problem = Problem::file_error(&self.file, code, message);
        problem.line = 1;
        problem.column = 1;
        problem
    }

    /// An error at a position of this file.
    pub fn error(
        &self,
        (line, column, span): (usize, usize, usize),
        code: &'static str,
        message: impl Into<String>,
    ) -> Problem {
        Problem::error_at(&self.file, &self.text, line, column, span, code, message)
    }
}

/// Splits `text` into front matter and body. A file that does not start with `---` has no front
/// matter; one that starts with it but never closes it is an error (the whole file would
/// otherwise be read as YAML or, worse, published as body text).
pub fn split(file: PathBuf, text: String) -> Result<Document, Problem> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Document {
            file,
            yaml: 0..0,
            yaml_line: 1,
            body: 0..text.len(),
            body_line: 1,
            hash: hash_text(&text),
            text,
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let trimmed = text[offset..end].trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Document {
                file,
                yaml: yaml_start..offset,
                yaml_line: 2,
                body: body_start..text.len(),
                body_line: line + 1,
                hash: hash_text(&text),
                text,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(Problem::error_at(
        &file,
        &text,
        1,
        1,
        3,
        "unclosed-front-matter",
        "front matter is not closed",
    )
    .with_label("front matter starts here")
    .with_hint("add a line with only `---` after the last field"))
}

/// A file that is YAML only (`content/sources.yaml`) as a document whose YAML is the whole
/// text, so that [`parse`] and [`locate`] work on it.
pub fn yaml_document(file: PathBuf, text: String) -> Document {
    Document {
        file,
        yaml: 0..text.len(),
        yaml_line: 1,
        body: text.len()..text.len(),
        body_line: text.split('\n').count(),
        hash: hash_text(&text),
        text,
    }
}

/// A stable 64-bit hash (FNV-1a) of a file's text.
pub fn hash_text(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// Deserialises the front matter into `T`, with error positions in the whole file. `hints`
/// maps a top-level field to advice shown when its value has the wrong shape. The text is
/// first held to the [`budget`] (no aliases or anchors, bounded nesting).
pub fn parse<T: DeserializeOwned>(doc: &Document, hints: &[(&str, &str)]) -> Result<T, Problem> {
    let yaml = doc.yaml_text();
    if let Some(refusal) = budget::check(yaml) {
        return Err(refusal_problem(doc, &refusal));
    }
    let source = if yaml.trim().is_empty() { "{}" } else { yaml };
    serde_yaml::from_str(source).map_err(|err| yaml_problem(doc, &err, hints))
}

/// The error for front matter the budget refuses, at the place in the file.
fn refusal_problem(doc: &Document, refusal: &Refusal) -> Problem {
    let at = |line: usize, column: usize| (doc.yaml_line + line - 1, column, 1);
    match *refusal {
        Refusal::TooDeep { line, column } => doc
            .error(
                at(line, column),
                "yaml-syntax",
                format!("front matter nested more than {MAX_DEPTH} levels deep"),
            )
            .with_hint("front matter needs a few levels at most; is a `]` or `}` missing?"),
        Refusal::Alias { line, column } => doc
            .error(
                at(line, column),
                "yaml-alias",
                "a YAML alias (`*name`) is not allowed in front matter",
            )
            .with_hint(
                "write the value out; if the text starts with `*`, put it in quotes: `\"*…\"`",
            ),
        Refusal::Anchor { line, column } => doc
            .error(
                at(line, column),
                "yaml-alias",
                "a YAML anchor (`&name`) is not allowed in front matter",
            )
            .with_hint(
                "if the text starts with `&`, put it in quotes: `\"&…\"`; otherwise remove the anchor",
            ),
    }
}

fn yaml_problem(doc: &Document, err: &serde_yaml::Error, hints: &[(&str, &str)]) -> Problem {
    let text = err.to_string();
    // serde_yaml appends " at line L column C" (relative to the YAML block); we give the
    // position in the file instead.
    let message = strip_location(&text);
    let (line, column) = match err.location() {
        Some(loc) => (doc.yaml_line + loc.line() - 1, loc.column()),
        None => (doc.yaml_line, 1),
    };
    let is_type_error = [
        "invalid type",
        "missing field",
        "invalid value",
        "invalid length",
    ]
    .iter()
    .any(|m| message.contains(m));
    if is_type_error {
        // "orgs: invalid type: …": the field comes first.
        let field = message
            .split([':', '[', '.'])
            .next()
            .unwrap_or_default()
            .trim();
        let problem = doc.error(
            (line, column, 1),
            "invalid-field",
            format!("invalid front matter: {message}"),
        );
        return match hints.iter().find(|(f, _)| *f == field) {
            Some((_, hint)) => problem.with_hint(*hint),
            None => problem,
        };
    }
    if let Some(problem) = unclosed_quote(doc, line) {
        return problem;
    }
    if let Some(key) = message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let places: Vec<_> = top_level_keys(doc)
            .into_iter()
            .filter(|(k, _)| k == key)
            .map(|(_, position)| position)
            .collect();
        if let [first, second, ..] = places[..] {
            return doc
                .error(
                    second,
                    "yaml-syntax",
                    format!("invalid front matter: {message}"),
                )
                .with_hint(format!(
                    "the first `{key}` is on line {}; remove one of them",
                    first.0
                ));
        }
    }
    let source_line = doc.text.split('\n').nth(line - 1).unwrap_or("");
    if let Some(tab) = source_line.chars().position(|c| c == '\t') {
        return doc
            .error(
                (line, tab + 1, 1),
                "yaml-syntax",
                "a tab in the front matter: YAML takes only spaces before a field",
            )
            .with_hint(format!("replace the tab at column {} with spaces", tab + 1));
    }
    if message.starts_with("did not find expected key") {
        if let Some(problem) = text_after_quote(doc, line, column, source_line) {
            return problem;
        }
    }
    let problem = doc.error(
        (line, column, 1),
        "yaml-syntax",
        format!("invalid front matter: {message}"),
    );
    if message.starts_with("mapping values are not allowed") {
        if let Some((key, value)) = source_line.split_once(": ") {
            let key = key.trim();
            if !key.is_empty() && !value.trim_start().starts_with(['"', '\'']) {
                let quoted = value.trim().replace('\\', "\\\\").replace('"', "\\\"");
                return doc
                    .error(
                        (line, column, 1),
                        "yaml-syntax",
                        format!("`: ` in the unquoted value of `{}`: YAML reads it as a field of its own", key.trim_start_matches("- ")),
                    )
                    .with_hint(format!("put the value in quotes: `{key}: \"{quoted}\"`"));
            }
        }
        return problem.with_hint("if a value contains `: `, put it in quotes");
    }
    let invisible = doc
        .text
        .split('\n')
        .nth(line - 1)
        .and_then(|l| l.chars().find(|&c| is_invisible(c) && c != '\t'));
    if let Some(c) = invisible {
        return problem.with_hint(format!(
            "this line holds an invisible character (U+{:04X}): delete it",
            c as u32
        ));
    }
    problem
}

/// Characters a reader does not see in an editor: format characters (zero-width space and
/// joiners, word joiner, byte-order mark, soft hyphen, direction marks), control characters
/// and every space but the plain one (no-break, thin, ideographic…). YAML takes none of them
/// as white space, so `dr\u{200B}aft` is a key of its own.
pub fn is_invisible(c: char) -> bool {
    (c.is_whitespace() && c != ' ')
        || c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// After a syntax error, a quoted value left open on an earlier line is the likely cause; YAML
/// itself reports the error where it gave up, often lines later.
fn unclosed_quote(doc: &Document, error_line: usize) -> Option<Problem> {
    for (number, line) in yaml_lines(doc).take_while(|(n, _)| *n <= error_line) {
        let trimmed = line.trim_start();
        let value_start = if let Some(rest) = trimmed.strip_prefix("- ") {
            line.len() - rest.len() + key_of(rest).map_or(0, |_| rest.find(':').unwrap_or(0) + 1)
        } else {
            key_of(trimmed)?;
            line.len() - trimmed.len() + trimmed.find(':')? + 1
        };
        let value = line[value_start..].trim_start();
        let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let at = line.len() - value.len();
        if !is_closed(&value[1..], quote) {
            let column = line[..at].chars().count() + 1;
            return Some(
                doc.error(
                    (number, column, 1),
                    "yaml-syntax",
                    "invalid front matter: the quoted value that starts here is not closed",
                )
                .with_hint(format!("add the closing `{quote}` at the end of the line")),
            );
        }
    }
    None
}

/// Whether a quoted YAML scalar whose text (after the opening quote) is `rest` closes on this
/// line. In `"…"`, `\"` is an escaped quote; in `'…'`, `''` is.
fn is_closed(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                if quote == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The exact position of `path` in the front matter, if it is written there.
pub fn find(doc: &Document, path: &[Step]) -> Option<(usize, usize, usize)> {
    let lines: Vec<(usize, &str)> = yaml_lines(doc).collect();
    let mut scope = (0, 0, lines.len());
    let mut found = None;
    for step in path {
        let (next, position) = match *step {
            Step::Key(key) => find_key(&lines, scope, key)?,
            Step::Index(i) => find_item(&lines, scope, i)?,
        };
        scope = next;
        found = Some(position);
    }
    found
}

/// The text written after `key:` on the key's line (comments included), if the key is there.
pub fn raw_value(doc: &Document, path: &[Step]) -> Option<(usize, usize, String)> {
    let (line, column, _) = find(doc, path)?;
    let text = doc.text.split('\n').nth(line - 1)?;
    let start: usize = text.char_indices().nth(column - 1)?.0;
    let colon = start + text[start..].find(':')?;
    let value = &text[colon + 1..];
    let value_column =
        text[..colon + 1].chars().count() + 1 + (value.len() - value.trim_start().len());
    Some((line, value_column, value.trim().to_string()))
}

/// `title: "VASCO" reports incident`: YAML ends the value at the closing quote and finds no
/// field in the rest. The error says so, with the value quoted whole.
fn text_after_quote(doc: &Document, line: usize, column: usize, text: &str) -> Option<Problem> {
    let (key, value) = text.split_once(':')?;
    let value = value.trim();
    let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let before: String = text.chars().take(column.saturating_sub(1)).collect();
    if !before.trim_end().ends_with(quote) || key.trim().is_empty() || key.starts_with([' ', '-']) {
        return None;
    }
    let key = key.trim();
    let hint = if quote == '"' {
        format!(
            "put the whole value in single quotes: `{key}: '{}'`",
            value.replace('\'', "''")
        )
    } else {
        let unquoted = value.replace("''", "'");
        format!(
            "put the whole value in double quotes: `{key}: \"{}\"`",
            unquoted.replace('\\', "\\\\").replace('"', "\\\"")
        )
    };
    Some(
        doc.error(
            (line, column, 1),
            "yaml-syntax",
            format!("text after the closing quote of `{key}`: YAML ends the value at the quote"),
        )
        .with_hint(hint),
    )
}

/// Removes serde_yaml's " at line L column C" (which counts from the YAML block, not the file).
fn strip_location(message: &str) -> String {
    let mut message = message.to_string();
    while let Some(start) = message.find(" at line ") {
        let rest = &message[start + " at line ".len()..];
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        let rest = rest.strip_prefix(" column ").unwrap_or(rest);
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        message = format!("{}{}", &message[..start], rest);
    }
    message
}

/// One step of a path into the front matter: a mapping key or a list index.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The top-level keys of the front matter as written, with their positions, in file order.
pub fn top_level_keys(doc: &Document) -> Vec<(String, (usize, usize, usize))> {
    yaml_lines(doc)
        .filter(|(_, line)| !line.starts_with([' ', '\t', '#', '-']))
        .filter_map(|(number, line)| {
            let key = key_of(line)?;
            Some((key.to_string(), (number, 1, key.chars().count())))
        })
        .collect()
}

/// The front matter as a YAML value, for [`keys`] and [`merge_keys`] (parsed once for both);
/// `Null` when it does not parse, which [`parse`] reports.
pub fn value(doc: &Document) -> serde_yaml::Value {
    if budget::check(doc.yaml_text()).is_some() {
        return serde_yaml::Value::Null;
    }
    serde_yaml::from_str(doc.yaml_text()).unwrap_or(serde_yaml::Value::Null)
}

/// A top-level scalar as text (`max_file_size: 50 MB`), for the load stage, which must know a
/// setting before the model reads the settings; `None` when absent or not a scalar.
pub fn scalar(doc: &Document, key: &str) -> Option<String> {
    match value(doc).get(key)? {
        serde_yaml::Value::String(text) => Some(text.clone()),
        serde_yaml::Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// The top-level keys of the front matter as YAML reads them (quotes and escapes resolved,
/// nothing trimmed or folded), each with where it is written, in file order.
///
/// Checks of field names must use these, not [`top_level_keys`]: a line scan misses keys that
/// YAML still reads, and that serde then silently ignores (`dr\u200baft:`, `"\x44raft":`,
/// `{title: x, Draft: true}` on one line). Front matter that is not a mapping has no keys.
pub fn keys(doc: &Document, yaml: &serde_yaml::Value) -> Vec<(String, (usize, usize, usize))> {
    let serde_yaml::Value::Mapping(map) = yaml else {
        return Vec::new();
    };
    // In block style every key starts a line at column 1: the n-th such line is the n-th key,
    // which places a key that is written with escapes and so not found by its text.
    let starts: Vec<usize> = yaml_lines(doc)
        .filter(|(_, line)| !line.is_empty() && !line.starts_with([' ', '\t', '#', '-']))
        .map(|(number, _)| number)
        .collect();
    let by_line = |i: usize| (starts.len() == map.len()).then(|| (starts[i], 1, 1));
    let mut from = 0;
    map.keys()
        .enumerate()
        .map(|(i, key)| {
            let name = key_text(key);
            let position = written_key(doc, &name, &mut from)
                .or_else(|| by_line(i))
                .unwrap_or((doc.yaml_line, 1, 1));
            (name, position)
        })
        .collect()
}

/// Where YAML's merge key `<<` is used, at any depth. serde_yaml does not merge: every field
/// merged in (`<<: {draft: true}`, `<<: *defaults`) would be silently dropped.
pub fn merge_keys(doc: &Document, yaml: &serde_yaml::Value) -> Vec<(usize, usize, usize)> {
    let mut count = 0;
    count_merges(yaml, &mut count);
    let mut from = 0;
    (0..count)
        .map(|_| written_key(doc, "<<", &mut from).unwrap_or((doc.yaml_line, 1, 1)))
        .collect()
}

fn count_merges(value: &serde_yaml::Value, count: &mut usize) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, value) in map {
                if key.as_str() == Some("<<") {
                    *count += 1;
                }
                count_merges(key, count);
                count_merges(value, count);
            }
        }
        serde_yaml::Value::Sequence(items) => items.iter().for_each(|v| count_merges(v, count)),
        serde_yaml::Value::Tagged(tagged) => count_merges(&tagged.value, count),
        _ => {}
    }
}

/// A key as text: a string as it is, anything else (`1:`, `true:`, `[a]:`) as YAML writes it.
fn key_text(key: &serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_default(),
    }
}

/// Where the key `name` is written, searching the YAML text from byte `*from` on (keys come in
/// file order) and moving `*from` past it. A key at the start of a line is preferred over an
/// indented one, and that over one inside a line (`{…, Draft: true}`). `None` for a key that
/// is written with escapes of the author's own (`"\x44raft"`).
fn written_key(doc: &Document, name: &str, from: &mut usize) -> Option<(usize, usize, usize)> {
    let yaml = doc.yaml_text();
    let is_key_at = |at: usize| {
        let after = yaml[at + name.len()..].trim_start_matches(['"', '\'']);
        let after = after.trim_start_matches([' ', '\t']);
        after.starts_with(':')
    };
    let starts_line = |at: usize| {
        let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
        yaml[line_start..at]
            .chars()
            .all(|c| matches!(c, ' ' | '\t' | '"' | '\'' | '?' | '-'))
    };
    let at_column_one = |at: usize| at == 0 || yaml.as_bytes()[at - 1] == b'\n';
    // Lazily, in order of preference; in block style the first search ends at the next key.
    let candidates = || {
        yaml[*from..]
            .match_indices(name)
            .map(|(i, _)| *from + i)
            .filter(|&at| is_key_at(at))
    };
    // A mapping written in braces as a whole has no keys at the start of a line: take the first
    // match (searching on for one that starts a line would make a wide mapping quadratic).
    let flow = yaml.trim_start().starts_with('{');
    let found = if name.is_empty() {
        None
    } else if flow {
        candidates().next()
    } else {
        candidates()
            .find(|&at| at_column_one(at))
            .or_else(|| candidates().find(|&at| starts_line(at)))
            .or_else(|| candidates().next())
    };
    let Some(at) = found else {
        // Written in quotes with escapes (`"internal\t"`): look for YAML's own spelling.
        let quoted = serde_yaml::to_string(name).unwrap_or_default();
        let quoted = quoted.trim_end();
        if quoted != name && quoted.starts_with('"') {
            if let Some(at) = yaml[*from..].find(quoted).map(|i| *from + i) {
                *from = at + quoted.len();
                return Some(offset_position(doc, at, quoted.chars().count()));
            }
        }
        return None;
    };
    *from = at + name.len();
    Some(offset_position(doc, at, name.chars().count().max(1)))
}

/// The file position of byte `at` of the YAML text, with a span of `span` characters.
fn offset_position(doc: &Document, at: usize, span: usize) -> (usize, usize, usize) {
    let yaml = doc.yaml_text();
    let line = doc.yaml_line + yaml[..at].matches('\n').count();
    let line_start = yaml[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = yaml[line_start..at].chars().count() + 1;
    (line, column, span)
}

/// Finds where `path` (and, inside it, the text `needle`) is written in the front matter.
/// Returns `(line, column, length)` in the file. This reads the YAML text line by line rather
/// than parsing it again; it understands block mappings and lists and flow lists, which is what
/// front matter uses. When it cannot find the exact spot it falls back to the nearest known one,
/// so a message always points somewhere useful.
pub fn locate(doc: &Document, path: &[Step], needle: Option<&str>) -> (usize, usize, usize) {
    let lines: Vec<(usize, &str)> = yaml_lines(doc).collect();
    // A scope is the text of a value: (index into lines, byte column where it starts, end).
    let mut scope = (0, 0, lines.len());
    let mut found = (doc.yaml_line.saturating_sub(1).max(1), 1, 3);
    for step in path {
        let next = match *step {
            Step::Key(key) => find_key(&lines, scope, key),
            Step::Index(i) => find_item(&lines, scope, i),
        };
        match next {
            Some((next_scope, position)) => {
                scope = next_scope;
                found = position;
            }
            None => return found,
        }
    }
    if let Some(needle) = needle.filter(|n| !n.is_empty()) {
        for (index, &(number, line)) in lines.iter().enumerate().take(scope.2).skip(scope.0) {
            let from = if index == scope.0 { scope.1 } else { 0 };
            if let Some(at) = find_token(&line[from..], needle) {
                let column = line[..from + at].chars().count() + 1;
                return (number, column, needle.chars().count());
            }
        }
    }
    found
}

type Scope = (usize, usize, usize);

fn yaml_lines(doc: &Document) -> impl Iterator<Item = (usize, &str)> {
    doc.yaml_text()
        .split('\n')
        .enumerate()
        .map(move |(i, line)| (doc.yaml_line + i, line))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn key_of(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let key = text[..colon].trim().trim_matches(|c| c == '"' || c == '\'');
    let after = &text[colon + 1..];
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (valid && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(key)
}

/// The value scope of `key` directly inside `scope`.
fn find_key(
    lines: &[(usize, &str)],
    scope: Scope,
    key: &str,
) -> Option<(Scope, (usize, usize, usize))> {
    let mut level = None;
    for index in scope.0..scope.2 {
        let (number, line) = lines[index];
        let from = if index == scope.0 { scope.1 } else { 0 };
        let rest = &line[from..];
        if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
            continue;
        }
        let column = from + indent(rest);
        let level = *level.get_or_insert(column);
        if column != level {
            continue;
        }
        if key_of(rest) == Some(key) {
            let value_start = column + line[column..].find(':').unwrap_or(0) + 1;
            let end = block_end(lines, index, column, scope.2);
            let position = (
                number,
                line[..column].chars().count() + 1,
                key.chars().count(),
            );
            return Some(((index, value_start, end), position));
        }
    }
    None
}

/// The scope of the `n`-th list item directly inside `scope`.
fn find_item(
    lines: &[(usize, &str)],
    scope: Scope,
    n: usize,
) -> Option<(Scope, (usize, usize, usize))> {
    let mut seen = 0;
    let mut level = None;
    for index in scope.0..scope.2 {
        let (number, line) = lines[index];
        let from = if index == scope.0 { scope.1 } else { 0 };
        let rest = &line[from..];
        let trimmed = rest.trim_start();
        if !(trimmed.starts_with("- ") || trimmed == "-") {
            continue;
        }
        let column = from + indent(rest);
        if *level.get_or_insert(column) != column {
            continue;
        }
        if seen == n {
            let end = block_end(lines, index, column, scope.2);
            let item_start = (column + 2).min(line.len());
            let position = (number, line[..column].chars().count() + 1, 1);
            return Some(((index, item_start, end), position));
        }
        seen += 1;
    }
    None
}

/// The first line after `start` that is indented no deeper than `column` (ignoring blank and
/// comment lines): where the value that starts on `start` ends.
fn block_end(lines: &[(usize, &str)], start: usize, column: usize, limit: usize) -> usize {
    (start + 1..limit)
        .find(|&i| {
            let line = lines[i].1;
            let trimmed = line.trim_start();
            let blank = trimmed.is_empty() || trimmed.starts_with('#');
            // An item of a list that is the value of a key may sit at the key's column.
            let item_of_key = indent(line) == column
                && trimmed.starts_with('-')
                && !lines[start].1[column..].trim_start().starts_with('-');
            !blank && indent(line) <= column && !item_of_key
        })
        .unwrap_or(limit)
}

/// `needle` as a whole word in `text` (not inside a longer name).
fn find_token(text: &str, needle: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut start = 0;
    while let Some(at) = text[start..].find(needle) {
        let at = start + at;
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return Some(at);
        }
        start = at + needle.len().max(1);
    }
    None
}

/// The file name shown for a document: used by callers that only have a path.
pub fn file_of(doc: &Document) -> &Path {
    &doc.file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        split(PathBuf::from("content/a.md"), text.to_string()).unwrap()
    }

    #[test]
    fn absurdly_deep_front_matter_is_refused_before_parsing() {
        let deep = format!("title: x\nz: {}\n", "[".repeat(50_000));
        let doc = split(
            PathBuf::from("content/a.md"),
            format!("---\n{deep}---\nBody\n"),
        )
        .unwrap();
        let err = parse::<serde_yaml::Value>(&doc, &[]).unwrap_err();
        assert_eq!((err.line, err.column), (3, 67), "{err:?}");
        assert!(err.message.contains("nested more than 64 levels"));
        // Brackets in quotes and comments do not count; ordinary nesting passes.
        let fine = format!(
            "title: \"{}\"\n# {}\nsources: [{{title: 'a [b]'}}]\n",
            "[".repeat(100),
            "{".repeat(100)
        );
        let doc = split(PathBuf::from("content/a.md"), format!("---\n{fine}---\n")).unwrap();
        assert!(parse::<serde_yaml::Value>(&doc, &[]).is_ok());
    }

    #[test]
    fn aliases_are_refused_before_they_are_expanded() {
        // 20 aliases of 20 aliases of a 50 KB string: 20 MB once expanded.
        let mut yaml = format!("a: &a \"{}\"\n", "x".repeat(50_000));
        yaml.push_str(&format!("b: &b [{}]\n", vec!["*a"; 20].join(", ")));
        yaml.push_str(&format!("c: [{}]\n", vec!["*b"; 20].join(", ")));
        let doc = doc(&format!("---\ntitle: x\n{yaml}---\n"));
        let err = parse::<serde_yaml::Value>(&doc, &[]).unwrap_err();
        assert_eq!((err.code, err.line, err.column), ("yaml-alias", 3, 4));
        assert!(err.message.contains("anchor (`&name`)"), "{err:?}");
        assert_eq!(value(&doc), serde_yaml::Value::Null);
        let doc = self::doc("---\ntitle: *update\n---\n");
        let err = parse::<serde_yaml::Value>(&doc, &[]).unwrap_err();
        assert_eq!((err.code, err.line, err.column), ("yaml-alias", 2, 8));
        assert!(err.message.contains("alias (`*name`)"), "{err:?}");
    }

    #[test]
    fn splits_front_matter_and_body() {
        let d = doc("---\ntitle: x\n---\nBody\n");
        assert_eq!(d.yaml_text(), "title: x\n");
        assert_eq!(d.body_text(), "Body\n");
        assert_eq!((d.yaml_line, d.body_line), (2, 4));
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let d = doc("Just text\n");
        assert_eq!(d.yaml_text(), "");
        assert_eq!(d.body_text(), "Just text\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let err = split(PathBuf::from("content/a.md"), "---\ntitle: x\n".into()).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.code),
            (1, 1, "unclosed-front-matter")
        );
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            title: String,
        }
        let d = doc("---\ntitle: x\norgs: [a\n---\n");
        let err = parse::<T>(&d, &[]).unwrap_err();
        assert_eq!(err.code, "yaml-syntax");
        assert!(err.line >= 3, "{err:?}");
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn locates_keys_items_and_values() {
        let d = doc("---\ntitle: x\norgs: [ncsc, nsc]\nsources:\n  - title: a\n    date: 2024-13-01\n  - id: b\n    date: 2024-06-31\ntags:\n- x\n- yy\n---\n");
        assert_eq!(locate(&d, &[Step::Key("orgs")], Some("nsc")), (3, 14, 3));
        assert_eq!(locate(&d, &[Step::Key("title")], None), (2, 1, 5));
        assert_eq!(
            locate(
                &d,
                &[Step::Key("sources"), Step::Index(1), Step::Key("date")],
                None
            ),
            (8, 5, 4)
        );
        assert_eq!(
            locate(
                &d,
                &[Step::Key("sources"), Step::Index(0), Step::Key("date")],
                Some("2024-13-01")
            ),
            (6, 11, 10)
        );
        assert_eq!(
            locate(&d, &[Step::Key("tags"), Step::Index(1)], Some("yy")),
            (11, 3, 2)
        );
        // Unknown paths fall back to the closest known spot.
        assert_eq!(
            locate(&d, &[Step::Key("sources"), Step::Index(5)], None),
            (4, 1, 7)
        );
    }

    #[test]
    fn lists_top_level_keys() {
        let d = doc("---\ntitle: x\n# note\nsorces:\n  - a: b\n---\n");
        let keys: Vec<_> = top_level_keys(&d)
            .into_iter()
            .map(|(k, p)| (k, p.0))
            .collect();
        assert_eq!(
            keys,
            vec![("title".to_string(), 2), ("sorces".to_string(), 4)]
        );
    }
}
