//! Importing an existing translation over HTTP, as a volunteer would: upload the English of
//! chapter 3 (with paragraphs merged, missing and a note added), check and fix the pairing
//! on the review page, accept it into drafts without touching work already in Plae; bad
//! uploads refused with a message and nothing changed; someone else's alignment unseen.

use reqwest::StatusCode;
use scraper::Html;
use serde_json::Value;
use uuid::Uuid;

use crate::common::TestApp;
use crate::helpers::{chapter_path, chapter_segments, select_in, text, translate};
use crate::team::{member, Member};

/// The English of chapter 3's segments 5 to 20, translated for the aligner's tests.
const ENGLISH: &str = include_str!("../align/chapter3-en.txt");

/// A `multipart/form-data` body as a browser sends it: fields, then a file.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----plaeTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, who: &Member, name: &str, bytes: &[u8]) -> reqwest::Response {
    let (content_type, body) = multipart(
        &[("csrf", &who.browser.csrf), ("text", "")],
        Some((name, bytes)),
    );
    who.browser
        .client
        .post(app.url(&format!("{}/align", chapter_path(3))))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("POST the upload")
}

/// A pending alignment of chapter 3 for a user, made as the upload form makes it.
pub async fn pending_alignment(pool: &sqlx::PgPool, user_id: Uuid) -> Uuid {
    let chapter: Uuid = sqlx::query_scalar("SELECT id FROM chapters WHERE number = 3")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    plae::aligning::start(&mut conn, user_id, chapter, "ch3.txt", ENGLISH.as_bytes())
        .await
        .unwrap()
        .expect("the fixture aligns")
}

async fn beads(app: &TestApp, id: Uuid) -> Vec<(Vec<usize>, Vec<usize>)> {
    let beads: Value = sqlx::query_scalar("SELECT beads FROM alignments WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let list = |v: &Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_u64().unwrap() as usize)
            .collect()
    };
    beads
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (list(&b["th"]), list(&b["en"])))
        .collect()
}

