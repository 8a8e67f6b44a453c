//! Which bytes of a text are whitespace, found for the whole text at once: one bit per byte,
//! computed 64 bytes at a time. The word tokenizer then finds where words and blank runs
//! meet from these bits, without looking at bytes one by one (the typical token is a few
//! bytes long, so a byte loop that stops at every token end costs a mispredicted branch per
//! token).
//!
//! "Whitespace" is `char::is_whitespace`, and a multi-byte whitespace character (U+00A0,
//! U+2003, ...) has the bits of all its bytes set.
//!
//! The same pass finds the line ends, for the line index.

use crate::text::LineIndex;

/// Bytes looked at together: one `u64` of bits.
const BLOCK: usize = 64;

/// One bit per byte of a text, set for the bytes of whitespace characters.
#[derive(Debug)]
pub(crate) struct BlankBits {
    /// Bit `i % 64` of word `i / 64` is byte `i`'s.
    words: Vec<u64>,
}

/// The blank bits and the line index of `text`, from one pass over its bytes.
pub(crate) fn scan(text: &str) -> (BlankBits, LineIndex) {
    // Bits of the `\n` bytes, as the blank bits, only until the line index is built.
    let mut newlines = Vec::with_capacity(text.len().div_ceil(BLOCK));
    let blanks = BlankBits::build(text, |masks| newlines.push(masks.newline));
    (blanks, LineIndex::with_newlines(text.len(), set_bits(&newlines)))
}

/// The offsets of the set bits of `words`, bit `i % 64` of word `i / 64` being offset `i`.
fn set_bits(words: &[u64]) -> SetBits<'_> {
    SetBits { words, index: 0, bits: words.first().copied().unwrap_or(0) }
}

struct SetBits<'a> {
    words: &'a [u64],
    /// The word being read, and its bits not given yet.
    index: usize,
    bits: u64,
}

impl Iterator for SetBits<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.index += 1;
            self.bits = *self.words.get(self.index)?;
        }
        let at = self.index * BLOCK + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(at)
    }
}

impl BlankBits {
    #[cfg(test)]
    pub fn new(text: &str) -> Self {
        Self::build(text, |_| {})
    }

    /// The bits of `text`; `each_block` sees the ASCII masks of every block, in order.
    fn build(text: &str, mut each_block: impl FnMut(&AsciiMasks)) -> Self {
        let bytes = text.as_bytes();
        let mut words = Vec::with_capacity(bytes.len().div_ceil(BLOCK));
        let mut block_bits = |block: &[u8; BLOCK], start: usize| {
            let ascii = ascii_masks(block);
            each_block(&ascii);
            match ascii.non_ascii {
                0 => ascii.blank,
                non_ascii => ascii.blank | unicode_blanks(text, start, non_ascii),
            }
        };
        let mut blocks = bytes.chunks_exact(BLOCK);
        for block in blocks.by_ref() {
            let start = words.len() * BLOCK;
            words.push(block_bits(block.try_into().expect("a whole block"), start));
        }
        let tail = blocks.remainder();
        if !tail.is_empty() {
            // Padded with a byte that is neither blank nor newline: the padding's bits stay clear.
            let mut block = [b'x'; BLOCK];
            block[..tail.len()].copy_from_slice(tail);
            words.push(block_bits(&block, words.len() * BLOCK));
        }
        Self { words }
    }

    /// Whether byte `i` belongs to a whitespace character.
    pub fn is_blank(&self, i: usize) -> bool {
        self.words[i / BLOCK] >> (i % BLOCK) & 1 == 1
    }

    /// Length of the run of blank bytes at `start`, not going past `end`.
    pub fn run(&self, start: usize, end: usize) -> usize {
        let mut at = start;
        while at < end {
            // Ones for the bytes from `at` on that are not blank (and zeros past the word).
            let others = (!self.words[at / BLOCK]) >> (at % BLOCK);
            if others != 0 {
                at += others.trailing_zeros() as usize;
                break;
            }
            at = (at / BLOCK + 1) * BLOCK;
        }
        at.min(end) - start
    }

    /// Where runs of blank and other bytes meet inside `start..end` (not empty): each offset
    /// whose byte is blank and the one before is not, or the reverse, in order. `start`
    /// itself is never one.
    pub fn edges(&self, start: usize, end: usize) -> Edges<'_> {
        debug_assert!(start < end && end <= self.words.len() * BLOCK);
        let mut edges =
            Edges { words: &self.words, index: start / BLOCK, last: (end - 1) / BLOCK, start, end, pending: 0 };
        edges.pending = edges.edge_bits();
        edges
    }
}

/// The offsets of [`BlankBits::edges`].
#[derive(Debug, Clone)]
pub(crate) struct Edges<'a> {
    words: &'a [u64],
    /// The word being read, and the last one to read.
    index: usize,
    last: usize,
    start: usize,
    end: usize,
    /// Edges of word `index` not given yet.
    pending: u64,
}

