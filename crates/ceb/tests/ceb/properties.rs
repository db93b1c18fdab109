//! Properties of generated messages: every message type, its example's
//! shape (taken from `to_json(&sample(t))` and walked alongside
//! `root_meta(t)`), every scalar replaced by a generated value that fits
//! its facet — text of a rich alphabet (Chinese, `& < > " '`, tabs, line
//! breaks, characters beyond the BMP), decimals that keep their scale,
//! integers — and repeated blocks sometimes repeated 1 to 3 times.
//!
//! Each property runs [`CASES`] cases per message type (`PROPTEST_CASES`
//! overrides), so that every type is covered on every run.

use kuajing_ceb::characters::is_refused;
use kuajing_ceb::entity::{EntityMeta, Facet};
use kuajing_ceb::model::root_meta;
use kuajing_ceb::{MessageType, decode, encode, from_json, sample, to_json, validate};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::{Map, Value};

/// Cases per message type and property (42 types: 336 cases a property).
const CASES: u32 = 8;

/// Longest text generated beyond a facet's minimum (the facets allow up to
/// thousands of characters; the length does not matter to the codec).
const TEXT_SLACK: u32 = 48;

// ---------------------------------------------------------------------------
// Values.

/// A character a value may hold: legal in XML 1.0 (`#x9 | #xA | #xD |
/// [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`) and neither a
/// control character nor a noncharacter (`kuajing_ceb::characters`), drawn
/// mostly from what customs messages hold and what XML escapes or
/// normalises.
fn xml_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::ranges(vec!['0'..='9', 'A'..='Z', 'a'..='z'].into()),
        1 => Just(' '),
        3 => prop::char::range('\u{4e00}', '\u{9fa5}'),
        3 => prop::sample::select(vec!['&', '<', '>', '"', '\'', '\t', '\n', '\r']),
        1 => prop::sample::select(vec![
            'é', 'ß', 'Ж', 'ё', '한', '（', '）', '：', '·', '—', '😀', '𠀀',
            '\u{a0}', '\u{200b}', '\u{2028}', '\u{301}', '\u{3000}',
            '\u{e000}', '\u{feff}', '\u{fffd}', '\u{10fffd}',
        ]),
        1 => prop::char::ranges(
            vec![' '..='\u{d7ff}', '\u{e000}'..='\u{fffd}', '\u{10000}'..='\u{10ffff}'].into()
        )
        .prop_filter("a character a value may hold", |&c| !is_refused(c)),
    ]
}

/// Text of `min` to `max` characters.
fn text(min: u32, max: u32) -> impl Strategy<Value = String> {
    vec(xml_char(), min as usize..=max as usize).prop_map(|chars| chars.into_iter().collect())
}

/// An XSD decimal with at most `total` digits, at most `fraction` of them
/// after the point: sometimes signed, sometimes with leading zeros or
/// trailing zeros after the point (the scale is part of the value).
fn decimal(total: u32, fraction: u32) -> BoxedStrategy<String> {
    let total = total.clamp(1, 28) as usize;
    let fraction = (fraction as usize).min(total);
    (0..=fraction)
        .prop_flat_map(move |after| {
            let before = (total - after).max(1);
            (
                prop::sample::select(vec!["", "", "", "-", "-", "+"]),
                vec(0u8..10, 1..=before),
                vec(0u8..10, after),
                any::<bool>(),
            )
        })
        .prop_map(move |(sign, mut integer, mut fractional, trailing_zero)| {
            if fractional.len() == total {
                // Every digit after the point: the integer part is a zero
                // that does not count.
                integer = vec![0];
            }
            if trailing_zero && let Some(last) = fractional.last_mut() {
                *last = 0;
            }
            let digits = |d: &[u8]| d.iter().map(|d| char::from(b'0' + d)).collect::<String>();
            let mut text = format!("{sign}{}", digits(&integer));
            if !fractional.is_empty() {
                text.push('.');
                text.push_str(&digits(&fractional));
            }
            text
        })
        .boxed()
}

/// An `xs:int` from 1 with at most `digits` digits.
fn int(digits: u32) -> impl Strategy<Value = i64> {
    let largest = 10i64
        .saturating_pow(digits.clamp(1, 10))
        .saturating_sub(1)
        .min(i64::from(i32::MAX));
    1..=largest
}

