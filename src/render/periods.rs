//! Splitting long lists of events into pages: by year, then by month, then into parts of a
//! month, so that no page is too heavy for a phone.
//!
//! A national register of 100,000 events on one page would be hundreds of megabytes of HTML:
//! no browser shows that, and a phone already struggles with a few megabytes. A list is split
//! when it holds more than the site's `page_size` events or more than a byte budget of
//! rendered HTML ([`Budget`]): the timeline and every organisation's list become one page per
//! year; a year that is still too big becomes one page per month (its events dated only by
//! year get a page of their own, keyed by the year); a month that is still too big becomes
//! parts of consecutive whole days, and a single day too big for one page is cut between its
//! events. This module must never change the order of events or leave one out: every event of
//! a list is on exactly one of its pages, in timeline order.

use super::days;
use super::view::DateView;
use crate::model::{Event, EventDate, Language, Precision};
use serde::Serialize;
use std::collections::HashSet;

/// The estimated bytes of the events of one page, beyond which a list is split further: half
/// of the 500 KB that the heaviest page may weigh, the rest left for what every page carries
/// (header, filter bar, the list of periods).
pub const PAGE_BYTES: usize = 256 * 1024;

/// What one page may hold.
#[derive(Clone, Copy)]
pub struct Budget<'w> {
    /// The most events on one page (`page_size`).
    pub page_size: usize,
    /// The most estimated bytes of events on one page.
    pub bytes: usize,
    /// The estimated bytes of each event on a list page, by index into the list's events
    /// (none: only `page_size` counts).
    pub weights: &'w [usize],
}

impl Budget<'_> {
    /// Whether the events at `members` fit on one page.
    fn fits(&self, members: &[usize]) -> bool {
        members.len() <= self.page_size && self.weight(members) <= self.bytes
    }

    fn weight(&self, members: &[usize]) -> usize {
        members
            .iter()
            .map(|&i| self.weights.get(i).copied().unwrap_or(0))
            .sum()
    }
}

/// One page of a split list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `2024`, `2024-06`, `2024-06-10` (a part of a month from that day), `2024-06-10.2` (the
    /// second part of a day): the page's file name, unique in its list.
    pub key: String,
    /// The first event's date at the year's or month's precision, for its label ("juni 2024").
    pub date: EventDate,
    /// Indices into the list's events, in timeline order.
    pub members: Vec<usize>,
    /// For one of several pages of a month (or year): the days it covers ("1–9", "10"), with
    /// the part of a day cut between its events ("10, 2/3"); shown after the label.
    pub part: Option<String>,
}

impl Period {
    /// How people read the period: "2024", "juni 2024", "juni 2024 (10–21)".
    pub fn label(&self, language: Language) -> String {
        let base = DateView::of(&self.date, language).short;
        match &self.part {
            Some(part) => format!("{base} ({part})"),
            None => base,
        }
    }

    /// The year or month this period is (a part of), as its own key: `2024-06` for every part
    /// of June 2024. What the chart of a split timeline draws a bar for.
    pub fn group(&self) -> String {
        month_key(&self.date)
    }
}

/// `indices` (in timeline order) split into periods when there are more than `page_size`;
/// `None` when they fit on one page, or all fall in one period (splitting would only add a
/// page that lists one page).
pub fn split(events: &[&Event], indices: &[usize], page_size: usize) -> Option<Vec<Period>> {
    let budget = Budget {
        page_size,
        bytes: usize::MAX,
        weights: &[],
    };
    split_within(events, indices, &budget)
}

/// `indices` (in timeline order) split into periods when they do not fit `budget`: by year,
/// then month, then parts of a month; `None` when they fit on one page, or would make only one.
pub fn split_within(events: &[&Event], indices: &[usize], budget: &Budget) -> Option<Vec<Period>> {
    if budget.fits(indices) {
        return None;
    }
    let mut periods = Vec::new();
    for year in group(events, indices, Precision::Year) {
        if budget.fits(&year.members) {
            periods.push(year);
            continue;
        }
        for month in group(events, &year.members, Precision::Month) {
            if budget.fits(&month.members) {
                periods.push(month);
            } else {
                periods.extend(parts(events, month, budget));
            }
        }
    }
    unique_keys(&mut periods);
    (periods.len() > 1).then_some(periods)
}

/// Consecutive events with the same year (or year and month), as periods. Events less precise
/// than `precision` are keyed by what they have (a year), so they form a period of their own.
fn group(events: &[&Event], indices: &[usize], precision: Precision) -> Vec<Period> {
    let mut periods: Vec<Period> = Vec::new();
    for &i in indices {
        let mut date = events[i].date.clone();
        date.precision = date.precision.min(precision);
        let key = month_key(&date);
        match periods.iter_mut().rev().find(|p| p.key == key) {
            Some(period) => period.members.push(i),
            None => periods.push(Period {
                key,
                date,
                members: vec![i],
                part: None,
            }),
        }
    }
    periods
}

