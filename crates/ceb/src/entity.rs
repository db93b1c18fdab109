//! The machinery every message entity shares: the XSD facts of a field
//! ([`Facet`], [`FieldSpec`]), how a Rust value reads, writes, checks and
//! converts itself ([`Slot`]), and the walk over an entity's elements
//! ([`Entity`], [`read_entity`], [`write_entity`], [`check_entity`]).
//!
//! The entities themselves are declared with the `entity!` macro, one line
//! per XSD element, in the XSD's order (which is the order they are written).

use std::borrow::Cow;
use std::str::FromStr;

use base64::Engine;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::characters::{first_refused, first_refused_in_markup, sanitized, sanitized_markup};
use crate::error::DecodeError;
use crate::issue::{Issue, Path, Rule};
use crate::xml::{Element, Ns, XmlIn, XmlOut};

/// The XSD restriction on one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// `xs:string` with a length in characters from `min` to `max`;
    /// `collapse`: the XSD `whiteSpace="collapse"` facet applies first.
    Text {
        /// Fewest characters.
        min: u32,
        /// Most characters.
        max: u32,
        /// Whether whitespace is collapsed before counting.
        collapse: bool,
    },
    /// `xs:string` with no length facet.
    AnyText,
    /// `xs:decimal` with `totalDigits`/`fractionDigits`.
    Decimal {
        /// Most digits in all.
        total: u32,
        /// Most digits after the point.
        fraction: u32,
    },
    /// `xs:int`, optionally with `totalDigits`.
    Int {
        /// Most digits.
        digits: u32,
    },
    /// `xs:base64Binary`.
    Base64,
    /// `xs:dateTime` (`yyyy-MM-ddTHH:mm:ss`).
    DateTime,
    /// `xs:date` (`yyyy-MM-dd`).
    Date,
    /// A child entity occurring `min` to `max` times.
    Occurs {
        /// Fewest occurrences.
        min: u32,
        /// Most occurrences.
        max: u32,
    },
    /// Free-form XML (`xs:any`).
    Any,
}

impl Facet {
    /// A string of `min` to `max` characters.
    pub const fn text(min: u32, max: u32) -> Facet {
        Facet::Text {
            min,
            max,
            collapse: false,
        }
    }

    /// A string of `min` to `max` characters after whitespace collapsing.
    pub const fn collapsed(min: u32, max: u32) -> Facet {
        Facet::Text {
            min,
            max,
            collapse: true,
        }
    }

    /// The specification's money and quantity type: N19,5.
    pub const DECIMAL: Facet = Facet::Decimal {
        total: 19,
        fraction: 5,
    };

    /// An entity occurring exactly once.
    pub const ONE: Facet = Facet::Occurs { min: 1, max: 1 };

    /// An entity occurring at most once.
    pub const OPTIONAL: Facet = Facet::Occurs { min: 0, max: 1 };

    /// An entity occurring `min` to `max` times.
    pub const fn occurs(min: u32, max: u32) -> Facet {
        Facet::Occurs { min, max }
    }
}

/// What a walk over the schema needs to know of an entity.
#[derive(Debug, Clone, Copy)]
pub struct EntityMeta {
    /// Local name.
    pub name: &'static str,
    /// Attributes in order.
    pub attributes: &'static [AttributeSpec],
    /// Child elements in XSD order.
    pub fields: &'static [FieldSpec],
}

/// The [`EntityMeta`] of `E`.
pub fn meta<E: Entity>() -> EntityMeta {
    EntityMeta {
        name: E::NAME,
        attributes: E::ATTRIBUTES,
        fields: E::FIELDS,
    }
}

/// One attribute of an entity, as the XSD declares it.
#[derive(Debug, Clone, Copy)]
pub struct AttributeSpec {
    /// Name.
    pub name: &'static str,
    /// Restriction.
    pub facet: Facet,
    /// Whether it must be present.
    pub required: bool,
}

/// One element of an entity, as the XSD declares it.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Local name.
    pub name: &'static str,
    /// Namespace.
    pub ns: Ns,
    /// Restriction.
    pub facet: Facet,
    /// Whether it must be present (checked while reading).
    pub required: bool,
    /// Whether it may repeat.
    pub repeats: bool,
    /// The child entity's description, when the element is an entity.
    pub child: Option<fn() -> EntityMeta>,
}

