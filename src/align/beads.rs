//! The fixes a person makes to an alignment before accepting it: join a bead with the next,
//! split one, mark one as unmatched, or move a boundary by one paragraph. Every edit keeps
//! the beads covering both texts in order, each paragraph once; a bead a person touched
//! scores 1 (they decided it).

use super::Bead;

/// One fix, on the bead at `bead` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// This bead and the next become one.
    JoinNext,
    /// A bead of several paragraphs becomes one bead per pair (first Thai with first
    /// English…), and the paragraphs left over stand alone.
    Split,
    /// Nothing in the bead translates anything: each paragraph stands alone.
    Unmatch,
    /// The bead's first Thai segment goes to the bead above.
    ThaiUp,
    /// The bead's last Thai segment goes to the bead below.
    ThaiDown,
    /// The bead's first English paragraph goes to the bead above.
    EnglishUp,
    /// The bead's last English paragraph goes to the bead below.
    EnglishDown,
}

impl Edit {
    /// The form value of each edit.
    pub fn parse(s: &str) -> Option<Edit> {
        Some(match s {
            "join" => Edit::JoinNext,
            "split" => Edit::Split,
            "unmatch" => Edit::Unmatch,
            "thai-up" => Edit::ThaiUp,
            "thai-down" => Edit::ThaiDown,
            "english-up" => Edit::EnglishUp,
            "english-down" => Edit::EnglishDown,
            _ => return None,
        })
    }
}

/// Why an edit cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("there is no bead {0}")]
    NoSuchBead(usize),
    #[error("{0}")]
    Impossible(&'static str),
}

/// Applies an edit to bead `at`.
pub fn apply(beads: &mut Vec<Bead>, at: usize, edit: Edit) -> Result<(), EditError> {
    if at >= beads.len() {
        return Err(EditError::NoSuchBead(at));
    }
    let impossible = |why| Err(EditError::Impossible(why));
    match edit {
        Edit::JoinNext => {
            if at + 1 >= beads.len() {
                return impossible("the last bead has no next bead to join");
            }
            let next = beads.remove(at + 1);
            let bead = &mut beads[at];
            bead.th.extend(next.th);
            bead.en.extend(next.en);
            bead.score = 1.0;
        }
        Edit::Split => {
            let bead = &beads[at];
            if bead.th.len() <= 1 && bead.en.len() <= 1 {
                return impossible("a bead of one paragraph a side cannot be split");
            }
            let pieces = split(bead);
            beads.splice(at..=at, pieces);
        }
        Edit::Unmatch => {
            let bead = &beads[at];
            if bead.th.is_empty() || bead.en.is_empty() {
                return impossible("this bead is unmatched already");
            }
            let alone = bead
                .th
                .iter()
                .map(|&t| Bead {
                    th: vec![t],
                    en: vec![],
                    score: 1.0,
                })
                .chain(bead.en.iter().map(|&e| Bead {
                    th: vec![],
                    en: vec![e],
                    score: 1.0,
                }))
                .collect::<Vec<_>>();
            beads.splice(at..=at, alone);
        }
        Edit::ThaiUp | Edit::EnglishUp => {
            let thai = edit == Edit::ThaiUp;
            if at == 0 {
                return impossible("the first bead has no bead above");
            }
            if side(&mut beads[at], thai).is_empty() {
                return impossible("this bead has no paragraph of that language to move");
            }
            let moved = side(&mut beads[at], thai).remove(0);
            side(&mut beads[at - 1], thai).push(moved);
            touched(beads, at - 1..=at);
        }
        Edit::ThaiDown | Edit::EnglishDown => {
            let thai = edit == Edit::ThaiDown;
            if at + 1 >= beads.len() {
                return impossible("the last bead has no bead below");
            }
            let Some(moved) = side(&mut beads[at], thai).pop() else {
                return impossible("this bead has no paragraph of that language to move");
            };
            side(&mut beads[at + 1], thai).insert(0, moved);
            touched(beads, at..=at + 1);
        }
    }
    beads.retain(|b| !b.th.is_empty() || !b.en.is_empty());
    Ok(())
}

/// The Thai or the English side of a bead.
fn side(bead: &mut Bead, thai: bool) -> &mut Vec<usize> {
    if thai {
        &mut bead.th
    } else {
        &mut bead.en
    }
}

