//! The review workflow's rules, as one pure function: from a segment's status, an action,
//! the actor's role and a few facts, the new status or why not.
//!
//! ```text
//!                 save                submit               approve
//! untranslated ────────▶ draft ──────────────▶ submitted ────────────▶ approved
//!                        ▲  │ save                │ ▲ save               │ save (an edit of
//!                        │  ▼                     │ └──┘                 │ approved text is
//!                        draft    request changes │                      │ submitted again;
//!                        ▲                        ▼                      │ the approved text
//!                        └──── save ──── changes_requested ◀─────────────┘ stays shown)
//!                                               │ submit (as is, after answering in the thread)
//!                                               └──────────▶ submitted
//! ```
//!
//! Anyone may save and submit; only reviewers and admins approve or request changes. A
//! reviewer may not approve a revision they wrote unless the `allow_self_approval` setting
//! says so (admins included: the setting is theirs to change, and a second pair of eyes is
//! the point of review). Requesting changes needs a comment saying which.

use crate::accounts::Role;

/// Where a segment is in the workflow (`segments.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Untranslated,
    Draft,
    Submitted,
    Approved,
    ChangesRequested,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Untranslated,
        Status::Draft,
        Status::Submitted,
        Status::Approved,
        Status::ChangesRequested,
    ];

    /// The value stored in `segments.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Untranslated => "untranslated",
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::ChangesRequested => "changes_requested",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// What someone does to a segment's status. (Claims and comments leave it alone.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A new revision becomes the current text (typed, restored or kept after a conflict).
    Save,
    /// The current revision is ready for review.
    Submit,
    Approve,
    RequestChanges,
}

impl Action {
    pub const ALL: [Action; 4] = [
        Action::Save,
        Action::Submit,
        Action::Approve,
        Action::RequestChanges,
    ];
}

/// What the rules need to know besides status, action and role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The actor wrote the revision being reviewed.
    pub actor_wrote_revision: bool,
    /// The `allow_self_approval` setting.
    pub self_approval_allowed: bool,
    /// A non-empty comment came with the decision.
    pub comment_given: bool,
}

/// Why the rules refuse an action: the actor may not (`Forbidden`) or the segment is not in
/// a state where it makes sense (`Invalid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Forbidden(&'static str),
    Invalid(&'static str),
}

