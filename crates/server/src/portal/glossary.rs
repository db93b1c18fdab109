//! The glossary (术语表) of the customs documents' fields, so that pages
//! speak business language in the reader's language instead of the CEB
//! message's element names (issue #17): each field of the import order,
//! payment, waybill and declaration list heads and of a list's goods lines
//! (CEB 202205 specification, §§ 3.1–3.4) with its Chinese term, as
//! customs officers know it, and its English and Russian names; and the
//! names of the codes those fields hold where the specification lists them.

use std::borrow::Cow;

use kuajing_reference::ReferenceKind;
use kuajing_reference::codes::CodeEntry;

use super::i18n::Lang;

/// (element, Chinese, English, Russian).
type Term = (&'static str, &'static str, &'static str, &'static str);

/// The fields, by element name.
const FIELDS: &[Term] = &[
    ("appType", "报送类型", "Submission type", "Тип подачи"),
    ("appTime", "报送时间", "Submitted at", "Время подачи"),
    ("appStatus", "业务状态", "Business status", "Статус"),
    ("orderType", "订单类型", "Order type", "Тип заказа"),
    ("orderNo", "订单编号", "Order number", "Номер заказа"),
    (
        "ebpCode",
        "电商平台代码",
        "E-commerce platform code",
        "Код платформы",
    ),
    (
        "ebpName",
        "电商平台名称",
        "E-commerce platform",
        "Платформа электронной торговли",
    ),
    (
        "ebcCode",
        "电商企业代码",
        "E-commerce enterprise code",
        "Код интернет-компании",
    ),
    (
        "ebcName",
        "电商企业名称",
        "E-commerce enterprise",
        "Интернет-компания",
    ),
    ("goodsValue", "商品价格", "Goods value", "Стоимость товаров"),
    ("freight", "运杂费", "Freight", "Стоимость доставки"),
    ("insuredFee", "保价费", "Insurance fee", "Страховой сбор"),
    (
        "discount",
        "非现金抵扣金额",
        "Non-cash discount",
        "Неденежная скидка",
    ),
    ("taxTotal", "代扣税款", "Tax withheld", "Удержанный налог"),
    (
        "acturalPaid",
        "实际支付金额",
        "Amount actually paid",
        "Фактически оплачено",
    ),
    ("currency", "币制", "Currency", "Валюта"),
    (
        "buyerRegNo",
        "订购人注册号",
        "Buyer's platform account",
        "Учётная запись покупателя",
    ),
    ("buyerName", "订购人姓名", "Buyer's name", "Имя покупателя"),
    (
        "buyerTelephone",
        "订购人电话",
        "Buyer's telephone",
        "Телефон покупателя",
    ),
    (
        "buyerIdType",
        "订购人证件类型",
        "Buyer's ID type",
        "Тип документа покупателя",
    ),
    (
        "buyerIdNumber",
        "订购人证件号码",
        "Buyer's ID number",
        "Номер документа покупателя",
    ),
    (
        "payCode",
        "支付企业代码",
        "Payment enterprise code",
        "Код платёжной компании",
    ),
    (
        "payName",
        "支付企业名称",
        "Payment enterprise",
        "Платёжная компания",
    ),
    (
        "payTransactionId",
        "支付交易编号",
        "Payment transaction number",
        "Номер платежа",
    ),
    (
        "batchNumbers",
        "商品批次号",
        "Batch numbers",
        "Номера партий",
    ),
    ("consignee", "收货人姓名", "Consignee", "Получатель"),
    ("consingee", "收货人姓名", "Consignee", "Получатель"),
    (
        "consigneeTelephone",
        "收货人电话",
        "Consignee's telephone",
        "Телефон получателя",
    ),
    (
        "consigneeAddress",
        "收货地址",
        "Delivery address",
        "Адрес доставки",
    ),
    (
        "consigneeDistrict",
        "收货地址行政区划代码",
        "Delivery district code",
        "Код района доставки",
    ),
    ("note", "备注", "Note", "Примечание"),
    (
        "payerIdType",
        "支付人证件类型",
        "Payer's ID type",
        "Тип документа плательщика",
    ),
    (
        "payerIdNumber",
        "支付人证件号码",
        "Payer's ID number",
        "Номер документа плательщика",
    ),
    ("payerName", "支付人姓名", "Payer's name", "Имя плательщика"),
    (
        "telephone",
        "支付人电话",
        "Payer's telephone",
        "Телефон плательщика",
    ),
    ("amountPaid", "支付金额", "Amount paid", "Сумма платежа"),
    ("payTime", "支付时间", "Paid at", "Время оплаты"),
    (
        "logisticsCode",
        "物流企业代码",
        "Logistics enterprise code",
        "Код логистической компании",
    ),
    (
        "logisticsName",
        "物流企业名称",
        "Logistics enterprise",
        "Логистическая компания",
    ),
    (
        "logisticsNo",
        "运单编号",
        "Waybill number",
        "Номер накладной",
    ),
    (
        "billNo",
        "提运单号",
        "Bill of lading number",
        "Номер коносамента",
    ),
    (
        "weight",
        "毛重（千克）",
        "Gross weight (kg)",
        "Вес брутто (кг)",
    ),
    ("packNo", "件数", "Packages", "Количество мест"),
    ("goodsInfo", "主要货物信息", "Goods", "Сведения о товарах"),
    (
        "copNo",
        "企业内部编号",
        "Enterprise's own number",
        "Внутренний номер компании",
    ),
    (
        "preNo",
        "预录入编号",
        "Pre-entry number",
        "Предварительный номер",
    ),
    (
        "assureCode",
        "担保企业代码",
        "Guarantor code",
        "Код гаранта",
    ),
    (
        "emsNo",
        "账册编号",
        "Bonded book number",
        "Номер бондовой книги",
    ),
    ("invtNo", "清单编号", "List number", "Номер списка"),
    (
        "ieFlag",
        "进出口标记",
        "Import or export",
        "Импорт или экспорт",
    ),
    ("declTime", "申报日期", "Declared on", "Дата декларирования"),
    (
        "customsCode",
        "申报地海关",
        "Customs of declaration",
        "Таможня декларирования",
    ),
    (
        "portCode",
        "口岸海关",
        "Customs of the port",
        "Таможня пункта пропуска",
    ),
    ("ieDate", "进口日期", "Imported on", "Дата ввоза"),
    (
        "agentCode",
        "申报企业代码",
        "Declaring enterprise code",
        "Код декларанта",
    ),
    (
        "agentName",
        "申报企业名称",
        "Declaring enterprise",
        "Декларант",
    ),
    (
        "areaCode",
        "区内企业代码",
        "Zone warehouse code",
        "Код склада в зоне",
    ),
    ("areaName", "区内企业名称", "Zone warehouse", "Склад в зоне"),
    ("tradeMode", "贸易方式", "Trade mode", "Режим торговли"),
    (
        "trafMode",
        "运输方式",
        "Mode of transport",
        "Вид транспорта",
    ),
    (
        "trafNo",
        "运输工具编号",
        "Means of transport",
        "Транспортное средство",
    ),
    ("voyageNo", "航班航次号", "Voyage or flight", "Рейс"),
    (
        "loctNo",
        "监管场所代码",
        "Supervised site",
        "Место таможенного контроля",
    ),
    (
        "licenseNo",
        "许可证件号",
        "Licence number",
        "Номер лицензии",
    ),
    (
        "country",
        "起运国（地区）",
        "Country of departure",
        "Страна отправления",
    ),
    ("wrapType", "包装种类", "Packaging", "Вид упаковки"),
    (
        "grossWeight",
        "毛重（千克）",
        "Gross weight (kg)",
        "Вес брутто (кг)",
    ),
    (
        "netWeight",
        "净重（千克）",
        "Net weight (kg)",
        "Вес нетто (кг)",
    ),
    ("gnum", "序号", "No.", "№"),
    (
        "itemRecordNo",
        "账册备案料号",
        "Book item number",
        "Номер позиции книги",
    ),
    ("itemNo", "企业商品货号", "Item number (SKU)", "Артикул"),
    (
        "itemName",
        "企业商品品名",
        "Item name",
        "Наименование у продавца",
    ),
    ("gcode", "商品编码", "HS code", "Код ТН ВЭД"),
    ("gname", "商品名称", "Goods", "Товар"),
    ("gmodel", "规格型号", "Specification", "Характеристики"),
    ("barCode", "条形码", "Barcode", "Штрихкод"),
    (
        "tradeCountry",
        "贸易国（地区）",
        "Trading country",
        "Страна торговли",
    ),
    ("qty", "数量", "Quantity", "Количество"),
    ("unit", "计量单位", "Unit", "Единица"),
    (
        "qty1",
        "法定数量",
        "Legal quantity",
        "Количество в осн. единице",
    ),
    ("unit1", "法定计量单位", "Legal unit", "Основная единица"),
    ("qty2", "第二数量", "Second quantity", "Второе количество"),
    ("unit2", "第二计量单位", "Second unit", "Вторая единица"),
    ("price", "单价", "Unit price", "Цена за единицу"),
    ("totalPrice", "总价", "Total", "Сумма"),
];