/// A value met while walking a message.
#[derive(Debug, Clone, Copy)]
pub enum FieldValue<'v> {
    /// A string (or attribute).
    Text(&'v str),
    /// A decimal.
    Decimal(&'v Decimal),
    /// An integer.
    Int(i64),
}

/// Receives every value of a message (see [`Entity::visit_fields`]).
pub trait Visitor {
    /// One value: `name` under the element at `path`.
    fn field(&mut self, path: &Path<'_>, name: &'static str, value: FieldValue<'_>);
}

/// Where a field's namespace comes from: its own entity's, or the parent's.
pub const fn ns_or(own: Option<Ns>, parent: Ns) -> Ns {
    match own {
        Some(ns) => ns,
        None => parent,
    }
}

/// A Rust value that holds one XSD element's content.
pub trait Slot: Sized + Default {
    /// The namespace of the element, when it is an entity of its own
    /// (values take their parent's).
    const NS: Option<Ns> = None;
    /// Whether the element must be present.
    const REQUIRED: bool;
    /// Whether the element may repeat.
    const REPEATS: bool = false;
    /// The child entity's description, when the element is an entity.
    const CHILD: Option<fn() -> EntityMeta> = None;

    /// Reads one occurrence of the element (its start tag already read).
    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        facet: Facet,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError>;

    /// Writes the element(s), if present.
    fn write_xml(&self, out: &mut XmlOut, ns: Ns, name: &str);

    /// Checks the value against its facet; `path` is the parent's.
    fn check(&self, facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>);

    /// The value as JSON (`None`: absent).
    fn to_json(&self) -> Option<Value>;

    /// Shows each value to `visitor` (`path` is the parent's).
    fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor);

    /// The value from JSON (`None`: the key is absent); `path` is the
    /// parent's.
    fn from_json(
        value: Option<&Value>,
        facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self;
}

/// An element made of attributes and child elements (or text, for the few
/// simple-content ones).
pub trait Entity: Default + Sized {
    /// Local name of the element.
    const NAME: &'static str;
    /// Namespace of the element and of its value children.
    const NS: Ns;
    /// Child elements in XSD order.
    const FIELDS: &'static [FieldSpec];
    /// Attributes in order.
    const ATTRIBUTES: &'static [AttributeSpec];

    /// Position in [`Entity::FIELDS`] of the child element named `local`.
    fn field_index(local: &str) -> Option<usize>;

    /// Reads the attributes of the start tag.
    fn read_attributes(
        &mut self,
        element: &Element<'_>,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError>;

    /// Reads the child element at `index` of [`Entity::FIELDS`].
    fn read_field(
        &mut self,
        index: usize,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError>;

    /// The attributes to write, in order, skipping absent ones.
    fn attributes(&self) -> Vec<(&'static str, &str)>;

    /// Writes the child elements in XSD order.
    fn write_fields(&self, out: &mut XmlOut);

    /// Checks attributes and child elements.
    fn check_fields(&self, path: &Path<'_>, issues: &mut Vec<Issue>);

    /// Shows every attribute and value in the entity, depth first, to
    /// `visitor`.
    fn visit_fields(&self, path: &Path<'_>, visitor: &mut dyn Visitor);

    /// Adds attributes and child elements to a JSON object.
    fn fields_to_json(&self, object: &mut Map<String, Value>);

    /// Reads attributes and child elements from a JSON object.
    fn fields_from_json(
        object: &Map<String, Value>,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Self;

    /// The names a JSON object of this entity may use.
    fn json_keys() -> Vec<&'static str>;
}

/// Reads an entity whose start tag `element` has just been read, down to its
/// end tag. Schema deviations (unknown, missing, repeated or misplaced
/// elements, values that do not parse) become issues; only XML that cannot
/// be read is an error.
pub fn read_entity<E: Entity>(
    reader: &mut XmlIn<'_>,
    element: &Element<'_>,
    path: &Path<'_>,
    issues: &mut Vec<Issue>,
) -> Result<E, DecodeError> {
    let mut entity = E::default();
    entity.read_attributes(element, path, issues)?;
    if element.empty {
        report_missing::<E>(0, path, issues);
        return Ok(entity);
    }
    let mut seen: u64 = 0;
    let mut last: Option<usize> = None;
    while let Some(child) = reader.next_child()? {
        let index = E::field_index(child.local)
            .filter(|&i| child.ns.is_none_or(|ns| ns == E::FIELDS[i].ns));
        let Some(index) = index else {
            issues.push(Issue::at_unknown(path, child.local, Rule::Unknown));
            reader.skip(&child)?;
            continue;
        };
        let spec = &E::FIELDS[index];
        let bit = 1u64 << index;
        let repeat_in_place = spec.repeats && last == Some(index);
        if seen & bit != 0 && !repeat_in_place {
            let rule = if spec.repeats {
                Rule::OutOfOrder {
                    before: following(E::FIELDS, index),
                }
            } else {
                Rule::Duplicate
            };
            issues.push(Issue::new(&path.child(spec.name), rule, None));
            if !spec.repeats {
                reader.skip(&child)?;
                continue;
            }
        } else if let Some(previous) = last.filter(|&p| p > index) {
            issues.push(Issue::new(
                &path.child(spec.name),
                Rule::OutOfOrder {
                    before: E::FIELDS[previous].name,
                },
                None,
            ));
        }
        seen |= bit;
        last = Some(index);
        entity.read_field(index, reader, &child, path, issues)?;
    }
    report_missing::<E>(seen, path, issues);
    Ok(entity)
}

fn following(fields: &'static [FieldSpec], index: usize) -> &'static str {
    fields.get(index + 1).map_or("the end", |f| f.name)
}

fn report_missing<E: Entity>(seen: u64, path: &Path<'_>, issues: &mut Vec<Issue>) {
    for (i, spec) in E::FIELDS.iter().enumerate() {
        if spec.required && seen & (1u64 << i) == 0 {
            issues.push(Issue::new(&path.child(spec.name), Rule::Missing, None));
        }
    }
}

/// Writes an entity; `declare` adds its namespace declaration (on the root,
/// or where it changes namespace).
pub fn write_entity<E: Entity>(out: &mut XmlOut, entity: &E, declare: bool) {
    let attributes = entity.attributes();
    if E::FIELDS.is_empty() {
        out.empty(E::NS, E::NAME, &attributes, declare);
        return;
    }
    out.open(E::NS, E::NAME, &attributes, declare);
    entity.write_fields(out);
    out.close(E::NS, E::NAME);
}

/// Checks an entity and everything in it against the schema's facets and
/// occurrences.
pub fn check_entity<E: Entity>(entity: &E, path: &Path<'_>, issues: &mut Vec<Issue>) {
    entity.check_fields(path, issues);
}

/// The entity as a JSON object keyed by the specification's element names.
pub fn entity_to_json<E: Entity>(entity: &E) -> Value {
    let mut object = Map::new();
    entity.fields_to_json(&mut object);
    Value::Object(object)
}

/// The entity from a JSON object; unknown keys and bad values are issues.
pub fn entity_from_json<E: Entity>(value: &Value, path: &Path<'_>, issues: &mut Vec<Issue>) -> E {
    let Value::Object(object) = value else {
        issues.push(Issue::new(path, Rule::Missing, Some(&value.to_string())));
        return E::default();
    };
    let known = E::json_keys();
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            issues.push(Issue::at_unknown(path, key, Rule::Unknown));
        }
    }
    E::fields_from_json(object, path, issues)
}

// ---------------------------------------------------------------------------
// Values: strings, decimals, integers.

/// A value type (string, decimal, integer): how it reads itself from text,
/// writes itself back, and checks its facet.
pub trait Scalar: Sized + Default {
    /// Parses element text; `None`: not a value of this type.
    fn parse(text: &str, facet: Facet) -> Option<Self>;
    /// The text to write.
    fn text(&self) -> String;
    /// Checks the facet; `Some(rule)` when broken.
    fn broken(&self, facet: Facet) -> Option<Rule>;
    /// The rule a text that does not parse breaks.
    fn unparsable(facet: Facet) -> Rule;
    /// As JSON.
    fn json(&self) -> Value;
    /// From JSON.
    fn from_json_value(value: &Value, facet: Facet) -> Option<Self>;
    /// As a visited value.
    fn as_field(&self) -> FieldValue<'_>;
    /// The first character of the value no value may hold
    /// ([`crate::characters`]); only text can hold one.
    fn refused(&self) -> Option<char> {
        None
    }
}

impl Scalar for String {
    fn parse(text: &str, _facet: Facet) -> Option<Self> {
        Some(text.to_owned())
    }

    fn text(&self) -> String {
        self.clone()
    }

    fn broken(&self, facet: Facet) -> Option<Rule> {
        match facet {
            Facet::Text { min, max, collapse } => {
                let length = if collapse {
                    collapsed_length(self)
                } else {
                    self.chars().count()
                };
                let length = u32::try_from(length).unwrap_or(u32::MAX);
                (length < min || length > max).then_some(Rule::Length { min, max })
            }
            Facet::Base64 => (!is_base64(self)).then_some(Rule::NotBase64),
            Facet::DateTime => (!is_xsd_date_time(self)).then_some(Rule::Format {
                format: "a time as yyyy-MM-ddTHH:mm:ss",
            }),
            Facet::Date => (!is_xsd_date(self)).then_some(Rule::Format {
                format: "a date as yyyy-MM-dd",
            }),
            _ => None,
        }
    }

    fn unparsable(_facet: Facet) -> Rule {
        Rule::WrongType { expected: "text" }
    }

    fn json(&self) -> Value {
        Value::String(self.clone())
    }

    fn as_field(&self) -> FieldValue<'_> {
        FieldValue::Text(self)
    }

    fn from_json_value(value: &Value, _facet: Facet) -> Option<Self> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    fn refused(&self) -> Option<char> {
        first_refused(self)
    }
}

impl Scalar for Decimal {
    fn parse(text: &str, _facet: Facet) -> Option<Self> {
        parse_decimal(text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n')))
    }

    fn text(&self) -> String {
        self.to_string()
    }

    fn broken(&self, facet: Facet) -> Option<Rule> {
        let Facet::Decimal { total, fraction } = facet else {
            return None;
        };
        let (digits, scale) = significant_digits(self);
        (digits > total || scale > fraction).then_some(Rule::Digits { total, fraction })
    }

    fn unparsable(_facet: Facet) -> Rule {
        Rule::NotDecimal
    }

    fn json(&self) -> Value {
        Value::String(self.to_string())
    }

    fn as_field(&self) -> FieldValue<'_> {
        FieldValue::Decimal(self)
    }

    fn from_json_value(value: &Value, _facet: Facet) -> Option<Self> {
        match value {
            Value::String(text) => parse_decimal(text),
            Value::Number(number) => parse_decimal(&number.to_string()),
            _ => None,
        }
    }
}

impl Scalar for i64 {
    fn parse(text: &str, _facet: Facet) -> Option<Self> {
        let text = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
        let digits = text.strip_prefix('+').unwrap_or(text);
        if digits.is_empty()
            || !digits
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        digits.parse::<i32>().ok().map(i64::from)
    }

    fn text(&self) -> String {
        self.to_string()
    }

    fn broken(&self, facet: Facet) -> Option<Rule> {
        let Facet::Int { digits } = facet else {
            return None;
        };
        let count = u32::try_from(self.unsigned_abs().to_string().len()).unwrap_or(u32::MAX);
        (count > digits).then_some(Rule::NotInteger { digits })
    }

    fn unparsable(facet: Facet) -> Rule {
        let digits = match facet {
            Facet::Int { digits } => digits,
            _ => 10,
        };
        Rule::NotInteger { digits }
    }

    fn json(&self) -> Value {
        Value::from(*self)
    }

    fn as_field(&self) -> FieldValue<'_> {
        FieldValue::Int(*self)
    }

    fn from_json_value(value: &Value, facet: Facet) -> Option<Self> {
        match value {
            Value::Number(n) => n.as_i64().filter(|v| i32::try_from(*v).is_ok()),
            Value::String(s) => Self::parse(s, facet),
            _ => None,
        }
    }
}

/// Parses `text` as an XSD decimal (optional sign, digits, optional point;
/// no exponent), keeping its scale so that `168.00` writes back as written.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let valid = !body.is_empty()
        && body != "."
        && body.bytes().filter(|&b| b == b'.').count() <= 1
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !valid {
        return None;
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    Decimal::from_str(text).ok()
}

/// Significant digits of a decimal's value (XSD counts the value, so
/// `1.500` has 2 digits and 1 after the point).
fn significant_digits(value: &Decimal) -> (u32, u32) {
    let normal = value.normalize();
    let scale = normal.scale();
    let mantissa = normal.mantissa().unsigned_abs();
    let digits = if mantissa == 0 {
        1
    } else {
        u32::try_from(mantissa.to_string().len()).unwrap_or(u32::MAX)
    };
    (digits.max(scale), scale)
}

fn collapsed_length(text: &str) -> usize {
    text.split([' ', '\t', '\r', '\n'])
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().count() + 1)
        .sum::<usize>()
        .saturating_sub(1)
}

fn is_base64(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .is_ok()
}

/// Whether `text` is an XSD `date` (`YYYY-MM-DD`). Only ASCII text is
/// sliced, so a multibyte character never splits (fuzz regression
/// `dxp_decode/creat-time-multibyte-at-byte-19.xml`).
fn is_xsd_date(text: &str) -> bool {
    let b = text.as_bytes();
    text.is_ascii()
        && b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && crate::rules::dates::valid_date(&format!(
            "{}{}{}",
            &text[0..4],
            &text[5..7],
            &text[8..10]
        ))
}

/// Whether `text` is an XSD `dateTime`: `YYYY-MM-DDThh:mm:ss`, then
/// optional fractional seconds and an optional zone (`Z` or `±hh:mm`), as
/// XML Schema Part 2 §3.2.7 writes it. ASCII only, as [`is_xsd_date`].
fn is_xsd_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    text.is_ascii()
        && b.len() >= 19
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && is_xsd_date(&text[..10])
        && crate::rules::dates::valid_time(&text[11..19].replace(':', ""))
        && is_xsd_time_tail(&text[19..])
}

/// The part of an XSD `dateTime` after the seconds: `(.d+)?(Z|[+-]hh:mm)?`.
fn is_xsd_time_tail(tail: &str) -> bool {
    let zone = match tail.strip_prefix('.') {
        Some(rest) => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &rest[digits..]
        }
        None => tail,
    };
    match zone.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (zone[1..3] < *"14" || &zone[1..] == "14:00")
                && zone[4..6] < *"60"
        }
        _ => false,
    }
}

