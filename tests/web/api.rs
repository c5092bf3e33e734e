//! The JSON API over HTTP: reading chapters and segments, saving with conflicts, the review
//! workflow from start to end, and its errors.

use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::common::spawn_app;
use crate::helpers::chapter_segments;
use crate::team::{api_get, api_post, member, paragraphs, save, stored_revisions, team, Answer};

fn ids(values: &Value) -> Vec<Uuid> {
    values
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

#[tokio::test]
async fn a_signed_in_user_can_list_the_chapters_with_their_progress() {
    let app = spawn_app().await;
    let tara = member(&app, "tara", "translator").await;

    let answer = api_get(&app, Some(&tara.token), "/api/chapters").await;

    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("application/json"));
    let chapters = answer.json["chapters"].as_array().unwrap();
    let numbers: Vec<i64> = chapters
        .iter()
        .map(|c| c["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [3, 4]);
    for chapter in chapters {
        let number = chapter["number"].as_i64().unwrap() as i32;
        let stored = chapter_segments(&app.db.pool, number).await;
        assert_eq!(chapter["book"], "soviet-history");
        assert_eq!(chapter["segments"], stored.len());
        assert_eq!(chapter["translated_segments"], 0);
        assert_eq!(chapter["approved_segments"], 0);
    }
    app.stop().await;
}

#[tokio::test]
async fn a_chapters_segments_come_in_reading_order_with_their_current_english() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let chapters = api_get(&app, Some(&team.translator.token), "/api/chapters").await;
    let chapter_3 = chapters.json["chapters"][0]["id"].as_str().unwrap();
    let paragraph = paragraphs(&app, 3).await[0];
    let saved = save(&app, &team.translator.token, paragraph, "The text.", None).await;

    let answer = api_get(
        &app,
        Some(&team.translator.token),
        &format!("/api/chapters/{chapter_3}/segments"),
    )
    .await;

    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json["chapter"]["number"], 3);
    let stored = chapter_segments(&app.db.pool, 3).await;
    let expected: Vec<Uuid> = stored.iter().map(|s| s.id).collect();
    assert_eq!(ids(&answer.json["segments"]), expected);
    let segments = answer.json["segments"].as_array().unwrap();
    for (segment, stored) in segments.iter().zip(&stored) {
        assert_eq!(segment["thai"], stored.source_th.as_str());
        assert_eq!(segment["kind"], stored.kind.as_str());
    }
    let row = segments
        .iter()
        .find(|s| s["id"] == paragraph.to_string())
        .unwrap();
    assert_eq!(row["english"], "The text.");
    assert_eq!(row["status"], "draft");
    assert_eq!(row["current_revision"], saved.json["revision"]["id"]);
    let untouched = segments
        .iter()
        .find(|s| s["id"] != paragraph.to_string())
        .unwrap();
    assert_eq!(untouched["english"], Value::Null);
    assert_eq!(untouched["status"], "untranslated");
    assert_eq!(untouched["current_revision"], Value::Null);
    app.stop().await;
}

