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
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::Ns;
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
pub struct XmlIn<'a> {
    source: &'a str,
    reader: NsReader<&'a [u8]>,
    limits: Limits,
    depth: usize,
    elements: usize,
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
        let mut reader = NsReader::from_str(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(XmlIn {
            source,
            reader,
            limits,
            depth: 0,
            elements: 0,
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
                (_, Event::Decl(decl)) => check_encoding(&decl, offset)?,
                (_, Event::Comment(_) | Event::PI(_)) => {}
                (_, Event::Text(text)) if is_blank(&text.xml10_content()) => {}
                (ns, Event::Start(tag)) => return self.element(ns, tag, false, offset),
                (ns, Event::Empty(tag)) => return self.element(ns, tag, true, offset),
                (_, Event::Eof) => return Err(DecodeError::NoRoot),
                (_, _) => return Err(DecodeError::ContentOutsideRoot { offset }),
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
                (ns, Event::Start(tag)) => return self.element(ns, tag, false, offset).map(Some),
                (ns, Event::Empty(tag)) => return self.element(ns, tag, true, offset).map(Some),
                (_, Event::End(_)) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(None);
                }
                (_, Event::Text(text)) if is_blank(&text.xml10_content()) => {}
                (_, Event::Comment(_) | Event::PI(_)) => {}
                (_, Event::Eof) => return Err(DecodeError::UnexpectedEnd),
                (_, _) => return Err(DecodeError::MixedContent { offset }),
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
                (_, Event::Text(t)) => append(&mut text, t.xml10_content()),
                (_, Event::CData(t)) => append(&mut text, t.xml10_content()),
                (_, Event::GeneralRef(r)) => {
                    let resolved = resolve_reference(&r, offset)?;
                    append(&mut text, Cow::Owned(resolved.to_string()));
                }
                (_, Event::End(_)) => {
                    self.depth = self.depth.saturating_sub(1);
                    return Ok(text.unwrap_or(Cow::Borrowed("")));
                }
                (_, Event::Comment(_) | Event::PI(_)) => {}
                (_, Event::Start(_) | Event::Empty(_)) => {
                    return Err(DecodeError::ElementInText {
                        offset,
                        element: element.local.to_owned(),
                    });
                }
                (_, Event::Eof) => return Err(DecodeError::UnexpectedEnd),
                (_, _) => return Err(DecodeError::MixedContent { offset }),
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
                (_, Event::Start(_)) => self.enter()?,
                (_, Event::Empty(_)) => self.count()?,
                (_, Event::End(_)) => {
                    self.depth -= 1;
                    if self.depth == target {
                        return Ok(self.position());
                    }
                }
                (_, Event::GeneralRef(r)) => {
                    let offset = self.position();
                    resolve_reference(&r, offset)?;
                }
                (_, Event::Eof) => return Err(DecodeError::UnexpectedEnd),
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
                (_, Event::Eof) => return Ok(()),
                (_, Event::Comment(_) | Event::PI(_)) => {}
                (_, Event::Text(text)) if is_blank(&text.xml10_content()) => {}
                _ => return Err(DecodeError::ContentOutsideRoot { offset }),
            }
        }
    }

    fn event(&mut self) -> Result<(Option<Ns>, Event<'a>), DecodeError> {
        let offset = self.position();
        let (resolved, event) = self
            .reader
            .read_resolved_event()
            .map_err(|e| DecodeError::malformed(offset, e))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => Ns::from_uri(ns.as_ref()),
            _ => None,
        };
        if let Event::DocType(_) = event {
            return Err(DecodeError::DocType { offset });
        }
        Ok((ns, event))
    }

    fn element(
        &mut self,
        ns: Option<Ns>,
        tag: BytesStart<'a>,
        empty: bool,
        start: usize,
    ) -> Result<Element<'a>, DecodeError> {
        if empty {
            self.count()?;
        } else {
            self.enter()?;
        }
        let local = local_name(self.source, start, &tag);
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

/// The local name of a tag, borrowed from the document (the tag's bytes
/// are a slice of it; a name is ASCII-safe to split at `:`).
fn local_name<'a>(source: &'a str, start: usize, tag: &BytesStart<'a>) -> &'a str {
    let name_len = tag.name().as_ref().len();
    let name = source.get(start + 1..start + 1 + name_len).unwrap_or("");
    match name.rfind(':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

fn append<'a>(text: &mut Option<Cow<'a, str>>, more: Cow<'a, str>) {
    match text {
        None => *text = Some(more),
        Some(existing) => existing.to_mut().push_str(&more),
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
