//! Quality checks over HTTP: findings on the editor after a save, counts on the chapter
//! page, dismissals (who may, with a reason, recorded), and approval blocked by an error.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::common::spawn_app;
use crate::glossary::{page_as, post_as};
use crate::helpers::{chapter_path, select_in, text};
use crate::team::{api_post, save, team};

/// The segment whose Thai matches `pattern` (SQL LIKE).
async fn segment_like(app: &crate::common::TestApp, pattern: &str) -> (Uuid, String) {
    sqlx::query_as(
        "SELECT id, source_th FROM segments WHERE source_th LIKE $1 ORDER BY position LIMIT 1",
    )
    .bind(pattern)
    .fetch_one(&app.db.pool)
    .await
    .unwrap_or_else(|e| panic!("a segment like {pattern}: {e}"))
}

/// (check id, severity class) of the open findings on a segment's editor.
fn findings(page: &scraper::Html) -> Vec<(String, String, String)> {
    select_in(page.root_element(), ".quality li.finding")
        .into_iter()
        .map(|li| {
            let class = li.value().attr("class").unwrap_or_default();
            let severity = if class.contains("error") {
                "error"
            } else {
                "warning"
            };
            (
                li.value()
                    .attr("data-check")
                    .unwrap_or_default()
                    .to_string(),
                severity.to_string(),
                text(li),
            )
        })
        .collect()
}