/// `2024` or `2024-06`, at the date's precision (at most a month).
fn month_key(date: &EventDate) -> String {
    match date.precision {
        Precision::Year => date.local.format("%Y").to_string(),
        _ => date.local.format("%Y-%m").to_string(),
    }
}

/// A month (or the events of a year dated only by year) too big for one page, as parts that
/// fit: consecutive whole days while they fit, and a day too big on its own cut between its
/// events. The first part keeps the month's key, so that a link to the month opens at its
/// start; the others are keyed by their first day.
fn parts(events: &[&Event], whole: Period, budget: &Budget) -> Vec<Period> {
    let mut parts: Vec<Vec<(EventDate, Vec<usize>)>> = Vec::new();
    let mut current: Vec<(EventDate, Vec<usize>)> = Vec::new();
    let mut current_members: Vec<usize> = Vec::new();
    for (heading, members) in days::group_indices(events, &whole.members) {
        let mut together = current_members.clone();
        together.extend(&members);
        if budget.fits(&together) {
            current_members = together;
            current.push((heading, members));
            continue;
        }
        if !current.is_empty() {
            parts.push(std::mem::take(&mut current));
            current_members.clear();
        }
        if budget.fits(&members) {
            current_members = members.clone();
            current.push((heading, members));
        } else {
            parts.extend(
                cut(&members, budget)
                    .into_iter()
                    .map(|m| vec![(heading.clone(), m)]),
            );
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    let cuts = cut_numbers(&parts);
    parts
        .into_iter()
        .zip(cuts)
        .enumerate()
        .map(|(n, (days, cut))| {
            let key = match n {
                0 => whole.key.clone(),
                _ => days[0].0.iso(),
            };
            Period {
                key,
                date: whole.date.clone(),
                part: part_text(&days, cut),
                members: days.into_iter().flat_map(|(_, m)| m).collect(),
            }
        })
        .collect()
}

/// The events of one day (in order) in pieces that each fit, at least one event a piece.
fn cut(members: &[usize], budget: &Budget) -> Vec<Vec<usize>> {
    let mut pieces: Vec<Vec<usize>> = Vec::new();
    let mut piece: Vec<usize> = Vec::new();
    // Kept as it grows: a day of 100,000 events is cut in one pass.
    let mut weight = 0;
    for &i in members {
        let more = budget.weight(&[i]);
        let full = piece.len() + 1 > budget.page_size || weight + more > budget.bytes;
        if !piece.is_empty() && full {
            pieces.push(std::mem::take(&mut piece));
            weight = 0;
        }
        piece.push(i);
        weight += more;
    }
    pieces.push(piece);
    pieces
}

/// For each part, `Some((n, of))` when it is the n-th of `of` pieces of one day cut between
/// its events.
fn cut_numbers(parts: &[Vec<(EventDate, Vec<usize>)>]) -> Vec<Option<(usize, usize)>> {
    let heading = |part: &Vec<(EventDate, Vec<usize>)>| {
        (part.len() == 1).then(|| (part[0].0.precision, part[0].0.local))
    };
    let mut numbers = vec![None; parts.len()];
    let mut start = 0;
    while start < parts.len() {
        let mut end = start + 1;
        while heading(&parts[start]).is_some()
            && end < parts.len()
            && heading(&parts[end]) == heading(&parts[start])
        {
            end += 1;
        }
        if end - start > 1 {
            for (n, slot) in numbers[start..end].iter_mut().enumerate() {
                *slot = Some((n + 1, end - start));
            }
        }
        start = end;
    }
    numbers
}

/// "1–9", "10", "10, 2/3", or "2/3" for a piece of the events dated only by month; `None` for
/// a part of only those events, whole.
fn part_text(days: &[(EventDate, Vec<usize>)], cut: Option<(usize, usize)>) -> Option<String> {
    use chrono::Datelike;
    let numbers: Vec<u32> = days
        .iter()
        .filter(|(d, _)| d.precision >= Precision::Day)
        .map(|(d, _)| d.local.day())
        .collect();
    let range = match (numbers.first(), numbers.last()) {
        (Some(first), Some(last)) if first == last => Some(first.to_string()),
        (Some(first), Some(last)) => Some(format!("{first}–{last}")),
        _ => None,
    };
    let cut = cut.map(|(n, of)| format!("{n}/{of}"));
    match (range, cut) {
        (Some(range), Some(cut)) => Some(format!("{range}, {cut}")),
        (range, cut) => range.or(cut),
    }
}

/// Keys made unique in their list: a second `2024-06-10` becomes `2024-06-10.2`.
fn unique_keys(periods: &mut [Period]) {
    let mut seen: HashSet<String> = HashSet::new();
    for period in periods {
        let mut key = period.key.clone();
        let mut n = 1;
        while !seen.insert(key.clone()) {
            n += 1;
            key = format!("{}.{n}", period.key);
        }
        period.key = key;
    }
}

/// The periods a chart of the split list draws, one per year or month: consecutive parts of a
/// month merged into one period, keyed (and so linked) by its first part.
pub fn groups(periods: &[Period]) -> Vec<Period> {
    let mut merged: Vec<Period> = Vec::new();
    for period in periods {
        match merged.last_mut() {
            Some(last) if last.group() == period.group() && last.date == period.date => {
                last.members.extend(&period.members)
            }
            _ => merged.push(Period {
                part: None,
                ..period.clone()
            }),
        }
    }
    merged
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

/// The list of periods on the page of `periods[current]`: every part of its own month (or
/// year), and each other month or year once, linked to its first part and counted whole. So
/// the list grows with the months of the register, not with its pages: at 100,000 events a
/// list of every part would weigh as much as the page's events.
///
/// Without `current` (the list's first page, `index.html`), every month or year once.
pub fn nav(
    periods: &[Period],
    current: Option<usize>,
    language: Language,
    href_of: impl Fn(&str) -> String,
) -> Vec<PeriodView> {
    let mine = current.map(|i| periods[i].group());
    let mine = mine.as_deref();
    let mut list: Vec<PeriodView> = Vec::new();
    let mut last_group: Option<(String, &EventDate)> = None;
    for (i, p) in periods.iter().enumerate() {
        let group = p.group();
        let same = last_group
            .as_ref()
            .is_some_and(|(g, d)| *g == group && **d == p.date);
        let own = mine == Some(group.as_str());
        if own || !same {
            let whole = !own;
            list.push(PeriodView {
                key: p.key.clone(),
                label: match whole {
                    true => DateView::of(&p.date, language).short,
                    false => p.label(language),
                },
                count: p.members.len(),
                href: href_of(&p.key),
                current: current == Some(i),
            });
        } else if let Some(entry) = list.last_mut() {
            entry.count += p.members.len();
        }
        last_group = Some((group, &p.date));
    }
    list
}

/// The pages before and after `periods[current]`, and it, for the pager: at most three.
pub fn pager(
    periods: &[Period],
    current: usize,
    language: Language,
    href_of: impl Fn(&str) -> String,
) -> Vec<PeriodView> {
    let from = current.saturating_sub(1);
    let to = (current + 2).min(periods.len());
    views(
        &periods[from..to],
        Some(&periods[current].key),
        language,
        href_of,
    )
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
    fn a_month_above_the_page_size_is_split_into_parts_of_whole_days() {
        // `page_size` bounds every page: a month above it is no longer one page.
        let dates = [
            "2024-06",
            "2024-06-01",
            "2024-06-02",
            "2024-06-02",
            "2024-06-09",
        ];
        let events: Vec<Event> = dates.iter().map(|d| event(d)).collect();
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..events.len()).collect();
        let periods = split(&refs, &all, 2).unwrap();
        assert_eq!(
            keys(&periods),
            [("2024-06", 2), ("2024-06-02", 2), ("2024-06-09", 1)]
        );
        let labels: Vec<String> = periods.iter().map(|p| p.label(Language::En)).collect();
        assert_eq!(labels, ["June 2024 (1)", "June 2024 (2)", "June 2024 (9)"]);
        let members: Vec<usize> = periods.iter().flat_map(|p| p.members.clone()).collect();
        assert_eq!(members, all);
        // The chart draws the month once, linked to its first part.
        let groups = groups(&periods);
        assert_eq!(keys(&groups), [("2024-06", 5)]);
        assert_eq!(groups[0].label(Language::En), "June 2024");
    }

    #[test]
    fn the_list_on_a_page_has_the_parts_of_its_own_month_and_every_other_month_once() {
        let dates = [
            "2024-05-02",
            "2024-06-01",
            "2024-06-02",
            "2024-06-09",
            "2024-07-01",
        ];
        let events: Vec<Event> = dates.iter().map(|d| event(d)).collect();
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..events.len()).collect();
        let periods = split(&refs, &all, 1).unwrap();
        assert_eq!(periods.len(), 5);
        let href = |k: &str| format!("{k}.html");
        let entries = |list: Vec<PeriodView>| -> Vec<(String, String, usize, bool)> {
            list.into_iter()
                .map(|v| (v.href, v.label, v.count, v.current))
                .collect()
        };
        let on_may = entries(nav(&periods, Some(0), Language::En, href));
        let owned = |h: &str, l: &str, c, cur| (h.to_string(), l.to_string(), c, cur);
        assert_eq!(
            on_may,
            [
                owned("2024-05.html", "May 2024", 1, true),
                owned("2024-06.html", "June 2024", 3, false),
                owned("2024-07.html", "July 2024", 1, false)
            ]
        );
        let on_june_2 = entries(nav(&periods, Some(2), Language::En, href));
        assert_eq!(
            on_june_2,
            [
                owned("2024-05.html", "May 2024", 1, false),
                owned("2024-06.html", "June 2024 (1)", 1, false),
                owned("2024-06-02.html", "June 2024 (2)", 1, true),
                owned("2024-06-09.html", "June 2024 (9)", 1, false),
                owned("2024-07.html", "July 2024", 1, false)
            ]
        );
        let months = entries(nav(&periods, None, Language::En, href));
        let labels: Vec<&str> = months.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(labels, ["May 2024", "June 2024", "July 2024"]);
        let around = entries(pager(&periods, 1, Language::En, href));
        let hrefs: Vec<&str> = around.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(hrefs, ["2024-05.html", "2024-06.html", "2024-06-02.html"]);
        assert_eq!(entries(pager(&periods, 4, Language::En, href)).len(), 2);
    }

    #[test]
    fn a_day_too_big_for_one_page_is_cut_between_its_events_into_numbered_parts() {
        let mut events: Vec<Event> = (0..7).map(|_| event("2024-06-04")).collect();
        events.push(event("2024-06-05"));
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..events.len()).collect();
        let periods = split(&refs, &all, 3).unwrap();
        assert_eq!(
            keys(&periods),
            [
                ("2024-06", 3),
                ("2024-06-04", 3),
                ("2024-06-04.2", 1),
                ("2024-06-05", 1)
            ]
        );
        let labels: Vec<String> = periods.iter().map(|p| p.label(Language::Nl)).collect();
        assert_eq!(
            labels,
            [
                "juni 2024 (4, 1/3)",
                "juni 2024 (4, 2/3)",
                "juni 2024 (4, 3/3)",
                "juni 2024 (5)"
            ]
        );
    }

    #[test]
    fn the_byte_budget_splits_a_list_that_the_page_size_lets_through() {
        let dates = ["2023-05-01", "2024-02-01", "2024-02-02", "2024-03-01"];
        let events: Vec<Event> = dates.iter().map(|d| event(d)).collect();
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..events.len()).collect();
        let weights = [10, 60, 60, 10];
        let budget = |bytes| Budget {
            page_size: 1000,
            bytes,
            weights: &weights,
        };
        assert_eq!(split_within(&refs, &all, &budget(140)), None);
        // 2024 weighs 130: over 100, so by month; February (120) in days.
        let periods = split_within(&refs, &all, &budget(100)).unwrap();
        assert_eq!(
            keys(&periods),
            [
                ("2023", 1),
                ("2024-02", 1),
                ("2024-02-02", 1),
                ("2024-03", 1)
            ]
        );
        // An event heavier than the budget still gets a page: alone.
        let periods = split_within(&refs, &all, &budget(5)).unwrap();
        assert_eq!(periods.len(), 4);
        let one = split_within(&refs, &[1], &budget(5));
        assert_eq!(one, None, "a single event is one page, whatever it weighs");
    }

    #[test]
    fn three_thousand_events_in_one_month_give_pages_within_the_budget() {
        let events: Vec<Event> = (0..3000)
            .map(|i| event(&format!("2024-06-{:02}", 1 + i % 28)))
            .collect();
        let mut events = events;
        events.sort_by(|a, b| a.date.cmp(&b.date));
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..events.len()).collect();
        let weights = vec![5_000; events.len()];
        let budget = Budget {
            page_size: 1000,
            bytes: PAGE_BYTES,
            weights: &weights,
        };
        let periods = split_within(&refs, &all, &budget).unwrap();
        assert!(
            periods.len() >= 3000 * 5_000 / PAGE_BYTES,
            "{}",
            periods.len()
        );
        for p in &periods {
            assert!(p.members.len() * 5_000 <= PAGE_BYTES, "{}", p.key);
        }
        let members: Vec<usize> = periods.iter().flat_map(|p| p.members.clone()).collect();
        assert_eq!(members, all);
        let keys: HashSet<&str> = periods.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys.len(), periods.len(), "keys are unique");
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
