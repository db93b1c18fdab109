//! The kinds of reference table and their CSV columns.

use std::fmt;
use std::str::FromStr;

/// A reference table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReferenceKind {
    /// The customs tariff (税则): commodity code → name, legal units, rates.
    Tariff,
    /// Customs country (region) codes (国别(地区)代码), 3 digits, with ISO alpha-2.
    Country,
    /// Customs currency codes (币制代码), 3 digits, with ISO alpha-3.
    Currency,
    /// Measurement-unit codes (计量单位代码), 3 digits.
    Unit,
    /// Customs district and port codes (关区代码), 4 digits; CEB `customsCode`
    /// and `portCode` both take them.
    Customs,
    /// Administrative division codes (行政区划代码, GB/T 2260), 6 digits.
    Division,
}

impl ReferenceKind {
    /// Every kind, in loading order (units before the tariff that uses them).
    pub const ALL: [ReferenceKind; 6] = [
        ReferenceKind::Unit,
        ReferenceKind::Country,
        ReferenceKind::Currency,
        ReferenceKind::Customs,
        ReferenceKind::Division,
        ReferenceKind::Tariff,
    ];

    /// The name used on the command line and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "tariff",
            ReferenceKind::Country => "country",
            ReferenceKind::Currency => "currency",
            ReferenceKind::Unit => "unit",
            ReferenceKind::Customs => "customs",
            ReferenceKind::Division => "division",
        }
    }

    /// The exact header row an import file must have (the contract of
    /// `kuajing reference import`).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ReferenceKind::Tariff => &[
                "hs_code",
                "name_zh",
                "unit1",
                "unit2",
                "vat_rate",
                "ct_kind",
                "ct_ad_valorem_rate",
                "ct_specific_amount",
                "ct_specific_unit",
                "mfn_duty_rate",
                "positive_list",
                "positive_list_remark",
            ],
            ReferenceKind::Country => &["code", "name_zh", "iso_alpha2"],
            ReferenceKind::Currency => &["code", "name_zh", "iso_alpha3"],
            ReferenceKind::Unit | ReferenceKind::Customs | ReferenceKind::Division => {
                &["code", "name_zh"]
            }
        }
    }

    /// The header of a code list that also carries its names in English and
    /// Russian (the portal shows codes by name in the reader's language):
    /// [`ReferenceKind::columns`] then `name_en,name_ru`. The tariff has no
    /// such form (its names are the Chinese legal descriptions).
    pub fn translated_columns(self) -> Option<&'static [&'static str]> {
        match self {
            ReferenceKind::Tariff => None,
            ReferenceKind::Country => {
                Some(&["code", "name_zh", "iso_alpha2", "name_en", "name_ru"])
            }
            ReferenceKind::Currency => {
                Some(&["code", "name_zh", "iso_alpha3", "name_en", "name_ru"])
            }
            ReferenceKind::Unit | ReferenceKind::Customs | ReferenceKind::Division => {
                Some(&["code", "name_zh", "name_en", "name_ru"])
            }
        }
    }

    /// Digits in a code of this kind (`None` for the tariff, whose key is a
    /// commodity code).
    pub fn code_digits(self) -> Option<usize> {
        match self {
            ReferenceKind::Tariff => None,
            ReferenceKind::Country | ReferenceKind::Currency | ReferenceKind::Unit => Some(3),
            ReferenceKind::Customs => Some(4),
            ReferenceKind::Division => Some(6),
        }
    }

    /// Name in Chinese, for messages and pages.
    pub fn label_zh(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "税则",
            ReferenceKind::Country => "国别(地区)代码",
            ReferenceKind::Currency => "币制代码",
            ReferenceKind::Unit => "计量单位代码",
            ReferenceKind::Customs => "关区代码",
            ReferenceKind::Division => "行政区划代码",
        }
    }

    /// Name in Russian.
    pub fn label_ru(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "таможенный тариф",
            ReferenceKind::Country => "коды стран",
            ReferenceKind::Currency => "коды валют",
            ReferenceKind::Unit => "коды единиц измерения",
            ReferenceKind::Customs => "коды таможенных округов и пунктов",
            ReferenceKind::Division => "коды административного деления",
        }
    }

    /// The legal source of the table — the official code table or
    /// instrument it reproduces — in Chinese, English and Russian, for
    /// pages (the rows' `source` cells record where each value was read).
    pub fn legal_source(self) -> [&'static str; 3] {
        match self {
            ReferenceKind::Tariff => [
                "《中华人民共和国进出口税则》（国务院关税税则委员会，按年度发布）；跨境电子商务零售进口商品清单（财政部等公告2019年第96号）；增值税税率：财政部 税务总局 海关总署公告2019年第39号",
                "Import and Export Tariff of the People's Republic of China (State Council Tariff Commission, yearly); the cross-border e-commerce retail import list (MOF and others, announcement 2019 No. 96); VAT rates: MOF, STA and GACC announcement 2019 No. 39",
                "Импортно-экспортный тариф КНР (Тарифная комиссия Госсовета, ежегодно); перечень товаров розничного импорта трансграничной электронной торговли (объявление Минфина и др. 2019 № 96); ставки НДС: объявление Минфина, ГНУ и ГТУ 2019 № 39",
            ],
            ReferenceKind::Country => [
                "海关《国别（地区）代码表》（《中华人民共和国海关进出口货物报关单填制规范》附录）",
                "GACC country (region) code table (appendix to the customs declaration form filling rules)",
                "Таблица кодов стран (регионов) ГТУ КНР (приложение к правилам заполнения таможенной декларации)",
            ],
            ReferenceKind::Currency => [
                "海关《货币代码表》（《中华人民共和国海关进出口货物报关单填制规范》附录）",
                "GACC currency code table (appendix to the customs declaration form filling rules)",
                "Таблица кодов валют ГТУ КНР (приложение к правилам заполнения таможенной декларации)",
            ],
            ReferenceKind::Unit => [
                "海关《计量单位代码表》（《中华人民共和国海关进出口货物报关单填制规范》附录）",
                "GACC measurement unit code table (appendix to the customs declaration form filling rules)",
                "Таблица кодов единиц измерения ГТУ КНР (приложение к правилам заполнения таможенной декларации)",
            ],
            ReferenceKind::Customs => [
                "海关《关区代码表》（《中华人民共和国海关进出口货物报关单填制规范》附录）",
                "GACC customs district code table (appendix to the customs declaration form filling rules)",
                "Таблица кодов таможенных округов ГТУ КНР (приложение к правилам заполнения таможенной декларации)",
            ],
            ReferenceKind::Division => [
                "GB/T 2260《中华人民共和国行政区划代码》；国家统计局统计用区划代码",
                "GB/T 2260 Codes for the administrative divisions of the People's Republic of China; NBS statistical division codes",
                "GB/T 2260 «Коды административного деления КНР»; статистические коды деления Госстата КНР",
            ],
        }
    }

    /// Name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            ReferenceKind::Tariff => "tariff",
            ReferenceKind::Country => "country codes",
            ReferenceKind::Currency => "currency codes",
            ReferenceKind::Unit => "measurement-unit codes",
            ReferenceKind::Customs => "customs district and port codes",
            ReferenceKind::Division => "administrative division codes",
        }
    }
}

impl fmt::Display for ReferenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind name that is not one of [`ReferenceKind::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown reference kind '{0}'; use tariff, country, currency, unit, customs or division")]
pub struct UnknownKind(pub String);

impl FromStr for ReferenceKind {
    type Err = UnknownKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReferenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}
