//! Turning the alignment of a changed chapter into the writes that apply it. Pure: the
//! caller reads the stored segments and executes the plan in its transaction.
//!
//! The rules: an unchanged segment keeps its id; a changed one gets the new Thai (and is
//! marked for review if it has English, which is never touched); a new one is inserted; one
//! gone from the source is deleted if nobody translated it and otherwise retired (kept,
//! hidden). Retired segments stay where they were in the reading order, after the live
//! segment they followed, so their context is still there if someone looks.
//!
//! Segments a reviewer corrected, merged or split are matched on the text the import last
//! wrote (`imported_th`), not on their Thai now: re-importing the uncorrected file finds
//! them the same, so a correction is not reverted. A segment merged into the one before it
//! still takes part (it stays retired, in its place), so the merge is not undone by the
//! file having two segments there; a split's second part has no file text and follows the
//! segment before it like a retired one. When the file's text for a corrected segment
//! changes, the correction still wins (it is the later, deliberate text): only the file's
//! text is noted, for the next re-import, and the report counts it.

use uuid::Uuid;

use super::diff::{align, Step};
use crate::db::segments::{NewSegment, StoredSegment};
use crate::text::segment::Segment;

/// What a re-import did to one chapter's segments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub retired: usize,
    pub deleted: usize,
    /// Of the updated, those with English work, now marked for review.
    pub marked_for_review: usize,
    /// Segments a reviewer corrected (or merged, split) whose text in the file changed:
    /// the correction is kept.
    pub kept_corrections: usize,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan<'a> {
    pub inserts: Vec<NewSegment<'a>>,
    /// (id, kind, Thai text)
    pub updates: Vec<(Uuid, &'a str, &'a str)>,
    /// (id, the file's text) for corrected segments: only `imported_th` changes.
    pub imported: Vec<(Uuid, &'a str)>,
    pub retire: Vec<Uuid>,
    pub delete: Vec<Uuid>,
    /// Final position of every segment that stays (live or retired), inserts excluded.
    pub positions: Vec<(Uuid, i32)>,
    pub counts: Counts,
}

