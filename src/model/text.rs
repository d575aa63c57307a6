//! Small value types and checks shared by the model: scalars read as text, one-line fields,
//! slugs, URLs.

use crate::diagnostics::Problem;
use crate::front_matter::{locate, Document, Step};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// A front matter scalar read as text. YAML turns `title: 2024` into a number and `time: 10`
/// into an integer; authors mean text, so any scalar is accepted and kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

impl Text {
    /// The text trimmed, or `None` when it is empty.
    pub fn non_empty(&self) -> Option<String> {
        let t = self.0.trim();
        (!t.is_empty()).then(|| t.to_string())
    }
}

/// A one-line field (a title, a label, a name) as readers get it: trimmed, with line breaks and
/// tabs as one space (a YAML block scalar must not become a heading or a list item in an export),
/// and without the characters [`hidden_character`] names, each left out with a warning at its
/// place. `None` when nothing is left.
pub fn one_line(
    doc: &Document,
    path: &[Step],
    text: Option<Text>,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let text = text?.0;
    warn_comment_cut(doc, path, &text, problems);
    let mut clean = String::with_capacity(text.len());
    let mut hidden = None;
    for c in text.chars() {
        match hidden_character(c) {
            Some(name) => {
                hidden.get_or_insert((c, name));
            }
            None if matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}') => {
                if !clean.ends_with(' ') {
                    clean.push(' ');
                }
            }
            None => clean.push(c),
        }
    }
    if let Some((c, name)) = hidden {
        problems.push(hidden_character_warning(doc, path, c, name));
    }
    let clean = clean.trim();
    (!clean.is_empty()).then(|| clean.to_string())
}

/// YAML reads ` #` in an unquoted value as the start of a comment: `title: Update #1 on the
/// incident` is published as "Update". A warning when the line goes on after what YAML read.
fn warn_comment_cut(doc: &Document, path: &[Step], parsed: &str, problems: &mut Vec<Problem>) {
    // Most front matter has no ` #` at all: no need to find the field's line.
    if !doc.yaml_text().contains(" #") {
        return;
    }
    let Some((line, column, written)) = crate::front_matter::raw_value(doc, path) else {
        return;
    };
    if written.starts_with(['"', '\'', '|', '>', '[', '{']) {
        return;
    }
    let Some(hash) = written.find(" #") else {
        return;
    };
    let (value, comment) = written.split_at(hash);
    if value.trim() != parsed.trim() || comment.trim_start_matches([' ', '#']).is_empty() {
        return;
    }
    let key = match path.last() {
        Some(Step::Key(key)) => key.to_string(),
        _ => "the value".to_string(),
    };
    let whole = written.replace('\\', "\\\\").replace('"', "\\\"");
    problems.push(
        doc.error(
            (line, column + value.chars().count() + 1, 1),
            "comment-in-value",
            format!(
                "` #` starts a comment in YAML: `{key}` is read as `{}`",
                value.trim()
            ),
        )
        .with_hint(format!("put the value in quotes: `{key}: \"{whole}\"`"))
        .warning(),
    );
}

/// The warning for a character [`one_line`] leaves out, at the character when it is written as
/// itself on the field's line, otherwise at the field.
fn hidden_character_warning(doc: &Document, path: &[Step], c: char, name: &str) -> Problem {
    let (line, column, span) = locate(doc, path, None);
    let at = doc
        .text
        .split('\n')
        .nth(line - 1)
        .and_then(|text| text.chars().position(|x| x == c))
        .map_or((line, column, span), |i| (line, i + 1, 1));
    doc.error(
        at,
        "hidden-character",
        format!(
            "a {name} (U+{:04X}) is left out of this field: it changes how the text around it is shown, unseen",
            c as u32
        ),
    )
    .with_hint("delete it; to mark the direction of a word, use U+200E or U+200F")
    .warning()
}

