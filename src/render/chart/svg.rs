//! What both charts write the same way: the `<svg>` element with its title, the grid, the
//! lane labels and the axis, each lane's group, and the number format.
//!
//! The chart has a fixed width and scales: a `viewBox` 680 units wide (the text column's
//! width in pixels); its height follows the lanes, and CSS scales it to the column. It is a
//! `group` (it holds links, so it cannot be an `img`) named by its `<title id="_chart-title">`;
//! ids starting with `_` never collide with event slugs. Axis and lane labels are
//! `aria-hidden`: every link's name already carries them. Each lane's `fill` is its
//! organisation's colour, so the chart reads right without any stylesheet; the lane's class
//! `org-<key>` brings the site's `--org` variable, which the stylesheet may use
//! (`.chart .lane { fill: var(--org) }`) and which overrides the attribute. Nothing here may
//! write a `style`, a script, or a number with more than one decimal (see [`N`]).

use super::axis::Axis;
use super::lanes::Lane;
use super::time::Scale;
use super::TITLE_ID;
use crate::i18n;
use crate::markdown::escape;
use crate::model::{Event, Language};
use std::fmt::{self, Display, Write};

/// About the width in CSS pixels of the theme's text column (42rem), so that on a wide screen
/// one unit is one pixel and the labels show at `FONT_SIZE` px; narrower screens scroll it.
pub(super) const WIDTH: f64 = 680.0;
/// Right edge of the plot; the rest of the width keeps the last label and mark inside.
pub(super) const RIGHT: f64 = 665.0;
pub(super) const TOP: f64 = 6.0;
const FONT_SIZE: u32 = 12;
/// Estimated average glyph width at `FONT_SIZE`, generous so that labels never collide.
pub(super) const CHAR_WIDTH: f64 = 7.0;

/// The height of a lane's label when it stands above the lane (see [`Frame`]).
pub(super) const LABEL_BAND: f64 = 15.0;

/// A size the chart is drawn in. The chart of events is drawn twice, and the stylesheet shows
/// one: [`WIDE`] for the text column, and [`NARROW`] for phones, where the wide one scaled
/// down would have labels too small to read (and scrolled sideways, its first view showed an
/// edge of empty years). The narrow one puts each lane's label above the lane, so that the
/// whole width is time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub(super) width: f64,
    /// Right edge of the plot; the rest of the width keeps the last label and mark inside.
    pub(super) right: f64,
    pub(super) labels_above: bool,
    /// The width of an edge of a broken axis: room for "earlier" and a few marks.
    pub(super) edge: f64,
    pub(super) class: &'static str,
    pub(super) title_id: &'static str,
}

/// The frame of the bars of a split timeline, which are drawn once.
pub(super) const PLAIN: Frame = Frame {
    width: WIDTH,
    right: RIGHT,
    labels_above: false,
    edge: 52.0,
    class: "chart",
    title_id: TITLE_ID,
};
pub(super) const WIDE: Frame = Frame {
    class: "chart chart-wide",
    ..PLAIN
};
/// About the width in CSS pixels of a 360 px phone's text column: labels show at about 11 px
/// on a 320 px screen.
pub(super) const NARROW: Frame = Frame {
    width: 320.0,
    right: 312.0,
    labels_above: true,
    edge: 40.0,
    class: "chart chart-narrow",
    title_id: "_chart-title-narrow",
};

impl Frame {
    /// Where the plot starts: after the lane labels, or with them above, near the left edge.
    pub(super) fn left(&self, lanes: &[Lane]) -> f64 {
        if self.labels_above {
            8.0
        } else {
            super::lanes::gutter(lanes)
        }
    }
}

const AXIS_HEIGHT: f64 = 24.0;
const CAPTION_HEIGHT: f64 = 16.0;

/// "Overzicht: 3 gebeurtenissen, 4 juni 2024 – 10 juni 2024".
pub(super) fn chart_title(events: &[&Event], language: Language) -> String {
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

pub(super) fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_string(),
    }
}

pub(super) fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

/// What both charts share: the `<svg>` element's start, its title, the grid, the lane labels
/// and the axis under the lanes, which end at `bottom`.
pub(super) fn write_frame(
    out: &mut String,
    frame: &Frame,
    title: &str,
    lanes: &[Lane],
    scale: &Scale,
    axis: &Axis,
    bottom: f64,
) {
    let mut height = bottom + AXIS_HEIGHT;
    if axis.caption.is_some() || !axis.edges.is_empty() {
        height += CAPTION_HEIGHT;
    }
    let _ = write!(
        out,
        r#"<svg class="{}" viewBox="0 0 {} {}" role="group" aria-labelledby="{id}" fill="currentColor" font-size="{FONT_SIZE}"><title id="{id}">"#,
        frame.class,
        N(frame.width),
        N(height.ceil()),
        id = frame.title_id,
    );
    out.push_str(&escape(title));
    out.push_str("</title>");
    write_grid(out, lanes, axis, scale, bottom);
    write_edges(out, axis, bottom);
    write_lane_labels(out, lanes, scale.left(), frame.labels_above);
    write_axis(out, frame, axis, bottom);
}

