//! A pull reader over one XML document that refuses what a customs message
//! never needs and a hostile sender would use: document type declarations
//! (and with them entity definitions), references to undeclared entities,
//! documents that are too large, too deep or have too many elements.
//!
//! It walks elements by namespace URI and local name, never by prefix, so
//! the `ceb:` prefixed form of the official declarations and the
//! default-namespace form of the official receipts read the same
//! (ceb-messages.md §2.1).

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::Ns;
use crate::characters::is_xml_char;
use crate::error::DecodeError;

/// Bounds on what one document may contain. The defaults leave room for the
/// largest legal message (100 inventories of 99 lines each, about 200,000
/// elements) and refuse anything far beyond it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest document, in bytes.
    pub max_bytes: usize,
    /// Deepest element nesting (a CEB message needs 6; free-form
    /// `ExtendMessage` content may need more).
    pub max_depth: usize,
    /// Most elements in one document.
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 32,
            max_elements: 400_000,
        }
    }
}

/// An element's start tag as the reader met it.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    /// Its namespace (`None`: a namespace this codec does not know, or none).
    pub ns: Option<Ns>,
    /// Its local name (without prefix).
    pub local: &'a str,
    /// Whether it was written `<a/>` (no content, no end tag to read).
    pub empty: bool,
    /// Byte offset of its `<` in the document.
    pub start: usize,
    tag: BytesStart<'a>,
}

impl<'a> Element<'a> {
    /// The value of the attribute without namespace named `name`, if present,
    /// with character and predefined entity references resolved.
    pub fn attribute(&self, name: &str) -> Result<Option<String>, DecodeError> {
        for attribute in self.tag.attributes() {
            let attribute = attribute.map_err(|e| DecodeError::malformed(self.start, e))?;
            if attribute.key.as_ref() == name {
                let value = attribute
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|e| DecodeError::malformed(self.start, e))?;
                return Ok(Some(value.into_owned()));
            }
        }
        Ok(None)
    }
}

/// The reader: one document, already checked to be UTF-8.
///
/// Namespaces are resolved here rather than by quick-xml's `NsReader`: a
/// CEB document declares its one or two namespaces on the root, so a short
/// stack of the declarations in scope, consulted by prefix, is all it takes
/// (and it measured about a third faster on a parcel's CEB621).
pub struct XmlIn<'a> {
    source: &'a str,
    reader: Reader<&'a [u8]>,
    limits: Limits,
    depth: usize,
    elements: usize,
    /// Namespace declarations in scope: (depth of the declaring element,
    /// prefix — empty for the default namespace —, the namespace if it is
    /// one of ours).
    scopes: Vec<(usize, &'a str, Option<Ns>)>,
}

impl<'a> XmlIn<'a> {
    /// Starts reading `bytes`: UTF-8, with or without a byte-order mark.
    pub fn new(bytes: &'a [u8], limits: Limits) -> Result<Self, DecodeError> {
        if bytes.len() > limits.max_bytes {
            return Err(DecodeError::TooLarge {
                limit: limits.max_bytes,
                size: bytes.len(),
            });
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let source = std::str::from_utf8(bytes).map_err(|e| DecodeError::NotUtf8 {
            offset: e.valid_up_to(),
        })?;
        let mut reader = Reader::from_str(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(XmlIn {
            source,
            reader,
            limits,
            depth: 0,
            elements: 0,
            scopes: Vec::new(),
        })
    }

    /// The document text (without byte-order mark).
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// Byte offset just after what has been read.
    pub fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// Reads up to the root element; refuses a DOCTYPE, text before the root,
    /// and any encoding but UTF-8.
    pub fn root(&mut self) -> Result<Element<'a>, DecodeError> {
        loop {
            let offset = self.position();
            match self.event()? {
                Event::Decl(decl) => check_encoding(&decl, offset)?,
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(text) if is_blank(&text) => {}
                Event::Start(tag) => return self.element(tag, false, offset),
                Event::Empty(tag) => return self.element(tag, true, offset),
                Event::Eof => return Err(DecodeError::NoRoot),
                _ => return Err(DecodeError::ContentOutsideRoot { offset }),
            }
        }
    }

    /// The next child element of the element being read, skipping blank
    /// text, comments and processing instructions; `None` at the parent's
    /// end tag (which is consumed). Text between child elements is refused.
    pub fn next_child(&mut self) -> Result<Option<Element<'a>>, DecodeError> {
        loop {
            let offset = self.position();
            match self.event()? {
                Event::Start(tag) => return self.element(tag, false, offset).map(Some),
                Event::Empty(tag) => return self.element(tag, true, offset).map(Some),
                Event::End(_) => {
                    self.leave();
                    return Ok(None);
                }
                Event::Text(text) if is_blank(&text) => {}
                Event::Comment(_) | Event::PI(_) => {}
                Event::Eof => return Err(DecodeError::UnexpectedEnd),
                _ => return Err(DecodeError::MixedContent { offset }),
            }
        }
    }

