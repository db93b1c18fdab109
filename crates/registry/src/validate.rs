//! Checks of free-text fields shared by the JSON API, the portal's forms and
//! the command line, so that each rule exists once and each refusal names
//! its field, rule and value.

use kuajing_core::role::RoleSet;
use kuajing_core::text::{Hidden, HiddenCharacter, escaped, first_hidden, first_hidden_in_prose};
use kuajing_core::timestamp::Timestamp;
use time::{Date, Month};

use crate::error::{Error, Result};

/// The refusals of a form's fields, gathered so that the form reports all
/// of them at once rather than one per submission; anything that is not a
/// refusal a person can put right (a storage failure) stops at once.
#[derive(Debug, Default)]
pub struct Findings {
    errors: Vec<Error>,
}

impl Findings {
    /// The value of a check that passed; `None` for a refusal, kept.
    pub fn check<T>(&mut self, result: Result<T>) -> Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(error) if error.is_correctable() => {
                self.errors.push(error);
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// Keeps a refusal found by a rule across fields.
    pub fn refuse(&mut self, error: Error) {
        self.errors.push(error);
    }

    /// Every refusal kept, as one error; `Ok` if there was none.
    pub fn finish(self) -> Result<()> {
        match Error::all(self.errors) {
            None => Ok(()),
            Some(error) => Err(error),
        }
    }
}

/// The value of a check after [`Findings::finish`] passed: every field
/// either passed (its value) or was refused (and `finish` failed), so
/// nothing is missing unless the checks themselves are wrong.
pub fn passed<T>(value: Option<T>) -> Result<T> {
    value.ok_or_else(|| Error::Internal("a field passed no check and was not refused".to_owned()))
}

/// A required text: trimmed, 1..=`max` characters, no control characters.
pub fn required(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            "FIELD_REQUIRED",
            format!("{field} 不能为空"),
            format!("{field} is required"),
        ));
    }
    bounded(field, value, max)
}

/// An optional text: blank means absent; otherwise as [`required`].
pub fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => bounded(field, v, max).map(Some),
    }
}

fn bounded(field: &str, value: &str, max: usize) -> Result<String> {
    let length = value.chars().count();
    if length > max {
        return Err(Error::invalid(
            field,
            "FIELD_TOO_LONG",
            format!("{field} 最多 {max} 个字符，当前为 {length} 个"),
            format!("{field} may have at most {max} characters, got {length}"),
        ));
    }
    printable(field, value)?;
    Ok(value.to_owned())
}

/// A required text whose module names its own rule `code` (`EMS_TEXT`,
/// `PURCHASE_TEXT`, …): trimmed, 1..=`max` characters, [`printable_prose`]
/// (these texts have always taken line breaks and tabs).
pub fn text<'a>(field: &str, code: &'static str, value: &'a str, max: usize) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max {
        return Err(Error::invalid(
            field,
            code,
            format!("须为 1 至 {max} 个字符"),
            format!("must be 1 to {max} characters"),
        ));
    }
    printable_prose(field, value)?;
    Ok(value)
}

/// An optional text of rule `code`: trimmed, at most `max` characters
/// (empty allowed), [`printable_prose`].
pub fn text_upto<'a>(
    field: &str,
    code: &'static str,
    value: &'a str,
    max: usize,
) -> Result<&'a str> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Error::invalid(
            field,
            code,
            format!("至多 {max} 个字符"),
            format!("must be at most {max} characters"),
        ));
    }
    printable_prose(field, value)?;
    Ok(value)
}

/// Refuses a text holding a character its reader cannot see
/// ([`kuajing_core::text`]): a control character (`FIELD_CONTROL_CHARACTER`)
/// or a bidirectional formatting character such as U+202E RIGHT-TO-LEFT
/// OVERRIDE (`FIELD_BIDI_CONTROL`), which makes a text read differently
/// from what it holds. The message names the field, the character and its
/// place, and shows the value with such characters written `<U+XXXX>`.
pub fn printable(field: &str, value: &str) -> Result<()> {
    first_hidden(value).map_or(Ok(()), |found| Err(hidden(field, value, found)))
}

/// As [`printable`] for prose typed in a box of several lines (reasons,
/// notes): tab, line feed and carriage return pass.
pub fn printable_prose(field: &str, value: &str) -> Result<()> {
    first_hidden_in_prose(value).map_or(Ok(()), |found| Err(hidden(field, value, found)))
}

