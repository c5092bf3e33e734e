//! Who may do what, route by route: every route of the app (pages, forms, JSON API) asked by
//! someone anonymous, a translator, a reviewer and an admin, against one table of expected
//! statuses.
//!
//! Each request is one that would succeed for someone allowed to make it: pages are asked
//! with the session cookie, forms are posted with a valid CSRF token (the session's, or
//! before sign-in the signed double-submit token), API calls carry the user's token (none
//! for anonymous). So a refusal in the table is the role's, not a bad request's. Every
//! column works on its own segments, users and comments (`{…}` in the table), so the order
//! of the rows matters only within a column (sign-out last).

use std::collections::HashMap;
use std::fmt::Write;

use uuid::Uuid;

use crate::common::{browser, create_user, csrf_on_page, TestApp};
use crate::team::{member, paragraphs, Member};
use plae::workflow::{self, Actor, Role, SaveOutcome};

/// Who asks, in the table's column order.
pub const WHO: [&str; 4] = ["anonymous", "translator", "reviewer", "admin"];

pub struct Route {
    pub method: &'static str,
    /// With `{placeholders}` filled in per column.
    pub path: &'static str,
    /// Form fields of a POST to a page (the CSRF token is added), or the JSON body of an API
    /// call (`"{…}"`).
    pub body: Body,
    /// anonymous, translator, reviewer, admin.
    pub expected: [u16; 4],
}

pub enum Body {
    None,
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
}

const fn get(path: &'static str, expected: [u16; 4]) -> Route {
    Route {
        method: "GET",
        path,
        body: Body::None,
        expected,
    }
}

const fn form(
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    expected: [u16; 4],
) -> Route {
    Route {
        method: "POST",
        path,
        body: Body::Form(fields),
        expected,
    }
}

const fn json(path: &'static str, body: &'static str, expected: [u16; 4]) -> Route {
    Route {
        method: "POST",
        path,
        body: Body::Json(body),
        expected,
    }
}

