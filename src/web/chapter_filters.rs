//! The filters of a chapter page (`?status=draft&mine=1…`), and which rows they keep.

use serde::Deserialize;
use uuid::Uuid;

use super::chapters::SegmentRow;
use super::display::Status;
use super::rendered::Variant;
use crate::db::workspace::WorkspaceSegment;
use crate::workflow;

/// The filters of a chapter page, as GET parameters: `status`, and the flags `mine`,
/// `claimed`, `comments` (open threads), `untranslated`. Readers may filter by status only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub status: Option<Status>,
    pub mine: bool,
    pub claimed: bool,
    pub comments: bool,
    pub untranslated: bool,
}

#[derive(Debug, Default, Deserialize)]
struct FilterQuery {
    status: Option<String>,
    mine: Option<String>,
    claimed: Option<String>,
    comments: Option<String>,
    untranslated: Option<String>,
}

impl Filters {
    /// Reads the query leniently: unknown values filter nothing.
    pub fn from_query(query: &str, variant: Variant) -> Filters {
        let q: FilterQuery = serde_urlencoded::from_str(query).unwrap_or_default();
        let on = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty() && v != "0");
        let status = q
            .status
            .as_deref()
            .and_then(workflow::Status::parse)
            .map(|s| Status::parse(s.as_str()));
        let workspace = variant.is_workspace();
        Filters {
            status,
            mine: workspace && on(&q.mine),
            claimed: workspace && on(&q.claimed),
            comments: workspace && on(&q.comments),
            untranslated: on(&q.untranslated),
        }
    }

    pub fn any(&self) -> bool {
        *self != Filters::default()
    }

    pub fn is_status(&self, status: &Status) -> bool {
        self.status == Some(*status)
    }

    pub(super) fn keeps(
        &self,
        segment: &WorkspaceSegment,
        row: &SegmentRow<'_>,
        me: Option<Uuid>,
    ) -> bool {
        let stored = Status::parse(&segment.status);
        let mine = me.is_some_and(|me| {
            (row.claim.is_some() && segment.claim_user_id == Some(me))
                || segment.english_author_id == Some(me)
        });
        self.status.is_none_or(|s| s == row.status || s == stored)
            && (!self.untranslated || stored == Status::Untranslated)
            && (!self.mine || mine)
            && (!self.claimed || row.claim.is_some())
            && (!self.comments || segment.open_threads > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_come_from_the_query_and_readers_filter_by_status_only() {
        let all = "status=draft&mine=1&claimed=on&comments=1&untranslated=1";
        let workspace = Filters::from_query(all, Variant::Translator);
        assert_eq!(
            workspace,
            Filters {
                status: Some(Status::Draft),
                mine: true,
                claimed: true,
                comments: true,
                untranslated: true,
            }
        );
        let reader = Filters::from_query(all, Variant::Reader);
        assert_eq!(
            reader,
            Filters {
                status: Some(Status::Draft),
                untranslated: true,
                ..Filters::default()
            }
        );
    }

    #[test]
    fn empty_or_unknown_filter_values_filter_nothing() {
        for query in [
            "",
            "status=",
            "status=published",
            "mine=0",
            "done=saved",
            "%%%",
        ] {
            assert!(
                !Filters::from_query(query, Variant::Reviewer).any(),
                "{query}"
            );
        }
    }
}