/// Characters no one-line field keeps: direction controls that reorder the text after them
/// (embeddings, overrides, isolates: "Trojan Source"), invisible characters that split or join
/// words unseen, and control characters. Kept: the zero-width joiners (emoji sequences, Persian
/// and Indic scripts need them) and the direction marks U+200E, U+200F and U+061C, which change
/// only the characters next to them and which right-to-left text uses.
pub fn hidden_character(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200B}' => "zero-width space",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{FEFF}' => "zero-width no-break space",
        '\u{180E}' => "Mongolian vowel separator",
        '\u{206A}'..='\u{206F}' => "deprecated format character",
        '\n' | '\r' | '\t' => return None,
        c if c.is_control() => "control character",
        _ => return None,
    })
}

/// Keys and slugs end up in URLs, file names, HTML ids and CSS class names: lowercase ASCII
/// letters, digits, `-` and `_`, starting with a letter or digit. (No `.`: kroniek uses it to
/// build ids that can never collide with a slug.)
pub fn is_slug(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A slug for any text: lowercase ASCII, apostrophes dropped, transliterated by `deunicode` ("Overleg met Cisco" ->
/// `overleg-met-cisco`, "geïnformeerd" -> `geinformeerd`, "Łódź" -> `lodz`), so that titles in
/// any script give a readable, stable URL. Used by `kroniek new` and for suggestions.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    // An apostrophe joins: "DigiNotar's" is `diginotars`, not `diginotar-s`.
    let text: String = text
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | '‘' | 'ʼ'))
        .collect();
    for c in deunicode::deunicode(&text).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Only absolute web URLs make sense for sources and organisations.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")) && lower.len() > 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("ncsc-gewaarschuwd"));
        assert!(is_slug("2fa_reset"));
        assert!(!is_slug("NCSC"));
        assert!(!is_slug("a.b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
        assert_eq!(slugify("Overleg met Cisco"), "overleg-met-cisco");
        assert_eq!(slugify("Kamer geïnformeerd!"), "kamer-geinformeerd");
        assert_eq!(slugify("  CIO's & CISO's "), "cios-cisos");
        assert_eq!(
            slugify("DigiNotar’s certificates"),
            "diginotars-certificates"
        );
        assert_eq!(
            slugify("Één café: über Ærø & Łódź ß"),
            "een-cafe-uber-aero-lodz-ss"
        );
        assert_eq!(slugify("Šibenik, Čačak, Gdańsk"), "sibenik-cacak-gdansk");
        // A decomposed é (e and a combining accent) is one letter, not a word break.
        assert_eq!(slugify("Cafe\u{301} geopend"), "cafe-geopend");
    }

    #[test]
    fn one_line_fields_fold_lines_and_leave_out_hidden_characters() {
        let doc = crate::front_matter::split(
            "content/a.md".into(),
            "---\ntitle: \"Pay\u{202E}fdp.exe\"\n---\n".to_string(),
        )
        .unwrap();
        let mut problems = Vec::new();
        let title = |t: &str, problems: &mut Vec<Problem>| {
            one_line(&doc, &[Step::Key("title")], Some(Text(t.into())), problems)
        };
        assert_eq!(
            title("Pay\u{202E}fdp.exe", &mut problems).as_deref(),
            Some("Payfdp.exe")
        );
        assert_eq!(problems.len(), 1);
        let warning = &problems[0];
        assert_eq!(
            (warning.code, warning.line, warning.column),
            ("hidden-character", 2, 12)
        );
        assert!(!warning.is_error());
        assert_eq!(
            warning.message,
            "a right-to-left override (U+202E) is left out of this field: it changes how the text around it is shown, unseen"
        );
        problems.clear();
        assert_eq!(
            title("# Heading\n- item\r\n\tx ", &mut problems).as_deref(),
            Some("# Heading - item x")
        );
        // Joiners and direction marks are text; so is a no-break space.
        let kept = "👩\u{200D}💻 \u{200C}x \u{200F}שלום\u{00A0}2";
        assert_eq!(title(kept, &mut problems).as_deref(), Some(kept));
        assert!(problems.is_empty());
        assert_eq!(title("\u{200B}\u{2066}", &mut problems), None);
        assert_eq!(problems.len(), 1);
        assert!(problems[0]
            .message
            .starts_with("a zero-width space (U+200B)"));
    }

    #[test]
    fn urls() {
        assert!(is_web_url("https://www.ncsc.nl/"));
        assert!(!is_web_url("www.ncsc.nl"));
    }
}
