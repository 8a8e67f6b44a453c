//! Byte scans eight bytes at a time (one `u64`), for the parser's hottest loops.

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

/// The high bit of each byte of `x` that is `\n`, exactly (no carry crosses bytes).
fn newlines_in(x: u64) -> u64 {
    const LOW_BITS: u64 = !HIGH_BITS;
    let y = x ^ (ONES * u64::from(b'\n'));
    !(((y & LOW_BITS).wrapping_add(LOW_BITS)) | y | LOW_BITS)
}

/// The first `\n` at or after `from`.
pub fn find_newline(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(x) = chunk(bytes, i) {
        let found = newlines_in(x);
        if found != 0 {
            return Some(i + first_flagged(found));
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| b == b'\n').map(|p| i + p)
}

/// Call `f` with the offset of every `\n`, in order.
pub fn each_newline(bytes: &[u8], mut f: impl FnMut(usize)) {
    let mut i = 0;
    while let Some(x) = chunk(bytes, i) {
        let mut found = newlines_in(x);
        while found != 0 {
            f(i + first_flagged(found));
            found &= found - 1;
        }
        i += 8;
    }
    for (j, &b) in bytes[i..].iter().enumerate() {
        if b == b'\n' {
            f(i + j);
        }
    }
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
    fn finds_newlines_at_every_position() {
        for len in 0..20 {
            for at in 0..len {
                let mut text = vec![b'a'; len];
                text[at] = b'\n';
                assert_eq!(find_newline(&text, 0), Some(at));
                assert_eq!(find_newline(&text, at + 1), None);
            }
        }
        assert_eq!(find_newline(b"\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\n", 0), Some(9));
        let text = b"\n\x0b\n\n\x0b\x0ba\n\x0b\x8a\n\n\n\n\n\n\n\nx\n";
        let mut all = Vec::new();
        each_newline(text, |i| all.push(i));
        let expected: Vec<usize> = (0..text.len()).filter(|&i| text[i] == b'\n').collect();
        assert_eq!(all, expected);
    }

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
