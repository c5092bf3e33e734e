//! The chapter page as a workspace: what each role sees, filters, progress, and the cached
//! rows following claims, comments and the clock.

use uuid::Uuid;

use crate::browsing::{person, Person};
use crate::common::{spawn_app, TestApp};
use crate::drafting::{save, segment_path};
use crate::helpers::{chapter_path, chapter_segments, get_page, select_in, text, Page};

/// The ids of the rows a chapter page shows, in order.
fn row_ids(page: &Page) -> Vec<Uuid> {
    page.select("ol.segments > li.segment")
        .into_iter()
        .map(|row| Uuid::parse_str(&row.value().id().unwrap()[2..]).unwrap())
        .collect()
}

async fn comment(app: &TestApp, who: &Person, id: Uuid, body: &str) {
    let page = who.get(app, &segment_path(id)).await;
    who.submit_and_follow(app, &page, "form.new-thread", &[("body", body)])
        .await;
}

async fn claim(app: &TestApp, who: &Person, id: Uuid) {
    let page = who.get(app, &segment_path(id)).await;
    who.submit_and_follow(app, &page, "form[action$='/claim']", &[])
        .await;
}

#[tokio::test]
async fn signed_in_users_get_the_workspace_and_readers_the_parallel_text() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let rows = chapter_segments(&app.db.pool, 4).await.len();

    let workspace = tara.get(&app, &chapter_path(4)).await;
    let reader = get_page(&app, &chapter_path(4)).await;

    assert_eq!(workspace.select("input.pick[form=claims]").len(), rows);
    assert_eq!(workspace.select("a.edit").len(), rows);
    let form = workspace.one("form#claims");
    assert_eq!(
        select_in(form, "input[name=csrf]").len(),
        1,
        "the claim form carries the session's token"
    );
    assert_eq!(workspace.select("input[name=mine]").len(), 1);
    assert!(text(workspace.one(".site-nav")).contains("tara"));

    assert!(reader.select("form[method=post]").is_empty());
    assert!(reader
        .select("input[type=checkbox][name=segment]")
        .is_empty());
    assert!(reader.select("a.edit").is_empty());
    assert!(reader.select("input[name=csrf]").is_empty());
    assert!(reader.select("input[name=mine]").is_empty());
    assert_eq!(reader.select("ol.segments > li.segment").len(), rows);
    app.stop().await;
}

