//! The dynamic programme both aligners share: the cheapest monotonic sequence of beads
//! covering both texts.

use super::Shape;

/// The cheapest path from (0, 0) to (n, m): each step a bead of one of `shapes` ending at
/// `(i, j)` (so covering Thai `i - shape.0 .. i` and English `j - shape.1 .. j`) costing
/// `cost(i, j, shape)` (`None`: not allowed). Returns the steps in reading order.
pub fn best_path(
    n: usize,
    m: usize,
    shapes: &[Shape],
    mut cost: impl FnMut(usize, usize, Shape) -> Option<f64>,
) -> Vec<(usize, usize, Shape)> {
    let width = m + 1;
    let mut best = vec![f64::INFINITY; (n + 1) * width];
    let mut step: Vec<u8> = vec![u8::MAX; (n + 1) * width];
    best[0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
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
