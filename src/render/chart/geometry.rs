//! The geometry of the overview, tested on its layout rather than its text: over random date
//! spreads, no two marks overlap, the automatic focus holds at least [`SHARE`] of the
//! events, and every event has a mark or a place in a counted cluster in each of its lanes;
//! and on a chronology shaped like DigiNotar's (one event in 1998, one in January 2011, a
//! dozen from 29 August to 6 September), the busy days get most of the width. Test code only.

use super::focus::SHARE;
use super::fold::BADGE_HEIGHT;
use super::svg::{Frame, NARROW, WIDE};
use super::test_support::*;
use super::time::Extent;
use super::{layout, Layout};
use crate::model::{ChartRange, Event, EventDate, Timeline};
use chrono::{DateTime, Duration, NaiveDate};
use proptest::prelude::*;
use scraper::Html;

/// A drawn thing's box: left, top, right, bottom.
type Box = (f64, f64, f64, f64);

/// Every mark's and cluster's box, lane by lane, each checked to lie inside its lane (below
/// its label band) and inside the frame.
fn boxes(layout: &Layout, frame: &Frame) -> Vec<Box> {
    let r = layout.r;
    let mut all = Vec::new();
    for lane in &layout.lanes {
        let mut mine: Vec<Box> = lane
            .marks
            .iter()
            .map(|m| {
                let (x0, x1) = m.span(r);
                let (y, h) = (lane.row_y(m.row), m.half_height(r));
                (x0, y - h, x1, y + h)
            })
            .collect();
        let y = lane.cluster_y();
        mine.extend(
            lane.clusters
                .iter()
                .map(|c| (c.x0, y - BADGE_HEIGHT / 2.0, c.x1, y + BADGE_HEIGHT / 2.0)),
        );
        for b in &mine {
            assert!(
                b.1 >= lane.top + lane.band - 0.01 && b.3 <= lane.top + lane.height + 0.01,
                "{b:?} outside its lane {}..{}",
                lane.top,
                lane.top + lane.height
            );
            assert!(
                b.0 >= -0.01 && b.2 <= frame.width + 0.01,
                "{b:?} outside the chart"
            );
        }
        all.extend(mine);
    }
    all
}

/// The first two boxes that overlap (by more than the output's rounding), if any.
fn overlap(boxes: &[Box]) -> Option<(Box, Box)> {
    const ROUNDING: f64 = 0.1;
    let mut sorted = boxes.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            if b.0 >= a.2 - ROUNDING {
                break;
            }
            if b.1 < a.3 - ROUNDING && a.1 < b.3 - ROUNDING {
                return Some((*a, *b));
            }
        }
    }
    None
}

/// Checks every lane holds each of its members once: as a mark, or in one cluster, which
/// links to the earliest of its events.
fn check_every_event_is_there(layout: &Layout, events: &[&Event]) {
    for lane in &layout.lanes {
        let mut shown: Vec<usize> = lane.marks.iter().map(|m| m.event).collect();
        for cluster in &lane.clusters {
            assert!(!cluster.members.is_empty());
            let first = events[cluster.members[0]].date.start;
            assert!(cluster
                .members
                .iter()
                .all(|&i| events[i].date.start >= first));
            shown.extend(&cluster.members);
        }
        shown.sort_unstable();
        let mut members = lane.members.clone();
        members.sort_unstable();
        assert_eq!(shown, members, "lane {}", lane.label);
    }
}

/// How many anchors the focus holds.
fn held(layout: &Layout, timeline: &Timeline, events: &[&Event]) -> usize {
    let (t0, t1) = (layout.scale.t0, layout.scale.t1);
    events
        .iter()
        .map(|e| Extent::of(e, timeline.site.timezone).anchor())
        .filter(|a| (t0..=t1).contains(a))
        .count()
}

/// One generated event: seconds from 29 August 2011, how precise, whether a period (and how
/// long), whether a key moment, and which of the two organisations (0: none).
type Spec = (i64, u8, Option<i64>, bool, u8);