    /// The text content of `element` up to its end tag, with character and
    /// predefined entity references resolved; a child element is an error.
    pub fn text(&mut self, element: &Element<'_>) -> Result<Cow<'a, str>, DecodeError> {
        if element.empty {
            return Ok(Cow::Borrowed(""));
        }
        let mut text: Option<Cow<'a, str>> = None;
        loop {
            let offset = self.position();
            match self.event()? {
                Event::Text(t) => append(&mut text, self.content(t.as_ref())),
                Event::CData(t) => append(&mut text, self.content(t.as_ref())),
                Event::GeneralRef(r) => {
                    let resolved = resolve_reference(&r, offset)?;
                    append(&mut text, Cow::Owned(resolved.to_string()));
                }
                Event::End(_) => {
                    self.leave();
                    return Ok(text.unwrap_or(Cow::Borrowed("")));
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::Start(_) | Event::Empty(_) => {
                    return Err(DecodeError::ElementInText {
                        offset,
                        element: element.local.to_owned(),
                    });
                }
                Event::Eof => return Err(DecodeError::UnexpectedEnd),
                _ => return Err(DecodeError::MixedContent { offset }),
            }
        }
    }

    /// Skips `element` and everything in it (still counting its elements
    /// and depth against the limits). Returns the byte offset of its end.
    pub fn skip(&mut self, element: &Element<'_>) -> Result<usize, DecodeError> {
        if element.empty {
            return Ok(self.position());
        }
        let target = self.depth - 1;
        loop {
            match self.event()? {
                Event::Start(_) => self.enter()?,
                Event::Empty(_) => self.count()?,
                Event::End(_) => {
                    self.leave();
                    if self.depth == target {
                        return Ok(self.position());
                    }
                }
                Event::GeneralRef(r) => {
                    let offset = self.position();
                    resolve_reference(&r, offset)?;
                }
                Event::Eof => return Err(DecodeError::UnexpectedEnd),
                _ => {}
            }
        }
    }

    /// The document's text from `element`'s `<` to the end of its end tag
    /// (free-form content kept as written).
    pub fn raw(&mut self, element: &Element<'_>) -> Result<&'a str, DecodeError> {
        let end = if element.empty {
            self.position()
        } else {
            self.skip(element)?
        };
        Ok(self.source.get(element.start..end).unwrap_or(""))
    }

    /// After the root's end tag: only blank text, comments and processing
    /// instructions may follow.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        loop {
            let offset = self.position();
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(text) if is_blank(&text) => {}
                _ => return Err(DecodeError::ContentOutsideRoot { offset }),
            }
        }
    }

