//! The corpus as an [`Edition`] with English drafts, without a database: the chapter files
//! segmented as `plae import` does, and English for every segment so that pages look like
//! the real thing. The corpus has no English yet, so the English is generated ("Paragraph
//! 12 of chapter 4 in English …", about 0.6 times the Thai length, with the segment's
//! footnote references at its end), except for the chapter titles, the headings and a few
//! paragraphs translated for real.
//!
//! Shared by `tests/export.rs` and `benches/export.rs` (`#[path]`).

#![allow(dead_code)]

use std::path::Path;

use plae::corpus::Corpus;
use plae::export::{
    Edition, EditionChapter, EditionSegment, Kind, SegmentRecord, Signature, Status,
};
use plae::text::{normalize, segment};

/// Real translations, by Thai text.
const TRANSLATED: &[(&str, &str)] = &[
    (
        "บทที่ 3 นโยบายเศรษฐกิจใหม่",
        "Chapter 3: The New Economic Policy",
    ),
    ("นโยบายเศรษฐกิจใหม่", "The New Economic Policy"),
    (
        "โครงสร้างทางการเมืองและการต่อสู้เพื่อสืบอำนาจต่อจากเลนิน",
        "The Political Structure and the Struggle to Succeed Lenin",
    ),
    ("วัฒนธรรม", "Culture"),
    ("บทที่ 4 สตาลิน", "Chapter 4: Stalin"),
    ("แผนพัฒนาประเทศห้าปี", "The Five-Year Plans"),
    ("การกวาดล้างครั้งใหญ่", "The Great Purge"),
    ("รัฐธรรมนูญฉบับ ค.ศ. 1936", "The Constitution of 1936"),
    ("นโยบายต่างประเทศ", "Foreign Policy"),
];

/// Real translations of whole paragraphs, by the start of their Thai.
const TRANSLATED_PARAGRAPHS: &[(&str, &str)] = &[
    (
        "...ทุกสิ่งเปลี่ยนไป",
        "...Everything changed: from the aim of socialist revolution throughout the world to \
         socialism in one country; from the political system of the Soviet workers' democracy \
         to the dictatorship of the General Secretary, the government and the GPU; from a \
         party that was a living organization, which expressed its ideas freely and accepted \
         the revolutionary discipline of Marx of its own will; from commissars who inherited \
         power to a working group that looked to one another and kept silent; from the great \
         military leaders of October to exiles and prisoners; from Lenin to Stalin...[^30]",
    ),
    (
        "วิกเตอร์ เซอร์กี(Victor Serge)",
        "Victor Serge compared the time when the Bolshevik party ruled with Lenin as its \
         leader with the time of Stalin, and said that they differed so much that one could \
         call the first an age of heroes and the second an age of tyrants.",
    ),
    (
        "ยุคใหม่ของสหภาพโซเวียต",
        "A new era of the Soviet Union began with the 15th Congress of the Communist Party in \
         December 1927, because important things happened there: the party's internal policy \
         was developed and the political and economic system was reorganized, and this system \
         remained in use until the collapse of the empire. The congress resolved to devote \
         itself to revolution at home in place of international revolution, that is, to \
         drawing up new plans for the development of the national economy. From the moment \
         the plans were put into practice, the whole Soviet people met a cruel fate; their \
         lives were shaken far more than by the calamity of 1917. The development plan of \
         Stalin's time was called the Five Year Plan.",
    ),
    (
        "เราเดินหน้าเต็มที่โดยอาศัยอุตสาหกรรม",
        "We are advancing full steam ahead through industry towards socialism, leaving behind \
         us our age-old backwardness as a people. We are becoming a land of metal... of motor \
         cars... of tractors... (and then) let the noble capitalists... try to catch up, and \
         we shall see which countries will be branded backward and which are truly \
         advanced.[^31]",
    ),
];

/// Sentences the generated English is made of, so that lines break like prose.
const FILLER: &[&str] = &[
    "The government set new targets for industry and agriculture every year.",
    "Many peasants left their villages for the growing cities of the east.",
    "Party officials reported to Moscow on the progress of each district.",
    "Historians still disagree about the number of people who died in those years.",
    "Foreign observers described the changes with a mixture of admiration and alarm.",
    "Newspapers praised the workers who exceeded their quotas.",
];

/// Every `gap_every`-th segment (by its place in its chapter) is left untranslated, to show
/// the gap markers; `None` translates everything.
pub fn corpus_edition(gap_every: Option<usize>) -> Edition {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
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
                    let untranslated = gap_every.is_some_and(|n| i % n == n - 1);
                    let draft = (!untranslated).then(|| english_for(meta.number, i, &s.text));
                    // Who wrote it, as the database would say (the exchange formats print it).
                    let record = SegmentRecord {
                        draft_revision: draft
                            .as_ref()
                            .map(|_| uuid::Uuid::from_u128((1 << 64) | i as u128)),
                        drafted: draft.as_ref().map(|_| Signature {
                            by: Some("translator".into()),
                            at: chrono::DateTime::from_timestamp(1_790_000_000 + i as i64, 0)
                                .expect("a date"),
                        }),
                        ..SegmentRecord::default()
                    };
                    EditionSegment {
                        id: uuid::Uuid::from_u128(((meta.number as u128) << 32) | i as u128),
                        kind: Kind::parse(s.kind.as_str()).expect("a kind"),
                        status: if draft.is_some() {
                            Status::Draft
                        } else {
                            Status::Untranslated
                        },
                        thai: s.text,
                        draft,
                        approved: None,
                        record,
                    }
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

/// The English of one segment: a real translation if there is one, else generated.
pub fn english_for(chapter: i32, index: usize, thai: &str) -> String {
    if let Some((_, english)) = TRANSLATED.iter().find(|(th, _)| *th == thai) {
        return english.to_string();
    }
    if let Some((_, english)) = TRANSLATED_PARAGRAPHS
        .iter()
        .find(|(start, _)| thai.starts_with(start))
    {
        return english.to_string();
    }
    let target = thai.chars().count() * 6 / 10;
    let mut english = format!("Paragraph {} of chapter {chapter} in English.", index + 1);
    let mut n = index;
    while english.len() < target {
        english.push(' ');
        english.push_str(FILLER[n % FILLER.len()]);
        n += 1;
    }
    // The footnote references of the Thai, at the end of the English.
    let mut rest = thai;
    while let Some(start) = rest.find("[^") {
        let end = rest[start..]
            .find(']')
            .map_or(rest.len(), |e| start + e + 1);
        english.push_str(&rest[start..end]);
        rest = &rest[end..];
    }
    english
}