#[tokio::test]
async fn a_segment_comes_with_its_history_reviews_and_comments() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 4).await[2];
    let first = save(&app, &team.translator.token, paragraph, "First.", None).await;
    let second = save(
        &app,
        &team.translator.token,
        paragraph,
        "Second.",
        Some(first.id("revision")),
    )
    .await;
    let path = format!("/api/segments/{paragraph}");
    api_post(
        &app,
        Some(&team.translator.token),
        &format!("{path}/submit"),
        json!({}),
    )
    .await;
    let decision = json!({ "verdict": "request_changes", "comment": "Say more." });
    let reviewed = api_post(
        &app,
        Some(&team.reviewer.token),
        &format!("{path}/review"),
        decision,
    )
    .await;
    assert_eq!(reviewed.status, StatusCode::OK, "{reviewed:?}");

    let answer = api_get(&app, Some(&team.admin.token), &path).await;

    assert_eq!(answer.status, StatusCode::OK);
    let segment = &answer.json;
    assert_eq!(segment["id"], paragraph.to_string());
    assert_eq!(segment["chapter_number"], 4);
    assert_eq!(segment["english"], "Second.");
    assert_eq!(segment["status"], "changes_requested");
    assert_eq!(segment["current_revision"], second.json["revision"]["id"]);
    assert_eq!(segment["approved_revision"], Value::Null);
    assert_eq!(
        ids(&segment["history"]),
        [second.id("revision"), first.id("revision")],
        "newest first"
    );
    assert_eq!(segment["history"][0]["current"], true);
    assert_eq!(segment["history"][0]["author_name"], "tara");
    assert_eq!(
        segment["history"][0]["base_revision"],
        first.json["revision"]["id"]
    );
    assert_eq!(segment["reviews"][0]["verdict"], "changes_requested");
    assert_eq!(segment["reviews"][0]["reviewer_name"], "rene");
    assert_eq!(segment["comments"][0]["body"], "Say more.");
    assert_eq!(
        segment["comments"][0]["review"],
        segment["reviews"][0]["id"]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_save_on_a_stale_base_is_a_409_with_both_texts_and_both_are_kept() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[1];
    let base = save(&app, &team.translator.token, paragraph, "Base.", None).await;
    assert_eq!(base.status, StatusCode::CREATED);
    let base = base.id("revision");
    let theirs = save(&app, &team.reviewer.token, paragraph, "Theirs.", Some(base)).await;
    assert_eq!(theirs.status, StatusCode::CREATED);

    let mine = save(&app, &team.translator.token, paragraph, "Mine.", Some(base)).await;

    assert_eq!(mine.status, StatusCode::CONFLICT);
    assert_eq!(mine.json["outcome"], "conflict");
    assert!(!mine.error().is_empty());
    assert_eq!(mine.json["mine"]["text"], "Mine.");
    assert_eq!(mine.json["theirs"]["text"], "Theirs.");
    assert_eq!(mine.json["theirs"]["id"], theirs.json["revision"]["id"]);
    let texts: Vec<String> = stored_revisions(&app, paragraph)
        .await
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    assert_eq!(texts, ["Base.", "Theirs.", "Mine."]);
    let segment = api_get(
        &app,
        Some(&team.translator.token),
        &format!("/api/segments/{paragraph}"),
    )
    .await;
    assert_eq!(segment.json["english"], "Theirs.", "theirs stays current");
    app.stop().await;
}

#[tokio::test]
async fn saving_the_current_text_again_is_a_200_that_writes_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[1];
    let first = save(&app, &team.translator.token, paragraph, "Same.", None).await;

    let again = save(
        &app,
        &team.translator.token,
        paragraph,
        "  Same.\n",
        Some(first.id("revision")),
    )
    .await;

    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json["outcome"], "unchanged");
    assert_eq!(again.json["revision"]["id"], first.json["revision"]["id"]);
    assert_eq!(stored_revisions(&app, paragraph).await.len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn two_saves_at_once_on_one_paragraph_are_a_201_and_a_409_and_both_revisions_are_kept() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 4).await[0];
    let first = save(&app, &team.translator.token, paragraph, "Base.", None).await;
    let mut base = first.id("revision");

    for round in 0..5 {
        // Both editors loaded the same revision, and both save at the same moment.
        let (text_a, text_b) = (format!("A{round}"), format!("B{round}"));
        let (a, b) = tokio::join!(
            save(&app, &team.translator.token, paragraph, &text_a, Some(base)),
            save(&app, &team.reviewer.token, paragraph, &text_b, Some(base)),
        );

        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "round {round}"
        );
        let (won, lost) = match a.status {
            StatusCode::CREATED => (a, b),
            _ => (b, a),
        };
        assert_eq!(
            lost.json["theirs"]["id"], won.json["revision"]["id"],
            "round {round}"
        );
        let texts: Vec<String> = stored_revisions(&app, paragraph)
            .await
            .into_iter()
            .map(|(_, text)| text)
            .collect();
        assert!(texts.contains(&format!("A{round}")), "{texts:?}");
        assert!(texts.contains(&format!("B{round}")), "{texts:?}");
        base = won.id("revision");
    }
    let history = api_get(
        &app,
        Some(&team.translator.token),
        &format!("/api/segments/{paragraph}"),
    )
    .await;
    assert_eq!(history.json["history"].as_array().unwrap().len(), 11);
    app.stop().await;
}

