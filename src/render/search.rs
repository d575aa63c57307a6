//! The search index: script files under `assets/search/` that `theme/static/search.js` loads
//! one by one, as a query needs them.
//!
//! The pages are served with `default-src 'self'` and must work from `file://`, where a page may
//! not fetch JSON: so every part of the index is a script that registers itself
//! (`kroniekSearch.add(name, data)`), loaded by adding a `<script src>`. It is sharded so that a
//! register of 10,000 events loads only what a query needs:
//!
//! - `index.<hash>.js`, the manifest: how many events, and the file of every shard;
//! - `t-<key>.<hash>.js`, one per term shard: every term whose first two characters are `key`
//!   (a one-character term in the shard of that character), each with the events it occurs in
//!   and in which fields (title, organisation, tag, source, body), as a bit mask; a shard that
//!   would be big is split by the next character (`t-re` into `t-rea`, `t-reg`, …: [`split`]);
//! - `d-<n>.<hash>.js`, the events `n * DOCS_PER_FILE ..`: title, slug, date and organisations,
//!   what a result shows. Only the files of the results shown are loaded.
//!
//! The index is made from the reader's [`View`] and the bodies rendered for it, as every other
//! output is: an event the reader does not see, or an `::: internal` block they do not get,
//! never reaches it. This module must never look at the whole timeline, and never decide
//! itself who sees what.
//!
//! [`normalise`] and [`terms`] are the contract with `search.js`, which does the same to the
//! query: lowercase, compatibility decomposition, combining marks dropped (so `geinformeerd`
//! finds `geïnformeerd`), split at everything that is not a letter or a digit.

use super::Rendered;
use crate::audience::View;
use crate::i18n;
use crate::markdown::{html_text, NoteContent};
use crate::model::Event;
use crate::output::OutputFile;
use fnv::FnvBuildHasher;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Where the index lives in the output, below the site root.
pub const FOLDER: &str = "assets/search";

/// Events per file of results: about 40 KB each with typical titles.
pub const DOCS_PER_FILE: usize = 500;

/// Events whose terms are found at a time.
const CHUNK: usize = 512;

/// Longest term kept, in characters; `search.js` cuts a query's words at the same length. A
/// "word" of a million letters (a pasted hash, a hostile body) costs no more than this.
pub const MAX_TERM: usize = 32;

/// The fields a term can occur in, as bits of a posting's mask. `search.js` ranks by them:
/// a title hit first, then organisation and tag, source, body.
pub const TITLE: u8 = 1;
pub const ORGANISATION: u8 = 2;
pub const TAG: u8 = 4;
pub const SOURCE: u8 = 8;
pub const BODY: u8 = 16;

/// What pages need to know of the index: the manifest's path, from the site root.
#[derive(Serialize)]
pub struct SearchView {
    pub index: String,
}

/// The index's files and the manifest's path.
pub struct Index {
    pub files: Vec<OutputFile>,
    pub view: SearchView,
}

/// Lowercase, compatibility decomposition, combining marks dropped: `Geïnformeerd` ->
/// `geinformeerd`, `ﬁle` -> `file`. In this order, as `search.js` does it
/// (`toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')`).
pub fn normalise(text: &str) -> String {
    text.to_lowercase()
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

/// The terms of `text`: normalised, split at everything that is not a letter or a digit
/// (`search.js`: `/[^\p{Alphabetic}\p{N}]+/u`), each cut to [`MAX_TERM`] characters.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    let normal = normalise(text);
    normal
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(MAX_TERM).collect::<String>())
        .collect::<Vec<_>>()
        .into_iter()
}

/// The shard a term is in: its first two characters (one, for a one-character term).
pub fn shard_key(term: &str) -> String {
    term.chars().take(2).collect()
}

/// The file name of a shard: letters `a`–`z` and digits as they are, any other character as
/// `_` and its code point in hex, so that every name is plain ASCII on every file system
/// (`ge` -> `t-ge`, `δη` -> `t-_3b4_3b7`).
pub fn shard_file_stem(key: &str) -> String {
    let mut stem = String::from("t-");
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            stem.push(c);
        } else {
            stem.push_str(&format!("_{:x}", c as u32));
        }
    }
    stem
}

/// Every term of one event with the fields it occurs in.
fn event_terms(view: &View, event: &Event, body: &Rendered) -> BTreeMap<String, u8> {
    let mut found: BTreeMap<String, u8> = BTreeMap::new();
    let mut add = |text: &str, field: u8| {
        for term in terms(text) {
            *found.entry(term).or_default() |= field;
        }
    };
    add(&event.title, TITLE);
    for org in event
        .orgs
        .iter()
        .filter_map(|k| view.timeline.organisation(k))
    {
        add(&org.name, ORGANISATION);
        add(&org.short, ORGANISATION);
        add(&org.key, ORGANISATION);
    }
    for tag in &event.tags {
        add(tag, TAG);
    }
    // The sources this reader is shown (its notes), not every source of the event: a register
    // source cited only inside an `::: internal` block is no public reader's.
    for note in &body.list.notes {
        if let NoteContent::Source(i) = note.content {
            if let Some(source) = event.sources.get(i) {
                add(&source.title, SOURCE);
                add(source.publisher.as_deref().unwrap_or(""), SOURCE);
            }
        }
    }
    add(&html_text(&body.list.html), BODY);
    // Footnotes written in the body; one inside an `::: internal` block only for readers who
    // get those blocks (the renderer leaves it out for the others; this keeps to that).
    for note in &body.list.notes {
        if let NoteContent::Footnote(html) = &note.content {
            if !note.internal || view.internal_notes() {
                add(&html_text(html), BODY);
            }
        }
    }
    found
}

