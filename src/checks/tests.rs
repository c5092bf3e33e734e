//! The checks on sentences of the corpus (chapter 4 unless said), as segmented.

use super::*;

/// Chapter 4: Kirov, with Arabic letters in his Thai name, and a year.
const KIROV: &str = "เขาปราศรัยในคณะกรรมการเมืองในเดือนมกราคม ค.ศ. 1934 เพื่อให้รู้สึกถึงบรรยากาศอิสระ \
                     เซอร์กี้ คีروف (S.M. Kirov) หัวหน้าพรรคคอมมิวนิสต์เลนินกราดเสนอให้ยอมชวามาบ้าง";
/// Chapter 4: the Stakhanovites, glued Latin and a number with a thousands separator.
const STAKHANOV: &str = "เรียกว่า ขบวนการstadalin (The Stakhanov movement) เรื่องมีอยู่ว่า \
                         สามารถผลิตได้สูงกว่าอัตราที่กำหนดให้ผลิตได้ภายในหนึ่งวันถึงร้อยละ 1,400";
/// Chapter 3: a quotation ending in a footnote reference.
const BUKHARIN: &str = "บุคคารินกล่าวถึงเลนินว่าเป็น \"เผด็จการในความหมายที่ดีที่สุดของคำ\" \
                        และเป็น \"ผู้นำ นักจัดระเบียบองค์กร\"[^26] แต่เลนินกลับมอบโอกาส";

fn ids(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.id).collect()
}

fn target(thai: &str, english: &str) -> Vec<Finding> {
    check_target(thai, english, &Context::default())
}

#[test]
fn kirov_is_flagged_for_the_arabic_letters_inside_his_thai_name() {
    let findings = check_source(KIROV);
    assert_eq!(ids(&findings), ["source.other_script"]);
    let message = &findings[0].message;
    assert!(message.contains("“คีروف” has Arabic letters"), "{message}");
    assert!(message.contains("inside a Thai word"));
}

#[test]
fn hebrew_and_bengali_letters_are_named_by_their_script() {
    let findings = check_source("โปแลนด์และรומาเนียแต่ไม่ และเลือกสภามন্ত্রীแห่งประชาชน");
    let message = &findings[0].message;
    assert!(message.contains("Hebrew letters “ומ”"), "{message}");
    assert!(message.contains("Bengali letters"), "{message}");
}

#[test]
fn latin_glued_to_thai_is_flagged_but_latin_in_parentheses_is_not() {
    let findings = check_source(STAKHANOV);
    assert_eq!(ids(&findings), ["source.latin_glued"]);
    assert!(findings[0].message.contains("“ขบวนการstadalin”"));
    assert!(check_source("วิกเตอร์ เซอร์กี(Victor Serge) และ ค.ศ.1921").is_empty());
}

#[test]
fn known_ocr_confusions_are_flagged() {
    let findings = check_source("เเละ ทํา ฃวด ราคา 19O5 บาท ัญญาหาร");
    let message = &findings[0].message;
    assert!(message.contains("two sara e"), "{message}");
    assert!(message.contains("sara am"), "{message}");
    assert!(message.contains("obsolete letter “ฃ”"), "{message}");
    assert!(message.contains("between digits"), "{message}");
    assert!(message.contains("no letter under it"), "{message}");
}

#[test]
fn clean_thai_has_no_source_findings() {
    assert!(check_source(BUKHARIN).is_empty());
}

#[test]
fn a_missing_year_is_an_error() {
    let english = "In January 1934 he spoke to the Politburo to create a sense of freedom. \
                   Sergei Kirov (S.M. Kirov), head of the Leningrad party, proposed a truce.";
    assert!(
        target(KIROV, english).is_empty(),
        "{:?}",
        target(KIROV, english)
    );
    let without_year = english.replace("In January 1934", "In January");
    let findings = target(KIROV, &without_year);
    assert_eq!(ids(&findings), ["numbers"]);
    assert_eq!(findings[0].severity, Severity::Error);
    assert!(findings[0].message.contains("1934"));
}

#[test]
fn numbers_match_across_separators_thai_digits_and_eras() {
    let english = "The Stakhanov movement: up to 1400 percent in one day";
    assert!(target(STAKHANOV, english).iter().all(|f| f.id != "numbers"));
    // Thai digits are digits.
    assert!(target("ในปี ๑๙๓๔ และ ๑,๔๐๐ คน", "In 1934, and 1,400 people").is_empty());
    // A Buddhist Era year is the Common Era year + 543.
    assert!(target("เมื่อ พ.ศ. 2460 เกิดการปฏิวัติ", "The revolution came in 1917.").is_empty());
    let findings = target("เมื่อ พ.ศ. 2460 เกิดการปฏิวัติ", "The revolution came.");
    assert!(
        findings[0].message.contains("2460 (BE; 1917 CE)"),
        "{:?}",
        findings
    );
    // An abbreviated range: 1920-21 is 1920 to 1921.
    assert!(target("ในช่วง ค.ศ. 1920-21 โซเวียต", "In 1920–1921 the Soviets").is_empty());
    assert!(target("ในช่วง ค.ศ. 1920-21 โซเวียต", "In 1920-21 the Soviets").is_empty());
    // Small numbers may be spelt out.
    assert!(target("ได้รับเลือก 3 คน", "Three were elected.").is_empty());
    // Footnote numbers are not numbers of the text.
    assert!(numbers("คำ[^26] ค.ศ. 1921").iter().all(|n| n.value != "26"));
}