#[tokio::test]
async fn the_whole_workflow_runs_through_the_api() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let team = team(&app).await;
    let (tara, rene) = (&team.translator.token, &team.reviewer.token);
    let paragraph = paragraphs(&app, 3).await[3];
    let path = format!("/api/segments/{paragraph}");
    let status = |answer: &Answer| answer.json["status"].as_str().unwrap().to_string();

    let draft = save(&app, tara, paragraph, "A first try.", None).await;
    assert_eq!(draft.status, StatusCode::CREATED);
    let first = draft.id("revision");
    let submitted = api_post(
        &app,
        Some(tara),
        &format!("{path}/submit"),
        json!({ "revision": first }),
    )
    .await;
    assert_eq!(submitted.status, StatusCode::OK, "{submitted:?}");
    assert_eq!(status(&submitted), "submitted");
    let asked = json!({ "verdict": "request_changes", "comment": "Closer to the Thai, please." });
    let changes = api_post(&app, Some(rene), &format!("{path}/review"), asked).await;
    assert_eq!(changes.status, StatusCode::OK, "{changes:?}");
    assert_eq!(status(&changes), "changes_requested");
    assert_eq!(changes.json["review"]["verdict"], "changes_requested");
    assert_eq!(
        changes.json["comment"]["body"],
        "Closer to the Thai, please."
    );
    let redraft = save(&app, tara, paragraph, "A closer try.", Some(first)).await;
    assert_eq!(redraft.status, StatusCode::CREATED);
    let second = redraft.id("revision");
    let reply = json!({ "body": "Done.", "reply_to": changes.json["comment"]["id"] });
    let replied = api_post(&app, Some(tara), &format!("{path}/comments"), reply).await;
    assert_eq!(replied.status, StatusCode::CREATED, "{replied:?}");
    let resubmitted = api_post(
        &app,
        Some(tara),
        &format!("{path}/submit"),
        json!({ "revision": second }),
    )
    .await;
    assert_eq!(status(&resubmitted), "submitted");
    let approve = json!({ "verdict": "approve", "revision": second });
    let approved = api_post(&app, Some(rene), &format!("{path}/review"), approve).await;
    assert_eq!(approved.status, StatusCode::OK, "{approved:?}");
    assert_eq!(status(&approved), "approved");
    assert_eq!(approved.json["comment"], Value::Null);

    let segment = api_get(&app, Some(&team.translator.token), &path)
        .await
        .json;
    assert_eq!(segment["status"], "approved");
    assert_eq!(segment["english"], "A closer try.");
    assert_eq!(segment["approved_revision"], second.to_string());
    let verdicts: Vec<&str> = segment["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["approved", "changes_requested"]);
    assert_eq!(
        segment["comments"][1]["reply_to"],
        segment["comments"][0]["id"]
    );
    let events: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM events WHERE segment_id = $1 ORDER BY id")
            .bind(paragraph)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        events,
        [
            "saved",
            "submitted",
            "changes_requested",
            "saved",
            "commented",
            "submitted",
            "approved"
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn submitting_or_reviewing_a_revision_that_is_no_longer_current_is_a_409() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let path = format!("/api/segments/{paragraph}");
    let old = save(&app, &team.translator.token, paragraph, "Old.", None)
        .await
        .id("revision");
    save(&app, &team.translator.token, paragraph, "New.", Some(old)).await;

    let submit = api_post(
        &app,
        Some(&team.translator.token),
        &format!("{path}/submit"),
        json!({ "revision": old }),
    )
    .await;
    assert_eq!(submit.status, StatusCode::CONFLICT);
    assert!(submit.error().contains("newer revision"), "{submit:?}");
    // Without a revision, the current one is submitted; a reviewer then looks at the old.
    let submitted = api_post(
        &app,
        Some(&team.translator.token),
        &format!("{path}/submit"),
        json!({}),
    )
    .await;
    assert_eq!(submitted.status, StatusCode::OK);
    let approve = json!({ "verdict": "approve", "revision": old });
    let review = api_post(
        &app,
        Some(&team.reviewer.token),
        &format!("{path}/review"),
        approve,
    )
    .await;
    assert_eq!(review.status, StatusCode::CONFLICT);
    let status: String = sqlx::query_scalar("SELECT status FROM segments WHERE id = $1")
        .bind(paragraph)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
    app.stop().await;
}

#[tokio::test]
async fn a_submit_may_be_sent_without_a_body() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    save(&app, &team.translator.token, paragraph, "Text.", None).await;

    let response = app
        .client
        .post(app.url(&format!("/api/segments/{paragraph}/submit")))
        .bearer_auth(&team.translator.token)
        .send()
        .await
        .unwrap();

    let answer = Answer::from(response).await;
    assert_eq!(answer.status, StatusCode::OK, "{answer:?}");
    assert_eq!(answer.json["status"], "submitted");
    app.stop().await;
}