impl Edges<'_> {
    /// The edges in word `index`: bits that differ from the bit before (carried over from
    /// the word before), kept between `start` (excluded) and `end`.
    fn edge_bits(&self) -> u64 {
        let bits = self.words[self.index];
        let carry = match self.index {
            0 => 0,
            i => self.words[i - 1] >> (BLOCK - 1),
        };
        let base = self.index * BLOCK;
        let inside = bits_below(self.end - base) & !bits_below((self.start + 1).saturating_sub(base));
        (bits ^ (bits << 1 | carry)) & inside
    }
}

impl Iterator for Edges<'_> {
    type Item = usize;

    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        while self.pending == 0 {
            if self.index == self.last {
                return None;
            }
            self.index += 1;
            self.pending = self.edge_bits();
        }
        let at = self.index * BLOCK + self.pending.trailing_zeros() as usize;
        self.pending &= self.pending - 1;
        Some(at)
    }
}

/// Per byte of a block: is it an ASCII blank, is it not ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct AsciiMasks {
    /// Space, `\t`, `\n`, `\v`, `\f`, `\r`: the ASCII characters of `char::is_whitespace`.
    blank: u64,
    /// Bytes of 0x80 and above, parts of characters that must be decoded.
    non_ascii: u64,
    /// `\n`, where lines end.
    newline: u64,
}

/// The masks of a block, with SSE2 (always there on x86_64), 16 bytes per step.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)] // calling the SSE2 function
fn ascii_masks(block: &[u8; BLOCK]) -> AsciiMasks {
    // SAFETY: SSE2 is part of the x86_64 baseline: every x86_64 processor has it.
    unsafe { sse2_ascii_masks(block) }
}

/// [`ascii_masks`]: per 16 bytes, three comparisons and a movemask (the sign bit of each
/// byte) for each mask.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
#[allow(unsafe_code)] // the unaligned loads
fn sse2_ascii_masks(block: &[u8; BLOCK]) -> AsciiMasks {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi8, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let mut masks = AsciiMasks { blank: 0, non_ascii: 0, newline: 0 };
    for (i, lane) in block.chunks_exact(16).enumerate() {
        let lane: &[u8; 16] = lane.try_into().expect("16 bytes");
        // SAFETY: `lane` is 16 readable bytes, exactly what the unaligned load reads.
        let x = unsafe { _mm_loadu_si128(lane.as_ptr().cast::<__m128i>()) };
        let space = _mm_cmpeq_epi8(x, _mm_set1_epi8(b' ' as i8));
        // `\t`..=`\r` (0x09..=0x0d) moved to -128..=-124: one signed comparison finds them,
        // and nothing else lands that low (bytes from 0x80 wrap around to 0 and above).
        let moved = _mm_add_epi8(x, _mm_set1_epi8((0x80 - 0x09) as i8));
        let control = _mm_cmplt_epi8(moved, _mm_set1_epi8(-123));
        // The sign bit of each byte: its own high bit, or the comparison's result.
        let blank = _mm_movemask_epi8(_mm_or_si128(space, control)) as u16;
        let high = _mm_movemask_epi8(x) as u16;
        let newline = _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\n' as i8))) as u16;
        masks.blank |= u64::from(blank) << (16 * i);
        masks.non_ascii |= u64::from(high) << (16 * i);
        masks.newline |= u64::from(newline) << (16 * i);
    }
    masks
}