    fn event(&mut self) -> Result<Event<'a>, DecodeError> {
        let offset = self.position();
        let event = self
            .reader
            .read_event()
            .map_err(|e| DecodeError::malformed(offset, e))?;
        match &event {
            Event::DocType(_) => return Err(DecodeError::DocType { offset }),
            Event::Comment(text) => legal_markup(text, offset)?,
            Event::PI(text) => legal_markup(text, offset)?,
            Event::Decl(text) => legal_markup(text, offset)?,
            _ => {}
        }
        Ok(event)
    }

    /// Leaves the element whose end tag was just read, and the namespace
    /// declarations it made.
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        while self
            .scopes
            .last()
            .is_some_and(|(depth, _, _)| *depth > self.depth)
        {
            self.scopes.pop();
        }
    }

    /// Records the namespace declarations of a start tag at `depth`.
    fn declare(
        &mut self,
        tag: &BytesStart<'a>,
        depth: usize,
        start: usize,
    ) -> Result<(), DecodeError> {
        if !tag.attributes_raw().contains("xmlns") {
            return Ok(());
        }
        for attribute in tag.attributes() {
            let attribute = attribute.map_err(|e| DecodeError::malformed(start, e))?;
            let key = attribute.key.as_ref();
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(prefix) => prefix,
                    None => continue,
                },
                None => continue,
            };
            let uri = attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|e| DecodeError::malformed(start, e))?;
            let prefix = self.borrowed(prefix);
            self.scopes.push((depth, prefix, Ns::from_uri(&uri)));
        }
        Ok(())
    }

    /// Character data as the document's own text (already checked to be
    /// UTF-8 once, so not again), with XML's end-of-line normalisation
    /// (`\r\n` and `\r` read as `\n`).
    fn content(&self, raw: &str) -> Cow<'a, str> {
        let base = self.source.as_ptr() as usize;
        let at = (raw.as_ptr() as usize).wrapping_sub(base);
        let text = self.source.get(at..at + raw.len()).unwrap_or("");
        if text.contains('\r') {
            Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(text)
        }
    }

    /// `text` (a slice of a tag) as a slice of the document itself.
    fn borrowed(&self, text: &str) -> &'a str {
        let base = self.source.as_ptr() as usize;
        let at = (text.as_ptr() as usize).wrapping_sub(base);
        self.source.get(at..at + text.len()).unwrap_or("")
    }

    /// The namespace of `prefix` in scope.
    ///
    /// The default namespace (empty prefix) is matched by length alone. An
    /// `==` of two empty slices still calls glibc's `memcmp`, and `perf`
    /// showed that call taking 42 % of decoding a default-namespace receipt
    /// (the official CEB312 sample); matching by length made it 46 % faster
    /// (`cargo bench -p kuajing-ceb --bench codec`).
    fn resolve(&self, prefix: &str, start: usize) -> Result<Option<Ns>, DecodeError> {
        let same = |p: &str| {
            if prefix.is_empty() {
                p.is_empty()
            } else {
                p == prefix
            }
        };
        match self.scopes.iter().rev().find(|(_, p, _)| same(p)) {
            Some((_, _, ns)) => Ok(*ns),
            None if prefix.is_empty() => Ok(None),
            None => Err(DecodeError::Malformed {
                offset: start,
                reason: format!("namespace prefix {prefix}: is not declared"),
            }),
        }
    }

    fn element(
        &mut self,
        tag: BytesStart<'a>,
        empty: bool,
        start: usize,
    ) -> Result<Element<'a>, DecodeError> {
        if empty {
            self.count()?;
        } else {
            self.enter()?;
        }
        // The element's own declarations are in scope for its name.
        let own_depth = if empty { self.depth + 1 } else { self.depth };
        self.declare(&tag, own_depth, start)?;
        let (prefix, local) = qualified_name(self.source, start, &tag);
        let ns = self.resolve(prefix, start)?;
        if empty {
            while self
                .scopes
                .last()
                .is_some_and(|(depth, _, _)| *depth > self.depth)
            {
                self.scopes.pop();
            }
        }
        Ok(Element {
            ns,
            local,
            empty,
            start,
            tag,
        })
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        self.count()?;
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(DecodeError::TooDeep {
                limit: self.limits.max_depth,
            });
        }
        Ok(())
    }

    fn count(&mut self) -> Result<(), DecodeError> {
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(DecodeError::TooManyElements {
                limit: self.limits.max_elements,
            });
        }
        Ok(())
    }
}

/// The prefix (empty if none) and local name of a tag, borrowed from the
/// document (the tag's bytes are a slice of it; a name splits at `:`).
fn qualified_name<'a>(source: &'a str, start: usize, tag: &BytesStart<'a>) -> (&'a str, &'a str) {
    let name_len = tag.name().as_ref().len();
    let name = source.get(start + 1..start + 1 + name_len).unwrap_or("");
    match name.split_once(':') {
        Some((prefix, local)) => (prefix, local),
        None => ("", name),
    }
}

fn append<'a>(text: &mut Option<Cow<'a, str>>, more: Cow<'a, str>) {
    match text {
        None => *text = Some(more),
        Some(existing) => existing.to_mut().push_str(&more),
    }
}

/// Markup around the values (a comment, a processing instruction, the
/// declaration) holds only characters XML 1.0 allows (§2.2); values are
/// checked where they are kept, so that the refusal names their path.
fn legal_markup(markup: &str, offset: usize) -> Result<(), DecodeError> {
    match markup.chars().find(|&c| !is_xml_char(c)) {
        Some(character) => Err(DecodeError::IllegalCharacter { offset, character }),
        None => Ok(()),
    }
}

fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// A character reference or one of the five predefined entities; any other
/// entity is undeclared (this reader never reads a DTD that could declare
/// one), so it is refused rather than expanded or fetched.
fn resolve_reference(
    reference: &quick_xml::events::BytesRef<'_>,
    offset: usize,
) -> Result<char, DecodeError> {
    if reference.is_char_ref() {
        return match reference.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            _ => Err(DecodeError::BadReference {
                offset,
                name: reference.xml10_content().into_owned(),
            }),
        };
    }
    let name = reference.xml10_content();
    match name.as_ref() {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        _ => Err(DecodeError::UndeclaredEntity {
            offset,
            name: name.into_owned(),
        }),
    }
}

fn check_encoding(
    decl: &quick_xml::events::BytesDecl<'_>,
    offset: usize,
) -> Result<(), DecodeError> {
    if let Some(Ok(encoding)) = decl.encoding() {
        let encoding = encoding.to_ascii_uppercase();
        if encoding != "UTF-8" && encoding != "UTF8" {
            return Err(DecodeError::Encoding { offset, encoding });
        }
    }
    Ok(())
}
