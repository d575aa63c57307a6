//! What each release changed against the one before: the changes page and the release history
//! of `timeline.json`.

use crate::model::release::{Release, ReleasedEvent, ReleasedNote};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// What one release (or, with `number` `None`, the site as it is now, since the latest
/// release) changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub number: Option<u32>,
    pub date: Option<NaiveDate>,
    pub note: Option<String>,
    pub added: Vec<Item>,
    /// Changed in substance, with the corrections dated since the release before.
    pub changed: Vec<Item>,
    /// Withdrawn in this release, with the withdrawal's note.
    pub withdrawn: Vec<Item>,
    pub renamed: Vec<Renamed>,
    /// Gone without a withdrawal or an alias: the checks refuse this, so only a record written
    /// by hand (or by an older kroniek) can show it; the page says so rather than hide it.
    pub removed: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub slug: String,
    pub title: String,
    pub notes: Vec<ReleasedNote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    pub title: String,
}

impl Changes {
    /// Whether nothing changed (then the site has no unreleased changes to show).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.changed.is_empty()
            && self.withdrawn.is_empty()
            && self.renamed.is_empty()
            && self.removed.is_empty()
    }
}

/// Every release's changes, oldest first; then, when `now` (the site as the public sees it
/// now) differs from the latest release, the changes not yet released.
pub fn history(releases: &[Release], now: Option<&[ReleasedEvent]>) -> Vec<Changes> {
    let mut history = Vec::with_capacity(releases.len() + 1);
    let mut before: Option<&Release> = None;
    for release in releases {
        let mut changes = diff(before, &release.events);
        changes.number = Some(release.number);
        changes.date = Some(release.date);
        changes.note = Some(release.note.clone());
        history.push(changes);
        before = Some(release);
    }
    if let (Some(latest), Some(now)) = (before, now) {
        let pending = diff(Some(latest), now);
        if !pending.is_empty() {
            history.push(pending);
        }
    }
    history
}

fn diff(before: Option<&Release>, after: &[ReleasedEvent]) -> Changes {
    let earlier: HashMap<&str, &ReleasedEvent> = before
        .map(|r| r.events.iter().map(|e| (e.slug.as_str(), e)).collect())
        .unwrap_or_default();
    let slugs_after: HashSet<&str> = after.iter().map(|e| e.slug.as_str()).collect();
    let since = before.map(|r| r.date.to_string()).unwrap_or_default();
    let mut changes = Changes {
        number: None,
        date: None,
        note: None,
        added: Vec::new(),
        changed: Vec::new(),
        withdrawn: Vec::new(),
        renamed: Vec::new(),
        removed: Vec::new(),
    };
    let mut matched: HashSet<&str> = HashSet::new();
    for event in after {
        let was = match earlier.get(event.slug.as_str()) {
            Some(was) => Some(*was),
            None => {
                let old = event.aliases.iter().find(|a| {
                    earlier.contains_key(a.as_str()) && !slugs_after.contains(a.as_str())
                });
                old.map(|old| {
                    changes.renamed.push(Renamed {
                        from: old.clone(),
                        to: event.slug.clone(),
                        title: event.title.clone(),
                    });
                    earlier[old.as_str()]
                })
            }
        };
        let Some(was) = was else {
            changes.added.push(item(event, Vec::new()));
            continue;
        };
        matched.insert(was.slug.as_str());
        if let Some(withdrawal) = &event.withdrawn {
            if was.withdrawn.is_none() {
                changes
                    .withdrawn
                    .push(item(event, vec![withdrawal.clone()]));
            }
        } else if was.substance != event.substance {
            let notes = event
                .corrections
                .iter()
                .filter(|c| c.date.as_str() >= since.as_str())
                .cloned()
                .collect();
            changes.changed.push(item(event, notes));
        }
    }
    if let Some(before) = before {
        for event in &before.events {
            if !matched.contains(event.slug.as_str()) {
                changes.removed.push(item(event, Vec::new()));
            }
        }
    }
    changes
}

