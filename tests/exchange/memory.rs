//! TMX into the translation memory: pairs stored once with their origin, who imported
//! them and what the file said of them, normalized for lookups, indexed by trigram.

use plae::db::tm::list_units;
use plae::exchange::import_tmx;
use plae::export::{export, ExportOptions, Format, Include};
use plae::text::normalize::normalize_inline;

use crate::world;

#[tokio::test]
async fn a_tmx_export_imports_into_the_memory_once_with_its_provenance() {
    let w = world().await;
    let options = ExportOptions {
        include: Include::Drafts,
        ..ExportOptions::new(Format::Tmx)
    };
    let tmx = export(&w.chapter().await, &options);
    let before = w.db.fingerprint().await;
    let mut conn = w.conn().await;

    let report = import_tmx(
        &mut conn,
        Some(w.reviewer.user_id),
        tmx.as_bytes(),
        "out/ch4.tmx",
    )
    .await
    .expect("the memory imports");
    assert_eq!(
        (report.pairs, report.added, report.already_known),
        (4, 4, 0)
    );
    assert_eq!(report.file_name, "ch4.tmx");
    assert!(report.to_string().contains("4 added"), "{report}");

    let units = list_units(&mut conn).await.unwrap();
    assert_eq!(units.len(), 4);
    for unit in &units {
        assert_eq!(
            (unit.source_lang.as_str(), unit.target_lang.as_str()),
            ("th", "en")
        );
        assert_eq!(unit.origin, "ch4.tmx");
        assert_eq!(unit.created_by, Some(w.reviewer.user_id));
        assert_eq!(unit.source_normalized, normalize_inline(&unit.source_text));
        assert_eq!(unit.file_created_by.as_deref(), Some("somchai"));
        assert!(unit.file_created_at.is_some());
    }
    assert!(units
        .iter()
        .any(|u| u.target_text == "A new era <began> & \"went on\"."));

    // The same file again, and a file holding a pair already known: nothing new.
    let again = import_tmx(&mut conn, None, tmx.as_bytes(), "ch4-again.tmx")
        .await
        .unwrap();
    assert_eq!((again.added, again.already_known), (0, 4));
    assert_eq!(list_units(&mut conn).await.unwrap().len(), 4);
    // The memory is no work on the book.
    drop(conn);
    assert_eq!(w.db.fingerprint().await, before);
}

#[tokio::test]
async fn the_memory_is_indexed_by_trigram_when_the_server_has_pg_trgm() {
    let w = world().await;
    let has_trgm: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm')")
            .fetch_one(&w.db.pool)
            .await
            .unwrap();
    let index: Option<String> = sqlx::query_scalar(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'tm_units_source_trgm_idx'",
    )
    .fetch_optional(&w.db.pool)
    .await
    .unwrap();
    if has_trgm {
        let index = index.expect("a trigram index");
        assert!(
            index.contains("gin (source_normalized gin_trgm_ops)"),
            "{index}"
        );
    } else {
        assert_eq!(index, None);
    }
}

/// `tm_key_counts` against a count made from scratch: (key, units) for every key some
/// unit holds.
async fn key_counts(conn: &mut sqlx::PgConnection) -> (Vec<(i32, i32)>, Vec<(i32, i32)>) {
    let kept = sqlx::query_as("SELECT key, units FROM tm_key_counts WHERE units > 0 ORDER BY key")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    let counted = sqlx::query_as(
        "SELECT k, count(*)::int4 FROM tm_units, unnest(source_keys) AS k
          GROUP BY k ORDER BY k",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    (kept, counted)
}

#[tokio::test]
async fn the_lookup_key_counts_follow_imports_key_fills_and_deletions() {
    let w = world().await;
    let options = ExportOptions {
        include: Include::Drafts,
        ..ExportOptions::new(Format::Tmx)
    };
    let tmx = export(&w.chapter().await, &options);
    let mut conn = w.conn().await;
    import_tmx(&mut conn, None, tmx.as_bytes(), "ch4.tmx")
        .await
        .unwrap();
    let (kept, counted) = key_counts(&mut conn).await;
    assert!(!counted.is_empty());
    assert_eq!(kept, counted);

    // Units stored before keys existed get them later (`fill_unit_keys`).
    sqlx::query("UPDATE tm_units SET source_keys = NULL")
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(key_counts(&mut conn).await, (vec![], vec![]));
    assert_eq!(plae::db::tm::fill_unit_keys(&mut conn).await.unwrap(), 4);
    let (kept, counted) = key_counts(&mut conn).await;
    assert_eq!(kept.len(), counted.len());
    assert_eq!(kept, counted);

    sqlx::query("DELETE FROM tm_units WHERE ctid = (SELECT min(ctid) FROM tm_units)")
        .execute(&mut *conn)
        .await
        .unwrap();
    let (kept, counted) = key_counts(&mut conn).await;
    assert_eq!(kept, counted);
}
