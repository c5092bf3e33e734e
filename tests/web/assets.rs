use crate::common::spawn_app;
use crate::helpers::get_page;

#[tokio::test]
async fn pages_link_the_stylesheet_which_is_served_with_a_long_cache_lifetime() {
    let app = spawn_app().await;
    let page = get_page(&app, "/").await;
    let href = page
        .one(r#"link[rel="stylesheet"]"#)
        .value()
        .attr("href")
        .expect("an href")
        .to_string();
    assert!(href.starts_with("/static/style.css?v="), "{href}");

    let response = app.client.get(app.url(&href)).send().await.unwrap();

    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "text/css; charset=utf-8");
    let cache = headers["cache-control"].to_str().unwrap();
    assert!(
        cache.contains("max-age=31536000") && cache.contains("immutable"),
        "{cache}"
    );
    assert!(response.text().await.unwrap().contains("font-family"));
    app.stop().await;
}
