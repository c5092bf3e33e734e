use crate::common::spawn_app;
use crate::helpers::{chapter_path, chapter_segments, get_page, href, text};

#[tokio::test]
async fn segment_page_shows_its_thai_its_place_and_links_to_its_neighbours() {
    let app = spawn_app().await;
    let in_db = chapter_segments(&app.db.pool, 4).await;
    let (previous, segment, next) = (&in_db[3], &in_db[4], &in_db[5]);

    let page = get_page(&app, &format!("/segments/{}", segment.id)).await;

    assert_eq!(page.status, 200);
    assert_eq!(
        text(page.one(r#".panel.th [lang="th"]"#)),
        segment.source_th
    );
    assert_eq!(
        text(page.one(r#".panel.en [lang="en"]"#)),
        "Not yet translated"
    );
    assert_eq!(
        text(page.one("h1")),
        format!("Segment 5 of {}", in_db.len())
    );
    assert_eq!(text(page.one(".segment-facts .badge")), "Untranslated");
    assert_eq!(
        href(page.one(r#"a[rel="prev"]"#)),
        format!("/segments/{}", previous.id)
    );
    assert_eq!(
        href(page.one(r#"a[rel="next"]"#)),
        format!("/segments/{}", next.id)
    );
    assert_eq!(
        href(page.one("a.up")),
        format!("{}#s-{}", chapter_path(4), segment.id)
    );
    assert_eq!(
        href(page.one(".breadcrumb a[href^='/books']")),
        chapter_path(4)
    );
    app.stop().await;
}

#[tokio::test]
async fn the_first_segment_has_no_previous_and_the_last_no_next() {
    let app = spawn_app().await;
    let in_db = chapter_segments(&app.db.pool, 3).await;

    let first = get_page(&app, &format!("/segments/{}", in_db[0].id)).await;
    let last = get_page(&app, &format!("/segments/{}", in_db[in_db.len() - 1].id)).await;

    assert!(first.select(r#"a[rel="prev"]"#).is_empty());
    assert_eq!(
        href(first.one(r#"a[rel="next"]"#)),
        format!("/segments/{}", in_db[1].id)
    );
    assert!(last.select(r#"a[rel="next"]"#).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_or_malformed_segment_id_is_the_not_found_page() {
    let app = spawn_app().await;

    for id in [
        "not-a-uuid",
        "00000000-0000-0000-0000-000000000000",
        "1%27%20OR%201=1",
    ] {
        let page = get_page(&app, &format!("/segments/{id}")).await;
        assert_eq!(page.status, 404, "{id}");
        assert_eq!(text(page.one("h1")), "Page not found", "{id}");
    }
    app.stop().await;
}