/// What a result shows of an event: `[title, slug, date, [organisations]]`.
fn doc(view: &View, event: &Event) -> serde_json::Value {
    let language = view.timeline.site.language;
    let title = format!(
        "{}{}",
        i18n::audience_marks(event.draft, event.internal, language),
        event.title
    );
    let orgs: Vec<&str> = event
        .orgs
        .iter()
        .filter_map(|k| view.timeline.organisation(k))
        .map(|o| o.short.as_str())
        .collect();
    serde_json::json!([
        title,
        event.slug,
        event.date.short_date_text(language),
        orgs
    ])
}

/// `kroniekSearch.add("<name>", <data>);` under its hashed name.
fn script(stem: &str, data: &impl Serialize) -> (String, OutputFile) {
    // Serialising plain data cannot fail.
    let json = serde_json::to_string(data).unwrap_or_default();
    let bytes = format!("kroniekSearch.add(\"{stem}\",{json});\n").into_bytes();
    let name = super::assets::hashed_name(&format!("{stem}.js"), &bytes);
    let path = PathBuf::from(format!("{FOLDER}/{name}"));
    (name, OutputFile::Made { path, bytes })
}

impl Index {
    /// The index of every event `view` shows, from the bodies rendered for it (`bodies` runs
    /// beside `view.events()`).
    pub fn build(view: &View, bodies: &[Rendered]) -> Index {
        let events = view.events();
        // term -> [doc, mask, doc, mask, …], docs ascending: one look-up per term and event.
        // The events' terms are found in parallel, a chunk at a time, so that only one chunk's
        // are held beside the postings (100,000 events would otherwise hold every term twice).
        let mut postings: HashMap<String, Vec<u32>, FnvBuildHasher> = HashMap::default();
        for (chunk, start) in events.chunks(CHUNK).zip((0..).step_by(CHUNK)) {
            let found: Vec<BTreeMap<String, u8>> = chunk
                .par_iter()
                .zip(bodies[start..].par_iter())
                .map(|(event, body)| event_terms(view, event, body))
                .collect();
            for (doc, terms) in (start..).zip(found) {
                for (term, mask) in terms {
                    postings
                        .entry(term)
                        .or_default()
                        .extend([doc as u32, u32::from(mask)]);
                }
            }
        }
        let mut sorted: Terms = postings.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        // Sorted, the terms of one shard stand together.
        let mut shards: Vec<(String, Terms)> = Vec::new();
        for (term, list) in sorted {
            let key = shard_key(&term);
            match shards.last_mut() {
                Some((last, terms)) if *last == key => terms.push((term, list)),
                _ => shards.push((key, vec![(term, list)])),
            }
        }
        let mut files = Vec::new();
        let mut shard_names: Vec<(String, String)> = Vec::new();
        for (key, terms) in shards {
            for (key, pairs) in split(key, terms) {
                let (name, file) = script(&shard_file_stem(&key), &pairs);
                shard_names.push((key, name));
                files.push(file);
            }
        }
        let mut doc_names = Vec::new();
        for (n, chunk) in events.chunks(DOCS_PER_FILE).enumerate() {
            let docs: Vec<serde_json::Value> = chunk.iter().map(|e| doc(view, e)).collect();
            let (name, file) = script(&format!("d-{n}"), &docs);
            doc_names.push(name);
            files.push(file);
        }
        let manifest = serde_json::json!({
            "count": events.len(),
            "per_file": DOCS_PER_FILE,
            "max_term": MAX_TERM,
            "docs": doc_names,
            "shards": shard_names,
        });
        let (name, file) = script("index", &manifest);
        files.push(file);
        Index {
            files,
            view: SearchView {
                index: format!("{FOLDER}/{name}"),
            },
        }
    }
}

/// A shard's terms, and how many bytes its file takes about.
type Terms = Vec<(String, Vec<u32>)>;