/// The names of the codes a field holds, by (element, code), where the
/// specification lists them (CEB 202205 field tables; JGS-20 transport
/// modes and packaging for `trafMode` and `wrapType`).
const CODES: &[(&str, &str, &str, &str, &str)] = &[
    ("appType", "1", "新增", "New", "Новый"),
    ("appType", "2", "变更", "Change", "Изменение"),
    ("appType", "3", "删除", "Deletion", "Удаление"),
    ("appStatus", "1", "暂存", "Draft", "Черновик"),
    ("appStatus", "2", "申报", "Declared", "Подан"),
    ("orderType", "I", "进口", "Import", "Импорт"),
    ("ieFlag", "I", "进口", "Import", "Импорт"),
    ("ieFlag", "E", "出口", "Export", "Экспорт"),
    (
        "buyerIdType",
        "1",
        "身份证",
        "Resident identity card",
        "Удостоверение личности",
    ),
    ("buyerIdType", "2", "其他", "Other", "Другое"),
    (
        "payerIdType",
        "1",
        "身份证",
        "Resident identity card",
        "Удостоверение личности",
    ),
    ("payerIdType", "2", "其他", "Other", "Другое"),
    (
        "tradeMode",
        "9610",
        "直购进口",
        "Direct purchase",
        "Прямая покупка",
    ),
    (
        "tradeMode",
        "1210",
        "保税电商",
        "Bonded e-commerce",
        "Бондовая электронная торговля",
    ),
    ("trafMode", "2", "水路运输", "Waterway", "Водный транспорт"),
    ("trafMode", "3", "铁路运输", "Railway", "Железная дорога"),
    (
        "trafMode",
        "4",
        "公路运输",
        "Road",
        "Автомобильный транспорт",
    ),
    ("trafMode", "5", "航空运输", "Air", "Воздушный транспорт"),
    ("trafMode", "6", "邮件运输", "Post", "Почта"),
    ("trafMode", "7", "保税区", "Bonded zone", "Бондовая зона"),
    (
        "trafMode",
        "8",
        "保税仓库",
        "Bonded warehouse",
        "Бондовый склад",
    ),
    ("trafMode", "9", "其他运输", "Other", "Другой"),
    (
        "trafMode",
        "Y",
        "保税港区",
        "Bonded port area",
        "Бондовый порт",
    ),
    (
        "trafMode",
        "Z",
        "出口加工区",
        "Export processing zone",
        "Зона экспортной переработки",
    ),
    ("wrapType", "1", "木箱", "Wooden case", "Деревянный ящик"),
    ("wrapType", "2", "纸箱", "Carton", "Картонная коробка"),
    ("wrapType", "3", "桶装", "Drum", "Бочка"),
    ("wrapType", "4", "散装", "Bulk", "Навалом"),
    ("wrapType", "5", "托盘", "Pallet", "Поддон"),
    ("wrapType", "6", "包", "Bag", "Мешок"),
    ("wrapType", "7", "其他", "Other", "Другое"),
];

