//! Russian for what the platform writes in English only: the engine's and
//! the ledgers' reasons (stored as "中文 / English") and the error
//! messages (which carry Chinese and English). Each is one of a finite set
//! of sentences the platform's code writes with values in places, so a
//! phrasebook of those sentences, each `{}` a value carried over, puts them
//! into Russian for a Russian reader; anything not in the book (what a
//! person wrote) stays as written.
//!
//! A Russian template takes the values in order (`{}`) or by position
//! (`{0}`, `{1}`, … where Russian word order differs).

/// The platform's own sentences in its reasons and explanations: the
/// engine's explanations and risk rules (`kuajing_import::engine`,
/// `kuajing_clearance::risk`), the bonded ledger's and returns' reasons.
const SENTENCES: &[(&str, &str)] = &[
    ("Refused: {}", "Отказано: {}"),
    ("Sent to an officer: {}", "Передано инспектору: {}"),
    (
        "risk rule {}: the buyer's ID number is on the watch list",
        "правило риска {}: номер документа покупателя в контрольном списке",
    ),
    (
        "risk rule {}: the buyer has {} lists within {} hours",
        "правило риска {}: у покупателя {} перечней за {} ч",
    ),
    (
        "risk rule {}: one consignee address is shared by {} buyers",
        "правило риска {}: один адрес получателя указан у {} покупателей",
    ),
    (
        "risk rule {}: one telephone is shared by {} buyers",
        "правило риска {}: один телефон указан у {} покупателей",
    ),
    (
        "risk rule {}: line {} unit price CNY {} is below {} of the reference price CNY {}",
        "правило риска {}: цена за единицу в строке {} ({} юаней) ниже доли {} от справочной цены {} юаней",
    ),
    (
        "filed and approved by an authority",
        "зарегистрировано и одобрено уполномоченным органом",
    ),
    ("first-line entry", "ввоз через первую линию"),
    ("customer return (CEB625)", "возврат покупателем (CEB625)"),
    (
        "count short: goods may have left without a list",
        "недостача при инвентаризации: товар мог покинуть зону без перечня",
    ),
    (
        "HS chapter {} is food, excluded from the export-return exemption (policy-rules.md §7.2)",
        "товары главы {} ТН ВЭД — продукты питания, освобождение для возвращённого экспорта не применяется (policy-rules.md §7.2)",
    ),
];

