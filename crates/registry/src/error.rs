//! The platform's error type: why a use case failed, with a stable code and
//! a message in Chinese and English ([`Localized`]). It carries no HTTP
//! type; the web crate maps it once to a status and the JSON or HTML answer
//! (`kuajing_server::error`).

use kuajing_core::access::Denied;
use kuajing_core::error::Localized;
use kuajing_core::ids::IdError;
use kuajing_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No valid session or token. Says nothing about why (no detail leaked).
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong login or password, or a temporarily locked account: one message
    /// for all, so that nobody can probe which logins exist.
    #[error("sign-in failed")]
    SignInFailed,
    /// The identity is valid but the access rules refuse the action.
    #[error("forbidden: {0}")]
    Forbidden(Denied),
    /// The acting organisation or user is suspended or disabled.
    #[error("organisation {0} is suspended")]
    Suspended(String),
    /// A form or state-changing call without the right CSRF token.
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// An operators' endpoint (`/metrics`) asked by someone who is neither
    /// on the server's own host nor holding the metrics token.
    #[error(
        "the metrics are for operators: read them on the server's own host or with the metrics token"
    )]
    OperatorsOnly,
    /// No such record (or its existence is private to its owner).
    #[error("{what} '{key}' not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// Its key.
        key: String,
    },
    /// The path exists but not with this method.
    #[error("method {method} is not allowed on {path}")]
    MethodNotAllowed {
        /// The method used.
        method: String,
        /// The path.
        path: String,
    },
    /// A value broke a rule: which field, which rule, which value.
    #[error("{field}: {message_en}")]
    Invalid {
        /// Dotted path of the field, e.g. `roles[1]`.
        field: String,
        /// Stable machine code of the rule.
        code: &'static str,
        /// Message in Chinese.
        message_zh: String,
        /// Message in English.
        message_en: String,
    },
    /// Several values broke their rules: each of them, in the form's order
    /// (a form reports every error at once). Never fewer than two; see
    /// [`Error::all`].
    #[error("{} fields are invalid", .0.len())]
    InvalidFields(Vec<Error>),
    /// The body, query string or path is not well-formed (bad JSON, wrong
    /// type, unknown field, invalid percent-encoding).
    #[error("malformed request: {detail}")]
    MalformedBody {
        /// Where in the body, when known.
        field: Option<String>,
        /// What the parser said.
        detail: String,
    },
    /// The body is not of a media type the endpoint accepts.
    #[error("unsupported content type; expected {expected}")]
    UnsupportedMediaType {
        /// What the endpoint takes.
        expected: &'static str,
    },
    /// The body exceeds the configured limit.
    #[error("the request body is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A key is already taken.
    #[error("{field} '{value}' is already registered")]
    Conflict {
        /// The field.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// Too many attempts from one address.
    #[error("too many requests; retry in {retry_after_secs} s")]
    TooManyRequests {
        /// Seconds until the next attempt is allowed.
        retry_after_secs: u64,
    },
    /// More work is queued than the server takes on (503, Retry-After):
    /// the bound that keeps overload from growing a queue without end.
    #[error("overloaded; retry in {retry_after_secs} s")]
    Overloaded {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(StoreError),
    /// A bug or an unexpected condition; details are logged.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// An invalid identifier in `field`.
    pub fn invalid_id(field: &str, error: &IdError) -> Self {
        Self::invalid(field, error.code(), error.message_zh(), error.message_en())
    }

    /// An invalid value in `field`, with messages in both languages.
    pub fn invalid(
        field: &str,
        code: &'static str,
        message_zh: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        Error::Invalid {
            field: field.to_owned(),
            code,
            message_zh: message_zh.into(),
            message_en: message_en.into(),
        }
    }

    /// One error for every refusal found: none, the one, or all of them
    /// ([`Error::InvalidFields`]).
    pub fn all(mut errors: Vec<Error>) -> Option<Error> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(Error::InvalidFields(errors)),
        }
    }

    /// Each refusal this error holds: itself, or every field's of
    /// [`Error::InvalidFields`].
    pub fn parts(&self) -> &[Error] {
        match self {
            Error::InvalidFields(all) => all,
            one => std::slice::from_ref(one),
        }
    }

    /// Whether the person filling in a form can put it right (a broken rule
    /// or a taken key), so the form is shown again with the message rather
    /// than an error page.
    pub fn is_correctable(&self) -> bool {
        matches!(
            self,
            Error::Invalid { .. } | Error::InvalidFields(_) | Error::Conflict { .. }
        )
    }

    /// The field the error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::InvalidFields(all) => all.first().and_then(Error::field),
            Error::MalformedBody { field, .. } => field.as_deref(),
            Error::Conflict { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl Localized for Error {
    fn code(&self) -> &'static str {
        match self {
            Error::Unauthenticated => "AUTH_REQUIRED",
            Error::SignInFailed => "AUTH_SIGN_IN_FAILED",
            Error::Forbidden(_) => "ACCESS_DENIED",
            Error::Suspended(_) => "ORGANISATION_SUSPENDED",
            Error::Csrf => "CSRF_REJECTED",
            Error::OperatorsOnly => "OPERATORS_ONLY",
            Error::NotFound { .. } => "NOT_FOUND",
            Error::MethodNotAllowed { .. } => "METHOD_NOT_ALLOWED",
            Error::Invalid { code, .. } => code,
            Error::InvalidFields(all) => all.first().map_or("INVALID", Localized::code),
            Error::MalformedBody { .. } => "BODY_MALFORMED",
            Error::UnsupportedMediaType { .. } => "BODY_MEDIA_TYPE",
            Error::BodyTooLarge { .. } => "BODY_TOO_LARGE",
            Error::Conflict { .. } => "DUPLICATE",
            Error::TooManyRequests { .. } => "TOO_MANY_REQUESTS",
            Error::Overloaded { .. } => "OVERLOADED",
            Error::Store(e) => e.code(),
            Error::Internal(_) => "INTERNAL",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            Error::Unauthenticated => "请先登录或提供有效的接口令牌".to_owned(),
            Error::SignInFailed => "用户名或密码不正确，或账户因多次失败已被暂时锁定".to_owned(),
            Error::Forbidden(_) => "无权执行此操作".to_owned(),
            Error::Suspended(code) => format!("机构 {code} 已被暂停，不能使用本平台"),
            Error::Csrf => "表单已失效，请刷新页面后重试".to_owned(),
            Error::OperatorsOnly => {
                "运行指标仅供运维人员读取：请在服务器本机读取，或携带运行指标令牌".to_owned()
            }
            Error::NotFound { what, key } => format!("未找到{}“{key}”", what_zh(what)),
            Error::MethodNotAllowed { method, path } => format!("{path} 不支持 {method} 方法"),
            Error::Invalid { message_zh, .. } => message_zh.clone(),
            Error::InvalidFields(all) => format!(
                "{}（另有 {} 处错误）",
                all.first().map(Localized::message_zh).unwrap_or_default(),
                all.len().saturating_sub(1)
            ),
            Error::MalformedBody { field, detail } => match field {
                Some(field) => format!("请求格式错误，字段 {field}：{detail}"),
                None => format!("请求格式错误：{detail}"),
            },
            Error::UnsupportedMediaType { expected } => {
                format!("不支持的内容类型，应为 {expected}")
            }
            Error::BodyTooLarge { limit } => format!("请求内容超过 {limit} 字节的上限"),
            Error::Conflict { field, value } => format!("{field}“{value}”已被登记"),
            Error::TooManyRequests { retry_after_secs } => {
                format!("尝试过于频繁，请 {retry_after_secs} 秒后再试")
            }
            Error::Overloaded { retry_after_secs } => {
                format!("平台繁忙，请 {retry_after_secs} 秒后重发")
            }
            Error::Store(e) => e.message_zh(),
            Error::Internal(_) => "服务器内部错误，已记录，请稍后再试".to_owned(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            Error::Unauthenticated => "sign in or present a valid API token".to_owned(),
            Error::SignInFailed => {
                "wrong login or password, or the account is temporarily locked after repeated failures"
                    .to_owned()
            }
            Error::Forbidden(_) => "you are not allowed to do this".to_owned(),
            Error::Invalid { message_en, .. } => message_en.clone(),
            Error::InvalidFields(all) => format!(
                "{} (and {} more)",
                all.first().map(Localized::message_en).unwrap_or_default(),
                all.len().saturating_sub(1)
            ),
            Error::MalformedBody { field, detail } => match field {
                Some(field) => format!("the request is not well-formed: field {field}: {detail}"),
                None => format!("the request is not well-formed: {detail}"),
            },
            Error::Store(e) => e.message_en(),
            Error::Internal(_) => "internal error; it has been logged".to_owned(),
            other => other.to_string(),
        }
    }
}

fn what_zh(what: &str) -> &str {
    match what {
        "organisation" => "机构",
        "user" => "用户",
        "API token" => "接口令牌",
        "page" => "页面",
        "watch list entry" => "布控名单记录",
        other => other,
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Duplicate { field, value } => Error::Conflict { field, value },
            StoreError::NotFound { what, key } => Error::NotFound { what, key },
            other => Error::Store(other),
        }
    }
}