fn item(event: &ReleasedEvent, notes: Vec<ReleasedNote>) -> Item {
    Item {
        slug: event.slug.clone(),
        title: event.title.clone(),
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::release::Parts;
    use std::collections::BTreeMap;

    fn event(slug: &str, substance: &str) -> ReleasedEvent {
        ReleasedEvent {
            slug: slug.into(),
            url: format!("events/{slug}/"),
            title: slug.to_uppercase(),
            substance: substance.into(),
            parts: Parts {
                title: String::new(),
                dates: String::new(),
                organisations: String::new(),
                body: String::new(),
                sources: String::new(),
            },
            aliases: Vec::new(),
            withdrawn: None,
            corrections: Vec::new(),
            line: 0,
        }
    }

    fn release(number: u32, day: u32, events: Vec<ReleasedEvent>) -> Release {
        Release {
            format: 1,
            number,
            date: NaiveDate::from_ymd_opt(2024, 6, day).unwrap(),
            note: format!("release {number}"),
            base_url: None,
            events,
            files: BTreeMap::new(),
            file: Default::default(),
            text: String::new(),
        }
    }

    fn note(date: &str, text: &str) -> ReleasedNote {
        ReleasedNote {
            date: date.into(),
            note: Some(text.into()),
        }
    }

    #[test]
    fn the_first_release_adds_everything() {
        let history = history(
            &[release(1, 10, vec![event("a", "1"), event("b", "2")])],
            None,
        );
        assert_eq!(history.len(), 1);
        let slugs: Vec<&str> = history[0].added.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["a", "b"]);
        assert_eq!(history[0].number, Some(1));
    }

    #[test]
    fn a_later_release_says_what_was_added_changed_withdrawn_and_renamed() {
        let one = release(
            1,
            10,
            vec![
                event("a", "1"),
                event("b", "2"),
                event("c", "3"),
                event("old", "4"),
            ],
        );
        let mut changed = event("a", "1*");
        changed.corrections = vec![
            note("2024-06-01", "before"),
            note("2024-06-12", "time fixed"),
        ];
        let mut withdrawn = event("b", "2");
        withdrawn.withdrawn = Some(note("2024-06-13", "did not hold"));
        let mut renamed = event("new", "4");
        renamed.aliases = vec!["old".into()];
        let two = release(
            2,
            14,
            vec![
                changed,
                withdrawn,
                event("c", "3"),
                renamed,
                event("d", "5"),
            ],
        );
        let history = history(&[one, two], None);
        let second = &history[1];
        assert_eq!(
            second.added.iter().map(|i| &i.slug).collect::<Vec<_>>(),
            ["d"]
        );
        assert_eq!(second.changed.len(), 1);
        assert_eq!(second.changed[0].notes, [note("2024-06-12", "time fixed")]);
        assert_eq!(
            second.withdrawn[0].notes,
            [note("2024-06-13", "did not hold")]
        );
        assert_eq!(
            second.renamed,
            [Renamed {
                from: "old".into(),
                to: "new".into(),
                title: "NEW".into()
            }]
        );
        assert!(second.removed.is_empty());
    }

    #[test]
    fn unreleased_changes_come_last_and_only_when_there_are_any() {
        let one = release(1, 10, vec![event("a", "1")]);
        let same = [event("a", "1")];
        assert_eq!(history(std::slice::from_ref(&one), Some(&same)).len(), 1);
        let more = [event("a", "1"), event("b", "2")];
        let history = history(&[one], Some(&more));
        assert_eq!(history.len(), 2);
        assert_eq!(history[1].number, None);
        assert_eq!(history[1].added[0].slug, "b");
    }

    #[test]
    fn an_event_gone_without_trace_is_shown_as_removed() {
        let one = release(1, 10, vec![event("a", "1"), event("b", "2")]);
        let two = release(2, 11, vec![event("a", "1")]);
        let history = history(&[one, two], None);
        assert_eq!(history[1].removed[0].slug, "b");
    }
}
