//! The glossary (术语表) of the customs documents' fields, so that pages
//! speak business language in the reader's language instead of the CEB
//! message's element names (issue #17): each field of the import order,
//! payment, waybill and declaration list heads and of a list's goods lines
//! (CEB 202205 specification, §§ 3.1–3.4) with its Chinese term, as
//! customs officers know it, and its English and Russian names; and the
//! names of the codes those fields hold where the specification lists them.

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
/// language: the Chinese part for Chinese, the English one otherwise (no
/// Russian is stored; English is the nearer for a Russian reader than
/// Chinese). Any other text (what a person wrote) as it is.
pub fn in_reader_language(lang: Lang, text: &str) -> &str {
    let is_chinese = |part: &str| part.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    for separator in ["\n", " / "] {
        if let Some((zh, en)) = text.split_once(separator)
            && is_chinese(zh)
            && !is_chinese(en)
        {
            return match lang {
                Lang::ZhCn => zh,
                Lang::En | Lang::Ru => en,
            };
        }
    }
    text
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
    fn every_field_is_named_in_every_language_once() {
        for (i, (element, zh, en, ru)) in FIELDS.iter().enumerate() {
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
            "customer return (CEB625)"
        );
        assert_eq!(
            in_reader_language(Lang::ZhCn, "退货入区 / customer return (CEB625)"),
            "退货入区"
        );
        assert_eq!(decided_by(Lang::En, "officer-1"), "officer-1");
    }
}
