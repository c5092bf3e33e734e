//! The concordance (`/search`, `/api/search`) and the editor's translation memory, on the
//! corpus, over HTTP: what a new user tries first.

use std::collections::BTreeSet;

use plae::search::fold;
use uuid::Uuid;

use crate::common::{spawn_app, TestApp};
use crate::helpers::{
    append_segment, chapter_segments, get_page, select_in, text, translate, Page,
};
use crate::team::{api_get, member};

/// The ids of the segments a results page links to, in order.
fn hit_ids(page: &Page) -> Vec<Uuid> {
    page.select(".search-hit .hit-where a")
        .into_iter()
        .map(|a| {
            let href = a.value().attr("href").unwrap();
            href.trim_start_matches("/segments/").parse().unwrap()
        })
        .collect()
}

/// Every live segment of both chapters whose Thai contains `word` (spaces ignored).
async fn segments_containing(app: &TestApp, word: &str) -> BTreeSet<Uuid> {
    let mut found = BTreeSet::new();
    for chapter in [3, 4] {
        for s in chapter_segments(&app.db.pool, chapter).await {
            if fold(&s.source_th).contains(&fold(word)) {
                found.insert(s.id);
            }
        }
    }
    found
}

fn encoded(q: &str) -> String {
    let mut out = String::new();
    for b in q.as_bytes() {
        out.push_str(&format!("%{b:02X}"));
    }
    out
}

async fn signed_in_page(app: &TestApp, client: &reqwest::Client, path: &str) -> Page {
    let response = client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    Page {
        status,
        content_type: String::new(),
        html: scraper::Html::parse_document(&response.text().await.unwrap()),
    }
}

