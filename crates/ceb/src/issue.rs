//! What is wrong with a message that could be read: each issue names the
//! place (`/CEB311Message/Order[1]/OrderList[2]/qty`), the rule and the
//! value, in Chinese and English, and the official error code where the
//! specification has one.

use std::fmt;

use crate::characters::{code_point, escaped};

/// A place in a message, built on the stack while walking it and turned
/// into text only when an issue is found there.
#[derive(Debug, Clone, Copy)]
pub struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    name: &'p str,
    /// 1-based position among repeated siblings; 0 when the element does
    /// not repeat.
    index: usize,
}

impl<'p> Path<'p> {
    /// The root element.
    pub fn root(name: &'p str) -> Self {
        Path {
            parent: None,
            name,
            index: 0,
        }
    }

    /// A child element or attribute (`@name`) that does not repeat.
    pub fn child(&'p self, name: &'p str) -> Path<'p> {
        Path {
            parent: Some(self),
            name,
            index: 0,
        }
    }

    /// The `index`-th (from 1) of repeated child elements.
    pub fn nth(&'p self, name: &'p str, index: usize) -> Path<'p> {
        Path {
            parent: Some(self),
            name,
            index,
        }
    }

    /// The path as text.
    pub fn render(&self) -> String {
        let mut parts = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            parts.push(path);
            at = path.parent;
        }
        let mut text = String::new();
        for part in parts.iter().rev() {
            text.push('/');
            text.push_str(part.name);
            if part.index > 0 {
                text.push_str(&format!("[{}]", part.index));
            }
        }
        text
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// The rule an issue breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A required element or attribute is absent (XSD `minOccurs`/`use`).
    Missing,
    /// An element the schema does not allow here.
    Unknown,
    /// An element before one that the schema puts ahead of it (XSD sequence).
    OutOfOrder {
        /// The element it should come before.
        before: &'static str,
    },
    /// A second occurrence of an element that may occur once.
    Duplicate,
    /// Fewer occurrences than the schema requires.
    TooFew {
        /// The minimum.
        min: u32,
    },
    /// More occurrences than the schema allows.
    TooMany {
        /// The maximum.
        max: u32,
    },
    /// A string whose length in characters is outside the schema's bounds.
    Length {
        /// Minimum length.
        min: u32,
        /// Maximum length.
        max: u32,
    },
    /// Not a decimal number.
    NotDecimal,
    /// A decimal with too many digits (XSD `totalDigits`/`fractionDigits`).
    Digits {
        /// Most digits in all.
        total: u32,
        /// Most digits after the point.
        fraction: u32,
    },
    /// Not an integer within the schema's range.
    NotInteger {
        /// Most digits allowed.
        digits: u32,
    },
    /// Not valid Base64.
    NotBase64,
    /// A character no value may hold: a control character other than tab,
    /// line feed and carriage return, or a noncharacter
    /// ([`crate::characters`]; XML 1.0 §2.2).
    Character {
        /// The first such character.
        found: char,
    },
    /// A JSON value of the wrong kind (an object where text belongs …).
    WrongType {
        /// What belongs there.
        expected: &'static str,
    },
    /// A value outside its code list.
    Code {
        /// The list's name.
        list: &'static str,
        /// The values it allows.
        allowed: &'static [&'static str],
    },
    /// A date or time not in the specification's format, or no such date.
    Format {
        /// The format (`yyyyMMddHHmmss` …).
        format: &'static str,
    },
    /// A sum or product that does not add up.
    Arithmetic {
        /// The formula.
        formula: &'static str,
        /// What the formula gives.
        expected: String,
    },
    /// Two fields that must agree do not.
    Mismatch {
        /// The other field.
        other: String,
        /// Its value.
        other_value: String,
    },
    /// A field the business rules require in this case.
    Required {
        /// When it is required.
        when: &'static str,
    },
    /// A field the business rules forbid in this case.
    Forbidden {
        /// When it is forbidden.
        when: &'static str,
    },
    /// A date further from the day the receiver got the message than it
    /// allows (a list's `declTime`, China time): a declaration counts on
    /// the day it is received, which the declarer does not choose.
    ReceiptDay {
        /// The day the message was received, `yyyyMMdd` (China time).
        received: String,
        /// How many days before that day the value may be.
        days_before: u32,
        /// How many days after that day the value may be.
        days_after: u32,
    },
    /// Line numbers that are not 1, 2, 3 … in order.
    Sequence,
    /// A declaration that must be signed carries no signature.
    SignatureRequired,
    /// A root element written other than the specification names it.
    RootName {
        /// The name it should have.
        expected: &'static str,
    },
    /// Elements without the message's namespace.
    Namespace {
        /// The namespace they should be in.
        expected: &'static str,
    },
}

