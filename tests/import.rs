//! Importing chapter files into a real PostgreSQL: the first import, re-imports that change
//! nothing or a little, files that must be refused without changing anything, and the
//! startup checks around it. A fresh database per test (see `common`).

mod common;

use std::path::{Path, PathBuf};

use common::{corpus_copy, database_with, migrated_database, spawn_app, test_settings, TestDb};
use plae::corpus::Corpus;
use plae::db::{self, chapters::Chapter, segments::ChapterSegment};
use plae::import::{self, ImportError, Outcome};
use plae::startup::Application;
use plae::text::normalize;
use plae::text::segment::{self, SegmentKind};

fn file_of(corpus: &Corpus, number: i32) -> PathBuf {
    let chapter = corpus.chapters.iter().find(|c| c.number == number).unwrap();
    corpus.dir.join(&chapter.file)
}

/// What the pipeline makes of a file, without the database.
fn expected_segments(path: &Path) -> Vec<segment::Segment> {
    let bytes = std::fs::read(path).unwrap();
    segment::segment(&normalize::normalize(
        normalize::decode_utf8(&bytes).unwrap(),
    ))
}

async fn chapter(db: &TestDb, number: i32) -> Chapter {
    let mut conn = db.pool.acquire().await.unwrap();
    let book = db::books::get_book_by_slug(&mut conn, "soviet-history")
        .await
        .unwrap()
        .unwrap();
    db::chapters::get_chapter_by_number(&mut conn, book.id, number)
        .await
        .unwrap()
        .unwrap()
}

async fn live_segments(db: &TestDb, chapter_id: uuid::Uuid) -> Vec<ChapterSegment> {
    let mut conn = db.pool.acquire().await.unwrap();
    db::segments::list_chapter_segments(&mut conn, chapter_id)
        .await
        .unwrap()
}

#[tokio::test]
async fn importing_the_corpus_creates_one_book_with_its_chapters_in_number_order() {
    let db = migrated_database().await;
    let (_dir, corpus) = corpus_copy();

    let report = import::import_corpus(&db.pool, &corpus).await.unwrap();

    assert!(
        report.files.iter().all(|f| f.outcome == Outcome::New),
        "{report}"
    );
    let mut conn = db.pool.acquire().await.unwrap();
    let books = db::books::list_books(&mut conn).await.unwrap();
    assert_eq!(books.len(), 1);
    assert_eq!(books[0].slug, "soviet-history");
    let progress = db::chapters::chapter_progress(&mut conn, books[0].id)
        .await
        .unwrap();
    let numbers: Vec<i32> = progress.iter().map(|c| c.number).collect();
    assert_eq!(
        numbers,
        [3, 4],
        "chapters are read by number, not by file name"
    );
    assert_eq!(progress[1].title_en.as_deref(), Some("Stalin"));
    for number in [3, 4] {
        let chapter = chapter(&db, number).await;
        let stored = live_segments(&db, chapter.id).await;
        let expected = expected_segments(&file_of(&corpus, number));
        let texts: Vec<(&str, &str)> = stored
            .iter()
            .map(|s| (s.kind.as_str(), s.source_th.as_str()))
            .collect();
        let want: Vec<(&str, &str)> = expected
            .iter()
            .map(|s| (s.kind.as_str(), s.text.as_str()))
            .collect();
        assert_eq!(
            texts, want,
            "chapter {number} holds its segments in reading order"
        );
        assert!(stored
            .iter()
            .all(|s| s.status == "untranslated" && s.english.is_none()));
        let row = &progress[(number - 3) as usize];
        assert_eq!(row.segments, stored.len() as i64);
        let chars: usize = stored.iter().map(|s| s.source_th.chars().count()).sum();
        assert_eq!(row.thai_chars, chars as i64);
        assert_eq!((row.translated_segments, row.approved_chars), (0, 0));
    }
}

#[tokio::test]
async fn reimporting_unchanged_files_changes_nothing() {
    let db = migrated_database().await;
    let (_dir, corpus) = corpus_copy();
    import::import_corpus(&db.pool, &corpus).await.unwrap();
    let before = db.fingerprint().await;

    let report = import::import_corpus(&db.pool, &corpus).await.unwrap();

    assert!(
        report.files.iter().all(|f| f.outcome == Outcome::Unchanged),
        "{report}"
    );
    assert!(report.to_string().contains("unchanged"));
    assert_eq!(db.fingerprint().await, before);
}

