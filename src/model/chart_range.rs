//! The `chart:` setting of `_index.md`: the range the overview chart shows, when the author
//! fixes it (`chart: { from: 2011-08-28, to: 2011-09-10 }`). Either end may be left out; the
//! chart then finds that side itself. It must never accept a key or a date it cannot use
//! quietly: a misspelt `form:` would leave the chart unfixed without a word, so it is an error
//! with its place in the file, as every other setting's.

use super::date::EventDate;
use super::event::read_date;
use super::text::Text;
use crate::diagnostics::{nearest, Problem};
use crate::front_matter::{locate, Document, Step};
use chrono_tz::Tz;
use indexmap::IndexMap;

/// The keys `chart:` takes.
const KEYS: [&str; 2] = ["from", "to"];

/// The range the overview chart shows, as `_index.md` fixes it. Events outside it are gathered
/// at the chart's "earlier" and "later" edges. `to` names the last day (month, year) shown,
/// whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartRange {
    pub from: Option<EventDate>,
    pub to: Option<EventDate>,
}

/// Reads `chart:` as YAML gave it (a mapping of text values), pushing a problem for every key
/// it does not know, every date it cannot read and a `from` after `to`.
pub(super) fn parse(
    doc: &Document,
    raw: Option<IndexMap<String, Text>>,
    tz: Tz,
    problems: &mut Vec<Problem>,
) -> ChartRange {
    let mut range = ChartRange::default();
    let mut written_to = String::new();
    // Dates are found by their text inside `chart:`, which is often a one-line mapping.
    let path = [Step::Key("chart")];
    for (key, value) in raw.unwrap_or_default() {
        let slot = match key.as_str() {
            "from" => &mut range.from,
            "to" => {
                written_to = value.0.trim().to_string();
                &mut range.to
            }
            _ => {
                problems.push(unknown_key(doc, &key));
                continue;
            }
        };
        *slot = read_date(doc, &path, &value, tz, problems);
    }
    if let (Some(from), Some(to)) = (&range.from, &range.to) {
        if from.start > to.start {
            let written = written_to;
            problems.push(
                doc.error(
                    locate(doc, &path, Some(&written)),
                    "chart-range",
                    format!(
                        "the chart's range ends before it starts: `to: {written}` is before `from: {}`",
                        from.iso()
                    ),
                )
                .with_hint("`to` is the last day the chart shows, on or after `from`"),
            );
            range = ChartRange::default();
        }
    }
    range
}

fn unknown_key(doc: &Document, key: &str) -> Problem {
    let hint = match nearest(key, KEYS) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "`chart` takes `from` and `to`, e.g. `chart: { from: 2011-08-28, to: 2011-09-10 }`"
            .to_string(),
    };
    doc.error(
        locate(doc, &[Step::Key("chart")], Some(key)),
        "unknown-field",
        format!("unknown `chart` setting `{key}`"),
    )
    .with_hint(hint)
}