/// Pages: 200 for whoever may see them, 303 to the sign-in page for anonymous visitors of a
/// signed-in page, 403 for a role that may not. Forms: 303 (done, on to a page) or the
/// page's answer; 401 for nobody signed in. API: 401 without a token.
pub const ROUTES: &[Route] = &[
    // Reading.
    get("/", [200, 200, 200, 200]),
    get("/books/soviet-history/chapters/3", [200, 200, 200, 200]),
    get("/books/soviet-history/chapters/99", [404, 404, 404, 404]),
    // Exports: approved-only editions are public; drafts need a signed-in user.
    get("/books/soviet-history/export", [400, 400, 400, 400]),
    get(
        "/books/soviet-history/export?format=text",
        [200, 200, 200, 200],
    ),
    get(
        "/books/soviet-history/export?format=text&include=drafts",
        [303, 200, 200, 200],
    ),
    get(
        "/books/soviet-history/export?format=xliff&chapter=4",
        [303, 200, 200, 200],
    ),
    get("/segments/{seg}", [200, 200, 200, 200]),
    get("/segments/{seg}/history", [303, 200, 200, 200]),
    get("/review", [303, 403, 200, 200]),
    get("/activity", [303, 200, 200, 200]),
    get("/users/prep/activity", [303, 200, 200, 200]),
    // The concordance: the public text for readers, drafts too for signed-in users.
    get("/search", [200, 200, 200, 200]),
    get(
        "/search?q=%E0%B8%AA%E0%B8%95%E0%B8%B2%E0%B8%A5%E0%B8%B4%E0%B8%99",
        [200, 200, 200, 200],
    ),
    get("/healthz", [200, 200, 200, 200]),
    get("/static/style.css", [200, 200, 200, 200]),
    get("/static/workbench.js", [200, 200, 200, 200]),
    get("/no-such-page", [404, 404, 404, 404]),
    // Accounts and administration.
    get("/sign-in", [200, 303, 303, 303]),
    get("/sign-up", [404, 404, 404, 404]),
    get("/account/password", [303, 200, 200, 200]),
    get("/admin/users", [303, 403, 403, 200]),
    get("/admin/settings", [303, 403, 403, 200]),
    form(
        "/sign-in",
        &[("username", "nobody"), ("password", "not the password")],
        [401, 401, 401, 401],
    ),
    form(
        "/sign-up",
        &[("username", "new"), ("password", "p"), ("confirm", "p")],
        [404, 404, 404, 404],
    ),
    form(
        "/account/password",
        &[
            ("current", "x"),
            ("new", "long enough 1"),
            ("confirm", "long enough 2"),
        ],
        [401, 422, 422, 422],
    ),
    form(
        "/admin/users",
        &[("username", "added-{who}"), ("role", "translator")],
        // The admin sees the new user's generated password, once.
        [401, 403, 403, 200],
    ),
    form(
        "/admin/users/{victim}/role",
        &[("role", "reviewer")],
        [401, 403, 403, 303],
    ),
    form("/admin/users/{victim}/disable", &[], [401, 403, 403, 303]),
    form("/admin/users/{victim}/enable", &[], [401, 403, 403, 303]),
    form(
        "/admin/settings",
        &[("claim_expiry_minutes", "120")],
        [401, 403, 403, 303],
    ),
    // Translating and reviewing, as pages.
    form(
        "/segments/{seg}/save",
        &[("text", "Saved by {who}."), ("base", "")],
        [401, 303, 303, 303],
    ),
    form(
        "/segments/{conflicted}/keep-mine",
        &[("mine", "{mine}"), ("theirs", "{theirs}")],
        [401, 303, 303, 303],
    ),
    form(
        "/segments/{restorable}/restore",
        &[("revision", "{old}"), ("base", "{current}")],
        [401, 303, 303, 303],
    ),
    form("/segments/{seg}/claim", &[], [401, 303, 303, 303]),
    form("/segments/{seg}/release", &[], [401, 303, 303, 303]),
    form(
        "/books/soviet-history/chapters/4/claims",
        &[("segment", "{seg}"), ("action", "claim")],
        [401, 303, 303, 303],
    ),
    form(
        "/segments/{submitted}/review",
        &[("revision", "{submitted_revision}"), ("verdict", "approve")],
        [401, 403, 303, 303],
    ),
    form(
        "/segments/{seg}/comments",
        &[("body", "A comment by {who}.")],
        [401, 303, 303, 303],
    ),
    form(
        "/comments/{comment}/edit",
        &[("body", "Edited by {who}.")],
        [401, 303, 303, 303],
    ),
    form("/comments/{comment}/resolve", &[], [401, 303, 303, 303]),
    form("/comments/{comment}/reopen", &[], [401, 303, 303, 303]),
    // Importing an existing translation: each column's own alignment; `prep`'s is
    // nobody else's business.
    get(
        "/books/soviet-history/chapters/3/align",
        [303, 200, 200, 200],
    ),
    form(
        "/books/soviet-history/chapters/3/align",
        &[("text", "The war was over.\n\nRussia lay in ruins in 1921.")],
        [401, 303, 303, 303],
    ),
    get("/alignments/{alignment}", [303, 200, 200, 200]),
    get("/alignments/{others_alignment}", [303, 404, 404, 404]),
    form(
        "/alignments/{alignment}/edit",
        &[("bead", "0"), ("action", "join"), ("version", "1")],
        [401, 303, 303, 303],
    ),
    form(
        "/alignments/{alignment}/accept",
        &[("version", "2")],
        [401, 303, 303, 303],
    ),
    form(
        "/alignments/{discardable}/discard",
        &[],
        [401, 303, 303, 303],
    ),
    // The glossary: anyone signed in reads it; reviewers and admins change it.
    get("/glossary", [303, 200, 200, 200]),
    get("/glossary/candidates", [303, 403, 200, 200]),
    get("/glossary/export", [303, 403, 400, 400]),
    get("/glossary/export?format=tbx", [303, 403, 200, 200]),
    form(
        "/glossary",
        &[
            ("thai", "คำ {who}"),
            ("english", "word"),
            ("status", "proposed"),
        ],
        [401, 403, 303, 303],
    ),
    form(
        "/glossary/import",
        &[
            ("format", "csv"),
            ("text", "thai,english\nคำนำเข้า {who},imported"),
        ],
        [401, 403, 200, 200],
    ),
    form(
        "/glossary/{term}/edit",
        &[
            ("thai", "ศัพท์ {who}"),
            ("english", "edited"),
            ("status", "proposed"),
        ],
        [401, 403, 303, 303],
    ),
    form("/glossary/{term}/approve", &[], [401, 403, 303, 303]),
    form("/glossary/{term}/delete", &[], [401, 403, 303, 303]),
    form(
        "/glossary/candidates/accept",
        &[("thai", "โกสแปลน"), ("english", "Gosplan {who}")],
        [401, 403, 303, 303],
    ),
    form(
        "/glossary/candidates/reject",
        &[("thai", "นารัฐ"), ("english", "Sovkhozy {who}")],
        [401, 403, 303, 303],
    ),
    // Dismissing a check: warnings by anyone, errors by reviewers and admins.
    form(
        "/segments/{seg}/checks/{warning_check}/dismiss",
        &[("reason", "Fine as it is, says {who}.")],
        [401, 303, 303, 303],
    ),
    form(
        "/segments/{seg}/checks/{error_check}/dismiss",
        &[("reason", "Fine as it is, says {who}.")],
        [401, 403, 303, 303],
    ),
    // The JSON API.
    get("/api/chapters", [401, 200, 200, 200]),
    get("/api/chapters/{chapter}/segments", [401, 200, 200, 200]),
    get("/api/segments/{seg}", [401, 200, 200, 200]),
    get("/api/search", [401, 422, 422, 422]),
    get("/api/search?q=party", [401, 200, 200, 200]),
    get("/api/segments/{seg}/tm", [401, 200, 200, 200]),
    get("/api/no-such-thing", [404, 404, 404, 404]),
    json(
        "/api/segments/{api_seg}/revisions",
        r#"{"text": "Saved over the API by {who}."}"#,
        [401, 201, 201, 201],
    ),
    json("/api/segments/{api_seg}/submit", "{}", [401, 200, 200, 200]),
    json(
        "/api/segments/{submitted_api}/review",
        r#"{"verdict": "approve"}"#,
        [401, 403, 200, 200],
    ),
    json(
        "/api/segments/{seg}/comments",
        r#"{"body": "An API comment by {who}."}"#,
        [401, 201, 201, 201],
    ),
    // Fixing the Thai (reviewers and admins), on two neighbours of chapter 3 per column:
    // a correction, a split of the corrected text, its undo, then a merge. Each form
    // names the version of the Thai it was made from.
    form(
        "/segments/{fix}/correct",
        &[
            ("thai", "แก้ไขแล้ว {who}"),
            ("reason", "OCR"),
            ("version", "0"),
        ],
        [401, 403, 303, 303],
    ),
    form(
        "/segments/{fix}/split",
        &[("at", "3"), ("version", "1")],
        [401, 403, 303, 303],
    ),
    form(
        "/segments/{fix}/undo",
        &[("version", "2")],
        [401, 403, 303, 303],
    ),
    form(
        "/segments/{fix}/merge",
        &[
            ("next", "{fix_next}"),
            ("version", "3"),
            ("next_version", "0"),
            ("join", "space"),
        ],
        [401, 403, 303, 303],
    ),
    // Last: it ends the session the rows above used.
    form("/sign-out", &[], [303, 303, 303, 303]),
];

