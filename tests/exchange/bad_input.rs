//! Every kind of bad exchange file is refused with a message that says what is wrong, and
//! the database is exactly as it was: not a revision, not a status, not a memory unit.

use plae::exchange::{import_tmx, import_xliff, ExchangeError, MAX_FILE_BYTES};
use plae::export::Format;

use crate::{world, World, DRAFT};

async fn xliff_refused(w: &World, bytes: &[u8]) -> ExchangeError {
    let before = w.db.fingerprint().await;
    let mut conn = w.conn().await;
    let error = import_xliff(&mut conn, &w.translator, bytes, "bad.xlf")
        .await
        .expect_err("the file is refused");
    drop(conn);
    assert_eq!(w.db.fingerprint().await, before, "nothing changed: {error}");
    error
}

async fn tmx_refused(w: &World, bytes: &[u8]) -> ExchangeError {
    let before = w.db.fingerprint().await;
    let mut conn = w.conn().await;
    let error = import_tmx(&mut conn, Some(w.translator.user_id), bytes, "bad.tmx")
        .await
        .expect_err("the file is refused");
    let units: i64 = sqlx::query_scalar("SELECT count(*) FROM tm_units")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(units, 0, "no memory unit: {error}");
    assert_eq!(w.db.fingerprint().await, before, "nothing changed: {error}");
    error
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE xliff [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="th" trgLang="en">
  <file id="f"><unit id="UNIT"><segment><source>ก</source><target>&lol9;</target></segment></unit></file>
</xliff>"#;

#[tokio::test]
async fn an_entity_bomb_or_an_external_entity_is_refused_unexpanded_and_nothing_changes() {
    let w = world().await;
    let unit = w.segments[DRAFT].to_string();
    let bomb = BILLION_LAUGHS.replace("UNIT", &unit);
    let started = std::time::Instant::now();
    let error = xliff_refused(&w, bomb.as_bytes()).await;
    assert!(matches!(error, ExchangeError::Xml(_)));
    assert!(error.to_string().contains("DOCTYPE"), "{error}");
    assert!(started.elapsed().as_secs() < 5, "nothing was expanded");

    let xxe = format!(
        r#"<?xml version="1.0"?>
<!DOCTYPE xliff [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="th" trgLang="en">
  <file id="f"><unit id="{unit}"><segment><source>ก</source><target>&xxe;</target></segment></unit></file>
</xliff>"#
    );
    let error = xliff_refused(&w, xxe.as_bytes()).await;
    assert!(error.to_string().contains("DOCTYPE"), "{error}");
    assert!(
        !error.to_string().contains("root:x:0"),
        "the file was never read"
    );
    let tmx_xxe = r#"<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "http://127.0.0.1:9/tmx14.dtd">
<tmx version="1.4"><header srclang="th"/><body/></tmx>"#;
    let error = tmx_refused(&w, tmx_xxe.as_bytes()).await;
    assert!(error.to_string().contains("DOCTYPE"), "{error}");
}

#[tokio::test]
async fn files_that_are_not_xliff_or_not_thai_english_xliff_are_refused_by_what_is_wrong() {
    let w = world().await;
    let good = w.export(Format::Xliff).await;
    let half = (0..=good.len() / 2)
        .rev()
        .find(|&i| good.is_char_boundary(i))
        .unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "the file is empty"),
        (
            "not XML",
            b"Chapter 4\tStalin\n".to_vec(),
            "not well-formed XML",
        ),
        (
            "cut short",
            good.as_bytes()[..half].to_vec(),
            "not well-formed XML",
        ),
        (
            "HTML",
            b"<html><body>hi</body></html>".to_vec(),
            "not an XLIFF file",
        ),
        (
            "XLIFF 1.1",
            good.replace("version=\"2.0\"", "version=\"1.1\"")
                .into_bytes(),
            "XLIFF version \"1.1\"",
        ),
        (
            "Thai to French",
            good.replace("trgLang=\"en\"", "trgLang=\"fr\"")
                .into_bytes(),
            "into fr",
        ),
        (
            "English to Thai",
            good.replace(
                "srcLang=\"th\" trgLang=\"en\"",
                "srcLang=\"en\" trgLang=\"th\"",
            )
            .into_bytes(),
            "Thai (th) into English (en)",
        ),
        (
            "Latin-1",
            good.replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"")
                .into_bytes(),
            "UTF-8",
        ),
    ];
    for (what, bytes, says) in cases {
        let error = xliff_refused(&w, &bytes).await.to_string();
        assert!(error.contains(says), "{what}: {error}");
    }
}

#[tokio::test]
async fn a_file_of_unknown_ids_only_is_refused() {
    let w = world().await;
    let good = w.export(Format::Xliff).await;
    let mut foreign = good.clone();
    for id in &w.segments {
        foreign = foreign.replace(&id.to_string(), &uuid::Uuid::new_v4().to_string());
    }
    let error = xliff_refused(&w, foreign.as_bytes()).await;
    assert!(matches!(error, ExchangeError::NothingToImport(_)));
    assert!(error.to_string().contains("none of the file's"), "{error}");
    let not_uuids = good.replace("<unit id=\"", "<unit id=\"x");
    let error = xliff_refused(&w, not_uuids.as_bytes()).await;
    assert!(matches!(error, ExchangeError::NothingToImport(_)));
}

#[tokio::test]
async fn a_huge_file_is_refused_before_it_is_read() {
    let w = world().await;
    let mut huge = w.export(Format::Xliff).await.into_bytes();
    huge.resize(MAX_FILE_BYTES + 1, b' ');
    let error = xliff_refused(&w, &huge).await;
    assert!(matches!(error, ExchangeError::TooLarge(_)));
    assert!(error.to_string().contains("50 MiB"), "{error}");
    let error = tmx_refused(&w, &huge).await;
    assert!(matches!(error, ExchangeError::TooLarge(_)));
}

#[tokio::test]
async fn one_refused_unit_rolls_back_the_units_before_it() {
    let w = world().await;
    let good = w.export(Format::Xliff).await;
    // The first translatable unit changes; a later one is far over the length limit.
    let edited = good
        .replacen(
            "...Everything changed...</target>",
            "...Everything changed, and more...</target>",
            1,
        )
        .replacen(
            "Victor Serge compared the two eras.</target>",
            &format!("{}</target>", "long ".repeat(12_000)),
            1,
        );
    assert_ne!(edited, good);
    let error = xliff_refused(&w, edited.as_bytes()).await;
    assert!(matches!(error, ExchangeError::Unit { .. }), "{error}");
    assert!(error.to_string().contains("the limit is 50000"), "{error}");
    assert!(error
        .to_string()
        .contains(&w.segments[crate::SUBMITTED].to_string()));
}

#[tokio::test]
async fn tmx_files_without_a_thai_english_pair_or_of_another_version_are_refused() {
    let w = world().await;
    let good = w.export(Format::Tmx).await;
    for (bytes, says) in [
        (
            good.replace("version=\"1.4\"", "version=\"2.0\""),
            "TMX version \"2.0\"",
        ),
        (good.replace("srclang=\"th\"", "srclang=\"fr\""), "\"fr\""),
        (
            good.replace("xml:lang=\"en\"", "xml:lang=\"de\""),
            "no Thai–English pair",
        ),
        ("<tmx version=\"1.4\"><body/></tmx>".into(), "no <header>"),
        ("<xliff/>".into(), "not a TMX file"),
        ("ประวัติศาสตร์".into(), "not well-formed XML"),
    ] {
        let error = tmx_refused(&w, bytes.as_bytes()).await.to_string();
        assert!(error.contains(says), "{error}");
    }
}