/// Five paragraphs of chapter 4 with at least two other segments between each two of them,
/// so that each edit made to them is a gap of its own in the alignment.
fn spaced_paragraphs(segments: &[ChapterSegment]) -> [usize; 5] {
    let paragraphs: Vec<usize> = (1..segments.len())
        .filter(|&i| segments[i].kind == "paragraph")
        .collect();
    let picked: Vec<usize> = paragraphs.iter().copied().step_by(3).take(5).collect();
    picked.try_into().expect("fifteen paragraphs in chapter 4")
}

async fn add_revision(db: &TestDb, segment_id: uuid::Uuid) {
    let mut conn = db.pool.acquire().await.unwrap();
    db::revisions::insert_revision(&mut conn, segment_id, None, "English work", None)
        .await
        .unwrap();
}

/// The re-import rules, on segment lists edited exactly (the file-level test below cannot
/// control how the segmenter reacts to an edit).
#[tokio::test]
async fn a_reimport_keeps_ids_marks_changed_english_and_retires_instead_of_deleting() {
    let db = migrated_database().await;
    let (_dir, corpus) = corpus_copy();
    import::import_corpus(&db.pool, &corpus).await.unwrap();
    let chapter4 = chapter(&db, 4).await;
    let before = live_segments(&db, chapter4.id).await;
    let [edit_translated, edit_plain, remove_translated, remove_plain, insert_after] =
        spaced_paragraphs(&before);
    add_revision(&db, before[edit_translated].id).await;
    add_revision(&db, before[remove_translated].id).await;
    let path = file_of(&corpus, 4);
    let name = chapter4.source_name.as_str();
    let known = import::Known {
        meta: corpus.chapter_for_file(name),
        chapter_flag: None,
    };
    let mut chapter = import::prepare(name, &std::fs::read(&path).unwrap(), known).unwrap();
    let added = segment::Segment {
        kind: SegmentKind::Paragraph,
        text: "ย่อหน้าใหม่".into(),
    };
    let segments = &mut chapter.segments;
    segments.insert(insert_after + 1, added);
    segments.remove(remove_plain);
    segments.remove(remove_translated);
    segments[edit_plain].text.push_str(" แก้");
    segments[edit_translated].text.push_str(" แก้ไข");
    chapter.sha256 = "f".repeat(64);

    let mut tx = db.pool.begin().await.unwrap();
    let report = import::write_chapters(&mut tx, &corpus.book, &[chapter])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let counts = report.files[0].counts;
    assert_eq!(
        (
            counts.updated,
            counts.marked_for_review,
            counts.retired,
            counts.deleted,
            counts.inserted
        ),
        (2, 1, 1, 1, 1),
        "{report}"
    );
    assert_eq!(counts.unchanged, before.len() - 4);
    let after = live_segments(&db, chapter4.id).await;
    let find = |id| after.iter().find(|s: &&ChapterSegment| s.id == id);
    let changed = [edit_translated, edit_plain, remove_translated, remove_plain];
    for (_, old) in before
        .iter()
        .enumerate()
        .filter(|(i, _)| !changed.contains(i))
    {
        let kept = find(old.id).expect("an unchanged segment keeps its id");
        assert_eq!(kept.source_th, old.source_th);
    }
    let marked = find(before[edit_translated].id).unwrap();
    assert!(marked.source_th.ends_with(" แก้ไข") && marked.source_changed_at.is_some());
    let plain = find(before[edit_plain].id).unwrap();
    assert!(plain.source_th.ends_with(" แก้") && plain.source_changed_at.is_none());
    let new_index = after
        .iter()
        .position(|s| s.source_th == "ย่อหน้าใหม่")
        .unwrap();
    assert_eq!(after[new_index - 1].id, before[insert_after].id);

    let mut conn = db.pool.acquire().await.unwrap();
    let removed = before[remove_translated].id;
    let retired = db::segments::get_segment_in_context(&mut conn, removed)
        .await
        .unwrap();
    let retired = retired.expect("a segment with English is kept");
    assert!(retired.retired_at.is_some() && retired.ordinal.is_none());
    assert!(
        find(removed).is_none(),
        "a retired segment is not in the chapter"
    );
    assert_eq!(
        db::revisions::list_revisions(&mut conn, removed)
            .await
            .unwrap()
            .len(),
        1
    );
    let gone = db::segments::get_segment_in_context(&mut conn, before[remove_plain].id);
    assert!(
        gone.await.unwrap().is_none(),
        "an untranslated segment gone from the source is deleted"
    );
}

