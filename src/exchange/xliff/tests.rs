//! Reading XLIFF as CAT tools write it, and refusing what is not a Thai–English XLIFF
//! Plae reads. (Plae's own files read back exactly: `export::xliff`'s tests.)

use super::*;

const U1: &str = "00000000-0000-0000-0000-000000000001";

fn xliff20(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="th-TH" trgLang="en-US">
  <file id="f1">{body}</file>
</xliff>"#
    )
}

fn xliff12(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">
  <file original="x" source-language="th" target-language="en" datatype="plaintext"><body>{body}</body></file>
</xliff>"#
    )
}

fn read(xml: &str) -> Result<XliffFile, ExchangeError> {
    read_xliff(xml.as_bytes())
}

#[test]
fn a_resegmented_2_0_unit_is_its_segments_and_ignorables_joined() {
    let xml = xliff20(&format!(
        r#"<group id="g"><unit id="{U1}" xmlns:x="urn:x" x:any="1">
             <notes><note>a note is not text</note></notes>
             <segment id="1" state="final"><source>ก.</source><target>One.</target></segment>
             <ignorable><source> </source></ignorable>
             <segment id="2" state="reviewed"><source>ข</source><target>Two <pc id="b">bold</pc><mrk id="m" translate="yes">and</mrk><cp hex="0021"/></target></segment>
           </unit></group>"#
    ));
    let file = read(&xml).unwrap();
    assert_eq!(file.version, Version::V2);
    let unit = &file.units[0];
    assert_eq!(unit.id, U1);
    assert_eq!(unit.source, "ก. ข");
    assert_eq!(unit.target.as_deref(), Some("One. Two boldand!"));
    assert_eq!(unit.state.as_deref(), Some("final"));
    assert_eq!(unit.intent, Intent::Submit);
    assert_eq!(unit.base, Base::Unknown);
}

#[test]
fn a_unit_with_an_untranslated_segment_or_an_empty_target_has_no_target() {
    let xml = xliff20(&format!(
        r#"<unit id="{U1}"><segment><source>ก</source><target>A</target></segment>
                           <segment><source>ข</source></segment></unit>
           <unit id="u2"><segment state="translated"><source>ค</source><target>  </target></segment></unit>"#
    ));
    let file = read(&xml).unwrap();
    assert_eq!(file.units[0].target, None);
    assert_eq!(file.units[0].intent, Intent::Draft, "no state is initial");
    assert_eq!(file.units[1].target, None);
}

#[test]
fn white_space_is_collapsed_unless_preserved() {
    let xml = xliff20(&format!(
        r#"<unit id="{U1}"><segment><source>
              ก  ข
           </source><target xml:space="preserve">a
b</target></segment></unit>"#
    ));
    let unit = &read(&xml).unwrap().units[0];
    assert_eq!(unit.source, "ก ข");
    assert_eq!(unit.target.as_deref(), Some("a\nb"));
}

#[test]
fn placeholders_come_back_as_their_codes_from_equiv_or_the_source() {
    let xml = xliff20(&format!(
        r#"<unit id="{U1}"><segment><source>ก<ph id="fn3" equiv="[^3]" disp="[^3]"/></source>
           <target>A<ph id="fn3"/> B<ph id="fn4" equiv="[^4]"/></target></segment></unit>"#
    ));
    let unit = &read(&xml).unwrap().units[0];
    assert_eq!(unit.target.as_deref(), Some("A[^3] B[^4]"));

    let unknown = xliff20(&format!(
        r#"<unit id="{U1}"><segment><source>ก</source><target>A<ph id="zz"/></target></segment></unit>"#
    ));
    let error = read(&unknown).unwrap_err().to_string();
    assert!(error.contains("\"zz\" stands for no code"), "{error}");
}

