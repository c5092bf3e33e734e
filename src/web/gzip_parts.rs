//! Gzip for a page that is the same for everyone except a few small gaps: the fixed parts
//! are compressed once, the gaps per response, and the pieces joined into one ordinary
//! gzip stream, so a personal copy of a cached 240 KB page costs a copy, not a compression.
//!
//! Each piece is raw deflate ended with a full flush: byte-aligned, and referring to nothing
//! before it, so the pieces can follow one another in any order. An empty final block ends
//! the stream, and the trailer's CRC-32 is combined from the pieces' CRCs (the CRC of a
//! concatenation follows from the CRCs and lengths of its parts).

use std::ops::Range;

use actix_web::web::Bytes;
use flate2::{Compress, Compression, Crc, FlushCompress};

/// A gzip member's header: deflate, no name, no time, unknown OS.
const HEADER: [u8; 10] = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty block with fixed codes: the end of the deflate stream.
const END: [u8; 2] = [0x03, 0x00];

struct Piece {
    deflated: Vec<u8>,
    crc: Crc,
}

impl Piece {
    fn new(data: &[u8], level: Compression) -> Piece {
        let mut crc = Crc::new();
        crc.update(data);
        Piece {
            deflated: deflate_flushed(data, level),
            crc,
        }
    }
}

/// A document's fixed parts, compressed; the gaps between them are filled per response.
pub struct GzipParts {
    fixed: Vec<Piece>,
}

impl GzipParts {
    /// `gaps`: the ranges of `document` filled per response, in order, not overlapping.
    pub fn new(document: &[u8], gaps: &[Range<usize>]) -> GzipParts {
        let mut fixed = Vec::with_capacity(gaps.len() + 1);
        let mut at = 0;
        for gap in gaps {
            fixed.push(Piece::new(&document[at..gap.start], Compression::default()));
            at = gap.end;
        }
        fixed.push(Piece::new(&document[at..], Compression::default()));
        GzipParts { fixed }
    }

    /// How many gaps [`fill`](Self::fill) expects.
    pub fn gaps(&self) -> usize {
        self.fixed.len() - 1
    }

    /// The whole document, gaps filled with `fills` (one per gap, in order), as gzip.
    pub fn fill(&self, fills: &[&[u8]]) -> Bytes {
        assert_eq!(fills.len(), self.gaps(), "one fill per gap");
        let filled: Vec<Piece> = fills
            .iter()
            .map(|fill| Piece::new(fill, Compression::fast()))
            .collect();
        let size: usize = self.fixed.iter().map(|p| p.deflated.len()).sum::<usize>()
            + filled.iter().map(|p| p.deflated.len()).sum::<usize>();
        let mut out = Vec::with_capacity(HEADER.len() + size + END.len() + 8);
        out.extend_from_slice(&HEADER);
        let mut crc = Crc::new();
        for (i, piece) in self.fixed.iter().enumerate() {
            for piece in std::iter::once(piece).chain(filled.get(i)) {
                out.extend_from_slice(&piece.deflated);
                crc.combine(&piece.crc);
            }
        }
        out.extend_from_slice(&END);
        out.extend_from_slice(&crc.sum().to_le_bytes());
        out.extend_from_slice(&crc.amount().to_le_bytes());
        Bytes::from(out)
    }
}

/// Raw deflate of `data`, ended with a full flush (byte-aligned, history reset), not final.
fn deflate_flushed(data: &[u8], level: Compression) -> Vec<u8> {
    let mut compress = Compress::new(level, false);
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        out.reserve(out.len().max(1024));
        let read = compress.total_in() as usize;
        // Compressing into a Vec with room left cannot fail.
        let _ = compress.compress_vec(&data[read..], &mut out, FlushCompress::Full);
        // The flush is complete once all is read and the output did not fill up.
        if compress.total_in() as usize == data.len() && out.len() < out.capacity() {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("valid gzip");
        out
    }

    #[test]
    fn the_joined_stream_is_gzip_of_the_document_with_its_gaps_filled() {
        let page = "<head><!--a-->anon<!--/a--></head>".to_string()
            + &"สตาลิน and the Five-Year Plan. ".repeat(4000)
            + "<form><!--b--><!--/b--></form>end";
        let gap = |needle: &str| {
            let start = page.find(needle).unwrap();
            start..start + needle.len()
        };
        let gaps = [gap("anon"), gap("<!--b-->")];
        let parts = GzipParts::new(page.as_bytes(), &gaps);

        let gzip = parts.fill(&[b"Ann", b"<input value=x>"]);

        let expected = page
            .replacen("anon", "Ann", 1)
            .replacen("<!--b-->", "<input value=x>", 1);
        assert_eq!(String::from_utf8(gunzip(&gzip)).unwrap(), expected);
        assert!(gzip.len() < page.len() / 5, "{} bytes", gzip.len());
    }

    #[test]
    fn empty_parts_and_fills_are_fine() {
        let parts = GzipParts::new(b"abc", &[0..0, 3..3]);
        assert_eq!(parts.gaps(), 2);
        assert_eq!(gunzip(&parts.fill(&[b"", b"!"])), b"abc!");
        let none = GzipParts::new(b"", &[]);
        assert_eq!(gunzip(&none.fill(&[])), b"");
    }
}
