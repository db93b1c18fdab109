//! Characters a reader of a text cannot see, the one rule for every free
//! text people read (names, labels, reasons, notes, file names): the server's
//! field checks and the reference-data import refuse them through here.
//!
//! - Control characters (Unicode general category Cc: U+0000–U+001F,
//!   U+007F–U+009F): invisible, and some break the formats texts travel in
//!   (XML, CSV, terminals).
//! - Bidirectional formatting characters (Unicode Standard Annex #9, "Unicode
//!   Bidirectional Algorithm", §2): the embeddings and overrides
//!   U+202A–U+202E, the isolates U+2066–U+2069 and the implicit marks
//!   U+200E, U+200F and U+061C. They change the order in which the text
//!   around them is shown, so a label, a name or a file name can read
//!   differently from what it holds (`invoice<U+202E>fdp.exe` shows as `invoiceexe.pdf`; "Trojan Source",
//!   CVE-2021-42574), or two names that look the same can differ. The
//!   languages of the platform (Chinese, Russian, English, Korean,
//!   Japanese) never need them.

/// Why a character is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// A control character (general category Cc).
    Control,
    /// A bidirectional formatting character, with its Unicode name.
    Bidi(&'static str),
}

/// The first refused character of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenCharacter {
    /// Its place in the text, counting characters from 1.
    pub position: usize,
    /// The character.
    pub character: char,
    /// Why it is refused.
    pub kind: Hidden,
}

/// The Unicode name of `c` if it is a bidirectional formatting character.
pub fn bidi_control(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{061C}' => "ARABIC LETTER MARK",
        '\u{200E}' => "LEFT-TO-RIGHT MARK",
        '\u{200F}' => "RIGHT-TO-LEFT MARK",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        _ => return None,
    })
}

/// Why `c` is refused, if it is.
pub fn hidden(c: char) -> Option<Hidden> {
    if c.is_control() {
        Some(Hidden::Control)
    } else {
        bidi_control(c).map(Hidden::Bidi)
    }
}

/// The first character of `value` a reader cannot see, if any: the rule
/// for one-line texts (names, labels, codes, file names).
pub fn first_hidden(value: &str) -> Option<HiddenCharacter> {
    first_where(value, |_| true)
}

/// As [`first_hidden`], but tab, line feed and carriage return pass: the
/// rule for prose typed in a box of several lines (reasons, notes,
/// addresses), where line breaks are what the writer meant.
pub fn first_hidden_in_prose(value: &str) -> Option<HiddenCharacter> {
    first_where(value, |c| !matches!(c, '\t' | '\n' | '\r'))
}

fn first_where(value: &str, counts: impl Fn(char) -> bool) -> Option<HiddenCharacter> {
    value.chars().enumerate().find_map(|(i, character)| {
        hidden(character)
            .filter(|_| counts(character))
            .map(|kind| HiddenCharacter {
                position: i + 1,
                character,
                kind,
            })
    })
}

/// `value` as it can be shown in a message: each refused character written
/// `<U+202E>`, cut after `max` characters with `…`.
pub fn escaped(value: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        match hidden(c) {
            Some(_) => out.push_str(&format!("<U+{:04X}>", u32::from(c))),
            None => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_controls_and_bidi_formatting_characters() {
        assert_eq!(first_hidden("珲春 Hunchun Хуньчунь 훈춘"), None);
        let found = first_hidden("ab\u{202E}cd").unwrap();
        assert_eq!(
            (found.position, found.character, found.kind),
            (3, '\u{202E}', Hidden::Bidi("RIGHT-TO-LEFT OVERRIDE"))
        );
        assert_eq!(first_hidden("a\u{1}").unwrap().kind, Hidden::Control);
        assert_eq!(first_hidden("a\nb").unwrap().position, 2);
        assert_eq!(first_hidden_in_prose("第一行\r\n第二行\t完"), None);
        assert_eq!(first_hidden_in_prose("a\n\u{0}").unwrap().position, 3);
        assert_eq!(
            first_hidden_in_prose("a\n\u{2067}").unwrap().kind,
            Hidden::Bidi("RIGHT-TO-LEFT ISOLATE")
        );
        for c in ('\u{202A}'..='\u{202E}')
            .chain('\u{2066}'..='\u{2069}')
            .chain(['\u{200E}', '\u{200F}', '\u{061C}'])
        {
            assert!(matches!(hidden(c), Some(Hidden::Bidi(_))), "{c:?}");
        }
        // Joiners and the no-break space are ordinary text.
        for c in ['\u{200C}', '\u{200D}', '\u{00A0}', '\u{2065}', '\u{202F}'] {
            assert_eq!(hidden(c), None, "{c:?}");
        }
    }

    #[test]
    fn escapes_what_cannot_be_seen_and_cuts_long_values() {
        assert_eq!(escaped("ab\u{202E}cd\u{1}", 10), "ab<U+202E>cd<U+0001>");
        assert_eq!(escaped("abcdef", 3), "abc…");
    }
}
