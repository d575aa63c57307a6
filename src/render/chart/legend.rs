//! The chart's legend: which kinds of mark one chart drew, so that the page's legend explains
//! those and no others. It must never list a kind the chart does not have.

use super::lanes::Lane;
use super::marks::Shape;
use crate::model::Event;
use serde::Serialize;

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
    /// A badge of events folded together ("+5").
    pub cluster: bool,
}

impl Legend {
    /// The kinds either legend has: for a chart drawn in two sizes.
    pub(super) fn or(self, other: Legend) -> Legend {
        Legend {
            dot: self.dot || other.dot,
            diamond: self.diamond || other.diamond,
            period: self.period || other.period,
            coarse: self.coarse || other.coarse,
            outlined_period: self.outlined_period || other.outlined_period,
            outlined_coarse: self.outlined_coarse || other.outlined_coarse,
            cluster: self.cluster || other.cluster,
        }
    }

    pub(super) fn of(lanes: &[Lane], events: &[&Event]) -> Legend {
        let mut legend = Legend {
            cluster: lanes.iter().any(|lane| !lane.clusters.is_empty()),
            ..Legend::default()
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EventDate;
    use crate::render::chart::test_support::*;

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
                cluster: false,
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
}