/// Dates in a busy week, in the months around it, or years away.
fn spec() -> impl Strategy<Value = Spec> {
    let day = 86_400i64;
    let offset = prop_oneof![
        6 => 0..9 * day,
        2 => -60 * day..60 * day,
        1 => -15 * 365 * day..5 * 365 * day,
    ];
    (
        offset,
        0u8..4,
        proptest::option::weighted(0.15, 0..40 * day),
        proptest::bool::weighted(0.2),
        0u8..4,
    )
}

/// The events of `specs` on the test site, in time order as the model keeps them.
fn events_of(t: &Timeline, specs: &[Spec]) -> Vec<Event> {
    let base = NaiveDate::from_ymd_opt(2011, 8, 29)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let text = |offset: i64, precision: u8| {
        let at = base + Duration::seconds(offset);
        match precision {
            0 => at.format("%Y").to_string(),
            1 => at.format("%Y-%m").to_string(),
            2 => at.format("%Y-%m-%d").to_string(),
            _ => at.format("%Y-%m-%dT%H:%M").to_string(),
        }
    };
    let date = |text: String| {
        EventDate::parse(&text, t.site.timezone)
            .or_else(|_| EventDate::parse(&text[..10], t.site.timezone))
            .unwrap()
            .0
    };
    let orgs: [&[&str]; 4] = [&[], &["bzk"], &["ncsc"], &["bzk", "ncsc"]];
    let mut events: Vec<Event> = specs
        .iter()
        .enumerate()
        .map(|(i, &(offset, precision, end, major, org))| {
            let mut e = event(t, &format!("e{i}"), "2011-08-29", orgs[org as usize], "E");
            e.date = date(text(offset, precision));
            e.end = end.map(|length| date(text(offset + length + 86_400, 2)));
            e.end = e.end.filter(|end| end.start >= e.date.start);
            e.major = major;
            e
        })
        .collect();
    events.sort_by_key(|e| e.date.start);
    events
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn marks_never_overlap_and_every_event_is_there(specs in proptest::collection::vec(spec(), 1..120)) {
        let (_dir, t) = timeline("en");
        let events = events_of(&t, &specs);
        let refs: Vec<&Event> = events.iter().collect();
        for frame in [WIDE, NARROW] {
            let layout = layout(&t, &refs, &frame);
            let found = overlap(&boxes(&layout, &frame));
            prop_assert!(found.is_none(), "{:?} overlap in {}", found, frame.class);
            check_every_event_is_there(&layout, &refs);
            let least = (refs.len() as f64 * SHARE).ceil() as usize;
            let holds = held(&layout, &t, &refs);
            prop_assert!(holds >= least, "the focus holds {holds} of {}", refs.len());
        }
    }
}

/// The DigiNotar-like chronology: one event in 1998, one in January 2011 (unless left out)
/// and a dozen from 29 August to 6 September 2011, all of DigiNotar's lane ("bzk" here).
fn diginotar(t: &Timeline, with_1998: bool) -> Vec<Event> {
    let mut dates = vec!["2011-01-10"];
    if with_1998 {
        dates.insert(0, "1998");
    }
    dates.extend([
        "2011-08-29T09:00",
        "2011-08-29T20:00",
        "2011-08-30",
        "2011-08-31T11:00",
        "2011-09-01T15:00",
        "2011-09-02",
        "2011-09-03T01:15",
        "2011-09-03T01:30",
        "2011-09-03T10:00",
        "2011-09-04T12:00",
        "2011-09-05",
        "2011-09-06T18:00",
    ]);
    dates
        .iter()
        .enumerate()
        .map(|(i, d)| event(t, &format!("e{i}"), d, &["bzk"], "E"))
        .collect()
}