/// One entry of the help page's glossary: the message element, its
/// Chinese term and its term in the reader's language.
pub struct GlossaryEntry {
    /// The CEB element name (what integrators see in the messages).
    pub element: &'static str,
    /// The Chinese term, as officers know it.
    pub chinese: &'static str,
    /// The term in the reader's language.
    pub term: &'static str,
}

/// Every field the glossary names, in its order, for the help page.
pub fn all_fields(lang: Lang) -> Vec<GlossaryEntry> {
    FIELDS
        .iter()
        .map(|term| GlossaryEntry {
            element: term.0,
            chinese: term.1,
            term: pick(lang, (term.1, term.2, term.3)),
        })
        .collect()
}

/// Every code of the specification's small code lists, for the help page:
/// the field's name, the code, its Chinese name and its name in `lang`.
pub fn all_codes(lang: Lang) -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
    CODES
        .iter()
        .map(|entry| {
            let field = label(lang, entry.0).unwrap_or(entry.0);
            (
                field,
                entry.1,
                entry.2,
                pick(lang, (entry.2, entry.3, entry.4)),
            )
        })
        .collect()
}

/// The statuses a document shows, with their codes, for the help page.
pub const STATUS_CODES: [&str; 15] = [
    "1",
    "2",
    "100",
    "120",
    "300",
    "399",
    "500",
    "501",
    "502",
    "503",
    "599",
    "800",
    "899",
    "cancelled",
    "exited",
];