/// Plans the re-import of `new` over `stored` (all of the chapter's segments, in position
/// order, retired ones included).
pub fn plan<'a>(stored: &[StoredSegment], new: &'a [Segment]) -> Plan<'a> {
    // The segments the file is aligned with, and after_aligned[k]: the others (retired
    // ones, split parts) that followed the k-th of them (k = 0: before all).
    let aligned: Vec<&StoredSegment> = stored.iter().filter(|s| takes_part(s)).collect();
    let mut after_aligned: Vec<Vec<Uuid>> = vec![Vec::new(); aligned.len() + 1];
    let mut seen = 0;
    for segment in stored {
        if takes_part(segment) {
            seen += 1;
        } else {
            after_aligned[seen].push(segment.id);
        }
    }

    let old_keys: Vec<(&str, &str)> = aligned
        .iter()
        .map(|s| {
            (
                s.kind.as_str(),
                s.imported_th.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let new_keys: Vec<(&str, &str)> = new
        .iter()
        .map(|s| (s.kind.as_str(), s.text.as_str()))
        .collect();

    let mut plan = Plan::default();
    for &id in &after_aligned[0] {
        plan.place(id);
    }
    for step in align(&old_keys, &new_keys) {
        let old = match step {
            Step::Same { old, .. } => {
                plan.place(aligned[old].id);
                plan.counts.unchanged += usize::from(!aligned[old].retired);
                old
            }
            Step::Changed { old, new: n } => {
                let segment = aligned[old];
                let text = new[n].text.as_str();
                if segment.retired {
                    plan.imported.push((segment.id, text));
                } else if segment.imported_th.as_deref() != Some(segment.source_th.as_str()) {
                    plan.imported.push((segment.id, text));
                    plan.counts.kept_corrections += 1;
                } else {
                    plan.updates.push((segment.id, new[n].kind.as_str(), text));
                    plan.counts.updated += 1;
                    plan.counts.marked_for_review += usize::from(segment.has_revisions);
                }
                plan.place(segment.id);
                old
            }
            Step::Added { new: n } => {
                plan.inserts.push(NewSegment {
                    position: plan.next_position(),
                    kind: new[n].kind.as_str(),
                    source_th: new[n].text.as_str(),
                });
                plan.counts.inserted += 1;
                continue;
            }
            Step::Removed { old } => {
                let segment = aligned[old];
                if segment.retired {
                    plan.place(segment.id);
                } else if segment.has_revisions {
                    plan.retire.push(segment.id);
                    plan.place(segment.id);
                    plan.counts.retired += 1;
                } else {
                    plan.delete.push(segment.id);
                    plan.counts.deleted += 1;
                }
                old
            }
        };
        for &id in &after_aligned[old + 1] {
            plan.place(id);
        }
    }
    plan
}

/// Whether a stored segment is aligned with the file: the live ones that came from an
/// import, and those merged into another (their text is still in the file).
fn takes_part(segment: &StoredSegment) -> bool {
    segment.imported_th.is_some() && (!segment.retired || segment.merged_away)
}

impl Plan<'_> {
    /// Every segment that stays or is inserted takes the next position, in reading order.
    fn next_position(&self) -> i32 {
        (self.positions.len() + self.inserts.len()) as i32
    }

    fn place(&mut self, id: Uuid) {
        let position = self.next_position();
        self.positions.push((id, position));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::segment::SegmentKind;

    fn stored(text: &str, retired: bool, has_revisions: bool) -> StoredSegment {
        StoredSegment {
            id: Uuid::new_v4(),
            position: 0,
            kind: "paragraph".into(),
            source_th: text.into(),
            retired,
            has_revisions,
            imported_th: Some(text.into()),
            merged_away: false,
        }
    }

    fn new(texts: &[&str]) -> Vec<Segment> {
        texts
            .iter()
            .map(|t| Segment {
                kind: SegmentKind::Paragraph,
                text: t.to_string(),
            })
            .collect()
    }

    #[test]
    fn unchanged_segments_keep_their_ids_and_places() {
        let old = [stored("ก", false, false), stored("ข", false, true)];
        let new = new(&["ก", "ข"]);
        let plan = plan(&old, &new);
        assert_eq!(plan.positions, [(old[0].id, 0), (old[1].id, 1)]);
        assert_eq!(
            plan.counts,
            Counts {
                unchanged: 2,
                ..Counts::default()
            }
        );
    }

    #[test]
    fn a_changed_segment_with_english_is_updated_and_marked() {
        let old = [
            stored("ก", false, false),
            stored("ข", false, true),
            stored("ค", false, false),
        ];
        let new = new(&["ก", "ขข", "ค"]);
        let plan = plan(&old, &new);
        assert_eq!(plan.updates, [(old[1].id, "paragraph", "ขข")]);
        assert_eq!(plan.counts.marked_for_review, 1);
        assert_eq!(plan.counts.updated, 1);
    }

    #[test]
    fn removed_segments_are_deleted_unless_translated() {
        let old = [
            stored("ก", false, false),
            stored("ข", false, true),
            stored("ค", false, false),
            stored("ง", false, false),
            stored("จ", false, false),
        ];
        let new = new(&["ก", "ค", "จ"]);
        let plan = plan(&old, &new);
        assert_eq!(plan.retire, [old[1].id]);
        assert_eq!(plan.delete, [old[3].id]);
        // The retired one stays between its old neighbours.
        assert_eq!(
            plan.positions,
            [
                (old[0].id, 0),
                (old[1].id, 1),
                (old[2].id, 2),
                (old[4].id, 3)
            ]
        );
    }

    #[test]
    fn inserted_segments_take_their_place_and_others_move_down() {
        let old = [stored("ก", false, false), stored("ค", false, false)];
        let new = new(&["ก", "ข", "ค"]);
        let plan = plan(&old, &new);
        assert_eq!(plan.inserts.len(), 1);
        assert_eq!(plan.inserts[0].position, 1);
        assert_eq!(plan.inserts[0].source_th, "ข");
        assert_eq!(plan.positions, [(old[0].id, 0), (old[1].id, 2)]);
    }

    #[test]
    fn previously_retired_segments_follow_the_live_segment_before_them() {
        let old = [
            stored("x", true, true),
            stored("ก", false, false),
            stored("y", true, true),
            stored("ข", false, false),
        ];
        let new = new(&["ก", "ใหม่", "ข"]);
        let plan = plan(&old, &new);
        assert_eq!(
            plan.positions,
            [
                (old[0].id, 0),
                (old[1].id, 1),
                (old[2].id, 2),
                (old[3].id, 4)
            ]
        );
        assert_eq!(plan.inserts[0].position, 3);
        assert!(plan.retire.is_empty() && plan.delete.is_empty());
    }

    /// A segment whose Thai a reviewer changed: `source_th` is the correction, the file
    /// still has `imported`.
    fn corrected(imported: &str, now: &str) -> StoredSegment {
        StoredSegment {
            source_th: now.into(),
            imported_th: Some(imported.into()),
            ..stored(imported, false, true)
        }
    }

    #[test]
    fn a_corrected_segment_matches_the_file_it_was_imported_from() {
        let old = [
            stored("ก", false, false),
            corrected("ขผิด", "ข"),
            stored("ค", false, false),
        ];
        // The same file, with a change elsewhere.
        let new = new(&["กก", "ขผิด", "ค"]);
        let plan = plan(&old, &new);
        assert_eq!(plan.updates, [(old[0].id, "paragraph", "กก")]);
        assert!(plan.imported.is_empty());
        assert_eq!(plan.counts.unchanged, 2);
        assert_eq!(plan.counts.kept_corrections, 0);
    }

    #[test]
    fn a_corrected_segment_keeps_its_correction_when_the_file_changes_there() {
        let old = [
            stored("ก", false, false),
            corrected("ขผิด", "ข"),
            stored("ค", false, false),
        ];
        let new = new(&["ก", "ขผิดอีก", "ค"]);
        let plan = plan(&old, &new);
        assert!(plan.updates.is_empty());
        assert_eq!(plan.imported, [(old[1].id, "ขผิดอีก")]);
        assert_eq!(plan.counts.kept_corrections, 1);
    }

    #[test]
    fn a_merge_and_a_split_survive_a_reimport_of_the_file_they_corrected() {
        // "ก" and "ข" were merged ("ก ข" keeps the first id, the second is retired);
        // "คง" was split into "ค" (first id) and "ง" (new, no file text).
        let merged = corrected("ก", "ก ข");
        let away = StoredSegment {
            merged_away: true,
            ..stored("ข", true, false)
        };
        let first = corrected("คง", "ค");
        let second = StoredSegment {
            imported_th: None,
            ..stored("ง", false, false)
        };
        let old = [merged, away, first, second, stored("จ", false, false)];
        let new = new(&["ก", "ข", "คง", "จจ"]);
        let plan = plan(&old, &new);
        assert!(plan.inserts.is_empty(), "{plan:?}");
        assert!(plan.delete.is_empty() && plan.retire.is_empty());
        assert_eq!(plan.updates, [(old[4].id, "paragraph", "จจ")]);
        let ids: Vec<Uuid> = plan.positions.iter().map(|p| p.0).collect();
        assert_eq!(ids, old.iter().map(|s| s.id).collect::<Vec<_>>());
    }
}
