//! Example messages for integrators (`kuajing ceb sample CEB621`): every
//! message type filled with one consistent story — a jar of Far-East linden
//! honey (椴树蜂蜜) sold by a Hunchun e-commerce enterprise, bonded import
//! (1210) through the zone's warehouse, paid, shipped and cleared; and for
//! the export side, the same enterprise selling to a buyer in Russia.
//!
//! Each example passes [`crate::validate`] and the official XSD: the
//! arithmetic holds (2 × 168.00 = 336.00; paid 336.00 + 10.00 + 31.49 −
//! 0 = 377.49, the payment's amount), the keys agree across documents
//! (order, payment, waybill and list share the order and waybill numbers).
//! All parties, people and numbers are fictitious. Declarations that must
//! be signed carry a placeholder signature, as the official samples do:
//! sign them with `kuajing ceb sign` before sending.

use serde_json::{Map, Value};

use crate::entity::{EntityMeta, Facet, FieldSpec};
use crate::model::signature::{
    CanonicalizationMethod, DigestMethod, KeyInfo, Reference, Signature, SignatureMethod,
    SignedInfo, Transform, Transforms, X509Data,
};
use crate::model::{Direction, Message, MessageType, message_from_json, root_meta};

/// An example message of `message_type` that passes validation.
pub fn sample(message_type: MessageType) -> Message {
    let root = root_meta(message_type);
    let story = Story {
        direction: message_type.direction(),
        message_type,
    };
    let json = story.entity(&root);
    // The story covers every field of the catalogue; a field it did not
    // know would be an issue here, and the tests hold it to none.
    let mut issues = Vec::new();
    let mut message = message_from_json(message_type, &json, &mut issues);
    if message_type.signature_required()
        && let Some(slot) = message.signature_slot()
    {
        *slot = Some(placeholder_signature());
    }
    message
}

/// A signature of the right shape with zeroed values, like the official
/// samples' (ceb-messages.md §4.4): schema-valid, not a real signature.
pub fn placeholder_signature() -> Signature {
    let algorithm = |uri: &str| uri.to_owned();
    Signature {
        id: None,
        signed_info: SignedInfo {
            canonicalization_method: CanonicalizationMethod {
                algorithm: algorithm("http://www.w3.org/TR/2001/REC-xml-c14n-20010315"),
            },
            signature_method: SignatureMethod {
                algorithm: algorithm("http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3"),
            },
            reference: vec![Reference {
                uri: Some(String::new()),
                transforms: Some(Transforms {
                    transform: vec![Transform {
                        algorithm: algorithm(
                            "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
                        ),
                    }],
                }),
                digest_method: DigestMethod {
                    algorithm: algorithm("http://www.chinaport.gov.cn/2022/04/xmldsig#sm3"),
                },
                digest_value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned(),
            }],
        },
        signature_value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
            .to_owned(),
        key_info: Some(KeyInfo {
            key_name: Some("0000000000000000".to_owned()),
            x509_data: Some(X509Data {
                x509_certificate: Some("AAAA".to_owned()),
            }),
        }),
    }
}

struct Story {
    direction: Direction,
    message_type: MessageType,
}

impl Story {
    fn entity(&self, meta: &EntityMeta) -> Value {
        let mut object = Map::new();
        for attribute in meta.attributes {
            if let Some(value) = self.value(meta.name, attribute.name, attribute.facet) {
                object.insert(attribute.name.to_owned(), Value::String(value));
            }
        }
        for field in meta.fields {
            if let Some(value) = self.field(meta, field) {
                object.insert(field.name.to_owned(), value);
            }
        }
        Value::Object(object)
    }

    fn field(&self, parent: &EntityMeta, field: &FieldSpec) -> Option<Value> {
        if let Some(child) = field.child {
            let child = child();
            // Optional blocks (subscriptions, extensions, signatures) are
            // left out; the signature is added where it is required.
            if matches!(field.facet, Facet::Occurs { min: 0, .. }) {
                return None;
            }
            let entity = self.entity(&child);
            return Some(if field.repeats {
                Value::Array(vec![entity])
            } else {
                entity
            });
        }
        let value = self.value(parent.name, field.name, field.facet);
        if value.is_none() && field.required {
            // Every required field has a value in the story.
            return Some(Value::String(String::new()));
        }
        value.map(Value::String)
    }

