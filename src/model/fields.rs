//! Field names of front matter: the check that every top-level key is one kroniek knows, and
//! that nothing which looks like `draft` or `internal` is quietly ignored.
//!
//! serde ignores a field it does not know, so a near miss of `draft:` would publish the event.
//! This module reads the keys as YAML does (`front_matter::keys`), folds away what a reader
//! cannot see (invisible characters, lookalike letters, punctuation, case) and turns every key
//! that folds to a hiding field into an error. It must never let such a key pass as a mere
//! warning: `build` does not print warnings in full.

use crate::diagnostics::{nearest, Problem};
use crate::front_matter::{self, is_invisible, Document};

/// Checks the top-level field names of `doc` against `known`.
///
/// Unknown fields are most often typos (`sorces:`): a warning suggests the field. A field that
/// looks like one of `hiding` (`Draft:`, `intern:`, `concept:`, `draft.:`, `drаft:` with a
/// Cyrillic `а`) is an error instead: kroniek would otherwise publish what the author meant to
/// keep out of public output. Invisible characters in a name and YAML merge keys (`<<`) are
/// errors everywhere.
pub fn warn_unknown_fields(
    doc: &Document,
    known: &[&str],
    hiding: &[&str],
    problems: &mut Vec<Problem>,
) {
    let yaml = front_matter::value(doc);
    for position in front_matter::merge_keys(doc, &yaml) {
        problems.push(
            doc.error(
                position,
                "merge-key",
                "YAML merge keys (`<<`) are not supported",
            )
            .with_label("the fields merged in here would be ignored")
            .with_hint("write each field out in this file"),
        );
    }
    let unknown: Vec<Problem> = front_matter::keys(doc, &yaml)
        .into_iter()
        .filter(|(key, _)| !known.contains(&key.as_str()) && key != "<<")
        .map(|(key, position)| unknown_field(doc, &key, position, known, hiding))
        .collect();
    problems.extend(capped(doc, unknown));
}

/// Most problems about field names one file reports; the rest are counted in one more.
/// Each problem quotes its line, and a hostile file of 20,000 fields on one 300 kB line took
/// minutes to report.
const MAX_FIELD_PROBLEMS: usize = 20;

/// `found`, cut to [`MAX_FIELD_PROBLEMS`] (errors first, so none is hidden behind warnings),
/// with a last problem that counts the rest: an error if any of them is one.
fn capped(doc: &Document, mut found: Vec<Problem>) -> Vec<Problem> {
    if found.len() <= MAX_FIELD_PROBLEMS {
        return found;
    }
    found.sort_by_key(|p| !p.is_error());
    let rest = found.split_off(MAX_FIELD_PROBLEMS);
    let mut more = Problem::file_error(
        &doc.file,
        "unknown-field",
        format!("{} more unknown fields", rest.len()),
    )
    .with_hint("run `kroniek check` again after fixing the ones above");
    if !rest.iter().any(Problem::is_error) {
        more = more.warning();
    }
    found.push(more);
    found
}

/// The problem for one key that is not in `known`.
fn unknown_field(
    doc: &Document,
    key: &str,
    position: (usize, usize, usize),
    known: &[&str],
    hiding: &[&str],
) -> Problem {
    let folded = fold(key);
    let near = nearest(&folded, known.iter().copied());
    let hides = hides_like(&folded, near, hiding);
    let shown = shown(key);
    let message = match odd_character(key) {
        Some(c) if is_invisible(c) => format!(
            "field name `{shown}` contains an invisible character (U+{:04X})",
            c as u32
        ),
        Some(c) => format!(
            "unknown field `{shown}`: `{c}` (U+{:04X}) only looks like `{}`",
            c as u32,
            lookalike(c).unwrap_or(c)
        ),
        None => format!("unknown field `{shown}`"),
    };
    let problem = doc.error(position, "unknown-field", message);
    if let Some(field) = hides {
        return problem
            .with_label(format!("not `{field}`: this event would be published"))
            .with_hint(format!(
                "write `{field}: true` to keep it out of public output"
            ));
    }
    if odd_character(key).is_some_and(is_invisible) {
        return problem
            .with_label("kroniek does not use this field")
            .with_hint("retype the name: it holds a character that cannot be seen");
    }
    let problem = problem
        .with_label("kroniek does not use this field")
        .warning();
    match near {
        Some(near) => problem.with_hint(format!("did you mean `{near}`?")),
        None => problem,
    }
}

