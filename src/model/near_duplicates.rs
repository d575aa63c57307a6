//! Near-duplicate sources: the same document written twice a little differently, which the
//! sources page shows as two sources (a one-letter typo in one of seven pasted copies of a URL
//! did that). Warnings, each naming both places: the same URL under two titles, and URLs or
//! titles one typo apart (a letter changed, added, dropped, or two swapped; a different digit
//! is a different document: `nr. 1182` and `nr. 1183`).
//!
//! Linear in the number of sources after a sort: each written text is compared with its
//! neighbours in sorted order and in the order of its reversed text, where a typo near the end
//! and one near the start keep the two copies side by side.

use super::{Event, Source};
use crate::diagnostics::{display_path, Problem};
use crate::front_matter::Document;
use std::collections::HashMap;
use std::path::Path;

/// A source as written somewhere: in an event's file, or in the register.
struct Written<'a> {
    source: &'a Source,
    file: &'a Path,
    doc: &'a Document,
}

pub fn check(events: &[Event], register: Option<&Document>, problems: &mut Vec<Problem>) {
    let mut written: Vec<Written> = Vec::new();
    let mut from_register: Vec<&Source> = Vec::new();
    for event in events {
        for source in &event.sources {
            if source.in_register {
                if let Some(doc) = register {
                    if !from_register.iter().any(|s| s.id == source.id) {
                        from_register.push(source);
                        written.push(Written {
                            source,
                            file: &doc.file,
                            doc,
                        });
                    }
                }
            } else {
                written.push(Written {
                    source,
                    file: &event.doc.file,
                    doc: &event.doc,
                });
            }
        }
    }
    let mut warned = std::collections::HashSet::new();
    let mut warn = |a: &Written, b: &Written, message: String, problems: &mut Vec<Problem>| {
        let (first, second) = if (a.file, a.source.at) <= (b.file, b.source.at) {
            (a, b)
        } else {
            (b, a)
        };
        if !warned.insert((second.file.to_path_buf(), second.source.at)) {
            return;
        }
        let (line, column, span) = second.source.at.unwrap_or((1, 1, 1));
        let (first_line, ..) = first.source.at.unwrap_or((1, 1, 1));
        problems.push(
            second
                .doc
                .error((line, column, span), "near-duplicate-source", message)
                .with_hint(format!(
                    "compare {}:{first_line}; if they are one document, write it once in content/sources.yaml and cite it by id",
                    display_path(first.file)
                ))
                .warning(),
        );
    };

    // The same URL under another title.
    let mut by_url: HashMap<&str, &Written> = HashMap::new();
    for w in &written {
        let Some(url) = w.source.url.as_deref() else {
            continue;
        };
        match by_url.get(url.trim()) {
            Some(first) if normal(&first.source.title) != normal(&w.source.title) => warn(
                first,
                w,
                format!(
                    "the same URL as another source, under another title (`{}`)",
                    first.source.title
                ),
                problems,
            ),
            Some(_) => {}
            None => {
                by_url.insert(url.trim(), w);
            }
        }
    }
    // URLs, and titles, one typo apart.
    let urls: Vec<(String, &Written)> = written
        .iter()
        .filter_map(|w| Some((w.source.url.as_deref()?.trim().to_string(), w)))
        .collect();
    for (a, b) in neighbours(&urls) {
        warn(
            a,
            b,
            "a URL one typo away from another source's URL".to_string(),
            problems,
        );
    }
    let titles: Vec<(String, &Written)> = written
        .iter()
        .map(|w| (normal(&w.source.title), w))
        .filter(|(t, _)| t.chars().count() >= 12)
        .collect();
    for (a, b) in neighbours(&titles) {
        if a.source.url.is_some() && a.source.url == b.source.url {
            continue;
        }
        warn(
            a,
            b,
            "a title one typo away from another source's title".to_string(),
            problems,
        );
    }
}

/// The pairs of distinct texts one typo apart, found among neighbours in two sort orders.
fn neighbours<'a, 'w>(
    texts: &'a [(String, &'a Written<'w>)],
) -> Vec<(&'a Written<'w>, &'a Written<'w>)> {
    let mut pairs = Vec::new();
    let reversed: Vec<String> = texts
        .iter()
        .map(|(t, _)| t.chars().rev().collect())
        .collect();
    for key in [false, true] {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        if key {
            order.sort_by(|&a, &b| reversed[a].cmp(&reversed[b]));
        } else {
            order.sort_by(|&a, &b| texts[a].0.cmp(&texts[b].0));
        }
        for window in order.windows(3) {
            for &j in &window[1..] {
                let (a, b) = (&texts[window[0]], &texts[j]);
                if a.0 != b.0 && one_typo_apart(&a.0, &b.0) {
                    pairs.push((a.1, b.1));
                }
            }
        }
        if let [a, b] = order[..] {
            if texts[a].0 != texts[b].0 && one_typo_apart(&texts[a].0, &texts[b].0) {
                pairs.push((texts[a].1, texts[b].1));
            }
        }
    }
    pairs
}

/// Whether `a` and `b` differ by one letter changed, added or dropped, or two neighbours
/// swapped — and not in a digit, which makes another document.
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (da, db) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let no_digit = |d: &[char]| d.iter().all(|c| !c.is_ascii_digit());
    let typo = match (da.len(), db.len()) {
        (1, 1) | (1, 0) | (0, 1) => true,
        (2, 2) => da[0] == db[1] && da[1] == db[0],
        _ => false,
    };
    typo && no_digit(da) && no_digit(db)
}

/// A title as a reader compares it: case and spacing aside.
fn normal(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::one_typo_apart;

    #[test]
    fn typos_but_not_other_numbers() {
        assert!(one_typo_apart(
            "https://example.org/report",
            "https://exampel.org/report"
        ));
        assert!(one_typo_apart(
            "https://example.org/report",
            "https://example.org/reprt"
        ));
        assert!(one_typo_apart(
            "kamerbrief over webex",
            "kamerbrief over wbex"
        ));
        assert!(one_typo_apart("https://a.nl/x", "https://a.nl/y"));
        assert!(!one_typo_apart("kst-26643-1182", "kst-26643-1183"));
        assert!(!one_typo_apart("https://a.nl/xy", "https://a.nl/yz"));
        assert!(!one_typo_apart("abc", "abc"));
    }
}
