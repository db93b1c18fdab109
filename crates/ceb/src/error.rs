//! Why a document could not be read at all. Everything short of this (a
//! missing field, a bad length, a wrong code) is an [`Issue`](crate::Issue)
//! on a message that was read.

use thiserror::Error;

/// A document that is not a readable CEB message: malformed or hostile XML,
/// an unknown root, a limit exceeded. Reading stops at the first one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not well-formed XML.
    #[error("malformed XML at byte {offset}: {reason}")]
    Malformed {
        /// Byte offset where the parser stopped.
        offset: usize,
        /// The parser's reason.
        reason: String,
    },
    /// Bytes that are not UTF-8 (the only encoding the specification uses).
    #[error("not UTF-8 (first bad byte at {offset})")]
    NotUtf8 {
        /// Offset of the first byte that is not UTF-8.
        offset: usize,
    },
    /// An XML declaration naming another encoding.
    #[error("encoding {encoding} at byte {offset}: only UTF-8 is accepted")]
    Encoding {
        /// Byte offset of the declaration.
        offset: usize,
        /// The declared encoding.
        encoding: String,
    },
    /// A document type declaration: refused, so that no entity can be
    /// defined, expanded or fetched.
    #[error("DOCTYPE at byte {offset}: document type declarations are refused")]
    DocType {
        /// Byte offset of the declaration.
        offset: usize,
    },
    /// A reference to an entity that is not one of the five predefined ones.
    #[error("undeclared entity &{name}; at byte {offset}")]
    UndeclaredEntity {
        /// Byte offset of the reference.
        offset: usize,
        /// The entity's name.
        name: String,
    },
    /// A character reference to no legal character.
    #[error("bad character reference &{name}; at byte {offset}")]
    BadReference {
        /// Byte offset of the reference.
        offset: usize,
        /// The reference as written.
        name: String,
    },
    /// A character XML 1.0 cannot carry (§2.2) in markup around the values
    /// (a comment, a processing instruction, the declaration). In a value
    /// it is an [`Issue`](crate::Issue) naming the value's path instead.
    #[error("character {} at byte {offset} is not allowed in XML", crate::characters::code_point(*character))]
    IllegalCharacter {
        /// Byte offset of the markup holding it.
        offset: usize,
        /// The character.
        character: char,
    },
    /// The document is larger than allowed.
    #[error("document of {size} bytes exceeds the limit of {limit}")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The document's size.
        size: usize,
    },
    /// Elements nested deeper than allowed.
    #[error("elements nested deeper than {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// More elements than allowed.
    #[error("more than {limit} elements")]
    TooManyElements {
        /// The limit.
        limit: usize,
    },
    /// No root element.
    #[error("no root element")]
    NoRoot,
    /// Text or a second element outside the root.
    #[error("content outside the root element at byte {offset}")]
    ContentOutsideRoot {
        /// Byte offset of the content.
        offset: usize,
    },
    /// The document ends inside an element.
    #[error("document ends inside an element")]
    UnexpectedEnd,
    /// Text where only child elements belong.
    #[error("text between elements at byte {offset}")]
    MixedContent {
        /// Byte offset of the text.
        offset: usize,
    },
    /// An element inside one that holds a value.
    #[error("element inside the value of <{element}> at byte {offset}")]
    ElementInText {
        /// Byte offset of the inner element.
        offset: usize,
        /// The element whose value was being read.
        element: String,
    },
    /// A root element that names no message of the catalogue.
    #[error("<{name}> is not a message of the CEB catalogue")]
    UnknownRoot {
        /// The root's local name.
        name: String,
    },
    /// A root element in another namespace than the message's.
    #[error("<{name}> is not in the namespace {expected}")]
    WrongNamespace {
        /// The root's local name.
        name: String,
        /// The namespace it must be in.
        expected: &'static str,
    },
}

impl DecodeError {
    pub(crate) fn malformed(offset: usize, error: impl std::fmt::Display) -> Self {
        DecodeError::Malformed {
            offset,
            reason: error.to_string(),
        }
    }

    /// A stable machine code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeError::Malformed { .. } | DecodeError::IllegalCharacter { .. } => {
                "CEB_XML_MALFORMED"
            }
            DecodeError::NotUtf8 { .. } | DecodeError::Encoding { .. } => "CEB_XML_ENCODING",
            DecodeError::DocType { .. } => "CEB_XML_DOCTYPE",
            DecodeError::UndeclaredEntity { .. } | DecodeError::BadReference { .. } => {
                "CEB_XML_ENTITY"
            }
            DecodeError::TooLarge { .. }
            | DecodeError::TooDeep { .. }
            | DecodeError::TooManyElements { .. } => "CEB_XML_LIMIT",
            DecodeError::NoRoot
            | DecodeError::ContentOutsideRoot { .. }
            | DecodeError::UnexpectedEnd
            | DecodeError::MixedContent { .. }
            | DecodeError::ElementInText { .. } => "CEB_XML_STRUCTURE",
            DecodeError::UnknownRoot { .. } | DecodeError::WrongNamespace { .. } => {
                "CEB_MESSAGE_UNKNOWN"
            }
        }
    }

    /// The error in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            DecodeError::Malformed { offset, reason } => {
                format!("XML格式错误（第{offset}字节）：{reason}")
            }
            DecodeError::NotUtf8 { offset } => format!("报文不是UTF-8编码（第{offset}字节）"),
            DecodeError::Encoding { encoding, .. } => {
                format!("报文声明编码为{encoding}，只接受UTF-8")
            }
            DecodeError::DocType { .. } => "报文含DOCTYPE文档类型声明，拒绝处理".to_owned(),
            DecodeError::UndeclaredEntity { name, .. } => format!("报文引用了未声明的实体&{name};"),
            DecodeError::BadReference { name, .. } => format!("字符引用&{name};无效"),
            DecodeError::IllegalCharacter { offset, character } => format!(
                "第{offset}字节处的字符{}不是XML允许的字符",
                crate::characters::code_point(*character)
            ),
            DecodeError::TooLarge { limit, size } => {
                format!("报文大小{size}字节，超过上限{limit}字节")
            }
            DecodeError::TooDeep { limit } => format!("元素嵌套超过{limit}层"),
            DecodeError::TooManyElements { limit } => format!("元素数量超过{limit}个"),
            DecodeError::NoRoot => "报文没有根元素".to_owned(),
            DecodeError::ContentOutsideRoot { .. } => "根元素之外有内容".to_owned(),
            DecodeError::UnexpectedEnd => "报文在元素内部结束".to_owned(),
            DecodeError::MixedContent { .. } => "元素之间出现文本".to_owned(),
            DecodeError::ElementInText { element, .. } => {
                format!("<{element}>的值中出现了子元素")
            }
            DecodeError::UnknownRoot { name } => format!("<{name}>不是统一版报文"),
            DecodeError::WrongNamespace { name, expected } => {
                format!("<{name}>不在命名空间{expected}中")
            }
        }
    }

    /// The error in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}
