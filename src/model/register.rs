//! The sources register: `content/sources.yaml`, a map from an id to a source, so that a
//! document cited by many events is written once (a typo in one of seven pasted copies made two
//! sources on the sources page).
//!
//! An event lists register sources by id (`sources: [kst-1182]`) or cites one inline (`[^id]`)
//! without listing it. A source cited without being listed is [`Source::cited_only`]: the
//! markdown stage gives it a note only where a reader sees the citation, so a citation inside an
//! `::: internal` block leaves public output without a trace of it. This module never decides
//! what a reader sees.

use super::event::{source, RawSource};
use super::site::Site;
use super::text::{is_slug, slugify};
use super::Source;
use crate::diagnostics::Problem;
use crate::front_matter::{self, locate, Document, Step};
use indexmap::IndexMap;

/// The register's sources by id, in the file's order.
pub type Register = IndexMap<String, Source>;

/// Where the register is, relative to the site.
pub const FILE: &str = "content/sources.yaml";

/// Reads the register (an empty one when there is no file).
pub fn parse(doc: Option<&Document>, site: &Site, problems: &mut Vec<Problem>) -> Register {
    let Some(doc) = doc else {
        return Register::new();
    };
    let hints = [(
        "",
        "write each source as `id: { title: \"…\", url: \"…\" }`, or `id:` with the fields indented below",
    )];
    let raw: IndexMap<String, RawSource> = match front_matter::parse(doc, &hints) {
        Ok(raw) => raw,
        Err(problem) => {
            problems.push(problem);
            return Register::new();
        }
    };
    let written = front_matter::keys(doc, &front_matter::value(doc));
    let mut register = Register::new();
    for (id, raw) in raw {
        if !is_slug(&id) {
            let at = written
                .iter()
                .find(|(key, _)| *key == id)
                .map_or_else(|| locate(doc, &[Step::Key(&id)], None), |(_, at)| *at);
            problems.push(
                doc.error(
                    at,
                    "invalid-source-id",
                    format!("source id `{id}` cannot be cited"),
                )
                .with_hint(format!(
                    "use lowercase letters, digits and `-`, e.g. `{}`",
                    slugify(&id)
                )),
            );
            continue;
        }
        let mut source = source(doc, &[Step::Key(&id)], raw, site, problems);
        source.id = Some(id.clone());
        source.in_register = true;
        register.insert(id, source);
    }
    register
}

/// The register sources `doc`'s body cites as `[^id]` that are not among `listed` and not
/// footnotes of the body, marked [`Source::cited_only`], in the order first cited.
pub fn cited_only(doc: &Document, listed: &[Source], register: &Register) -> Vec<Source> {
    if register.is_empty() {
        return Vec::new();
    }
    let body = doc.body_text();
    let mut found: Vec<Source> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("[^") {
        let after = &rest[start + 2..];
        let Some(end) = after.find(']') else { break };
        let name = after[..end].to_lowercase();
        rest = &after[end..];
        let Some(source) = register.get(&name) else {
            continue;
        };
        let known = listed
            .iter()
            .chain(&found)
            .any(|s| s.id.as_deref() == Some(name.as_str()));
        // Looked for once per id (after that it is known): a body citing one id 40,000 times
        // must not search itself 40,000 times.
        if !known && !body.contains(&format!("[^{}]:", &after[..end])) {
            found.push(Source {
                cited_only: true,
                ..source.clone()
            });
        }
    }
    found
}