/// One column: who asks, and the things they ask about.
pub struct Column {
    pub who: &'static str,
    /// Keeps cookies: the session, or for anonymous the form nonce.
    client: reqwest::Client,
    pub csrf: String,
    token: Option<String>,
    values: HashMap<&'static str, String>,
}

impl Column {
    fn fill(&self, template: &str) -> String {
        let mut filled = template.replace("{who}", self.who);
        for (key, value) in &self.values {
            filled = filled.replace(&format!("{{{key}}}"), value);
        }
        let unfilled = filled.split('{').skip(1).any(|rest| {
            let name = rest.split('}').next().unwrap_or_default();
            rest.contains('}')
                && !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        });
        assert!(!unfilled, "a placeholder is left in {filled}");
        filled
    }

    pub async fn ask(&self, app: &TestApp, route: &Route) -> u16 {
        self.ask_with(app, route, Some(&self.csrf)).await
    }

    /// A form posted with this CSRF token (`None`: without the field).
    pub async fn ask_with(&self, app: &TestApp, route: &Route, csrf: Option<&str>) -> u16 {
        let path = self.fill(route.path);
        let url = app.url(&path);
        let api = path.starts_with("/api/");
        let mut request = match route.method {
            "GET" => self.client.get(&url),
            _ => self.client.post(&url),
        };
        if api {
            // API calls are a script's: the token, not the browser's cookies.
            request = app.client.request(route.method.parse().unwrap(), &url);
            if let Some(token) = &self.token {
                request = request.bearer_auth(token);
            }
        }
        request = match &route.body {
            Body::None => request,
            Body::Json(body) => request
                .header("content-type", "application/json")
                .body(self.fill(body)),
            Body::Form(fields) => {
                let mut filled: Vec<(String, String)> = fields
                    .iter()
                    .map(|(name, value)| (name.to_string(), self.fill(value)))
                    .collect();
                if let Some(csrf) = csrf {
                    filled.push(("csrf".into(), csrf.to_string()));
                }
                request.form(&filled)
            }
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{} {path} as {}: {e}", route.method, self.who));
        response.status().as_u16()
    }
}

/// The things each column works on, made through the workflow by a `prep` translator.
async fn column(app: &TestApp, who: &'static str, segments: &[Uuid], prep: Actor) -> Column {
    let victim = format!("victim-{who}");
    create_user(&app.db.pool, &victim, "translator").await;
    let victim_id: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(&victim)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let (client, csrf, token, author) = match who {
        "anonymous" => {
            let client = browser();
            let csrf = csrf_on_page(&client, app, "/sign-in").await;
            (client, csrf, None, prep)
        }
        role => {
            let Member {
                browser, token, id, ..
            } = member(app, &format!("{role}-user"), role).await;
            let actor = Actor {
                user_id: id,
                role: role.parse().unwrap(),
            };
            (browser.client, browser.csrf, Some(token), actor)
        }
    };
    let mut conn = app.db.pool.acquire().await.unwrap();
    let [seg, api_seg, conflicted, restorable, submitted, submitted_api] = segments else {
        panic!("six segments per column");
    };
    // A conflict waiting for a decision: `mine` stored, `theirs` current.
    let base = saved(workflow::save_draft(&mut conn, &prep, *conflicted, "Base.", None).await);
    let theirs =
        saved(workflow::save_draft(&mut conn, &prep, *conflicted, "Theirs.", Some(base)).await);
    let mine = match workflow::save_draft(&mut conn, &prep, *conflicted, "Mine.", Some(base)).await
    {
        Ok(SaveOutcome::Conflict { mine, .. }) => mine.id,
        other => panic!("expected a conflict: {other:?}"),
    };
    let old = saved(workflow::save_draft(&mut conn, &prep, *restorable, "Old.", None).await);
    let current =
        saved(workflow::save_draft(&mut conn, &prep, *restorable, "New.", Some(old)).await);
    // Submitted by `prep`, for a reviewer to decide on.
    let mut for_review = Vec::new();
    for segment in [*submitted, *submitted_api] {
        let revision =
            saved(workflow::save_draft(&mut conn, &prep, segment, "For review.", None).await);
        workflow::submit(&mut conn, &prep, segment, revision)
            .await
            .unwrap();
        for_review.push(revision);
    }
    let submitted_revision = for_review[0];
    let comment = workflow::add_comment(&mut conn, &author, *seg, None, "To edit.")
        .await
        .unwrap()
        .id;
    let chapter: Uuid = sqlx::query_scalar("SELECT chapter_id FROM segments WHERE id = $1")
        .bind(seg)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // Two live neighbours in chapter 3 for the Thai-fixing rows, a pair per column.
    let chapter3: Vec<Uuid> = sqlx::query_scalar(
        "SELECT s.id FROM segments s JOIN chapters c ON c.id = s.chapter_id
          WHERE c.number = 3 AND s.retired_at IS NULL ORDER BY s.position",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let k = WHO.iter().position(|w| *w == who).unwrap();
    let (fix, fix_next) = (chapter3[4 * k + 1], chapter3[4 * k + 2]);
    let alignment = crate::aligning::pending_alignment(&app.db.pool, author.user_id).await;
    let discardable = crate::aligning::pending_alignment(&app.db.pool, author.user_id).await;
    let others_alignment = crate::aligning::pending_alignment(&app.db.pool, prep.user_id).await;
    let term = plae::db::glossary::insert_term(
        &mut conn,
        &plae::glossary::NewTerm::parse(
            &format!("ศัพท์ของ {who}"),
            "term",
            "",
            plae::glossary::TermStatus::Proposed,
        )
        .unwrap(),
        prep.user_id,
    )
    .await
    .unwrap()
    .expect("a new term");
    let values = [
        ("fix", fix.to_string()),
        ("fix_next", fix_next.to_string()),
        ("alignment", alignment.to_string()),
        ("discardable", discardable.to_string()),
        ("others_alignment", others_alignment.to_string()),
        ("seg", seg.to_string()),
        ("term", term.to_string()),
        ("warning_check", "spaces".to_string()),
        ("error_check", "numbers".to_string()),
        ("api_seg", api_seg.to_string()),
        ("conflicted", conflicted.to_string()),
        ("mine", mine.to_string()),
        ("theirs", theirs.to_string()),
        ("restorable", restorable.to_string()),
        ("old", old.to_string()),
        ("current", current.to_string()),
        ("submitted", submitted.to_string()),
        ("submitted_revision", submitted_revision.to_string()),
        ("submitted_api", submitted_api.to_string()),
        ("comment", comment.to_string()),
        ("victim", victim_id.to_string()),
        ("chapter", chapter.to_string()),
    ];
    Column {
        who,
        client,
        csrf,
        token,
        values: values.into_iter().collect(),
    }
}

fn saved(outcome: Result<SaveOutcome, workflow::WorkflowError>) -> Uuid {
    match outcome {
        Ok(SaveOutcome::Saved(revision)) => revision.id,
        other => panic!("expected a save: {other:?}"),
    }
}

/// The translator who prepares every column's segments (`prep` in the table).
async fn prep_actor(app: &TestApp) -> Actor {
    create_user(&app.db.pool, "prep", "translator").await;
    let id = sqlx::query_scalar("SELECT id FROM users WHERE username = 'prep'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    Actor {
        user_id: id,
        role: Role::Translator,
    }
}

/// A column for each of [`WHO`], on segments of chapter 4 of their own.
pub async fn columns(app: &TestApp) -> Vec<Column> {
    // The table approves placeholder English ("For review.") of paragraphs with years in
    // them: it is about roles, so the checks that would refuse it (web/checks.rs) are off.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let segments = paragraphs(app, 4).await;
    let prep = prep_actor(app).await;
    let mut columns = Vec::new();
    for (i, who) in WHO.into_iter().enumerate() {
        columns.push(column(app, who, &segments[i * 6..i * 6 + 6], prep).await);
    }
    columns
}

#[tokio::test]
async fn every_route_answers_each_role_as_the_table_says() {
    let app = crate::common::spawn_app().await;
    let columns = columns(&app).await;

    let mut table = String::new();
    let mut wrong = 0;
    for route in ROUTES {
        let mut cells = String::new();
        for (column, expected) in columns.iter().zip(route.expected) {
            let actual = column.ask(&app, route).await;
            let cell = match actual == expected {
                true => format!("{actual}"),
                false => {
                    wrong += 1;
                    format!("{expected}→{actual}!")
                }
            };
            write!(cells, " {cell:>10}").unwrap();
        }
        writeln!(table, "{:<6} {:<42}{cells}", route.method, route.path).unwrap();
    }

    let header = format!(
        "{:<6} {:<42}{}",
        "",
        "route",
        WHO.iter().map(|w| format!(" {w:>10}")).collect::<String>()
    );
    assert_eq!(
        wrong, 0,
        "{wrong} answers differ from the table (expected→actual!):\n{header}\n{table}"
    );
    app.stop().await;
}

#[test]
fn the_table_lists_every_route_of_the_app() {
    // The route tables as `web::routes` and the API's scope declare them.
    let mut declared = declared_paths(include_str!("../../src/web/mod.rs"), "");
    declared.extend(declared_paths(
        include_str!("../../src/web/api/mod.rs"),
        "/api",
    ));
    assert!(
        declared.len() > 30,
        "the route tables were not read: {declared:?}"
    );
    let covered: Vec<String> = ROUTES.iter().map(|r| shape(r.path)).collect();

    let missing: Vec<&String> = declared.iter().filter(|p| !covered.contains(p)).collect();

    assert!(
        missing.is_empty(),
        "routes missing from the table: {missing:?}"
    );
}

/// The paths of `web::resource(…)` in a route table's source, shaped like [`shape`].
fn declared_paths(source: &str, prefix: &str) -> Vec<String> {
    source
        .split("web::resource(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|arg| match arg.trim() {
            "page::PASSWORD_PATH" => "/account/password".to_string(),
            "review::QUEUE_PATH" => "/review".to_string(),
            literal => format!("{prefix}{}", literal.trim_matches('"')),
        })
        .map(|path| shape(&path))
        .collect()
}

/// A path with its variable parts (`{id}`, or in the table an id, slug, number or username)
/// made `*`, to compare the table's paths with the declared ones.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|part| {
            let variable = part.starts_with('{')
                || part == "soviet-history"
                || part == "prep"
                || part.parse::<i64>().is_ok();
            if variable {
                "*"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}
