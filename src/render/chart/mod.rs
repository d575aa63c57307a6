//! The overview chart: the whole chronology at a glance, as an inline SVG drawn at build time.
//!
//! Two charts share one frame (`svg`): [`overview`] draws a mark per event and organisation
//! (`marks`); a timeline split into period pages gets [`overview_by_period`] instead, one bar
//! per organisation and period (`bars`), so that its size follows lanes × periods and not the
//! number of events. Both put time on the x axis (`time`, `axis`) and an organisation per
//! lane (`lanes`); [`Legend`] says which kinds of mark a chart drew. The chart of events
//! gives its width to where most of them are and gathers the rest at its edges (`focus`),
//! or shows the range `chart:` in `_index.md` fixes; its marks never overlap: what finds no
//! room is folded into counted clusters (`fold`). An event with `chart: false` is left off
//! both charts.
//!
//! What the chart must never do:
//!
//! - **Draw an event it was not given.** It draws exactly `events`: the caller has already
//!   left out what the audience may not see (drafts, internal events). A draft or internal
//!   event it is given says so in its mark's name, in the site's language.
//! - **Need script or styles.** No JavaScript, no `style=""`, no `<style>`, so that a strict
//!   Content-Security-Policy holds; colours are presentation attributes.
//! - **Write unescaped text.** Every title, label and link goes through `escape`.
//! - **Vary.** The same timeline gives the same bytes: numbers have at most one decimal
//!   (`svg::N`), and nothing reads a clock or the environment.
//! - **Grow faster than its input.** One small element per mark, or per bar.

mod axis;
mod bars;
mod focus;
mod fold;
mod lanes;
mod legend;
mod marks;
mod svg;
#[cfg(test)]
mod test_support;
mod time;

pub use legend::Legend;

use super::periods::Period;
use crate::model::{Event, Timeline};
use axis::Axis;
use bars::{counts, Bars};
use lanes::{gutter, lanes};

#[cfg(test)]
mod geometry;
use marks::{radius, write_lane};
use svg::{chart_title, write_frame, Frame, LABEL_BAND, NARROW, PLAIN, RIGHT, TOP, WIDE};
use time::{Extent, Scale};

/// The `id` of the chart's `<title>`: kroniek reserves ids that start with `_`.
pub const TITLE_ID: &str = "_chart-title";

/// An overview chart of events, and which kinds of mark it has.
#[derive(Debug, Default)]
pub struct Chart {
    /// The inline `<svg>`; empty when there are no events.
    pub svg: String,
    pub legend: Legend,
}

/// The overview chart of `events` (but those with `chart: false`), each mark linking to
/// `link(event)`, and each cluster to its first event's: drawn wide and narrow (see
/// `svg::Frame`), one after the other, for the stylesheet to show one.
pub fn overview(timeline: &Timeline, events: &[&Event], link: &dyn Fn(&Event) -> String) -> Chart {
    let events: Vec<&Event> = events.iter().copied().filter(|e| e.chart).collect();
    if events.is_empty() {
        return Chart::default();
    }
    let (mut svg, wide) = draw(timeline, &events, link, &WIDE);
    let (narrow, small) = draw(timeline, &events, link, &NARROW);
    svg.push_str(&narrow);
    Chart {
        svg,
        legend: Legend::of_both(wide, small),
    }
}

/// The marks of the overview in `frame`, placed: its lanes, scale and dot radius.
struct Layout {
    lanes: Vec<lanes::Lane>,
    scale: Scale,
    r: f64,
    /// Where the lanes end and the axis begins.
    bottom: f64,
}

/// Places every mark of the overview of `events` in `frame`.
fn layout(timeline: &Timeline, events: &[&Event], frame: &Frame) -> Layout {
    let tz = timeline.site.timezone;
    let extents: Vec<Extent> = events.iter().map(|e| Extent::of(e, tz)).collect();
    let mut lanes = lanes(timeline, events);
    if frame.labels_above {
        for lane in &mut lanes {
            lane.band = LABEL_BAND;
        }
    }
    let range = &timeline.site.chart;
    let x = (frame.left(&lanes), frame.right);
    let scale = focus::scale(&extents, range, tz, x, frame.edge);
    let r = radius(&lanes, &extents, &scale);
    let mut top = TOP;
    for lane in &mut lanes {
        lane.place(events, &extents, &scale, r, top, frame.width);
        top += lane.height;
    }
    Layout {
        lanes,
        scale,
        r,
        bottom: top,
    }
}

/// One drawing of the overview in `frame`, and the kinds of mark it has.
fn draw(
    timeline: &Timeline,
    events: &[&Event],
    link: &dyn Fn(&Event) -> String,
    frame: &Frame,
) -> (String, Legend) {
    let language = timeline.site.language;
    let Layout {
        lanes,
        scale,
        r,
        bottom,
    } = layout(timeline, events, frame);
    let axis = Axis::new(&scale, timeline.site.timezone, language, frame.width);
    let mut out = String::with_capacity(1024 + events.len() * 256);
    let title = chart_title(events, language);
    write_frame(&mut out, frame, &title, &lanes, &scale, &axis, bottom);
    for lane in &lanes {
        write_lane(&mut out, lane, events, r, timeline, link);
    }
    out.push_str("</svg>");
    (out, Legend::of(&lanes, events))
}

/// The overview of a timeline split into `periods` (whose members index into `events`): in
/// each lane, one bar per period that has events of its organisation, taller the more they are
/// (see `bars::bin_height`), linking to `link(organisation key, period)` (`None` in the "—"
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
    let axis = Axis::new(&scale, tz, language, PLAIN.width);
    let labels: Vec<String> = periods.iter().map(|p| p.label(language)).collect();
    let bins: usize = lanes.iter().map(|l| l.bins.len()).sum();
    let mut out = String::with_capacity(2048 + bins * 160);
    let title = chart_title(events, language);
    write_frame(&mut out, &PLAIN, &title, &lanes, &scale, &axis, top);
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
