//! The time axis. Its unit follows the span (hours, days, months, years); its step is the
//! smallest whose labels do not collide, so there are never more labels than fit, and a label
//! that would stick out of the chart is left off (its grid line stays). Labels are in the
//! site's language and time zone; hours and days get a caption with the date or year they
//! leave out. A single instant still gets an axis of a few hours (see `MIN_SPAN`).

use super::focus::{EDGE_PAD, GAP};
use super::svg::text_width;
use super::time::{instant, midnight, seconds, Scale};
use crate::model::Language;
use chrono::{DateTime, Datelike, Months, NaiveDate, NaiveDateTime, Timelike};
use chrono_tz::Tz;

/// The unit of the time axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Unit {
    Hour,
    Day,
    Month,
    Year,
}

impl Unit {
    const DAY: f64 = 86_400.0;

    fn for_span(seconds: f64) -> Unit {
        if seconds < 2.0 * Unit::DAY {
            Unit::Hour
        } else if seconds < 62.0 * Unit::DAY {
            Unit::Day
        } else if seconds < 3.0 * 365.25 * Unit::DAY {
            Unit::Month
        } else {
            Unit::Year
        }
    }

    /// Its length in seconds, roughly.
    fn seconds(self) -> f64 {
        match self {
            Unit::Hour => 3600.0,
            Unit::Day => Unit::DAY,
            Unit::Month => 30.44 * Unit::DAY,
            Unit::Year => 365.25 * Unit::DAY,
        }
    }

    /// The steps to try, smallest first. Days are counted from a Monday, so that weekly
    /// steps fall on Mondays.
    fn steps(self) -> &'static [u32] {
        match self {
            Unit::Hour => &[1, 2, 3, 6, 12],
            Unit::Day => &[1, 2, 3, 7, 14],
            Unit::Month => &[1, 2, 3, 6],
            Unit::Year => &[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }
}

pub(super) struct Tick {
    pub(super) x: f64,
    /// `None` when the label would stick out of the chart: the grid line stays.
    pub(super) label: Option<String>,
}

/// The time axis: ticks at round local times, and for hours and days a caption with the date
/// or year they belong to.
pub(super) struct Axis {
    pub(super) unit: Unit,
    pub(super) ticks: Vec<Tick>,
    pub(super) caption: Option<String>,
    /// The edges of a broken axis: where the events before and after the focus are.
    pub(super) edges: Vec<EdgeLabel>,
}

/// The words under an edge: "earlier" and the years its events are in ("1998–2011").
pub(super) struct EdgeLabel {
    /// The edge's left and right, and the break's middle (on the side of the focus).
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) cut: f64,
    pub(super) word: &'static str,
    pub(super) years: String,
}

impl Axis {
    /// The axis of `scale` in a chart `width` wide.
    pub(super) fn new(scale: &Scale, tz: Tz, language: Language, width: f64) -> Axis {
        let unit = Unit::for_span(scale.span());
        // Labels stay inside the chart, and off the edges of a broken axis.
        let left = scale.earlier.map_or(0.0, |_| scale.x0 - GAP / 2.0);
        let right = scale.later.map_or(width, |_| scale.x1 + GAP / 2.0);
        let mut ticks = Vec::new();
        for &step in unit.steps() {
            let gap = f64::from(step) * unit.seconds() * scale.density();
            if gap < 24.0 {
                continue;
            }
            let times = tick_times(unit, step, scale, tz)
                .into_iter()
                .map(|(t, local)| (scale.x(t), local));
            ticks = labelled(unit, times, language, (left, right));
            if apart(&ticks) {
                break;
            }
        }
        Axis {
            unit,
            ticks,
            caption: caption(unit, scale, tz, language),
            edges: edge_labels(scale, tz, language),
        }
    }
}

/// The ticks at `times` (x, local time), each label as short as the one before allows (see
/// [`label`]); a label that would stick out of `bounds` is left off.
fn labelled(
    unit: Unit,
    times: impl Iterator<Item = (f64, NaiveDateTime)>,
    language: Language,
    (left, right): (f64, f64),
) -> Vec<Tick> {
    let mut shown = None;
    times
        .map(|(x, local)| {
            let text = label(unit, local, shown, language);
            let half = text_width(&text) / 2.0;
            let fits = x - half >= left && x + half <= right;
            if fits {
                shown = Some(local);
            }
            Tick {
                x,
                label: fits.then_some(text),
            }
        })
        .collect()
}