/// The refusal of `found` in `value`.
fn hidden(field: &str, value: &str, found: HiddenCharacter) -> Error {
    let code = u32::from(found.character);
    let position = found.position;
    let shown = escaped(value, 80);
    match found.kind {
        Hidden::Control => Error::invalid(
            field,
            "FIELD_CONTROL_CHARACTER",
            format!("{field} 第 {position} 个字符是不可见的控制字符 U+{code:04X}（值为“{shown}”）"),
            format!(
                "{field} contains the control character U+{code:04X} at character {position} (value '{shown}')"
            ),
        ),
        Hidden::Bidi(name) => Error::invalid(
            field,
            "FIELD_BIDI_CONTROL",
            format!(
                "{field} 第 {position} 个字符是双向文本控制字符 U+{code:04X}（{name}），会使文字显示的顺序与实际内容不同（值为“{shown}”）"
            ),
            format!(
                "{field} contains the bidirectional control character U+{code:04X} ({name}) at character {position}, which makes the text read differently from what it holds (value '{shown}')"
            ),
        ),
    }
}

/// A phone number: digits with an optional leading `+`, spaces or hyphens
/// between; 5 to 20 characters.
pub fn phone(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional(field, value, 20)? else {
        return Ok(None);
    };
    let body = value.strip_prefix('+').unwrap_or(&value);
    let well_formed = value.chars().count() >= 5
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && body.starts_with(|c: char| c.is_ascii_digit());
    if !well_formed {
        return Err(Error::invalid(
            field,
            "PHONE_FORMAT",
            format!("电话号码“{value}”格式不正确：应为 5–20 位数字，可含开头的 + 以及空格或连字符"),
            format!(
                "phone number '{value}' is not 5–20 digits with an optional leading +, spaces or hyphens"
            ),
        ));
    }
    Ok(Some(value))
}

/// An e-mail address: one `@`, a non-empty local part, a domain with a dot,
/// no spaces, at most 100 characters. (Whether it exists is for the mail
/// server to say.)
pub fn email(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional(field, value, 100)? else {
        return Ok(None);
    };
    let well_formed = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !value.contains(char::is_whitespace)
        }
        None => false,
    };
    if !well_formed {
        return Err(Error::invalid(
            field,
            "EMAIL_FORMAT",
            format!("电子邮箱“{value}”格式不正确"),
            format!("e-mail address '{value}' is not well formed"),
        ));
    }
    Ok(Some(value))
}

/// A sign-in name: 3–64 characters of lower-case letters, digits, `.`, `_`
/// and `-`, starting with a letter or digit.
pub fn login(field: &str, value: &str) -> Result<String> {
    let ok = (3..=64).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !ok {
        return Err(Error::invalid(
            field,
            "LOGIN_FORMAT",
            format!(
                "用户名“{value}”不符合规则：3–64 位小写字母、数字、点、下划线或连字符，以字母或数字开头"
            ),
            format!(
                "login '{value}' must be 3–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
            ),
        ));
    }
    Ok(value.to_owned())
}

/// A day that has happened: `YYYY-MM-DD`, a real date, not after today in
/// China (UTC+8) — the day goods were received for repair, the day goods
/// were bought; refused with `code`, naming `field` and the value.
pub fn past_date(field: &str, code: &'static str, value: &str) -> Result<String> {
    let invalid = || {
        Error::invalid(
            field,
            code,
            format!("须为不晚于今天的日期 YYYY-MM-DD（申报值“{value}”）"),
            format!("must be a date YYYY-MM-DD, not after today (given '{value}')"),
        )
    };
    let date = parse_date(value.trim()).ok_or_else(invalid)?;
    if date > Timestamp::now().in_china().date() {
        return Err(invalid());
    }
    Ok(date.to_string())
}

