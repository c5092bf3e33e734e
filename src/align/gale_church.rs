//! The length model of Gale and Church (1993): a translation's length in characters is
//! about `ratio` times the source's, with a variance that grows with the length, so how far
//! a pair's lengths are from that is a normal deviate whose tail probability says how well
//! they fit. [`align_by_length`] is their aligner, length only: the baseline the anchored
//! aligner (`super::align`) is measured against.

use super::{Bead, Shape, SHAPES};

/// Characters that count for length: everything but white space.
pub fn length(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The length model: English characters per Thai character, and the variance of the
/// difference per character.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LengthModel {
    pub ratio: f64,
    pub variance: f64,
}

/// Gale and Church's variance for European languages (characters); Thai–English is
/// re-estimated from the texts (`super::align`).
pub const DEFAULT_VARIANCE: f64 = 6.8;

impl LengthModel {
    /// The ratio of the two texts' total lengths (at least one character each).
    pub fn from_totals(th: &[usize], en: &[usize]) -> LengthModel {
        let th: usize = th.iter().sum();
        let en: usize = en.iter().sum();
        LengthModel {
            ratio: en.max(1) as f64 / th.max(1) as f64,
            variance: DEFAULT_VARIANCE,
        }
    }

    /// The normal deviate of a pair of lengths; the mean length is taken in source units
    /// on both sides, so a pair with one side empty has a finite deviate.
    pub fn deviate(&self, th: usize, en: usize) -> f64 {
        let (l1, l2) = (th as f64, en as f64);
        let mean = ((l1 + l2 / self.ratio) / 2.0).max(1.0);
        (l2 - l1 * self.ratio) / (mean * self.variance).sqrt()
    }

    /// How well the lengths fit, 0 to 1: the two-sided tail probability of the deviate.
    pub fn fit(&self, th: usize, en: usize) -> f64 {
        2.0 * (1.0 - normal_cdf(self.deviate(th, en).abs()))
    }

    /// `-ln` of [`fit`](Self::fit), capped so that a hopeless pair costs a lot, not
    /// infinity.
    pub fn cost(&self, th: usize, en: usize) -> f64 {
        -self.fit(th, en).max(1e-12).ln()
    }
}

/// The standard normal distribution function (Abramowitz and Stegun 26.2.17, error under
/// 7.5e-8), enough for costs.
pub fn normal_cdf(z: f64) -> f64 {
    if z < 0.0 {
        return 1.0 - normal_cdf(-z);
    }
    let t = 1.0 / (1.0 + 0.231_641_9 * z);
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    let density = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    1.0 - density * poly
}

/// Gale and Church's priors for each bead shape, as `-ln` probabilities.
pub fn prior_cost(shape: Shape) -> f64 {
    let p = match shape {
        (1, 1) => 0.89,
        (1, 0) | (0, 1) => 0.0099 / 2.0,
        (2, 1) | (1, 2) => 0.089 / 2.0,
        _ => 0.011,
    };
    -f64::ln(p)
}

/// Gale–Church alignment by length alone, with the ratio of the two texts' total lengths:
/// the baseline.
pub fn align_by_length(th: &[&str], en: &[&str]) -> Vec<Bead> {
    let th_len: Vec<usize> = th.iter().map(|t| length(t)).collect();
    let en_len: Vec<usize> = en.iter().map(|t| length(t)).collect();
    let model = LengthModel::from_totals(&th_len, &en_len);
    let sum = |lens: &[usize], end: usize, n: usize| lens[end - n..end].iter().sum::<usize>();
    let path = super::dp::best_path(th.len(), en.len(), &SHAPES, None, |i, j, shape| {
        let (l1, l2) = (sum(&th_len, i, shape.0), sum(&en_len, j, shape.1));
        Some(prior_cost(shape) + model.cost(l1, l2))
    });
    path.into_iter()
        .map(|(i, j, shape)| {
            let (l1, l2) = (sum(&th_len, i, shape.0), sum(&en_len, j, shape.1));
            Bead::new(i - shape.0..i, j - shape.1..j, model.fit(l1, l2))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_distribution_function_is_accurate_enough() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.96) - 0.975).abs() < 1e-4);
        assert!((normal_cdf(-1.0) - 0.158_655).abs() < 1e-5);
    }

    #[test]
    fn lengths_in_the_ratio_fit_and_others_do_not() {
        let model = LengthModel {
            ratio: 2.0,
            variance: 6.8,
        };
        assert!(model.fit(100, 200) > 0.99);
        assert!(model.fit(100, 100) < 0.01);
        assert!(model.cost(100, 200) < model.cost(100, 260));
        assert!(model.cost(100, 0).is_finite());
    }

    #[test]
    fn length_alone_aligns_paragraphs_of_telling_lengths() {
        let th = ["ก".repeat(100), "ข".repeat(300), "ค".repeat(50)];
        let en = [
            "a".repeat(120),
            "b".repeat(350),
            "c".repeat(20),
            "d".repeat(40),
        ];
        let th: Vec<&str> = th.iter().map(String::as_str).collect();
        let en: Vec<&str> = en.iter().map(String::as_str).collect();
        let beads = align_by_length(&th, &en);
        let shapes: Vec<(Vec<usize>, Vec<usize>)> =
            beads.into_iter().map(|b| (b.th, b.en)).collect();
        assert_eq!(
            shapes,
            [
                (vec![0], vec![0]),
                (vec![1], vec![1]),
                (vec![2], vec![2, 3])
            ]
        );
    }
}
