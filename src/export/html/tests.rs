//! The HTML edition, parsed: exactness, gaps, marks, `lang`, layouts, no external requests.

use scraper::{ElementRef, Html, Node, Selector};

use super::*;
use crate::export::sample::{corpus, edition, SPECIALS};
use crate::export::{Format, Include};

fn html(layout: Layout, include: Include) -> Html {
    Html::parse_document(&write_html(
        &edition(),
        &ExportOptions {
            layout,
            include,
            ..ExportOptions::new(Format::Html)
        },
    ))
}

fn select<'a>(element: ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    element
        .select(&Selector::parse(selector).expect("a selector"))
        .collect()
}

/// An element's text with footnote marks written back as `[^N]`.
fn text_with_marks(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        match node.value() {
            Node::Text(text) => {
                let in_mark = node
                    .ancestors()
                    .any(|a| ElementRef::wrap(a).is_some_and(|e| e.value().name() == "sup"));
                if in_mark {
                    out.push_str(&format!("[^{}]", &**text));
                } else {
                    out.push_str(text);
                }
            }
            _ => continue,
        }
    }
    out
}

#[test]
fn every_segment_appears_once_in_order_with_its_text_as_stored() {
    for edition in [edition(), corpus()] {
        for layout in [Layout::Columns, Layout::Facing, Layout::Interleaved] {
            for include in [Include::Approved, Include::Drafts] {
                exact(&edition, layout, include);
            }
        }
    }
}

/// One edition, layout and inclusion: every segment read back and compared.
fn exact(edition: &Edition, layout: Layout, include: Include) {
    let options = ExportOptions {
        layout,
        include,
        ..ExportOptions::new(Format::Html)
    };
    let doc = Html::parse_document(&write_html(edition, &options));
    let pairs = select(doc.root_element(), "main .pair[id^='s-']");
    let segments: Vec<_> = edition.segments().map(|(_, s)| s).collect();
    assert_eq!(pairs.len(), segments.len());
    for (pair, segment) in pairs.iter().zip(segments) {
        assert_eq!(pair.value().id(), Some(&*format!("s-{}", segment.id)));
        let th = select(*pair, ".th[lang='th']");
        let en = select(*pair, ".en[lang='en']");
        assert_eq!((th.len(), en.len()), (1, 1));
        assert_eq!(text_with_marks(th[0]), segment.thai);
        let expected = match segment.english(include) {
            English::Text(text) => text.to_string(),
            English::Gap(gap) => format!("[{}]", gap.label()),
        };
        assert_eq!(text_with_marks(en[0]), expected, "{layout:?} {include:?}");
    }
}

#[test]
fn special_characters_are_escaped_and_shown() {
    let raw = write_html(&edition(), &ExportOptions::new(Format::Html));
    assert!(raw.contains("&#60; &#62; | &#34;"), "askama escaped them");
    let doc = Html::parse_document(&raw);
    let text: String = doc.root_element().text().collect();
    assert_eq!(text.matches(SPECIALS).count(), 2, "Thai and English");
}

#[test]
fn gaps_are_visible_markers() {
    let doc = html(Layout::Columns, Include::Approved);
    let gaps: Vec<String> = select(doc.root_element(), ".en .gap")
        .iter()
        .map(|g| g.text().collect())
        .collect();
    assert_eq!(
        gaps,
        [
            "[translation awaiting review]",
            "[not yet translated]",
            "[not yet translated]"
        ]
    );
}

#[test]
fn footnote_marks_link_to_the_notes_of_their_chapter_in_each_language() {
    let doc = html(Layout::Columns, Include::Drafts);
    let root = doc.root_element();
    let marks: Vec<&str> = select(root, ".kind-paragraph sup.fn a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(marks, ["#note-3-30-th", "#note-3-30-en"]);
    for id in ["note-3-30-th", "note-3-30-en", "note-3-31-th"] {
        assert_eq!(select(root, &format!("p.note#{id}")).len(), 1, "{id}");
    }
    // Note 31 has no English yet: the Thai mark links to the Thai note, the English mark
    // links nowhere (a link to a gap would lead nowhere).
    assert_eq!(select(root, ".kind-quote .th sup.fn a").len(), 1);
    assert_eq!(select(root, ".kind-quote .en sup.fn").len(), 1);
    assert_eq!(select(root, ".kind-quote .en sup.fn a").len(), 0);
}

#[test]
fn the_contents_list_chapters_and_headings_in_both_languages() {
    let doc = html(Layout::Columns, Include::Drafts);
    let root = doc.root_element();
    let entries: Vec<String> = select(root, "nav.toc a")
        .iter()
        .map(|a| a.text().collect::<String>())
        .collect();
    assert_eq!(
        entries,
        [
            "3นโยบายเศรษฐกิจใหม่·The New Economic Policy",
            "แผนพัฒนาประเทศห้าปี·The Five-Year Plans",
            "4สตาลิน"
        ]
    );
    assert_eq!(
        select(root, "section.chapter#chapter-4 .kind-title h2").len(),
        1
    );
}

#[test]
fn the_layout_is_a_class_and_the_file_is_standalone() {
    for (layout, class) in [
        (Layout::Columns, "layout-columns"),
        (Layout::Facing, "layout-facing"),
        (Layout::Interleaved, "layout-interleaved"),
    ] {
        let raw = write_html(
            &edition(),
            &ExportOptions {
                layout,
                ..ExportOptions::new(Format::Html)
            },
        );
        let doc = Html::parse_document(&raw);
        let body = select(doc.root_element(), "body");
        assert_eq!(body[0].value().attr("class"), Some(class));
        assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
        assert!(select(doc.root_element(), "link, script, img, [src]").is_empty());
        assert!(!raw.contains("http:") && !raw.contains("https:") && !raw.contains("url("));
        assert!(raw.contains("@media print"));
    }
}
