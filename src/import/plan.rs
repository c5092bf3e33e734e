//! Turning the alignment of a changed chapter into the writes that apply it. Pure: the
//! caller reads the stored segments and executes the plan in its transaction.
//!
//! The rules: an unchanged segment keeps its id; a changed one gets the new Thai (and is
//! marked for review if it has English, which is never touched); a new one is inserted; one
//! gone from the source is deleted if nobody translated it and otherwise retired (kept,
//! hidden). Retired segments stay where they were in the reading order, after the live
//! segment they followed, so their context is still there if someone looks.

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
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan<'a> {
    pub inserts: Vec<NewSegment<'a>>,
    /// (id, kind, Thai text)
    pub updates: Vec<(Uuid, &'a str, &'a str)>,
    pub retire: Vec<Uuid>,
    pub delete: Vec<Uuid>,
    /// Final position of every segment that stays (live or retired), inserts excluded.
    pub positions: Vec<(Uuid, i32)>,
    pub counts: Counts,
}

/// Plans the re-import of `new` over `stored` (all of the chapter's segments, in position
/// order, retired ones included).
pub fn plan<'a>(stored: &[StoredSegment], new: &'a [Segment]) -> Plan<'a> {
    let live: Vec<&StoredSegment> = stored.iter().filter(|s| !s.retired).collect();
    // after_live[k]: retired segments that followed the k-th live one (k = 0: before all).
    let mut after_live: Vec<Vec<Uuid>> = vec![Vec::new(); live.len() + 1];
    let mut seen_live = 0;
    for segment in stored {
        if segment.retired {
            after_live[seen_live].push(segment.id);
        } else {
            seen_live += 1;
        }
    }

    let old_keys: Vec<(&str, &str)> = live
        .iter()
        .map(|s| (s.kind.as_str(), s.source_th.as_str()))
        .collect();
    let new_keys: Vec<(&str, &str)> = new
        .iter()
        .map(|s| (s.kind.as_str(), s.text.as_str()))
        .collect();

    let mut plan = Plan::default();
    for &id in &after_live[0] {
        plan.place(id);
    }
    for step in align(&old_keys, &new_keys) {
        let old = match step {
            Step::Same { old, .. } => {
                plan.place(live[old].id);
                plan.counts.unchanged += 1;
                old
            }
            Step::Changed { old, new: n } => {
                let segment = live[old];
                plan.updates
                    .push((segment.id, new[n].kind.as_str(), new[n].text.as_str()));
                plan.place(segment.id);
                plan.counts.updated += 1;
                plan.counts.marked_for_review += usize::from(segment.has_revisions);
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
                let segment = live[old];
                if segment.has_revisions {
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
        for &id in &after_live[old + 1] {
            plan.place(id);
        }
    }
    plan
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
}