/// `text` read at `path` as a value keeps it: a character no value may
/// hold is named there ([`Rule::Character`], the value shown escaped) and
/// replaced by U+FFFD ([`crate::characters`]). `None` when nothing was
/// refused.
fn admit<'t>(text: &'t str, path: &Path<'_>, issues: &mut Vec<Issue>) -> Option<Cow<'t, str>> {
    let found = first_refused(text)?;
    issues.push(Issue::new(path, Rule::Character { found }, Some(text)));
    Some(sanitized(text))
}

/// A JSON value read at `path`, its text admitted as [`admit`] does; the
/// flag tells whether something was refused.
fn admit_json<'v>(
    value: &'v Value,
    path: &Path<'_>,
    issues: &mut Vec<Issue>,
) -> (Cow<'v, Value>, bool) {
    match value {
        Value::String(text) => match admit(text, path, issues) {
            Some(clean) => (Cow::Owned(Value::String(clean.into_owned())), true),
            None => (Cow::Borrowed(value), false),
        },
        _ => (Cow::Borrowed(value), false),
    }
}

/// Reads one value of a scalar type from element text.
fn read_scalar<V: Scalar>(
    reader: &mut XmlIn<'_>,
    element: &Element<'_>,
    facet: Facet,
    path: &Path<'_>,
    issues: &mut Vec<Issue>,
) -> Result<V, DecodeError> {
    let text = reader.text(element)?;
    let here = path.child(element.local);
    let (text, refused) = match admit(&text, &here, issues) {
        Some(clean) => (Cow::Owned(clean.into_owned()), true),
        None => (text, false),
    };
    Ok(V::parse(&text, facet).unwrap_or_else(|| {
        // A value already refused for a character is not named twice.
        if !refused {
            issues.push(Issue::new(&here, V::unparsable(facet), Some(&text)));
        }
        V::default()
    }))
}

