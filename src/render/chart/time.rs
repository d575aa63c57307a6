//! Time on the chart: what each event or period page covers, in seconds since the epoch, and
//! the scale from seconds to viewBox units. Dates are read in the site's time zone; a local
//! time the clocks skip or repeat must never panic or vanish (see [`instant`]).

use super::focus::EDGE_PAD;
use crate::model::{Event, EventDate, Precision};
use chrono::{
    DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

/// The shortest time span the axis shows, in seconds: a lone instant gets a few hours around it.
pub(super) const MIN_SPAN: f64 = 6.0 * 3600.0;

/// What an event covers on the time axis, in seconds since the epoch.
#[derive(Debug, Clone, Copy)]
pub(super) struct Extent {
    pub(super) from: f64,
    pub(super) to: f64,
    pub(super) kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    /// A date with a time of day.
    Instant,
    /// A day, month or year: somewhere in it.
    Uncertain,
    /// From `date` to `end`.
    Period,
}

impl Extent {
    pub(super) fn of(event: &Event, tz: Tz) -> Extent {
        let from = seconds(event.date.start);
        match &event.end {
            Some(end) => Extent {
                from,
                to: seconds(period_end(end, tz)).max(from),
                kind: Kind::Period,
            },
            None if event.date.has_time() => Extent {
                from,
                to: from,
                kind: Kind::Instant,
            },
            None => Extent {
                from,
                to: seconds(period_end(&event.date, tz)),
                kind: Kind::Uncertain,
            },
        }
    }

    /// The whole year or month a period page covers (its `date` has that precision).
    pub(super) fn period(date: &EventDate, tz: Tz) -> Extent {
        let day = date.day();
        let first = match date.precision {
            Precision::Year => day.with_ordinal(1),
            _ => day.with_day(1),
        };
        let from = first.map_or(date.start, |d| instant(tz, midnight(d)));
        Extent {
            from: seconds(from),
            to: seconds(period_end(date, tz)),
            kind: Kind::Uncertain,
        }
    }

    /// Where the mark's crowding is counted: its start, or the middle of an uncertain date.
    pub(super) fn anchor(&self) -> f64 {
        match self.kind {
            Kind::Uncertain => (self.from + self.to) / 2.0,
            _ => self.from,
        }
    }
}

pub(super) fn seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64
}

/// The instant a date's period ends: the next day, month or year. A time of day is its own end.
pub(super) fn period_end(date: &EventDate, tz: Tz) -> DateTime<Utc> {
    let day = date.day();
    let next = match date.precision {
        Precision::Year => NaiveDate::from_ymd_opt(day.year() + 1, 1, 1),
        Precision::Month => day
            .with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(1))),
        Precision::Day => day.succ_opt(),
        Precision::Minute | Precision::Second => return date.start,
    };
    next.map_or(date.start, |d| instant(tz, midnight(d)))
}

/// A local time in the site's zone as an instant: the earlier one when it happens twice, an
/// hour later when the clocks skip it.
pub(super) fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

pub(super) fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// Seconds to viewBox units: linear over the range in focus (`t0`..`t1` to `x0`..`x1`) and,
/// when the chart gathers events before or after it at its edges, linear again over each
/// edge, far more compressed (see `focus`). Monotonic over all time, so that a period that
/// starts at an edge runs on into the focus.
pub(super) struct Scale {
    pub(super) t0: f64,
    pub(super) t1: f64,
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) earlier: Option<Edge>,
    pub(super) later: Option<Edge>,
}

/// One edge of a broken axis: the events before (or after) the focus, from `t0` to `t1`,
/// squeezed into `x0`..`x1`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    pub(super) t0: f64,
    pub(super) t1: f64,
    pub(super) x0: f64,
    pub(super) x1: f64,
    /// When the first and the last of the edge's events are, for its caption ("1998–2011").
    pub(super) first: f64,
    pub(super) last: f64,
}

impl Edge {
    fn x(&self, t: f64) -> f64 {
        if self.t1 - self.t0 <= 0.0 {
            return (self.x0 + self.x1) / 2.0;
        }
        let share = ((t - self.t0) / (self.t1 - self.t0)).clamp(0.0, 1.0);
        self.x0 + share * (self.x1 - self.x0)
    }
}

impl Scale {
    /// A scale over every extent, at least `MIN_SPAN` wide, with a margin on both sides so
    /// that no mark touches the edges.
    pub(super) fn fit(extents: &[Extent], x0: f64, x1: f64) -> Scale {
        let (lo, hi) = bounds(extents);
        let (lo, hi) = at_least_min_span(lo, hi);
        let margin = (hi - lo) * 0.03;
        Scale::linear(lo - margin, hi + margin, x0, x1)
    }

    /// Time `t0`..`t1` onto `x0`..`x1`, without edges.
    pub(super) fn linear(t0: f64, t1: f64, x0: f64, x1: f64) -> Scale {
        Scale {
            t0,
            t1,
            x0,
            x1,
            earlier: None,
            later: None,
        }
    }

    /// Where `t` is: in an edge, in the focus, or at the end of the focus on a side that has
    /// no edge (only a bar that reaches past it goes there).
    pub(super) fn x(&self, t: f64) -> f64 {
        match (&self.earlier, &self.later) {
            (Some(edge), _) if t < self.t0 => edge.x(t),
            (_, Some(edge)) if t > self.t1 => edge.x(t),
            _ => {
                let t = t.clamp(self.t0, self.t1);
                self.x0 + (t - self.t0) / (self.t1 - self.t0) * (self.x1 - self.x0)
            }
        }
    }

    /// The span in focus, in seconds.
    pub(super) fn span(&self) -> f64 {
        self.t1 - self.t0
    }

    /// Viewbox units per second, in focus.
    pub(super) fn density(&self) -> f64 {
        (self.x1 - self.x0) / self.span()
    }

    /// Where the plot begins and ends, edges included.
    pub(super) fn left(&self) -> f64 {
        self.earlier.map_or(self.x0, |e| e.x0 - EDGE_PAD)
    }

    pub(super) fn right(&self) -> f64 {
        self.later.map_or(self.x1, |e| e.x1 + EDGE_PAD)
    }
}

/// The earliest start and the latest end of `extents`.
pub(super) fn bounds(extents: &[Extent]) -> (f64, f64) {
    let lo = extents.iter().map(|e| e.from).fold(f64::INFINITY, f64::min);
    let hi = extents
        .iter()
        .map(|e| e.to)
        .fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// `lo`..`hi`, widened around its middle to `MIN_SPAN` when it is shorter.
pub(super) fn at_least_min_span(lo: f64, hi: f64) -> (f64, f64) {
    if hi - lo < MIN_SPAN {
        let middle = (lo + hi) / 2.0;
        (middle - MIN_SPAN / 2.0, middle + MIN_SPAN / 2.0)
    } else {
        (lo, hi)
    }
}