/// The first character of `key` that a reader could mistake or not see at all: an invisible
/// one, or a letter of another script or form that `deunicode` reads as one ASCII letter
/// (Cyrillic `а`, Greek `ο`, fullwidth `ｄ`). Accented Latin letters (`één`) are no lookalikes.
fn odd_character(key: &str) -> Option<char> {
    key.chars()
        .find(|&c| is_invisible(c))
        .or_else(|| key.chars().find(|&c| lookalike(c).is_some()))
}

/// The ASCII letter or digit that `c` only looks like, if it is a lookalike.
fn lookalike(c: char) -> Option<char> {
    let latin = matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}');
    if c.is_ascii() || latin || !c.is_alphanumeric() {
        return None;
    }
    let mut buffer = [0; 4];
    let ascii = deunicode::deunicode(c.encode_utf8(&mut buffer));
    let mut chars = ascii.chars();
    match (chars.next(), chars.next()) {
        (Some(a), None) if a.is_ascii_alphanumeric() => Some(a),
        _ => None,
    }
}

/// `key` as a reader would read it: invisible characters dropped, lookalike and fullwidth
/// letters as ASCII (by `deunicode`), lowercase, without spaces around it, so that
/// `Dr\u{200B}aft`, `ｄｒａｆｔ`, `drаft` (Cyrillic `а`) and `"draft "` all read `draft`.
/// Punctuation stays: `draft_by` is a word of its own, not one edit from `draft`.
fn fold(key: &str) -> String {
    let visible: String = key.chars().filter(|&c| !is_invisible(c)).collect();
    deunicode::deunicode(&visible).trim().to_ascii_lowercase()
}