fn split(bead: &Bead) -> Vec<Bead> {
    let pairs = bead.th.len().min(bead.en.len());
    let mut pieces: Vec<Bead> = (0..pairs)
        .map(|k| Bead {
            th: vec![bead.th[k]],
            en: vec![bead.en[k]],
            score: 1.0,
        })
        .collect();
    for &t in &bead.th[pairs..] {
        pieces.push(Bead {
            th: vec![t],
            en: vec![],
            score: 1.0,
        });
    }
    for &e in &bead.en[pairs..] {
        pieces.push(Bead {
            th: vec![],
            en: vec![e],
            score: 1.0,
        });
    }
    pieces
}

fn touched(beads: &mut [Bead], range: std::ops::RangeInclusive<usize>) {
    for bead in &mut beads[range] {
        bead.score = 1.0;
    }
}

/// Whether beads cover Thai `0..th` and English `0..en` in order, each paragraph once, and
/// no bead is empty: what an alignment read back from storage must be.
pub fn covers(beads: &[Bead], th: usize, en: usize) -> bool {
    let (mut next_th, mut next_en) = (0, 0);
    for bead in beads {
        if bead.th.is_empty() && bead.en.is_empty() {
            return false;
        }
        for &t in &bead.th {
            if t != next_th {
                return false;
            }
            next_th += 1;
        }
        for &e in &bead.en {
            if e != next_en {
                return false;
            }
            next_en += 1;
        }
    }
    next_th == th && next_en == en
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bead(th: &[usize], en: &[usize]) -> Bead {
        Bead {
            th: th.to_vec(),
            en: en.to_vec(),
            score: 0.2,
        }
    }

    fn sides(beads: &[Bead]) -> Vec<(Vec<usize>, Vec<usize>)> {
        beads.iter().map(|b| (b.th.clone(), b.en.clone())).collect()
    }

    fn sample() -> Vec<Bead> {
        vec![bead(&[0], &[0]), bead(&[1, 2], &[1]), bead(&[3], &[2, 3])]
    }

    #[test]
    fn joining_and_splitting_keep_every_paragraph_in_order() {
        let mut beads = sample();
        apply(&mut beads, 0, Edit::JoinNext).unwrap();
        assert_eq!(sides(&beads)[0], (vec![0, 1, 2], vec![0, 1]));
        assert_eq!(beads[0].score, 1.0);
        assert!(covers(&beads, 4, 4));
        apply(&mut beads, 0, Edit::Split).unwrap();
        assert_eq!(
            sides(&beads)[..3],
            [(vec![0], vec![0]), (vec![1], vec![1]), (vec![2], vec![])]
        );
        assert!(covers(&beads, 4, 4));
        let last = beads.len() - 1;
        assert!(apply(&mut beads, last, Edit::JoinNext).is_err());
        assert!(apply(&mut beads, 0, Edit::Split).is_err());
        assert_eq!(
            apply(&mut beads, 9, Edit::Split),
            Err(EditError::NoSuchBead(9))
        );
    }

    #[test]
    fn unmatching_leaves_each_paragraph_alone() {
        let mut beads = sample();
        apply(&mut beads, 1, Edit::Unmatch).unwrap();
        assert_eq!(
            sides(&beads)[1..4],
            [(vec![1], vec![]), (vec![2], vec![]), (vec![], vec![1])]
        );
        assert!(covers(&beads, 4, 4));
        assert!(apply(&mut beads, 1, Edit::Unmatch).is_err());
    }

    #[test]
    fn moving_a_boundary_moves_one_paragraph_and_drops_emptied_beads() {
        let mut beads = sample();
        apply(&mut beads, 2, Edit::EnglishUp).unwrap();
        assert_eq!(
            sides(&beads)[1..],
            [(vec![1, 2], vec![1, 2]), (vec![3], vec![3])]
        );
        apply(&mut beads, 1, Edit::ThaiDown).unwrap();
        assert_eq!(
            sides(&beads)[1..],
            [(vec![1], vec![1, 2]), (vec![2, 3], vec![3])]
        );
        apply(&mut beads, 0, Edit::ThaiDown).unwrap();
        apply(&mut beads, 0, Edit::EnglishDown).unwrap();
        assert_eq!(sides(&beads)[0], (vec![0, 1], vec![0, 1, 2]));
        assert!(covers(&beads, 4, 4));
        assert!(apply(&mut beads, 0, Edit::ThaiUp).is_err());
    }

    #[test]
    fn coverage_is_checked() {
        assert!(covers(&sample(), 4, 4));
        assert!(!covers(&sample(), 5, 4));
        assert!(!covers(&[bead(&[1], &[0]), bead(&[0], &[1])], 2, 2));
        assert!(!covers(&[bead(&[], &[])], 0, 0));
        assert!(covers(&[], 0, 0));
    }
}