/// Whether every two neighbouring labels keep apart, with room to spare.
fn apart(ticks: &[Tick]) -> bool {
    let shown: Vec<(f64, f64)> = ticks
        .iter()
        .filter_map(|t| t.label.as_ref().map(|l| (t.x, text_width(l))))
        .collect();
    shown
        .windows(2)
        .all(|w| (w[1].0 - w[0].0) * 0.9 >= (w[0].1 + w[1].1) / 2.0 + 10.0)
}

/// The labels of the edges `scale` has, earlier first.
fn edge_labels(scale: &Scale, tz: Tz, language: Language) -> Vec<EdgeLabel> {
    let strings = crate::i18n::strings(language);
    let year = |t: f64| {
        DateTime::from_timestamp(t as i64, 0)
            .unwrap_or_default()
            .with_timezone(&tz)
            .year()
    };
    let years = |first: f64, last: f64| match (year(first), year(last)) {
        (a, b) if a == b => format!("{a}"),
        (a, b) => format!("{a}–{b}"),
    };
    let earlier = scale.earlier.map(|e| EdgeLabel {
        x0: e.x0 - EDGE_PAD,
        x1: e.x1 + EDGE_PAD,
        cut: scale.x0 - GAP / 2.0,
        word: strings.chart_earlier,
        years: years(e.first, e.last),
    });
    let later = scale.later.map(|e| EdgeLabel {
        x0: e.x0 - EDGE_PAD,
        x1: e.x1 + EDGE_PAD,
        cut: scale.x1 + GAP / 2.0,
        word: strings.chart_later,
        years: years(e.first, e.last),
    });
    earlier.into_iter().chain(later).collect()
}

/// The instants of the ticks inside the scale, with their local times.
fn tick_times(unit: Unit, step: u32, scale: &Scale, tz: Tz) -> Vec<(f64, NaiveDateTime)> {
    let local = |t: f64| {
        DateTime::from_timestamp(t as i64, 0)
            .unwrap_or_default()
            .with_timezone(&tz)
            .naive_local()
    };
    let at = |local: NaiveDateTime| (seconds(instant(tz, local)), local);
    let starts_by = |date: &NaiveDate| at(midnight(*date)).0 <= scale.t1;
    let first = local(scale.t0);
    let step_i = step as i32;
    let mut times = Vec::new();
    match unit {
        Unit::Hour => {
            // Walk real hours, so that a clock change neither skips nor repeats a tick.
            let hour = first.with_minute(0).and_then(|t| t.with_second(0));
            let mut t = at(hour.unwrap_or(first)).0;
            while t <= scale.t1 {
                let local = local(t);
                if local.hour() % step == 0 && local.minute() == 0 {
                    times.push((t, local));
                }
                t += 3600.0;
            }
        }
        Unit::Day => {
            let mut day = Some(first.date());
            while let Some(d) = day.filter(starts_by) {
                // Counted from a Monday, so that weekly ticks fall on Mondays.
                if (d.num_days_from_ce() - 1).rem_euclid(step_i) == 0 {
                    times.push(at(midnight(d)));
                }
                day = d.succ_opt();
            }
        }
        Unit::Month => {
            let mut month = NaiveDate::from_ymd_opt(first.year(), first.month(), 1);
            while let Some(m) = month.filter(starts_by) {
                if (m.year() * 12 + m.month0() as i32).rem_euclid(step_i) == 0 {
                    times.push(at(midnight(m)));
                }
                month = m.checked_add_months(Months::new(1));
            }
        }
        Unit::Year => {
            let mut year = first.year() - first.year().rem_euclid(step_i);
            while let Some(jan) = NaiveDate::from_ymd_opt(year, 1, 1).filter(starts_by) {
                times.push(at(midnight(jan)));
                year += step_i;
            }
        }
    }
    times.retain(|&(t, _)| t >= scale.t0 && t <= scale.t1);
    times
}

/// A tick's label: "14:00" (a day's first hour as "4 jun"), "4 jun", "jun 2024", "2024".
/// After a label of the same month a day is only its number ("4 jun", "5", "6"), and after
/// one of the same year a month only its name ("mei 2024", "jun", "jul"): days apart then
/// get a tick each, where whole dates would only fit every other day.
fn label(
    unit: Unit,
    local: NaiveDateTime,
    previous: Option<NaiveDateTime>,
    language: Language,
) -> String {
    let locale = language.locale();
    let date = |format| local.date().format_localized(format, locale).to_string();
    let same_year = previous.is_some_and(|p| p.year() == local.year());
    let same_month = same_year && previous.is_some_and(|p| p.month() == local.month());
    match unit {
        Unit::Hour if local.hour() == 0 => date("%-d %b"),
        Unit::Hour => local.format("%H:%M").to_string(),
        Unit::Day if same_month => date("%-d"),
        Unit::Day => date("%-d %b"),
        Unit::Month if same_year => date("%b"),
        Unit::Month => date("%b %Y"),
        Unit::Year => date("%Y"),
    }
}

