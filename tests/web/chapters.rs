use crate::common::spawn_app;
use crate::helpers::{chapter_path, chapter_segments, get_page, href, select_in, text};

#[tokio::test]
async fn chapter_page_has_one_row_per_segment_in_reading_order() {
    let app = spawn_app().await;
    let in_db = chapter_segments(&app.db.pool, 4).await;

    let page = get_page(&app, &chapter_path(4)).await;

    assert_eq!(page.status, 200);
    let rows = page.select("ol.segments > li.segment");
    let ids: Vec<String> = rows
        .iter()
        .map(|row| {
            row.value()
                .id()
                .expect("a row has an anchor id")
                .to_string()
        })
        .collect();
    let expected: Vec<String> = in_db.iter().map(|s| format!("s-{}", s.id)).collect();
    assert_eq!(ids, expected);
    for (row, segment) in rows.iter().zip(&in_db) {
        let thai = select_in(*row, r#".cell[lang="th"]"#);
        let english = select_in(*row, r#".cell[lang="en"]"#);
        assert_eq!((thai.len(), english.len()), (1, 1));
        assert!(!text(thai[0]).is_empty());
        assert_eq!(text(english[0]), "Not yet translated");
        assert_eq!(
            href(select_in(*row, "a.ref")[0]),
            format!("/segments/{}", segment.id)
        );
        assert_eq!(text(select_in(*row, ".badge")[0]), "Untranslated");
    }
    app.stop().await;
}

#[tokio::test]
async fn chapter_page_has_the_chapter_title_as_its_only_h1_and_headings_as_h2() {
    let app = spawn_app().await;
    let headings: Vec<String> = chapter_segments(&app.db.pool, 4)
        .await
        .into_iter()
        .filter(|s| s.kind == "heading")
        .map(|s| s.source_th)
        .collect();
    assert_eq!(headings.len(), 4);

    let page = get_page(&app, &chapter_path(4)).await;

    assert_eq!(text(page.one("h1")), "สตาลิน Stalin");
    let h2: Vec<String> = page
        .select(r#"li.kind-heading .cell[lang="th"] > h2"#)
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(h2, headings);
    assert_eq!(
        page.select("h2").len(),
        4,
        "untranslated English is no heading"
    );
    app.stop().await;
}

#[tokio::test]
async fn chapter_page_sets_quotations_off_as_blockquotes() {
    let app = spawn_app().await;
    let quotes = chapter_segments(&app.db.pool, 4)
        .await
        .into_iter()
        .filter(|s| s.kind == "quote")
        .count();
    assert_eq!(quotes, 4);

    let page = get_page(&app, &chapter_path(4)).await;

    let rows = page.select("li.segment.kind-quote");
    assert_eq!(rows.len(), 4);
    for row in rows {
        assert_eq!(select_in(row, r#".cell[lang="th"] > blockquote"#).len(), 1);
    }
    assert_eq!(page.select("blockquote").len(), 4);
    app.stop().await;
}

#[tokio::test]
async fn chapter_page_shows_footnote_references_as_superscripts() {
    let app = spawn_app().await;

    let page = get_page(&app, &chapter_path(4)).await;

    let footnotes: Vec<String> = page.select("sup.fn").into_iter().map(text).collect();
    let expected: Vec<String> = (30..=38).map(|n| n.to_string()).collect();
    assert_eq!(footnotes, expected);
    assert!(!text(page.one("body")).contains("[^"));
    app.stop().await;
}

#[tokio::test]
async fn chapter_pages_link_to_the_chapters_either_side() {
    let app = spawn_app().await;

    let third = get_page(&app, &chapter_path(3)).await;
    let fourth = get_page(&app, &chapter_path(4)).await;

    assert!(third.select(r#"a[rel="prev"]"#).is_empty());
    assert_eq!(href(third.one(r#"a[rel="next"]"#)), chapter_path(4));
    assert_eq!(href(fourth.one(r#"a[rel="prev"]"#)), chapter_path(3));
    assert!(fourth.select(r#"a[rel="next"]"#).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_or_malformed_chapter_is_the_not_found_page() {
    let app = spawn_app().await;

    for path in [
        chapter_path(9).as_str(),
        "/books/soviet-history/chapters/four",
        "/books/another-book/chapters/4",
        "/no/such/page",
    ] {
        let page = get_page(&app, path).await;
        assert_eq!(page.status, 404, "{path}");
        assert_eq!(page.content_type, "text/html; charset=utf-8", "{path}");
        assert_eq!(text(page.one("h1")), "Page not found", "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn chapter_page_shows_changes_made_after_it_was_first_shown() {
    let app = spawn_app().await;
    let segments = chapter_segments(&app.db.pool, 4).await;
    let row = |page: &crate::helpers::Page, n: usize| {
        let row = page.one(&format!("li[id='s-{}']", segments[n].id));
        (
            text(select_in(row, r#".cell[lang="en"]"#)[0]),
            text(select_in(row, ".badge")[0]),
        )
    };
    // Shown twice, so that the second time may come from the rendered page.
    get_page(&app, &chapter_path(4)).await;
    let before = get_page(&app, &chapter_path(4)).await;
    assert_eq!(
        row(&before, 2),
        ("Not yet translated".into(), "Untranslated".into())
    );

    crate::helpers::translate(
        &app.db.pool,
        segments[2].id,
        "Victor Serge compared…",
        "draft",
    )
    .await;
    sqlx::query("UPDATE chapters SET title_en = 'Joseph Stalin' WHERE number = 4")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let after = get_page(&app, &chapter_path(4)).await;

    assert_eq!(
        row(&after, 2),
        ("Victor Serge compared…".into(), "Draft".into())
    );
    assert_eq!(text(after.one("h1")), "สตาลิน Joseph Stalin");
    app.stop().await;
}

#[tokio::test]
async fn a_browser_that_asks_for_gzip_gets_the_same_page_compressed() {
    use std::io::Read;
    let app = spawn_app().await;
    let url = app.url(&chapter_path(4));
    let plain = app.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.unwrap();

    let gzipped = app
        .client
        .get(&url)
        .header("Accept-Encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["vary"], "Accept-Encoding");
    let body = gzipped.bytes().await.unwrap();
    assert!(
        body.len() * 2 < plain.len(),
        "{} vs {}",
        body.len(),
        plain.len()
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
    app.stop().await;
}

#[tokio::test]
async fn a_browser_that_has_the_page_gets_304_until_the_chapter_changes() {
    let app = spawn_app().await;
    let url = app.url(&chapter_path(4));
    let first = app.client.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(first.headers()["cache-control"], "no-cache");

    let again = app
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    // Another chapter's ETag is not this one's.
    let other = app
        .client
        .get(app.url(&chapter_path(3)))
        .send()
        .await
        .unwrap();
    assert_ne!(other.headers()["etag"].to_str().unwrap(), etag);

    let segments = chapter_segments(&app.db.pool, 4).await;
    crate::helpers::translate(&app.db.pool, segments[5].id, "The Five-Year Plan", "draft").await;
    let changed = app
        .client
        .get(&url)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    assert!(changed.text().await.unwrap().contains("The Five-Year Plan"));
    app.stop().await;
}