async fn post_form(
    app: &TestApp,
    who: &Member,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = fields.to_vec();
    fields.push(("csrf", &who.browser.csrf));
    who.browser
        .client
        .post(app.url(path))
        .form(&fields)
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, who: &Member, path: &str) -> (StatusCode, Html) {
    let response = who.browser.client.get(app.url(path)).send().await.unwrap();
    let status = response.status();
    (
        status,
        Html::parse_document(&response.text().await.unwrap()),
    )
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The current English and the note of its revision.
async fn english_of(app: &TestApp, segment: Uuid) -> Option<(String, Option<String>)> {
    sqlx::query_as("SELECT r.text, r.note FROM segments s JOIN revisions r ON r.id = s.current_revision_id WHERE s.id = $1")
        .bind(segment)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_uploaded_translation_is_aligned_fixed_and_accepted_into_drafts() {
    let app = crate::common::spawn_app().await;
    let volunteer = member(&app, "vera", "translator").await;
    let segments = chapter_segments(&app.db.pool, 3).await;
    let english: Vec<&str> = ENGLISH.split("\n\n").map(str::trim).collect();
    // Work already in Plae: a draft of segment 10 and approved text of segment 11.
    translate(&app.db.pool, segments[10].id, "Someone's draft.", "draft").await;
    translate(&app.db.pool, segments[11].id, "Approved text.", "approved").await;
    // The volunteer's file: paragraphs 2 and 3 written as one, a note after 5, 9 missing.
    let mut file: Vec<String> = Vec::new();
    for (i, p) in english.iter().enumerate() {
        match i {
            3 => {
                let joined = format!("{} {}", file.pop().unwrap(), p);
                file.push(joined);
            }
            9 => {}
            _ => file.push(p.to_string()),
        }
        if i == 5 {
            file.push(
                "[Translator's note: Lenin's testament was read to the delegates in 1924.]".into(),
            );
        }
    }
    let before = app.db.fingerprint().await;

    let (_, chapter) = page(&app, &volunteer, &chapter_path(3)).await;
    let link = format!("a[href='{}/align']", chapter_path(3));
    assert_eq!(
        select_in(chapter.root_element(), &link).len(),
        1,
        "the chapter page links to the import"
    );
    let (status, form) = page(&app, &volunteer, &format!("{}/align", chapter_path(3))).await;
    assert_eq!(status, 200);
    assert_eq!(
        select_in(
            form.root_element(),
            "form[enctype='multipart/form-data'] input[type=file]"
        )
        .len(),
        1
    );
    let response = upload(
        &app,
        &volunteer,
        "chapter-3.txt",
        file.join("\n\n").as_bytes(),
    )
    .await;
    assert_eq!(response.status(), 303);
    let review = location(&response);
    let id: Uuid = review.trim_start_matches("/alignments/").parse().unwrap();
    assert_eq!(
        app.db.fingerprint().await,
        before,
        "nothing is saved before accepting"
    );

    // The pairing: segment 5 (the heading) with paragraph 0, 7 and 8 with the joined
    // paragraph 2, the note alone, segment 14 without English.
    let found = beads(&app, id).await;
    assert!(found.contains(&(vec![5], vec![0])), "{found:?}");
    assert!(found.contains(&(vec![7, 8], vec![2])), "{found:?}");
    assert!(
        found.contains(&(vec![], vec![5])),
        "the note stands alone: {found:?}"
    );
    assert!(found.contains(&(vec![14], vec![])), "{found:?}");
    assert!(found.contains(&(vec![15], vec![9])), "{found:?}");
    let (status, html) = page(&app, &volunteer, &review).await;
    assert_eq!(status, 200);
    assert_eq!(select_in(html.root_element(), "li.bead").len(), found.len());
    assert_eq!(
        select_in(html.root_element(), "input[type=radio][value=add]").len(),
        2,
        "two conflicts"
    );

    // A fix and its undoing: segment 6's bead marked unmatched, then its English moved back.
    let at = found.iter().position(|b| b.0 == vec![6]).unwrap();
    let done = post_form(
        &app,
        &volunteer,
        &format!("{review}/edit"),
        &[
            ("bead", &at.to_string()),
            ("action", "unmatch"),
            ("version", "1"),
        ],
    )
    .await;
    assert_eq!(done.status(), 303);
    let unmatched = beads(&app, id).await;
    assert_eq!(unmatched[at], (vec![6], vec![]));
    assert_eq!(unmatched[at + 1], (vec![], vec![1]));
    let stale = post_form(
        &app,
        &volunteer,
        &format!("{review}/edit"),
        &[("bead", "0"), ("action", "join"), ("version", "1")],
    )
    .await;
    assert_eq!(
        stale.status(),
        409,
        "a form from before the last fix is refused"
    );
    let next = (at + 1).to_string();
    let done = post_form(
        &app,
        &volunteer,
        &format!("{review}/edit"),
        &[("bead", &next), ("action", "english-up"), ("version", "2")],
    )
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(beads(&app, id).await, found);

    // Accept: segment 11's approved text gets the import as a newer draft; 10 keeps its draft.
    let choice = format!("choice-{}", segments[11].id);
    let done = post_form(
        &app,
        &volunteer,
        &format!("{review}/accept"),
        &[("version", "3"), (&choice, "add")],
    )
    .await;
    assert_eq!(done.status(), 303, "{:?}", done.text().await);
    let (_, html) = page(&app, &volunteer, &location(&done)).await;
    let notice = text(select_in(html.root_element(), ".notice")[0]);
    assert!(notice.starts_with("Accepted:"), "{notice}");

    let (text6, note6) = english_of(&app, segments[6].id).await.unwrap();
    assert_eq!(text6, english[1]);
    assert!(note6
        .unwrap()
        .starts_with("imported from chapter-3.txt on "));
    let (text7, _) = english_of(&app, segments[7].id).await.unwrap();
    let (text8, _) = english_of(&app, segments[8].id).await.unwrap();
    assert_eq!(
        format!("{text7} {text8}"),
        format!("{} {}", english[2], english[3]),
        "the joined paragraph divided at a sentence end"
    );
    assert_eq!(
        english_of(&app, segments[10].id).await.unwrap().0,
        "Someone's draft."
    );
    assert_eq!(
        english_of(&app, segments[11].id).await.unwrap().0,
        english[6]
    );
    let approved: Option<String> = sqlx::query_scalar("SELECT r.text FROM segments s JOIN revisions r ON r.id = s.approved_revision_id WHERE s.id = $1")
        .bind(segments[11].id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        approved.as_deref(),
        Some("Approved text."),
        "readers still see the approved text"
    );
    assert_eq!(english_of(&app, segments[14].id).await, None);
    assert_eq!(english_of(&app, segments[4].id).await, None);
    let author: Uuid = sqlx::query_scalar("SELECT r.author_id FROM segments s JOIN revisions r ON r.id = s.current_revision_id WHERE s.id = $1")
        .bind(segments[6].id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(author, volunteer.id);

    let again = post_form(
        &app,
        &volunteer,
        &format!("{review}/accept"),
        &[("version", "3")],
    )
    .await;
    assert_eq!(again.status(), 409, "accepted once only");
    app.stop().await;
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_message_and_change_nothing() {
    let app = crate::common::spawn_app().await;
    let volunteer = member(&app, "vera", "translator").await;
    let thai = include_str!("../align/chapter3-th.txt");
    let too_many = "A paragraph.\n\n".repeat(33 * 10 + 1);
    let cases: [(&str, &[u8], &str); 5] = [
        ("empty.txt", b"", "The text is empty"),
        ("blank.txt", b"\n \n\n", "The text is empty"),
        (
            "latin1.txt",
            b"Caf\xe9 society in 1921.",
            "not plain text: not valid UTF-8",
        ),
        ("thai.txt", thai.as_bytes(), "This text is Thai"),
        (
            "long.txt",
            too_many.as_bytes(),
            "331 paragraphs, more than 330",
        ),
    ];
    let before = app.db.fingerprint().await;
    for (name, bytes, message) in cases {
        let response = upload(&app, &volunteer, name, bytes).await;
        assert_eq!(response.status(), 422, "{name}");
        let html = Html::parse_document(&response.text().await.unwrap());
        let shown = text(select_in(html.root_element(), ".form-error")[0]);
        assert!(shown.contains(message), "{name}: {shown}");
    }
    let docx = upload(&app, &volunteer, "ch3.docx", b"PK\x03\x04\x14\x00rest").await;
    assert_eq!(docx.status(), 422);
    assert_eq!(app.db.fingerprint().await, before);
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM alignments")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0, "no alignment was stored");
    app.stop().await;
}

#[tokio::test]
async fn an_alignment_is_its_uploaders_alone() {
    let app = crate::common::spawn_app().await;
    let owner = member(&app, "vera", "translator").await;
    let admin = member(&app, "ada", "admin").await;
    let id = pending_alignment(&app.db.pool, owner.id).await;
    let review = format!("/alignments/{id}");
    assert_eq!(page(&app, &owner, &review).await.0, 200);
    assert_eq!(page(&app, &admin, &review).await.0, 404);
    let before = beads(&app, id).await;
    for (path, fields) in [
        (
            format!("{review}/edit"),
            vec![("bead", "0"), ("action", "join"), ("version", "1")],
        ),
        (format!("{review}/accept"), vec![("version", "1")]),
        (format!("{review}/discard"), vec![]),
    ] {
        let response = post_form(&app, &admin, &path, &fields).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    assert_eq!(beads(&app, id).await, before);
    let accepted: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("SELECT accepted_at FROM alignments WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(accepted, None);
    app.stop().await;
}