/// The name of the field `element` in `lang`, if the glossary has it.
pub fn label(lang: Lang, element: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|(e, ..)| *e == element)
        .map(|term| pick(lang, (term.1, term.2, term.3)))
}

/// The name in `lang` of the code `code` of the field `element`, if the
/// specification lists it.
pub fn code_name(lang: Lang, element: &str, code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(e, c, ..)| *e == element && *c == code)
        .map(|entry| pick(lang, (entry.2, entry.3, entry.4)))
}

/// The reference table whose codes the field `element` holds (currency,
/// countries, units, customs offices), so a page can show the code by its
/// name in the reader's language (`kuajing_reference` seed tables).
pub fn reference_kind(element: &str) -> Option<ReferenceKind> {
    match element {
        "currency" => Some(ReferenceKind::Currency),
        "country" | "tradeCountry" | "originCountry" | "consigneeCountry" | "senderCountry" => {
            Some(ReferenceKind::Country)
        }
        "unit" | "unit1" | "unit2" => Some(ReferenceKind::Unit),
        "customsCode" | "portCode" | "iePort" => Some(ReferenceKind::Customs),
        _ => None,
    }
}

/// A reference code's name in the reader's language (the Chinese name
/// where the table has none in that language).
pub fn reference_name(lang: Lang, entry: &CodeEntry) -> &str {
    entry.name_in(match lang {
        Lang::ZhCn => "zh",
        Lang::En => "en",
        Lang::Ru => "ru",
    })
}

/// Whether the field holds a CEB time (`YYYYMMDDhhmmss`, China time) or a
/// CEB date (`YYYYMMDD`).
pub fn is_time(element: &str) -> bool {
    matches!(element, "appTime" | "payTime")
}

/// Whether the field holds a CEB date (`YYYYMMDD`).
pub fn is_date(element: &str) -> bool {
    matches!(element, "declTime" | "ieDate")
}

/// A document's status — the receipt status codes of the specification
/// (CEB 202205 §4, `returnStatus`) and the platform's own `cancelled` and
/// `exited` — in `lang` (`kuajing_exchange::receipts_out::status_name` is
/// the Chinese one the receipts carry).
pub fn status_name(lang: Lang, code: &str) -> &'static str {
    let names = match code {
        "1" => (
            "电子口岸已暂存",
            "Saved as a draft",
            "Сохранено как черновик",
        ),
        "2" => ("电子口岸申报中", "Being declared", "Подаётся"),
        "100" => ("海关退单", "Refused by customs", "Отклонено таможней"),
        "120" => ("海关入库", "Accepted by customs", "Принято таможней"),
        "300" => ("人工审核", "Manual review", "Ручная проверка"),
        "399" => ("海关审结", "Concluded by customs", "Оформление завершено"),
        "500" => ("查验", "Inspection", "Досмотр"),
        "501" => (
            "扣留移送通关",
            "Detained, referred to clearance",
            "Задержано, передано в отдел оформления",
        ),
        "502" => (
            "扣留移送缉私",
            "Detained, referred to anti-smuggling",
            "Задержано, передано в службу по борьбе с контрабандой",
        ),
        "503" => (
            "扣留移送法规",
            "Detained, referred to legal affairs",
            "Задержано, передано в правовой отдел",
        ),
        "599" => ("其它扣留", "Detained, other", "Задержано (прочее)"),
        "800" => ("放行", "Released", "Выпущено"),
        "899" => ("结关", "Closed", "Закрыто"),
        "cancelled" => ("已撤销", "Cancelled", "Отменено"),
        "exited" => ("已离境", "Departed", "Вывезено"),
        _ => ("处理异常", "Processing error", "Ошибка обработки"),
    };
    pick(lang, names)
}

