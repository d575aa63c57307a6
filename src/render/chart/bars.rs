//! The bars of [`super::overview_by_period`], for a timeline split into period pages: one bar
//! per organisation and period, not a mark per event, so that its size follows lanes ×
//! periods (one mark per event made a 40 MB page at 100,000 events). A bar spans its year or
//! month; it grows taller with its number of events against the busiest bar's (see
//! [`bin_height`]), from `MIN_BIN`, so that a period of one event still shows. Height, not
//! opacity, carries the number: every bar keeps its lane's full colour, so the quietest
//! contrasts with the background as much as a dot does. A bar must never count an event its
//! lane's organisation has no part in.

use super::lanes::Lane;
use super::svg::{write_lane_start, N};
use super::time::{Extent, Scale};
use crate::i18n;
use crate::markdown::escape;
use crate::model::Timeline;
use crate::render::periods::{self, Period};
use std::fmt::Write;

/// The tallest bar of [`super::overview_by_period`]: the busiest lane and period.
const BIN_HEIGHT: f64 = 18.0;
/// The shortest bar, of one event: among thousands it must still be seen and hit.
const MIN_BIN: f64 = 4.0;
/// Room between the bars of neighbouring periods, so that they stay in one row (see `stack`)
/// and read as separate bars.
const BIN_GAP: f64 = 1.2;

/// How many events of each lane each period holds: `counts[lane][period]`. An event of several
/// organisations counts in each of their lanes, as it has a mark in each.
pub(super) fn counts(lanes: &[Lane], events: usize, periods: &[Period]) -> Vec<Vec<usize>> {
    let period_of = periods::index_by_event(periods, events);
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

/// One bar of [`super::overview_by_period`]: the events of a lane in a period.
pub(super) struct Bin {
    /// Index into the periods.
    period: usize,
    count: usize,
    x0: f64,
    x1: f64,
    row: usize,
}

impl Lane {
    /// Shapes a bar for each period with events (`counts` by period), stacks them and sets
    /// the lane's height. Bars overlap only where a year's page (its events dated by year
    /// alone) lies over the pages of its months: those go in a row of their own.
    pub(super) fn place_bins(
        &mut self,
        counts: &[usize],
        extents: &[Extent],
        scale: &Scale,
        top: f64,
    ) {
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
}

/// A bar's height: `MIN_BIN`, plus the rest of `BIN_HEIGHT` by the square root of its share of
/// the busiest bar (which is full height). A register's counts are skewed (one organisation
/// reports ten times what another does): in proportion, the quieter lanes would all be flat at
/// the minimum; the root keeps their ups and downs visible. Each bar's name has the number.
fn bin_height(count: usize, busiest: usize) -> f64 {
    let share = count as f64 / busiest.max(1) as f64;
    MIN_BIN + (BIN_HEIGHT - MIN_BIN) * share.sqrt()
}

/// What the bars of [`super::overview_by_period`] are drawn from, besides their lane.
pub(super) struct Bars<'a> {
    pub(super) periods: &'a [Period],
    /// Each period's name in the site's language ("juni 2024").
    pub(super) labels: &'a [String],
    /// The most events of any bar: the one that gets the full `BIN_HEIGHT`.
    pub(super) busiest: usize,
    pub(super) timeline: &'a Timeline,
    pub(super) link: &'a dyn Fn(Option<&str>, &Period) -> String,
}

impl Bars<'_> {
    /// A lane's bars, each standing on the bottom of its row, each a link named by
    /// [`Bars::title`].
    pub(super) fn write(&self, out: &mut String, lane: &Lane) {
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

#[cfg(test)]
mod tests {
    use super::super::{overview_by_period, TITLE_ID};
    use super::*;
    use crate::model::Event;
    use crate::render::chart::test_support::*;
    use scraper::{Html, Selector};

    /// The chart of a split timeline, its periods as the timeline's page gets them from
    /// `periods::split` with `page_size` (parts of a month merged into the month by
    /// `periods::groups`), each bar linking to "<period>?org=<key>" ("<period>" in the "—" lane).
    fn draw_by_period(timeline: &Timeline, events: &[Event], page_size: usize) -> String {
        let refs: Vec<&Event> = events.iter().collect();
        let all: Vec<usize> = (0..refs.len()).collect();
        let pages = crate::render::periods::split(&refs, &all, page_size).unwrap();
        let periods = crate::render::periods::groups(&pages);
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
}