#[tokio::test]
async fn invalid_input_is_a_422_with_a_message_and_changes_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraphs = paragraphs(&app, 3).await;
    let (one, other) = (paragraphs[0], paragraphs[1]);
    let elsewhere = save(&app, &team.translator.token, other, "Other.", None)
        .await
        .id("revision");
    save(&app, &team.translator.token, one, "Text.", None).await;
    api_post(
        &app,
        Some(&team.translator.token),
        &format!("/api/segments/{one}/submit"),
        json!({}),
    )
    .await;
    let before = app.db.fingerprint().await;
    let t = Some(team.translator.token.as_str());
    let r = Some(team.reviewer.token.as_str());
    let revisions = format!("/api/segments/{one}/revisions");
    let review = format!("/api/segments/{one}/review");
    let comments = format!("/api/segments/{one}/comments");
    let cases: Vec<(&str, Option<&str>, &str, Value)> = vec![
        ("empty text", t, &revisions, json!({ "text": " \n " })),
        (
            "text too long",
            t,
            &revisions,
            json!({ "text": "ก".repeat(50_001) }),
        ),
        ("no text", t, &revisions, json!({ "base_revision": null })),
        (
            "text of the wrong type",
            t,
            &revisions,
            json!({ "text": 42 }),
        ),
        (
            "a misspelt field",
            t,
            &revisions,
            json!({ "text": "x", "base_revison": null }),
        ),
        (
            "a base that is no revision id",
            t,
            &revisions,
            json!({ "text": "x", "base_revision": "abc" }),
        ),
        (
            "another segment's revision",
            t,
            &revisions,
            json!({ "text": "x", "base_revision": elsewhere }),
        ),
        (
            "changes without a comment",
            r,
            &review,
            json!({ "verdict": "request_changes" }),
        ),
        (
            "changes with a blank comment",
            r,
            &review,
            json!({ "verdict": "request_changes", "comment": " " }),
        ),
        (
            "an unknown verdict",
            r,
            &review,
            json!({ "verdict": "maybe" }),
        ),
        ("an empty comment", t, &comments, json!({ "body": "" })),
        (
            "a reply to another segment's comment",
            t,
            &comments,
            json!({ "body": "x", "reply_to": Uuid::new_v4() }),
        ),
    ];

    for (case, token, path, body) in cases {
        let answer = api_post(&app, token, path, body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{case}: {answer:?}"
        );
        assert!(!answer.error().is_empty(), "{case}");
    }
    assert_eq!(app.db.fingerprint().await, before);
    let empty = save(&app, &team.translator.token, one, "", None).await;
    assert_eq!(empty.error(), "The translation is empty");
    app.stop().await;
}

#[tokio::test]
async fn malformed_json_and_bodies_that_are_not_json_are_a_400() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let url = app.url(&format!("/api/segments/{paragraph}/revisions"));
    let send = |content_type: &'static str, body: Vec<u8>| {
        app.client
            .post(&url)
            .bearer_auth(&team.translator.token)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let cases: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            "cut short",
            "application/json",
            br#"{"text": "abc"#.to_vec(),
        ),
        ("not JSON", "application/json", b"text=abc".to_vec()),
        ("empty", "application/json", Vec::new()),
        (
            "a form",
            "application/x-www-form-urlencoded",
            b"text=abc".to_vec(),
        ),
        ("no content type", "", br#"{"text": "abc"}"#.to_vec()),
        (
            "invalid UTF-8",
            "application/json",
            b"{\"text\": \"\xff\xfe\"}".to_vec(),
        ),
    ];

    for (case, content_type, body) in cases {
        let answer = Answer::from(send(content_type, body).await.unwrap()).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{case}: {answer:?}");
        assert!(
            answer.content_type.starts_with("application/json"),
            "{case}"
        );
        assert!(!answer.error().is_empty(), "{case}");
    }
    assert!(stored_revisions(&app, paragraph).await.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn changes_need_a_good_token_and_the_right_role() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let path = format!("/api/segments/{paragraph}");
    save(&app, &team.translator.token, paragraph, "Text.", None).await;
    api_post(
        &app,
        Some(&team.translator.token),
        &format!("{path}/submit"),
        json!({}),
    )
    .await;

    let path_revisions = format!("{path}/revisions");
    let anonymous = api_post(&app, None, &path_revisions, json!({ "text": "x" })).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(anonymous.error().contains("API token"), "{anonymous:?}");
    let bad_token = format!("plae_{}", "0".repeat(64));
    let unknown = save(&app, &bad_token, paragraph, "x", None).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let unknown_read = api_get(&app, Some(&bad_token), "/api/chapters").await;
    assert_eq!(
        unknown_read.status,
        StatusCode::UNAUTHORIZED,
        "a bad token is not anonymous"
    );
    let verdict = json!({ "verdict": "approve" });
    let translator = api_post(
        &app,
        Some(&team.translator.token),
        &format!("{path}/review"),
        verdict,
    )
    .await;
    assert_eq!(translator.status, StatusCode::FORBIDDEN);
    assert!(translator.error().contains("review"), "{translator:?}");
    app.stop().await;
}