/// The new status after `action`, or why it is refused. Checks the role first, then the
/// state, then the facts.
pub fn transition(
    from: Status,
    action: Action,
    role: Role,
    facts: Facts,
) -> Result<Status, Refusal> {
    use Status::*;
    match action {
        Action::Save => Ok(match from {
            Untranslated | Draft | ChangesRequested => Draft,
            // Saving again while waiting for review replaces the text under review, and
            // an edit of approved text must be reviewed before it is shown.
            Submitted | Approved => Submitted,
        }),
        Action::Submit => match from {
            Draft | ChangesRequested => Ok(Submitted),
            Untranslated => Err(Refusal::Invalid("there is no English to submit yet")),
            Submitted => Err(Refusal::Invalid("this text is already waiting for review")),
            Approved => Err(Refusal::Invalid("this text is already approved")),
        },
        Action::Approve | Action::RequestChanges if !role.can_review() => Err(Refusal::Forbidden(
            "only reviewers and admins approve or request changes",
        )),
        Action::Approve | Action::RequestChanges if from != Submitted => {
            Err(Refusal::Invalid("only a submitted text can be reviewed"))
        }
        Action::Approve if facts.actor_wrote_revision && !facts.self_approval_allowed => Err(
            Refusal::Forbidden("you wrote this revision: another reviewer must approve it"),
        ),
        Action::Approve => Ok(Approved),
        Action::RequestChanges if !facts.comment_given => Err(Refusal::Invalid(
            "say what should change: requesting changes needs a comment",
        )),
        Action::RequestChanges => Ok(ChangesRequested),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    const F: Refusal = Refusal::Forbidden("");
    const I: Refusal = Refusal::Invalid("");

    /// The same kind of refusal (the wording is not part of the rule).
    fn kind(result: Result<Status, Refusal>) -> Result<Status, Refusal> {
        result.map_err(|r| match r {
            Refusal::Forbidden(_) => F,
            Refusal::Invalid(_) => I,
        })
    }

    /// Every status × action, for translator, reviewer and admin, with ordinary facts: the
    /// actor did not write the revision, self-approval is off, a comment was given.
    /// A status and an action, and what translator, reviewer and admin get.
    type Row = (Status, Action, [Result<Status, Refusal>; 3]);

    #[rustfmt::skip]
    const TABLE: [Row; 20] = [
        //                                         translator        reviewer               admin
        (Untranslated,     Action::Save,           [Ok(Draft),       Ok(Draft),             Ok(Draft)]),
        (Draft,            Action::Save,           [Ok(Draft),       Ok(Draft),             Ok(Draft)]),
        (Submitted,        Action::Save,           [Ok(Submitted),   Ok(Submitted),         Ok(Submitted)]),
        (Approved,         Action::Save,           [Ok(Submitted),   Ok(Submitted),         Ok(Submitted)]),
        (ChangesRequested, Action::Save,           [Ok(Draft),       Ok(Draft),             Ok(Draft)]),
        (Untranslated,     Action::Submit,         [Err(I),          Err(I),                Err(I)]),
        (Draft,            Action::Submit,         [Ok(Submitted),   Ok(Submitted),         Ok(Submitted)]),
        (Submitted,        Action::Submit,         [Err(I),          Err(I),                Err(I)]),
        (Approved,         Action::Submit,         [Err(I),          Err(I),                Err(I)]),
        (ChangesRequested, Action::Submit,         [Ok(Submitted),   Ok(Submitted),         Ok(Submitted)]),
        (Untranslated,     Action::Approve,        [Err(F),          Err(I),                Err(I)]),
        (Draft,            Action::Approve,        [Err(F),          Err(I),                Err(I)]),
        (Submitted,        Action::Approve,        [Err(F),          Ok(Approved),          Ok(Approved)]),
        (Approved,         Action::Approve,        [Err(F),          Err(I),                Err(I)]),
        (ChangesRequested, Action::Approve,        [Err(F),          Err(I),                Err(I)]),
        (Untranslated,     Action::RequestChanges, [Err(F),          Err(I),                Err(I)]),
        (Draft,            Action::RequestChanges, [Err(F),          Err(I),                Err(I)]),
        (Submitted,        Action::RequestChanges, [Err(F),          Ok(ChangesRequested),  Ok(ChangesRequested)]),
        (Approved,         Action::RequestChanges, [Err(F),          Err(I),                Err(I)]),
        (ChangesRequested, Action::RequestChanges, [Err(F),          Err(I),                Err(I)]),
    ];

    const ORDINARY: Facts = Facts {
        actor_wrote_revision: false,
        self_approval_allowed: false,
        comment_given: true,
    };

    #[test]
    fn the_table_covers_every_status_and_action_once() {
        for status in Status::ALL {
            for action in Action::ALL {
                let rows = TABLE
                    .iter()
                    .filter(|(s, a, _)| *s == status && *a == action);
                assert_eq!(rows.count(), 1, "{status:?} × {action:?}");
            }
        }
    }

    #[test]
    fn every_status_action_and_role_gives_what_the_table_says() {
        for (status, action, expected) in TABLE {
            for (role, want) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(
                    kind(transition(status, action, role, ORDINARY)),
                    want,
                    "{status:?} × {action:?} by a {role:?}"
                );
            }
        }
    }

    /// Every combination of facts, to check they change only what they should.
    fn all_facts() -> impl Iterator<Item = Facts> {
        (0..8).map(|bits| Facts {
            actor_wrote_revision: bits & 1 != 0,
            self_approval_allowed: bits & 2 != 0,
            comment_given: bits & 4 != 0,
        })
    }

    #[test]
    fn facts_matter_only_for_approving_own_work_and_requesting_changes() {
        for (status, action, expected) in TABLE {
            for (role, want) in Role::ALL.into_iter().zip(expected) {
                for facts in all_facts() {
                    let got = kind(transition(status, action, role, facts));
                    let expect = match (action, want) {
                        (Action::Approve, Ok(_))
                            if facts.actor_wrote_revision && !facts.self_approval_allowed =>
                        {
                            Err(F)
                        }
                        (Action::RequestChanges, Ok(_)) if !facts.comment_given => Err(I),
                        _ => want,
                    };
                    assert_eq!(
                        got, expect,
                        "{status:?} × {action:?} by {role:?}, {facts:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_reviewer_cannot_approve_their_own_revision_unless_the_setting_allows_it() {
        let own = Facts {
            actor_wrote_revision: true,
            ..Facts::default()
        };
        for role in [Role::Reviewer, Role::Admin] {
            assert_eq!(
                kind(transition(Submitted, Action::Approve, role, own)),
                Err(F)
            );
            let allowed = Facts {
                self_approval_allowed: true,
                ..own
            };
            assert_eq!(
                transition(Submitted, Action::Approve, role, allowed),
                Ok(Approved)
            );
        }
    }

    #[test]
    fn requesting_changes_without_a_comment_is_refused() {
        let silent = Facts::default();
        assert_eq!(
            kind(transition(
                Submitted,
                Action::RequestChanges,
                Role::Reviewer,
                silent
            )),
            Err(I)
        );
        // ... but a translator hears first that they may not review at all.
        assert_eq!(
            kind(transition(
                Submitted,
                Action::RequestChanges,
                Role::Translator,
                silent
            )),
            Err(F)
        );
    }

    #[test]
    fn statuses_round_trip_through_their_stored_names() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(Status::parse("published"), None);
    }
}