/// `key` for a message: invisible characters written as `\u{200B}`, so the reader sees them.
fn shown(key: &str) -> String {
    key.chars()
        .map(|c| {
            if is_invisible(c) {
                format!("\\u{{{:04X}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The field of `hiding` that the unknown key (already [`fold`]ed) was probably meant to be:
/// its nearest known field, or a word authors use for it (Dutch `concept`, `intern`, or
/// `private`, `is_draft`, `draft.`…). Whole words only: `draft_reviewer:` is someone's own
/// bookkeeping, not a typo.
fn hides_like<'a>(folded: &str, near: Option<&'a str>, hiding: &[&'a str]) -> Option<&'a str> {
    if let Some(near) = near.filter(|n| hiding.contains(n)) {
        return Some(near);
    }
    let letters: String = folded.chars().filter(char::is_ascii_alphanumeric).collect();
    let word = letters.strip_prefix("is").unwrap_or(&letters);
    let field = match word {
        "draft" | "concept" | "unpublished" | "wip" | "workinprogress" => "draft",
        "internal" | "intern" | "interne" | "private" | "secret" | "geheim" | "vertrouwelijk"
        | "confidential" | "hidden" | "verborgen" | "internalonly" => "internal",
        _ => return None,
    };
    hiding.contains(&field).then_some(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const KNOWN: [&str; 4] = ["draft", "internal", "title", "tags"];
    const HIDING: [&str; 2] = ["draft", "internal"];

    fn like(key: &str) -> Option<&'static str> {
        let folded = fold(key);
        hides_like(&folded, nearest(&folded, KNOWN), &HIDING)
    }

    fn problems(yaml: &str) -> Vec<Problem> {
        let doc = front_matter::split(PathBuf::from("content/a.md"), format!("---\n{yaml}---\n"))
            .unwrap();
        let mut problems = Vec::new();
        warn_unknown_fields(&doc, &KNOWN, &HIDING, &mut problems);
        problems
    }

    #[test]
    fn near_misses_of_draft_and_internal() {
        for (key, field) in [
            ("Draft", Some("draft")),
            ("drfat", Some("draft")),
            ("concept", Some("draft")),
            ("is_draft", Some("draft")),
            ("intern", Some("internal")),
            ("Internal-Only", Some("internal")),
            ("vertrouwelijk", Some("internal")),
            ("draft.", Some("draft")),
            ("draft ", Some("draft")),
            ("dr\u{200B}aft", Some("draft")),
            ("draft\u{00A0}", Some("draft")),
            ("d\u{00AD}raft", Some("draft")),
            ("\u{FEFF}draft", Some("draft")),
            ("dra\u{2060}ft", Some("draft")),
            ("dr\u{0430}ft", Some("draft")),
            ("\u{FF44}\u{FF52}\u{FF41}\u{FF46}\u{FF54}", Some("draft")),
            ("int\u{0435}rnal", Some("internal")),
            ("draft_reviewer", None),
            ("hidden_from_search_engines", None),
            ("sorces", None),
        ] {
            assert_eq!(like(key), field, "{key:?}");
        }
        // A site's fields have nothing to hide.
        assert_eq!(hides_like("concept", None, &[]), None);
    }

    #[test]
    fn invisible_and_lookalike_characters_are_named() {
        let found = problems("title: x\ndr\u{200B}aft: true\n");
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].message,
            "field name `dr\\u{200B}aft` contains an invisible character (U+200B)"
        );
        assert_eq!((found[0].line, found[0].column), (3, 1));
        assert!(found[0].is_error());
        let found = problems("title: x\ndr\u{0430}ft: true\n");
        assert_eq!(
            found[0].message,
            "unknown field `dr\u{0430}ft`: `\u{0430}` (U+0430) only looks like `a`"
        );
        assert!(found[0].is_error());
        // An invisible character is an error even in a name that hides nothing.
        let found = problems("ti\u{200B}tle: x\n");
        assert!(found[0].is_error(), "{found:?}");
        assert_eq!(
            found[0].hint.as_deref(),
            Some("retype the name: it holds a character that cannot be seen")
        );
        // Other unknown fields stay warnings, whatever their script.
        let found = problems("title: x\nbron_één: y\n");
        assert!(!found[0].is_error(), "{found:?}");
    }

    #[test]
    fn a_file_of_many_unknown_fields_reports_a_few() {
        let keys: String = (0..30).map(|i| format!("k{i}: {i}\n")).collect();
        let found = problems(&format!("{keys}Dr\u{200B}aft: true\n"));
        assert_eq!(found.len(), MAX_FIELD_PROBLEMS + 1);
        // The error comes first, not lost among the warnings.
        assert!(found[0].is_error() && found[0].message.contains("U+200B"));
        assert_eq!(found[MAX_FIELD_PROBLEMS].message, "11 more unknown fields");
        assert!(!found[MAX_FIELD_PROBLEMS].is_error());
    }

    #[test]
    fn keys_are_read_as_yaml_reads_them() {
        // Escapes, one-line mappings and merge keys: none is seen by a line scan.
        let found = problems("title: x\n\"\\x44raft\": true\n");
        assert_eq!(found[0].message, "unknown field `Draft`");
        assert!(found[0].is_error());
        let found = problems("{title: \"x\", Draft: true}\n");
        assert_eq!((found[0].line, found[0].column), (2, 14), "{found:?}");
        assert!(found[0].is_error());
        let found = problems("title: x\n<<: {draft: true}\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].code, found[0].line), ("merge-key", 3));
        let found = problems("title: x\ntags:\n  - {a: 1, <<: {b: 2}}\n");
        assert_eq!((found[0].code, found[0].line), ("merge-key", 4));
        // A mapping indented as a whole is still the top level.
        let found = problems("  title: x\n  Draft: true\n");
        assert_eq!((found[0].line, found[0].column), (3, 3), "{found:?}");
        assert!(found[0].is_error());
        // A key YAML trims is the field itself.
        assert!(problems("title: x\ndraft : true\n").is_empty());
        assert!(problems("\"title\" : x\n").is_empty());
    }
}
