//! A small edition for the writers' unit tests: every kind, every gap, footnotes, both
//! scripts in each language, and every character that means something to LaTeX,
//! Markdown or HTML.

use uuid::Uuid;

use super::{Edition, EditionChapter, EditionSegment, Kind, SegmentRecord, Status};

/// Every character the brief names, in one string.
pub const SPECIALS: &str = r#"\ { } $ & # ^ _ % ~ < > | " 'single' “curly” ‘quotes’ ... -- `` ''"#;

fn segment(
    n: u128,
    kind: Kind,
    thai: &str,
    draft: Option<&str>,
    approved: Option<&str>,
) -> EditionSegment {
    let status = match (draft, approved) {
        (None, _) => Status::Untranslated,
        (Some(d), Some(a)) if d == a => Status::Approved,
        _ => Status::Submitted,
    };
    EditionSegment {
        id: Uuid::from_u128(n),
        kind,
        thai: thai.into(),
        draft: draft.map(Into::into),
        approved: approved.map(Into::into),
        status,
        record: SegmentRecord::default(),
    }
}

pub fn edition() -> Edition {
    let same = |t: &'static str| (Some(t), Some(t));
    let (d1, a1) = same("Chapter 3: The New Economic Policy");
    let (d2, a2) = same("Victor Serge compared the two eras.[^30]");
    let (d5, a5) = same("The Five-Year Plans");
    Edition {
        title_th: "ประวัติศาสตร์สหภาพโซเวียต".into(),
        title_en: "A History of the Soviet Union".into(),
        chapters: vec![
            EditionChapter {
                number: 3,
                title_th: "นโยบายเศรษฐกิจใหม่".into(),
                title_en: Some("The New Economic Policy".into()),
                segments: vec![
                    segment(1, Kind::ChapterTitle, "บทที่ 3 นโยบายเศรษฐกิจใหม่", d1, a1),
                    segment(
                        2,
                        Kind::Paragraph,
                        "วิกเตอร์ เซอร์กี(Victor Serge)ได้เปรียบเทียบ[^30]",
                        d2,
                        a2,
                    ),
                    segment(
                        3,
                        Kind::Quote,
                        "...ทุกสิ่งเปลี่ยนไป จากเลนิน เป็นสตาลิน...[^31]",
                        Some("...Everything changed, from Lenin to Stalin...[^31]"),
                        None,
                    ),
                    segment(4, Kind::Paragraph, "ย่อหน้าที่ยังไม่ได้แปล", None, None),
                    segment(5, Kind::Heading, "แผนพัฒนาประเทศห้าปี", d5, a5),
                    segment(
                        6,
                        Kind::Paragraph,
                        &format!("อักขระพิเศษ {SPECIALS} จบ"),
                        Some(&format!("Special characters {SPECIALS} end (คำไทย)")),
                        Some(&format!("Special characters {SPECIALS} end (คำไทย)")),
                    ),
                    segment(
                        7,
                        Kind::Footnote,
                        "[^30] อ้างแล้ว หน้า 12",
                        Some("[^30] Quoted above, p. 12"),
                        Some("[^30] Quoted above, p. 12"),
                    ),
                    segment(8, Kind::Footnote, "[^31] เรื่องเดียวกัน", None, None),
                ],
            },
            EditionChapter {
                number: 4,
                title_th: "สตาลิน".into(),
                title_en: None,
                segments: vec![segment(
                    9,
                    Kind::Paragraph,
                    "ยุคใหม่ของสหภาพโซเวียต (Five Year Plan)",
                    Some("A new era of the Soviet Union (the Five Year Plan)"),
                    Some("An older approved text"),
                )],
            },
        ],
    }
}

/// The real corpus, segmented as an import does, with simple English on most segments
/// (every seventh left untranslated): the exactness tests run on it as well.
pub fn corpus() -> Edition {
    use crate::corpus::Corpus;
    use crate::text::{normalize, segment};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = Corpus::load(&dir).expect("the corpus loads");
    let chapters = corpus
        .chapters
        .iter()
        .map(|meta| {
            let bytes = std::fs::read(dir.join(&meta.file)).expect("a chapter file");
            let text = normalize::normalize(normalize::decode_utf8(&bytes).expect("UTF-8"));
            let segments = segment::segment(&text)
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let start: String = s.text.chars().take(30).collect();
                    let english = (i % 7 != 6).then(|| format!("English {i} of “{start}”"));
                    let mut segment = EditionSegment {
                        id: Uuid::from_u128(((meta.number as u128) << 32) | i as u128),
                        kind: Kind::parse(s.kind.as_str()).expect("a kind"),
                        thai: s.text,
                        draft: english.clone(),
                        approved: english.filter(|_| i % 2 == 0),
                        status: Status::Draft,
                        record: SegmentRecord::default(),
                    };
                    if segment.draft.is_none() {
                        segment.status = Status::Untranslated;
                    }
                    segment
                })
                .collect();
            EditionChapter {
                number: meta.number,
                title_th: meta.title_th.clone(),
                title_en: meta.title_en.clone(),
                segments,
            }
        })
        .collect();
    Edition {
        title_th: corpus.book.title_th,
        title_en: corpus.book.title_en,
        chapters,
    }
}
