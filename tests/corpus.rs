//! The text pipeline on the real corpus, without a database: what a careful editor
//! would produce from each OCR chapter.
//!
//! Every blank line that the segmenter rejoins is listed below with the reason a reader
//! of Thai gives for it; every other blank line between two body blocks must stay a
//! paragraph end. Run `cargo test --test corpus -- --nocapture` to see every decision.

use plae::text::normalize;
use plae::text::segment::{self, Segment, SegmentKind};

const CHAPTER_3: &str = "001_4bdccb741793f620.txt";
const CHAPTER_4: &str = "000_80e13b9055b36a2d.txt";

fn read(name: &str) -> String {
    let path = format!("{}/corpus/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("corpus file")
}

fn segments(name: &str) -> (Vec<Segment>, Vec<segment::Boundary>) {
    let (segs, trace) = segment::segment_with_trace(&normalize::normalize(&read(name)));
    for b in &trace {
        println!(
            "{} {:>3} {} {} || {}  [{}]",
            if b.joined { "JOIN" } else { "keep" },
            b.score,
            if b.page_end { "page" } else { "    " },
            b.before,
            b.after,
            b.reasons.join("; ")
        );
    }
    (segs, trace)
}

/// The rejoined blank lines: (end of the text before, start of the text after, why).
fn joined(trace: &[segment::Boundary]) -> Vec<(String, String)> {
    trace
        .iter()
        .filter(|b| b.joined)
        .map(|b| (b.before.clone(), b.after.clone()))
        .collect()
}

fn assert_joins(trace: &[segment::Boundary], expected: &[(&str, &str, &str)]) {
    let got = joined(trace);
    for (before, after, why) in expected {
        assert!(
            got.iter()
                .any(|(b, a)| b.ends_with(before) && a.starts_with(after)),
            "expected a page break rejoined at …{before} || {after}… ({why})"
        );
    }
    assert_eq!(got.len(), expected.len(), "rejoined: {got:#?}");
}

fn of_kind(segs: &[Segment], kind: SegmentKind) -> Vec<&str> {
    segs.iter()
        .filter(|s| s.kind == kind)
        .map(|s| s.text.as_str())
        .collect()
}

#[test]
fn chapter_3_page_breaks_are_rejoined_and_paragraph_ends_kept() {
    let (segs, trace) = segments(CHAPTER_3);
    assert_joins(
        &trace,
        &[
            (
                "คอมมิวนิสต์ขึ้น",
                "ที่ฐานทัพเรือ",
                "the riot broke out *at* the Kronstadt base",
            ),
            (
                "ขนาดย่อม",
                "ได้แก่โรงงาน",
                "ได้แก่ 'namely' cannot open a paragraph",
            ),
            ("ก้าวหน้ามาก", "ขึ้นได้", "มาก|ขึ้น: 'progress more' split"),
            (
                "การเลือก",
                "ตั้งผู้แทน",
                "การเลือกตั้ง 'election' split inside the word",
            ),
            ("หนทางโยกย้าย", "สตาลินออกไป", "'the way to move Stalin out'"),
            (
                "แต่ควรใช้",
                "วิธีประนีประนอม",
                "'but should use' needs its object",
            ),
            ("จัดให้มีการ", "เดินขบวน", "การเดินขบวน 'demonstration' split"),
            (
                "(Anatoly Lunacharsky)",
                "กรมอาชีวศึกษา",
                "his post follows his name",
            ),
            ("เพื่อให้มี", "กิจกรรม", "'in order to have' needs its object"),
            (
                "และมีลักษณะ",
                "ปัจเจกนิยม",
                "first line not indented: the page went on",
            ),
            ("(LEF-", "Left Front", "bracket and hyphen left open"),
            ("ความรักระหว่าง", "เพศ", "'love between the sexes'"),
            ("เก็บเครื่อง", "มือหนีไปหมด", "เครื่องมือ 'equipment' split"),
        ],
    );
    assert_eq!(
        of_kind(&segs, SegmentKind::ChapterTitle),
        ["บทที่ 3 นโยบายเศรษฐกิจใหม่"]
    );
    assert_eq!(
        of_kind(&segs, SegmentKind::Heading),
        [
            "นโยบายเศรษฐกิจใหม่",
            "โครงสร้างทางการเมืองและการต่อสู้เพื่อสืบอำนาจต่อจากเลนิน",
            "วัฒนธรรม"
        ]
    );
    assert_eq!(segs[0].kind, SegmentKind::ChapterTitle);
    assert_eq!(of_kind(&segs, SegmentKind::Paragraph).len(), 29);
    let text: Vec<&str> = segs.iter().map(|s| s.text.as_str()).collect();
    assert!(text
        .iter()
        .any(|t| t.contains("ศิลปะ(LEF-Left Front in Art) ขึ้น")));
    assert!(text.iter().any(|t| t.contains("การเลือกตั้งผู้แทน")));
}

#[test]
fn chapter_4_page_breaks_are_rejoined_and_paragraph_ends_kept() {
    let (segs, trace) = segments(CHAPTER_4);
    assert_joins(
        &trace,
        &[
            ("จึงต้อง", "เร่งปรับ", "'therefore must' + verb"),
            (
                "จำเป็นต้อง",
                "สร้างความเจริญ",
                "'must' + verb; next page starts unindented",
            ),
            ("ซึ่งมี", "ผู้อาศัย", "'which had' + its object"),
            ("หมู่บ้านต้อง", "มอบพืชพันธุ์", "'villages had to' + verb"),
            ("บนหลักของ", "ความสนใจ", "'on the principle of' + noun"),
            (
                "มอบหมายให้ทำ",
                "ไม่มีใครมาขู่นาย",
                "the description of the commune goes on",
            ),
            ("ทั้งสามฉบับ", "แตกต่างกัน", "subject without its verb"),
            ("เพิ่มจำนวนประชา", "กรในเมือง", "ประชากร 'population' split"),
            ("ระเบียบราชการทำให้", "ยุ่งยาก", "'made it' + adjective"),
            (
                "\"เห็นได้ว่าผู้",
                "นำคนปัจจุบัน",
                "ผู้นำ 'leader' split; quote left open",
            ),
            (
                "หัวหน้า",
                "พรรคในเลนินกราด",
                "'head of the party in Leningrad'",
            ),
            ("เข้าคุม", "เอนเควิตี", "'took control of the NKVD'"),
            ("หลายแสน", "คนเสียชีวิต", "number without its classifier"),
            ("โดยอาศัย", "ความรู้สึกรักชาติ", "'by relying on' + object"),
            ("ภายในเค", "รมลิน", "เครมลิน 'Kremlin' split"),
            ("ไม่มีออก", "นอกกรอบ", "'did not go outside the frame'"),
            (
                "พวกที่เชื่อว่า",
                "โซเวียตมุ่ง",
                "'those who believed that' + clause",
            ),
            (
                "การดำเนิน",
                "นโยบายต่างประเทศ",
                "'the conduct of foreign policy'",
            ),
            ("อย่างสุด", "โต่ง", "สุดโต่ง 'extreme' split"),
            ("ประเทศตะวัน", "ตกช่วย", "ตะวันตก 'the West' split"),
            ("ความมั่นคง", "ปลอดภัย", "ความมั่นคงปลอดภัย 'security' split"),
            (
                "ใน ค.ศ. 1929",
                "รัฐบาลจีน",
                "'in 1929 the Chinese government…'",
            ),
            ("กลไกรักษา", "สันติภาพได้", "'mechanism to keep the peace'"),
            ("เป็นปฏิปักษ์", "ต่อกัน", "'hostile to each other'"),
            ("แบ่งเขตแดน", "กัน ได้แก่", "lone กัน cannot open a paragraph"),
        ],
    );
    assert_eq!(of_kind(&segs, SegmentKind::ChapterTitle), ["บทที่ 4 สตาลิน"]);
    assert_eq!(
        of_kind(&segs, SegmentKind::Heading),
        [
            "แผนพัฒนาประเทศห้าปี",
            "การกวาดล้างครั้งใหญ่",
            "รัฐธรรมนูญฉบับ ค.ศ. 1936",
            "นโยบายต่างประเทศ"
        ]
    );
    let quotes = of_kind(&segs, SegmentKind::Quote);
    assert_eq!(quotes.len(), 4, "{quotes:#?}");
    assert!(quotes[0].starts_with("...ทุกสิ่งเปลี่ยนไป") && quotes[0].ends_with("[^30]"));
    assert!(quotes[1].starts_with("เราเดินหน้าเต็มที่") && quotes[1].ends_with("[^31]"));
    assert!(quotes[2].starts_with("...พลเมือง") && quotes[2].ends_with("[^34]"));
    assert!(quotes[3].starts_with("โดยส่วนตัวข้าพเจ้า") && quotes[3].ends_with("[^36]"));
    assert_eq!(of_kind(&segs, SegmentKind::Paragraph).len(), 65);
    // A hard-wrapped paragraph: Thai lines joined with no space, across a wrap that fell
    // inside `กำหนดไว้`.
    assert!(segs
        .iter()
        .any(|s| s.text.contains("เกินกว่าที่กลุ่มฝ่ายซ้ายเคยกำหนดไว้")));
}

#[test]
fn nothing_is_lost_or_added_but_markup_and_repeated_titles() {
    for name in [CHAPTER_3, CHAPTER_4] {
        let raw = normalize::normalize(&read(name));
        let (segs, _) = segments(name);
        let strip = |s: &str| -> String {
            let s = s.replace("**", "").replace('#', "");
            let mut s = s;
            for n in 20..40 {
                for form in [format!("<sup>{n}</sup>"), format!("[^{n}]")] {
                    s = s.replace(&form, &format!("{{{n}}}"));
                }
            }
            let sup = |c: char| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().position(|d| d == c);
            let mut out = String::new();
            let mut in_sup = false;
            for c in s.chars() {
                match sup(c) {
                    Some(d) => {
                        if !in_sup {
                            out.push('{');
                        }
                        out.push(char::from_digit(d as u32, 10).unwrap());
                        in_sup = true;
                    }
                    None => {
                        if in_sup {
                            out.push('}');
                        }
                        in_sup = false;
                        if !c.is_whitespace() {
                            out.push(c);
                        }
                    }
                }
            }
            out
        };
        let title = &segs[0].text;
        let body_source: String = {
            // The source minus the title run at the top (everything before the first body text).
            let first_body = &segs[1].text;
            let probe: String = first_body.chars().take(12).collect();
            let at = raw.find(&probe).expect("first body text in source");
            strip(&raw[at..])
        };
        let body_segments: String = segs[1..].iter().map(|s| strip(&s.text)).collect();
        assert_eq!(body_segments, body_source, "{name}: text changed");
        assert!(!title.is_empty());
    }
}

#[test]
fn footnote_references_are_canonical_and_in_order() {
    let refs = |name: &str| -> Vec<String> {
        let (segs, _) = segments(name);
        let all: String = segs
            .iter()
            .map(|s| s.text.clone())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            !all.contains("<sup>") && !all.contains('²') && !all.contains('⁷'),
            "{name}"
        );
        all.match_indices("[^")
            .map(|(i, _)| all[i..].split(']').next().unwrap().to_string() + "]")
            .collect()
    };
    assert_eq!(
        refs(CHAPTER_3),
        ["[^26]", "[^26]", "[^27]", "[^28]", "[^29]"]
    );
    assert_eq!(
        refs(CHAPTER_4),
        ["[^30]", "[^31]", "[^32]", "[^33]", "[^34]", "[^35]", "[^36]", "[^37]", "[^38]"]
    );
}

