//! The overview chart: the whole chronology at a glance, as an inline SVG drawn at build time.
//!
//! Design choices, and why:
//!
//! - **No script, no styles.** The chart is plain markup: no JavaScript, no `style=""` and no
//!   `<style>`, so a strict Content-Security-Policy holds. Colours are presentation attributes
//!   (each lane's `fill` is its organisation's colour, so the chart reads right without any
//!   stylesheet); the lane's class `org-<key>` brings the site's `--org` variable, which the
//!   stylesheet may use (`.chart .lane { fill: var(--org) }`) and which overrides the attribute.
//! - **Fixed width, scalable.** A `viewBox` 680 units wide (the text column's width in
//!   pixels); its height follows the lanes. CSS
//!   scales it to the column. Every number is written with at most one decimal, so the same
//!   timeline gives the same bytes.
//! - **Lanes.** One per organisation, in the order `_index.md` lists them, and one labelled "—"
//!   only when some event has no organisation. An event of several organisations has a mark in
//!   each of its lanes.
//! - **Precision stays visible.** An exact time is a dot (a larger, outlined diamond for a key
//!   moment). A month or a year is a light bar over the whole month or year; so is a day, when
//!   the day is wider than a dot (on an hours or days axis). A period is a solid, rounded bar
//!   from its start to its end. A key moment drawn as a bar is outlined. The chart's
//!   [`Legend`] says which of these kinds it has, so that the page's legend shows only those.
//! - **3 events or 3,000.** The dot radius shrinks with the crowding of the busiest lane, and
//!   marks that would overlap are stacked in rows inside their lane (a bounded number of rows;
//!   past that they overlap). Output is one small element per mark, so it grows linearly.
//! - **100,000 events.** A timeline split into period pages (see `periods`) gets
//!   [`overview_by_period`] on `index.html` instead: one bar per organisation and period, not a
//!   mark per event, so its size follows lanes × periods (one mark per event made a 40 MB
//!   page at 100,000 events). A bar spans its year or month; it grows taller with its number of
//!   events against the busiest bar's (see `bin_height`), from `MIN_BIN`, so that a period of
//!   one event still shows. Height, not opacity, carries the number: every bar keeps its lane's
//!   full colour, so the quietest contrasts with the background as much as a dot does.
//! - **Axis.** Its unit follows the span (hours, days, months, years); its step is the smallest
//!   whose labels do not collide, so there are never more labels than fit. Labels are in the
//!   site's language and time zone. A single instant still gets an axis of a few hours.
//! - **Accessible.** The SVG is a `group` (it holds links, so it cannot be an `img`) named by
//!   its `<title id="_chart-title">`; ids starting with `_` never collide with event slugs.
//!   Each mark is a link whose `<title>` says when, what and who. Axis and lane labels are
//!   `aria-hidden`: every link's name already carries them.

use super::periods::Period;
use crate::i18n;
use crate::markdown::escape;
use crate::model::{Event, EventDate, Language, Precision, Timeline};
use chrono::{
    DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
    Utc,
};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt::{self, Display, Write};

/// The `id` of the chart's `<title>`: kroniek reserves ids that start with `_`.
pub const TITLE_ID: &str = "_chart-title";

/// About the width in CSS pixels of the theme's text column (42rem), so that on a wide screen
/// one unit is one pixel and the labels show at `FONT_SIZE` px; narrower screens scroll it.
const WIDTH: f64 = 680.0;
/// Right edge of the plot; the rest of the width keeps the last label and mark inside.
const RIGHT: f64 = 665.0;
const TOP: f64 = 6.0;
const FONT_SIZE: u32 = 12;
/// Estimated average glyph width at `FONT_SIZE`, generous so that labels never collide.
const CHAR_WIDTH: f64 = 7.0;
const MIN_GUTTER: f64 = 48.0;
const MAX_GUTTER: f64 = 160.0;
const MIN_LANE: f64 = 28.0;
/// The most height the stacked rows of one lane may take.
const MAX_STACK: f64 = 60.0;
const AXIS_HEIGHT: f64 = 24.0;
const CAPTION_HEIGHT: f64 = 16.0;
/// The shortest time span the axis shows, in seconds: a lone instant gets a few hours around it.
const MIN_SPAN: f64 = 6.0 * 3600.0;
/// Marks closer than this (in viewBox units) count as crowding each other.
const CROWD_WINDOW: f64 = 10.0;
const MAX_RADIUS: f64 = 5.0;
const MIN_RADIUS: f64 = 1.5;
/// Titles longer than this are cut in the marks' tooltips; the event's own page has them whole.
const MAX_TITLE_CHARS: usize = 120;
const OUTLINE: &str = r#" stroke="currentColor" stroke-width="1""#;
/// The tallest bar of [`overview_by_period`]: the busiest lane and period.
const BIN_HEIGHT: f64 = 18.0;
/// The shortest bar, of one event: among thousands it must still be seen and hit.
const MIN_BIN: f64 = 4.0;
/// Room between the bars of neighbouring periods, so that they stay in one row (see `stack`)
/// and read as separate bars.
const BIN_GAP: f64 = 1.2;

/// An overview chart of events, and which kinds of mark it has.
#[derive(Debug, Default)]
pub struct Chart {
    /// The inline `<svg>`; empty when there are no events.
    pub svg: String,
    pub legend: Legend,
}

/// The kinds of mark a chart has, so that its legend explains those and no others.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Legend {
    pub dot: bool,
    pub diamond: bool,
    pub period: bool,
    pub coarse: bool,
    /// A key moment drawn as a solid bar (a period): outlined.
    pub outlined_period: bool,
    /// A key moment drawn as a light bar (a date without a time): outlined.
    pub outlined_coarse: bool,
}

impl Legend {
    fn of(lanes: &[Lane], events: &[&Event]) -> Legend {
        let mut legend = Legend::default();
        for mark in lanes.iter().flat_map(|lane| &lane.marks) {
            let major = events[mark.event].major;
            match mark.shape {
                Shape::Dot => legend.dot = true,
                Shape::Diamond => legend.diamond = true,
                Shape::Period => {
                    legend.period = true;
                    legend.outlined_period |= major;
                }
                Shape::Coarse => {
                    legend.coarse = true;
                    legend.outlined_coarse |= major;
                }
            }
        }
        legend
    }
}

/// The overview chart of `events`, each mark linking to `link(event)`.
pub fn overview(timeline: &Timeline, events: &[&Event], link: &dyn Fn(&Event) -> String) -> Chart {
    if events.is_empty() {
        return Chart::default();
    }
    let tz = timeline.site.timezone;
    let language = timeline.site.language;
    let extents: Vec<Extent> = events.iter().map(|e| Extent::of(e, tz)).collect();
    let mut lanes = lanes(timeline, events);
    let scale = Scale::fit(&extents, gutter(&lanes), RIGHT);
    let r = radius(&lanes, &extents, &scale);
    let mut top = TOP;
    for lane in &mut lanes {
        lane.place(events, &extents, &scale, r, top);
        top += lane.height;
    }
    let axis = Axis::new(&scale, tz, language);
    let mut out = String::with_capacity(1024 + events.len() * 256);
    let title = chart_title(events, language);
    write_frame(&mut out, &title, &lanes, &scale, &axis, top);
    for lane in &lanes {
        write_lane(&mut out, lane, events, r, timeline, link);
    }
    out.push_str("</svg>");
    Chart {
        svg: out,
        legend: Legend::of(&lanes, events),
    }
}

