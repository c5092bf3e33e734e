//! Reading TMX as other tools write it, and refusing what holds no Thai–English pair.

use chrono::TimeZone;

use super::*;

fn tmx(version: &str, srclang: &str, body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="{version}">
  <header creationtool="X" creationtoolversion="1" segtype="sentence" o-tmf="x"
          adminlang="en-US" srclang="{srclang}" datatype="plaintext"/>
  <body>{body}</body>
</tmx>"#
    )
}

#[test]
fn pairs_are_the_units_with_thai_and_english_whatever_their_region_and_order() {
    let body = r#"
      <tu creationdate="20250101T000000Z" creationid="tu-author">
        <tuv xml:lang="EN-GB"><seg>The <bpt i="1">&lt;b&gt;</bpt>Five-Year<ept i="1">&lt;/b&gt;</ept> Plans<ph>[^3]</ph></seg></tuv>
        <tuv xml:lang="th-TH" creationdate="20260102T030405Z"><seg>แผน<hi>ห้าปี</hi></seg></tuv>
      </tu>
      <tu><tuv xml:lang="th"><seg>ก</seg></tuv><tuv xml:lang="fr"><seg>a</seg></tuv></tu>
      <tu><tuv xml:lang="th"><seg> </seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu>
      <tu><tuv xml:lang="th"><seg>ค</seg></tuv>
          <tuv xml:lang="en" creationdate="20261120T101500Z" creationid="somchai"><seg>C &amp; D</seg></tuv></tu>"#;
    let file = read_tmx(tmx("1.4", "*all*", body).as_bytes()).unwrap();
    assert_eq!(file.skipped, 2);
    assert_eq!(file.languages, ["en", "th", "fr"]);
    assert_eq!(
        file.pairs[0],
        TmxPair {
            thai: "แผนห้าปี".into(),
            english: "The Five-Year Plans".into(),
            created_at: Some(Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()),
            created_by: Some("tu-author".into()),
        }
    );
    assert_eq!(file.pairs[1].english, "C & D");
    assert_eq!(file.pairs[1].created_by.as_deref(), Some("somchai"));
    assert_eq!(
        file.pairs[1].created_at,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 10, 15, 0).unwrap())
    );
}

#[test]
fn tmx_1_1_names_languages_with_lang() {
    let body = r#"<tu><tuv lang="TH"><seg>ก</seg></tuv><tuv lang="EN"><seg>A</seg></tuv></tu>"#;
    let file = read_tmx(tmx("1.1", "TH", body).as_bytes()).unwrap();
    assert_eq!(file.pairs.len(), 1);
}

#[test]
fn a_file_without_a_thai_english_pair_is_refused_naming_its_languages() {
    let body =
        r#"<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg></tuv></tu>"#;
    let error = read_tmx(tmx("1.4", "en", body).as_bytes()).unwrap_err();
    assert!(matches!(error, ExchangeError::NothingToImport(_)));
    assert!(error.to_string().contains("languages: en, de"), "{error}");
    let error = read_tmx(tmx("1.4", "de-DE", body).as_bytes()).unwrap_err();
    assert!(matches!(error, ExchangeError::WrongLanguages(_)));
    assert!(error.to_string().contains("de-DE"));
}

#[test]
fn other_versions_formats_and_shapes_are_refused() {
    let error = read_tmx(tmx("2.0", "th", "").as_bytes()).unwrap_err();
    assert!(matches!(error, ExchangeError::UnsupportedVersion(_)));
    assert!(error.to_string().contains("\"2.0\""));
    let xliff = r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"/>"#;
    assert!(matches!(
        read_tmx(xliff.as_bytes()),
        Err(ExchangeError::WrongFormat(_))
    ));
    let headless = r#"<tmx version="1.4"><body/></tmx>"#;
    assert!(matches!(
        read_tmx(headless.as_bytes()),
        Err(ExchangeError::Invalid(_))
    ));
}

#[test]
fn dates_are_tmx_dates_or_nothing() {
    assert_eq!(
        parse_date("20261123T101500Z"),
        Some(Utc.with_ymd_and_hms(2026, 11, 23, 10, 15, 0).unwrap())
    );
    assert_eq!(parse_date("2026-11-23"), None);
}