/// One thing wrong with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Where: `/CEB311Message/Order[1]/OrderHead/orderNo`.
    pub path: String,
    /// The rule broken.
    pub rule: Rule,
    /// The value found, if any.
    pub value: Option<String>,
    /// The official error code (ceb-messages.md §3.4) where one applies.
    pub code: Option<i32>,
}

impl Issue {
    /// An issue at `path`. A character no value may hold is kept out of
    /// the value shown: it is written `\u0001` ([`crate::characters::escaped`]),
    /// so that no answer naming the value carries it.
    pub fn new(path: &Path<'_>, rule: Rule, value: Option<&str>) -> Self {
        Issue {
            path: path.render(),
            rule,
            value: value.map(|v| escaped(v).into_owned()),
            code: None,
        }
    }

    /// An issue at an element found under `parent` whose name is not known
    /// in advance (an unknown element; its name shown as [`Issue::new`]
    /// shows a value).
    pub fn at_unknown(parent: &Path<'_>, name: &str, rule: Rule) -> Self {
        Issue {
            path: format!("{}/{}", parent.render(), escaped(name)),
            rule,
            value: None,
            code: None,
        }
    }

    /// The same issue carrying an official error code.
    #[must_use]
    pub fn with_code(mut self, code: i32) -> Self {
        self.code = Some(code);
        self
    }

    /// Whether the issue is a schema (XSD) matter rather than a business
    /// rule: schema issues are answered with a CEB900 format receipt.
    pub fn is_schema(&self) -> bool {
        matches!(
            self.rule,
            Rule::Missing
                | Rule::Unknown
                | Rule::OutOfOrder { .. }
                | Rule::Duplicate
                | Rule::TooFew { .. }
                | Rule::TooMany { .. }
                | Rule::Length { .. }
                | Rule::NotDecimal
                | Rule::Digits { .. }
                | Rule::NotInteger { .. }
                | Rule::NotBase64
                | Rule::Character { .. }
                | Rule::WrongType { .. }
                | Rule::SignatureRequired
                | Rule::RootName { .. }
                | Rule::Namespace { .. }
        )
    }