/// The error messages people meet in the portal's forms and pages: the
/// shared field checks (`kuajing_registry::validate`), identifiers
/// (`kuajing_core::ids`), sign-in and passwords, filings, access.
const ERRORS: &[(&str, &str)] = &[
    ("{} is required", "{}: обязательное поле"),
    (
        "{} may have at most {} characters, got {}",
        "{}: не более {} символов, введено {}",
    ),
    (
        "must be 1 to {} characters",
        "должно содержать от 1 до {} символов",
    ),
    ("must be at most {} characters", "не более {} символов"),
    (
        "{} contains the control character U+{} at character {} (value '{}')",
        "{}: управляющий символ U+{} на позиции {} (значение «{}»)",
    ),
    (
        "{} contains the bidirectional control character U+{} ({}) at character {}, which makes the text read differently from what it holds (value '{}')",
        "{}: символ управления направлением текста U+{} ({}) на позиции {} — текст читается иначе, чем записан (значение «{}»)",
    ),
    (
        "phone number '{}' is not 5–20 digits with an optional leading +, spaces or hyphens",
        "номер телефона «{}» должен содержать 5–20 цифр; допускаются ведущий +, пробелы и дефисы",
    ),
    (
        "e-mail address '{}' is not well formed",
        "адрес электронной почты «{}» указан неверно",
    ),
    (
        "login '{}' must be 3–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
        "логин «{}» должен состоять из 3–64 строчных латинских букв, цифр, «.», «_» или «-» и начинаться с буквы или цифры",
    ),
    (
        "must be a date YYYY-MM-DD, not after today (given '{}')",
        "нужна дата в формате ГГГГ-ММ-ДД не позднее сегодняшнего дня (указано «{}»)",
    ),
    (
        "must be a date YYYY-MM-DD, today or later in China time (given '{}')",
        "нужна дата в формате ГГГГ-ММ-ДД не ранее сегодняшнего дня по китайскому времени (указано «{}»)",
    ),
    (
        "sign in or present a valid API token",
        "войдите в систему или предъявите действующий API-токен",
    ),
    (
        "you are not allowed to do this",
        "у вас нет права на это действие",
    ),
    (
        "internal error; it has been logged",
        "внутренняя ошибка; она записана в журнал",
    ),
    ("the file is empty", "файл пуст"),
    ("the file has no rows", "в файле нет строк"),
    (
        "the header must be exactly '{}', found '{}'",
        "заголовок должен быть в точности «{}», а найден «{}»",
    ),
    (
        "the request is not well-formed: field {}: {}",
        "запрос составлен неверно: поле {}: {}",
    ),
    (
        "password needs at least {} characters, got {}",
        "пароль должен содержать не менее {} символов, введено {}",
    ),
    (
        "password may have at most {} characters",
        "пароль может содержать не более {} символов",
    ),
    (
        "wrong password ({} in a row); locked until {}",
        "неверный пароль ({} раз подряд); вход заблокирован до {}",
    ),
    (
        "wrong password ({} in a row)",
        "неверный пароль ({} раз подряд)",
    ),
    ("locked until {}", "вход заблокирован до {}"),
    (
        "{} changed while you decided; reload it",
        "{} изменилось, пока вы принимали решение; обновите страницу",
    ),
    (
        "domestic agent '{}' is not a filed, active enterprise",
        "«{}» не является зарегистрированным действующим предприятием",
    ),
    (
        "agent {} is not an active enterprise filed with the platform",
        "агент {} не является действующим предприятием, зарегистрированным на платформе",
    ),
    (
        "commodity code {} is not in the tariff in force",
        "код товара {} отсутствует в действующем тарифе",
    ),
    (
        "item number '{}' must be 1–50 letters, digits, '-', '_' or '.'",
        "номер товара «{}» должен состоять из 1–50 латинских букв, цифр, «-», «_» или «.»",
    ),
    (
        "reference price '{}' must be a number above 0 with at most 5 decimal places",
        "справочная цена «{}» должна быть числом больше 0, не более 5 знаков после запятой",
    ),
    (
        "unit code {} is not in the measurement-unit table",
        "код единицы {} отсутствует в справочнике единиц измерения",
    ),
    (
        "'{}' is not in the {}",
        "«{}» отсутствует в справочнике: {}",
    ),
    (
        "{} is {} but the commodity code's legal unit is {}",
        "{}: указано {}, но основная единица измерения кода товара — {}",
    ),
    (
        "{} must have {} characters, got {} in '{}'",
        "{0}: должно быть {1} символов, в «{3}» — {2}",
    ),
    (
        "{} '{}' has '{}' at position {}, which is not allowed there",
        "{0} «{1}»: символ «{2}» на позиции {3} здесь недопустим",
    ),
    (
        "{} '{}' has check character '{}', expected '{}'",
        "{0} «{1}»: контрольный символ «{2}», по стандарту должен быть «{3}»",
    ),
    (
        "unknown export format '{}'; use csv or xlsx",
        "неизвестный формат выгрузки «{}»; используйте csv или xlsx",
    ),
    ("at least one role is required", "нужна хотя бы одна роль"),
    (
        "a domestic enterprise must give its unified social credit code",
        "отечественное предприятие должно указать единый код социального кредита",
    ),
    (
        "a foreign seller has no unified social credit code: leave it empty and name the domestic agent",
        "у иностранного продавца нет единого кода социального кредита: оставьте поле пустым и укажите отечественного агента",
    ),
    (
        "only a foreign seller has a domestic agent",
        "отечественный агент бывает только у иностранного продавца",
    ),
    (
        "a foreign seller must name a filed domestic agent",
        "иностранный продавец должен указать зарегистрированного отечественного агента",
    ),
    ("this step needs a reason", "для этого шага нужна причина"),
    (
        "file name '{}' is not acceptable",
        "имя файла «{}» недопустимо",
    ),
    (
        "the file has {} bytes, over the limit of {}",
        "в файле {} байт — больше предела {}",
    ),
    (
        "an enterprise cannot delegate to itself",
        "предприятие не может поручить декларирование самому себе",
    ),
    (
        "name at least one scope (orders, payments, waybills, lists, site)",
        "укажите хотя бы одну область (заказы, платежи, накладные, перечни, площадка)",
    ),
    (
        "give a list number, order number, waybill number or buyer's ID number (at most 64 characters)",
        "введите номер перечня, заказа, накладной или номер документа покупателя (не более 64 символов)",
    ),
    (
        "the list stands at status {} and is not waiting for an officer",
        "перечень в статусе {} и не ожидает инспектора",
    ),
    (
        "a written reason is required (1 to {} characters)",
        "нужна письменная причина (от 1 до {} символов)",
    ),
    (
        "enter the name (1 to 60 characters)",
        "введите имя (от 1 до 60 символов)",
    ),
    ("returning needs a reason", "для возврата нужна причина"),
    (
        "must be 1 to 32 letters, digits, '-' or '_' (given '{}')",
        "от 1 до 32 латинских букв, цифр, «-» или «_» (указано «{}»)",
    ),
    (
        "must be a positive whole number (given '{}')",
        "нужно целое положительное число (указано «{}»)",
    ),
    (
        "must be a positive quantity with at most five decimals (given '{}')",
        "нужно положительное количество, не более пяти знаков после запятой (указано «{}»)",
    ),
    (
        "must be a non-zero quantity with at most five decimals (given '{}')",
        "нужно ненулевое количество, не более пяти знаков после запятой (указано «{}»)",
    ),
    (
        "must be a month YYYY-MM (given '{}')",
        "нужен месяц в формате ГГГГ-ММ (указано «{}»)",
    ),
    (
        "item {} has {} available, not {}; the book is unchanged",
        "по позиции {} доступно {}, а не {}; книга не изменена",
    ),
    (
        "goods leaving (re-exported or returned) need the number of their document",
        "для вывозимого товара (реэкспорт или возврат) нужен номер документа",
    ),
    (
        "goods that cannot be repaired need the reason",
        "для товара, который нельзя отремонтировать, нужна причина",
    ),
    (
        "the reason is at most 500 characters",
        "причина — не более 500 символов",
    ),
    (
        "an adjustment (destruction, stock-take difference) needs its approver",
        "для корректировки (уничтожение, расхождение при инвентаризации) нужен утвердивший",
    ),
    (
        "the month is not over yet: a monthly report is sent after it ends",
        "месяц ещё не закончился: месячный отчёт отправляется после его окончания",
    ),
    (
        "wrong login or password, or the account is temporarily locked after repeated failures",
        "неверное имя пользователя или пароль, либо учётная запись временно заблокирована после нескольких неудачных попыток",
    ),
    (
        "missing or wrong CSRF token",
        "форма устарела: обновите страницу и попробуйте снова",
    ),
    ("{} (and {} more)", "{} (и ещё {})"),
    // Names the sentences above carry as values.
    ("resident identity number", "номер удостоверения личности"),
    (
        "unified social credit code",
        "единый код социального кредита",
    ),
    ("organisation code", "код организации"),
    (
        "customs registration code",
        "таможенный регистрационный код",
    ),
    ("commodity code", "код товара"),
    ("barcode (GTIN)", "штрихкод (GTIN)"),
    ("country codes", "коды стран"),
    ("currency codes", "коды валют"),
    ("measurement-unit codes", "коды единиц измерения"),
    (
        "customs district and port codes",
        "коды таможенных округов и пунктов",
    ),
    (
        "administrative division codes",
        "коды административного деления",
    ),
];