/// The same through a real edited file: whatever the segmenter makes of the edit, the
/// chapter reads as the new file, and no segment with English is lost.
#[tokio::test]
async fn reimporting_an_edited_file_follows_the_new_text_and_keeps_english_work() {
    let db = migrated_database().await;
    let (_dir, corpus) = corpus_copy();
    import::import_corpus(&db.pool, &corpus).await.unwrap();
    let chapter4 = chapter(&db, 4).await;
    let before = live_segments(&db, chapter4.id).await;
    let picked = spaced_paragraphs(&before);
    for &i in &picked {
        add_revision(&db, before[i].id).await;
    }
    let path = file_of(&corpus, 4);
    let mut text = normalize::normalize(&std::fs::read_to_string(&path).unwrap());
    let [edit, remove, _, _, insert_after] = picked.map(|i| before[i].source_th.as_str());
    // Whole-line edits where a paragraph is one line of the file; else the edit is skipped.
    text = text.replacen(edit, &format!("{edit} แก้ไข"), 1);
    text = text.replacen(&format!("\n{remove}\n"), "\n", 1);
    text = text.replacen(insert_after, &format!("{insert_after}\n\nย่อหน้าใหม่"), 1);
    std::fs::write(&path, &text).unwrap();

    let report = import::import_files(&db.pool, &corpus, std::slice::from_ref(&path), None)
        .await
        .unwrap();

    assert_eq!(report.files[0].outcome, Outcome::Updated, "{report}");
    let after = live_segments(&db, chapter4.id).await;
    let expected = expected_segments(&path);
    let got: Vec<(&str, &str)> = after
        .iter()
        .map(|s| (s.kind.as_str(), &*s.source_th))
        .collect();
    let want: Vec<(&str, &str)> = expected
        .iter()
        .map(|s| (s.kind.as_str(), &*s.text))
        .collect();
    assert_eq!(got, want, "the chapter reads as the new file");
    let c = report.files[0].counts;
    assert_eq!(
        c.inserted + c.updated + c.unchanged,
        after.len(),
        "{report}"
    );
    let mut conn = db.pool.acquire().await.unwrap();
    for &i in &picked {
        let kept = db::segments::get_segment_in_context(&mut conn, before[i].id)
            .await
            .unwrap();
        let kept = kept.expect("a segment with English is never deleted");
        let same_text = kept.source_th == before[i].source_th;
        assert!(kept.retired_at.is_some() || same_text || kept.source_changed_at.is_some());
    }
    for old in &before {
        let unique =
            |list: &[(&str, &str)]| list.iter().filter(|s| s.1 == old.source_th).count() == 1;
        if unique(&got)
            && before
                .iter()
                .filter(|s| s.source_th == old.source_th)
                .count()
                == 1
        {
            let kept = after.iter().find(|s| s.source_th == old.source_th).unwrap();
            assert_eq!(kept.id, old.id, "an unchanged segment keeps its id");
        }
    }
}

