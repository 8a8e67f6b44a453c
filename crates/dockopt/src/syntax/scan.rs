//! Byte scans eight bytes at a time (one `u64`), for the parser's hottest loop: runs of
//! word or blank characters (newlines are found with `memchr`).

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The chunk of eight bytes at `i`, if that many are left.
fn chunk(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Index of the lowest byte of `flags` that is not zero.
fn first_flagged(flags: u64) -> usize {
    (flags.trailing_zeros() / 8) as usize
}

/// From `i`, skip bytes that surely continue a run: spaces in a blank run, printable ASCII
/// (0x21 to 0x7f) in a word. Stops at the first other byte, or where fewer than eight bytes
/// are left; the caller looks at the rest.
pub fn skip_run(bytes: &[u8], mut i: usize, blank: bool) -> usize {
    while let Some(x) = chunk(bytes, i) {
        // Not zero for each byte that may end the run: other than a space, or for words, a
        // byte below 0x21 (the subtraction borrows) or above 0x7f. The lowest is exact, as
        // above.
        let stops = match blank {
            true => x ^ (ONES * u64::from(b' ')),
            false => (x.wrapping_sub(ONES * 0x21) | x) & HIGH_BITS,
        };
        if stops != 0 {
            return i + first_flagged(stops);
        }
        i += 8;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_only_what_continues_the_run() {
        let word = b"abcdefgh/ijklmno pqrstuvwxyz";
        assert_eq!(skip_run(word, 0, false), 16);
        assert_eq!(skip_run(b"abcdefg\x01ijklmnop", 0, false), 7);
        assert_eq!(skip_run("abcdefg\u{e9}ijklmnop".as_bytes(), 0, false), 7);
        assert_eq!(skip_run(b"abc", 0, false), 0, "fewer than eight bytes left");
        assert_eq!(skip_run(b"           \tx        ", 0, true), 11);
        assert_eq!(skip_run(b"        x", 0, true), 8);
    }
}
