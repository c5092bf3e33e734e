//! What every page's header shows about the visitor: "Sign in", or their name, role, the
//! links their role has and a sign-out button.
//!
//! Every page struct has a `chrome: Chrome` field, which `base.html` reads (through
//! `partials/user_nav.html`). A page built from `Option<&CurrentUser>` shows the right one;
//! pages rendered without knowing who asks (error pages) show a neutral "Account" link. The
//! chapter page, which is cached for everyone, swaps this part per request (`chapters.rs`):
//! the partial sits between `USER_AREA_START` and `USER_AREA_END` in the page.

use askama::Template;

use super::session::CurrentUser;
use crate::accounts::Role;

/// Marks around the user area in every rendered page. HTML comments: askama escapes `<` in
/// data, so text from the book cannot contain them.
pub const USER_AREA_START: &str = "<!--user-->";
pub const USER_AREA_END: &str = "<!--/user-->";

#[derive(Debug, Clone, Default)]
pub enum Chrome {
    /// Rendered without knowing who asks: a link that works whether or not they are
    /// signed in.
    #[default]
    Unknown,
    Anonymous,
    SignedIn(NavUser),
}

#[derive(Debug, Clone)]
pub struct NavUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// For the sign-out form; `None` for an API token (no cookie session to end).
    pub csrf_token: Option<String>,
    pub must_change_password: bool,
}

impl Chrome {
    pub fn for_user(user: Option<&CurrentUser>) -> Chrome {
        match user {
            None => Chrome::Anonymous,
            Some(user) => Chrome::SignedIn(NavUser {
                username: user.username.clone(),
                display_name: user.display_name.clone(),
                role: user.role,
                csrf_token: user.csrf_token().map(str::to_string),
                must_change_password: user.must_change_password,
            }),
        }
    }

    pub fn user(&self) -> Option<&NavUser> {
        match self {
            Chrome::SignedIn(user) => Some(user),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Chrome::Unknown)
    }

    /// The CSRF token for forms on this page, when signed in with a session.
    pub fn csrf_token(&self) -> Option<&str> {
        self.user().and_then(|user| user.csrf_token.as_deref())
    }
}

/// The user area alone, for pages that swap it into cached bytes.
#[derive(Template)]
#[template(path = "partials/user_nav.html", whitespace = "minimize")]
pub struct UserNav<'a> {
    pub chrome: &'a Chrome,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in(role: Role, csrf: Option<&str>) -> Chrome {
        Chrome::SignedIn(NavUser {
            username: "ann".into(),
            display_name: "Ann <b>".into(),
            role,
            csrf_token: csrf.map(str::to_string),
            must_change_password: false,
        })
    }

    #[test]
    fn anonymous_visitors_see_sign_in() {
        let html = UserNav {
            chrome: &Chrome::Anonymous,
        }
        .render()
        .unwrap();
        assert!(html.contains(r#"href="/sign-in""#), "{html}");
    }

    #[test]
    fn signed_in_users_see_their_name_role_and_a_sign_out_form_with_csrf() {
        let html = UserNav {
            chrome: &signed_in(Role::Reviewer, Some("tok123")),
        }
        .render()
        .unwrap();
        assert!(
            html.contains("Ann &#60;b&#62;") || html.contains("Ann &lt;b&gt;"),
            "{html}"
        );
        assert!(html.contains("Reviewer"), "{html}");
        assert!(html.contains(r#"action="/sign-out""#), "{html}");
        assert!(html.contains(r#"value="tok123""#), "{html}");
        assert!(
            !html.contains("/admin/"),
            "reviewers have no admin link: {html}"
        );
    }

    #[test]
    fn admins_get_the_admin_links() {
        let html = UserNav {
            chrome: &signed_in(Role::Admin, Some("tok")),
        }
        .render()
        .unwrap();
        assert!(html.contains(r#"href="/admin/users""#), "{html}");
    }

    #[test]
    fn the_user_area_is_never_empty_so_the_marks_always_enclose_something() {
        let html = UserNav {
            chrome: &Chrome::Unknown,
        }
        .render()
        .unwrap();
        assert!(html.contains("Account"), "{html}");
    }
}
