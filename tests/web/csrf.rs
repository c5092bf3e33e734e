//! CSRF on every form that changes something: posted without its token, with a made-up one
//! or with another session's, it is refused (403) and nothing in the database changes; with
//! its own token the same form does what it says. The forms are the authorization table's
//! (`authorization::ROUTES`), each posted by someone allowed to.

use sqlx::PgPool;

use crate::authorization::{columns, Body, ROUTES, WHO};
use crate::common::spawn_app;

/// A digest of every row of every table: equal digests mean nothing was written (but for the
/// time a session or an API token was last used, which any request may note).
pub async fn database_digest(pool: &PgPool) -> String {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> '_sqlx_migrations' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut digest = String::new();
    for table in tables {
        let sql = format!(
            "SELECT '{table}:' || count(*) || ':' ||
                    md5(COALESCE(string_agg(r::text, ',' ORDER BY r::text), ''))
               FROM (SELECT to_jsonb(t) - 'last_used_at' - 'last_seen_at' AS r FROM {table} t) x"
        );
        let part: String = sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap();
        digest.push_str(&part);
        digest.push('\n');
    }
    digest
}

#[tokio::test]
async fn every_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let columns = columns(&app).await;
    let forms = ROUTES
        .iter()
        .filter(|r| matches!(r.body, Body::Form(_)) && !r.path.starts_with("/api/"));
    let made_up = "0".repeat(64);

    let mut checked = Vec::new();
    for route in forms {
        // Posted by someone the form is for: before sign-in for sign-in and sign-up, else
        // the first role the table does not refuse (for sign-out, a live session: what the
        // token protects).
        let by = match route.path {
            "/sign-in" | "/sign-up" => 0,
            _ => (1..WHO.len())
                .find(|&i| ![401, 403].contains(&route.expected[i]))
                .expect("someone may post it"),
        };
        let (column, other) = (&columns[by], &columns[(by + 1) % columns.len()]);
        let before = database_digest(&app.db.pool).await;

        for (what, csrf) in [
            ("no token", None),
            ("a made-up token", Some(made_up.as_str())),
            ("another session's token", Some(other.csrf.as_str())),
        ] {
            let status = column.ask_with(&app, route, csrf).await;
            assert_eq!(
                status, 403,
                "{} {} by {} with {what}",
                route.method, route.path, WHO[by]
            );
        }
        assert_eq!(
            database_digest(&app.db.pool).await,
            before,
            "{} {} with a bad token changed the database",
            route.method,
            route.path
        );

        let status = column.ask(&app, route).await;
        assert_eq!(
            status, route.expected[by],
            "{} {} by {} with its token",
            route.method, route.path, WHO[by]
        );
        checked.push(route.path);
    }
    assert!(checked.len() >= 18, "only {checked:?}");
    app.stop().await;
}
