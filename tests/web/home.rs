use crate::common::spawn_app;
use crate::helpers::{chapter_path, chapter_segments, get_page, href, select_in, text, translate};

#[tokio::test]
async fn home_lists_the_chapters_in_number_order_with_titles_and_segment_counts() {
    let app = spawn_app().await;

    let page = get_page(&app, "/").await;

    assert_eq!(page.status, 200);
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(text(page.one("h1")).contains("ประวัติศาสตร์สหภาพโซเวียต"));
    let rows = page.select("tr.chapter");
    let numbers: Vec<String> = rows
        .iter()
        .map(|row| text(select_in(*row, ".number")[0]))
        .collect();
    assert_eq!(numbers, ["3", "4"]);
    let titles: Vec<(String, String)> = rows
        .iter()
        .map(|row| {
            (
                text(select_in(*row, ".title-th")[0]),
                text(select_in(*row, ".title-en")[0]),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("นโยบายเศรษฐกิจใหม่".into(), "The New Economic Policy".into()),
            ("สตาลิน".into(), "Stalin".into())
        ]
    );
    for (row, number) in rows.iter().zip([3, 4]) {
        let in_db = chapter_segments(&app.db.pool, number).await.len();
        assert!(in_db > 0);
        assert_eq!(text(select_in(*row, ".segments")[0]), in_db.to_string());
        assert_eq!(href(select_in(*row, ".title a")[0]), chapter_path(number));
    }
    app.stop().await;
}

#[tokio::test]
async fn home_shows_nothing_translated_for_a_fresh_import() {
    let app = spawn_app().await;

    let page = get_page(&app, "/").await;

    let figures: Vec<String> = page
        .select(".measure-figures")
        .into_iter()
        .map(text)
        .collect();
    // Two measures (segments, text) for each of two chapters and for the whole book.
    assert_eq!(figures.len(), 6);
    assert!(
        figures.iter().all(|f| f == "0% translated · 0% approved"),
        "{figures:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn home_progress_counts_translated_and_approved_segments_from_the_database() {
    let app = spawn_app().await;
    let chapter_3 = chapter_segments(&app.db.pool, 3).await;
    let total = chapter_3.len();
    translate(&app.db.pool, chapter_3[1].id, "Lenin said.", "approved").await;
    translate(&app.db.pool, chapter_3[2].id, "A draft.", "draft").await;

    let page = get_page(&app, "/").await;

    let row = page.select("tr.chapter")[0];
    let figures: Vec<String> = select_in(row, ".measure-figures")
        .into_iter()
        .map(text)
        .collect();
    let by_segments = format!("{}% translated · {}% approved", 200 / total, 100 / total);
    assert_eq!(figures[0], by_segments);
    assert_ne!(figures[1], "0% translated · 0% approved", "by characters");
    let chapter_4 = page.select("tr.chapter")[1];
    assert_eq!(
        text(select_in(chapter_4, ".measure-figures")[0]),
        "0% translated · 0% approved"
    );
    app.stop().await;
}
