//! The glossary over HTTP: managing terms, CSV and TBX out and back in, bad imports, the
//! candidates mined from the corpus, and terms highlighted in the editor.

use reqwest::StatusCode;
use scraper::Html;
use uuid::Uuid;

use crate::common::{spawn_app, SignedIn, TestApp};
use crate::helpers::{select_in, text};
use crate::team::team;

pub async fn page_as(who: &SignedIn, app: &TestApp, path: &str) -> (StatusCode, Html) {
    let response = who.client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    (
        status,
        Html::parse_document(&response.text().await.expect("a page")),
    )
}

pub async fn post_as(
    who: &SignedIn,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let mut form: Vec<(&str, &str)> = vec![("csrf", who.csrf.as_str())];
    form.extend_from_slice(fields);
    let response = who
        .client
        .post(app.url(path))
        .form(&form)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    (status, response.text().await.expect("a body"))
}

/// (Thai, English, note, status) of every term, by Thai.
async fn stored_terms(app: &TestApp) -> Vec<(String, String, String, String)> {
    sqlx::query_as(
        "SELECT thai, english, note, term_status FROM glossary_terms ORDER BY thai_key, lower(english)",
    )
    .fetch_all(&app.db.pool)
    .await
    .expect("the terms")
}

async fn term_id(app: &TestApp, thai: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM glossary_terms WHERE thai = $1")
        .bind(thai)
        .fetch_one(&app.db.pool)
        .await
        .expect("the term")
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    select_in(html.root_element(), css)
        .into_iter()
        .map(text)
        .collect()
}