/// What hour and day labels leave out: the date ("4 juni 2024") or the year.
fn caption(unit: Unit, scale: &Scale, tz: Tz, language: Language) -> Option<String> {
    let day = |t: f64| {
        DateTime::from_timestamp(t as i64, 0)
            .unwrap_or_default()
            .with_timezone(&tz)
            .date_naive()
    };
    let format = match unit {
        Unit::Hour => "%-d %B %Y",
        Unit::Day => "%Y",
        Unit::Month | Unit::Year => return None,
    };
    let text = |t: f64| {
        day(t)
            .format_localized(format, language.locale())
            .to_string()
    };
    let (first, last) = (text(scale.t0), text(scale.t1));
    Some(if first == last {
        first
    } else {
        format!("{first} – {last}")
    })
}

#[cfg(test)]
mod tests {
    use super::super::svg::WIDTH;
    use crate::model::Event;
    use crate::render::chart::test_support::*;
    use scraper::Html;

    #[test]
    fn axis_unit_follows_the_span() {
        let (_dir, t) = timeline("nl");
        let span = |from: &str, to: &str| {
            let events = [
                event(&t, "a", from, &["bzk"], "A"),
                event(&t, "b", to, &["bzk"], "B"),
            ];
            tick_labels(&draw(&t, &events))
        };
        let all = |labels: &[String], test: &dyn Fn(&str) -> bool| {
            assert!((3..=24).contains(&labels.len()), "{labels:?}");
            assert!(labels.iter().all(|l| test(l)), "{labels:?}");
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());

        let (class, labels) = span("2024-06-04T10:00", "2024-06-04T16:00");
        assert_eq!(class, "axis hour");
        all(&labels, &|l| {
            l.len() == 5 && l.as_bytes()[2] == b':' && digits(&l[..2]) && &l[3..] == "00"
        });
        assert!(labels.contains(&"14:00".to_string()));

        // The first day label names its month; the days after it in that month are numbers.
        let (class, labels) = span("2024-06-01", "2024-06-10");
        assert_eq!(class, "axis day");
        assert!(
            matches!(labels[0].split_once(' '), Some((d, "jun")) if digits(d)),
            "{labels:?}"
        );
        all(&labels[1..], &digits);
        assert!(labels.contains(&"4".to_string()), "{labels:?}");
        let (_, labels) = span("2024-05-25", "2024-06-10");
        assert!(labels.iter().any(|l| l.ends_with(" mei")), "{labels:?}");
        assert!(labels.iter().any(|l| l.ends_with(" jun")), "{labels:?}");

        // The first month label has its year, the months after it in that year only names.
        let (class, labels) = span("2024-01-15", "2024-08-15");
        assert_eq!(class, "axis month");
        assert!(
            matches!(labels[0].split_once(' '), Some((m, "2024")) if m.chars().all(char::is_alphabetic)),
            "{labels:?}"
        );
        all(&labels[1..], &|l| l.chars().all(char::is_alphabetic));
        assert!(labels.contains(&"jun".to_string()), "{labels:?}");
        let (_, labels) = span("2023-10-15", "2024-05-15");
        assert!(labels.contains(&"jan 2024".to_string()), "{labels:?}");

        let (class, labels) = span("2014-03-01", "2024-03-01");
        assert_eq!(class, "axis year");
        all(&labels, &|l| l.len() == 4 && digits(l));
        assert!(labels.contains(&"2020".to_string()));
    }

    #[test]
    fn a_single_instant_gets_an_axis_and_no_events_no_chart() {
        let (_dir, t) = timeline("nl");
        let one = [event(&t, "one", "2024-06-04T14:30", &["bzk"], "One")];
        let svg = draw(&t, &one);
        let (class, labels) = tick_labels(&svg);
        assert_eq!(class, "axis hour");
        assert!(labels.len() >= 3, "{labels:?}");
        let html = Html::parse_fragment(&svg);
        let caption: String = select(&html, "text.caption")[0].text().collect();
        assert_eq!(caption, "4 juni 2024");
        let x = number(&select(&html, "circle")[0], "cx");
        assert!(
            (WIDTH * 0.4..WIDTH * 0.6).contains(&x),
            "the instant is in the middle: {x}"
        );
        let same: Vec<Event> = (0..3)
            .map(|i| event(&t, &format!("e{i}"), "2024-06-04", &["bzk"], "Same"))
            .collect();
        assert_eq!(tick_labels(&draw(&t, &same)).0, "axis hour");
        assert_eq!(draw(&t, &[]), "");
    }
}