#[tokio::test]
async fn filters_keep_the_rows_asked_for() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let mali = person(&app, "mali", "translator").await;
    let all: Vec<Uuid> = chapter_segments(&app.db.pool, 4)
        .await
        .into_iter()
        .map(|s| s.id)
        .collect();
    save(&app, &tara, all[2], "Tara's draft.", "save").await;
    save(&app, &mali, all[3], "Mali's submission.", "submit").await;
    claim(&app, &tara, all[5]).await;
    comment(&app, &mali, all[6], "A question.").await;
    let path = chapter_path(4);

    let filtered = |query: &'static str| {
        let (app, tara, path) = (&app, &tara, &path);
        async move { row_ids(&tara.get(app, &format!("{path}?{query}")).await) }
    };
    assert_eq!(filtered("status=draft").await, [all[2]]);
    assert_eq!(filtered("status=submitted").await, [all[3]]);
    assert_eq!(filtered("mine=1").await, [all[2], all[5]]);
    assert_eq!(filtered("claimed=1").await, [all[5]]);
    assert_eq!(filtered("comments=1").await, [all[6]]);
    assert_eq!(filtered("mine=1&status=draft").await, [all[2]]);
    let untranslated = filtered("untranslated=1").await;
    assert_eq!(untranslated.len(), all.len() - 2);
    assert!(!untranslated.contains(&all[2]) && !untranslated.contains(&all[3]));
    assert_eq!(
        filtered("status=").await.len(),
        all.len(),
        "empty: no filter"
    );

    let page = tara.get(&app, &format!("{path}?status=draft")).await;
    assert_eq!(
        text(page.one(".filter-count")),
        format!("1 of {} segments", all.len())
    );
    assert_eq!(
        page.one("select[name=status] option[selected]")
            .value()
            .attr("value"),
        Some("draft")
    );
    let readers = get_page(&app, &format!("{path}?status=submitted&mine=1")).await;
    assert_eq!(
        row_ids(&readers),
        [all[3]],
        "readers may filter by status only"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_chapter_page_shows_its_own_progress_by_segments_and_thai_characters() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let segments = chapter_segments(&app.db.pool, 4).await;
    let chars: Vec<usize> = segments
        .iter()
        .map(|s| s.source_th.chars().count())
        .collect();
    let total: usize = chars.iter().sum();
    // Enough segments for a visible share.
    for segment in &segments[..8] {
        save(&app, &tara, segment.id, "Some English.", "save").await;
    }

    let page = get_page(&app, &chapter_path(4)).await;

    let figures: Vec<String> = page
        .select(".chapter-progress .measure-figures")
        .into_iter()
        .map(text)
        .collect();
    // Rounded down, and a start shows as "<1%" (see `web::progress`).
    let label = |done: usize, of: usize| match (done * 100) / of {
        0 if done > 0 => "<1%".to_string(),
        p => format!("{p}%"),
    };
    assert_eq!(
        figures,
        [
            format!("{} translated · 0% approved", label(8, segments.len())),
            format!(
                "{} translated · 0% approved",
                label(chars[..8].iter().sum(), total)
            ),
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_cached_workspace_follows_claims_and_comments_as_they_change() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = chapter_segments(&app.db.pool, 4).await[4].id;
    let row = |page: &Page| {
        let row = page.one(&format!("li[id='s-{id}']"));
        (
            select_in(row, ".claim").first().map(|c| text(*c)),
            select_in(row, ".thread-count").first().map(|c| text(*c)),
        )
    };
    // Seen twice, so that the second comes from the cache.
    rene.get(&app, &chapter_path(4)).await;
    assert_eq!(row(&rene.get(&app, &chapter_path(4)).await), (None, None));

    claim(&app, &tara, id).await;
    comment(&app, &tara, id, "First thoughts.").await;
    let (claim_line, threads) = row(&rene.get(&app, &chapter_path(4)).await);
    assert!(claim_line.unwrap().starts_with("Claimed by tara until"));
    assert_eq!(threads.as_deref(), Some("1 open comment"));

    let page = rene.get(&app, &segment_path(id)).await;
    rene.submit_and_follow(&app, &page, "form[action$='/release']", &[])
        .await;
    assert_eq!(
        row(&rene.get(&app, &chapter_path(4)).await),
        (None, Some("1 open comment".into()))
    );
    app.stop().await;
}

#[tokio::test]
async fn a_cached_workspace_stops_showing_a_claim_once_it_expires() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let id = chapter_segments(&app.db.pool, 4).await[4].id;
    // A claim with eight seconds left of the default two hours.
    sqlx::query(
        "INSERT INTO claims (segment_id, user_id, claimed_at, last_activity_at)
         VALUES ($1, $2, now() - interval '7192 seconds', now() - interval '7192 seconds')",
    )
    .bind(id)
    .bind(tara.id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let claimed =
        |page: &Page| !select_in(page.one(&format!("li[id='s-{id}']")), ".claim").is_empty();
    assert!(claimed(&tara.get(&app, &chapter_path(4)).await));
    assert!(claimed(&tara.get(&app, &chapter_path(4)).await));

    tokio::time::sleep(std::time::Duration::from_millis(8500)).await;

    assert!(
        !claimed(&tara.get(&app, &chapter_path(4)).await),
        "no write happened, but the claim expired"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_signed_in_browser_gets_304_until_its_page_changes() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let url = app.url(&chapter_path(4));
    let first = tara.client.get(&url).send().await.unwrap();
    assert_eq!(first.headers()["cache-control"], "private, no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let reader_etag = app.client.get(&url).send().await.unwrap().headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(etag, reader_etag);

    let again = tara
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    let id = chapter_segments(&app.db.pool, 4).await[3].id;
    claim(&app, &tara, id).await;
    let changed = tara
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn the_workbench_script_is_served_from_static_and_linked_from_every_page() {
    let app = spawn_app().await;
    let page = get_page(&app, &chapter_path(4)).await;
    let src = page
        .one("script[src]")
        .value()
        .attr("src")
        .unwrap()
        .to_string();
    assert!(src.starts_with("/static/workbench.js?v="), "{src}");
    assert!(page.one("script[src]").value().attr("defer").is_some());

    let response = app.client.get(app.url(&src)).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let cache = response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cache.contains("immutable"), "{cache}");
    let script = response.text().await.unwrap();
    for key in ["ArrowDown", "ArrowUp", "Enter", "localStorage"] {
        assert!(script.contains(key), "{key}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_signed_in_browser_asking_for_gzip_gets_its_own_page_compressed() {
    use std::io::Read;
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let url = app.url(&format!("{}?done=claimed&n=2", chapter_path(4)));
    let plain = tara.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();

    let gzipped = tara
        .client
        .get(&url)
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();

    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let body = gzipped.bytes().await.unwrap();
    assert!(body.len() * 2 < plain.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(
        unzipped, plain,
        "the same page, with the same token and message"
    );
    let page = scraper::Html::parse_document(&String::from_utf8(unzipped).unwrap());
    let notice = scraper::Selector::parse(".notice").unwrap();
    assert_eq!(
        page.select(&notice)
            .next()
            .map(|n| n.text().collect::<String>()),
        Some("Claimed 2 segments.".to_string())
    );
    app.stop().await;
}
