use crate::common::spawn_app;
use crate::helpers::{append_segment, chapter_path, get_page, text, translate};

const THAI: &str = "<script>alert(1)</script> ก่อน[^99]หลัง";
const ENGLISH: &str = "<img src=x onerror=alert(2)> & \"quoted\"";

#[tokio::test]
async fn markup_in_segment_text_is_shown_as_text_on_the_chapter_page() {
    let app = spawn_app().await;
    let id = append_segment(&app.db.pool, 4, "paragraph", THAI).await;
    translate(&app.db.pool, id, ENGLISH, "draft").await;

    let page = get_page(&app, &chapter_path(4)).await;

    // The only script is the workbench's own, from /static/.
    assert!(page.select("script:not([src^='/static/'])").is_empty());
    assert!(page.select("img").is_empty());
    let row = page.one(&format!("li[id='s-{id}']"));
    let thai = crate::helpers::select_in(row, r#".cell[lang="th"]"#)[0];
    assert_eq!(text(thai), "<script>alert(1)</script> ก่อน99หลัง");
    assert_eq!(text(crate::helpers::select_in(thai, "sup.fn")[0]), "99");
    let english = crate::helpers::select_in(row, r#".cell[lang="en"]"#)[0];
    assert_eq!(text(english), ENGLISH);
    assert_eq!(text(crate::helpers::select_in(row, ".badge")[0]), "Draft");
    app.stop().await;
}

#[tokio::test]
async fn markup_in_segment_text_is_shown_as_text_on_the_segment_page() {
    let app = spawn_app().await;
    let id = append_segment(&app.db.pool, 4, "quote", THAI).await;
    translate(&app.db.pool, id, ENGLISH, "submitted").await;

    let page = get_page(&app, &format!("/segments/{id}")).await;

    assert_eq!(page.status, 200);
    // The only script is the workbench's own, from /static/.
    assert!(page.select("script:not([src^='/static/'])").is_empty());
    assert!(page.select("img").is_empty());
    assert_eq!(
        text(page.one(r#".panel.th [lang="th"]"#)),
        "<script>alert(1)</script> ก่อน99หลัง"
    );
    assert_eq!(text(page.one(r#".panel.en [lang="en"]"#)), ENGLISH);
    app.stop().await;
}