/// The status code a page shows beside the status's name: the
/// specification's numeric codes, nothing for the platform's own
/// (`cancelled`, `exited`), whose key is no code anyone looks up.
pub fn status_code(status: &str) -> String {
    if status.chars().all(|c| c.is_ascii_digit() || c == '-') {
        status.to_owned()
    } else {
        String::new()
    }
}

/// A risk rule's mode (`enforce`: a hit sends the list to an officer;
/// `monitor`: a hit is only recorded) in `lang`.
pub fn rule_mode(lang: Lang, mode: &str) -> &str {
    match mode {
        "enforce" => pick(lang, ("执行", "enforced", "применяется")),
        "monitor" => pick(lang, ("仅监测", "monitored only", "только наблюдение")),
        other => other,
    }
}

/// The tax regime of a bill (`kuajing_exchange::record`): inside the
/// single and yearly limits (duty 0, 70 % of VAT and consumption tax) or
/// the full tax of general trade (财关税〔2018〕49号), in `lang`.
pub fn tax_regime(lang: Lang, regime: &str) -> &str {
    match regime {
        "within-limits" => pick(
            lang,
            ("限值以内", "within the limits", "в пределах лимитов"),
        ),
        "full" => pick(lang, ("全额征税", "full tax", "полный налог")),
        other => other,
    }
}

/// Who decided, as a page names it: the platform's rules engine by name,
/// an officer by the login the decision recorded.
pub fn decided_by(lang: Lang, who: &str) -> String {
    match who {
        "engine" => pick(lang, ("规则引擎", "Rules engine", "Автоматические правила")).to_owned(),
        officer => officer.to_owned(),
    }
}

/// A text the platform stored in two languages — Chinese, then English,
/// on two lines (the engine's decision explanations) or joined by " / "
/// (the bonded ledger's, findings' and returns' reasons) — in the reader's
/// language: the Chinese part for Chinese, the English one for English,
/// and for Russian the English part put into Russian by the
/// phrasebook of the platform's own sentences (`portal::russian`) (English where a
/// sentence is not the platform's, such as a reason a person wrote). Any
/// other text (what a person wrote) as it is.
pub fn in_reader_language(lang: Lang, text: &str) -> Cow<'_, str> {
    let is_chinese = |part: &str| part.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for separator in ["\n", " / "] {
        if let Some((zh, en)) = text.split_once(separator)
            && is_chinese(zh)
            && !is_chinese(en)
        {
            return match lang {
                Lang::ZhCn => Cow::Borrowed(zh),
                Lang::En => Cow::Borrowed(en),
                Lang::Ru => super::russian::sentence(en).map_or(Cow::Borrowed(en), Cow::Owned),
            };
        }
    }
    Cow::Borrowed(text)
}

/// An English reason the platform wrote (a rule's explanation), in the
/// reader's language: Russian from the phrasebook (`portal::russian`) for a Russian
/// reader, as it is otherwise.
pub fn english_reason(lang: Lang, en: &str) -> Cow<'_, str> {
    match lang {
        Lang::Ru => super::russian::sentence(en).map_or(Cow::Borrowed(en), Cow::Owned),
        _ => Cow::Borrowed(en),
    }
}