/// A value for a scalar with `facet`, or the example's own `value` where
/// the facet has a format of its own (Base64, dates, free-form XML).
fn scalar(facet: Facet, value: &Value) -> BoxedStrategy<Value> {
    match facet {
        Facet::Text { min, max, .. } => text(min, max.min(min.saturating_add(TEXT_SLACK)))
            .prop_map(Value::String)
            .boxed(),
        Facet::AnyText => text(0, TEXT_SLACK).prop_map(Value::String).boxed(),
        Facet::Decimal { total, fraction } => {
            decimal(total, fraction).prop_map(Value::String).boxed()
        }
        Facet::Int { digits } => int(digits).prop_map(Value::from).boxed(),
        Facet::Base64 | Facet::DateTime | Facet::Date | Facet::Any | Facet::Occurs { .. } => {
            Just(value.clone()).boxed()
        }
    }
}

// ---------------------------------------------------------------------------
// Messages.

/// The JSON of an entity shaped like `example`, every scalar generated.
fn entity(meta: EntityMeta, example: &Value) -> BoxedStrategy<Value> {
    let Value::Object(object) = example else {
        return Just(example.clone()).boxed();
    };
    let members: Vec<BoxedStrategy<(String, Value)>> = object
        .iter()
        .map(|(key, value)| {
            let key = key.clone();
            member(meta, &key, value)
                .prop_map(move |value| (key.clone(), value))
                .boxed()
        })
        .collect();
    members
        .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>()))
        .boxed()
}

/// One attribute or child element of an entity.
fn member(meta: EntityMeta, key: &str, value: &Value) -> BoxedStrategy<Value> {
    if let Some(attribute) = meta.attributes.iter().find(|a| a.name == key) {
        return scalar(attribute.facet, value);
    }
    let Some(field) = meta.fields.iter().find(|f| f.name == key) else {
        return Just(value.clone()).boxed();
    };
    match (field.child, value) {
        (Some(child), Value::Array(items)) => {
            // Each block of the example 1 to 3 times, within maxOccurs.
            let most = match field.facet {
                Facet::Occurs { max, .. } => max.clamp(1, 3) as usize,
                _ => 3,
            };
            let child = child();
            items
                .iter()
                .map(|item| vec(entity(child, item), 1..=most))
                .collect::<Vec<_>>()
                .prop_map(|groups| Value::Array(groups.into_iter().flatten().collect()))
                .boxed()
        }
        (Some(child), _) => entity(child(), value),
        (None, Value::Array(items)) => items
            .iter()
            .map(|item| scalar(field.facet, item))
            .collect::<Vec<_>>()
            .prop_map(Value::Array)
            .boxed(),
        (None, _) => scalar(field.facet, value),
    }
}

/// The JSON of a message of `message_type` (`{"CEB311Message": {…}}`).
fn message(message_type: MessageType) -> BoxedStrategy<Value> {
    let root = message_type.root_name();
    let example = to_json(&sample(message_type));
    entity(root_meta(message_type), &example[root])
        .prop_map(move |body| {
            let mut object = Map::new();
            object.insert(root.to_owned(), body);
            Value::Object(object)
        })
        .boxed()
}

/// Runs `property` on generated messages of every type; a failure names
/// the type and the smallest failing message proptest found.
fn for_every_type(property: fn(MessageType, &Value) -> Result<(), TestCaseError>) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES);
    for &message_type in MessageType::ALL {
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        if let Err(error) = runner.run(&message(message_type), |json| property(message_type, &json))
        {
            panic!("{}: {error}", message_type.code());
        }
    }
}

// ---------------------------------------------------------------------------
// Properties.

#[test]
fn a_generated_message_is_decoded_as_it_was_encoded() {
    for_every_type(|_, json| {
        let read = from_json(json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&read.issues, &vec![], "from_json");
        let xml = encode(&read.message);
        let decoded = decode(xml.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("does not decode: {e}\n{xml}")))?;
        prop_assert_eq!(&decoded.issues, &vec![], "{}", xml);
        prop_assert_eq!(&decoded.message, &read.message, "{}", xml);
        // Equal decimals may differ in scale (1.0 == 1.00): the JSON, which
        // writes the scale, and the bytes must not.
        prop_assert_eq!(to_json(&decoded.message), to_json(&read.message));
        prop_assert_eq!(encode(&decoded.message), xml);
        Ok(())
    });
}

#[test]
fn validation_of_a_generated_message_places_every_issue_under_the_root() {
    for_every_type(|message_type, json| {
        let read = from_json(json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let root = format!("/{}", message_type.root_name());
        for issue in validate(&read.message) {
            let path = issue.path.as_str();
            prop_assert!(
                path == root || path.starts_with(&format!("{root}/")),
                "{issue:?}"
            );
        }
        Ok(())
    });
}