/// The overview of a timeline split into `periods` (whose members index into `events`): in
/// each lane, one bar per period that has events of its organisation, taller the more they are
/// (see [`bin_height`]), linking to `link(organisation key, period)` (`None` in the "—"
/// lane). Its size follows lanes × periods, whatever the number of events. Empty when there
/// are no events.
pub fn overview_by_period(
    timeline: &Timeline,
    events: &[&Event],
    periods: &[Period],
    link: &dyn Fn(Option<&str>, &Period) -> String,
) -> String {
    if events.is_empty() || periods.is_empty() {
        return String::new();
    }
    let tz = timeline.site.timezone;
    let language = timeline.site.language;
    let extents: Vec<Extent> = periods
        .iter()
        .map(|p| Extent::period(&p.date, tz))
        .collect();
    let mut lanes = lanes(timeline, events);
    let counts = counts(&lanes, events.len(), periods);
    let busiest = counts.iter().flatten().copied().max().unwrap_or(1).max(1);
    let scale = Scale::fit(&extents, gutter(&lanes), RIGHT);
    let mut top = TOP;
    for (lane, counts) in lanes.iter_mut().zip(&counts) {
        lane.place_bins(counts, &extents, &scale, top);
        top += lane.height;
    }
    let axis = Axis::new(&scale, tz, language);
    let labels: Vec<String> = periods.iter().map(|p| p.label(language)).collect();
    let bins: usize = lanes.iter().map(|l| l.bins.len()).sum();
    let mut out = String::with_capacity(2048 + bins * 160);
    let title = chart_title(events, language);
    write_frame(&mut out, &title, &lanes, &scale, &axis, top);
    let bars = Bars {
        periods,
        labels: &labels,
        busiest,
        timeline,
        link,
    };
    for lane in &lanes {
        bars.write(&mut out, lane);
    }
    out.push_str("</svg>");
    out
}

/// How many events of each lane each period holds: `counts[lane][period]`. An event of several
/// organisations counts in each of their lanes, as it has a mark in each.
fn counts(lanes: &[Lane], events: usize, periods: &[Period]) -> Vec<Vec<usize>> {
    let period_of = super::periods::index_by_event(periods, events);
    lanes
        .iter()
        .map(|lane| {
            let mut counts = vec![0; periods.len()];
            for p in lane.members.iter().filter_map(|&i| period_of[i]) {
                counts[p] += 1;
            }
            counts
        })
        .collect()
}

/// What an event covers on the time axis, in seconds since the epoch.
#[derive(Debug, Clone, Copy)]
struct Extent {
    from: f64,
    to: f64,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// A date with a time of day.
    Instant,
    /// A day, month or year: somewhere in it.
    Uncertain,
    /// From `date` to `end`.
    Period,
}

impl Extent {
    fn of(event: &Event, tz: Tz) -> Extent {
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
    fn period(date: &EventDate, tz: Tz) -> Extent {
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
    fn anchor(&self) -> f64 {
        match self.kind {
            Kind::Uncertain => (self.from + self.to) / 2.0,
            _ => self.from,
        }
    }
}

fn seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64
}

/// The instant a date's period ends: the next day, month or year. A time of day is its own end.
fn period_end(date: &EventDate, tz: Tz) -> DateTime<Utc> {
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
fn instant(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc))
}

/// Seconds to viewBox units.
struct Scale {
    t0: f64,
    t1: f64,
    x0: f64,
    x1: f64,
}

impl Scale {
    /// A scale over every extent, at least `MIN_SPAN` wide, with a margin on both sides so
    /// that no mark touches the edges.
    fn fit(extents: &[Extent], x0: f64, x1: f64) -> Scale {
        let lo = extents.iter().map(|e| e.from).fold(f64::INFINITY, f64::min);
        let hi = extents
            .iter()
            .map(|e| e.to)
            .fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if hi - lo < MIN_SPAN {
            let middle = (lo + hi) / 2.0;
            (middle - MIN_SPAN / 2.0, middle + MIN_SPAN / 2.0)
        } else {
            (lo, hi)
        };
        let margin = (hi - lo) * 0.03;
        Scale {
            t0: lo - margin,
            t1: hi + margin,
            x0,
            x1,
        }
    }

    fn x(&self, t: f64) -> f64 {
        self.x0 + (t - self.t0) / (self.t1 - self.t0) * (self.x1 - self.x0)
    }

    fn span(&self) -> f64 {
        self.t1 - self.t0
    }

    /// Viewbox units per second.
    fn density(&self) -> f64 {
        (self.x1 - self.x0) / self.span()
    }
}

/// One organisation's row of the chart.
struct Lane {
    /// The organisation's key; `None` for the "—" lane.
    key: Option<String>,
    label: String,
    class: String,
    fill: String,
    /// Indices into the events, in the order given.
    members: Vec<usize>,
    marks: Vec<Mark>,
    /// The bars of [`overview_by_period`], instead of marks.
    bins: Vec<Bin>,
    rows: usize,
    pitch: f64,
    top: f64,
    height: f64,
}

impl Lane {
    fn new(key: Option<&str>, label: &str, class: String, fill: &str) -> Lane {
        Lane {
            key: key.map(str::to_string),
            label: label.to_string(),
            class,
            fill: fill.to_string(),
            members: Vec::new(),
            marks: Vec::new(),
            bins: Vec::new(),
            rows: 1,
            pitch: 0.0,
            top: 0.0,
            height: MIN_LANE,
        }
    }

    /// Shapes the marks, stacks them in rows and sets the lane's height.
    fn place(&mut self, events: &[&Event], extents: &[Extent], scale: &Scale, r: f64, top: f64) {
        self.marks = self
            .members
            .iter()
            .map(|&i| Mark::new(i, events[i], &extents[i], scale, r))
            .collect();
        let spans: Vec<(f64, f64)> = self.marks.iter().map(|m| m.span(r)).collect();
        let rows = self.settle(&spans, 2.0 * r + 3.0, top);
        for (mark, row) in self.marks.iter_mut().zip(rows) {
            mark.row = row;
        }
    }