fn check_scalar<V: Scalar>(
    value: &V,
    facet: Facet,
    path: &Path<'_>,
    name: &'static str,
    issues: &mut Vec<Issue>,
) {
    if let Some(found) = value.refused() {
        issues.push(Issue::new(
            &path.child(name),
            Rule::Character { found },
            Some(&value.text()),
        ));
    } else if let Some(rule) = value.broken(facet) {
        issues.push(Issue::new(&path.child(name), rule, Some(&value.text())));
    }
}

fn scalar_from_json<V: Scalar>(
    value: &Value,
    facet: Facet,
    path: &Path<'_>,
    name: &'static str,
    issues: &mut Vec<Issue>,
) -> V {
    let here = path.child(name);
    let (value, refused) = admit_json(value, &here, issues);
    V::from_json_value(&value, facet).unwrap_or_else(|| {
        if !refused {
            issues.push(Issue::new(
                &here,
                V::unparsable(facet),
                Some(&value.to_string()),
            ));
        }
        V::default()
    })
}

/// [`Slot`] for a scalar type and its optional form.
macro_rules! scalar_slots {
    ($($t:ty),*) => {$(
        impl Slot for $t {
            const REQUIRED: bool = true;

            fn read_xml(
                &mut self,
                reader: &mut XmlIn<'_>,
                element: &Element<'_>,
                facet: Facet,
                path: &Path<'_>,
                issues: &mut Vec<Issue>,
            ) -> Result<(), DecodeError> {
                *self = read_scalar(reader, element, facet, path, issues)?;
                Ok(())
            }

            fn write_xml(&self, out: &mut XmlOut, ns: Ns, name: &str) {
                out.leaf(ns, name, &self.text());
            }

            fn check(&self, facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
                check_scalar(self, facet, path, name, issues);
            }

            fn to_json(&self) -> Option<Value> {
                Some(self.json())
            }

            fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
                visitor.field(path, name, self.as_field());
            }

            fn from_json(
                value: Option<&Value>,
                facet: Facet,
                path: &Path<'_>,
                name: &'static str,
                issues: &mut Vec<Issue>,
            ) -> Self {
                match value {
                    Some(value) => scalar_from_json(value, facet, path, name, issues),
                    None => {
                        issues.push(Issue::new(&path.child(name), Rule::Missing, None));
                        <$t>::default()
                    }
                }
            }
        }

        impl Slot for Option<$t> {
            const REQUIRED: bool = false;

            fn read_xml(
                &mut self,
                reader: &mut XmlIn<'_>,
                element: &Element<'_>,
                facet: Facet,
                path: &Path<'_>,
                issues: &mut Vec<Issue>,
            ) -> Result<(), DecodeError> {
                *self = Some(read_scalar(reader, element, facet, path, issues)?);
                Ok(())
            }

            fn write_xml(&self, out: &mut XmlOut, ns: Ns, name: &str) {
                if let Some(value) = self {
                    out.leaf(ns, name, &value.text());
                }
            }

            fn check(&self, facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
                if let Some(value) = self {
                    check_scalar(value, facet, path, name, issues);
                }
            }

            fn to_json(&self) -> Option<Value> {
                self.as_ref().map(Scalar::json)
            }

            fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
                if let Some(value) = self {
                    visitor.field(path, name, value.as_field());
                }
            }

            fn from_json(
                value: Option<&Value>,
                facet: Facet,
                path: &Path<'_>,
                name: &'static str,
                issues: &mut Vec<Issue>,
            ) -> Self {
                match value {
                    None | Some(Value::Null) => None,
                    Some(value) => Some(scalar_from_json(value, facet, path, name, issues)),
                }
            }
        }
    )*};
}