/// `en` in Russian, if it is one of the platform's own sentences (or a
/// list of them joined by "; ").
pub fn sentence(en: &str) -> Option<String> {
    translate(SENTENCES, en, &|_| None)
}

/// An error message in Russian, if the book has it: `field_label` names a
/// form's field (`name`, `contact_phone`) as the reader knows it.
pub fn error(en: &str, field_label: &dyn Fn(&str) -> Option<&'static str>) -> Option<String> {
    translate(ERRORS, en, field_label)
}

fn translate(
    book: &[(&str, &str)],
    en: &str,
    name: &dyn Fn(&str) -> Option<&'static str>,
) -> Option<String> {
    if let Some(found) = book
        .iter()
        .find_map(|(template, ru)| fill(book, template, ru, en, name))
    {
        return Some(found);
    }
    let parts: Vec<&str> = en.split("; ").collect();
    if parts.len() < 2 {
        return None;
    }
    let translated: Vec<String> = parts
        .iter()
        .map(|part| translate(book, part, name).unwrap_or_else(|| (*part).to_owned()))
        .collect();
    (translated.iter().zip(&parts).any(|(ru, en)| ru != en)).then(|| translated.join("; "))
}

/// The Russian `ru` with the values `en` holds in `template`'s places, if
/// `en` has the template's form. A value is itself put into Russian where
/// the book or `name` knows it.
fn fill(
    book: &[(&str, &str)],
    template: &str,
    ru: &str,
    en: &str,
    name: &dyn Fn(&str) -> Option<&'static str>,
) -> Option<String> {
    let pieces: Vec<&str> = template.split("{}").collect();
    let mut rest = en.strip_prefix(pieces[0])?;
    let mut values = Vec::new();
    for (i, piece) in pieces.iter().enumerate().skip(1) {
        let last = i == pieces.len() - 1;
        let at = if last {
            if !rest.ends_with(piece) {
                return None;
            }
            rest.len() - piece.len()
        } else {
            rest.find(piece)?
        };
        let value = &rest[..at];
        // Only a template's trailing place holds a list of sentences; a
        // value elsewhere with "; " means the template took too much.
        if value.is_empty() || (value.contains("; ") && !(last && piece.is_empty())) {
            return None;
        }
        values.push(value);
        rest = &rest[at + piece.len()..];
    }
    if pieces.len() == 1 && !rest.is_empty() {
        return None;
    }
    let values: Vec<String> = values
        .iter()
        .map(|value| {
            name(value)
                .map(str::to_owned)
                .or_else(|| translate(book, value, name))
                .unwrap_or_else(|| (*value).to_owned())
        })
        .collect();
    Some(place(ru, &values))
}