    /// Shapes a bar for each period with events (`counts` by period), stacks them and sets
    /// the lane's height. Bars overlap only where a year's page (its events dated by year
    /// alone) lies over the pages of its months: those go in a row of their own.
    fn place_bins(&mut self, counts: &[usize], extents: &[Extent], scale: &Scale, top: f64) {
        self.bins = counts
            .iter()
            .enumerate()
            .filter(|&(_, &count)| count > 0)
            .map(|(period, &count)| {
                let extent = &extents[period];
                let x0 = scale.x(extent.from) + BIN_GAP / 2.0;
                let x1 = scale.x(extent.to) - BIN_GAP / 2.0;
                Bin {
                    period,
                    count,
                    x0,
                    x1: x1.max(x0 + 1.0),
                    row: 0,
                }
            })
            .collect();
        let spans: Vec<(f64, f64)> = self.bins.iter().map(|b| (b.x0, b.x1)).collect();
        let rows = self.settle(&spans, BIN_HEIGHT + 3.0, top);
        for (bin, row) in self.bins.iter_mut().zip(rows) {
            bin.row = row;
        }
    }

    /// Stacks `spans` in rows `pitch` apart and sets the lane's place and height from them.
    /// Returns each span's row.
    fn settle(&mut self, spans: &[(f64, f64)], pitch: f64, top: f64) -> Vec<usize> {
        self.pitch = pitch;
        let max_rows = ((MAX_STACK / pitch).floor() as usize).max(1);
        let (rows, used) = stack(spans, max_rows);
        self.rows = used;
        self.top = top;
        self.height = MIN_LANE.max(used as f64 * pitch + 8.0);
        rows
    }

    fn middle(&self) -> f64 {
        self.top + self.height / 2.0
    }

    fn row_y(&self, row: usize) -> f64 {
        let block = self.rows as f64 * self.pitch;
        self.top + (self.height - block) / 2.0 + (row as f64 + 0.5) * self.pitch
    }
}

/// The lanes in the site's order, every organisation's, and "—" if an event has none.
fn lanes(timeline: &Timeline, events: &[&Event]) -> Vec<Lane> {
    let organisations = &timeline.site.organisations;
    let mut lanes: Vec<Lane> = organisations
        .iter()
        .map(|o| {
            Lane::new(
                Some(&o.key),
                &o.short,
                format!("lane org-{}", o.key),
                &o.color,
            )
        })
        .collect();
    let mut none = Lane::new(None, "—", "lane no-org".to_string(), "currentColor");
    for (i, event) in events.iter().enumerate() {
        if event.orgs.is_empty() {
            none.members.push(i);
        }
        for key in &event.orgs {
            if let Some(lane) = organisations.iter().position(|o| &o.key == key) {
                lanes[lane].members.push(i);
            }
        }
    }
    if !none.members.is_empty() {
        lanes.push(none);
    }
    for lane in &mut lanes {
        lane.label = truncate(&lane.label, ((MAX_GUTTER - 16.0) / CHAR_WIDTH) as usize);
    }
    lanes
}

/// Room on the left for the lane labels.
fn gutter(lanes: &[Lane]) -> f64 {
    let widest = lanes
        .iter()
        .map(|l| text_width(&l.label))
        .fold(0.0, f64::max);
    (widest + 16.0).clamp(MIN_GUTTER, MAX_GUTTER)
}

/// The dot radius: full size when marks stand apart, smaller as the busiest lane crowds.
fn radius(lanes: &[Lane], extents: &[Extent], scale: &Scale) -> f64 {
    let peak = lanes
        .iter()
        .map(|lane| {
            let xs = lane.members.iter().map(|&i| scale.x(extents[i].anchor()));
            crowding(xs.collect())
        })
        .max()
        .unwrap_or(1)
        .max(1);
    (MAX_RADIUS / (peak as f64).sqrt()).clamp(MIN_RADIUS, MAX_RADIUS)
}

/// The most positions within any window of `CROWD_WINDOW` units.
fn crowding(mut xs: Vec<f64>) -> usize {
    xs.sort_by(f64::total_cmp);
    let mut peak = 0;
    let mut first = 0;
    for last in 0..xs.len() {
        while xs[last] - xs[first] > CROWD_WINDOW {
            first += 1;
        }
        peak = peak.max(last - first + 1);
    }
    peak
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    Dot,
    /// A key moment at a point in time.
    Diamond,
    /// A solid rounded bar from start to end.
    Period,
    /// A light bar over the day, month or year the date names.
    Coarse,
}

/// One event drawn in one lane.
struct Mark {
    event: usize,
    shape: Shape,
    /// Left and right in viewBox units; equal for a dot or diamond.
    x0: f64,
    x1: f64,
    row: usize,
}

impl Mark {
    fn new(index: usize, event: &Event, extent: &Extent, scale: &Scale, r: f64) -> Mark {
        let (a, b) = (scale.x(extent.from), scale.x(extent.to));
        let mark = |shape, x0, x1| Mark {
            event: index,
            shape,
            x0,
            x1,
            row: 0,
        };
        let point = if event.major {
            Shape::Diamond
        } else {
            Shape::Dot
        };
        match extent.kind {
            Kind::Instant => mark(point, a, a),
            Kind::Period => mark(Shape::Period, a, b.max(a + 2.0 * r)),
            Kind::Uncertain => {
                let middle = (a + b) / 2.0;
                if event.date.precision <= Precision::Month || b - a >= 3.0 * r {
                    let half = ((b - a) / 2.0).max(r);
                    mark(Shape::Coarse, middle - half, middle + half)
                } else {
                    mark(point, middle, middle)
                }
            }
        }
    }

    /// Half the diagonal of a key moment's diamond.
    fn diamond(r: f64) -> f64 {
        1.45 * r + 1.0
    }

    /// The horizontal room the mark takes.
    fn span(&self, r: f64) -> (f64, f64) {
        match self.shape {
            Shape::Dot => (self.x0 - r, self.x0 + r),
            Shape::Diamond => (self.x0 - Mark::diamond(r), self.x0 + Mark::diamond(r)),
            Shape::Period | Shape::Coarse => (self.x0, self.x1),
        }
    }
}

/// Puts each span (left, right) in the first row where it overlaps nothing; past `max_rows`,
/// in the row that frees up first. Returns each span's row and the number of rows used.
fn stack(spans: &[(f64, f64)], max_rows: usize) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| spans[a].0.total_cmp(&spans[b].0));
    let mut rows = vec![0; spans.len()];
    let mut ends: Vec<f64> = Vec::new();
    for i in order {
        let (left, right) = spans[i];
        let row = match ends.iter().position(|&end| end + 1.0 <= left) {
            Some(row) => row,
            None if ends.len() < max_rows => {
                ends.push(f64::NEG_INFINITY);
                ends.len() - 1
            }
            None => (0..ends.len())
                .min_by(|&a, &b| ends[a].total_cmp(&ends[b]))
                .unwrap_or(0),
        };
        ends[row] = ends[row].max(right);
        rows[i] = row;
    }
    (rows, ends.len().max(1))
}

/// One bar of [`overview_by_period`]: the events of a lane in a period.
struct Bin {
    /// Index into the periods.
    period: usize,
    count: usize,
    x0: f64,
    x1: f64,
    row: usize,
}

/// The unit of the time axis.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
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

    /// The steps to try, smallest first. Days step by weeks from Monday.
    fn steps(self) -> &'static [u32] {
        match self {
            Unit::Hour => &[1, 2, 3, 6, 12],
            Unit::Day => &[1, 2, 7, 14],
            Unit::Month => &[1, 2, 3, 6],
            Unit::Year => &[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }
}

