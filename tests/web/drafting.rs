//! The editor in the browser: saving, submitting, history, restoring, conflicts, and what
//! anonymous readers see.

use crate::browsing::{location, notice_of, person, read, segment_of, Person};
use crate::common::{spawn_app, TestApp};
use crate::helpers::{chapter_path, chapter_segments, get_page, href, select_in, text, Page};
use uuid::Uuid;

/// The live paragraphs of a chapter, in reading order.
pub async fn paragraphs(app: &TestApp, chapter: i32) -> Vec<Uuid> {
    chapter_segments(&app.db.pool, chapter)
        .await
        .into_iter()
        .filter(|s| s.kind == "paragraph")
        .map(|s| s.id)
        .collect()
}

pub fn segment_path(id: Uuid) -> String {
    format!("/segments/{id}")
}

/// The text in the editor, exactly.
pub fn editor_text(page: &Page) -> String {
    page.one("form.editor textarea[name=text]").text().collect()
}

pub fn base_of(page: &Page) -> String {
    page.one("form.editor input[name=base]")
        .value()
        .attr("value")
        .unwrap()
        .to_string()
}

/// The status badge of a segment's page.
pub fn status_of(page: &Page) -> String {
    text(page.select(".segment-facts .badge")[0])
}

/// Saves `english` from the segment's editor, with `intent` (`save` or `submit`).
pub async fn save(app: &TestApp, who: &Person, id: Uuid, english: &str, intent: &str) -> Page {
    let editor = who.get(app, &segment_path(id)).await;
    who.submit_and_follow(
        app,
        &editor,
        "form.editor",
        &[("text", english), ("intent", intent)],
    )
    .await
}