    /// A stable machine name of the rule.
    pub fn rule_code(&self) -> &'static str {
        match self.rule {
            Rule::Missing => "missing",
            Rule::Unknown => "unknown_element",
            Rule::OutOfOrder { .. } => "order",
            Rule::Duplicate => "duplicate",
            Rule::TooFew { .. } => "min_occurs",
            Rule::TooMany { .. } => "max_occurs",
            Rule::Length { .. } => "length",
            Rule::NotDecimal => "decimal",
            Rule::Digits { .. } => "digits",
            Rule::NotInteger { .. } => "integer",
            Rule::NotBase64 => "base64",
            Rule::Character { .. } => "character",
            Rule::WrongType { .. } => "type",
            Rule::Code { .. } => "code_list",
            Rule::Format { .. } => "format",
            Rule::Arithmetic { .. } => "arithmetic",
            Rule::Mismatch { .. } => "mismatch",
            Rule::Required { .. } => "required",
            Rule::Forbidden { .. } => "forbidden",
            Rule::ReceiptDay { .. } => "receipt_day",
            Rule::Sequence => "sequence",
            Rule::SignatureRequired => "signature_required",
            Rule::RootName { .. } => "root_name",
            Rule::Namespace { .. } => "namespace",
        }
    }

    /// The issue in Chinese: `path：what, value`.
    pub fn message_zh(&self) -> String {
        format!("{}：{}", self.path, self.detail_zh())
    }

    /// The issue in English: `path: what; value`.
    pub fn message_en(&self) -> String {
        format!("{}: {}", self.path, self.detail_en())
    }

    /// What is wrong, in Chinese, without the path.
    pub fn detail_zh(&self) -> String {
        let value = self.value_suffix_zh();
        let what = match &self.rule {
            Rule::Missing => "缺少必填项".to_owned(),
            Rule::Unknown => "报文规范中没有此元素".to_owned(),
            Rule::OutOfOrder { before } => format!("元素顺序错误，应在{before}之前"),
            Rule::Duplicate => "元素重复出现".to_owned(),
            Rule::TooFew { min } => format!("至少应出现{min}次"),
            Rule::TooMany { max } => format!("最多出现{max}次"),
            Rule::Length { min, max } if min == max => format!("长度应为{min}个字符"),
            Rule::Length { min, max } => format!("长度应为{min}至{max}个字符"),
            Rule::NotDecimal => "不是数值".to_owned(),
            Rule::Digits { total, fraction } => {
                format!("数值最多{total}位，其中小数最多{fraction}位")
            }
            Rule::NotInteger { digits } => format!("应为不超过{digits}位的整数"),
            Rule::NotBase64 => "不是有效的Base64编码".to_owned(),
            Rule::Character { found } => format!(
                "含有不允许的字符{}（控制字符或非字符，值中不得出现）",
                code_point(*found)
            ),
            Rule::WrongType { expected } => format!("类型错误，应为{expected}"),
            Rule::Code { list, allowed } => format!("不在{list}代码表中（{}）", allowed.join("、")),
            Rule::Format { format } => format!("格式应为：{format}"),
            Rule::Arithmetic { formula, expected } => format!("不满足{formula}，应为{expected}"),
            Rule::Mismatch { other, other_value } => {
                format!("应与{other}（{other_value}）一致")
            }
            Rule::Required { when } => format!("{when}时必填"),
            Rule::Forbidden { when } => format!("{when}时不应填写"),
            Rule::ReceiptDay {
                received,
                days_before,
                days_after,
            } => format!(
                "与平台接收日期（中国时间{received}）相差超出容差（至多早{days_before}日、晚{days_after}日）：申报以平台接收之日为准"
            ),
            Rule::Sequence => "序号应从1开始连续编号".to_owned(),
            Rule::SignatureRequired => "申报报文必须加签（ds:Signature）".to_owned(),
            Rule::RootName { expected } => format!("根元素应为{expected}"),
            Rule::Namespace { expected } => format!("元素应在命名空间{expected}中"),
        };
        format!("{what}{value}")
    }

    /// What is wrong, in English, without the path.
    pub fn detail_en(&self) -> String {
        let value = self.value_suffix_en();
        let what = match &self.rule {
            Rule::Missing => "required element missing".to_owned(),
            Rule::Unknown => "element not allowed here by the specification".to_owned(),
            Rule::OutOfOrder { before } => format!("out of order: belongs before {before}"),
            Rule::Duplicate => "element repeated".to_owned(),
            Rule::TooFew { min } => format!("must occur at least {min} times"),
            Rule::TooMany { max } => format!("may occur at most {max} times"),
            Rule::Length { min, max } if min == max => format!("must be {min} characters long"),
            Rule::Length { min, max } => format!("must be {min} to {max} characters long"),
            Rule::NotDecimal => "not a decimal number".to_owned(),
            Rule::Digits { total, fraction } => {
                format!("at most {total} digits, {fraction} after the point")
            }
            Rule::NotInteger { digits } => format!("must be an integer of at most {digits} digits"),
            Rule::NotBase64 => "not valid Base64".to_owned(),
            Rule::Character { found } => format!(
                "contains {}, a control character or noncharacter no value may hold",
                code_point(*found)
            ),
            Rule::WrongType { expected } => format!("wrong type: expected {expected}"),
            Rule::Code { list, allowed } => {
                format!("not in the {list} code list ({})", allowed.join(", "))
            }
            Rule::Format { format } => format!("must be {format}"),
            Rule::Arithmetic { formula, expected } => {
                format!("breaks {formula}: expected {expected}")
            }
            Rule::Mismatch { other, other_value } => {
                format!("must agree with {other} ({other_value})")
            }
            Rule::Required { when } => format!("required when {when}"),
            Rule::Forbidden { when } => format!("must be empty when {when}"),
            Rule::ReceiptDay {
                received,
                days_before,
                days_after,
            } => format!(
                "further from the day the platform received it ({received}, China time) than the tolerance allows (at most {} before and {} after): a declaration counts on the day the platform receives it",
                days(*days_before),
                days(*days_after)
            ),
            Rule::Sequence => "line numbers must run 1, 2, 3 … in order".to_owned(),
            Rule::SignatureRequired => {
                "a declaration must carry its signature (ds:Signature)".to_owned()
            }
            Rule::RootName { expected } => format!("the root element must be {expected}"),
            Rule::Namespace { expected } => format!("elements must be in the namespace {expected}"),
        };
        format!("{what}{value}")
    }

    fn value_suffix_zh(&self) -> String {
        match &self.value {
            Some(v) => format!("，实际为“{}”", shorten(v)),
            None => String::new(),
        }
    }

    fn value_suffix_en(&self) -> String {
        match &self.value {
            Some(v) => format!("; found \"{}\"", shorten(v)),
            None => String::new(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "[{code}] {}", self.message_en()),
            None => f.write_str(&self.message_en()),
        }
    }
}

/// `n` days, in English.
fn days(n: u32) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// Long values (a whole embedded message) are cut in messages.
fn shorten(value: &str) -> String {
    const MAX: usize = 80;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        let head: String = value.chars().take(MAX).collect();
        format!("{head}…")
    }
}