/// The masks of a block, a byte at a time (other targets).
#[cfg(not(target_arch = "x86_64"))]
fn ascii_masks(block: &[u8; BLOCK]) -> AsciiMasks {
    scalar_ascii_masks(block)
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn scalar_ascii_masks(block: &[u8; BLOCK]) -> AsciiMasks {
    let mut masks = AsciiMasks { blank: 0, non_ascii: 0, newline: 0 };
    for (i, &b) in block.iter().enumerate() {
        masks.blank |= u64::from(matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')) << i;
        masks.non_ascii |= u64::from(!b.is_ascii()) << i;
        masks.newline |= u64::from(b == b'\n') << i;
    }
    masks
}

/// The bits of the non-ASCII bytes (`non_ascii`, of the block at `start`) that belong to
/// whitespace characters. Each character is decoded once, from its first byte, which may lie
/// in the block before.
fn unicode_blanks(text: &str, start: usize, mut non_ascii: u64) -> u64 {
    let mut blanks = 0;
    while non_ascii != 0 {
        let mut at = start + non_ascii.trailing_zeros() as usize;
        // Only the block's first bytes can continue a character begun before it.
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let c = text[at..].chars().next().expect("a character starts here");
        // The character's bytes, as bits of this block (it may begin before it or end after).
        let first = at.max(start) - start;
        let last = (at + c.len_utf8()).min(start + BLOCK) - start;
        let bits = bits_below(last) & !bits_below(first);
        if c.is_whitespace() {
            blanks |= bits;
        }
        non_ascii &= !bits;
    }
    blanks
}

/// The `n` lowest bits (all 64 for `n == 64`).
pub(crate) fn bits_below(n: usize) -> u64 {
    match n {
        BLOCK.. => u64::MAX,
        n => (1 << n) - 1,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition: a byte's bit is its character's `is_whitespace`.
    fn expected(text: &str) -> Vec<bool> {
        text.chars().flat_map(|c| std::iter::repeat_n(c.is_whitespace(), c.len_utf8())).collect()
    }

    fn actual(text: &str) -> Vec<bool> {
        let bits = BlankBits::new(text);
        (0..text.len()).map(|i| bits.is_blank(i)).collect()
    }

    fn check(text: &str) {
        assert_eq!(actual(text), expected(text), "{text:?}");
        // The padding of the last block has no bits set.
        let bits = BlankBits::new(text);
        if let Some(&last) = bits.words.last() {
            assert_eq!(last & !bits_below(text.len() - (bits.words.len() - 1) * BLOCK), 0, "{text:?}");
        }
    }

    #[test]
    fn ascii_blanks_are_the_six() {
        let all: String = (0u8..0x80).map(char::from).collect();
        check(&all);
        check(&all.repeat(3));
        let blanks: Vec<usize> = (0..all.len()).filter(|&i| BlankBits::new(&all).is_blank(i)).collect();
        assert_eq!(blanks, vec![9, 10, 11, 12, 13, 32]);
    }

    #[test]
    fn unicode_blanks_and_characters_across_blocks() {
        check("");
        check("a\u{a0}b\u{2003}c\u{85}d\u{3000}\u{feff}\u{1680}é");
        for n in 58..66 {
            // A two-, three- and four-byte character at every position around a block's end.
            for c in ['\u{a0}', 'é', '\u{2003}', '\u{20ac}', '\u{1f600}'] {
                check(&format!("{}{c} x", "a".repeat(n)));
                check(&format!("{}{c}{c}", " ".repeat(n)));
            }
        }
    }

    #[test]
    fn blank_runs_are_gos_leading_space() {
        for (text, n) in
            [("", 0), ("  a", 2), (" \t\u{a0}\u{2003} x", 8), ("\u{e9}", 0), (" \u{e9}", 1), (" \r\x0b", 3)]
        {
            assert_eq!(BlankBits::new(text).run(0, text.len()), n, "{text:?}");
        }
        let long = format!("{}x", " ".repeat(130));
        assert_eq!(BlankBits::new(&long).run(3, long.len()), 127);
        assert_eq!(BlankBits::new(&long).run(3, 100), 97, "stops at the end given");
    }

    #[test]
    fn scalar_masks_match_the_simd_ones() {
        let mut block = [0u8; BLOCK];
        for round in 0..8 {
            for (i, b) in block.iter_mut().enumerate() {
                *b = (i * 37 + round * 64) as u8;
            }
            assert_eq!(scalar_ascii_masks(&block), ascii_masks(&block));
        }
    }

    /// Text mixing what the scanner tells apart: ASCII blanks and letters, Unicode blanks,
    /// other multi-byte characters.
    fn mixed_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            " ",
            "\t",
            "\n",
            "\r\n",
            "\x0b",
            "\x0c",
            "a",
            "RUN",
            "--x=1",
            "\\",
            "\u{a0}",
            "\u{85}",
            "\u{2003}",
            "\u{3000}",
            "\u{2028}",
            "é",
            "\u{20ac}",
            "\u{1f600}",
            "\u{feff}",
            "\x7f",
            "\x00",
        ]);
        prop::collection::vec(pieces, 0..120).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn bits_match_is_whitespace(text in mixed_text()) {
            prop_assert_eq!(actual(&text), expected(&text));
        }

        #[test]
        fn blank_runs_are_leading_whitespace(text in mixed_text(), cuts in (0usize..1000, 0usize..1000)) {
            let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            let (a, b) = (bounds[cuts.0 % bounds.len()], bounds[cuts.1 % bounds.len()]);
            let (start, end) = (a.min(b), a.max(b));
            let piece = &text[start..end];
            let expected = piece.len() - piece.trim_start_matches(char::is_whitespace).len();
            prop_assert_eq!(BlankBits::new(&text).run(start, end), expected);
        }

        #[test]
        fn lines_are_those_of_the_line_index(text in mixed_text()) {
            let (_, lines) = scan(&text);
            let expected = LineIndex::new(&text);
            for line in 0..=text.len() + 1 {
                prop_assert_eq!(lines.line_start(line), expected.line_start(line));
            }
        }

        #[test]
        fn bits_match_is_whitespace_on_any_text(text in "[\\s\\S]{0,200}") {
            prop_assert_eq!(actual(&text), expected(&text));
        }
    }
}