    /// The story's value of `field` in `entity`.
    fn value(&self, entity: &str, field: &str, facet: Facet) -> Option<String> {
        let import = self.direction == Direction::Import;
        let text = match (entity, field) {
            // Root attributes and heads.
            (_, "guid") => guid(self.message_type),
            (_, "version") => "1.0",
            (_, "appType") => "1",
            (_, "appStatus") => "2",
            (_, "appTime") => "20261127103000",
            (_, "orderType") if import => "I",
            (_, "orderType") => "E",
            (_, "orderNo") => "HC20261127000001",
            // Parties (fictitious).
            (_, "ebpCode") => "2224960001",
            (_, "ebpName") => "珲春跨境购电子商务平台有限公司",
            (_, "ebcCode") | (_, "agentCode") | (_, "assureCode") | (_, "ownerCode") => {
                "2224960004"
            }
            (_, "ebcName") | (_, "agentName") | (_, "ownerName") => "珲春俄品汇电子商务有限公司",
            (_, "ebcTelephone") => "04336551204",
            (_, "declAgentCode") => "2224980003",
            (_, "declAgentName") => "珲春通达报关有限公司",
            (_, "logisticsCode") => "2224980001",
            (_, "logisticsName") => "珲春国际速递有限公司",
            (_, "payCode") => "2224970001",
            (_, "payName") => "珲春跨境支付服务有限公司",
            (_, "operatorCode") => "2224990001",
            (_, "operatorName") => "珲春跨境电商监管中心运营有限公司",
            (_, "areaCode") => "2224990002",
            (_, "areaName") => "珲春综合保税仓储有限公司",
            (_, "iacCode") => "2224960004",
            (_, "iacName") => "珲春俄品汇电子商务有限公司",
            ("BaseTransfer", "copCode") => "2224960004",
            ("BaseTransfer", "copName") => "珲春俄品汇电子商务有限公司",
            (_, "dxpMode") => "DXP",
            (_, "dxpId") => "DXPENT0000224960",
            // Money in CNY (fixed for import; the export sale is priced in
            // yuan too), one line of 2 × 168.00.
            (_, "currency") | (_, "fCurrency") | (_, "iCurrency") => "142",
            (_, "goodsValue") => "336.00",
            (_, "freight") => "10.00",
            (_, "discount") => "0",
            (_, "taxTotal") => "31.49",
            (_, "acturalPaid") | (_, "amountPaid") => "377.49",
            (_, "charge") => "336.00",
            (_, "insuredFee") => "0",
            (_, "qty") => "2",
            (_, "qty1") => "1",
            (_, "price") => "168.00",
            (_, "totalPrice") => "336.00",
            (_, "taxPrice") => "346.00",
            (_, "customsTax") | (_, "consumptionTax") => "0",
            (_, "valueAddedTax") => "31.49",
            (_, "weight") | (_, "grossWeight") => "1.20",
            (_, "netWeight") => "1.00",
            // The buyer (fictitious).
            (_, "buyerRegNo") => "hc_buyer_8800123",
            (_, "buyerName") | (_, "payerName") | (_, "consignee") => "张三",
            (_, "buyerTelephone") | (_, "telephone") | (_, "consigneeTelephone") => "13800138000",
            (_, "buyerIdType") | (_, "payerIdType") => "1",
            (_, "buyerIdNumber") | (_, "payerIdNumber") => "330106200001010013",
            (_, "consigneeAddress") => "吉林省延边朝鲜族自治州珲春市靖和街道河南路99号",
            (_, "consigneeDistrict") => "222404",
            (_, "payTransactionId") | (_, "payNo") => "HCPAY2026112700000001",
            (_, "payTime") => "20261127102955",
            (_, "accountingDate") => "20261127102955",
            (_, "batchNumbers") => "LOT20261001",
            // The goods: Far-East linden honey.
            (_, "gnum") => "1",
            (_, "gseqno") => "1",
            (_, "itemNo") => "HONEY-500",
            (_, "itemRecordNo") => "1",
            (_, "itemName") | (_, "gname") => "椴树蜂蜜",
            (_, "itemDescribe") => "远东椴树蜂蜜500克/瓶",
            (_, "gmodel") => "500克/瓶|椴树蜜|远东蜂场",
            (_, "barCode") => "4607001234566",
            (_, "gcode") => "0409000000",
            (_, "unit") => "007",
            (_, "unit1") => "035",
            ("OrderList", "country") | ("InventoryList", "country") => "344",
            (_, "country") if import && self.message_type == MessageType::Ceb621 => "142",
            (_, "country") => "344",
            (_, "tradeCountry") => "344",
            (_, "POD") => "344",
            (_, "goodsInfo") => "椴树蜂蜜*2",
            // Logistics.
            (_, "logisticsNo") => "HCEX2026112700001",
            (_, "billNo") => "HC2026112700B01",
            (_, "packNo") | (_, "totalPackageNo") => "1",
            (_, "logisticsStatus") => "S",
            (_, "logisticsTime") => "20261129150000",
            (_, "trafMode") => "4",
            (_, "trafName") => "吉H12345",
            (_, "trafNo") => "吉H12345",
            (_, "voyageNo") => "20261127",
            (_, "domesticTrafNo") => "吉H12345",
            (_, "wrapType") => "2",
            (_, "leaveTime") => "20261128090000",
            (_, "unloadLocation") => "珲春综合保税区跨境电商监管中心",
            (_, "location") => "珲春综合保税区跨境电商监管中心",
            // Declaration numbers and customs.
            (_, "customsCode") | (_, "portCode") => "2991",
            (_, "ieFlag")
                if import
                    || matches!(self.message_type, MessageType::Ceb213 | MessageType::Ceb215) =>
            {
                "I"
            }
            (_, "ieFlag") => "E",
            (_, "declTime") | (_, "ieDate") => "20261127",
            (_, "tradeMode") if import => "1210",
            (_, "tradeMode") => "9610",
            (_, "emsNo") => "T2991W000001",
            (_, "copNo") => "HCINV2026112700001",
            (_, "preNo") => "B20261127000000001",
            (_, "invtNo") => "299120261000000001",
            (_, "coElNo") => "HCRET2026112700001",
            (_, "rkdNo") => "HCRKD20261127001",
            (_, "reason") => "买家取消订单",
            (_, "statisticsFlag") => "A",
            (_, "fFlag") | (_, "iFlag") => "3",
            (_, "msgCount") | (_, "msgSeqNo") => "1",
            (_, "summaryFlag") => "1",
            (_, "itemNameFlag") => "1",
            (_, "sumNo") => "299120261000000001",
            (_, "opDate") => "20261130100000000",
            (_, "declSeqNo") => "299120261000000001",
            (_, "decState") => "1",
            // Receipts and the tax bill.
            (_, "returnStatus") => receipt_status(self.message_type),
            (_, "returnTime") => "20261127103512345",
            (_, "returnInfo") => receipt_info(self.message_type),
            (_, "taxNo") => "299120261000000001-01",
            ("TaxHeadRd", "status") | ("TaxHeadStatus", "status") => "1",
            ("BaseSubscribe", "status") => "ALL",
            (_, "oriCopMsgId") => "F0CDF14E-42C1-47B6-AED1-CA56BA887518",
            (_, "oriMessageType") => "CEB311Message",
            (_, "oriBizMessage") => "<ceb:CEB311Message/>",
            _ => return None,
        };
        Some(text.to_owned()).filter(|t| fits(t, facet))
    }
}

/// A fixed upper-case guid per message type, the same in root and head (as
/// the official samples have it).
fn guid(message_type: MessageType) -> &'static str {
    match message_type.role() {
        crate::model::Role::Declaration => "E1D582D8-ABCC-4DF1-9A98-42199A6D3F7E",
        crate::model::Role::Receipt => "3F39EAEC-54C0-48AC-B6C0-45F2F3727691",
    }
}

fn receipt_status(message_type: MessageType) -> &'static str {
    match message_type {
        MessageType::Ceb622 => "800",
        MessageType::Ceb900 => "-1",
        _ => "2",
    }
}

fn receipt_info(message_type: MessageType) -> &'static str {
    match message_type {
        MessageType::Ceb622 => "放行",
        MessageType::Ceb900 => "报文格式校验失败",
        _ => "新增申报成功",
    }
}

fn fits(text: &str, facet: Facet) -> bool {
    match facet {
        Facet::Text { min, max, .. } => {
            let length = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
            (min..=max).contains(&length)
        }
        _ => true,
    }
}