#[tokio::test]
async fn a_browser_session_cannot_post_to_the_api_without_its_csrf_header() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let paragraph = paragraphs(&app, 3).await[0];
    let url = app.url(&format!("/api/segments/{paragraph}/revisions"));
    let browser = &team.translator.browser;
    let before = app.db.fingerprint().await;

    let forged = browser
        .client
        .post(&url)
        .json(&json!({ "text": "Forged." }))
        .send()
        .await
        .unwrap();
    let wrong = browser
        .client
        .post(&url)
        .header("X-CSRF-Token", "0".repeat(64))
        .json(&json!({ "text": "Forged." }))
        .send()
        .await
        .unwrap();

    for response in [forged, wrong] {
        let answer = Answer::from(response).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{answer:?}");
        assert!(
            answer.error().contains("did not come from this site"),
            "{answer:?}"
        );
    }
    assert_eq!(app.db.fingerprint().await, before);
    // The site's own scripts send the session's token, and may save.
    let own = browser
        .client
        .post(&url)
        .header("X-CSRF-Token", &browser.csrf)
        .json(&json!({ "text": "Mine." }))
        .send()
        .await
        .unwrap();
    assert_eq!(own.status(), StatusCode::CREATED);
    app.stop().await;
}

#[tokio::test]
async fn unknown_paths_methods_and_ids_answer_in_json() {
    let app = spawn_app().await;
    let tara = member(&app, "tara", "translator").await;
    let paragraph = paragraphs(&app, 3).await[0];
    let cases = [
        (
            "GET",
            "/api/nothing-here".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (
            "GET",
            "/api/segments/not-an-id".to_string(),
            StatusCode::NOT_FOUND,
        ),
        (
            "GET",
            format!("/api/segments/{}", Uuid::new_v4()),
            StatusCode::NOT_FOUND,
        ),
        (
            "GET",
            format!("/api/chapters/{}/segments", Uuid::new_v4()),
            StatusCode::NOT_FOUND,
        ),
        (
            "DELETE",
            format!("/api/segments/{paragraph}"),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        (
            "GET",
            format!("/api/segments/{paragraph}/revisions"),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
    ];

    for (method, path, expected) in cases {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = app
            .client
            .request(method.clone(), app.url(&path))
            .bearer_auth(&tara.token)
            .send()
            .await
            .unwrap();
        let answer = Answer::from(response).await;
        assert_eq!(answer.status, expected, "{method} {path}");
        assert!(
            answer.content_type.starts_with("application/json"),
            "{method} {path}: {answer:?}"
        );
        assert!(!answer.error().is_empty());
    }
    let missing = api_post(
        &app,
        None,
        &format!("/api/segments/{}/comments", Uuid::new_v4()),
        json!({ "body": "x" }),
    )
    .await;
    assert_eq!(
        missing.status,
        StatusCode::UNAUTHORIZED,
        "who asks comes first"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_comment_on_a_missing_segment_is_a_404() {
    let app = spawn_app().await;
    let team = team(&app).await;

    let answer = api_post(
        &app,
        Some(&team.translator.token),
        &format!("/api/segments/{}/comments", Uuid::new_v4()),
        json!({ "body": "Hello" }),
    )
    .await;

    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(answer.error(), "No such segment");
    app.stop().await;
}

#[tokio::test]
async fn every_api_request_needs_a_signed_in_user_reads_included() {
    let app = spawn_app().await;
    let paragraph = paragraphs(&app, 3).await[0];
    let chapter: Uuid = sqlx::query_scalar("SELECT chapter_id FROM segments WHERE id = $1")
        .bind(paragraph)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let reads = [
        "/api/chapters".to_string(),
        format!("/api/chapters/{chapter}/segments"),
        format!("/api/segments/{paragraph}"),
    ];

    for path in reads {
        let answer = api_get(&app, None, &path).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(
            answer.content_type.starts_with("application/json"),
            "{path}"
        );
        assert!(answer.error().contains("API token"), "{path}");
    }
    app.stop().await;
}
