//! What each role may do: the one place that says it.
//!
//! Roles are ordered: a reviewer may do everything a translator may, an admin everything a
//! reviewer may. Handlers ask a capability (`can_review()`), not a role, so a change to who
//! may do what is made here once.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Drafts, submits and comments on translations.
    Translator,
    /// Also approves or requests changes, and releases other people's claims.
    Reviewer,
    /// Also manages users, the workbench settings and imports.
    Admin,
}

impl Role {
    /// Every role, lowest first: for role pickers.
    pub const ALL: [Role; 3] = [Role::Translator, Role::Reviewer, Role::Admin];

    /// The name stored in `users.role` and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Translator => "translator",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Translator => "Translator",
            Role::Reviewer => "Reviewer",
            Role::Admin => "Admin",
        }
    }

    /// Draft, submit and comment: every signed-in user.
    pub fn can_translate(self) -> bool {
        true
    }

    /// Approve, request changes, release claims held by others.
    pub fn can_review(self) -> bool {
        self >= Role::Reviewer
    }

    /// Manage users and settings, import chapters.
    pub fn can_administer(self) -> bool {
        self >= Role::Admin
    }

    /// Whether this role has at least the rights of `other`.
    pub fn includes(self, other: Role) -> bool {
        self >= other
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected translator, reviewer or admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s.trim())
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_may_translate_and_only_reviewers_and_admins_may_review() {
        assert!(Role::ALL.iter().all(|r| r.can_translate()));
        assert!(!Role::Translator.can_review());
        assert!(Role::Reviewer.can_review());
        assert!(Role::Admin.can_review());
    }

    #[test]
    fn only_admins_may_administer() {
        assert!(!Role::Translator.can_administer());
        assert!(!Role::Reviewer.can_administer());
        assert!(Role::Admin.can_administer());
    }

    #[test]
    fn a_higher_role_includes_the_lower_ones() {
        assert!(Role::Admin.includes(Role::Reviewer));
        assert!(Role::Reviewer.includes(Role::Reviewer));
        assert!(!Role::Translator.includes(Role::Reviewer));
    }

    #[test]
    fn roles_parse_from_their_stored_names_and_nothing_else() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("Admin".parse::<Role>().is_err());
        assert!("superuser".parse::<Role>().is_err());
    }
}