/// Bad files of every kind, each next to a good changed file: the import fails naming the
/// bad file and what is wrong, and the database is exactly as before.
#[tokio::test]
async fn a_bad_file_among_good_ones_changes_nothing() {
    let db = migrated_database().await;
    let (dir, corpus) = corpus_copy();
    import::import_corpus(&db.pool, &corpus).await.unwrap();
    let good = file_of(&corpus, 3);
    let text = std::fs::read_to_string(&good).unwrap();
    std::fs::write(&good, text.replacen("โซเวียต", "โซเวียตรัสเซีย", 1)).unwrap();
    let before = db.fingerprint().await;

    let thai = "บทที่ 9 ทดสอบ\n\nย่อหน้าหนึ่ง\n".as_bytes();
    let mut invalid_utf8 = thai.to_vec();
    invalid_utf8.insert(16, 0xFF);
    let mut binary = thai.to_vec();
    binary.insert(16, 0);
    let mut huge = Vec::new();
    while huge.len() as u64 <= import::MAX_FILE_BYTES {
        huge.extend_from_slice(thai);
    }
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("invalid.txt", invalid_utf8, "offset 16"),
        ("empty.txt", Vec::new(), "empty"),
        ("binary.txt", binary, "NUL byte at offset 16"),
        ("huge.txt", huge, "limit"),
        (
            "latin.txt",
            b"Chapter 9\n\nNo Thai here.\n".to_vec(),
            "no Thai text",
        ),
        (
            "unnumbered.txt",
            "ย่อหน้าเดียว\n".as_bytes().to_vec(),
            "--chapter",
        ),
    ];
    for (name, bytes, what) in cases {
        let bad = dir.path().join(name);
        std::fs::write(&bad, bytes).unwrap();

        let err = import::import_files(&db.pool, &corpus, &[good.clone(), bad], None)
            .await
            .expect_err(name);

        let message = err.to_string();
        assert!(
            message.contains(name) && message.contains(what),
            "{name}: {message}"
        );
        assert_eq!(
            db.fingerprint().await,
            before,
            "{name} changed the database"
        );
    }
}

#[tokio::test]
async fn two_files_for_the_same_chapter_are_refused() {
    let db = migrated_database().await;
    let (dir, corpus) = corpus_copy();
    let copy = dir.path().join("copy.txt");
    std::fs::copy(file_of(&corpus, 4), &copy).unwrap();

    let err = import::import_files(&db.pool, &corpus, &[file_of(&corpus, 4), copy], None)
        .await
        .unwrap_err();

    assert!(
        matches!(err, ImportError::SameChapterTwice { number: 4, .. }),
        "{err}"
    );
    assert_eq!(db.fingerprint().await.books, 0, "no book was created");
}

#[tokio::test]
async fn a_file_outside_book_toml_is_numbered_by_its_title_or_the_flag() {
    let db = migrated_database().await;
    let (dir, corpus) = corpus_copy();
    let extra = dir.path().join("extra.txt");
    std::fs::write(&extra, "บทที่ ๗ ภาคผนวก\n\nย่อหน้าแรกของบทนี้\n").unwrap();

    let by_title = import::import_files(&db.pool, &corpus, std::slice::from_ref(&extra), None)
        .await
        .unwrap();
    let by_flag = import::import_files(&db.pool, &corpus, &[extra], Some(8))
        .await
        .unwrap();

    assert_eq!(
        (by_title.files[0].chapter, by_flag.files[0].chapter),
        (7, 8)
    );
    assert_eq!(chapter(&db, 7).await.title_th, "ภาคผนวก");
    assert_eq!(chapter(&db, 8).await.title_en, None);
}

#[tokio::test]
async fn instances_starting_together_import_the_corpus_once() {
    let db = migrated_database().await;
    let corpus = Corpus::load(&common::corpus_dir()).unwrap();

    let (a, b) = tokio::join!(
        import::import_corpus_if_empty(&db.pool, &corpus),
        import::import_corpus_if_empty(&db.pool, &corpus)
    );

    let imports = [a.unwrap(), b.unwrap()].into_iter().flatten().count();
    assert_eq!(imports, 1);
    let rows = db.fingerprint().await;
    assert_eq!((rows.books, rows.chapters), (1, 2));
}

#[tokio::test]
async fn a_database_without_a_utf8_ctype_is_refused_at_startup() {
    let db = database_with("ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0").await;

    let err = Application::build_with_pool(test_settings(), db.pool.clone())
        .await
        .err()
        .expect("startup refuses a C ctype");

    let message = format!("{err:#}");
    assert!(
        message.contains("LC_CTYPE") && message.contains("UTF-8"),
        "{message}"
    );
    let migrated: Option<String> = sqlx::query_scalar("SELECT to_regclass('books')::text")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(
        migrated, None,
        "nothing was written to the refused database"
    );
}

