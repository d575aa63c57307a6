//! The two rules of the public record, checked against the latest release:
//! `changed-without-correction` and `removed-without-withdrawal`.

use crate::audience::{Reader, View};
use crate::diagnostics::Problem;
use crate::front_matter::{locate, Step};
use crate::markdown::Body;
use crate::model::release::{Release, ReleasedEvent};
use crate::model::Event;

/// Every break of the rules by the view's events. Only the public's view is judged (the rules
/// are about what the public was given); for other readers this finds nothing. `bodies` are the
/// view's rendered bodies, in its order.
pub fn check<'a>(view: &View, bodies: impl IntoIterator<Item = &'a Body>) -> Vec<Problem> {
    let Some(release) = view.timeline.releases.last() else {
        return Vec::new();
    };
    if view.audience.reader != Reader::Public {
        return Vec::new();
    }
    let now = super::released(view, bodies);
    let mut problems = Vec::new();
    for published in &release.events {
        match find(view.events(), &now, &published.slug) {
            Some((event, current)) => {
                if let Some(problem) = changed(release, published, event, current) {
                    problems.push(problem);
                }
            }
            None => problems.push(removed(view, release, published)),
        }
    }
    problems
}

/// The event that is now what `slug` was: the event of that slug, or the one that lists it
/// among its `aliases`. A draft is not published, even where the preview shows drafts.
fn find<'e>(
    events: &'e [Event],
    now: &'e [ReleasedEvent],
    slug: &str,
) -> Option<(&'e Event, &'e ReleasedEvent)> {
    let published = || events.iter().zip(now).filter(|(e, _)| !e.draft);
    published()
        .find(|(e, _)| e.slug == slug)
        .or_else(|| published().find(|(e, _)| e.aliases.iter().any(|a| a == slug)))
}

/// `changed-without-correction`, at the first part that changed, unless the event is withdrawn
/// (the withdrawal says what became of it) or carries a correction dated on or after the
/// release.
fn changed(
    release: &Release,
    published: &ReleasedEvent,
    event: &Event,
    current: &ReleasedEvent,
) -> Option<Problem> {
    if current.substance == published.substance || event.withdrawn.is_some() {
        return None;
    }
    let corrected = event
        .corrections
        .iter()
        .any(|c| c.date.day() >= release.date);
    if corrected {
        return None;
    }
    let (was, now) = (&published.parts, &current.parts);
    let differ = [
        (was.title != now.title, "its title", Some("title")),
        (was.dates != now.dates, "its dates", Some("date")),
        (
            was.organisations != now.organisations,
            "its organisations",
            Some("orgs"),
        ),
        (was.body != now.body, "its text", None),
        (was.sources != now.sources, "its sources", Some("sources")),
    ];
    let what: Vec<&str> = differ.iter().filter(|d| d.0).map(|d| d.1).collect();
    let first_field = differ.iter().find(|d| d.0).and_then(|d| d.2);
    let doc = &event.doc;
    let at = match first_field {
        Some(field) => locate(doc, &[Step::Key(field)], None),
        None => (doc.body_line, 1, 1),
    };
    let message = format!(
        "`{}` was published in release {} ({}) and has changed since without a correction ({})",
        published.slug,
        release.number,
        release.date,
        list(&what),
    );
    let hint = format!(
        "add a correction dated on or after {} that says what changed and why \
         (`corrections: [{{date: YYYY-MM-DD, note: \"…\"}}]`), or undo the change",
        release.date,
    );
    Some(
        doc.error(at, "changed-without-correction", message)
            .with_hint(hint),
    )
}

/// `removed-without-withdrawal`: at the event's file when it is still there but no longer
/// public (made internal or a draft), else at the record's line that names it.
fn removed(view: &View, release: &Release, published: &ReleasedEvent) -> Problem {
    // Hidden from the public, or a draft that only the preview shows.
    let hidden = view
        .hidden_events()
        .iter()
        .chain(view.events())
        .find(|e| e.slug == published.slug || e.aliases.contains(&published.slug));
    let head = format!(
        "`{}` (\"{}\") was published in release {} ({})",
        published.slug, published.title, release.number, release.date
    );
    if let Some(event) = hidden {
        let (field, state) = if event.internal {
            ("internal", "internal")
        } else {
            ("draft", "a draft")
        };
        let at = locate(&event.doc, &[Step::Key(field)], None);
        return event
            .doc
            .error(
                at,
                "removed-without-withdrawal",
                format!("{head} and is now {state}: the public would no longer see it"),
            )
            .with_hint(
                "a published event is withdrawn, not hidden: keep it public and add \
                 `withdrawn: {date: …, note: \"…\"}` saying why",
            );
    }
    let column = release
        .text
        .lines()
        .nth(published.line.saturating_sub(1))
        .and_then(|line| line.find("\"slug\""))
        .map_or(1, |i| i + 1);
    Problem::error_at(
        &release.file,
        &release.text,
        published.line,
        column,
        "\"slug\"".len(),
        "removed-without-withdrawal",
        format!("{head} and is gone: no event has this slug or lists it in `aliases:`"),
    )
    .with_hint(format!(
        "if the event was renamed, add `aliases: [{}]` to its new file; if it no longer \
         holds, restore its file and add `withdrawn: {{date: …, note: \"…\"}}` saying why",
        published.slug
    ))
}

/// "its title", "its title and its text", "its title, its dates and its text".
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::list;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(list(&["a"]), "a");
        assert_eq!(list(&["a", "b"]), "a and b");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }
}