/// `YYYY-MM-DD` with exactly those digits, as a real calendar date.
pub fn parse_date(value: &str) -> Option<Date> {
    let mut parts = value.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let shaped = parts.next().is_none()
        && (year.len(), month.len(), day.len()) == (4, 2, 2)
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if !shaped {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// Parses role names, naming the position of an unknown one.
pub fn parse_roles(names: &[String]) -> Result<RoleSet> {
    if names.is_empty() {
        return Err(Error::invalid(
            "roles",
            "ROLES_REQUIRED",
            "至少需要一个角色",
            "at least one role is required",
        ));
    }
    let mut roles = RoleSet::EMPTY;
    for (i, name) in names.iter().enumerate() {
        let role = name
            .trim()
            .parse()
            .map_err(|e: kuajing_core::role::UnknownRole| {
                use kuajing_core::error::Localized;
                Error::invalid(
                    &format!("roles[{i}]"),
                    e.code(),
                    e.message_zh(),
                    e.message_en(),
                )
            })?;
        roles = roles.with(role);
    }
    Ok(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(result: Result<impl std::fmt::Debug>) -> &'static str {
        match result {
            Err(Error::Invalid { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn texts_are_trimmed_bounded_and_printable() {
        assert_eq!(required("name", "  珲春  ", 10).unwrap(), "珲春");
        assert_eq!(code(required("name", "   ", 10)), "FIELD_REQUIRED");
        assert_eq!(code(required("name", "珲春珲春珲春", 5)), "FIELD_TOO_LONG");
        assert_eq!(
            code(required("name", "a\u{0}b", 5)),
            "FIELD_CONTROL_CHARACTER"
        );
        assert_eq!(optional("name_en", Some(" "), 5).unwrap(), None);
    }

    #[test]
    fn bidirectional_controls_are_refused_naming_field_character_and_value() {
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            let label = format!("订单{c}系统");
            assert_eq!(
                code(required("label", &label, 100)),
                "FIELD_BIDI_CONTROL",
                "{c:?}"
            );
            assert_eq!(
                code(text("name", "EMS_TEXT", &label, 100)),
                "FIELD_BIDI_CONTROL"
            );
            assert_eq!(
                code(text_upto("note", "REPAIR_TEXT", &label, 100)),
                "FIELD_BIDI_CONTROL"
            );
        }
        let Err(Error::Invalid {
            field,
            message_en,
            message_zh,
            ..
        }) = required("label", "invoice\u{202E}fdp.exe", 100)
        else {
            panic!("refused");
        };
        assert_eq!(field, "label");
        assert_eq!(
            message_en,
            "label contains the bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE) \
             at character 8, which makes the text read differently from what it holds \
             (value 'invoice<U+202E>fdp.exe')"
        );
        assert!(
            message_zh.contains("U+202E") && message_zh.contains("第 8 个字符"),
            "{message_zh}"
        );
        assert_eq!(
            text("name", "EMS_TEXT", " 椴树蜂蜜 ", 10).unwrap(),
            "椴树蜂蜜"
        );
        assert_eq!(code(text("name", "EMS_TEXT", " ", 10)), "EMS_TEXT");
        assert_eq!(
            code(text("name", "EMS_TEXT", "a\u{1}", 10)),
            "FIELD_CONTROL_CHARACTER"
        );
        assert_eq!(
            text("note", "EMS_TEXT", "第一行\r\n第二行", 10).unwrap(),
            "第一行\r\n第二行"
        );
        assert_eq!(
            code(required("reason", "第一行\n第二行", 10)),
            "FIELD_CONTROL_CHARACTER"
        );
        assert_eq!(text_upto("note", "REPAIR_TEXT", " ", 10).unwrap(), "");
        assert_eq!(
            code(text_upto("note", "REPAIR_TEXT", "abc", 2)),
            "REPAIR_TEXT"
        );
    }

    #[test]
    fn phones_and_logins_follow_their_rules() {
        assert_eq!(
            phone("p", Some("+86 433-7512345")).unwrap().as_deref(),
            Some("+86 433-7512345")
        );
        assert_eq!(code(phone("p", Some("call me"))), "PHONE_FORMAT");
        assert_eq!(code(phone("p", Some("+-123"))), "PHONE_FORMAT");
        assert_eq!(login("login", "li.na-2").unwrap(), "li.na-2");
        assert_eq!(code(login("login", "Li")), "LOGIN_FORMAT");
        assert_eq!(code(login("login", "admin'--")), "LOGIN_FORMAT");
        assert_eq!(
            email("email", Some("trade@hunchun.example.cn"))
                .unwrap()
                .as_deref(),
            Some("trade@hunchun.example.cn")
        );
        for bad in ["no-at", "a@b", "a@.cn", "a b@c.cn", "@c.cn", "a@b@c.cn"] {
            assert_eq!(code(email("email", Some(bad))), "EMAIL_FORMAT", "{bad}");
        }
    }

    #[test]
    fn dates_are_whole_and_real() {
        assert_eq!(
            parse_date("2026-02-28").map(|d| d.to_string()).as_deref(),
            Some("2026-02-28")
        );
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "26-02-28",
            "2026-02-28-01",
            "2026/02/28",
            "+026-02-28",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