/// The current English of a segment, from the database.
pub async fn current_text(app: &TestApp, id: Uuid) -> Option<String> {
    sqlx::query_scalar(
        "SELECT r.text FROM segments s LEFT JOIN revisions r ON r.id = s.current_revision_id
          WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_translator_and_a_reviewer_take_a_paragraph_from_draft_to_approved_in_the_browser() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = paragraphs(&app, 4).await[1];
    let path = segment_path(id);

    // The chapter page links to the editor.
    let chapter = tara.get(&app, &chapter_path(4)).await;
    let row = chapter.one(&format!("li[id='s-{id}']"));
    assert_eq!(href(select_in(row, "a.edit")[0]), path);
    let editor = tara.get(&app, &path).await;
    assert_eq!(base_of(&editor), "", "no English yet: no base revision");
    assert_eq!(editor_text(&editor), "");

    let saved = tara
        .submit_and_follow(
            &app,
            &editor,
            "form.editor",
            &[("text", "Victor Serge compared."), ("intent", "save")],
        )
        .await;
    assert_eq!(
        notice_of(&saved),
        "Saved. The new revision is in the history."
    );
    assert_eq!(status_of(&saved), "Draft");
    assert_eq!(editor_text(&saved), "Victor Serge compared.");
    assert_ne!(
        base_of(&saved),
        "",
        "the editor now starts from that revision"
    );
    let history = tara.get(&app, &format!("{path}/history")).await;
    assert_eq!(history.select("tr.revision").len(), 1);

    let submitted = tara
        .submit_and_follow(
            &app,
            &saved,
            "form.editor",
            &[
                ("text", "Victor Serge compared Stalin."),
                ("intent", "submit"),
            ],
        )
        .await;
    assert_eq!(notice_of(&submitted), "Submitted for review.");
    assert_eq!(status_of(&submitted), "Submitted");
    assert!(
        submitted.select("#review form").is_empty(),
        "a translator gets no review forms"
    );

    let to_review = rene.get(&app, &path).await;
    let changes = rene
        .submit_and_follow(
            &app,
            &to_review,
            "form.request-changes",
            &[
                ("comment", "Say whom he compared him to."),
                ("verdict", "request_changes"),
            ],
        )
        .await;
    assert_eq!(status_of(&changes), "Changes requested");

    let back = tara.get(&app, &path).await;
    let thread = back.one(".thread");
    assert_eq!(
        text(select_in(thread, ".comment-body")[0]),
        "Say whom he compared him to."
    );
    assert_eq!(
        text(select_in(thread, ".badge.verdict")[0]),
        "Requested changes"
    );
    assert_eq!(text(select_in(thread, ".author")[0]), "rene");

    let final_text = "Victor Serge compared Stalin to a grey blur.";
    let resubmitted = tara
        .submit_and_follow(
            &app,
            &back,
            "form.editor",
            &[("text", final_text), ("intent", "submit")],
        )
        .await;
    assert_eq!(status_of(&resubmitted), "Submitted");

    let to_review = rene.get(&app, &path).await;
    let approved = rene
        .submit_and_follow(&app, &to_review, "form.approve", &[("verdict", "approve")])
        .await;
    assert_eq!(notice_of(&approved), "Approved.");
    assert_eq!(status_of(&approved), "Approved");

    for page in [
        get_page(&app, &chapter_path(4)).await,
        tara.get(&app, &chapter_path(4)).await,
    ] {
        let row = page.one(&format!("li[id='s-{id}']"));
        assert_eq!(text(select_in(row, r#".cell[lang="en"]"#)[0]), final_text);
        assert_eq!(text(select_in(row, ".badge")[0]), "Approved");
    }
    let history = tara.get(&app, &format!("{path}/history")).await;
    assert_eq!(history.select("tr.revision").len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn two_people_saving_from_the_same_base_lose_nothing_and_keep_mine_makes_mine_current() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let id = paragraphs(&app, 3).await[0];
    let path = segment_path(id);
    let taras_editor = tara.get(&app, &path).await;
    let malis_editor = mali.get(&app, &path).await;

    tara.submit_and_follow(
        &app,
        &taras_editor,
        "form.editor",
        &[("text", "The New Economic Policy began in 1921.")],
    )
    .await;
    let response = mali
        .submit(
            &app,
            &malis_editor,
            "form.editor",
            &[("text", "NEP started in the spring of 1921.")],
        )
        .await;

    assert_eq!(response.status(), 409);
    let conflict = read(response).await;
    assert_eq!(
        text(conflict.one(".panel.mine .text")),
        "NEP started in the spring of 1921."
    );
    assert_eq!(
        text(conflict.one(".panel.theirs .text")),
        "The New Economic Policy began in 1921."
    );
    assert!(!conflict.select(".diff del").is_empty());
    assert!(!conflict.select(".diff ins").is_empty());
    assert_eq!(
        href(conflict.one(".keep-theirs a")),
        format!("{path}?done=kept_theirs")
    );
    let merge = conflict.one("form.merge");
    assert_eq!(
        select_in(merge, "textarea")[0].text().collect::<String>(),
        "NEP started in the spring of 1921.",
        "a merge starts from my text"
    );
    let theirs_id = select_in(merge, "input[name=base]")[0]
        .value()
        .attr("value")
        .unwrap()
        .to_string();
    assert_eq!(
        current_text(&app, id).await.as_deref(),
        Some("The New Economic Policy began in 1921.")
    );

    let history = mali.get(&app, &format!("{path}/history")).await;
    let texts: Vec<String> = history
        .select("tr.revision .revision-text p[lang=en]")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        texts,
        [
            "NEP started in the spring of 1921.",
            "The New Economic Policy began in 1921."
        ]
    );

    let kept = mali
        .submit_and_follow(&app, &conflict, "form.keep-mine", &[])
        .await;
    assert_eq!(
        notice_of(&kept),
        "Your text is the current text; the other one stays in the history."
    );
    assert_eq!(editor_text(&kept), "NEP started in the spring of 1921.");
    assert_eq!(
        current_text(&app, id).await.as_deref(),
        Some("NEP started in the spring of 1921.")
    );
    let based_on: Option<Uuid> = sqlx::query_scalar(
        "SELECT r.base_revision_id FROM segments s JOIN revisions r
             ON r.id = s.current_revision_id WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(based_on.map(|b| b.to_string()), Some(theirs_id));
    app.stop().await;
}

#[tokio::test]
async fn a_merge_edited_on_the_conflict_page_is_saved_on_top_of_theirs() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let id = paragraphs(&app, 3).await[2];
    let malis_editor = mali.get(&app, &segment_path(id)).await;
    save(&app, &tara, id, "Theirs.", "save").await;
    let conflict = read(
        mali.submit(&app, &malis_editor, "form.editor", &[("text", "Mine.")])
            .await,
    )
    .await;
    assert_eq!(conflict.status, 409);

    let merged = mali
        .submit_and_follow(
            &app,
            &conflict,
            "form.merge",
            &[("text", "Theirs and mine.")],
        )
        .await;

    assert_eq!(
        notice_of(&merged),
        "Saved. The new revision is in the history."
    );
    assert_eq!(
        current_text(&app, id).await.as_deref(),
        Some("Theirs and mine.")
    );
    app.stop().await;
}

#[tokio::test]
async fn an_empty_or_too_long_translation_comes_back_in_the_form_with_the_reason_and_422() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let id = paragraphs(&app, 4).await[0];
    let editor = tara.get(&app, &segment_path(id)).await;
    let too_long = "word ".repeat(10_001);

    for (typed, reason) in [
        ("   \n  ", "The translation is empty."),
        (
            too_long.as_str(),
            "The translation is 50004 characters long; the limit is 50000.",
        ),
    ] {
        let response = tara
            .submit(&app, &editor, "form.editor", &[("text", typed)])
            .await;

        assert_eq!(response.status(), 422);
        let page = read(response).await;
        assert_eq!(notice_of(&page), reason);
        assert_eq!(
            editor_text(&page).trim(),
            typed.trim(),
            "the text typed is not lost"
        );
    }
    assert_eq!(current_text(&app, id).await, None);
    app.stop().await;
}

#[tokio::test]
async fn history_compares_any_two_revisions_and_restores_an_old_one_as_a_new_revision() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let id = paragraphs(&app, 4).await[2];
    let path = segment_path(id);
    for english in [
        "The first plan.",
        "The second plan.",
        "The third plan, longer.",
    ] {
        save(&app, &tara, id, english, "save").await;
    }

    let history = tara.get(&app, &format!("{path}/history")).await;
    assert_eq!(
        text(history.one(".compare h2")),
        "Revision 2 → revision 3",
        "by default the previous and the current revision"
    );
    let deleted: Vec<String> = history
        .select(".compare del")
        .into_iter()
        .map(text)
        .collect();
    let inserted: Vec<String> = history
        .select(".compare ins")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(deleted, ["second"]);
    assert_eq!(inserted, ["third", ", longer"]);

    let ids: Vec<String> = history
        .select("tr.revision")
        .into_iter()
        .map(|row| row.value().id().unwrap()[2..].to_string())
        .collect();
    let chosen = tara
        .get(
            &app,
            &format!("{path}/history?from={}&to={}", ids[0], ids[2]),
        )
        .await;
    assert_eq!(
        text(chosen.one(".compare h2")),
        "Revision 1 → revision 3",
        "older first, whichever way they were picked"
    );
    let checked = chosen.one("input[name=from][checked]");
    assert_eq!(checked.value().attr("value"), Some(ids[2].as_str()));

    let restored = tara
        .submit_and_follow(&app, &history, &format!("form#restore-{}", ids[2]), &[])
        .await;
    assert_eq!(notice_of(&restored), "Restored, as a new revision.");
    assert_eq!(editor_text(&restored), "The first plan.");
    let history = tara.get(&app, &format!("{path}/history")).await;
    assert_eq!(history.select("tr.revision").len(), 4);
    let newest = history.select("tr.revision")[0];
    assert!(
        text(select_in(newest, ".note")[0]).starts_with("restored from the revision of"),
        "{}",
        text(newest)
    );
    app.stop().await;
}

#[tokio::test]
async fn submitting_with_next_untranslated_opens_the_next_untranslated_segment() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let segments = chapter_segments(&app.db.pool, 4).await;
    let (here, translated, next) = (segments[3].id, segments[4].id, segments[5].id);
    save(&app, &tara, translated, "Already drafted.", "save").await;
    let editor = tara.get(&app, &segment_path(here)).await;

    let response = tara
        .submit(
            &app,
            &editor,
            "form.editor",
            &[
                ("text", "A text to submit."),
                ("intent", "submit"),
                ("next", "untranslated"),
            ],
        )
        .await;

    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert_eq!(segment_of(&to), next, "the drafted one is skipped");
    let page = tara.get(&app, &to).await;
    assert_eq!(notice_of(&page), "Submitted for review.");
    let status: String = sqlx::query_scalar("SELECT status FROM segments WHERE id = $1")
        .bind(here)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(status, "submitted");
    app.stop().await;
}

#[tokio::test]
async fn readers_keep_the_approved_text_while_an_edit_of_it_waits_for_review() {
    let app = spawn_app().await;
    // Approves placeholder English: the checks are tested in web/checks.rs.
    crate::common::approve_despite_checks(&app.db.pool).await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = paragraphs(&app, 4).await[3];
    save(&app, &tara, id, "The approved text.", "submit").await;
    let to_review = rene.get(&app, &segment_path(id)).await;
    rene.submit_and_follow(&app, &to_review, "form.approve", &[("verdict", "approve")])
        .await;

    let edited = save(&app, &tara, id, "The edited text.", "save").await;

    assert_eq!(status_of(&edited), "Submitted");
    let pending = edited.one(".pending-edit");
    assert_eq!(
        text(select_in(pending, ".panel .text")[0]),
        "The approved text."
    );
    assert_eq!(
        text(select_in(pending, ".panel .text")[1]),
        "The edited text."
    );
    assert_eq!(text(select_in(pending, "del")[0]), "approved");
    assert_eq!(text(select_in(pending, "ins")[0]), "edited");
    let english = |page: &Page| {
        let row = page.one(&format!("li[id='s-{id}']"));
        (
            text(select_in(row, r#".cell[lang="en"]"#)[0]),
            text(select_in(row, ".badge")[0]),
        )
    };
    let readers = get_page(&app, &chapter_path(4)).await;
    assert_eq!(
        english(&readers),
        ("The approved text.".into(), "Approved".into())
    );
    let anonymous_segment = get_page(&app, &segment_path(id)).await;
    assert_eq!(
        text(anonymous_segment.one(".panel.en .text")),
        "The approved text."
    );
    let workspace = tara.get(&app, &chapter_path(4)).await;
    assert_eq!(
        english(&workspace),
        ("The edited text.".into(), "Submitted".into())
    );
    app.stop().await;
}

#[tokio::test]
async fn anonymous_readers_see_the_segment_without_forms_and_cannot_post() {
    let app = spawn_app().await;
    let id = paragraphs(&app, 4).await[0];

    let page = get_page(&app, &segment_path(id)).await;

    assert_eq!(page.status, 200);
    // The header's search box (a GET form) is for everyone; nothing else.
    assert!(
        page.select("form:not(.site-search)").is_empty(),
        "no forms for readers"
    );
    assert!(page.select("textarea").is_empty());
    assert!(page.select("#comments").is_empty());
    let response = app
        .client
        .post(app.url(&format!("{}/save", segment_path(id))))
        .form(&[("text", "Sneaky."), ("base", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let history = app
        .client
        .get(app.url(&format!("{}/history", segment_path(id))))
        .send()
        .await
        .unwrap();
    assert_eq!(history.status(), 303, "the history needs signing in");
    assert_eq!(current_text(&app, id).await, None);
    app.stop().await;
}
