//! Writes elements in the layout of the official samples: prefixed names
//! (`ceb:`, `dxp:`, `ds:`), one element per line, two spaces per level.
//! Output is deterministic, so a message decoded and encoded again gives the
//! same bytes (which is what keeps a signature valid across a round trip).
//!
//! Whatever a value holds, what is written is well-formed XML: a character
//! no value may hold (a control character but tab and line ends, a
//! noncharacter; [`crate::characters`]) is written as U+FFFD, in text,
//! attributes and free-form content alike. The reader never keeps one, so
//! this changes nothing read; it is the last line of defence for values
//! built elsewhere (issue #14, finding 7).

use super::Ns;
use crate::characters::{REPLACEMENT, is_refused, sanitized_markup};

/// An XML document being written.
#[derive(Debug, Default)]
pub struct XmlOut {
    buffer: String,
    depth: usize,
}

impl XmlOut {
    /// A new document with its XML declaration.
    pub fn new() -> Self {
        let mut buffer = String::with_capacity(4096);
        buffer.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        XmlOut { buffer, depth: 0 }
    }

    /// The finished document.
    pub fn finish(self) -> String {
        self.buffer
    }

    /// Opens `ns:name` with `attributes` (already in their final order);
    /// `declare` adds the namespace declaration of `ns` (on a root, or on an
    /// element in a namespace its parent did not declare).
    pub fn open(&mut self, ns: Ns, name: &str, attributes: &[(&str, &str)], declare: bool) {
        self.start_tag(ns, name, attributes, declare);
        self.buffer.push_str(">\n");
        self.depth += 1;
    }

    /// Closes the element opened last.
    pub fn close(&mut self, ns: Ns, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.buffer.push_str("</");
        self.qualified(ns, name);
        self.buffer.push_str(">\n");
    }

    /// Writes `<ns:name attributes/>`.
    pub fn empty(&mut self, ns: Ns, name: &str, attributes: &[(&str, &str)], declare: bool) {
        self.start_tag(ns, name, attributes, declare);
        self.buffer.push_str("/>\n");
    }

    /// Writes `<ns:name>text</ns:name>` (an empty text gives an empty pair,
    /// as the official samples write empty optional elements).
    pub fn leaf(&mut self, ns: Ns, name: &str, text: &str) {
        self.start_tag(ns, name, &[], false);
        self.buffer.push('>');
        escape_into(&mut self.buffer, text, false);
        self.buffer.push_str("</");
        self.qualified(ns, name);
        self.buffer.push_str(">\n");
    }

    /// Writes an element with attributes and text content.
    pub fn leaf_with_attributes(
        &mut self,
        ns: Ns,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) {
        self.start_tag(ns, name, attributes, false);
        self.buffer.push('>');
        escape_into(&mut self.buffer, text, false);
        self.buffer.push_str("</");
        self.qualified(ns, name);
        self.buffer.push_str(">\n");
    }

    /// Writes a fragment of XML as it was read (free-form content), any
    /// refused character in it (as itself or a character reference)
    /// replaced.
    pub fn raw(&mut self, xml: &str) {
        self.indent();
        self.buffer.push_str(&sanitized_markup(xml));
        self.buffer.push('\n');
    }

    fn start_tag(&mut self, ns: Ns, name: &str, attributes: &[(&str, &str)], declare: bool) {
        self.indent();
        self.buffer.push('<');
        self.qualified(ns, name);
        for (key, value) in attributes {
            self.buffer.push(' ');
            self.buffer.push_str(key);
            self.buffer.push_str("=\"");
            escape_into(&mut self.buffer, value, true);
            self.buffer.push('"');
        }
        if declare {
            self.buffer.push_str(" xmlns:");
            self.buffer.push_str(ns.prefix());
            self.buffer.push_str("=\"");
            self.buffer.push_str(ns.uri());
            self.buffer.push('"');
        }
    }

    fn qualified(&mut self, ns: Ns, name: &str) {
        self.buffer.push_str(ns.prefix());
        self.buffer.push(':');
        self.buffer.push_str(name);
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.buffer.push_str("  ");
        }
    }
}

/// Escapes text (and, in attributes, quotes and whitespace that attribute
/// normalisation would otherwise change) so that reading gives it back; a
/// refused character, which no escape could carry, becomes U+FFFD.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if is_refused(c) => out.push(REPLACEMENT),
            _ => out.push(c),
        }
    }
}