struct Tick {
    x: f64,
    /// `None` when the label would stick out of the chart: the grid line stays.
    label: Option<String>,
}

/// The time axis: ticks at round local times, and for hours and days a caption with the date
/// or year they belong to.
struct Axis {
    unit: Unit,
    ticks: Vec<Tick>,
    caption: Option<String>,
}

impl Axis {
    fn new(scale: &Scale, tz: Tz, language: Language) -> Axis {
        let unit = Unit::for_span(scale.span());
        let mut ticks = Vec::new();
        for &step in unit.steps() {
            let gap = f64::from(step) * unit.seconds() * scale.density();
            if gap < 24.0 {
                continue;
            }
            ticks = tick_times(unit, step, scale, tz)
                .into_iter()
                .map(|(t, local)| (scale.x(t), label(unit, local, language)))
                .collect::<Vec<_>>();
            let widest = ticks.iter().map(|(_, l)| text_width(l)).fold(0.0, f64::max);
            if gap * 0.9 >= widest + 10.0 {
                break;
            }
        }
        let ticks = ticks
            .into_iter()
            .map(|(x, label)| {
                let half = text_width(&label) / 2.0;
                let fits = x - half >= 0.0 && x + half <= WIDTH;
                Tick {
                    x,
                    label: fits.then_some(label),
                }
            })
            .collect();
        Axis {
            unit,
            ticks,
            caption: caption(unit, scale, tz, language),
        }
    }
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

fn midnight(date: NaiveDate) -> NaiveDateTime {
    date.and_time(NaiveTime::MIN)
}

/// A tick's label: "14:00" (a day's first hour as "4 jun"), "4 jun", "jun 2024", "2024".
fn label(unit: Unit, local: NaiveDateTime, language: Language) -> String {
    let locale = language.locale();
    let date = |format| local.date().format_localized(format, locale).to_string();
    match unit {
        Unit::Hour if local.hour() == 0 => date("%-d %b"),
        Unit::Hour => local.format("%H:%M").to_string(),
        Unit::Day => date("%-d %b"),
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

/// "Overzicht: 3 gebeurtenissen, 4 juni 2024 – 10 juni 2024".
fn chart_title(events: &[&Event], language: Language) -> String {
    let strings = i18n::strings(language);
    let overview = strings.overview;
    let noun = if events.len() == 1 {
        strings.event
    } else {
        strings.events
    };
    let first = events.iter().map(|e| &e.date).min();
    let last = events
        .iter()
        .map(|e| e.end.as_ref().unwrap_or(&e.date))
        .max();
    let mut title = format!("{overview}: {} {noun}", events.len());
    if let (Some(first), Some(last)) = (first, last) {
        let (first, last) = (
            first.short_date_text(language),
            last.short_date_text(language),
        );
        title.push_str(", ");
        title.push_str(&first);
        if last != first {
            title.push_str(" – ");
            title.push_str(&last);
        }
    }
    title
}

/// A mark's accessible name: "Kernmoment: dinsdag 4 juni 2024, 14:30 — Titel (BZK, NCSC)",
/// for a draft or internal event with its marks first ("CONCEPT, INTERN: …").
fn mark_title(event: &Event, timeline: &Timeline) -> String {
    let language = timeline.site.language;
    let mut text = i18n::audience_marks(event.draft, event.internal, language);
    if event.major {
        text.push_str(i18n::strings(language).key_moment);
        text.push_str(": ");
    }
    text.push_str(&when(&event.date, event.time_label.as_deref(), language));
    if let Some(end) = &event.end {
        text.push_str(" – ");
        text.push_str(&when(end, None, language));
    }
    text.push_str(" — ");
    text.push_str(&truncate(&event.title, MAX_TITLE_CHARS));
    let shorts: Vec<&str> = event
        .orgs
        .iter()
        .filter_map(|key| timeline.organisation(key))
        .map(|o| o.short.as_str())
        .collect();
    if !shorts.is_empty() {
        text.push_str(" (");
        text.push_str(&shorts.join(", "));
        text.push(')');
    }
    text
}

/// "dinsdag 4 juni 2024, 14:30", or with the event's time label ("einde dag").
fn when(date: &EventDate, time_label: Option<&str>, language: Language) -> String {
    let mut text = date.date_text(language);
    if let Some(time) = date.time_text().or_else(|| time_label.map(str::to_string)) {
        text.push_str(", ");
        text.push_str(&time);
    }
    text
}

fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

/// What both charts share: the `<svg>` element's start, its title, the grid, the lane labels
/// and the axis under the lanes, which end at `bottom`.
fn write_frame(
    out: &mut String,
    title: &str,
    lanes: &[Lane],
    scale: &Scale,
    axis: &Axis,
    bottom: f64,
) {
    let mut height = bottom + AXIS_HEIGHT;
    if axis.caption.is_some() {
        height += CAPTION_HEIGHT;
    }
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {} {}" role="group" aria-labelledby="{TITLE_ID}" fill="currentColor" font-size="{FONT_SIZE}"><title id="{TITLE_ID}">"#,
        N(WIDTH),
        N(height.ceil()),
    );
    out.push_str(&escape(title));
    out.push_str("</title>");
    write_grid(out, lanes, axis, scale, bottom);
    write_lane_labels(out, lanes, scale.x0);
    write_axis(out, axis, bottom);
}

/// Vertical lines at the ticks and a rule under each lane, in one path.
fn write_grid(out: &mut String, lanes: &[Lane], axis: &Axis, scale: &Scale, bottom: f64) {
    out.push_str(r#"<g class="grid" aria-hidden="true" fill="none" stroke="currentColor" stroke-opacity="0.2"><path d=""#);
    for tick in &axis.ticks {
        let _ = write!(out, "M{} {}V{}", N(tick.x), N(TOP), N(bottom + 4.0));
    }
    for lane in lanes {
        let y = lane.top + lane.height;
        let _ = write!(out, "M{} {}H{}", N(scale.x0), N(y), N(scale.x1));
    }
    out.push_str(r#""/></g>"#);
}

fn write_lane_labels(out: &mut String, lanes: &[Lane], left: f64) {
    out.push_str(r#"<g class="labels" aria-hidden="true" text-anchor="end">"#);
    for lane in lanes {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            N(left - 8.0),
            N(lane.middle() + 4.0),
            escape(&lane.label)
        );
    }
    out.push_str("</g>");
}

fn write_axis(out: &mut String, axis: &Axis, bottom: f64) {
    let _ = write!(
        out,
        r#"<g class="axis {}" aria-hidden="true" text-anchor="middle">"#,
        axis.unit.name()
    );
    let y = bottom + 16.0;
    for tick in &axis.ticks {
        if let Some(label) = &tick.label {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}">{}</text>"#,
                N(tick.x),
                N(y),
                escape(label)
            );
        }
    }
    if let Some(caption) = &axis.caption {
        let x = axis.ticks.first().map_or(RIGHT, |t| t.x).min(RIGHT);
        let x = x.min(WIDTH - text_width(caption));
        let _ = write!(
            out,
            r#"<text class="caption" x="{}" y="{}" text-anchor="start">{}</text>"#,
            N(x.max(0.0)),
            N(y + CAPTION_HEIGHT),
            escape(caption)
        );
    }
    out.push_str("</g>");
}

fn write_lane(
    out: &mut String,
    lane: &Lane,
    events: &[&Event],
    r: f64,
    timeline: &Timeline,
    link: &dyn Fn(&Event) -> String,
) {
    write_lane_start(out, lane);
    for mark in &lane.marks {
        let event = events[mark.event];
        out.push_str(r#"<a href=""#);
        out.push_str(&escape(&link(event)));
        out.push_str(r#""><title>"#);
        out.push_str(&escape(&mark_title(event, timeline)));
        out.push_str("</title>");
        write_shape(out, mark, lane.row_y(mark.row), r, event.major);
        out.push_str("</a>");
    }
    out.push_str("</g>");
}

/// A lane's group: its class brings the organisation's colour from the stylesheet, `fill` is the
/// same colour without one.
fn write_lane_start(out: &mut String, lane: &Lane) {
    let _ = write!(
        out,
        r#"<g class="{}" fill="{}">"#,
        escape(&lane.class),
        escape(&lane.fill)
    );
}

/// A bar's height: `MIN_BIN`, plus the rest of `BIN_HEIGHT` by the square root of its share of
/// the busiest bar (which is full height). A register's counts are skewed (one organisation
/// reports ten times what another does): in proportion, the quieter lanes would all be flat at
/// the minimum; the root keeps their ups and downs visible. Each bar's name has the number.
fn bin_height(count: usize, busiest: usize) -> f64 {
    let share = count as f64 / busiest.max(1) as f64;
    MIN_BIN + (BIN_HEIGHT - MIN_BIN) * share.sqrt()
}

/// What the bars of [`overview_by_period`] are drawn from, besides their lane.
struct Bars<'a> {
    periods: &'a [Period],
    /// Each period's name in the site's language ("juni 2024").
    labels: &'a [String],
    /// The most events of any bar: the one that gets the full `BIN_HEIGHT`.
    busiest: usize,
    timeline: &'a Timeline,
    link: &'a dyn Fn(Option<&str>, &Period) -> String,
}

impl Bars<'_> {
    /// A lane's bars, each standing on the bottom of its row, each a link named by
    /// [`Bars::title`].
    fn write(&self, out: &mut String, lane: &Lane) {
        write_lane_start(out, lane);
        for bin in &lane.bins {
            let height = bin_height(bin.count, self.busiest);
            let bottom = lane.row_y(bin.row) + BIN_HEIGHT / 2.0;
            out.push_str(r#"<a href=""#);
            let period = &self.periods[bin.period];
            out.push_str(&escape(&(self.link)(lane.key.as_deref(), period)));
            out.push_str(r#""><title>"#);
            out.push_str(&escape(&self.title(lane, bin)));
            let _ = write!(
                out,
                r#"</title><rect class="bin" x="{}" y="{}" width="{}" height="{}"/></a>"#,
                N(bin.x0),
                N(bottom - height),
                N(bin.x1 - bin.x0),
                N(height),
            );
        }
        out.push_str("</g>");
    }

    /// A bar's accessible name: "NCSC, juni 2024: 42 gebeurtenissen", or in the "—" lane
    /// "juni 2024: 3 gebeurtenissen zonder organisatie".
    fn title(&self, lane: &Lane, bin: &Bin) -> String {
        let strings = i18n::strings(self.timeline.site.language);
        let noun = if bin.count == 1 {
            strings.event
        } else {
            strings.events
        };
        let (label, count) = (&self.labels[bin.period], bin.count);
        let org = lane
            .key
            .as_deref()
            .and_then(|k| self.timeline.organisation(k));
        match org {
            Some(org) => format!("{}, {label}: {count} {noun}", org.short),
            None => format!("{label}: {count} {noun} {}", strings.without_organisation),
        }
    }
}

fn write_shape(out: &mut String, mark: &Mark, y: f64, r: f64, major: bool) {
    let outline = if major { OUTLINE } else { "" };
    let _ = match mark.shape {
        Shape::Dot => write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}"/>"#,
            N(mark.x0),
            N(y),
            N(r)
        ),
        Shape::Diamond => {
            let h = Mark::diamond(r);
            write!(
                out,
                r#"<path class="major" d="M{} {}l{} {} {} {} {} {}z"{outline}/>"#,
                N(mark.x0),
                N(y - h),
                N(h),
                N(h),
                N(-h),
                N(h),
                N(-h),
                N(-h)
            )
        }
        Shape::Period | Shape::Coarse => {
            let (class, extra) = match mark.shape {
                Shape::Period => ("period", format!(r#" rx="{}""#, N(r))),
                _ => ("coarse", r#" fill-opacity="0.4""#.to_string()),
            };
            write!(
                out,
                r#"<rect class="{class}{}" x="{}" y="{}" width="{}" height="{}"{extra}{outline}/>"#,
                if major { " major" } else { "" },
                N(mark.x0),
                N(y - r),
                N(mark.x1 - mark.x0),
                N(2.0 * r),
            )
        }
    };
}

/// A number with at most one decimal, without a trailing `.0` and never `-0`.
struct N(f64);

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round();
        if !tenths.is_finite() || tenths == 0.0 {
            return f.write_str("0");
        }
        if tenths % 10.0 == 0.0 {
            write!(f, "{}", (tenths / 10.0) as i64)
        } else {
            write!(f, "{:.1}", tenths / 10.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    /// A tiny real site: two organisations, one event to copy from.
    fn timeline(language: &str) -> (tempfile::TempDir, Timeline) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(
            content.join("_index.md"),
            format!(
                "---\ntitle: \"Test\"\nlanguage: {language}\ntimezone: Europe/Amsterdam\n\
                 organisations:\n  bzk:\n    name: \"Binnenlandse Zaken\"\n    short: \"BZK\"\n\
                 \x20 ncsc:\n    name: \"NCSC\"\n    short: \"NCSC\"\n    color: \"#0b7285\"\n---\n"
            ),
        )
        .unwrap();
        std::fs::write(
            content.join("2024-06-04-first.md"),
            "---\ntitle: \"First\"\norgs: [bzk]\n---\nBody.\n",
        )
        .unwrap();
        let (timeline, problems) = crate::compile(dir.path());
        assert!(problems.iter().all(|p| !p.is_error()), "{problems:?}");
        (dir, timeline.unwrap())
    }

    /// An event like the site's first, with its own slug, date, organisations and title.
    fn event(timeline: &Timeline, slug: &str, date: &str, orgs: &[&str], title: &str) -> Event {
        let tz = timeline.site.timezone;
        let mut event = timeline.events[0].clone();
        event.slug = slug.to_string();
        event.title = title.to_string();
        event.date = EventDate::parse(date, tz).unwrap().0;
        event.orgs = orgs.iter().map(|o| o.to_string()).collect();
        event
    }

    fn link(event: &Event) -> String {
        format!("events/{}/", event.slug)
    }

    fn draw(timeline: &Timeline, events: &[Event]) -> String {
        chart(timeline, events).svg
    }

    fn chart(timeline: &Timeline, events: &[Event]) -> Chart {
        let refs: Vec<&Event> = events.iter().collect();
        overview(timeline, &refs, &link)
    }

    fn select<'a>(html: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
        html.select(&Selector::parse(selector).unwrap()).collect()
    }

    /// The classes of the chart's lanes, in order.
    fn lane_classes(html: &Html) -> Vec<String> {
        select(html, "g.lane")
            .iter()
            .map(|g| g.value().attr("class").unwrap().to_string())
            .collect()
    }

    /// The lanes' labels, in order.
    fn lane_labels(html: &Html) -> Vec<String> {
        select(html, "g.labels text")
            .iter()
            .map(|t| t.text().collect())
            .collect()
    }

    fn number(element: &scraper::ElementRef, attribute: &str) -> f64 {
        element.value().attr(attribute).unwrap().parse().unwrap()
    }

    fn tick_labels(svg: &str) -> (String, Vec<String>) {
        let html = Html::parse_fragment(svg);
        let axis = select(&html, "g.axis")[0];
        let class = axis.value().attr("class").unwrap().to_string();
        let labels = select(&html, "g.axis text:not(.caption)")
            .iter()
            .map(|t| t.text().collect())
            .collect();
        (class, labels)
    }

    #[test]
    fn one_linked_mark_per_event_and_organisation() {
        let (_dir, t) = timeline("nl");
        let events = [
            event(&t, "both", "2024-06-04T14:30", &["bzk", "ncsc"], "Both"),
            event(&t, "ncsc-only", "2024-06-05", &["ncsc"], "One"),
            event(&t, "nobody", "2024-06-06", &[], "None"),
        ];
        let svg = draw(&t, &events);
        let html = Html::parse_fragment(&svg);
        let hrefs = |lane: &str| -> Vec<String> {
            select(&html, &format!("g.{lane} a"))
                .iter()
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect()
        };
        assert_eq!(hrefs("org-bzk"), ["events/both/"]);
        assert_eq!(hrefs("org-ncsc"), ["events/both/", "events/ncsc-only/"]);
        assert_eq!(hrefs("no-org"), ["events/nobody/"]);
        assert_eq!(select(&html, "a").len(), 4);
        assert_eq!(select(&html, "a > title").len(), 4);
        assert_eq!(
            lane_classes(&html),
            ["lane org-bzk", "lane org-ncsc", "lane no-org"]
        );
        assert_eq!(lane_labels(&html), ["BZK", "NCSC", "—"]);
        let name: String = select(&html, "g.org-bzk a title")[0].text().collect();
        assert_eq!(name, "dinsdag 4 juni 2024, 14:30 — Both (BZK, NCSC)");
        // Fallback colour without the stylesheet; the chart is named by its own title.
        assert!(svg.contains(r##"<g class="lane org-ncsc" fill="#0b7285">"##));
        let root = select(&html, "svg")[0];
        assert_eq!(root.value().attr("aria-labelledby"), Some(TITLE_ID));
        assert_eq!(select(&html, "svg > title#_chart-title").len(), 1);
        assert!(!svg.contains("style"), "no inline styles: {svg}");
    }

    #[test]
    fn draft_and_internal_marks_say_so_in_the_site_language() {
        for (language, marks) in [
            (
                "nl",
                ["CONCEPT: ", "INTERN: ", "CONCEPT, INTERN: Kernmoment: "],
            ),
            (
                "en",
                ["DRAFT: ", "INTERNAL: ", "DRAFT, INTERNAL: Key moment: "],
            ),
        ] {
            let (_dir, t) = timeline(language);
            let mut draft = event(&t, "draft", "2024-06-04", &["bzk"], "Draft");
            draft.draft = true;
            let mut internal = event(&t, "internal", "2024-06-05", &["bzk"], "Internal");
            internal.internal = true;
            let mut both = event(&t, "both", "2024-06-06", &["bzk"], "Both");
            (both.draft, both.internal, both.major) = (true, true, true);
            let public = event(&t, "public", "2024-06-07", &["bzk"], "Public");
            let svg = draw(&t, &[draft, internal, both, public]);
            let html = Html::parse_fragment(&svg);
            let names: Vec<String> = select(&html, "a > title")
                .iter()
                .map(|t| t.text().collect())
                .collect();
            assert_eq!(names.len(), 4, "{names:?}");
            for (name, mark) in names.iter().zip(marks) {
                assert!(name.starts_with(mark), "{language}: {name:?}");
            }
            assert!(
                !names[3].contains(marks[0]) && !names[3].contains(marks[1]),
                "{names:?}"
            );
        }
    }

    #[test]
    fn key_moments_are_outlined_diamonds() {
        let (_dir, t) = timeline("en");
        let mut major = event(&t, "major", "2024-06-04T10:00", &["bzk"], "Major");
        major.major = true;
        let minor = event(&t, "minor", "2024-06-04T12:00", &["bzk"], "Minor");
        let svg = draw(&t, &[major, minor]);
        let html = Html::parse_fragment(&svg);
        let diamond = select(&html, r#"a[href="events/major/"] > path.major"#);
        assert_eq!(diamond.len(), 1);
        assert_eq!(diamond[0].value().attr("stroke"), Some("currentColor"));
        assert_eq!(
            select(&html, r#"a[href="events/minor/"] > circle"#).len(),
            1
        );
        assert_eq!(select(&html, "circle").len(), 1);
        let name: String = select(&html, r#"a[href="events/major/"] > title"#)[0]
            .text()
            .collect();
        assert!(
            name.starts_with("Key moment: Tuesday 4 June 2024, 10:00"),
            "{name}"
        );
    }

    #[test]
    fn periods_and_coarse_dates_are_bars() {
        let (_dir, t) = timeline("en");
        let mut period = event(&t, "period", "2024-06-04", &["bzk"], "Period");
        period.end = Some(EventDate::parse("2024-06-20", t.site.timezone).unwrap().0);
        let month = event(&t, "month", "2024-07", &["ncsc"], "Month");
        let day = event(&t, "day", "2024-06-10T09:00", &["ncsc"], "Exact");
        let svg = draw(&t, &[period, month, day]);
        let html = Html::parse_fragment(&svg);
        let bar = select(&html, r#"a[href="events/period/"] > rect.period"#);
        assert_eq!(bar.len(), 1);
        let coarse = select(&html, r#"a[href="events/month/"] > rect.coarse"#);
        assert_eq!(coarse.len(), 1);
        assert_eq!(coarse[0].value().attr("fill-opacity"), Some("0.4"));
        // Sixteen days of period against a month of 31 days, on one scale.
        let (p, m) = (number(&bar[0], "width"), number(&coarse[0], "width"));
        assert!(
            p > 100.0 && m > p && (m / p - 31.0 / 17.0).abs() < 0.1,
            "{p} {m}"
        );
        let name: String = select(&html, r#"a[href="events/period/"] > title"#)[0]
            .text()
            .collect();
        assert_eq!(
            name,
            "Tuesday 4 June 2024 – Thursday 20 June 2024 — Period (BZK)"
        );
    }

    #[test]
    fn the_legend_has_the_kinds_of_mark_the_chart_draws() {
        let (_dir, t) = timeline("en");
        let mut period = event(&t, "period", "2024-06-04", &["bzk"], "Period");
        period.end = Some(EventDate::parse("2024-06-20", t.site.timezone).unwrap().0);
        let mut month = event(&t, "month", "2024-07", &["ncsc"], "Month");
        month.major = true;
        let exact = event(&t, "exact", "2024-06-10T09:00", &["ncsc"], "Exact");
        let legend = chart(&t, &[period.clone(), month.clone(), exact.clone()]).legend;
        assert_eq!(
            legend,
            Legend {
                dot: true,
                diamond: false,
                period: true,
                coarse: true,
                outlined_period: false,
                outlined_coarse: true,
            },
            "a key moment drawn as a light bar is outlined, and there is no diamond"
        );
        let mut key = exact.clone();
        key.major = true;
        period.major = true;
        let legend = chart(&t, &[period, key]).legend;
        assert_eq!(
            legend,
            Legend {
                diamond: true,
                period: true,
                outlined_period: true,
                ..Legend::default()
            }
        );
        assert_eq!(chart(&t, &[]).legend, Legend::default());
    }

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

        let (class, labels) = span("2024-06-01", "2024-06-10");
        assert_eq!(class, "axis day");
        all(
            &labels,
            &|l| matches!(l.split_once(' '), Some((d, m)) if digits(d) && m == "jun"),
        );
        assert!(labels.contains(&"4 jun".to_string()));

        let (class, labels) = span("2024-01-15", "2024-08-15");
        assert_eq!(class, "axis month");
        all(
            &labels,
            &|l| matches!(l.split_once(' '), Some((m, y)) if y == "2024" && m.chars().all(char::is_alphabetic)),
        );
        assert!(labels.contains(&"jun 2024".to_string()), "{labels:?}");

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

    /// 3,000 events spread over ten years, some of them key moments, periods or months.
    fn many(t: &Timeline) -> Vec<Event> {
        let orgs = [&["bzk"][..], &["ncsc"], &["bzk", "ncsc"], &[]];
        let first = NaiveDate::from_ymd_opt(2014, 1, 1).unwrap();
        (0..3000)
            .map(|i| {
                let day = first + Duration::days((i * 7919 % 3650) as i64);
                let date = format!("{day}T{:02}:{:02}", (i * 5) % 24, (i * 13) % 60);
                let title = format!("Event number {i}: a headline of an ordinary length");
                let mut e = event(t, &format!("event-number-{i}"), &date, orgs[i % 4], &title);
                e.major = i % 50 == 7;
                if i % 97 == 0 {
                    let end = (day + Duration::days(40)).to_string();
                    e.end = Some(EventDate::parse(&end, t.site.timezone).unwrap().0);
                }
                if i % 89 == 0 {
                    e.date = EventDate::parse(&date[..7], t.site.timezone).unwrap().0;
                }
                e
            })
            .collect()
    }

    #[test]
    fn three_thousand_events_stay_small_and_deterministic() {
        let (_dir, t) = timeline("nl");
        let events = many(&t);
        let svg = draw(&t, &events);
        let html = Html::parse_fragment(&svg);
        let marks = select(&html, "a").len();
        assert_eq!(marks, 3750, "one mark per (event, organisation)");
        eprintln!(
            "3,000 events, {marks} marks: {} bytes, {} per mark",
            svg.len(),
            svg.len() / marks
        );
        assert!(svg.len() < marks * 400, "{} bytes", svg.len());
        let (_, labels) = tick_labels(&svg);
        assert!(labels.len() <= 24, "{labels:?}");
        let r = number(&select(&html, "circle")[0], "r");
        assert!(r < MAX_RADIUS, "crowded dots are smaller: {r}");
        assert_eq!(svg, draw(&t, &events), "same input, same bytes");
        let two_decimals = svg.as_bytes().windows(4).any(|w| {
            w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
        });
        assert!(!two_decimals, "numbers have at most one decimal");
    }

    #[test]
    fn titles_are_escaped() {
        let (_dir, t) = timeline("en");
        let e = event(&t, "x", "2024-06-04", &["bzk"], r#"Tags <b> & "quotes"'"#);
        let svg = draw(&t, &[e]);
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(
            svg.contains("Tags &lt;b&gt; &amp; &quot;quotes&quot;&#39;"),
            "{svg}"
        );
        let html = Html::parse_fragment(&svg);
        let name: String = select(&html, "a > title")[0].text().collect();
        assert!(name.ends_with(r#"— Tags <b> & "quotes"' (BZK)"#), "{name}");
    }

    /// The chart of a split timeline, its periods as `periods::split` makes them with
    /// `page_size`, each bar linking to "<period>?org=<key>" ("<period>" in the "—" lane).
    fn draw_by_period(timeline: &Timeline, events: &[Event], page_size: usize) -> String {
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..refs.len()).collect();
        let periods = crate::render::periods::split(&refs, &all, page_size).unwrap();
        let link = |org: Option<&str>, period: &Period| match org {
            Some(org) => format!("{}?org={org}", period.key),
            None => period.key.clone(),
        };
        overview_by_period(timeline, &refs, &periods, &link)
    }

    /// (link, accessible name) of every bar, lane by lane.
    fn bars(svg: &str) -> Vec<(String, String)> {
        let html = Html::parse_fragment(svg);
        select(&html, "g.lane a")
            .iter()
            .map(|a| {
                let href = a.value().attr("href").unwrap().to_string();
                let name = select_in(a, "title")[0].text().collect();
                (href, name)
            })
            .collect()
    }

    fn select_in<'a>(
        element: &scraper::ElementRef<'a>,
        selector: &str,
    ) -> Vec<scraper::ElementRef<'a>> {
        element
            .select(&Selector::parse(selector).unwrap())
            .collect()
    }

    /// `n` events of each (organisations, date) given.
    fn repeated(t: &Timeline, n: usize, cells: &[(&[&str], &str)]) -> Vec<Event> {
        cells
            .iter()
            .enumerate()
            .flat_map(|(c, (orgs, date))| {
                (0..n).map(move |i| event(t, &format!("e{c}-{i}"), date, orgs, "Event"))
            })
            .collect()
    }

    #[test]
    fn by_period_one_linked_bar_per_lane_and_period_with_events() {
        let (_dir, t) = timeline("nl");
        let mut events = repeated(&t, 2, &[(&["ncsc"], "2024-06-03")]);
        events.extend(repeated(
            &t,
            1,
            &[
                (&["bzk", "ncsc"], "2024-06-20T10:00"),
                (&["bzk"], "2024-07-01"),
                (&[], "2024-07-02"),
            ],
        ));
        let svg = draw_by_period(&t, &events, 3);
        let expected = [
            ("2024-06?org=bzk", "BZK, juni 2024: 1 gebeurtenis"),
            ("2024-07?org=bzk", "BZK, juli 2024: 1 gebeurtenis"),
            ("2024-06?org=ncsc", "NCSC, juni 2024: 3 gebeurtenissen"),
            ("2024-07", "juli 2024: 1 gebeurtenis zonder organisatie"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(bars(&svg), expected);
        let html = Html::parse_fragment(&svg);
        assert_eq!(
            lane_classes(&html),
            ["lane org-bzk", "lane org-ncsc", "lane no-org"]
        );
        assert_eq!(lane_labels(&html), ["BZK", "NCSC", "—"]);
        assert_eq!(select(&html, "g.labels[aria-hidden=true]").len(), 1);
        assert_eq!(select(&html, "g.axis[aria-hidden=true]").len(), 1);
        let root = select(&html, "svg")[0];
        assert_eq!(root.value().attr("role"), Some("group"));
        assert_eq!(root.value().attr("aria-labelledby"), Some(TITLE_ID));
        let title: String = select(&html, "svg > title#_chart-title")[0]
            .text()
            .collect();
        assert_eq!(
            title,
            "Overzicht: 5 gebeurtenissen, 3 juni 2024 – 2 juli 2024"
        );
        // Without a "—" event, no "—" lane; in English, the English words.
        let (_dir, t) = timeline("en");
        let dates = [
            (&["ncsc"][..], "2024-06-03"),
            (&["ncsc"], "2024-07"),
            (&["ncsc"], "2025"),
        ];
        let svg = draw_by_period(&t, &repeated(&t, 1, &dates), 1);
        assert!(!svg.contains("no-org"), "{svg}");
        let names: Vec<String> = bars(&svg).into_iter().map(|(_, name)| name).collect();
        assert_eq!(
            names,
            [
                "NCSC, June 2024: 1 event",
                "NCSC, July 2024: 1 event",
                "NCSC, 2025: 1 event"
            ]
        );
    }

    #[test]
    fn by_period_bars_span_their_period_and_grow_with_their_count() {
        let (_dir, t) = timeline("en");
        let mut events = repeated(&t, 1, &[(&["bzk"], "2024")]);
        events.extend(repeated(&t, 12, &[(&["bzk"], "2024-06-10")]));
        events.extend(repeated(&t, 3, &[(&["bzk"], "2024-07-10")]));
        let svg = draw_by_period(&t, &events, 5);
        let html = Html::parse_fragment(&svg);
        let rect =
            |period: &str| select(&html, &format!(r#"a[href="{period}?org=bzk"] > rect.bin"#))[0];
        let (year, june, july) = (rect("2024"), rect("2024-06"), rect("2024-07"));
        let attr = |r: &scraper::ElementRef, a: &str| number(r, a);
        // Neighbouring months share a row, each about 30 days wide, a small gap between them.
        let bottom = |r: &scraper::ElementRef| attr(r, "y") + attr(r, "height");
        assert!((bottom(&june) - bottom(&july)).abs() < 0.01);
        let june_end = attr(&june, "x") + attr(&june, "width");
        let gap = attr(&july, "x") - june_end;
        assert!((1.0..1.5).contains(&gap), "{gap}");
        let ratio = attr(&july, "width") / attr(&june, "width");
        assert!((ratio - 1.0).abs() < 0.05, "{ratio}");
        // The year's page lies over its months: its bar has a row of its own, twelve months wide.
        assert!((bottom(&year) - bottom(&june)).abs() > BIN_HEIGHT, "{svg}");
        let ratio = attr(&year, "width") / attr(&june, "width");
        assert!((11.0..13.0).contains(&ratio), "{ratio}");
        // The busiest bar is full height; the others by the root of their share of it, from
        // the minimum up.
        assert_eq!(attr(&june, "height"), BIN_HEIGHT);
        assert_eq!(
            attr(&july, "height"),
            MIN_BIN + (BIN_HEIGHT - MIN_BIN) / 2.0
        );
        assert_eq!(attr(&year, "height"), 8.0, "{}", bin_height(1, 12));
        let lone = bin_height(1, 1_000_000);
        assert!(lone > MIN_BIN && lone < MIN_BIN + 0.1, "{lone}");
        assert!(!svg.contains("style"), "no inline styles: {svg}");
        assert!(!svg.contains("script"), "{svg}");
    }

    #[test]
    fn by_period_size_follows_the_bars_not_the_events() {
        let (_dir, t) = timeline("en");
        let cells: &[(&[&str], &str)] = &[
            (&["bzk"], "2023-03-01"),
            (&["bzk", "ncsc"], "2024-06-04T14:30"),
            (&[], "2025-11-30"),
        ];
        let draw = |n| draw_by_period(&t, &repeated(&t, n, cells), n);
        let (few, many) = (draw(10), draw(1000));
        // The same bars, links and shapes; only the counts in the names have more digits:
        // two more in each of the four bars' names and in the chart's title.
        let digitless = |s: &str| s.replace(|c: char| c.is_ascii_digit(), "");
        assert_eq!(digitless(&few), digitless(&many));
        assert_eq!(many.len(), few.len() + 2 * 5, "{few}\n{many}");
        let shapes = |svg: &str| {
            let html = Html::parse_fragment(svg);
            select(&html, "rect.bin")
                .iter()
                .map(|r| format!("{:?}", r.value().attrs().collect::<Vec<_>>()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shapes(&few), shapes(&many));
        assert_eq!(bars(&many).len(), 4);
        assert_eq!(bars(&many)[1].1, "BZK, 2024: 1000 events");
        assert_eq!(many, draw(1000), "same input, same bytes");
        let two_decimals = many.as_bytes().windows(4).any(|w| {
            w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
        });
        assert!(!two_decimals, "numbers have at most one decimal");
    }

    #[test]
    fn by_period_links_and_names_are_escaped() {
        let (_dir, t) = timeline("en");
        let events = repeated(&t, 1, &[(&["bzk"], "2024-06-03"), (&["bzk"], "2025")]);
        let refs: Vec<&Event> = events.iter().collect();
        let periods = crate::render::periods::split(&refs, &[0, 1], 1).unwrap();
        let link = |_: Option<&str>, _: &Period| r#"a?x=1&y="2""#.to_string();
        let svg = overview_by_period(&t, &refs, &periods, &link);
        assert!(svg.contains(r#"href="a?x=1&amp;y=&quot;2&quot;""#), "{svg}");
        assert_eq!(overview_by_period(&t, &[], &periods, &link), "");
    }

    #[test]
    fn numbers_have_one_decimal_at_most() {
        assert_eq!(N(12.345).to_string(), "12.3");
        assert_eq!(N(12.0).to_string(), "12");
        assert_eq!(N(-0.01).to_string(), "0");
        assert_eq!(N(-2.25).to_string(), "-2.3");
        assert_eq!(N(f64::NAN).to_string(), "0");
    }
}