#[test]
fn a_missing_footnote_reference_is_an_error() {
    let english = "Bukharin called Lenin \"a dictator in the best sense of the word\" and \
                   \"leader, organizer\"[^26] but Lenin gave";
    assert!(
        target(BUKHARIN, english).is_empty(),
        "{:?}",
        target(BUKHARIN, english)
    );
    let findings = target(BUKHARIN, &english.replace("[^26]", ""));
    assert_eq!(ids(&findings), ["footnotes"]);
    assert!(findings[0]
        .message
        .contains("missing from the English: [^26]"));
    let extra = target(BUKHARIN, &english.replace("[^26]", "[^26][^27]"));
    assert!(extra[0]
        .message
        .contains("in the English but not the Thai: [^27]"));
    let reordered = target("ก[^1] ข[^2]", "a[^2] b[^1]");
    assert!(reordered[0].message.contains("in another order"));
}

#[test]
fn a_latin_name_of_the_thai_missing_from_the_english_is_a_warning() {
    let thai = "ตามที่วิกเตอร์ เซอร์กี(Victor Serge) เขียนไว้";
    assert!(target(thai, "As Victor Serge wrote").is_empty());
    let findings = target(thai, "As the writer put it");
    assert_eq!(ids(&findings), ["latin_terms"]);
    assert_eq!(findings[0].severity, Severity::Warning);
    assert!(findings[0].message.contains("“Victor Serge”"));
    // Half the words are enough; initials match with or without points.
    assert!(target(KIROV, "In 1934 S. M. Kirov spoke").is_empty());
}

#[test]
fn an_approved_term_not_used_is_a_warning() {
    let terms = [ApprovedTerm {
        thai: "โกสแปลน".into(),
        english: "Gosplan; State Planning Committee".into(),
    }];
    let ctx = Context {
        terms: &terms,
        book_ratio: None,
    };
    let thai = "หน่วยงานวางแผนเศรษฐกิจแห่งชาติ หรือโกสแปลน";
    assert!(check_target(thai, "the national planning agency, Gosplan", &ctx).is_empty());
    assert!(check_target(thai, "the state planning committee", &ctx).is_empty());
    let findings = check_target(thai, "the national planning agency", &ctx);
    assert_eq!(ids(&findings), ["glossary"]);
    assert!(findings[0].message.contains("โกสแปลน → Gosplan"));
    // Terms not in the Thai are not asked for.
    assert!(check_target("นารวม", "collective farms", &ctx).is_empty());
}

#[test]
fn thai_left_in_the_english_empty_and_copied_text_are_errors() {
    let findings = target("สตาลิน", "Stalin (สตาลิน)");
    assert_eq!(ids(&findings), ["thai_in_english"]);
    assert!(findings[0].message.contains("“สตาลิน”"));
    assert_eq!(ids(&target("สตาลิน", " ")), ["empty"]);
    assert_eq!(ids(&target("สตาลิน", "สตาลิน")), ["same_as_source"]);
}

#[test]
fn unbalanced_brackets_and_stray_spaces_are_warnings() {
    assert_eq!(ids(&target("ก", "Stalin (the leader")), ["brackets"]);
    assert_eq!(ids(&target("ก", "“Stalin")), ["brackets"]);
    assert_eq!(ids(&target("ก", "He said \"no")), ["brackets"]);
    assert!(target("ก", "He said “no” (twice) [^1]")
        .iter()
        .all(|f| f.id != "brackets"));
    let findings = target("ก", " Stalin  spoke .");
    assert_eq!(ids(&findings), ["spaces"]);
    assert!(findings[0].message.contains("double spaces"));
    assert!(findings[0].message.contains("a leading space"));
    assert!(findings[0].message.contains("a space before punctuation"));
}

#[test]
fn a_length_far_from_the_books_ratio_is_a_warning() {
    let ctx = Context {
        terms: &[],
        book_ratio: Some(1.0),
    };
    let thai = "ก".repeat(100);
    assert!(check_target(&thai, &"a".repeat(150), &ctx).is_empty());
    let long = check_target(&thai, &"a".repeat(250), &ctx);
    assert_eq!(ids(&long), ["length_ratio"]);
    assert!(long[0].message.contains("longer"));
    assert_eq!(
        ids(&check_target(&thai, &"a".repeat(30), &ctx)),
        ["length_ratio"]
    );
    // Short segments and books without a ratio are not judged.
    assert!(check_target("กขค", &"a".repeat(300), &ctx).is_empty());
    assert!(target(&thai, &"a".repeat(900)).is_empty());
}

#[test]
fn counts_keep_source_findings_apart() {
    let mut findings = target(KIROV, "Kirov spoke.");
    findings.extend(check_source(KIROV));
    let counts = Counts::of(&findings);
    assert_eq!(counts.errors, 1, "{findings:?}");
    assert_eq!(counts.source, 1);
    assert!(counts.any());
    assert_eq!(severity_of("numbers"), Some(Severity::Error));
    assert_eq!(severity_of("source.ocr"), Some(Severity::Warning));
    assert_eq!(severity_of("nonsense"), None);
}
