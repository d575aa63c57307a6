//! The lanes: one row per organisation, in the order `_index.md` lists them, and one labelled
//! "—" only when some event has no organisation. An event of several organisations is a
//! member of each of their lanes; an event with `chart: false` of none. A lane stacks what it
//! holds in rows (a bounded number: past that, marks fold into counted clusters on a row of
//! their own, see `fold`) and takes the height they need. A lane must never hold an event of
//! another organisation, and the "—" lane never an event that has one.

use super::bars::Bin;
use super::fold::{Cluster, BADGE_HEIGHT};
use super::marks::Mark;
use super::svg::{text_width, truncate, CHAR_WIDTH};
use crate::model::{Event, Timeline};

const MIN_GUTTER: f64 = 48.0;
const MAX_GUTTER: f64 = 160.0;
const MIN_LANE: f64 = 28.0;
/// The most height the stacked rows of one lane may take.
pub(super) const MAX_STACK: f64 = 60.0;
/// The height a row of clusters takes.
pub(super) const CLUSTER_ROW: f64 = BADGE_HEIGHT + 3.0;

/// One organisation's row of the chart. Its marks are shaped and placed by `Lane::place`
/// (in `marks`), its bars by `Lane::place_bins` (in `bars`); both stack them with
/// [`Lane::settle`].
pub(super) struct Lane {
    /// The organisation's key; `None` for the "—" lane.
    pub(super) key: Option<String>,
    pub(super) label: String,
    pub(super) class: String,
    pub(super) fill: String,
    /// Indices into the events, in the order given.
    pub(super) members: Vec<usize>,
    pub(super) marks: Vec<Mark>,
    /// The marks folded together, on a row below the others.
    pub(super) clusters: Vec<Cluster>,
    /// The bars of [`super::overview_by_period`], instead of marks.
    pub(super) bins: Vec<Bin>,
    rows: usize,
    pitch: f64,
    /// Room above the rows for the lane's label, when it stands there.
    pub(super) band: f64,
    pub(super) top: f64,
    pub(super) height: f64,
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
            clusters: Vec::new(),
            bins: Vec::new(),
            rows: 1,
            pitch: 0.0,
            band: 0.0,
            top: 0.0,
            height: MIN_LANE,
        }
    }

    /// Stacks `spans` in rows `pitch` apart and sets the lane's place and height from them.
    /// Returns each span's row.
    pub(super) fn settle(&mut self, spans: &[(f64, f64)], pitch: f64, top: f64) -> Vec<usize> {
        self.pitch = pitch;
        let max_rows = ((MAX_STACK / pitch).floor() as usize).max(1);
        let (rows, used) = stack(spans, max_rows);
        self.rows = used;
        self.top = top;
        self.height = MIN_LANE.max(used as f64 * pitch + 8.0) + self.band;
        rows
    }

    /// Sets the lane's place and height for `rows` rows of marks `pitch` apart, and a row of
    /// clusters below them when it has any.
    pub(super) fn settle_marks(&mut self, rows: usize, pitch: f64, top: f64) {
        self.pitch = pitch;
        self.rows = rows.max(1);
        self.top = top;
        self.height = MIN_LANE.max(self.block() + 8.0) + self.band;
    }

    /// Where the rows start: the middle of the room below the label band.
    fn start(&self) -> f64 {
        self.top + self.band + (self.height - self.band - self.block()) / 2.0
    }

    /// The height of the rows and the cluster row together.
    fn block(&self) -> f64 {
        let clusters = if self.clusters.is_empty() {
            0.0
        } else {
            CLUSTER_ROW
        };
        self.rows as f64 * self.pitch + clusters
    }

    /// The middle of the cluster row.
    pub(super) fn cluster_y(&self) -> f64 {
        self.start() + self.rows as f64 * self.pitch + CLUSTER_ROW / 2.0
    }

    pub(super) fn middle(&self) -> f64 {
        self.top + self.height / 2.0
    }

    pub(super) fn row_y(&self, row: usize) -> f64 {
        self.start() + (row as f64 + 0.5) * self.pitch
    }
}

/// The lanes in the site's order, every organisation's, and "—" if an event has none.
pub(super) fn lanes(timeline: &Timeline, events: &[&Event]) -> Vec<Lane> {
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
    for (i, event) in events.iter().enumerate().filter(|(_, e)| e.chart) {
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
pub(super) fn gutter(lanes: &[Lane]) -> f64 {
    let widest = lanes
        .iter()
        .map(|l| text_width(&l.label))
        .fold(0.0, f64::max);
    (widest + 16.0).clamp(MIN_GUTTER, MAX_GUTTER)
}

/// Puts each span (left, right) in the first row where it overlaps nothing; past `max_rows`,
/// in the row that frees up first. Returns each span's row and the number of rows used.
pub(super) fn stack(spans: &[(f64, f64)], max_rows: usize) -> (Vec<usize>, usize) {
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

#[cfg(test)]
mod tests {
    use super::super::TITLE_ID;
    use crate::render::chart::test_support::*;
    use scraper::Html;

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
}