scalar_slots!(String, Decimal, i64);

/// Repeated values (`ReceiverId` × 1..5 in the DXP envelope).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Values<V>(pub Vec<V>);

impl<V: Scalar> Slot for Values<V> {
    const REQUIRED: bool = false;
    const REPEATS: bool = true;

    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        facet: Facet,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError> {
        self.0
            .push(read_scalar(reader, element, facet, path, issues)?);
        Ok(())
    }

    fn write_xml(&self, out: &mut XmlOut, ns: Ns, name: &str) {
        for value in &self.0 {
            out.leaf(ns, name, &value.text());
        }
    }

    fn check(&self, facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
        for (i, value) in self.0.iter().enumerate() {
            let rule = match value.refused() {
                Some(found) => Some(Rule::Character { found }),
                None => value.broken(facet),
            };
            if let Some(rule) = rule {
                issues.push(Issue::new(
                    &path.nth(name, i + 1),
                    rule,
                    Some(&value.text()),
                ));
            }
        }
    }

    fn to_json(&self) -> Option<Value> {
        Some(Value::Array(self.0.iter().map(Scalar::json).collect()))
    }

    fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
        for value in &self.0 {
            visitor.field(path, name, value.as_field());
        }
    }

    fn from_json(
        value: Option<&Value>,
        facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self {
        let items = match value {
            None => return Values(Vec::new()),
            Some(Value::Array(items)) => items.iter().collect::<Vec<_>>(),
            Some(single) => vec![single],
        };
        Values(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let here = path.nth(name, i + 1);
                    let (item, refused) = admit_json(item, &here, issues);
                    V::from_json_value(&item, facet).unwrap_or_else(|| {
                        if !refused {
                            issues.push(Issue::new(
                                &here,
                                V::unparsable(facet),
                                Some(&item.to_string()),
                            ));
                        }
                        V::default()
                    })
                })
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------
// Child entities: exactly one, at most one, or many.

/// Many child entities.
impl<E: Entity> Slot for Vec<E> {
    const NS: Option<Ns> = Some(E::NS);
    const CHILD: Option<fn() -> EntityMeta> = Some(meta::<E>);
    const REQUIRED: bool = false;
    const REPEATS: bool = true;

    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        _facet: Facet,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError> {
        let here = path.nth(E::NAME, self.len() + 1);
        self.push(read_entity(reader, element, &here, issues)?);
        Ok(())
    }

    fn write_xml(&self, out: &mut XmlOut, ns: Ns, _name: &str) {
        for entity in self {
            write_entity(out, entity, E::NS != ns);
        }
    }

    fn check(&self, facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
        check_occurs(self.len(), facet, path, name, issues);
        for (i, entity) in self.iter().enumerate() {
            check_entity(entity, &path.nth(name, i + 1), issues);
        }
    }

    fn to_json(&self) -> Option<Value> {
        (!self.is_empty()).then(|| Value::Array(self.iter().map(entity_to_json).collect()))
    }

    fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
        for (i, entity) in self.iter().enumerate() {
            entity.visit_fields(&path.nth(name, i + 1), visitor);
        }
    }

    fn from_json(
        value: Option<&Value>,
        _facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| entity_from_json(item, &path.nth(name, i + 1), issues))
                .collect(),
            Some(single) => vec![entity_from_json(single, &path.nth(name, 1), issues)],
        }
    }
}

