//! Splitting long lists of events into pages by year, then by month.
//!
//! A national register of 100,000 events on one page would be hundreds of megabytes of HTML:
//! no browser shows that. Above the site's `page_size`, the timeline and every organisation's
//! list become one page per year; a year that is still above `page_size` becomes one page per
//! month (its events dated only by year get a page of their own, keyed by the year). A month is
//! never split further: its events stay together, however many there are.

use super::view::DateView;
use crate::model::{Event, EventDate, Language, Precision};
use serde::Serialize;

/// One page of a split list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `2024` or `2024-06`: the page's file name and its place in the order.
    pub key: String,
    /// The first event's date at the period's precision, for its label ("juni 2024").
    pub date: EventDate,
    /// Indices into the list's events, in timeline order.
    pub members: Vec<usize>,
}

impl Period {
    /// How people read the period: "2024", "juni 2024".
    pub fn label(&self, language: Language) -> String {
        DateView::of(&self.date, language).short
    }
}

/// `indices` (in timeline order) split into periods when there are more than `page_size`;
/// `None` when they fit on one page, or all fall in one period (splitting would only add a
/// page that lists one page).
pub fn split(events: &[&Event], indices: &[usize], page_size: usize) -> Option<Vec<Period>> {
    if indices.len() <= page_size {
        return None;
    }
    let mut periods = Vec::new();
    for year in group(events, indices, Precision::Year) {
        if year.members.len() <= page_size {
            periods.push(year);
        } else {
            periods.extend(group(events, &year.members, Precision::Month));
        }
    }
    (periods.len() > 1).then_some(periods)
}

/// Consecutive events with the same year (or year and month), as periods. Events less precise
/// than `precision` are keyed by what they have (a year), so they form a period of their own.
fn group(events: &[&Event], indices: &[usize], precision: Precision) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for &i in indices {
        let mut date = events[i].date.clone();
        date.precision = date.precision.min(precision);
        let key = match date.precision {
            Precision::Year => date.local.format("%Y").to_string(),
            _ => date.local.format("%Y-%m").to_string(),
        };
        match periods.iter_mut().rev().find(|p| p.key == key) {
            Some(period) => period.members.push(i),
            None => periods.push(Period {
                key,
                date,
                members: vec![i],
            }),
        }
    }
    periods
}

/// For each of the first `events` events, the index in `periods` of the period that holds it
/// (`None` for an event on no page of this list).
pub fn index_by_event(periods: &[Period], events: usize) -> Vec<Option<usize>> {
    let mut period_of = vec![None; events];
    for (p, period) in periods.iter().enumerate() {
        for &i in &period.members {
            if let Some(slot) = period_of.get_mut(i) {
                *slot = Some(p);
            }
        }
    }
    period_of
}

/// A period as templates show it: in a list of periods, or as the page it is.
#[derive(Serialize, Clone)]
pub struct PeriodView {
    pub key: String,
    /// "2024", "juni 2024".
    pub label: String,
    pub count: usize,
    /// The period's page, relative to the page that lists it.
    pub href: String,
    /// Whether this is the page being shown.
    pub current: bool,
}

/// The list of `periods` as a page shows it; `href_of` gives the link to each from that page.
pub fn views(
    periods: &[Period],
    current: Option<&str>,
    language: Language,
    href_of: impl Fn(&str) -> String,
) -> Vec<PeriodView> {
    periods
        .iter()
        .map(|p| PeriodView {
            key: p.key.clone(),
            label: p.label(language),
            count: p.members.len(),
            href: href_of(&p.key),
            current: current == Some(p.key.as_str()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventDate;

    fn event(date: &str) -> Event {
        let (date, _) = EventDate::parse(date, chrono_tz::UTC).unwrap();
        Event::for_tests(date)
    }

    fn keys(periods: &[Period]) -> Vec<(&str, usize)> {
        periods
            .iter()
            .map(|p| (p.key.as_str(), p.members.len()))
            .collect()
    }

    #[test]
    fn a_list_that_fits_is_not_split() {
        let events = [event("2023-01-01"), event("2024-01-01")];
        let refs: Vec<&Event> = events.iter().collect();
        assert_eq!(split(&refs, &[0, 1], 2), None);
    }

    #[test]
    fn years_first_then_months_of_a_year_that_is_still_too_big() {
        let events = [
            event("2023-05-01"),
            event("2024"),
            event("2024-02"),
            event("2024-02-03"),
            event("2024-03-09T10:00:00Z"),
            event("2025-01-01"),
        ];
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..events.len()).collect();
        let periods = split(&refs, &all, 3).unwrap();
        assert_eq!(
            keys(&periods),
            [
                ("2023", 1),
                ("2024", 1),
                ("2024-02", 2),
                ("2024-03", 1),
                ("2025", 1)
            ]
        );
        // Every event is on exactly one page, in timeline order.
        let members: Vec<usize> = periods.iter().flat_map(|p| p.members.clone()).collect();
        assert_eq!(members, all);
    }

    #[test]
    fn a_month_above_the_page_size_stays_one_page() {
        let events: Vec<Event> = (1..=9).map(|d| event(&format!("2024-06-0{d}"))).collect();
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..9).collect();
        assert_eq!(split(&refs, &all, 2), None, "one period is no split");
        let mut events = events;
        events.push(event("2024-07-01"));
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..10).collect();
        assert_eq!(
            keys(&split(&refs, &all, 2).unwrap()),
            [("2024-06", 9), ("2024-07", 1)]
        );
    }

    #[test]
    fn labels_are_in_the_site_language() {
        let events = [event("2024-06-04"), event("2024-07-01")];
        let refs: Vec<&Event> = events.iter().collect();
        let periods = split(&refs, &[0, 1], 1).unwrap();
        let list = views(&periods, Some("2024-07"), Language::Nl, |k| {
            format!("{k}.html")
        });
        assert_eq!(list[0].label, "juni 2024");
        assert_eq!(list[0].href, "2024-06.html");
        assert!(!list[0].current && list[1].current);
    }
}