#[test]
fn the_busy_days_get_most_of_the_width() {
    let (_dir, t) = timeline("en");
    for with_1998 in [true, false] {
        let events = diginotar(&t, with_1998);
        let refs: Vec<&Event> = events.iter().collect();
        for frame in [WIDE, NARROW] {
            let layout = layout(&t, &refs, &frame);
            let scale = &layout.scale;
            let plot = scale.right() - scale.left();
            let share = (scale.x1 - scale.x0) / plot;
            assert!(
                share > 0.55,
                "{}: the focus has {share:.2} of the width",
                frame.class
            );
            let dense = &refs[refs.len() - 12..];
            let xs: Vec<f64> = dense
                .iter()
                .map(|e| scale.x(Extent::of(e, t.site.timezone).anchor()))
                .collect();
            let spread = xs.iter().fold(f64::MIN, |a, &b| a.max(b))
                - xs.iter().fold(f64::MAX, |a, &b| a.min(b));
            assert!(
                spread / plot > 0.5,
                "{}: the dozen spread over {:.2} of the width",
                frame.class,
                spread / plot
            );
            // Earlier events are at the earlier edge, before the focus, in order.
            let edge = scale.earlier.expect("an earlier edge");
            let before: Vec<f64> = refs[..refs.len() - 12]
                .iter()
                .map(|e| scale.x(Extent::of(e, t.site.timezone).anchor()))
                .collect();
            assert!(before
                .iter()
                .all(|&x| x >= edge.x0 && x <= edge.x1 && x < scale.x0));
            assert!(before.windows(2).all(|w| w[0] <= w[1]), "{before:?}");
            assert!(scale.later.is_none());
            assert!(overlap(&boxes(&layout, &frame)).is_none());
            check_every_event_is_there(&layout, &refs);
        }
        // Days apart, each day gets a tick.
        let (class, labels) = tick_labels(&draw(&t, &events));
        assert_eq!(class, "axis day", "{labels:?}");
        assert!(labels.len() >= 4, "{labels:?}");
    }
    // On the page: the 1998 event is a link at the edge marked "earlier", with its years.
    let events = diginotar(&t, true);
    let svg = draw(&t, &events);
    let html = Html::parse_fragment(&svg);
    let edges: Vec<String> = select(&html, "g.edges text")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(edges, ["earlier", "1998–2011"]);
    let name: String = select(&html, r#"a[href="events/e0/"] > title"#)[0]
        .text()
        .collect();
    assert_eq!(name, "1998 — E (BZK)");
}

#[test]
fn an_even_spread_keeps_one_plain_axis() {
    let (_dir, t) = timeline("en");
    let events: Vec<Event> = (0..10)
        .map(|i| {
            event(
                &t,
                &format!("e{i}"),
                &format!("{}-06-01", 2014 + i),
                &["bzk"],
                "E",
            )
        })
        .collect();
    let refs: Vec<&Event> = events.iter().collect();
    let layout = layout(&t, &refs, &WIDE);
    assert!(layout.scale.earlier.is_none() && layout.scale.later.is_none());
    assert_eq!(held(&layout, &t, &refs), 10);
    assert!(!draw(&t, &events).contains("edges"));
}

#[test]
fn a_fixed_range_is_shown_and_the_rest_goes_to_the_edges() {
    let (_dir, mut t) = timeline("nl");
    let tz = t.site.timezone;
    t.site.chart = ChartRange {
        from: Some(EventDate::parse("2011-08-28", tz).unwrap().0),
        to: Some(EventDate::parse("2011-09-10", tz).unwrap().0),
    };
    let mut events = diginotar(&t, true);
    events.push(event(&t, "late", "2011-09-20", &["ncsc"], "Failliet"));
    let refs: Vec<&Event> = events.iter().collect();
    let layout = layout(&t, &refs, &WIDE);
    let scale = &layout.scale;
    let local = |t: f64| {
        DateTime::from_timestamp(t as i64, 0)
            .unwrap()
            .with_timezone(&tz)
            .naive_local()
            .to_string()
    };
    assert_eq!(local(scale.t0), "2011-08-28 00:00:00");
    assert_eq!(
        local(scale.t1),
        "2011-09-11 00:00:00",
        "to: is the last day shown, whole"
    );
    assert!(scale.earlier.is_some() && scale.later.is_some());
    let svg = draw(&t, &events);
    let html = Html::parse_fragment(&svg);
    let words: Vec<String> = select(&html, "g.edges text:not(.years)")
        .iter()
        .map(|t| t.text().collect())
        .collect();
    assert_eq!(words, ["eerder", "later"]);
    assert_eq!(select(&html, r#"a[href="events/late/"]"#).len(), 1);
}

#[test]
fn an_event_with_chart_false_is_left_off() {
    let (_dir, t) = timeline("en");
    let mut events = diginotar(&t, true);
    events[0].chart = false;
    let svg = draw(&t, &events);
    assert!(!svg.contains(r#"href="events/e0/""#), "{svg}");
    assert!(!svg.contains("edges") || !svg.contains("1998"), "{svg}");
    assert!(svg.contains("Overview: 13 events"), "{svg}");
    let (wide, narrow) = drawings(&t, &events);
    assert!(narrow.contains(r#"class="chart chart-narrow""#));
    assert!(!narrow.contains(r#"href="events/e0/""#));
    assert!(wide.contains(r#"href="events/e1/""#) && narrow.contains(r#"href="events/e1/""#));
    // Every event left off: no chart at all.
    for e in &mut events {
        e.chart = false;
    }
    assert_eq!(chart(&t, &events).svg, "");
}

#[test]
fn extreme_and_piled_up_dates_keep_their_marks_apart() {
    let (_dir, t) = timeline("en");
    // The calendar's ends, and 300 events of one lane at one instant, with hostile titles.
    let mut events = vec![
        event(&t, "first", "0000", &["bzk"], "Year zero"),
        event(&t, "last", "9999-12-31T23:59", &["bzk"], "The end"),
    ];
    events.extend((0..300).map(|i| {
        event(
            &t,
            &format!("same-{i:03}"),
            "2024-06-04T14:30",
            &["ncsc"],
            "<b>&\"'",
        )
    }));
    events.sort_by_key(|e| e.date.start);
    let refs: Vec<&Event> = events.iter().collect();
    for frame in [WIDE, NARROW] {
        let layout = layout(&t, &refs, &frame);
        assert!(
            overlap(&boxes(&layout, &frame)).is_none(),
            "{}",
            frame.class
        );
        check_every_event_is_there(&layout, &refs);
        let ncsc = &layout.lanes[1];
        let folded: usize = ncsc.clusters.iter().map(|c| c.members.len()).sum();
        assert_eq!(ncsc.marks.len() + folded, 300);
        assert!(folded > 250, "{}: {folded} folded", frame.class);
    }
    let svg = draw(&t, &events);
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    assert!(!svg.contains("<b>"));
    let html = Html::parse_fragment(&svg);
    let clusters = select(&html, "a.cluster");
    assert!(!clusters.is_empty());
    // A cluster links to its first event, lists all of them for the filters, and says how
    // many it holds.
    let cluster = clusters[0];
    let members: Vec<&str> = cluster
        .value()
        .attr("data-events")
        .unwrap()
        .split(' ')
        .collect();
    let href = cluster.value().attr("href").unwrap();
    assert_eq!(href, format!("events/{}/", members[0]));
    let name: String = select(&html, "a.cluster > title")[0].text().collect();
    let count = members.len();
    assert_eq!(
        name,
        format!("+{count}: {count} events together, 4 June 2024 (NCSC)")
    );
    let badge: String = select(&html, "a.cluster > text")[0].text().collect();
    assert_eq!(badge, format!("+{count}"));
}

#[test]
fn a_range_fixed_on_one_side_finds_the_other() {
    let (_dir, mut t) = timeline("en");
    let tz = t.site.timezone;
    let events = diginotar(&t, true);
    let refs: Vec<&Event> = events.iter().collect();
    t.site.chart = ChartRange {
        from: Some(EventDate::parse("2011-08-29", tz).unwrap().0),
        to: None,
    };
    let scale = layout(&t, &refs, &WIDE).scale;
    assert!(scale.earlier.is_some() && scale.later.is_none());
    let last = Extent::of(refs[refs.len() - 1], tz).to;
    assert!(scale.t1 >= last, "the focus runs to the last event");
    // A start after every event: all of them at the earlier edge, still on the chart.
    t.site.chart.from = Some(EventDate::parse("2020-01-01", tz).unwrap().0);
    let layout = layout(&t, &refs, &WIDE);
    assert!(layout.scale.earlier.is_some());
    assert!(overlap(&boxes(&layout, &WIDE)).is_none());
    check_every_event_is_there(&layout, &refs);
}
