//! The marks of [`super::overview`]: one per event and lane, shaped by the date's precision,
//! and written as links named by when, what and who.
//!
//! Precision stays visible: an exact time is a dot (a larger, outlined diamond for a key
//! moment). A month or a year is a light bar over the whole month or year; so is a day, when
//! the day is wider than a dot (on an hours or days axis). A period is a solid, rounded bar
//! from its start to its end. A key moment drawn as a bar is outlined. The dot radius shrinks
//! with the crowding of the busiest lane, so that 3 events or 3,000 both read. A mark must
//! never claim more precision than its date has, and a draft or internal event's name must
//! never leave out that it is one.

use super::fold::{self, Cluster, BADGE_FONT, BADGE_HEIGHT};
use super::lanes::{Lane, CLUSTER_ROW, MAX_STACK};
use super::svg::{truncate, write_lane_start, N};
use super::time::{Extent, Kind, Scale};
use crate::i18n;
use crate::markdown::escape;
use crate::model::{Event, EventDate, Language, Precision, Timeline};
use std::fmt::Write;

/// Marks closer than this (in viewBox units) count as crowding each other.
const CROWD_WINDOW: f64 = 10.0;
const MAX_RADIUS: f64 = 5.0;
const MIN_RADIUS: f64 = 1.5;
/// Titles longer than this are cut in the marks' tooltips; the event's own page has them whole.
const MAX_TITLE_CHARS: usize = 120;
const OUTLINE: &str = r#" stroke="currentColor" stroke-width="1""#;

/// The dot radius: full size when marks stand apart, smaller as the busiest lane crowds.
pub(super) fn radius(lanes: &[Lane], extents: &[Extent], scale: &Scale) -> f64 {
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
pub(super) enum Shape {
    Dot,
    /// A key moment at a point in time.
    Diamond,
    /// A solid rounded bar from start to end.
    Period,
    /// A light bar over the day, month or year the date names.
    Coarse,
}

/// One event drawn in one lane.
pub(super) struct Mark {
    pub(super) event: usize,
    pub(super) shape: Shape,
    /// Left and right in viewBox units; equal for a dot or diamond.
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) row: usize,
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

    /// Half the height the mark takes.
    pub(super) fn half_height(&self, r: f64) -> f64 {
        match self.shape {
            Shape::Diamond => Mark::diamond(r),
            _ => r,
        }
    }

    /// Where the mark's crowding and folding count it: its middle.
    fn middle(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }

    /// The horizontal room the mark takes.
    pub(super) fn span(&self, r: f64) -> (f64, f64) {
        match self.shape {
            Shape::Dot => (self.x0 - r, self.x0 + r),
            Shape::Diamond => (self.x0 - Mark::diamond(r), self.x0 + Mark::diamond(r)),
            Shape::Period | Shape::Coarse => (self.x0, self.x1),
        }
    }
}

