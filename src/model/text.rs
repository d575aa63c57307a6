//! Small value types and checks shared by the model: scalars read as text, slugs, URLs.

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

/// A slug for any text: lowercase ASCII, transliterated by `deunicode` ("Overleg met Cisco" ->
/// `overleg-met-cisco`, "geïnformeerd" -> `geinformeerd`, "Łódź" -> `lodz`), so that titles in
/// any script give a readable, stable URL. Used by `kroniek new` and for suggestions.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(text).chars() {
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
        assert_eq!(slugify("  CIO's & CISO's "), "cio-s-ciso-s");
        assert_eq!(
            slugify("Één café: über Ærø & Łódź ß"),
            "een-cafe-uber-aero-lodz-ss"
        );
        assert_eq!(slugify("Šibenik, Čačak, Gdańsk"), "sibenik-cacak-gdansk");
        // A decomposed é (e and a combining accent) is one letter, not a word break.
        assert_eq!(slugify("Cafe\u{301} geopend"), "cafe-geopend");
    }

    #[test]
    fn urls() {
        assert!(is_web_url("https://www.ncsc.nl/"));
        assert!(!is_web_url("www.ncsc.nl"));
    }
}
