//! Marks that never overlap. A lane stacks its marks in rows, key moments first and then by
//! time, each in the first row where it overlaps nothing; a mark that finds no room within
//! the lane's rows is folded into a counted cluster ("+5") on a row of its own below them,
//! which links to the first of its events. Clusters are placed left to right, each after the
//! last, so they never overlap either. This module must never drop an event: each is in a row
//! or in exactly one cluster.

/// The font size and height of a cluster's badge, in viewBox units.
pub(super) const BADGE_FONT: f64 = 9.0;
pub(super) const BADGE_HEIGHT: f64 = 11.0;
/// Room kept between two marks of one row, and between two badges.
pub(super) const SPACING: f64 = 1.0;

/// Several events of a lane folded into one mark, in time order.
#[derive(Debug)]
pub(super) struct Cluster {
    /// Indices into the events, in order; the first (the earliest) is the one the badge
    /// links to.
    pub(super) members: Vec<usize>,
    pub(super) x0: f64,
    pub(super) x1: f64,
}

impl Cluster {
    /// What the badge says: "+5".
    pub(super) fn label(&self) -> String {
        format!("+{}", self.members.len())
    }
}

/// The width of a badge that says `label`: a digit of `BADGE_FONT` is at most 0.6 of it wide.
pub(super) fn badge_width(label: &str) -> f64 {
    label.chars().count() as f64 * BADGE_FONT * 0.6 + 5.0
}

/// The row of each span (`None`: folded), and how many rows were used. `first` marks the
/// spans placed before the others (key moments); within each group, left to right.
pub(super) fn arrange(
    spans: &[(f64, f64)],
    first: &[bool],
    max_rows: usize,
) -> (Vec<Option<usize>>, usize) {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by(|&a, &b| {
        (!first[a], spans[a].0, a)
            .partial_cmp(&(!first[b], spans[b].0, b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    // Each row's taken spans, sorted by their left end.
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut placed = vec![None; spans.len()];
    for i in order {
        let span = spans[i];
        let free = rows.iter().position(|row| fits(row, span));
        let row = match free {
            Some(row) => row,
            None if rows.len() < max_rows.max(1) => {
                rows.push(Vec::new());
                rows.len() - 1
            }
            None => continue,
        };
        let at = rows[row].partition_point(|taken| taken.0 < span.0);
        rows[row].insert(at, span);
        placed[i] = Some(row);
    }
    (placed, rows.len().max(1))
}

/// Whether `span` keeps `SPACING` from every span of `row`. The spans of a row never
/// overlap, so sorted by their left ends they are sorted by their right ends too: only the
/// neighbours either side need a look.
fn fits(row: &[(f64, f64)], span: (f64, f64)) -> bool {
    let at = row.partition_point(|taken| taken.0 < span.0);
    let clear_before = at == 0 || row[at - 1].1 + SPACING <= span.0;
    let clear_after = row.get(at).is_none_or(|next| span.1 + SPACING <= next.0);
    clear_before && clear_after
}

/// The clusters of the folded marks, given as (x of the mark, event index) in time order:
/// each badge starts at its first mark (or just after the badge before), takes in every
/// folded mark up to its right end, and stays left of `limit`.
pub(super) fn clusters(folded: &[(f64, usize)], limit: f64) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for &(x, event) in folded {
        if let Some(last) = clusters.last_mut() {
            if x < last.x1 + SPACING {
                last.members.push(event);
                last.x1 = last.x0 + badge_width(&last.label());
                continue;
            }
        }
        let after = clusters
            .last()
            .map_or(f64::NEG_INFINITY, |c| c.x1 + SPACING);
        let mut cluster = Cluster {
            members: vec![event],
            x0: (x - badge_width("+1") / 2.0).max(after),
            x1: 0.0,
        };
        cluster.x1 = cluster.x0 + badge_width(&cluster.label());
        clusters.push(cluster);
    }
    pull_inside(&mut clusters, limit);
    // The events are in the timeline's order: the first of a cluster is its earliest.
    for cluster in &mut clusters {
        cluster.members.sort_unstable();
    }
    clusters
}

/// Moves the last badges left of `limit`, each keeping clear of the one before; a badge with
/// no room left joins the one before it.
fn pull_inside(clusters: &mut Vec<Cluster>, limit: f64) {
    let mut right = limit;
    let mut i = clusters.len();
    while i > 0 {
        i -= 1;
        let width = badge_width(&clusters[i].label());
        if clusters[i].x0 + width <= right {
            break;
        }
        clusters[i].x0 = right - width;
        clusters[i].x1 = right;
        right = clusters[i].x0 - SPACING;
        let before = i.checked_sub(1).map(|j| clusters[j].x1);
        if before.is_some_and(|end| end + SPACING > clusters[i].x0) {
            let merged = clusters.remove(i);
            let keep = &mut clusters[i - 1];
            keep.members.extend(merged.members);
            // The merged badge is redrawn from the right limit on the next round.
            keep.x1 = keep.x0 + badge_width(&keep.label());
            right = limit;
            i = clusters.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_first_then_clusters_and_nothing_lost() {
        let spans = [(0.0, 10.0), (3.0, 15.0), (2.0, 4.0), (20.0, 30.0)];
        let (rows, used) = arrange(&spans, &[false, false, true, false], 2);
        assert_eq!(used, 2);
        // The key moment goes first; the second long span finds no row.
        assert_eq!(rows, [Some(1), None, Some(0), Some(0)]);
        let folded = [(1.0, 7), (2.0, 8), (40.0, 9)];
        let c = clusters(&folded, 100.0);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].members, [7, 8]);
        assert_eq!(c[0].label(), "+2");
        assert!(c[0].x1 + SPACING <= c[1].x0);
        // Pulled inside the limit, merging when there is no room.
        let c = clusters(&[(98.0, 1), (99.0, 2), (99.5, 3)], 100.0);
        assert!(c.iter().all(|c| c.x1 <= 100.0));
        let members: usize = c.iter().map(|c| c.members.len()).sum();
        assert_eq!(members, 3);
    }
}