/// The edges of a broken axis: a light band behind each, a zigzag where the axis breaks, and
/// under it "earlier" (or "later") with the years of its events.
fn write_edges(out: &mut String, axis: &Axis, bottom: f64) {
    if axis.edges.is_empty() {
        return;
    }
    out.push_str(r#"<g class="edges" aria-hidden="true" text-anchor="middle">"#);
    for edge in &axis.edges {
        let _ = write!(
            out,
            r#"<rect class="edge" x="{}" y="{}" width="{}" height="{}" fill-opacity="0.06"/>"#,
            N(edge.x0),
            N(TOP),
            N(edge.x1 - edge.x0),
            N(bottom - TOP),
        );
        let mut zigzag = format!("M{} {}", N(edge.cut), N(TOP));
        let mut y = TOP;
        let mut side = 1.0;
        while y + 6.0 <= bottom + 4.0 {
            y += 6.0;
            let _ = write!(zigzag, "L{} {}", N(edge.cut + side * 2.5), N(y - 3.0));
            let _ = write!(zigzag, "L{} {}", N(edge.cut), N(y));
            side = -side;
        }
        let _ = write!(
            out,
            r#"<path class="break" d="{zigzag}" fill="none" stroke="currentColor" stroke-opacity="0.5"/>"#
        );
        let middle = (edge.x0 + edge.x1) / 2.0;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            N(middle),
            N(bottom + 16.0),
            escape(edge.word)
        );
        let _ = write!(
            out,
            r#"<text class="years" x="{}" y="{}" font-size="10">{}</text>"#,
            N(middle),
            N(bottom + 16.0 + CAPTION_HEIGHT),
            escape(&edge.years)
        );
    }
    out.push_str("</g>");
}

/// Vertical lines at the ticks and a rule under each lane, in one path.
fn write_grid(out: &mut String, lanes: &[Lane], axis: &Axis, scale: &Scale, bottom: f64) {
    out.push_str(r#"<g class="grid" aria-hidden="true" fill="none" stroke="currentColor" stroke-opacity="0.2"><path d=""#);
    for tick in &axis.ticks {
        let _ = write!(out, "M{} {}V{}", N(tick.x), N(TOP), N(bottom + 4.0));
    }
    for lane in lanes {
        let y = lane.top + lane.height;
        let _ = write!(out, "M{} {}H{}", N(scale.left()), N(y), N(scale.right()));
    }
    out.push_str(r#""/></g>"#);
}

fn write_lane_labels(out: &mut String, lanes: &[Lane], left: f64, above: bool) {
    // Above the lanes, a label may cross an edge's band and break: a halo in the page's
    // colour keeps it legible (the stylesheet sets that colour).
    let (anchor, halo) = if above {
        (
            "start",
            r##" paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round""##,
        )
    } else {
        ("end", "")
    };
    let _ = write!(
        out,
        r#"<g class="labels" aria-hidden="true" text-anchor="{anchor}"{halo}>"#
    );
    for lane in lanes {
        let (x, y) = if above {
            (left, lane.top + LABEL_BAND - 4.0)
        } else {
            (left - 8.0, lane.middle() + 4.0)
        };
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            N(x),
            N(y),
            escape(&lane.label)
        );
    }
    out.push_str("</g>");
}

fn write_axis(out: &mut String, frame: &Frame, axis: &Axis, bottom: f64) {
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
        let x = axis
            .ticks
            .first()
            .map_or(frame.right, |t| t.x)
            .min(frame.right);
        let x = x.min(frame.width - text_width(caption));
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

/// A lane's group: its class brings the organisation's colour from the stylesheet, `fill` is the
/// same colour without one.
pub(super) fn write_lane_start(out: &mut String, lane: &Lane) {
    let _ = write!(
        out,
        r#"<g class="{}" fill="{}">"#,
        escape(&lane.class),
        escape(&lane.fill)
    );
}

/// A number with at most one decimal, without a trailing `.0` and never `-0`.
pub(super) struct N(pub(super) f64);

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

    #[test]
    fn numbers_have_one_decimal_at_most() {
        assert_eq!(N(12.345).to_string(), "12.3");
        assert_eq!(N(12.0).to_string(), "12");
        assert_eq!(N(-0.01).to_string(), "0");
        assert_eq!(N(-2.25).to_string(), "-2.3");
        assert_eq!(N(f64::NAN).to_string(), "0");
    }
}