/// `ru` with `values` in its places, by position where it numbers them.
fn place(ru: &str, values: &[String]) -> String {
    if ru.contains("{0}") {
        let mut out = ru.to_owned();
        for (i, value) in values.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), value);
        }
        return out;
    }
    let mut out = String::new();
    let mut slots = ru.split("{}");
    out.push_str(slots.next().unwrap_or_default());
    for (value, slot) in values.iter().zip(slots) {
        out.push_str(value);
        out.push_str(slot);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_platforms_sentences_read_in_russian() {
        assert_eq!(
            sentence(
                "Sent to an officer: risk rule watch-list/1: the buyer's ID number is on the watch list; risk rule R01-buyer-frequency/1: the buyer has 5 lists within 24 hours"
            )
            .as_deref(),
            Some(
                "Передано инспектору: правило риска watch-list/1: номер документа покупателя в контрольном списке; правило риска R01-buyer-frequency/1: у покупателя 5 перечней за 24 ч"
            )
        );
        assert_eq!(sentence("returned by the buyer"), None, "a person's words");
    }

    #[test]
    fn errors_read_in_russian_with_the_fields_name() {
        let label = |field: &str| (field == "contact_phone").then_some("Контактный телефон");
        assert_eq!(
            error("contact_phone is required", &label).as_deref(),
            Some("Контактный телефон: обязательное поле")
        );
        assert_eq!(
            error(
                "resident identity number must have 18 characters, got 5 in '12345'",
                &label
            )
            .as_deref(),
            Some("номер удостоверения личности: должно быть 18 символов, в «12345» — 5")
        );
        assert_eq!(
            error("'999' is not in the country codes", &label).as_deref(),
            Some("«999» отсутствует в справочнике: коды стран")
        );
        assert_eq!(error("something nobody wrote down", &label), None);
        assert_eq!(
            error("contact_phone is required (and 2 more)", &label).as_deref(),
            Some("Контактный телефон: обязательное поле (и ещё 2)")
        );
    }
}
