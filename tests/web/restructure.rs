//! Fixing a segment's Thai from its page, as a reviewer would on the corpus: a correction
//! with its history, a merge and a split that keep every revision and comment, their
//! undo, XLIFF ids that stay valid, and bad forms that change nothing.

use scraper::Html;
use uuid::Uuid;

use crate::common::{spawn_app, TestApp};
use crate::helpers::{chapter_segments, select_in, text};
use crate::team::{team, Member};
use plae::workflow::{self, Actor, Role};

/// A page as a signed-in member sees it.
async fn page(app: &TestApp, who: &Member, path: &str) -> (u16, Html) {
    let response = who.browser.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        Html::parse_document(&response.text().await.unwrap()),
    )
}

/// The hidden and chosen fields of the form posting to `action` on a page.
fn form_fields(html: &Html, action: &str) -> Vec<(String, String)> {
    let css = format!(r#"form[action="{action}"] input[type="hidden"]"#);
    select_in(html.root_element(), &css)
        .into_iter()
        .map(|input| {
            let v = input.value();
            (
                v.attr("name").unwrap().to_string(),
                v.attr("value").unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The values of the radio buttons named `name` in the form posting to `action`.
fn radio_values(html: &Html, action: &str, name: &str) -> Vec<String> {
    let css = format!(r#"form[action="{action}"] input[type="radio"][name="{name}"]"#);
    select_in(html.root_element(), &css)
        .into_iter()
        .map(|input| input.value().attr("value").unwrap().to_string())
        .collect()
}

async fn post(
    app: &TestApp,
    who: &Member,
    action: &str,
    fields: &[(String, String)],
) -> reqwest::Response {
    who.browser
        .client
        .post(app.url(action))
        .form(fields)
        .send()
        .await
        .unwrap()
}

fn with(mut fields: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    fields
}

fn actor(member: &Member, role: Role) -> Actor {
    Actor {
        user_id: member.id,
        role,
    }
}

/// The unit ids of chapter 4's XLIFF, in order.
async fn xliff_ids(app: &TestApp, who: &Member) -> Vec<String> {
    let path = "/books/soviet-history/export?format=xliff&chapter=4";
    let response = who.browser.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    body.split("<unit id=\"")
        .skip(1)
        .map(|rest| rest[..36].to_string())
        .collect()
}

/// Two live paragraphs of chapter 4 next to each other.
async fn neighbours(app: &TestApp) -> (Uuid, Uuid) {
    let rows = chapter_segments(&app.db.pool, 4).await;
    let i = (0..rows.len() - 1)
        .find(|&i| {
            rows[i].kind == "paragraph"
                && rows[i + 1].kind == "paragraph"
                && rows[i].source_th.contains(' ')
                // No footnote reference: the page shows those as superscripts.
                && !rows[i].source_th.contains('[')
        })
        .expect("two neighbouring paragraphs");
    (rows[i].id, rows[i + 1].id)
}

async fn live_ids(app: &TestApp) -> Vec<Uuid> {
    chapter_segments(&app.db.pool, 4)
        .await
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[tokio::test]
async fn a_reviewer_corrects_the_thai_and_everyone_sees_the_history() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (segment, _) = neighbours(&app).await;
    let path = format!("/segments/{segment}");
    let mut conn = app.db.pool.acquire().await.unwrap();
    let translator = actor(&team.translator, Role::Translator);
    workflow::save_draft(&mut conn, &translator, segment, "Some English.", None)
        .await
        .unwrap();
    let action = format!("{path}/correct");

    let (_, html) = page(&app, &team.translator, &path).await;
    assert!(
        form_fields(&html, &action).is_empty(),
        "no form for translators"
    );
    let (_, html) = page(&app, &team.reviewer, &path).await;
    let fields = form_fields(&html, &action);
    let thai = text(select_in(html.root_element(), "#correct-thai")[0]);
    let fixed = format!("{thai}ครับ");
    let forged = with(fields.clone(), &[("thai", "ไม่"), ("reason", "no")]);
    let response = post(&app, &team.translator, &action, &forged).await;
    assert_eq!(
        response.status(),
        403,
        "the translator's own token, still refused"
    );

    let form = with(
        fields,
        &[("thai", &fixed), ("reason", "OCR dropped a word")],
    );
    let response = post(&app, &team.reviewer, &action, &form).await;

    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(location.contains("done=corrected_flagged"), "{location}");
    let (_, html) = page(&app, &team.translator, &path).await;
    let panel = text(select_in(html.root_element(), ".panel.th")[0]);
    assert!(panel.contains(&fixed), "{panel}");
    let history = text(select_in(html.root_element(), ".corrections")[0]);
    assert!(history.contains("OCR dropped a word"), "{history}");
    assert!(history.contains(&format!("Before: {thai}")), "{history}");
    assert!(history.contains(&format!("After: {fixed}")), "{history}");
    assert!(history.contains("rene"), "who corrected it: {history}");
    let flags = text(select_in(html.root_element(), ".segment-facts")[0]);
    assert!(flags.contains("Thai changed"), "{flags}");

    // The same form again is stale: refused with the reason, the typed text kept.
    let again = post(&app, &team.reviewer, &action, &form).await;
    assert_eq!(again.status(), 409);
    let html = Html::parse_document(&again.text().await.unwrap());
    let error = text(select_in(html.root_element(), ".form-error")[0]);
    assert!(error.contains("reload"), "{error}");
    let kept = text(select_in(html.root_element(), "#correct-thai")[0]);
    assert_eq!(kept, fixed);
}

#[tokio::test]
async fn a_merge_and_a_split_keep_every_revision_and_comment_and_the_other_ids() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (a, b) = neighbours(&app).await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    let translator = actor(&team.translator, Role::Translator);
    let reviewer = actor(&team.reviewer, Role::Reviewer);
    let texts_a = ["A, first try.", "A, second try. It has two sentences."];
    let mut base = None;
    for text in texts_a {
        base = match workflow::save_draft(&mut conn, &translator, a, text, base).await {
            Ok(workflow::SaveOutcome::Saved(r)) => Some(r.id),
            other => panic!("{other:?}"),
        };
    }
    workflow::save_draft(&mut conn, &translator, b, "B's only text.", None)
        .await
        .unwrap();
    for (segment, body) in [(a, "A comment on A."), (b, "A comment on B.")] {
        workflow::add_comment(&mut conn, &reviewer, segment, None, body)
            .await
            .unwrap();
    }
    let ids_before = live_ids(&app).await;
    let xliff_before = xliff_ids(&app, &team.reviewer).await;
    assert_eq!(
        xliff_before,
        ids_before.iter().map(Uuid::to_string).collect::<Vec<_>>()
    );
    let path_a = format!("/segments/{a}");

    // Merge, from A's page.
    let (_, html) = page(&app, &team.reviewer, &path_a).await;
    let merge = format!("{path_a}/merge");
    let fields = form_fields(&html, &merge);
    assert!(fields.contains(&("next".into(), b.to_string())));
    let response = post(
        &app,
        &team.reviewer,
        &merge,
        &with(fields, &[("join", "space")]),
    )
    .await;
    assert_eq!(response.status(), 303);

    let mut expected: Vec<Uuid> = ids_before.iter().copied().filter(|&id| id != b).collect();
    assert_eq!(
        live_ids(&app).await,
        expected,
        "untouched segments keep their ids"
    );
    let (_, html) = page(&app, &team.translator, &format!("{path_a}/history")).await;
    let history = text(html.root_element());
    for kept in texts_a.iter().chain(&["B's only text."]) {
        assert!(history.contains(kept), "{kept} in the merged history");
    }
    assert!(history.contains("A, second try. It has two sentences. B's only text."));
    let (_, html) = page(&app, &team.translator, &path_a).await;
    let page_text = text(html.root_element());
    for comment in ["A comment on A.", "A comment on B."] {
        assert!(page_text.contains(comment), "{comment} on the merged page");
    }

    // Split, from the same page: at the first offered point of the Thai, the English at
    // its first sentence end.
    let split = format!("{path_a}/split");
    let (_, html) = page(&app, &team.reviewer, &path_a).await;
    let fields = form_fields(&html, &split);
    let at = radio_values(&html, &split, "at")[0].clone();
    let english_points = radio_values(&html, &split, "english_at");
    assert_eq!(
        english_points[0], "",
        "keeping the English whole is offered first"
    );
    let english_at = english_points[1].clone();
    let form = with(fields, &[("at", &at), ("english_at", &english_at)]);
    let response = post(&app, &team.reviewer, &split, &form).await;
    assert_eq!(response.status(), 303);

    let after = live_ids(&app).await;
    let i = after.iter().position(|&id| id == a).unwrap();
    let second = after[i + 1];
    expected.insert(i + 1, second);
    assert_eq!(after, expected, "only the new part is new");
    let xliff_after = xliff_ids(&app, &team.reviewer).await;
    let expected_xliff: Vec<String> = expected.iter().map(Uuid::to_string).collect();
    assert_eq!(
        xliff_after, expected_xliff,
        "XLIFF ids of untouched segments stay"
    );
    let (_, html) = page(&app, &team.translator, &format!("{path_a}/history")).await;
    let history = text(html.root_element());
    for kept in texts_a.iter().chain(&["B's only text."]) {
        assert!(
            history.contains(kept),
            "{kept} still in the history after the split"
        );
    }
    for part in [a, second] {
        let (status, html) = page(&app, &team.translator, &format!("/segments/{part}")).await;
        assert_eq!(status, 200, "{}", html.html());
        let facts = text(select_in(html.root_element(), ".segment-facts")[0]);
        assert!(facts.contains("Thai changed"), "{part} flagged: {facts}");
    }
    let (_, html) = page(&app, &team.translator, &path_a).await;
    let page_text = text(html.root_element());
    for comment in ["A comment on A.", "A comment on B."] {
        assert!(page_text.contains(comment), "{comment} after the split");
    }

    // Undo both, newest first.
    for done in ["undone_split", "undone_merge"] {
        let (_, html) = page(&app, &team.reviewer, &path_a).await;
        let undo = format!("{path_a}/undo");
        let response = post(&app, &team.reviewer, &undo, &form_fields(&html, &undo)).await;
        assert_eq!(
            response.status(),
            303,
            "{done}: {}",
            response.text().await.unwrap()
        );
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.contains(done), "{location}");
    }
    assert_eq!(live_ids(&app).await, ids_before);
    assert_eq!(xliff_ids(&app, &team.reviewer).await, xliff_before);
}

#[tokio::test]
async fn bad_merge_and_split_forms_get_a_clear_error_and_change_nothing() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (a, _) = neighbours(&app).await;
    let rows = chapter_segments(&app.db.pool, 4).await;
    let last = rows.last().unwrap().id;
    let chapter3 = chapter_segments(&app.db.pool, 3).await[0].id;
    let path_a = format!("/segments/{a}");
    let (_, html) = page(&app, &team.reviewer, &path_a).await;
    let split = format!("{path_a}/split");
    let merge = format!("{path_a}/merge");
    let split_fields = form_fields(&html, &split);
    let merge_fields = form_fields(&html, &merge);
    let thai_len = rows[0..]
        .iter()
        .find(|r| r.id == a)
        .unwrap()
        .source_th
        .chars()
        .count()
        .to_string();
    let before = app.db.fingerprint().await;

    let cases: Vec<(&str, Vec<(String, String)>, u16, &str)> = vec![
        (
            &split,
            with(split_fields.clone(), &[("at", "0")]),
            422,
            "empty",
        ),
        (
            &split,
            with(split_fields.clone(), &[("at_index", &thai_len)]),
            422,
            "empty",
        ),
        (&split, split_fields.clone(), 400, "choose where"),
        (
            &merge,
            with(
                merge_fields
                    .iter()
                    .filter(|(k, _)| k != "next")
                    .cloned()
                    .collect(),
                &[("next", &chapter3.to_string())],
            ),
            422,
            "different chapters",
        ),
        (
            &merge,
            with(
                merge_fields
                    .iter()
                    .filter(|(k, _)| k != "next")
                    .cloned()
                    .collect(),
                &[("next", &last.to_string())],
            ),
            422,
            "right after",
        ),
        (
            &merge,
            merge_fields
                .iter()
                .map(|(k, v)| match k.as_str() {
                    "version" => (k.clone(), "5".to_string()),
                    _ => (k.clone(), v.clone()),
                })
                .collect(),
            409,
            "reload",
        ),
    ];
    for (action, form, status, says) in cases {
        let response = post(&app, &team.reviewer, action, &form).await;
        assert_eq!(response.status().as_u16(), status, "{action} {form:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains(says), "{action}: `{says}` not in the answer");
    }
    assert_eq!(app.db.fingerprint().await, before);
}

#[tokio::test]
async fn an_xliff_exported_before_a_merge_still_imports_for_the_untouched_segments() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (a, b) = neighbours(&app).await;
    let rows = chapter_segments(&app.db.pool, 4).await;
    let untouched = rows
        .iter()
        .rev()
        .find(|r| r.kind == "paragraph")
        .unwrap()
        .id;
    let mut conn = app.db.pool.acquire().await.unwrap();
    let translator = actor(&team.translator, Role::Translator);
    workflow::save_draft(&mut conn, &translator, untouched, "Untouched text.", None)
        .await
        .unwrap();
    let path = "/books/soviet-history/export?format=xliff&chapter=4";
    let response = team.translator.browser.client.get(app.url(path)).send();
    let exported = response.await.unwrap().text().await.unwrap();
    let reviewer = actor(&team.reviewer, Role::Reviewer);
    workflow::merge_with_next(&mut conn, &reviewer, a, b, (0, 0), workflow::Join::Space)
        .await
        .unwrap();

    // Translated in a CAT tool meanwhile, and brought back after the merge.
    let edited = exported.replace("Untouched text.", "Untouched text, edited elsewhere.");
    assert_ne!(edited, exported);
    let report = plae::exchange::import_xliff(&mut conn, &translator, edited.as_bytes(), "c4.xlf")
        .await
        .unwrap();

    let changed: Vec<Uuid> = report.changed.iter().map(|c| c.segment_id).collect();
    assert_eq!(changed, [untouched], "{report}");
    assert_eq!(
        report.retired,
        [b],
        "the merged-away unit is named, not imported"
    );
    assert!(
        report.unknown_ids.is_empty() && report.conflicts.is_empty(),
        "{report}"
    );
}
