//! A person with a browser: signed in through the sign-in form, fetching pages and
//! submitting the forms found on them with the fields the page put there (hidden inputs,
//! text areas as filled, ticked boxes, including those attached with `form="…"`), as a
//! browser would, so that the tests use the CSRF tokens and base revisions of the pages.

use reqwest::{Client, Response, StatusCode};
use scraper::{ElementRef, Html};
use uuid::Uuid;

use crate::common::{create_user, signed_in_client, TestApp};
use crate::helpers::{select_in, text, Page};

pub struct Person {
    pub id: Uuid,
    pub client: Client,
}

/// A new user of this role, signed in.
pub async fn person(app: &TestApp, username: &'static str, role: &str) -> Person {
    let password = create_user(&app.db.pool, username, role).await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db.pool)
        .await
        .expect("the user's id");
    let client = signed_in_client(app, username, &password).await.client;
    Person { id, client }
}

impl Person {
    pub async fn get(&self, app: &TestApp, path: &str) -> Page {
        read(self.client.get(app.url(path)).send().await.expect("GET")).await
    }

    /// Submits the form `form_css` of `page`, with `set` replacing the page's values of
    /// the same names (a name given twice is sent twice). Returns the raw response.
    pub async fn submit(
        &self,
        app: &TestApp,
        page: &Page,
        form_css: &str,
        set: &[(&str, &str)],
    ) -> Response {
        let form = page.one(form_css);
        let action = form.value().attr("action").expect("a form has an action");
        let mut fields = form_fields(&page.html, form);
        fields.retain(|(name, _)| !set.iter().any(|(n, _)| n == name));
        fields.extend(set.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        self.client
            .post(app.url(action))
            .form(&fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {action}: {e}"))
    }

    /// Submits a form and follows the 303 to the page it leads to.
    pub async fn submit_and_follow(
        &self,
        app: &TestApp,
        page: &Page,
        form_css: &str,
        set: &[(&str, &str)],
    ) -> Page {
        let response = self.submit(app, page, form_css, set).await;
        let status = response.status();
        let location = location(&response);
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "submitting {form_css} should redirect; the page says: {}",
            notice_of(&read(response).await)
        );
        self.get(app, &location).await
    }
}

/// The path a 303 sends to.
pub fn location(response: &Response) -> String {
    let location = response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    location
        .strip_prefix("http://")
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or(location)
}

pub async fn read(response: Response) -> Page {
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.text().await.expect("a body");
    Page {
        status,
        content_type,
        html: Html::parse_document(&body),
    }
}

/// The message a page shows after an action (`.notice`), or "" if none.
pub fn notice_of(page: &Page) -> String {
    page.select(".notice")
        .first()
        .map(|n| text(*n))
        .unwrap_or_default()
}

/// What a browser sends for a form (buttons aside: pass the clicked one in `set`).
fn form_fields(html: &Html, form: ElementRef<'_>) -> Vec<(String, String)> {
    let mut controls = select_in(form, "input[name], textarea[name], select[name]");
    if let Some(id) = form.value().attr("id") {
        controls.extend(select_in(
            html.root_element(),
            &format!("input[form='{id}'][name]"),
        ));
    }
    let mut fields = Vec::new();
    for control in controls {
        let element = control.value();
        let name = element.attr("name").unwrap().to_string();
        let value = match element.name() {
            "textarea" => control.text().collect::<String>(),
            "select" => select_in(control, "option[selected]")
                .first()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_string(),
            _ => {
                let kind = element.attr("type").unwrap_or("text");
                if matches!(kind, "checkbox" | "radio") && element.attr("checked").is_none() {
                    continue;
                }
                let default = if matches!(kind, "checkbox" | "radio") {
                    "on"
                } else {
                    ""
                };
                element.attr("value").unwrap_or(default).to_string()
            }
        };
        fields.push((name, value));
    }
    fields
}

/// The id in `/segments/{id}…`.
pub fn segment_of(path: &str) -> Uuid {
    let rest = path.strip_prefix("/segments/").expect("a segment path");
    Uuid::parse_str(&rest[..36]).expect("a segment id")
}