fn check_occurs(
    count: usize,
    facet: Facet,
    path: &Path<'_>,
    name: &'static str,
    issues: &mut Vec<Issue>,
) {
    if let Facet::Occurs { min, max } = facet {
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        if count < min {
            issues.push(Issue::new(&path.child(name), Rule::TooFew { min }, None));
        }
        if count > max {
            issues.push(Issue::new(&path.child(name), Rule::TooMany { max }, None));
        }
    }
}

/// Exactly one child entity.
impl<E: Entity> Slot for E {
    const NS: Option<Ns> = Some(E::NS);
    const CHILD: Option<fn() -> EntityMeta> = Some(meta::<E>);
    const REQUIRED: bool = true;

    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        _facet: Facet,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError> {
        *self = read_entity(reader, element, &path.child(E::NAME), issues)?;
        Ok(())
    }

    fn write_xml(&self, out: &mut XmlOut, ns: Ns, _name: &str) {
        write_entity(out, self, E::NS != ns);
    }

    fn check(&self, _facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
        check_entity(self, &path.child(name), issues);
    }

    fn to_json(&self) -> Option<Value> {
        Some(entity_to_json(self))
    }

    fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
        self.visit_fields(&path.child(name), visitor);
    }

    fn from_json(
        value: Option<&Value>,
        _facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self {
        match value {
            None => {
                issues.push(Issue::new(&path.child(name), Rule::Missing, None));
                E::default()
            }
            Some(value) => entity_from_json(value, &path.child(name), issues),
        }
    }
}

/// At most one child entity.
impl<E: Entity> Slot for Option<E> {
    const NS: Option<Ns> = Some(E::NS);
    const CHILD: Option<fn() -> EntityMeta> = Some(meta::<E>);
    const REQUIRED: bool = false;

    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        _facet: Facet,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError> {
        *self = Some(read_entity(reader, element, &path.child(E::NAME), issues)?);
        Ok(())
    }

    fn write_xml(&self, out: &mut XmlOut, ns: Ns, _name: &str) {
        if let Some(entity) = self {
            write_entity(out, entity, E::NS != ns);
        }
    }

    fn check(&self, _facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
        if let Some(entity) = self {
            check_entity(entity, &path.child(name), issues);
        }
    }

    fn to_json(&self) -> Option<Value> {
        self.as_ref().map(entity_to_json)
    }

    fn visit(&self, path: &Path<'_>, name: &'static str, visitor: &mut dyn Visitor) {
        if let Some(entity) = self {
            entity.visit_fields(&path.child(name), visitor);
        }
    }

    fn from_json(
        value: Option<&Value>,
        _facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self {
        match value {
            None | Some(Value::Null) => None,
            Some(value) => Some(entity_from_json(value, &path.child(name), issues)),
        }
    }
}

// ---------------------------------------------------------------------------
// Free-form XML.

/// The content of an `xs:any` element (`ExtendMessage/Message`), kept as
/// the XML text it was written with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnyXml(pub String);

impl Slot for AnyXml {
    const REQUIRED: bool = true;

    fn read_xml(
        &mut self,
        reader: &mut XmlIn<'_>,
        element: &Element<'_>,
        _facet: Facet,
        path: &Path<'_>,
        issues: &mut Vec<Issue>,
    ) -> Result<(), DecodeError> {
        let content_start = reader.position();
        let whole = reader.raw(element)?;
        let inner = if element.empty {
            ""
        } else {
            let from = content_start.saturating_sub(element.start);
            let to = whole.rfind("</").unwrap_or(whole.len());
            whole.get(from..to).unwrap_or("")
        };
        *self = AnyXml(admit_markup(
            inner.trim(),
            &path.child(element.local),
            issues,
        ));
        Ok(())
    }

    fn write_xml(&self, out: &mut XmlOut, ns: Ns, name: &str) {
        if self.0.is_empty() {
            out.empty(ns, name, &[], false);
        } else {
            out.open(ns, name, &[], false);
            out.raw(&self.0);
            out.close(ns, name);
        }
    }

    fn check(&self, _facet: Facet, path: &Path<'_>, name: &'static str, issues: &mut Vec<Issue>) {
        if let Some(found) = first_refused_in_markup(&self.0) {
            issues.push(Issue::new(
                &path.child(name),
                Rule::Character { found },
                Some(&self.0),
            ));
        }
    }

    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }

    fn visit(&self, _path: &Path<'_>, _name: &'static str, _visitor: &mut dyn Visitor) {}

    fn from_json(
        value: Option<&Value>,
        _facet: Facet,
        path: &Path<'_>,
        name: &'static str,
        issues: &mut Vec<Issue>,
    ) -> Self {
        match value {
            Some(Value::String(xml)) => {
                let here = path.child(name);
                if let Err(reason) = well_formed_fragment(xml) {
                    issues.push(Issue::new(
                        &here,
                        Rule::WrongType {
                            expected: "well-formed XML",
                        },
                        Some(&reason),
                    ));
                    return AnyXml::default();
                }
                AnyXml(admit_markup(xml, &here, issues))
            }
            None => {
                issues.push(Issue::new(&path.child(name), Rule::Missing, None));
                AnyXml::default()
            }
            Some(other) => {
                issues.push(Issue::new(
                    &path.child(name),
                    Rule::WrongType {
                        expected: "XML text",
                    },
                    Some(&other.to_string()),
                ));
                AnyXml::default()
            }
        }
    }
}

