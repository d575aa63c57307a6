//! The chart's legend: which kinds of mark one chart drew, so that the page's legend explains
//! those and no others. It must never list a kind the chart does not have.

use super::lanes::Lane;
use super::marks::Shape;
use crate::model::Event;
use serde::Serialize;

/// The kinds of mark a chart has, so that its legend explains those and no others. For the
/// chart of events, drawn wide and narrow, the kinds of either drawing; `narrow_only` and
/// `wide_only` name the kinds ("dot", "diamond", "period", "coarse", "cluster", "outlined")
/// that only one of them has, so that the stylesheet shows their legend with that drawing.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
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
    pub narrow_only: Vec<&'static str>,
    pub wide_only: Vec<&'static str>,
}

impl Legend {
    /// The legend of a chart drawn `wide` and `narrow`: the kinds either has, and which of
    /// them only one has.
    pub(super) fn of_both(wide: Legend, narrow: Legend) -> Legend {
        let (w, n) = (wide.kinds(), narrow.kinds());
        let only = |a: &[(&'static str, bool)], b: &[(&'static str, bool)]| {
            a.iter()
                .zip(b)
                .filter(|(a, b)| a.1 && !b.1)
                .map(|(a, _)| a.0)
                .collect()
        };
        Legend {
            dot: wide.dot || narrow.dot,
            diamond: wide.diamond || narrow.diamond,
            period: wide.period || narrow.period,
            coarse: wide.coarse || narrow.coarse,
            outlined_period: wide.outlined_period || narrow.outlined_period,
            outlined_coarse: wide.outlined_coarse || narrow.outlined_coarse,
            cluster: wide.cluster || narrow.cluster,
            narrow_only: only(&n, &w),
            wide_only: only(&w, &n),
        }
    }

    /// Each kind of legend item by its name, and whether this chart has it.
    fn kinds(&self) -> [(&'static str, bool); 6] {
        [
            ("dot", self.dot),
            ("diamond", self.diamond),
            ("period", self.period),
            ("coarse", self.coarse),
            ("cluster", self.cluster),
            ("outlined", self.outlined_coarse || self.outlined_period),
        ]
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
                ..Legend::default()
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
    fn a_kind_only_one_drawing_has_is_named_for_it() {
        let wide = Legend {
            dot: true,
            coarse: true,
            ..Legend::default()
        };
        let narrow = Legend {
            dot: true,
            cluster: true,
            outlined_period: true,
            ..Legend::default()
        };
        let both = Legend::of_both(wide, narrow);
        assert!(both.dot && both.coarse && both.cluster && both.outlined_period);
        assert_eq!(both.narrow_only, ["cluster", "outlined"]);
        assert_eq!(both.wide_only, ["coarse"]);
    }
}
