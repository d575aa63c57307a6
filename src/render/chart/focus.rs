//! What time the chart gives its width to. A chronology is usually a few busy days with a
//! handful of events years before and after them ("DigiNotar founded", 1998, before a breach
//! in 2011): a linear axis over all of it puts the busy days in a few pixels. So the chart
//! focuses on where most events are and gathers the rest at its edges, behind a break in the
//! axis ("earlier", "later"), each still a mark that links to its event.
//!
//! The focus is the shortest range that holds [`SHARE`] of the events (by their anchors),
//! grown to take in neighbours as long as it at most doubles ([`GROW`]); the axis breaks
//! only when everything together would be more than [`BREAK`] times as long, so that a
//! chronology spread evenly keeps one plain axis. `chart: { from, to }` in `_index.md` fixes
//! either end instead. This module must never leave an event out of the scale: whatever the
//! focus, every instant maps to a place on the chart, before, in or after it, in order.

use super::time::{at_least_min_span, bounds, period_end, seconds, Edge, Extent, Scale};
use crate::model::ChartRange;
use chrono_tz::Tz;

/// The least share of the events the automatic focus holds: three quarters. It is the
/// smallest share that still lets one outlier of four events go to an edge (with 80 % a
/// focus of four events must hold all four, and a 1998 event next to three 2011 ones
/// squeezes them into pixels), and the focus grows past it to take in close neighbours.
pub(super) const SHARE: f64 = 0.75;
/// How much longer than the shortest range of [`SHARE`] the focus may grow to take in more
/// events.
const GROW: f64 = 2.0;
/// The axis breaks only when the whole chronology is more than this many times the focus:
/// below that, a plain axis gives the busy part a third of the width or more anyway.
const BREAK: f64 = 3.0;
/// The width of the break between an edge and the focus (which keeps their marks and labels
/// apart). An edge's own width is its frame's (`svg::Frame::edge`).
pub(super) const GAP: f64 = 12.0;
/// Room inside an edge, so that its marks stay off the break and the lane labels.
pub(super) const EDGE_PAD: f64 = 6.0;
/// The margin around an automatic focus, as a share of its span.
const MARGIN: f64 = 0.03;

/// The scale of the overview of `extents` between `x0` and `x1`: the fixed range if the site
/// sets one, else an automatic focus, with an edge `edge` wide on each side that has events
/// wholly outside it.
pub(super) fn scale(
    extents: &[Extent],
    fixed: &ChartRange,
    tz: Tz,
    (x0, x1): (f64, f64),
    edge: f64,
) -> Scale {
    let (lo, hi) = bounds(extents);
    let (from, to) = match (&fixed.from, &fixed.to) {
        (None, None) => match window(extents) {
            Some(window) => window,
            None => return Scale::fit(extents, x0, x1),
        },
        (from, to) => {
            let from = from.as_ref().map(|d| seconds(d.start));
            let to = to.as_ref().map(|d| seconds(period_end(d, tz)));
            let margin = |a: f64, b: f64| (b - a).max(0.0) * MARGIN;
            match (from, to) {
                (Some(from), Some(to)) => at_least_min_span(from, to),
                (Some(from), None) => {
                    let to = hi + margin(from, hi);
                    at_least_min_span(from, to.max(from))
                }
                (None, Some(to)) => {
                    let from = lo - margin(lo, to);
                    at_least_min_span(from.min(to), to)
                }
                (None, None) => unreachable!("matched above"),
            }
        }
    };
    // An edge only for what lies wholly outside the focus: a month or a period that reaches
    // into it is drawn up to the end of the focus (and on into an edge if there is one), but
    // brings no edge of its own.
    let before: Vec<&Extent> = extents.iter().filter(|e| e.to < from).collect();
    let after: Vec<&Extent> = extents.iter().filter(|e| e.from > to).collect();
    let mut scale = Scale::linear(from, to, x0, x1);
    if !before.is_empty() {
        scale.x0 = x0 + edge + GAP;
        scale.earlier = Some(Edge {
            t0: lo,
            t1: from,
            x0: x0 + EDGE_PAD,
            x1: x0 + edge - EDGE_PAD,
            first: lo,
            last: before
                .iter()
                .map(|e| e.anchor().min(from))
                .fold(lo, f64::max),
        });
    }
    if !after.is_empty() {
        scale.x1 = x1 - edge - GAP;
        scale.later = Some(Edge {
            t0: to,
            t1: hi,
            x0: x1 - edge + EDGE_PAD,
            x1: x1 - EDGE_PAD,
            first: after.iter().map(|e| e.anchor().max(to)).fold(hi, f64::min),
            last: hi,
        });
    }
    scale
}

/// The automatic focus, with its margin; `None` when a plain axis over everything does
/// (see [`BREAK`]).
fn window(extents: &[Extent]) -> Option<(f64, f64)> {
    let mut anchors: Vec<f64> = extents.iter().map(Extent::anchor).collect();
    anchors.sort_by(f64::total_cmp);
    let (first, last) = core(&anchors)?;
    let (first, last) = grow(&anchors, first, last);
    let (a, b) = (anchors[first], anchors[last]);
    // The days (and instants) of the events held are shown whole; a period or month longer
    // than the focus runs on into the edges instead of stretching it.
    let span = (b - a).max(super::time::MIN_SPAN);
    let held = extents
        .iter()
        .filter(|e| (a..=b).contains(&e.anchor()) && e.to - e.from <= span);
    let (from, to) = held.fold((a, b), |(f, t), e| (f.min(e.from), t.max(e.to)));
    let (from, to) = at_least_min_span(from, to);
    let margin = (to - from) * MARGIN;
    let (from, to) = (from - margin, to + margin);
    let (lo, hi) = bounds(extents);
    (hi - lo > BREAK * (to - from)).then_some((from, to))
}

/// The indices of the first and last anchor of the shortest run that holds [`SHARE`] of them
/// (the earliest such run when several are as short).
fn core(anchors: &[f64]) -> Option<(usize, usize)> {
    let n = anchors.len();
    if n == 0 {
        return None;
    }
    let k = ((n as f64 * SHARE).ceil() as usize).clamp(1, n);
    (0..=n - k).map(|i| (i, i + k - 1)).min_by(|a, b| {
        let span = |(i, j): (usize, usize)| anchors[j] - anchors[i];
        span(*a).total_cmp(&span(*b))
    })
}

/// Widens the run `first..=last` one anchor at a time, the nearer side first, while it stays
/// within [`GROW`] times its first span.
fn grow(anchors: &[f64], mut first: usize, mut last: usize) -> (usize, usize) {
    let limit = GROW * (anchors[last] - anchors[first]).max(super::time::MIN_SPAN);
    loop {
        let left = first
            .checked_sub(1)
            .map(|i| (anchors[last] - anchors[i], i, last));
        let right = (last + 1 < anchors.len())
            .then(|| (anchors[last + 1] - anchors[first], first, last + 1));
        let next = match (left, right) {
            (Some(l), Some(r)) => Some(if r.0 < l.0 { r } else { l }),
            (l, r) => l.or(r),
        };
        match next {
            Some((span, i, j)) if span <= limit => (first, last) = (i, j),
            _ => return (first, last),
        }
    }
}