impl From<Denied> for Error {
    fn from(denied: Denied) -> Self {
        Error::Forbidden(denied)
    }
}

/// Result with the platform's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_details_never_reach_the_message() {
        let error = Error::Store(StoreError::Database(sqlx_like_error()));
        assert!(
            !error.message_en().contains("secret-host"),
            "{}",
            error.message_en()
        );
        assert!(!error.message_zh().contains("secret-host"));
        let internal = Error::Internal("stack trace with secret-host".into());
        assert!(!internal.message_en().contains("secret-host"));
    }

    fn sqlx_like_error() -> kuajing_store::SqlxError {
        kuajing_store::SqlxError::Protocol("connection to secret-host refused".into())
    }

    #[test]
    fn a_bad_identifier_names_its_field_and_rule() {
        let id_error = kuajing_core::ids::Uscc::parse("91330100716105852G").unwrap_err();
        let error = Error::invalid_id("uscc", &id_error);
        assert_eq!(error.code(), "ID_CHECK_CHARACTER");
        assert_eq!(error.field(), Some("uscc"));
        assert!(
            error.message_en().contains("expected 'F'"),
            "{}",
            error.message_en()
        );
        assert!(
            error.message_zh().contains("校验码"),
            "{}",
            error.message_zh()
        );
    }
}