impl Lane {
    /// Shapes the marks, stacks them in rows, folds what finds no room into clusters (see
    /// `fold`; they stay left of `width`) and sets the lane's height. Rows are as far apart as the tallest mark needs.
    pub(super) fn place(
        &mut self,
        events: &[&Event],
        extents: &[Extent],
        scale: &Scale,
        r: f64,
        top: f64,
        width: f64,
    ) {
        let marks: Vec<Mark> = self
            .members
            .iter()
            .map(|&i| Mark::new(i, events[i], &extents[i], scale, r))
            .collect();
        let half = marks.iter().map(|m| m.half_height(r)).fold(r, f64::max);
        let pitch = 2.0 * half + 3.0;
        let spans: Vec<(f64, f64)> = marks.iter().map(|m| m.span(r)).collect();
        let major: Vec<bool> = marks.iter().map(|m| events[m.event].major).collect();
        let max_rows = |room: f64| ((room / pitch).floor() as usize).max(1);
        let (mut rows, mut used) = fold::arrange(&spans, &major, max_rows(MAX_STACK));
        if rows.contains(&None) {
            // Some must fold: their row of clusters takes part of the room.
            (rows, used) = fold::arrange(&spans, &major, max_rows(MAX_STACK - CLUSTER_ROW));
        }
        let mut folded: Vec<(f64, usize)> = Vec::new();
        self.marks = Vec::with_capacity(marks.len());
        for (mut mark, row) in marks.into_iter().zip(rows) {
            match row {
                Some(row) => {
                    mark.row = row;
                    self.marks.push(mark);
                }
                None => folded.push((mark.middle(), mark.event)),
            }
        }
        // In time order (the members are), so that a cluster links to its earliest event.
        folded.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        self.clusters = fold::clusters(&folded, width - 1.0);
        self.settle_marks(used, pitch, top);
    }
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

pub(super) fn write_lane(
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
    for cluster in &lane.clusters {
        write_cluster(out, cluster, lane, events, timeline, link);
    }
    out.push_str("</g>");
}

/// A cluster: a badge "+5" that links to the first of its events, named by how many it holds,
/// when and (in an organisation's lane) whose.
fn write_cluster(
    out: &mut String,
    cluster: &Cluster,
    lane: &Lane,
    events: &[&Event],
    timeline: &Timeline,
    link: &dyn Fn(&Event) -> String,
) {
    let first = events[cluster.members[0]];
    let y = lane.cluster_y();
    let label = cluster.label();
    out.push_str(r#"<a class="cluster" href=""#);
    out.push_str(&escape(&link(first)));
    // Every event it holds, so that the filters dim it only when they hide them all.
    out.push_str(r#"" data-events=""#);
    let slugs: Vec<&str> = cluster
        .members
        .iter()
        .map(|&i| events[i].slug.as_str())
        .collect();
    out.push_str(&escape(&slugs.join(" ")));
    out.push_str(r#""><title>"#);
    out.push_str(&escape(&cluster_title(cluster, lane, events, timeline)));
    let _ = write!(
        out,
        r##"</title><rect x="{}" y="{}" width="{}" height="{}" rx="2"/><text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#ffffff">{label}</text></a>"##,
        N(cluster.x0),
        N(y - BADGE_HEIGHT / 2.0),
        N(cluster.x1 - cluster.x0),
        N(BADGE_HEIGHT),
        N((cluster.x0 + cluster.x1) / 2.0),
        N(y + BADGE_FONT * 0.35),
        N(BADGE_FONT),
    );
}

/// A cluster's accessible name: "+5: 5 events together, 29 Aug 2011 – 30 Aug 2011
/// (DigiNotar)", with the marks of drafts and internal events among them first.
fn cluster_title(cluster: &Cluster, lane: &Lane, events: &[&Event], timeline: &Timeline) -> String {
    let language = timeline.site.language;
    let members = cluster.members.iter().map(|&i| events[i]);
    let draft = members.clone().any(|e| e.draft);
    let internal = members.clone().any(|e| e.internal);
    let mut text = i18n::audience_marks(draft, internal, language);
    let count = cluster.members.len().to_string();
    text.push_str(&cluster.label());
    text.push_str(": ");
    text.push_str(
        &i18n::strings(language)
            .cluster_of
            .replace("{count}", &count),
    );
    let first = members.clone().map(|e| &e.date).min();
    let last = members.map(|e| e.end.as_ref().unwrap_or(&e.date)).max();
    if let (Some(first), Some(last)) = (first, last) {
        let (first, last) = (
            first.short_date_text(language),
            last.short_date_text(language),
        );
        text.push_str(", ");
        text.push_str(&first);
        if last != first {
            text.push_str(" – ");
            text.push_str(&last);
        }
    }
    let org = lane.key.as_deref().and_then(|k| timeline.organisation(k));
    if let Some(org) = org {
        text.push_str(" (");
        text.push_str(&org.short);
        text.push(')');
    }
    text
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::chart::test_support::*;
    use chrono::{Duration, NaiveDate};
    use scraper::Html;

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
        // One mark per (event, organisation), or a place in a counted cluster.
        let folded: usize = select(&html, "a.cluster > text")
            .iter()
            .map(|t| t.text().collect::<String>()[1..].parse::<usize>().unwrap())
            .sum();
        let clusters = select(&html, "a.cluster").len();
        assert_eq!(marks - clusters + folded, 3750);
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
}
