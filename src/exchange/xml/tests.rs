//! The safe XML reader: what it reads, and every way in that it refuses.

use super::*;

fn err(xml: &[u8]) -> XmlError {
    parse(xml).expect_err("refused")
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<xliff version="2.0"><file id="f"><unit id="u"><segment><source>&lol9;</source></segment></unit></file></xliff>"#;

const EXTERNAL_ENTITY: &str = r#"<?xml version="1.0"?>
<!DOCTYPE tmx [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<tmx version="1.4"><header srclang="th"/><body><tu><tuv xml:lang="th"><seg>&xxe;</seg></tuv></tu></body></tmx>"#;

#[test]
fn a_billion_laughs_is_refused_at_its_doctype_and_nothing_is_expanded() {
    let started = std::time::Instant::now();
    assert_eq!(err(BILLION_LAUGHS.as_bytes()), XmlError::Doctype(2));
    assert!(started.elapsed().as_millis() < 100);
}

#[test]
fn an_external_entity_is_refused_and_the_file_it_names_is_never_read() {
    let error = err(EXTERNAL_ENTITY.as_bytes());
    assert_eq!(error, XmlError::Doctype(2));
    assert!(
        !error.to_string().contains("root:"),
        "no content of /etc/passwd"
    );
    // Any DOCTYPE, even a harmless one.
    assert!(matches!(
        err(b"<!DOCTYPE xliff SYSTEM \"xliff.dtd\"><xliff/>"),
        XmlError::Doctype(1)
    ));
}

#[test]
fn an_entity_without_a_doctype_is_an_error_not_a_lookup() {
    let error = err(b"<seg>a &xxe; b</seg>").to_string();
    assert!(error.contains("&xxe; is not defined"), "{error}");
    let error = err(b"<seg a=\"&xxe;\"/>").to_string();
    assert!(error.contains("xxe"), "{error}");
}

#[test]
fn the_five_entities_character_references_and_cdata_are_text() {
    let root = parse(
        b"<s a=\"&lt;&#x0E01;&quot;\">&lt;&gt;&amp;&apos;&quot;&#3585;&#x0E02;<![CDATA[<&>]]></s>",
    )
    .unwrap();
    assert_eq!(root.text(), "<>&'\"กข<&>");
    assert_eq!(root.attribute("a"), Some("<ก\""));
}

#[test]
fn namespaces_and_xml_attributes_are_resolved() {
    let root = parse(
        br#"<x:a xmlns:x="urn:one" xmlns:p="urn:two" p:b="1" c="2" xml:space="preserve"><d xmlns="urn:three"/></x:a>"#,
    )
    .unwrap();
    assert_eq!(root.namespace.as_deref(), Some("urn:one"));
    assert_eq!(root.name, "a");
    assert_eq!(root.attribute_ns("urn:two", "b"), Some("1"));
    assert_eq!(root.attribute("c"), Some("2"));
    assert_eq!(root.attribute("b"), None);
    assert_eq!(root.xml_attribute("space"), Some("preserve"));
    let child = root.elements().next().unwrap();
    assert!(child.is("urn:three", "d"));
}

#[test]
fn line_breaks_in_text_survive_and_attribute_white_space_is_normalized() {
    let root = parse(b"<s a=\"x\ny&#10;z\">one\r\ntwo</s>").unwrap();
    assert_eq!(root.text(), "one\ntwo");
    assert_eq!(root.attribute("a"), Some("x y\nz"));
}

#[test]
fn what_is_not_well_formed_xml_is_refused_with_where() {
    for (xml, says) in [
        (&b"not xml at all"[..], "text outside the root"),
        (b"<a><b></a>", "line 1"),
        (b"<a>", "cut short"),
        (b"<a/><b/>", "second root"),
        (b"", "no element"),
        (b"<a x=\"1\" x=\"2\"/>", "line 1"),
        (b"<a>\x01</a>", "U+0001"),
        (b"<a>&#0;</a>", "line 1"),
        (b"<p:a/>", "line 1"),
    ] {
        let error = err(xml).to_string();
        assert!(
            error.contains(says),
            "{:?}: {error}",
            String::from_utf8_lossy(xml)
        );
    }
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
    assert!(err(deep.as_bytes()).to_string().contains("nested deeper"));
    let ok = "<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH);
    assert!(parse(ok.as_bytes()).is_ok());
}

#[test]
fn utf_8_and_utf_16_with_a_byte_order_mark_are_read_and_other_encodings_refused() {
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><s>ไทย</s>";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(parse(&le).unwrap().text(), "ไทย");
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    assert_eq!(parse(&be).unwrap().text(), "ไทย");
    let bom8 = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?><s>ไทย</s>";
    assert_eq!(parse(bom8.as_bytes()).unwrap().text(), "ไทย");

    let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><s>caf\xe9</s>";
    assert!(matches!(err(latin), XmlError::Encoding(_)));
    let declared = b"<?xml version=\"1.0\" encoding=\"TIS-620\"?><s>x</s>";
    assert!(err(declared).to_string().contains("TIS-620"));
    assert!(matches!(err(b"<s>\xff</s>"), XmlError::Encoding(_)));
}

#[test]
fn elements_know_their_lines() {
    let root = parse("<a>\n<b/>\nก\n\n<c>\n</c></a>".as_bytes()).unwrap();
    let lines: Vec<usize> = root.elements().map(|e| e.line).collect();
    assert_eq!((root.line, lines), (1, vec![2, 5]));
}