#[tokio::test]
async fn the_app_imports_the_corpus_on_first_start_and_reports_healthy() {
    let app = spawn_app().await;

    let response = app.client.get(app.url("/healthz")).send().await.unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ok");
    app.stop().await;
    // The test's own pool outlives the server it lent to the app.
    let rows = app.db.fingerprint().await;
    assert_eq!((rows.books, rows.chapters), (1, 2));
    assert!(rows.segments > 50);
}

/// A reviewer, straight into the database: the workflow needs an id and a role.
async fn reviewer(db: &TestDb) -> plae::workflow::Actor {
    let user_id = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, role)
         VALUES ('rev', 'Rev', 'reviewer') RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    plae::workflow::Actor {
        user_id,
        role: plae::workflow::Role::Reviewer,
    }
}

/// Corrections, merges and splits are reviewers' fixes of the imported text: importing the
/// same file again (unchanged, or edited elsewhere, or even edited at a corrected segment)
/// must not revert them.
#[tokio::test]
async fn a_reimport_does_not_revert_corrections_merges_or_splits() {
    use plae::workflow::{self, Join, SplitPoint};
    let db = migrated_database().await;
    let (_dir, corpus) = corpus_copy();
    import::import_corpus(&db.pool, &corpus).await.unwrap();
    let chapter4 = chapter(&db, 4).await;
    let before = live_segments(&db, chapter4.id).await;
    let [fixed, merged, split, edited, _] = spaced_paragraphs(&before);
    let who = reviewer(&db).await;
    let mut conn = db.pool.acquire().await.unwrap();
    let correction = format!("{} (แก้)", before[fixed].source_th);
    workflow::correct_source(&mut conn, &who, before[fixed].id, &correction, "OCR", 0)
        .await
        .unwrap();
    let next = before[merged + 1].id;
    workflow::merge_with_next(
        &mut conn,
        &who,
        before[merged].id,
        next,
        (0, 0),
        Join::Space,
    )
    .await
    .unwrap();
    let thai = &before[split].source_th;
    let point = SplitPoint {
        thai_at: thai.chars().position(|c| c == ' ').unwrap() + 1,
        english_at: None,
    };
    workflow::split(&mut conn, &who, before[split].id, 0, point)
        .await
        .unwrap();
    drop(conn);
    let fixed_up = live_segments(&db, chapter4.id).await;
    let fingerprint = db.fingerprint().await;

    // `plae import` of the very same file.
    let path = file_of(&corpus, 4);
    let report = import::import_files(&db.pool, &corpus, &[path.clone()], None)
        .await
        .unwrap();
    assert_eq!(report.files[0].outcome, Outcome::Unchanged);
    assert_eq!(db.fingerprint().await, fingerprint);

    // The same text edited elsewhere, then also at the corrected segment.
    let name = chapter4.source_name.as_str();
    let prepared = || {
        let known = import::Known {
            meta: corpus.chapter_for_file(name),
            chapter_flag: None,
        };
        import::prepare(name, &std::fs::read(&path).unwrap(), known).unwrap()
    };
    let mut elsewhere = prepared();
    elsewhere.segments[edited].text.push_str(" แก้");
    elsewhere.sha256 = "e".repeat(64);
    let mut there_too = prepared();
    there_too.segments[edited].text.push_str(" แก้");
    there_too.segments[fixed].text.push_str(" อีก");
    there_too.sha256 = "d".repeat(64);
    for (file, kept) in [(elsewhere, 0), (there_too, 1)] {
        let mut tx = db.pool.begin().await.unwrap();
        let report = import::write_chapters(&mut tx, &corpus.book, &[file])
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let counts = report.files[0].counts;
        assert_eq!(
            (
                counts.inserted,
                counts.deleted,
                counts.retired,
                counts.kept_corrections
            ),
            (0, 0, 0, kept),
            "{report}"
        );
        let after = live_segments(&db, chapter4.id).await;
        let ids = |rows: &[ChapterSegment]| rows.iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(
            ids(&after),
            ids(&fixed_up),
            "the same segments, in the same order"
        );
        for (now, was) in after.iter().zip(&fixed_up) {
            match now.id == before[edited].id {
                true => assert!(now.source_th.ends_with(" แก้")),
                false => assert_eq!(now.source_th, was.source_th, "{}", now.id),
            }
        }
    }
}
