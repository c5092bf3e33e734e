//! The dynamic programme both aligners share: the cheapest monotonic sequence of beads
//! covering both texts.

use super::Shape;

/// The cheapest path from (0, 0) to (n, m): each step a bead of one of `shapes` ending at
/// `(i, j)` (so covering Thai `i - shape.0 .. i` and English `j - shape.1 .. j`) costing
/// `cost(i, j, shape)` (`None`: not allowed). With a `band`, row `i` is searched only from
/// `band[i].0` to `band[i].1` (both included); the band must hold a path from (0, 0) to
/// (n, m). Returns the steps in reading order.
pub fn best_path(
    n: usize,
    m: usize,
    shapes: &[Shape],
    band: Option<&[(usize, usize)]>,
    mut cost: impl FnMut(usize, usize, Shape) -> Option<f64>,
) -> Vec<(usize, usize, Shape)> {
    let width = m + 1;
    let mut best = vec![f64::INFINITY; (n + 1) * width];
    let mut step: Vec<u8> = vec![u8::MAX; (n + 1) * width];
    best[0] = 0.0;
    for i in 0..=n {
        let (lo, hi) = band.map_or((0, m), |b| (b[i].0, b[i].1.min(m)));
        for j in lo..=hi {
            for (k, &shape) in shapes.iter().enumerate() {
                let (di, dj) = shape;
                if di > i || dj > j {
                    continue;
                }
                let from = best[(i - di) * width + j - dj];
                if !from.is_finite() {
                    continue;
                }
                let Some(c) = cost(i, j, shape) else {
                    continue;
                };
                let total = from + c;
                if total < best[i * width + j] {
                    best[i * width + j] = total;
                    step[i * width + j] = k as u8;
                }
            }
        }
    }
    let (mut i, mut j) = (n, m);
    let mut path = Vec::new();
    while i > 0 || j > 0 {
        let k = step[i * width + j];
        // Every cell is reachable through 1-0 and 0-1 beads, which both aligners allow.
        let shape = shapes[usize::from(k)];
        path.push((i, j, shape));
        i -= shape.0;
        j -= shape.1;
    }
    path.reverse();
    path
}

/// A band around a path (the steps of [`best_path`]): for each row, the columns the path
/// takes within `margin` rows, widened by `margin` columns.
pub fn band_around(
    path: &[(usize, usize, Shape)],
    n: usize,
    m: usize,
    margin: usize,
) -> Vec<(usize, usize)> {
    let mut band = vec![(usize::MAX, 0); n + 1];
    let points = std::iter::once((0, 0)).chain(path.iter().map(|&(i, j, _)| (i, j)));
    for (i, j) in points {
        for row in i.saturating_sub(margin)..=(i + margin).min(n) {
            let (lo, hi) = &mut band[row];
            *lo = (*lo).min(j.saturating_sub(margin));
            *hi = (*hi).max((j + margin).min(m));
        }
    }
    band
}