#[test]
fn ocr_noise_is_kept_for_editors() {
    let (segs, _) = segments(CHAPTER_4);
    let all: String = segs.iter().map(|s| s.text.as_str()).collect();
    assert!(all.contains("คีروف"));
    assert!(all.contains("stadalin"));
    let (segs, _) = segments(CHAPTER_3);
    assert!(segs.iter().any(|s| s.text.contains("สภามন্ত্রী")));
}

/// Another book: the same text hard-wrapped at another width, first lines indented,
/// pages of another length breaking wherever they fall. The segmenter must give back the
/// paragraphs it started from.
#[test]
fn another_book_wrapped_and_paged_differently_comes_back_whole() {
    for (name, width, lines_per_page) in [(CHAPTER_3, 48, 23), (CHAPTER_4, 90, 17)] {
        let (original, _) = segments(name);
        let mut lines: Vec<String> = Vec::new();
        for seg in &original {
            match seg.kind {
                SegmentKind::ChapterTitle => lines.push(format!("# {}", seg.text)),
                SegmentKind::Heading => lines.push(format!("### {}", seg.text)),
                _ => {
                    // Wrap at `width` columns; the first line is indented by 6 columns.
                    let mut target = width - 6;
                    let mut line = String::new();
                    for c in seg.text.chars() {
                        if !segment::is_combining(c) && segment::display_width(&line) >= target {
                            lines.push(std::mem::take(&mut line));
                            target = width;
                        }
                        line.push(c);
                    }
                    lines.push(line);
                }
            }
            lines.push(String::new());
        }
        // Page breaks every `lines_per_page` lines of text, wherever they fall.
        let mut book = String::new();
        let mut on_page = 0;
        for line in &lines {
            book.push_str(line.trim_start());
            book.push('\n');
            if !line.is_empty() {
                on_page += 1;
                if on_page == lines_per_page {
                    book.push('\n');
                    on_page = 0;
                }
            }
        }
        let again = segment::segment(&normalize::normalize(&book));
        let kinds = |v: &[Segment]| v.iter().map(|s| s.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&again), kinds(&original), "{name} at width {width}");
        for (a, b) in again.iter().zip(&original) {
            assert_eq!(
                a.text.replace(' ', ""),
                b.text.replace(' ', ""),
                "{name} at width {width}"
            );
        }
    }
}