#[tokio::test]
async fn after_a_save_the_editor_shows_a_missing_year_a_missing_footnote_and_flags_kirov() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let tara = &t.translator.browser;
    let (kirov, thai) = segment_like(&app, "%(S.M. Kirov)%").await;
    assert!(thai.contains("1934"));

    // Before any English: the Thai's own finding, the Arabic letters in คีروف.
    let (_, page) = page_as(tara, &app, &format!("/segments/{kirov}")).await;
    let found = findings(&page);
    let source = found
        .iter()
        .find(|f| f.0 == "source.other_script")
        .expect("คีروف flagged");
    assert!(source.2.contains("คีروف"), "{source:?}");
    assert!(source.2.contains("Arabic"), "{source:?}");

    // A save without the year: the editor the translator lands on says so.
    let (status, _) = post_as(
        tara,
        &app,
        &format!("/segments/{kirov}/save"),
        &[
            (
                "text",
                "In January he spoke; Kirov (S.M. Kirov) proposed a truce.",
            ),
            ("base", ""),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = page_as(tara, &app, &format!("/segments/{kirov}")).await;
    let numbers = findings(&page)
        .into_iter()
        .find(|f| f.0 == "numbers")
        .expect("numbers");
    assert_eq!(numbers.1, "error");
    assert!(numbers.2.contains("1934"), "{numbers:?}");

    // A footnote reference left out.
    let (noted, thai) = segment_like(&app, "%[^%]%").await;
    let english = format!("Translated, without its note. {}", years_of(&thai));
    save(&app, &t.translator.token, noted, &english, None).await;
    let (_, page) = page_as(tara, &app, &format!("/segments/{noted}")).await;
    let footnotes = findings(&page)
        .into_iter()
        .find(|f| f.0 == "footnotes")
        .expect("footnotes");
    assert_eq!(footnotes.1, "error");
    assert!(
        footnotes.2.contains("missing from the English: [^"),
        "{footnotes:?}"
    );
    app.stop().await;
}

/// The numbers of a Thai text, written as an English text would (to isolate other checks).
fn years_of(thai: &str) -> String {
    plae::checks::numbers(thai)
        .into_iter()
        .map(|n| n.value)
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn the_chapter_page_counts_findings_and_a_dismissal_is_recorded_and_counted() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let tara = &t.translator.browser;
    let (kirov, _) = segment_like(&app, "%(S.M. Kirov)%").await;
    let row_counts = |page: &scraper::Html| {
        select_in(page.root_element(), &format!("#s-{kirov} .check-counts"))
            .first()
            .map(|e| text(*e))
    };
    let (_, page) = page_as(tara, &app, &chapter_path(4)).await;
    assert_eq!(row_counts(&page).as_deref(), Some("1 in the Thai"));
    let totals = text(select_in(page.root_element(), ".check-totals")[0]);
    assert!(totals.contains("0 errors"), "{totals}");

    // A reason is required.
    let path = format!("/segments/{kirov}/checks/source.other_script/dismiss");
    let (status, _) = post_as(tara, &app, &path, &[("reason", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let reason = "The source editor will correct the name.";
    let (status, _) = post_as(tara, &app, &path, &[("reason", reason)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let recorded: (String, String) = sqlx::query_as(
        "SELECT d.reason, u.username FROM check_dismissals d JOIN users u ON u.id = d.dismissed_by
          WHERE d.segment_id = $1 AND d.check_id = 'source.other_script'",
    )
    .bind(kirov)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(recorded, (reason.to_string(), "tara".to_string()));

    // The cached chapter page knows (content_version), and the editor lists the dismissal.
    let (_, page) = page_as(tara, &app, &chapter_path(4)).await;
    assert_eq!(row_counts(&page), None);
    let (_, editor) = page_as(tara, &app, &format!("/segments/{kirov}")).await;
    assert!(findings(&editor)
        .iter()
        .all(|f| f.0 != "source.other_script"));
    let dismissed = text(select_in(editor.root_element(), ".quality .dismissed li")[0]);
    assert!(
        dismissed.contains("tara") && dismissed.contains(reason),
        "{dismissed}"
    );

    // An unknown check is no page.
    let (status, _) = post_as(
        tara,
        &app,
        &format!("/segments/{kirov}/checks/no_such_check/dismiss"),
        &[("reason", "x")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn an_error_blocks_approval_until_a_reviewer_dismisses_it() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let (kirov, _) = segment_like(&app, "%(S.M. Kirov)%").await;
    let saved = save(
        &app,
        &t.translator.token,
        kirov,
        "Kirov (S.M. Kirov) spoke.",
        None,
    )
    .await;
    let revision = saved.id("revision");
    let submit = api_post(
        &app,
        Some(&t.translator.token),
        &format!("/api/segments/{kirov}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(submit.status, StatusCode::OK);

    // The page: refused with the reason, the segment still submitted.
    let (status, body) = post_as(
        &t.reviewer.browser,
        &app,
        &format!("/segments/{kirov}/review"),
        &[("revision", &revision.to_string()), ("verdict", "approve")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("cannot be approved while the checks find errors"),
        "{body}"
    );
    assert!(body.contains("1934"));
    // The API: 422 with the findings.
    let review = format!("/api/segments/{kirov}/review");
    let approve = json!({ "verdict": "approve", "revision": revision });
    let refused = api_post(&app, Some(&t.reviewer.token), &review, approve.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ids: Vec<&str> = refused.json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"numbers"), "{:?}", refused.json);
    assert!(refused.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] == "error"));
    let status: String = sqlx::query_scalar("SELECT status FROM segments WHERE id = $1")
        .bind(kirov)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted");

    // A translator may not dismiss an error; a reviewer may, with a reason.
    for id in &ids {
        let path = format!("/segments/{kirov}/checks/{id}/dismiss");
        let fields = [("reason", "Checked against the printed book.")];
        let (status, _) = post_as(&t.translator.browser, &app, &path, &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = post_as(&t.reviewer.browser, &app, &path, &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let approved = api_post(&app, Some(&t.reviewer.token), &review, approve).await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.json);
    assert_eq!(approved.json["status"], "approved");
    app.stop().await;
}

#[tokio::test]
async fn an_admin_can_let_errors_through_approval() {
    let app = spawn_app().await;
    let t = team(&app).await;
    let (status, page) = page_as(&t.admin.browser, &app, "/admin/settings").await;
    assert_eq!(status, StatusCode::OK);
    let checkbox = select_in(page.root_element(), "input[name=block_approval_on_errors]");
    assert!(
        checkbox[0].value().attr("checked").is_some(),
        "on by default"
    );
    let (status, _) = post_as(
        &t.admin.browser,
        &app,
        "/admin/settings",
        &[("claim_expiry_minutes", "120")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (kirov, _) = segment_like(&app, "%(S.M. Kirov)%").await;
    let revision = save(&app, &t.translator.token, kirov, "Kirov spoke.", None)
        .await
        .id("revision");
    api_post(
        &app,
        Some(&t.translator.token),
        &format!("/api/segments/{kirov}/submit"),
        json!({}),
    )
    .await;
    let approve = json!({ "verdict": "approve", "revision": revision });
    let approved = api_post(
        &app,
        Some(&t.reviewer.token),
        &format!("/api/segments/{kirov}/review"),
        approve,
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{:?}", approved.json);
    app.stop().await;
}