/// Free-form XML read at `path`, kept as [`admit`] keeps text: a refused
/// character, written as itself or as a character reference, is named and
/// replaced.
fn admit_markup(markup: &str, path: &Path<'_>, issues: &mut Vec<Issue>) -> String {
    if let Some(found) = first_refused_in_markup(markup) {
        issues.push(Issue::new(path, Rule::Character { found }, Some(markup)));
        return sanitized_markup(markup).into_owned();
    }
    markup.to_owned()
}

/// Whether JSON's free-form XML is a fragment the writer may put in a
/// message as it is (what the XML reader keeps always is): elements that
/// close in order, no document type declaration, references to characters
/// or the predefined entities only (refused characters are named apart,
/// as in XML). The reason when it is not.
fn well_formed_fragment(xml: &str) -> Result<(), String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Err(error) => return Err(error.to_string()),
            Ok(Event::Eof) if depth == 0 => return Ok(()),
            Ok(Event::Eof) => return Err("an element is not closed".to_owned()),
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => {
                depth = depth.checked_sub(1).ok_or("an end tag without its start")?
            }
            Ok(Event::DocType(_)) => {
                return Err("a document type declaration inside free-form content".to_owned());
            }
            Ok(Event::GeneralRef(reference)) => {
                let name = reference.xml10_content().into_owned();
                let known = matches!(name.as_str(), "lt" | "gt" | "amp" | "apos" | "quot")
                    || (reference.is_char_ref()
                        && matches!(reference.resolve_char_ref(), Ok(Some(_))));
                if !known {
                    return Err(format!("&{name}; is not a character or predefined entity"));
                }
            }
            Ok(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------
// Attributes.

/// A Rust value that holds one attribute.
pub trait AttributeSlot: Sized + Default {
    /// Whether the attribute must be present.
    const REQUIRED: bool;
    /// Sets the value read from the start tag.
    fn set(&mut self, value: Option<String>);
    /// The value to write, if present.
    fn get(&self) -> Option<&str>;
}

impl AttributeSlot for String {
    const REQUIRED: bool = true;

    fn set(&mut self, value: Option<String>) {
        *self = value.unwrap_or_default();
    }

    fn get(&self) -> Option<&str> {
        Some(self)
    }
}

impl AttributeSlot for Option<String> {
    const REQUIRED: bool = false;

    fn set(&mut self, value: Option<String>) {
        *self = value;
    }

    fn get(&self) -> Option<&str> {
        self.as_deref()
    }
}

/// Reads attribute `name` into `slot`, noting a required one that is absent.
pub fn read_attribute<A: AttributeSlot>(
    slot: &mut A,
    element: &Element<'_>,
    name: &'static str,
    path: &Path<'_>,
    issues: &mut Vec<Issue>,
) -> Result<(), DecodeError> {
    let mut value = element.attribute(name)?;
    if value.is_none() && A::REQUIRED {
        issues.push(Issue::new(&path.child(name), Rule::Missing, None));
    }
    if let Some(text) = &value
        && let Some(clean) = admit(text, &path.child(name), issues)
    {
        value = Some(clean.into_owned());
    }
    slot.set(value);
    Ok(())
}

/// Checks an attribute's value against its facet.
pub fn check_attribute<A: AttributeSlot>(
    slot: &A,
    facet: Facet,
    path: &Path<'_>,
    name: &'static str,
    issues: &mut Vec<Issue>,
) {
    let Some(value) = slot.get() else {
        return;
    };
    let rule = match first_refused(value) {
        Some(found) => Some(Rule::Character { found }),
        None => value.to_owned().broken(facet),
    };
    if let Some(rule) = rule {
        issues.push(Issue::new(&path.child(name), rule, Some(value)));
    }
}

/// An attribute from JSON.
pub fn attribute_from_json<A: AttributeSlot>(
    object: &Map<String, Value>,
    path: &Path<'_>,
    name: &'static str,
    issues: &mut Vec<Issue>,
) -> A {
    let mut slot = A::default();
    match object.get(name) {
        Some(Value::String(text)) => {
            let clean = admit(text, &path.child(name), issues);
            slot.set(Some(clean.map_or_else(|| text.clone(), Cow::into_owned)));
        }
        None | Some(Value::Null) => {
            if A::REQUIRED {
                issues.push(Issue::new(&path.child(name), Rule::Missing, None));
            }
        }
        Some(other) => issues.push(Issue::new(
            &path.child(name),
            Rule::Unknown,
            Some(&other.to_string()),
        )),
    }
    slot
}

/// Declares an entity: its struct (fields in XSD order) and its [`Entity`]
/// implementation.
macro_rules! entity {
    (
        $(#[$meta:meta])*
        $name:ident in $ns:ident as $xml:literal {
            attributes {
                $( $(#[$ameta:meta])* $afield:ident : $aty:ty = $axml:literal, $afacet:expr; )*
            }
            elements {
                $( $(#[$emeta:meta])* $efield:ident : $ety:ty = $exml:literal, $efacet:expr; )*
            }
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $( $(#[$ameta])* pub $afield: $aty, )*
            $( $(#[$emeta])* pub $efield: $ety, )*
        }

        const _: () = {
            use $crate::entity::{self as e, Entity, FieldSpec};
            use $crate::issue::{Issue, Path};
            use $crate::xml::{Element, Ns, XmlIn, XmlOut};

            #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
            enum Index { $( $efield, )* }

            impl Entity for $name {
                const NAME: &'static str = $xml;
                const NS: Ns = Ns::$ns;
                const FIELDS: &'static [FieldSpec] = &[
                    $( FieldSpec {
                        name: $exml,
                        ns: e::ns_or(<$ety as e::Slot>::NS, Ns::$ns),
                        facet: $efacet,
                        required: <$ety as e::Slot>::REQUIRED,
                        repeats: <$ety as e::Slot>::REPEATS,
                        child: <$ety as e::Slot>::CHILD,
                    }, )*
                ];
                const ATTRIBUTES: &'static [e::AttributeSpec] = &[
                    $( e::AttributeSpec {
                        name: $axml,
                        facet: $afacet,
                        required: <$aty as e::AttributeSlot>::REQUIRED,
                    }, )*
                ];

                fn field_index(local: &str) -> Option<usize> {
                    match local {
                        $( $exml => Some(Index::$efield as usize), )*
                        _ => None,
                    }
                }

                #[allow(unused_variables)]
                fn read_attributes(
                    &mut self,
                    element: &Element<'_>,
                    path: &Path<'_>,
                    issues: &mut Vec<Issue>,
                ) -> Result<(), $crate::error::DecodeError> {
                    $( e::read_attribute(&mut self.$afield, element, $axml, path, issues)?; )*
                    Ok(())
                }

                #[allow(unused_variables)]
                fn read_field(
                    &mut self,
                    index: usize,
                    reader: &mut XmlIn<'_>,
                    element: &Element<'_>,
                    path: &Path<'_>,
                    issues: &mut Vec<Issue>,
                ) -> Result<(), $crate::error::DecodeError> {
                    $(
                        if index == Index::$efield as usize {
                            return e::Slot::read_xml(&mut self.$efield, reader, element, $efacet, path, issues);
                        }
                    )*
                    Ok(())
                }

                fn attributes(&self) -> Vec<(&'static str, &str)> {
                    #[allow(unused_mut)]
                    let mut attributes = Vec::new();
                    $(
                        if let Some(value) = e::AttributeSlot::get(&self.$afield) {
                            attributes.push(($axml, value));
                        }
                    )*
                    attributes
                }

                #[allow(unused_variables)]
                fn write_fields(&self, out: &mut XmlOut) {
                    $( e::Slot::write_xml(&self.$efield, out, Ns::$ns, $exml); )*
                }

                #[allow(unused_variables)]
                fn check_fields(&self, path: &Path<'_>, issues: &mut Vec<Issue>) {
                    $( e::check_attribute(&self.$afield, $afacet, path, $axml, issues); )*
                    $( e::Slot::check(&self.$efield, $efacet, path, $exml, issues); )*
                }

                #[allow(unused_variables)]
                fn visit_fields(&self, path: &Path<'_>, visitor: &mut dyn e::Visitor) {
                    $(
                        if let Some(value) = e::AttributeSlot::get(&self.$afield) {
                            visitor.field(path, $axml, e::FieldValue::Text(value));
                        }
                    )*
                    $( e::Slot::visit(&self.$efield, path, $exml, visitor); )*
                }

                #[allow(unused_variables)]
                fn fields_to_json(&self, object: &mut serde_json::Map<String, serde_json::Value>) {
                    $(
                        if let Some(value) = e::AttributeSlot::get(&self.$afield) {
                            object.insert($axml.to_owned(), serde_json::Value::String(value.to_owned()));
                        }
                    )*
                    $(
                        if let Some(value) = e::Slot::to_json(&self.$efield) {
                            object.insert($exml.to_owned(), value);
                        }
                    )*
                }

                #[allow(unused_variables)]
                fn fields_from_json(
                    object: &serde_json::Map<String, serde_json::Value>,
                    path: &Path<'_>,
                    issues: &mut Vec<Issue>,
                ) -> Self {
                    $name {
                        $( $afield: e::attribute_from_json(object, path, $axml, issues), )*
                        $( $efield: e::Slot::from_json(object.get($exml), $efacet, path, $exml, issues), )*
                    }
                }

                fn json_keys() -> Vec<&'static str> {
                    vec![$( $axml, )* $( $exml, )*]
                }
            }
        };
    };
}

pub(crate) use entity;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xsd_dates_are_checked_without_splitting_characters() {
        assert!(is_xsd_date("2026-11-27"));
        assert!(!is_xsd_date("2026-02-30"));
        assert!(!is_xsd_date("20é6-11-2"));
        assert!(is_xsd_date_time("2026-11-27T10:35:01"));
        assert!(!is_xsd_date_time("2026-11-27T24:35:01"));
        assert!(!is_xsd_date_time("2026-11-27T10:35:0é"));
        assert!(!is_xsd_date_time("2026-11-27T10:35:0\u{feff}1"));
        assert!(is_xsd_date_time("2026-11-27T10:35:01.250+08:00"));
        assert!(is_xsd_date_time("2026-11-27T10:35:01Z"));
        assert!(!is_xsd_date_time("2026-11-27T10:35:01."));
        assert!(!is_xsd_date_time("2026-11-27T10:35:01+15:00"));
        assert!(!is_xsd_date_time("2026-11-27T10:35:01 garbage"));
    }
}