#[test]
fn a_1_2_file_from_a_cat_tool_reads_through_segment_markers_and_codes() {
    let xml = xliff12(&format!(
        r#"<group><trans-unit id="{U1}" approved="no" extradata="plae-revision:00000000-0000-0000-0000-0000000000aa">
             <source>ก<ph id="fn3" ctype="x-footnote">[^3]</ph></source>
             <seg-source><mrk mtype="seg" mid="1">ก<ph id="fn3">[^3]</ph></mrk></seg-source>
             <target state="needs-review-translation"><mrk mtype="seg" mid="1"><g id="1">A</g><x id="fn3"/> b</mrk></target>
             <note>not text</note>
           </trans-unit></group>
           <trans-unit id="u2"><source>ข</source><target state="translated">B</target></trans-unit>
           <trans-unit id="u3" approved="yes"><source>ค</source><target>C</target></trans-unit>"#
    ));
    let file = read(&xml).unwrap();
    assert_eq!(file.version, Version::V1_2);
    let unit = &file.units[0];
    assert_eq!(unit.source, "ก[^3]");
    assert_eq!(unit.target.as_deref(), Some("A[^3] b"));
    assert_eq!(unit.intent, Intent::Submit);
    assert_eq!(unit.base, Base::Revision(Uuid::from_u128(0xaa)));
    assert_eq!(file.units[1].intent, Intent::Draft);
    assert_eq!(file.units[2].intent, Intent::Submit, "approved=\"yes\"");
}

#[test]
fn states_ask_for_a_draft_or_a_submission() {
    for state in [None, Some("initial"), Some("translated"), Some("x-custom")] {
        assert_eq!(intent_2_0(state), Intent::Draft, "{state:?}");
    }
    for state in ["reviewed", "final"] {
        assert_eq!(intent_2_0(Some(state)), Intent::Submit);
    }
    for state in [
        "new",
        "needs-translation",
        "needs-adaptation",
        "needs-l10n",
        "translated",
    ] {
        assert_eq!(intent_1_2(Some(state), false), Intent::Draft, "{state}");
    }
    for state in [
        "needs-review-translation",
        "needs-review-adaptation",
        "needs-review-l10n",
        "signed-off",
        "final",
    ] {
        assert_eq!(intent_1_2(Some(state), false), Intent::Submit, "{state}");
    }
    assert_eq!(intent_1_2(None, true), Intent::Submit);
}

#[test]
fn other_versions_are_refused_by_name() {
    for (root, says) in [
        (
            r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1"/>"#,
            "\"1.1\"",
        ),
        (
            r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.2" version="2.2"/>"#,
            "\"2.2\"",
        ),
        (
            r#"<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="1.2"/>"#,
            "\"1.2\"",
        ),
        (r#"<xliff version="1.2"/>"#, "namespace none"),
    ] {
        let error = read(root).unwrap_err();
        assert!(
            matches!(error, ExchangeError::UnsupportedVersion(_)),
            "{root}"
        );
        assert!(error.to_string().contains(says), "{error}");
    }
    let error = read("<html><body/></html>").unwrap_err();
    assert!(matches!(error, ExchangeError::WrongFormat(_)));
    assert!(error.to_string().contains("<html>"));
}

#[test]
fn another_language_pair_is_refused() {
    let french = xliff20("").replace("trgLang=\"en-US\"", "trgLang=\"fr\"");
    let error = read(&french).unwrap_err();
    assert!(matches!(error, ExchangeError::WrongLanguages(_)));
    assert!(error.to_string().contains("th-TH into fr"), "{error}");
    let reversed = xliff12("").replace("source-language=\"th\"", "source-language=\"en\"");
    assert!(matches!(
        read(&reversed),
        Err(ExchangeError::WrongLanguages(_))
    ));
    let no_target = xliff20("").replace(" trgLang=\"en-US\"", "");
    assert!(matches!(read(&no_target), Err(ExchangeError::Invalid(_))));
}

#[test]
fn units_without_ids_or_with_the_same_id_twice_are_refused() {
    let twice = xliff20(&format!(
        r#"<unit id="{U1}"><segment><source>ก</source></segment></unit>
           <unit id="{U1}"><segment><source>ข</source></segment></unit>"#
    ));
    let error = read(&twice).unwrap_err().to_string();
    assert!(error.contains("appears twice"), "{error}");
    let no_id = xliff12("<trans-unit><source>ก</source></trans-unit>");
    assert!(read(&no_id)
        .unwrap_err()
        .to_string()
        .contains("without an id"));
    let no_segment = xliff20(&format!(r#"<unit id="{U1}"/>"#));
    assert!(read(&no_segment)
        .unwrap_err()
        .to_string()
        .contains("no <segment>"));
}
