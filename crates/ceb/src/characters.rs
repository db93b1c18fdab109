//! The characters a value of a message may hold, and what the codec does
//! with the others (issue #14, finding 7).
//!
//! Refused in every value read (element text, attribute, free-form XML,
//! JSON), named as an [`Issue`](crate::Issue) with [`Rule::Character`](crate::Rule::Character)
//! and answered with a CEB900:
//!
//! - what XML 1.0 cannot carry at all (§2.2, production `Char`; a
//!   character reference to one breaks the well-formedness constraint
//!   "Legal Character", §4.1): U+0000–U+0008, U+000B, U+000C,
//!   U+000E–U+001F, U+FFFE, U+FFFF;
//! - the other control characters (Unicode general category Cc): U+007F
//!   and U+0080–U+009F. XML 1.0 allows them but §2.2 asks authors to avoid
//!   them; no customs value holds one (they come from text decoded with the
//!   wrong code page) and they are invisible where officers read values;
//! - the other Unicode noncharacters (Unicode §23.7: U+FDD0–U+FDEF and the
//!   last two code points of every plane), which §2.2 also discourages.
//!
//! Tab, line feed and carriage return stay allowed (a note may have lines).
//!
//! Reading replaces a refused character by U+FFFD (the replacement
//! character) in the value it keeps, after naming it: so a message read
//! leniently still writes back as it reads. Writing replaces any refused
//! character the same way, as the last line of defence: whatever a value
//! holds, the codec never writes a document that is not well-formed.

use std::borrow::Cow;

/// What a refused character becomes in a value kept or written.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether `c` is refused in a value (see the module documentation).
pub const fn is_refused(c: char) -> bool {
    let code = c as u32;
    match code {
        0x09 | 0x0A | 0x0D => false,
        0x00..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF => true,
        _ => code & 0xFFFE == 0xFFFE,
    }
}

/// Whether XML 1.0 can carry `c` at all (§2.2, production `Char`): what
/// the reader demands of the markup around values (comments, processing
/// instructions, the declaration).
pub const fn is_xml_char(c: char) -> bool {
    matches!(c as u32, 0x09 | 0x0A | 0x0D | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
}

/// The first refused character of `text`, if any.
pub fn first_refused(text: &str) -> Option<char> {
    // Most values are ASCII printable or CJK text: a pass over the bytes
    // lets those through without decoding characters. Lead bytes C2 (U+0080
    // to U+00BF), EF (U+F000 to U+FFFF) and F0–F4 (beyond the BMP) are
    // where the multibyte refused characters live.
    let suspicious = text.bytes().any(|b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2 || b >= 0xEF
    });
    if !suspicious {
        return None;
    }
    text.chars().find(|&c| is_refused(c))
}

/// `text` with every refused character replaced by [`REPLACEMENT`].
pub fn sanitized(text: &str) -> Cow<'_, str> {
    if first_refused(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_refused(c) { REPLACEMENT } else { c })
            .collect(),
    )
}

/// `text` for showing in a message: every refused character written as
/// `\u0001` (`\U0001FFFE` beyond the BMP), so that an error naming a value
/// never carries the character itself.
pub fn escaped(text: &str) -> Cow<'_, str> {
    if first_refused(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_refused(c) {
            let code = u32::from(c);
            if code > 0xFFFF {
                out.push_str(&format!("\\U{code:08X}"));
            } else {
                out.push_str(&format!("\\u{code:04X}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `U+0001`, `U+1FFFE`: how messages name a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// The first refused character of a fragment of XML markup (free-form
/// content kept as written): written as itself or as a character
/// reference (`&#1;`, `&#x1F;`).
pub fn first_refused_in_markup(markup: &str) -> Option<char> {
    first_refused(markup).or_else(|| references(markup).map(|(_, c)| c).find(|&c| is_refused(c)))
}

/// A fragment of XML markup with every refused character, as itself or as
/// a character reference, replaced by [`REPLACEMENT`].
pub fn sanitized_markup(markup: &str) -> Cow<'_, str> {
    if first_refused_in_markup(markup).is_none() {
        return Cow::Borrowed(markup);
    }
    let mut out = String::with_capacity(markup.len());
    let mut rest = 0;
    for (range, c) in references(markup) {
        if is_refused(c) {
            out.push_str(&sanitized(&markup[rest..range.start]));
            out.push(REPLACEMENT);
            rest = range.end;
        }
    }
    out.push_str(&sanitized(&markup[rest..]));
    Cow::Owned(out)
}

/// The character references of `markup`: where each is (from `&` to `;`)
/// and the character it names; a number that names no character (`&#xD800;`,
/// `&#99999999999;`) counts as U+0000, refused like it.
fn references(markup: &str) -> impl Iterator<Item = (std::ops::Range<usize>, char)> + '_ {
    markup.match_indices("&#").filter_map(move |(start, _)| {
        let body = &markup[start + 2..];
        let end = body.find(';')?;
        let digits = &body[..end];
        let code = match digits.strip_prefix('x') {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()
            }
            None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse().ok()
            }
            _ => return None,
        };
        let c = code.and_then(char::from_u32).unwrap_or('\u{0}');
        Some((start..start + 2 + end + 1, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_noncharacters_are_refused_tab_and_line_ends_are_not() {
        for c in [
            '\u{0}',
            '\u{1}',
            '\u{8}',
            '\u{b}',
            '\u{c}',
            '\u{e}',
            '\u{1f}',
            '\u{7f}',
            '\u{80}',
            '\u{85}',
            '\u{9f}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ] {
            assert!(is_refused(c), "{}", code_point(c));
        }
        for c in ['\u{1}', '\u{fffe}', '\u{ffff}'] {
            assert!(!is_xml_char(c), "{}", code_point(c));
        }
        for c in ['\t', '\u{7f}', '\u{85}', '\u{fdd0}', '\u{1fffe}'] {
            assert!(is_xml_char(c), "{}", code_point(c));
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '~',
            '\u{a0}',
            '中',
            '（',
            '\u{fdcf}',
            '\u{fdf0}',
            '\u{fffd}',
            '\u{1fffd}',
            '😀',
        ] {
            assert!(!is_refused(c), "{}", code_point(c));
        }
    }

    #[test]
    fn refused_characters_are_found_replaced_and_shown_escaped() {
        assert_eq!(first_refused("ORD\u{1}X"), Some('\u{1}'));
        assert_eq!(first_refused("订单（一）\t\r\n"), None);
        assert_eq!(first_refused("a\u{ffff}"), Some('\u{ffff}'));
        assert_eq!(sanitized("A\u{1}B\u{7f}"), "A\u{fffd}B\u{fffd}");
        assert!(matches!(sanitized("clean"), Cow::Borrowed(_)));
        assert_eq!(escaped("A\u{1}B\u{10fffe}"), "A\\u0001B\\U0010FFFE");
    }

    #[test]
    fn markup_is_checked_for_characters_and_references() {
        assert_eq!(first_refused_in_markup("<a>&#1;</a>"), Some('\u{1}'));
        assert_eq!(first_refused_in_markup("<a>&#x7F;</a>"), Some('\u{7f}'));
        assert_eq!(first_refused_in_markup("<a>&#26032;&amp;</a>"), None);
        assert_eq!(
            sanitized_markup("<a x=\"&#0;\">&#x1;\u{2}&#65;</a>"),
            "<a x=\"\u{fffd}\">\u{fffd}\u{fffd}&#65;</a>"
        );
    }
}
