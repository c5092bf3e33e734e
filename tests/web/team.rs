//! A team to test with: a translator, a reviewer and an admin, each signed in with a
//! browser and holding an API token; and small helpers to call the JSON API.

use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::common::{create_user, signed_in_client, SignedIn, TestApp};
use crate::helpers::chapter_segments;

pub struct Member {
    pub id: Uuid,
    /// A browser signed in with the password, and its session's CSRF token.
    pub browser: SignedIn,
    /// An API token (`Authorization: Bearer`).
    pub token: String,
}

pub struct Team {
    pub translator: Member,
    pub reviewer: Member,
    pub admin: Member,
}

pub async fn member(app: &TestApp, username: &str, role: &str) -> Member {
    let password = create_user(&app.db.pool, username, role).await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&app.db.pool)
        .await
        .expect("the user's id");
    let browser = signed_in_client(app, username, &password).await;
    let token = plae::accounts::manage::create_api_token(&app.db.pool, username)
        .await
        .expect("an API token");
    Member { id, browser, token }
}

pub async fn team(app: &TestApp) -> Team {
    Team {
        translator: member(app, "tara", "translator").await,
        reviewer: member(app, "rene", "reviewer").await,
        admin: member(app, "ada", "admin").await,
    }
}

/// The live paragraphs of a chapter, in reading order.
pub async fn paragraphs(app: &TestApp, chapter: i32) -> Vec<Uuid> {
    chapter_segments(&app.db.pool, chapter)
        .await
        .into_iter()
        .filter(|s| s.kind == "paragraph")
        .map(|s| s.id)
        .collect()
}

/// A JSON answer: its status and its body (`Value::Null` when the body is not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub json: Value,
}

impl Answer {
    pub async fn from(response: reqwest::Response) -> Answer {
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response.bytes().await.expect("a body");
        Answer {
            status,
            content_type,
            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
        }
    }

    /// The `error` message of an error answer; fails the test if there is none.
    pub fn error(&self) -> &str {
        self.json["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message in {self:?}"))
    }

    pub fn id(&self, key: &str) -> Uuid {
        let field = match key {
            "" => &self.json["id"],
            key => &self.json[key]["id"],
        };
        field
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no id at {key:?} in {self:?}"))
    }
}

pub async fn api_get(app: &TestApp, token: Option<&str>, path: &str) -> Answer {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Answer::from(request.send().await.expect("GET")).await
}

pub async fn api_post(app: &TestApp, token: Option<&str>, path: &str, body: Value) -> Answer {
    let mut request = app.client.post(app.url(path)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Answer::from(request.send().await.expect("POST")).await
}

/// Saves text on a segment through the API; returns the answer.
pub async fn save(
    app: &TestApp,
    token: &str,
    segment: Uuid,
    text: &str,
    base: Option<Uuid>,
) -> Answer {
    let path = format!("/api/segments/{segment}/revisions");
    let body = serde_json::json!({ "text": text, "base_revision": base });
    api_post(app, Some(token), &path, body).await
}

/// The revision ids of a segment's history, oldest first, straight from the database.
pub async fn stored_revisions(app: &TestApp, segment: Uuid) -> Vec<(Uuid, String)> {
    sqlx::query_as("SELECT id, text FROM revisions WHERE segment_id = $1 ORDER BY created_at, id")
        .bind(segment)
        .fetch_all(&app.db.pool)
        .await
        .expect("the revisions")
}