/// What each action of the audit trail is called (the trail keeps the
/// action's key, which the filter takes), by key.
const AUDIT_ACTIONS: &[Term] = &[
    ("sign_in", "登录", "Signed in", "Вход"),
    ("sign_out", "退出登录", "Signed out", "Выход"),
    (
        "attachment.read",
        "查看附件",
        "Read an attachment",
        "Просмотр вложения",
    ),
    (
        "audit.read",
        "查看审计日志",
        "Read the audit trail",
        "Просмотр журнала аудита",
    ),
    (
        "ceb.receipts",
        "读取回执",
        "Read receipts",
        "Чтение квитанций",
    ),
    (
        "ceb.receive",
        "接收报文",
        "Received a message",
        "Приём сообщения",
    ),
    (
        "certificate.add",
        "登记签名证书",
        "Registered a signing certificate",
        "Регистрация сертификата подписи",
    ),
    (
        "clearance.board",
        "查看通关看板",
        "Opened the clearance board",
        "Просмотр табло оформления",
    ),
    (
        "clearance.decide",
        "作出通关决定",
        "Decided on a list",
        "Решение по списку",
    ),
    (
        "clearance.documents",
        "查看本企业单证",
        "Read own documents",
        "Просмотр своих документов",
    ),
    (
        "clearance.queue",
        "查看人工审核队列",
        "Read the review queue",
        "Просмотр очереди проверки",
    ),
    (
        "clearance.read",
        "查看清单",
        "Read a list",
        "Просмотр списка",
    ),
    (
        "clearance.read_personal",
        "查看完整个人信息",
        "Viewed personal information in full",
        "Просмотр персональных данных полностью",
    ),
    (
        "clearance.find_buyer",
        "按订购人证件号码查找清单",
        "Found lists by a buyer's ID number",
        "Поиск перечней по номеру документа покупателя",
    ),
    (
        "clearance.find",
        "查找清单",
        "Looked up lists",
        "Поиск перечней",
    ),
    (
        "clearance.watch",
        "列入布控名单",
        "Put a buyer on the watch list",
        "Постановка покупателя на контроль",
    ),
    (
        "clearance.unwatch",
        "移出布控名单",
        "Took a buyer off the watch list",
        "Снятие покупателя с контроля",
    ),
    (
        "clearance.watch_list",
        "查看布控名单",
        "Read the watch list",
        "Просмотр списка контроля",
    ),
    (
        "delegation.grant",
        "委托申报",
        "Granted a delegation",
        "Выдача поручения",
    ),
    (
        "delegation.read",
        "查看委托",
        "Read delegations",
        "Просмотр поручений",
    ),
    (
        "delegation.revoke",
        "撤销委托",
        "Revoked a delegation",
        "Отзыв поручения",
    ),
    (
        "demo.load",
        "载入演示数据",
        "Loaded demo data",
        "Загрузка демонстрационных данных",
    ),
    (
        "ems.count",
        "上传盘点",
        "Uploaded a stock count",
        "Загрузка инвентаризации",
    ),
    (
        "ems.finding.close",
        "关闭核对差异",
        "Closed a finding",
        "Закрытие расхождения",
    ),
    (
        "ems.findings",
        "查看核对差异",
        "Read findings",
        "Просмотр расхождений",
    ),
    (
        "ems.gate",
        "生成核放单",
        "Made a gate release list",
        "Формирование листа выпуска",
    ),
    (
        "ems.gate.pass",
        "记录车辆过卡",
        "Recorded a vehicle through the gate",
        "Запись проезда через КПП",
    ),
    (
        "ems.inspect",
        "检验检疫决定",
        "Decided an inspection",
        "Решение по досмотру",
    ),
    (
        "ems.line",
        "新增账册料号",
        "Added a book line",
        "Добавление позиции книги",
    ),
    (
        "ems.move",
        "记录账册变动",
        "Recorded a book movement",
        "Запись движения по книге",
    ),
    (
        "ems.open",
        "开设电子账册",
        "Opened a bonded book",
        "Открытие бондовой книги",
    ),
    (
        "ems.read",
        "查看电子账册",
        "Read a bonded book",
        "Просмотр бондовой книги",
    ),
    (
        "ems.reconcile",
        "账册核对",
        "Reconciled a book",
        "Сверка книги",
    ),
    (
        "ems.report",
        "生成报核",
        "Made a book report",
        "Формирование отчёта по книге",
    ),
    (
        "ems.report.send",
        "发送报核",
        "Sent a book report",
        "Отправка отчёта по книге",
    ),
    (
        "ems.verification",
        "生成核注清单",
        "Made a verification list",
        "Формирование листа сверки",
    ),
    ("ems.verify", "核注", "Verified releases", "Сверка выпусков"),
    (
        "exports.read",
        "查看出口",
        "Read exports",
        "Просмотр экспорта",
    ),
    (
        "exports.summaries",
        "查看汇总申报",
        "Read summary declarations",
        "Просмотр сводных деклараций",
    ),
    (
        "feed.read",
        "读取共享数据",
        "Read the shared feed",
        "Чтение общей ленты",
    ),
    (
        "filing.attach",
        "上传备案附件",
        "Attached a file to a filing",
        "Вложение к регистрации",
    ),
    (
        "filing.bulk",
        "批量备案",
        "Filed in bulk",
        "Пакетная регистрация",
    ),
    (
        "filing.edit",
        "修改备案",
        "Changed a filing",
        "Изменение регистрации",
    ),
    (
        "filing.submit",
        "提交备案",
        "Submitted a filing",
        "Подача регистрации",
    ),
    (
        "filing.approve",
        "批准备案",
        "Approved a filing",
        "Одобрение регистрации",
    ),
    (
        "filing.return",
        "退回备案",
        "Returned a filing",
        "Возврат регистрации",
    ),
    (
        "filing.suspend",
        "暂停备案",
        "Suspended a filing",
        "Приостановка регистрации",
    ),
    (
        "filing.reinstate",
        "恢复备案",
        "Reinstated a filing",
        "Восстановление регистрации",
    ),
    (
        "filing.revoke",
        "撤销备案",
        "Revoked a filing",
        "Отзыв регистрации",
    ),
    (
        "filing.read",
        "查看备案",
        "Read a filing",
        "Просмотр регистрации",
    ),
    (
        "filing.read_personal",
        "查看备案中的个人信息",
        "Read personal information in a filing",
        "Просмотр персональных данных регистрации",
    ),
    (
        "organisation.create",
        "新增机构",
        "Filed an organisation",
        "Регистрация организации",
    ),
    (
        "organisation.read",
        "查看机构",
        "Read an organisation",
        "Просмотр организации",
    ),
    (
        "organisation.read_personal",
        "查看机构联系人",
        "Read an organisation's contact person",
        "Просмотр контактного лица организации",
    ),
    (
        "organisation.status",
        "变更机构状态",
        "Changed an organisation's status",
        "Изменение статуса организации",
    ),
    (
        "purchase.read",
        "查看采购记录",
        "Read purchase records",
        "Просмотр записей о закупках",
    ),
    (
        "purchase.record",
        "记录采购",
        "Recorded a purchase",
        "Запись закупки",
    ),
    (
        "reference.import",
        "导入参考数据",
        "Imported reference data",
        "Импорт справочных данных",
    ),
    (
        "reference.seed",
        "载入初始参考数据",
        "Loaded the reference seed",
        "Загрузка исходных справочников",
    ),
    (
        "repair.material",
        "记录维修物料",
        "Recorded repair material",
        "Запись ремонтных материалов",
    ),
    (
        "repair.move",
        "记录维修进出",
        "Recorded a repair movement",
        "Запись движения ремонта",
    ),
    (
        "repair.open",
        "开设维修单",
        "Opened a repair order",
        "Открытие заказа на ремонт",
    ),
    (
        "repair.read",
        "查看维修单",
        "Read a repair order",
        "Просмотр заказа на ремонт",
    ),
    ("repair.scrap", "报废", "Scrapped goods", "Списание"),
    (
        "token.issue",
        "签发接口令牌",
        "Issued an API token",
        "Выпуск токена API",
    ),
    (
        "token.list",
        "查看接口令牌",
        "Listed API tokens",
        "Просмотр токенов API",
    ),
    (
        "token.revoke",
        "撤销接口令牌",
        "Revoked an API token",
        "Отзыв токена API",
    ),
    (
        "user.create",
        "新增用户",
        "Created a user",
        "Создание пользователя",
    ),
    (
        "user.list",
        "查看用户",
        "Listed users",
        "Просмотр пользователей",
    ),
    (
        "user.reset_password",
        "重置密码",
        "Reset a password",
        "Сброс пароля",
    ),
    (
        "warehouse.decide",
        "海外仓备案决定",
        "Decided an overseas warehouse",
        "Решение по зарубежному складу",
    ),
    (
        "warehouse.read",
        "查看海外仓",
        "Read overseas warehouses",
        "Просмотр зарубежных складов",
    ),
    (
        "warehouse.refile",
        "重新申报海外仓",
        "Refiled an overseas warehouse",
        "Повторная подача склада",
    ),
    (
        "warehouse.register",
        "登记海外仓",
        "Registered an overseas warehouse",
        "Регистрация зарубежного склада",
    ),
    (
        "webhook.pause",
        "暂停推送",
        "Paused a webhook",
        "Приостановка вебхука",
    ),
    (
        "webhook.replay",
        "重发推送",
        "Replayed webhook deliveries",
        "Повтор доставки вебхука",
    ),
    (
        "webhook.resume",
        "恢复推送",
        "Resumed a webhook",
        "Возобновление вебхука",
    ),
    (
        "webhook.subscribe",
        "订阅推送",
        "Subscribed a webhook",
        "Подписка на вебхук",
    ),
];