/// A shard above [`SHARD_BYTES`] is split by one more character of its terms (the terms as
/// long as its key stay under the key itself), again until each part is small enough or keys
/// are [`MAX_KEY`] long: a common beginning (`re`, `co`) is then no 600 KB file that every
/// query starting so must load. As an array of pairs, never an object: a term such as
/// `constructor` must not meet the properties every JavaScript object has.
fn split(key: String, terms: Terms) -> Vec<(String, Terms)> {
    let bytes: usize = terms.iter().map(|(t, p)| t.len() + 6 * p.len() + 6).sum();
    let depth = key.chars().count();
    if bytes <= SHARD_BYTES || depth >= MAX_KEY {
        return vec![(key, terms)];
    }
    let mut here = Vec::new();
    let mut longer: BTreeMap<String, Terms> = BTreeMap::new();
    for (term, postings) in terms {
        if term.chars().count() <= depth {
            here.push((term, postings));
        } else {
            let sub: String = term.chars().take(depth + 1).collect();
            longer.entry(sub).or_default().push((term, postings));
        }
    }
    let mut parts = Vec::new();
    if !here.is_empty() {
        parts.push((key, here));
    }
    for (sub, terms) in longer {
        parts.extend(split(sub, terms));
    }
    parts
}

/// About the largest term shard kept whole, in bytes.
pub const SHARD_BYTES: usize = 48 * 1024;

/// The longest shard key: below it, a shard is not split further however big.
pub const MAX_KEY: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        terms(text).collect()
    }

    #[test]
    fn diacritics_and_case_are_folded() {
        assert_eq!(normalise("Geïnformeerd"), "geinformeerd");
        assert_eq!(normalise("CAFÉ Ångström"), "cafe angstrom");
        // Compatibility forms: a ligature, full-width letters.
        assert_eq!(normalise("ﬁle ＡＢ"), "file ab");
        // Turkish capital I with dot: lowercase gives i and a combining dot, which goes.
        assert_eq!(normalise("İ"), "i");
    }

    #[test]
    fn words_are_split_at_everything_but_letters_and_digits() {
        assert_eq!(
            all("De NCSC-melding (v2.1) werd 's-avonds—laat—gedeeld: __proto__!"),
            [
                "de", "ncsc", "melding", "v2", "1", "werd", "s", "avonds", "laat", "gedeeld",
                "proto"
            ]
        );
        assert_eq!(all("  \n\t "), Vec::<String>::new());
        assert_eq!(all("Δήμος Київ"), ["δημος", "ки\u{456}в"]);
    }

    #[test]
    fn terms_are_cut_to_the_longest_kept() {
        let long = "a".repeat(10_000);
        let cut = all(&long);
        assert_eq!(cut, ["a".repeat(MAX_TERM)]);
    }

    #[test]
    fn shards_are_by_the_first_two_characters() {
        assert_eq!(shard_key("geinformeerd"), "ge");
        assert_eq!(shard_key("g"), "g");
        assert_eq!(shard_key("δημος"), "δη");
        assert_eq!(shard_file_stem("ge"), "t-ge");
        assert_eq!(shard_file_stem("9_"), "t-9_5f");
        assert_eq!(shard_file_stem("δη"), "t-_3b4_3b7");
    }

    #[test]
    fn big_shards_are_split_by_the_next_character() {
        let small: Terms = vec![("rea".into(), vec![0, 1]), ("reg".into(), vec![1, 16])];
        assert_eq!(
            split("re".into(), small.clone()),
            vec![("re".to_string(), small)]
        );

        // 3,000 events with `re`, `regering`, `regels`, `reactie`, `rest`: too big for one file.
        let postings: Vec<u32> = (0..3000).flat_map(|d| [d, 1]).collect();
        let words = ["re", "reactie", "regels", "regering", "rest"];
        let terms: Terms = words
            .iter()
            .map(|w| (w.to_string(), postings.clone()))
            .collect();
        let parts = split("re".into(), terms);
        let keys: Vec<&str> = parts.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["re", "rea", "rege", "res"]);
        // Every term in exactly one part, under a key it begins with.
        let mut placed: Vec<&str> = Vec::new();
        for (key, terms) in &parts {
            for (term, _) in terms {
                assert!(term.starts_with(key.as_str()), "{term} under {key}");
                placed.push(term);
            }
        }
        placed.sort_unstable();
        assert_eq!(placed, words);
        // However many, keys stop at MAX_KEY characters.
        let same: Terms = (0..50)
            .map(|i| (format!("regering{i}"), postings.clone()))
            .collect();
        let parts = split("re".into(), same);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].0, "rege");
    }

    #[test]
    fn shard_file_names_are_plain_and_distinct() {
        let keys = ["ab", "a_", "_a", "a", "é", "e\u{301}", "日本", "a1"];
        let stems: std::collections::BTreeSet<String> =
            keys.iter().map(|k| shard_file_stem(k)).collect();
        assert_eq!(stems.len(), keys.len());
        for stem in stems {
            assert!(
                stem.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-".contains(c)),
                "{stem}"
            );
        }
    }

    #[test]
    fn html_becomes_text_without_note_markers() {
        let html = "<p>Het <em>NCSC</em> &amp; de <a href=\"x\">gemeente</a><sup class=\"note-ref\"><a href=\"#n\">12</a></sup>.</p><p>Tweede</p>";
        let text = html_text(html);
        assert_eq!(all(&text), ["het", "ncsc", "de", "gemeente", "tweede"]);
        assert_eq!(html_text("a &lt;b&gt; c"), "a <b> c");
        // Unclosed tags and lone `<` do not loop or panic.
        assert_eq!(all(&html_text("x <p y")), ["x"]);
    }
}
