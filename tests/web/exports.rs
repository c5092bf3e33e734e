//! Downloads (`web::exports`): every text format with its headers and exactly what
//! `export::export` writes; who may download drafts; the PDF built in the background
//! (`pdf_jobs`), served from its row by any instance, and a failed build's log.

use std::time::{Duration, Instant};

use plae::db::export::{load_edition, Scope};
use plae::export::{export, latex, ExportOptions, Format, Include, Languages, Layout};
use plae::startup::Application;
use sqlx::PgPool;

use crate::common::{create_user, migrated_database, signed_in_client, spawn_app, test_settings};
use crate::helpers::{chapter_segments, get_page, href, translate};

const SLUG: &str = "soviet-history";

async fn edition(pool: &PgPool, scope: Scope) -> plae::export::Edition {
    let mut conn = pool.acquire().await.unwrap();
    load_edition(&mut conn, SLUG, scope)
        .await
        .unwrap()
        .expect("the edition")
}

fn options(
    format: Format,
    layout: Layout,
    include: Include,
    languages: Languages,
) -> ExportOptions {
    ExportOptions {
        format,
        layout,
        include,
        languages,
    }
}

/// The chapter with the fewest segments: the quickest PDF.
async fn smallest_chapter(pool: &PgPool) -> i32 {
    sqlx::query_scalar(
        "SELECT c.number FROM chapters c JOIN segments s ON s.chapter_id = c.id
          GROUP BY c.number ORDER BY count(*), c.number LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn pdf_rows(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pdf_builds")
        .fetch_one(pool)
        .await
        .unwrap()
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn every_text_format_downloads_exactly_what_export_writes() {
    let app = spawn_app().await;
    let book = edition(&app.db.pool, Scope::Book).await;
    let chapter = edition(&app.db.pool, Scope::Chapter(4)).await;
    let cases = [
        (
            "format=latex&layout=facing",
            Format::Latex,
            Layout::Facing,
            Languages::Both,
            "soviet-history.tex",
            None,
        ),
        (
            "format=html&layout=interleaved",
            Format::Html,
            Layout::Interleaved,
            Languages::Both,
            "soviet-history.html",
            None,
        ),
        (
            "format=markdown&languages=en",
            Format::Markdown,
            Layout::Columns,
            Languages::English,
            "soviet-history.md",
            None,
        ),
        (
            "format=text",
            Format::Text,
            Layout::Columns,
            Languages::Both,
            "soviet-history.txt",
            None,
        ),
        (
            "format=tmx",
            Format::Tmx,
            Layout::Columns,
            Languages::Both,
            "soviet-history.tmx",
            None,
        ),
        (
            "format=markdown&chapter=4&languages=th",
            Format::Markdown,
            Layout::Columns,
            Languages::Thai,
            "soviet-history-chapter-4.md",
            Some(4),
        ),
        (
            "format=latex&chapter=4",
            Format::Latex,
            Layout::Columns,
            Languages::Both,
            "soviet-history-chapter-4.tex",
            Some(4),
        ),
    ];
    for (query, format, layout, languages, name, chapter_number) in cases {
        let response = app
            .client
            .get(app.url(&format!("/books/{SLUG}/export?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(
            header(&response, "content-type"),
            format.media_type(),
            "{query}"
        );
        assert_eq!(
            header(&response, "content-disposition"),
            format!("attachment; filename=\"{name}\""),
            "{query}"
        );
        let expected = export(
            if chapter_number.is_some() {
                &chapter
            } else {
                &book
            },
            &options(format, layout, Include::Approved, languages),
        );
        assert_eq!(response.text().await.unwrap(), expected, "{query}");
    }
}

#[tokio::test]
async fn drafts_and_xliff_need_a_signed_in_user() {
    let app = spawn_app().await;
    let segments = chapter_segments(&app.db.pool, 4).await;
    translate(
        &app.db.pool,
        segments[1].id,
        "A draft nobody reviewed.",
        "draft",
    )
    .await;
    for query in [
        "format=markdown&include=drafts",
        "format=xliff&chapter=4",
        "format=xliff12&chapter=4",
    ] {
        let path = format!("/books/{SLUG}/export?{query}");
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{query}");
        assert!(
            header(&response, "location").starts_with("/sign-in?next="),
            "{query}"
        );
    }
    // The approved edition shows the gap, publicly.
    let public = app
        .client
        .get(app.url(&format!("/books/{SLUG}/export?format=text&chapter=4")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!public.contains("A draft nobody reviewed."));

    let password = create_user(&app.db.pool, "reader-one", "translator").await;
    let me = signed_in_client(&app, "reader-one", &password).await;
    let chapter = edition(&app.db.pool, Scope::Chapter(4)).await;
    let cases = [
        (
            "format=text&include=drafts&chapter=4",
            Format::Text,
            Include::Drafts,
            "soviet-history-chapter-4-drafts.txt",
        ),
        (
            "format=xliff&chapter=4",
            Format::Xliff,
            Include::Approved,
            "soviet-history-chapter-4.xlf",
        ),
        (
            "format=xliff12&chapter=4",
            Format::Xliff12,
            Include::Approved,
            "soviet-history-chapter-4.xlf",
        ),
    ];
    for (query, format, include, name) in cases {
        let response = me
            .client
            .get(app.url(&format!("/books/{SLUG}/export?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{query}");
        assert_eq!(header(&response, "cache-control"), "private, no-store");
        assert_eq!(
            header(&response, "content-disposition"),
            format!("attachment; filename=\"{name}\"")
        );
        let expected = export(
            &chapter,
            &options(format, Layout::Columns, include, Languages::Both),
        );
        let body = response.text().await.unwrap();
        assert_eq!(body, expected, "{query}");
        if format == Format::Text {
            assert!(body.contains("A draft nobody reviewed."));
        }
    }
}

#[tokio::test]
async fn bad_requests_and_unknown_books_are_refused() {
    let app = spawn_app().await;
    for (path, status) in [
        ("/books/soviet-history/export", 400),
        ("/books/soviet-history/export?format=docx", 400),
        (
            "/books/soviet-history/export?format=text&layout=sideways",
            400,
        ),
        ("/books/soviet-history/export?format=text&chapter=four", 400),
        ("/books/soviet-history/export?format=text&chapter=999", 404),
        ("/books/no-such-book/export?format=text", 404),
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{path}");
    }
}

#[tokio::test]
async fn the_home_and_chapter_pages_link_to_the_downloads() {
    let app = spawn_app().await;
    let home = get_page(&app, "/").await;
    let links: Vec<String> = home
        .select(".export a")
        .into_iter()
        .map(|a| href(a).to_string())
        .collect();
    assert!(
        links.contains(&format!("/books/{SLUG}/export?format=markdown")),
        "{links:?}"
    );
    assert!(
        links.contains(&format!("/books/{SLUG}/export?format=tmx")),
        "{links:?}"
    );
    assert_eq!(
        home.one("form.export-form").value().attr("method"),
        Some("get")
    );

    let page = get_page(&app, "/books/soviet-history/chapters/4").await;
    let links: Vec<String> = page
        .select(".export a")
        .into_iter()
        .map(|a| href(a).to_string())
        .collect();
    for format in ["latex", "html", "markdown", "text", "xliff", "xliff12"] {
        let link = format!("/books/{SLUG}/export?format={format}&chapter=4");
        assert!(links.contains(&link), "{link} in {links:?}");
    }
    assert_eq!(
        page.select("form.export-form input[name=chapter][value='4']")
            .len(),
        1
    );
    for link in links
        .iter()
        .filter(|l| !l.contains("xliff") && !l.contains("pdf"))
    {
        let response = app.client.get(app.url(link)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{link}");
    }
}

#[tokio::test]
async fn a_pdf_is_built_once_in_the_background_and_served_by_any_instance() {
    if !plae::pdf_jobs::xelatex_available() {
        eprintln!("skipped: xelatex is not installed");
        return;
    }
    let app = spawn_app().await;
    let number = smallest_chapter(&app.db.pool).await;
    let path = format!("/books/{SLUG}/export?format=pdf&chapter={number}");
    let first = get_page(&app, &path).await;
    assert_eq!(first.status, 200);
    assert!(first.content_type.starts_with("text/html"));
    assert_eq!(
        first
            .one("meta[http-equiv=refresh]")
            .value()
            .attr("content"),
        Some("2")
    );
    assert!(crate::helpers::text(first.one("h1")).contains("Building your PDF"));

    // Poll the URL as the page's refresh does, bounded.
    let deadline = Instant::now() + Duration::from_secs(150);
    let pdf = loop {
        let response = app.client.get(app.url(&path)).send().await.unwrap();
        if header(&response, "content-type") == "application/pdf" {
            assert_eq!(
                header(&response, "content-disposition"),
                format!("attachment; filename=\"soviet-history-chapter-{number}.pdf\"")
            );
            break response.bytes().await.unwrap();
        }
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        assert!(Instant::now() < deadline, "the PDF was not built in time");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(pdf_rows(&app.db.pool).await, 1);
    let (status, finished): (String, bool) =
        sqlx::query_as("SELECT state, finished_at IS NOT NULL FROM pdf_builds")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), finished), ("done", true));

    // A second instance on the same database serves the stored PDF at once.
    let second = Application::build_with_pool(test_settings(), app.db.pool.clone())
        .await
        .expect("a second instance starts");
    let second_address = format!("http://{}", second.address());
    let second_handle = second.handle();
    tokio::spawn(second.run_until_stopped());
    let response = app
        .client
        .get(format!("{second_address}{path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "content-type"), "application/pdf");
    assert_eq!(response.bytes().await.unwrap(), pdf);
    assert_eq!(pdf_rows(&app.db.pool).await, 1);
    second_handle.stop(true).await;

    // New approved text: a new source, a new build.
    let segments = chapter_segments(&app.db.pool, number).await;
    translate(
        &app.db.pool,
        segments[0].id,
        "A title, approved.",
        "approved",
    )
    .await;
    let again = get_page(&app, &path).await;
    assert!(crate::helpers::text(again.one("h1")).contains("Building your PDF"));
    assert_eq!(pdf_rows(&app.db.pool).await, 2);
}

#[tokio::test]
async fn a_failed_build_shows_the_end_of_the_latex_log() {
    let app = spawn_app().await;
    // The build of this very edition failed (as recorded by a worker).
    let chapter = edition(&app.db.pool, Scope::Chapter(4)).await;
    let tex = latex::write_latex(
        &chapter,
        &options(
            Format::Latex,
            Layout::Columns,
            Include::Approved,
            Languages::Both,
        ),
    );
    sqlx::query(
        "INSERT INTO pdf_builds (source_sha256, tex, state, log_tail, started_at, finished_at)
         VALUES ($1, $2, 'failed', $3, now(), now())",
    )
    .bind(plae::pdf_jobs::source_sha256(&tex))
    .bind(&tex)
    .bind("! Undefined control sequence.\nl.42 \\brokenmacro")
    .execute(&app.db.pool)
    .await
    .unwrap();
    let page = get_page(&app, &format!("/books/{SLUG}/export?format=pdf&chapter=4")).await;
    assert_eq!(page.status, 500);
    assert!(crate::helpers::text(page.one("h1")).contains("could not be built"));
    assert!(crate::helpers::text(page.one("pre.log-tail")).contains("\\brokenmacro"));
    assert!(page.select("meta[http-equiv=refresh]").is_empty());
    assert_eq!(pdf_rows(&app.db.pool).await, 1);
}

#[tokio::test]
async fn the_worker_records_a_broken_source_as_failed_with_its_log() {
    if !plae::pdf_jobs::xelatex_available() {
        eprintln!("skipped: xelatex is not installed");
        return;
    }
    let db = migrated_database().await;
    let tex = "\\documentclass{article}\\begin{document}\\brokenmacro\\end{document}\n";
    let hash = plae::pdf_jobs::source_sha256(tex);
    let mut conn = db.pool.acquire().await.unwrap();
    plae::db::pdf_builds::enqueue_build(&mut conn, &hash, tex, None)
        .await
        .unwrap();
    // Queuing the same source again adds nothing.
    plae::db::pdf_builds::enqueue_build(&mut conn, &hash, tex, None)
        .await
        .unwrap();
    drop(conn);
    let work = tempfile::tempdir().unwrap();
    let ran = plae::pdf_jobs::run_one(&db.pool, work.path(), Duration::from_secs(60))
        .await
        .unwrap();
    assert!(ran);
    let (status, log_tail, pdf_is_null): (String, String, bool) = sqlx::query_as(
        "SELECT state, log_tail, pdf IS NULL FROM pdf_builds WHERE source_sha256 = $1",
    )
    .bind(&hash)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(status, "failed");
    assert!(pdf_is_null);
    assert!(
        log_tail.contains("Undefined control sequence"),
        "{log_tail}"
    );
    assert_eq!(pdf_rows(&db.pool).await, 1);
    // Nothing left to do, and the work directory was cleaned up.
    assert!(
        !plae::pdf_jobs::run_one(&db.pool, work.path(), Duration::from_secs(60))
            .await
            .unwrap()
    );
    assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
}

#[tokio::test]
async fn a_job_left_running_past_the_limit_is_claimed_again() {
    let db = migrated_database().await;
    let hash = plae::pdf_jobs::source_sha256("x");
    sqlx::query(
        "INSERT INTO pdf_builds (source_sha256, tex, state, started_at, attempts)
         VALUES ($1, 'x', 'running', now() - interval '1 hour', 1)",
    )
    .bind(&hash)
    .execute(&db.pool)
    .await
    .unwrap();
    let fresh = plae::pdf_jobs::source_sha256("y");
    sqlx::query(
        "INSERT INTO pdf_builds (source_sha256, tex, state, started_at, attempts)
         VALUES ($1, 'y', 'running', now(), 1)",
    )
    .bind(&fresh)
    .execute(&db.pool)
    .await
    .unwrap();
    let claimed = plae::db::pdf_builds::claim_next_build(&db.pool, 150)
        .await
        .unwrap()
        .expect("the orphaned job");
    assert_eq!(claimed.source_sha256, hash);
    assert_eq!(claimed.attempts, 2);
    // The one still running within its limit is left alone.
    assert!(plae::db::pdf_builds::claim_next_build(&db.pool, 150)
        .await
        .unwrap()
        .is_none());
}
