//! How far the translation has come: shares of a chapter (or book) translated and approved,
//! counted in segments and in Thai characters.
//!
//! Both measures matter: segments are what translators work through, characters say how much
//! of the text is done (a one-line heading and a page-long paragraph are one segment each).

use crate::db::chapters::ChapterProgress;

/// Part of a whole: `done` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Share {
    pub done: i64,
    pub total: i64,
}

impl Share {
    /// 0–100, exact, for the width of a bar. An empty whole is 0% done.
    pub fn percent(&self) -> f64 {
        if self.total <= 0 {
            return 0.0;
        }
        (self.done.clamp(0, self.total) as f64 * 100.0) / self.total as f64
    }

    /// The percentage a reader sees. Rounded down, so that "100%" means finished; and a
    /// start shows as "<1%" rather than "0%", so that no work looks like none.
    pub fn label(&self) -> String {
        let percent = self.percent();
        if percent > 0.0 && percent < 1.0 {
            "<1%".to_string()
        } else {
            format!("{}%", percent.floor() as u32)
        }
    }
}

/// Translated and approved, of one measure (segments or characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stages {
    pub total: i64,
    pub translated: i64,
    pub approved: i64,
}

impl Stages {
    pub fn translated(&self) -> Share {
        Share {
            done: self.translated,
            total: self.total,
        }
    }

    pub fn approved(&self) -> Share {
        Share {
            done: self.approved,
            total: self.total,
        }
    }

    fn add(self, other: Stages) -> Stages {
        Stages {
            total: self.total + other.total,
            translated: self.translated + other.translated,
            approved: self.approved + other.approved,
        }
    }
}

/// A chapter's (or a book's) progress by both measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub segments: Stages,
    pub chars: Stages,
}

impl Progress {
    pub fn of_chapter(row: &ChapterProgress) -> Progress {
        Progress {
            segments: Stages {
                total: row.segments,
                translated: row.translated_segments,
                approved: row.approved_segments,
            },
            chars: Stages {
                total: row.thai_chars,
                translated: row.translated_chars,
                approved: row.approved_chars,
            },
        }
    }

    /// The whole made of these parts (a book from its chapters).
    pub fn total<'a>(parts: impl IntoIterator<Item = &'a Progress>) -> Progress {
        parts
            .into_iter()
            .fold(Progress::default(), |sum, part| Progress {
                segments: sum.segments.add(part.segments),
                chars: sum.chars.add(part.chars),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(done: i64, total: i64) -> Share {
        Share { done, total }
    }

    #[test]
    fn nothing_of_nothing_is_zero_percent() {
        assert_eq!(share(0, 0).percent(), 0.0);
        assert_eq!(share(0, 0).label(), "0%");
    }

    #[test]
    fn percent_is_exact_for_bar_widths() {
        assert_eq!(share(1, 8).percent(), 12.5);
        assert_eq!(share(74, 74).percent(), 100.0);
    }

    #[test]
    fn labels_round_down_so_that_100_means_finished() {
        assert_eq!(share(199, 200).label(), "99%");
        assert_eq!(share(200, 200).label(), "100%");
        assert_eq!(share(1, 3).label(), "33%");
    }

    #[test]
    fn a_little_work_shows_as_under_one_percent_not_zero() {
        assert_eq!(share(1, 1000).label(), "<1%");
    }

    #[test]
    fn out_of_range_counts_are_clamped() {
        assert_eq!(share(5, 4).percent(), 100.0);
        assert_eq!(share(-1, 4).percent(), 0.0);
    }

    #[test]
    fn a_book_total_adds_up_its_chapters() {
        let chapter = |total, translated, approved| Progress {
            segments: Stages {
                total,
                translated,
                approved,
            },
            chars: Stages {
                total: total * 100,
                translated: translated * 100,
                approved: approved * 10,
            },
        };
        let book = Progress::total(&[chapter(10, 4, 1), chapter(30, 6, 2)]);
        assert_eq!(book.segments.translated(), share(10, 40));
        assert_eq!(book.segments.approved(), share(3, 40));
        assert_eq!(book.chars.translated(), share(1000, 4000));
        assert_eq!(book.chars.approved(), share(30, 4000));
    }
}