#[tokio::test]
async fn reviewers_manage_terms_and_translators_only_read_them() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let (rene, tara) = (&t.reviewer.browser, &t.translator.browser);

    let fields = [
        ("thai", "โกสแปลน"),
        ("english", "Gosplan"),
        ("note", "State Planning Committee"),
        ("status", "proposed"),
    ];
    let (status, _) = post_as(rene, &app, "/glossary", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The same pair again (any letter case) is refused, saying why.
    let again = [("thai", "โกสแปลน"), ("english", "GOSPLAN")];
    let (status, body) = post_as(rene, &app, "/glossary", &again).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("is in the glossary already"));
    // A translator reads the glossary but has no forms, and the server refuses their POSTs.
    let (status, page) = page_as(tara, &app, "/glossary").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&page, "tr.term td.thai"), ["โกสแปลน"]);
    assert_eq!(texts(&page, "tr.term td.english"), ["Gosplan"]);
    assert!(select_in(page.root_element(), "form.add-term").is_empty());
    let (status, _) = post_as(
        tara,
        &app,
        "/glossary",
        &[("thai", "นารัฐ"), ("english", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let id = term_id(&app, "โกสแปลน").await;
    let edit = [
        ("thai", "โกสแปลน"),
        ("english", "Gosplan"),
        ("note", "the planning agency"),
        ("status", "proposed"),
    ];
    let (status, _) = post_as(rene, &app, &format!("/glossary/{id}/edit"), &edit).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = post_as(tara, &app, &format!("/glossary/{id}/approve"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post_as(rene, &app, &format!("/glossary/{id}/approve"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        stored_terms(&app).await,
        [(
            "โกสแปลน".into(),
            "Gosplan".into(),
            "the planning agency".into(),
            "approved".into()
        )]
    );
    // Searching finds by any field.
    let (_, found) = page_as(tara, &app, "/glossary?q=planning").await;
    assert_eq!(texts(&found, "tr.term td.english"), ["Gosplan"]);
    let (_, none) = page_as(tara, &app, "/glossary?q=nothing-like-it").await;
    assert!(texts(&none, "tr.term td.english").is_empty());

    let (status, _) = post_as(tara, &app, &format!("/glossary/{id}/delete"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post_as(rene, &app, &format!("/glossary/{id}/delete"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(stored_terms(&app).await.is_empty());
    let (status, _) = post_as(rene, &app, &format!("/glossary/{id}/delete"), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

async fn export(who: &SignedIn, app: &TestApp, format: &str) -> String {
    let response = who
        .client
        .get(app.url(&format!("/glossary/export?format={format}")))
        .send()
        .await
        .expect("GET export");
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.contains(&format!("glossary.{format}")));
    response.text().await.expect("the file")
}

#[tokio::test]
async fn csv_and_tbx_exports_import_back_to_the_same_glossary() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let rene = &t.reviewer.browser;
    let terms: [&[(&str, &str)]; 3] = [
        &[
            ("thai", "โกสแปลน"),
            ("english", "Gosplan"),
            ("note", "planning, \"state\""),
            ("status", "approved"),
        ],
        &[
            ("thai", "นารัฐ"),
            ("english", "sovkhoz; state farm"),
            ("status", "proposed"),
        ],
        &[
            ("thai", "เยฟเกนี เพรโอบราเซนสกี"),
            ("english", "Evgeni Preobrazhensky"),
            ("note", "=economist"),
            ("status", "approved"),
        ],
    ];
    for fields in terms {
        let (status, _) = post_as(rene, &app, "/glossary", fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let before = stored_terms(&app).await;
    for format in ["csv", "tbx"] {
        let file = export(rene, &app, format).await;
        sqlx::query("DELETE FROM glossary_terms")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, body) = post_as(
            rene,
            &app,
            "/glossary/import",
            &[("format", format), ("text", &file)],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            body.contains("Imported: 3 added, 0 updated, 0 unchanged."),
            "{body}"
        );
        assert_eq!(
            stored_terms(&app).await,
            before,
            "after a {format} round trip"
        );
        assert_eq!(export(rene, &app, format).await, file);
        // The same file again changes nothing.
        let (_, body) = post_as(
            rene,
            &app,
            "/glossary/import",
            &[("format", format), ("text", &file)],
        )
        .await;
        assert!(body.contains("0 added, 0 updated, 3 unchanged"), "{body}");
    }
    let (status, _) = page_as(&t.translator.browser, &app, "/glossary/export?format=csv").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_import_says_what_is_wrong_and_changes_nothing() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let rene = &t.reviewer.browser;
    let fields = [
        ("thai", "โกสแปลน"),
        ("english", "Gosplan"),
        ("status", "approved"),
    ];
    post_as(rene, &app, "/glossary", &fields).await;
    let before = stored_terms(&app).await;
    let bad = [
        (
            "csv",
            "thai,english,status\nนารัฐ,sovkhoz,approved\nนารวม,kolkhoz,maybe\n",
            "line 3: the status “maybe” is neither proposed nor approved",
        ),
        ("csv", "word,meaning\nนารัฐ,sovkhoz\n", "line 1: the first line must name the columns"),
        (
            "tbx",
            "<?xml version=\"1.0\"?><!DOCTYPE tbx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><tbx/>",
            "DOCTYPE",
        ),
        ("tbx", "<tbx><text><body><conceptEntry>", "not well-formed"),
        ("xlsx", "thai,english", "choose the file's format"),
    ];
    for (format, file, message) in bad {
        let (status, body) = post_as(
            rene,
            &app,
            "/glossary/import",
            &[("format", format), ("text", file)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{format}: {file}");
        let page = Html::parse_document(&body);
        let notice = texts(&page, ".form-error").join(" ");
        assert!(notice.contains("Nothing was imported."), "{notice}");
        let says = notice.to_lowercase().contains(&message.to_lowercase());
        assert!(says, "{notice} should say {message}");
        assert_eq!(stored_terms(&app).await, before, "{format}: {file}");
    }
    app.stop().await;
}

async fn candidates(who: &SignedIn, app: &TestApp) -> Vec<(String, String)> {
    let (status, page) = page_as(who, app, "/glossary/candidates").await;
    assert_eq!(status, StatusCode::OK);
    select_in(page.root_element(), "tr.candidate")
        .into_iter()
        .map(|row| {
            let attr = |name| row.value().attr(name).unwrap_or_default().to_string();
            (attr("data-thai"), attr("data-english"))
        })
        .collect()
}

#[tokio::test]
async fn candidates_mined_from_the_corpus_can_be_accepted_or_rejected_for_good() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let rene = &t.reviewer.browser;
    let found = candidates(rene, &app).await;
    let has = |found: &[(String, String)], thai: &str, english: &str| {
        found.iter().any(|(t, e)| t == thai && e == english)
    };
    for (thai, english) in [
        ("โกสแปลน", "Gosplan"),
        ("นารัฐ", "Sovkhozy"),
        ("เยฟเกนี เพรโอบราเซนสกี", "Evgeni Preobrazenskii"),
        ("วิกเตอร์ เซอร์กี", "Victor Serge"),
    ] {
        assert!(
            has(&found, thai, english),
            "{thai} ({english}) among {found:?}"
        );
    }
    let (status, _) = page_as(&t.translator.browser, &app, "/glossary/candidates").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Accepted (with the English corrected first): an approved term, no longer a candidate.
    let accept = [("thai", "โกสแปลน"), ("english", "Gosplan"), ("note", "")];
    let (status, _) = post_as(rene, &app, "/glossary/candidates/accept", &accept).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let fields = [
        ("thai", "วิกเตอร์ เซอร์กี"),
        ("english", "Victor Serge (Kibalchich)"),
    ];
    post_as(rene, &app, "/glossary/candidates/accept", &fields).await;
    let stored = stored_terms(&app).await;
    assert!(stored.contains(&(
        "โกสแปลน".into(),
        "Gosplan".into(),
        "".into(),
        "approved".into()
    )));
    assert!(stored.iter().any(|t| t.1 == "Victor Serge (Kibalchich)"));
    // Rejected: remembered, and never offered again.
    let reject = [("thai", "นารัฐ"), ("english", "Sovkhozy")];
    let (status, _) = post_as(rene, &app, "/glossary/candidates/reject", &reject).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let rejected: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM glossary_rejections WHERE thai_key = 'นารัฐ' AND english_key = 'sovkhozy'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(rejected, 1);
    let after = candidates(rene, &app).await;
    assert!(!has(&after, "โกสแปลน", "Gosplan"));
    assert!(!has(&after, "นารัฐ", "Sovkhozy"));
    assert!(has(&after, "เยฟเกนี เพรโอบราเซนสกี", "Evgeni Preobrazenskii"));
    assert_eq!(after.len(), found.len() - 3, "{after:?}");
    app.stop().await;
}

#[tokio::test]
async fn the_editor_highlights_glossary_terms_in_the_thai_with_their_english() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let fields = [
        ("thai", "โกสแปลน"),
        ("english", "Gosplan"),
        ("status", "approved"),
    ];
    post_as(&t.reviewer.browser, &app, "/glossary", &fields).await;
    let segment: Uuid =
        sqlx::query_scalar("SELECT id FROM segments WHERE source_th LIKE '%หรือโกสแปลน%(Gosplan)%'")
            .fetch_one(&app.db.pool)
            .await
            .expect("the segment that names Gosplan");
    let (_, page) = page_as(&t.translator.browser, &app, &format!("/segments/{segment}")).await;
    let marks = select_in(page.root_element(), ".panel.th mark.term");
    assert!(!marks.is_empty());
    assert_eq!(marks[0].value().attr("title"), Some("Gosplan"));
    assert_eq!(texts(&page, ".panel.th mark.term .term-en")[0], "Gosplan");
    assert!(text(marks[0]).starts_with("โกสแปลน"));
    assert_eq!(texts(&page, ".quality .terms strong"), ["Gosplan"]);
    // Readers see the Thai as it is.
    let anonymous = crate::helpers::get_page(&app, &format!("/segments/{segment}")).await;
    assert!(anonymous.select("mark.term").is_empty());
    app.stop().await;
}

#[tokio::test]
async fn markup_in_a_term_is_shown_as_text_on_the_glossary_and_the_editor() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let evil = "<script>alert(1)</script>\"><b>";
    let fields = [
        ("thai", "โกสแปลน"),
        ("english", evil),
        ("note", evil),
        ("status", "approved"),
    ];
    let (status, _) = post_as(&t.reviewer.browser, &app, "/glossary", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = page_as(&t.translator.browser, &app, "/glossary").await;
    assert_eq!(texts(&list, "tr.term td.english"), [evil]);
    assert!(select_in(list.root_element(), "main script, td b").is_empty());
    let segment: Uuid =
        sqlx::query_scalar("SELECT id FROM segments WHERE source_th LIKE '%โกสแปลน%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (_, editor) = page_as(&t.translator.browser, &app, &format!("/segments/{segment}")).await;
    let mark = select_in(editor.root_element(), "mark.term")[0];
    assert_eq!(mark.value().attr("title"), Some(evil));
    assert!(select_in(editor.root_element(), "mark.term b, .quality b").is_empty());
    app.stop().await;
}