/// The name in `lang` of the audit trail's action `key`, if it has one.
pub fn audit_action(lang: Lang, key: &str) -> Option<&'static str> {
    AUDIT_ACTIONS
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|term| pick(lang, (term.1, term.2, term.3)))
}

fn pick(lang: Lang, (zh, en, ru): (&'static str, &'static str, &'static str)) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
        Lang::Ru => ru,
    }
}

/// A CEB time `YYYYMMDDhhmmss` (China time, as the specification writes
/// it) as `2026-11-27 10:30:00`; other text as it is.
pub fn ceb_time(text: &str) -> String {
    let digits = text.len() == 14 && text.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return text.to_owned();
    }
    format!(
        "{}-{}-{} {}:{}:{}",
        &text[..4],
        &text[4..6],
        &text[6..8],
        &text[8..10],
        &text[10..12],
        &text[12..14]
    )
}

/// A CEB date `YYYYMMDD` as `2026-11-27`; other text as it is.
pub fn ceb_date(text: &str) -> String {
    let digits = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return text.to_owned();
    }
    format!("{}-{}-{}", &text[..4], &text[4..6], &text[6..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_and_audit_action_is_named_in_every_language_once() {
        for table in [FIELDS, AUDIT_ACTIONS] {
            named_once(table);
        }
    }

    fn named_once(table: &[Term]) {
        for (i, (element, zh, en, ru)) in table.iter().enumerate() {
            assert!(
                !zh.is_empty() && !en.is_empty() && !ru.is_empty(),
                "{element}"
            );
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{element}"
            );
            assert!(en.is_ascii(), "{element}: {en}");
            assert!(
                ru.chars().any(
                    |c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)) || c == '№'
                ),
                "{element}: {ru}"
            );
            assert!(
                FIELDS[i + 1..].iter().all(|(e, ..)| e != element),
                "{element} twice"
            );
        }
    }

    #[test]
    fn times_and_dates_read_as_people_write_them() {
        assert_eq!(ceb_time("20261127103000"), "2026-11-27 10:30:00");
        assert_eq!(ceb_date("20261127"), "2026-11-27");
        assert_eq!(ceb_time("2026-11-27"), "2026-11-27");
        assert_eq!(
            code_name(Lang::Ru, "trafMode", "4"),
            Some("Автомобильный транспорт")
        );
        assert_eq!(label(Lang::En, "buyerIdNumber"), Some("Buyer's ID number"));
        assert_eq!(label(Lang::En, "noSuchField"), None);
        assert_eq!(
            audit_action(Lang::En, "organisation.read_personal"),
            Some("Read an organisation's contact person")
        );
        assert_eq!(status_name(Lang::En, "800"), "Released");
        assert_eq!(status_name(Lang::Ru, "exited"), "Вывезено");
        assert_eq!(decided_by(Lang::ZhCn, "engine"), "规则引擎");
        assert_eq!(
            in_reader_language(Lang::ZhCn, "放行：一致\nReleased: agrees"),
            "放行：一致"
        );
        assert_eq!(
            in_reader_language(Lang::En, "放行：一致\nReleased: agrees"),
            "Released: agrees"
        );
        assert_eq!(in_reader_language(Lang::En, "人工核验无误"), "人工核验无误");
        assert_eq!(
            in_reader_language(Lang::Ru, "退货入区 / customer return (CEB625)"),
            "возврат покупателем (CEB625)"
        );
        assert_eq!(
            in_reader_language(Lang::Ru, "买家退货 / returned by the buyer"),
            "returned by the buyer",
            "not the platform's sentence: as written"
        );
        assert_eq!(
            in_reader_language(
                Lang::Ru,
                "转人工审核：…\nSent to an officer: risk rule watch-list/1: the buyer's ID number is on the watch list; risk rule R01-buyer-frequency/1: the buyer has 5 lists within 24 hours"
            ),
            "Передано инспектору: правило риска watch-list/1: номер документа покупателя в контрольном списке; правило риска R01-buyer-frequency/1: у покупателя 5 перечней за 24 ч"
        );
        assert_eq!(
            in_reader_language(Lang::ZhCn, "退货入区 / customer return (CEB625)"),
            "退货入区"
        );
        assert_eq!(decided_by(Lang::En, "officer-1"), "officer-1");
    }
}