#[tokio::test]
async fn searching_a_thai_word_finds_every_segment_with_it_highlighted() {
    let app = spawn_app().await;
    let expected = segments_containing(&app, "สตาลิน").await;
    assert!(expected.len() > 10, "the corpus mentions Stalin often");

    let page = get_page(&app, &format!("/search?q={}", encoded("สตาลิน"))).await;

    assert_eq!(page.status, 200);
    let found: BTreeSet<Uuid> = hit_ids(&page).into_iter().collect();
    assert_eq!(found, expected);
    let marks: Vec<String> = page.select(".hit-th mark").into_iter().map(text).collect();
    assert!(!marks.is_empty());
    assert!(marks.iter().all(|m| fold(m) == "สตาลิน"), "{marks:?}");
    // The form in every page's header leads here.
    let home = get_page(&app, "/").await;
    let form = home.one("form.site-search");
    assert_eq!(form.value().attr("action"), Some("/search"));
    assert_eq!(select_in(form, "input[name=q]").len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn ocr_and_encoding_variants_of_a_query_find_the_same_segments() {
    let app = spawn_app().await;
    let plain = get_page(&app, &format!("/search?q={}", encoded("ผู้นำ"))).await;
    let expected = hit_ids(&plain);
    assert!(!expected.is_empty());
    // Sara am typed as nikhahit + sara aa, a zero-width space inside, spaces around.
    let variant = "  ผู้\u{200b}น\u{0e4d}\u{0e32} ";
    let page = get_page(&app, &format!("/search?q={}", encoded(variant))).await;
    assert_eq!(hit_ids(&page), expected);
    // The API agrees.
    let tara = member(&app, "tara", "translator").await;
    let answer = api_get(
        &app,
        Some(&tara.token),
        &format!("/api/search?q={}", encoded(variant)),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json["total"].as_u64(), Some(expected.len() as u64));
    let first = &answer.json["hits"][0];
    assert_eq!(
        first["segment"].as_str(),
        Some(expected[0].to_string().as_str())
    );
    assert!(first["thai"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["matched"] == true && p["text"] == "ผู้นำ"));
    app.stop().await;
}

#[tokio::test]
async fn english_matches_words_in_any_case_and_readers_never_see_drafts() {
    let app = spawn_app().await;
    let segments = chapter_segments(&app.db.pool, 3).await;
    let (approved, draft) = (segments[1].id, segments[2].id);
    translate(&app.db.pool, approved, "The party line held.", "approved").await;
    translate(
        &app.db.pool,
        draft,
        "The PARTY congress met in secret.",
        "draft",
    )
    .await;
    let tara = member(&app, "tara", "translator").await;

    let page = signed_in_page(&app, &tara.browser.client, "/search?q=Party").await;
    let found = hit_ids(&page);
    assert!(
        found.contains(&approved) && found.contains(&draft),
        "{found:?}"
    );
    let marks: Vec<String> = page.select(".hit-en mark").into_iter().map(text).collect();
    assert!(marks.contains(&"party".to_string()) && marks.contains(&"PARTY".to_string()));

    // Readers search the public reading: the approved English only.
    let public = get_page(&app, "/search?q=Party").await;
    assert_eq!(hit_ids(&public), [approved]);
    let secret = get_page(&app, "/search?q=secret").await;
    assert!(hit_ids(&secret).is_empty());
    assert!(!public.html.html().contains("congress"));
    // English is matched by words, not pieces: "part" finds only Thai that has it (the
    // source's own Latin words), not the English "party".
    let piece = signed_in_page(&app, &tara.browser.client, "/search?q=part").await;
    let piece: BTreeSet<Uuid> = hit_ids(&piece).into_iter().collect();
    assert_eq!(piece, segments_containing(&app, "part").await);
    assert!(!piece.contains(&approved) && !piece.contains(&draft));
    app.stop().await;
}

#[tokio::test]
async fn chapter_and_status_filters_narrow_the_results() {
    let app = spawn_app().await;
    let q = encoded("สตาลิน");
    let all = get_page(&app, &format!("/search?q={q}")).await;
    let ch3 = get_page(&app, &format!("/search?q={q}&chapter=3")).await;
    let ch4 = get_page(&app, &format!("/search?q={q}&chapter=4")).await;
    let in_chapter = |page: &Page, n: i32| {
        page.select(".hit-where a")
            .into_iter()
            .all(|a| text(a).starts_with(&format!("Chapter {n},")))
    };
    assert!(in_chapter(&ch3, 3) && in_chapter(&ch4, 4));
    assert!(!hit_ids(&ch3).is_empty() && !hit_ids(&ch4).is_empty());
    assert_eq!(
        hit_ids(&ch3).len() + hit_ids(&ch4).len(),
        hit_ids(&all).len()
    );

    let stalin: Vec<Uuid> = segments_containing(&app, "สตาลิน")
        .await
        .into_iter()
        .collect();
    translate(&app.db.pool, stalin[0], "A draft about Stalin.", "draft").await;
    let tara = member(&app, "tara", "translator").await;
    let drafts = signed_in_page(
        &app,
        &tara.browser.client,
        &format!("/search?q={q}&status=draft"),
    )
    .await;
    assert_eq!(hit_ids(&drafts), [stalin[0]]);

    let bad = get_page(&app, &format!("/search?q={q}&status=finished")).await;
    assert_eq!(bad.status, 400);
    assert!(text(bad.one(".notice")).contains("status must be one of"));
    let bad = get_page(&app, &format!("/search?q={q}&chapter=three")).await;
    assert_eq!(bad.status, 400);
    assert!(text(bad.one(".notice")).contains("chapter must be a chapter number"));
    app.stop().await;
}

#[tokio::test]
async fn markup_in_a_query_or_a_text_is_shown_as_text() {
    let app = spawn_app().await;
    let segment = chapter_segments(&app.db.pool, 4).await[3].id;
    translate(
        &app.db.pool,
        segment,
        "<b>party</b> <script>x()</script>",
        "approved",
    )
    .await;
    let q = "<script>alert(1)</script> party";
    let response = app
        .client
        .get(app.url(&format!("/search?q={}", encoded(q))))
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(
        !body.contains("<script>alert"),
        "the query came back as markup"
    );
    assert!(!body.contains("<b>party"), "the text came back as markup");
    let page = scraper::Html::parse_document(&body);
    let input = page
        .select(&scraper::Selector::parse("#search-q").unwrap())
        .next()
        .unwrap();
    assert_eq!(input.value().attr("value"), Some(q));
    let mark = page
        .select(&scraper::Selector::parse(".hit-en mark").unwrap())
        .next()
        .expect("the English hit is marked");
    assert_eq!(mark.inner_html(), "party");
    app.stop().await;
}

#[tokio::test]
async fn whole_words_only_leaves_out_pieces_of_longer_words() {
    let app = spawn_app().await;
    // นา (a rice field) is inside many longer words (นาย, หน้า, …).
    let q = encoded("นา");
    let pieces = get_page(&app, &format!("/search?q={q}")).await;
    let whole = get_page(&app, &format!("/search?q={q}&words=1")).await;
    let (pieces, whole) = (hit_ids(&pieces), hit_ids(&whole));
    assert!(
        whole.len() < pieces.len(),
        "{} vs {}",
        whole.len(),
        pieces.len()
    );
    assert!(whole.iter().all(|id| pieces.contains(id)));
    app.stop().await;
}

/// A Thai→English pair as a TMX import stores it.
fn memory_unit(source: String, target: String) -> plae::db::tm::NewTmUnit {
    plae::db::tm::NewTmUnit {
        source_lang: "th".into(),
        target_lang: "en".into(),
        source_normalized: plae::text::normalize::normalize_inline(&source),
        source_text: source,
        target_text: target,
        file_created_at: None,
        file_created_by: None,
    }
}

/// A corpus paragraph with spaces in it (between phrases), and its Thai.
async fn paragraph_with_phrases(app: &TestApp) -> (Uuid, String) {
    chapter_segments(&app.db.pool, 3)
        .await
        .into_iter()
        .find(|s| s.kind == "paragraph" && s.source_th.split(' ').count() >= 4)
        .map(|s| (s.id, s.source_th))
        .expect("a paragraph with several phrases")
}

#[tokio::test]
async fn the_memory_offers_a_past_translation_with_a_correct_percentage() {
    let app = spawn_app().await;
    let (past, thai) = paragraph_with_phrases(&app).await;
    let english = "The approved English of that paragraph.";
    translate(&app.db.pool, past, english, "approved").await;
    // The same paragraph with its last phrase left out: a known edit.
    let (kept, dropped) = thai.rsplit_once(' ').unwrap();
    let new = append_segment(&app.db.pool, 3, "paragraph", kept).await;
    let chars = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
    let expected = 100 * (chars(&thai) - chars(dropped)) / chars(&thai);
    assert!(
        expected >= 70,
        "the edit leaves a fuzzy match ({expected}%)"
    );

    let tara = member(&app, "tara", "translator").await;
    let page = signed_in_page(&app, &tara.browser.client, &format!("/segments/{new}")).await;
    let matches = page.select(".tm-match");
    assert_eq!(matches.len(), 1, "one approved segment is like it");
    let first = matches[0];
    assert_eq!(
        text(select_in(first, ".tm-percent")[0]),
        format!("{expected}%")
    );
    assert_eq!(text(select_in(first, ".tm-target")[0]), english);
    let deleted: String = select_in(first, "del").into_iter().map(text).collect();
    assert_eq!(deleted.trim(), dropped.trim());
    // Insert, without JavaScript: the editor comes back with the English in it.
    let insert = select_in(first, "a.tm-insert")[0]
        .value()
        .attr("href")
        .unwrap();
    assert!(insert.starts_with(&format!("/segments/{new}?tm=segment:{past}")));
    let filled = signed_in_page(&app, &tara.browser.client, insert).await;
    assert_eq!(text(filled.one("textarea#english")), english);

    // The API says the same.
    let answer = api_get(&app, Some(&tara.token), &format!("/api/segments/{new}/tm")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json["matches"][0]["percent"].as_u64(),
        Some(expected as u64)
    );
    assert_eq!(answer.json["matches"][0]["target"], english);
    app.stop().await;
}

#[tokio::test]
async fn an_imported_memory_unit_with_the_same_source_is_an_exact_match() {
    let app = spawn_app().await;
    let (segment, thai) = paragraph_with_phrases(&app).await;
    let unit = memory_unit(thai.clone(), "From a CAT tool's memory.".into());
    let mut conn = app.db.pool.acquire().await.unwrap();
    plae::db::tm::insert_units(&mut conn, &[unit], "old.tmx", None)
        .await
        .unwrap();
    drop(conn);
    let tara = member(&app, "tara", "translator").await;
    let answer = api_get(
        &app,
        Some(&tara.token),
        &format!("/api/segments/{segment}/tm"),
    )
    .await;
    assert_eq!(answer.json["matches"][0]["percent"].as_u64(), Some(100));
    assert_eq!(answer.json["matches"][0]["origin"], "old.tmx");
    // Readers get no memory panel.
    let page = get_page(&app, &format!("/segments/{segment}")).await;
    assert!(page.select(".tm").is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_near_copy_is_found_among_thousands_of_units_sharing_its_common_words() {
    let app = spawn_app().await;
    let (segment, thai) = paragraph_with_phrases(&app).await;
    let phrases: Vec<&str> = thai.split(' ').collect();
    // Decoys first (stored first, read first by a scan in storage order): the paragraph's
    // longest phrase and one other, 3,000 of them, so that the keys of that phrase are
    // held by more units than a lookup reads.
    let common = phrases.iter().max_by_key(|p| p.chars().count()).unwrap();
    let decoys: Vec<_> = (0..3000)
        .map(|n| {
            let other = phrases[n % phrases.len()];
            memory_unit(format!("{common} {other}"), format!("Decoy {n}"))
        })
        .collect();
    // The near copy last: the paragraph without its last phrase.
    let (kept, _) = thai.rsplit_once(' ').unwrap();
    let near = memory_unit(kept.to_string(), "The near copy's English.".into());
    let expected = plae::tm::percent(kept, &thai);
    assert!(expected >= 70, "{expected}%");
    let mut conn = app.db.pool.acquire().await.unwrap();
    let added = plae::db::tm::insert_units(&mut conn, &decoys, "decoys.tmx", None)
        .await
        .unwrap();
    assert_eq!(added, 3000);
    plae::db::tm::insert_units(&mut conn, &[near], "near.tmx", None)
        .await
        .unwrap();
    drop(conn);

    let tara = member(&app, "tara", "translator").await;
    let answer = api_get(
        &app,
        Some(&tara.token),
        &format!("/api/segments/{segment}/tm"),
    )
    .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json["matches"][0]["target"],
        "The near copy's English."
    );
    assert_eq!(
        answer.json["matches"][0]["percent"].as_u64(),
        Some(u64::from(expected))
    );
    app.stop().await;
}
