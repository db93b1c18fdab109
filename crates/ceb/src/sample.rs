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
//!
//! [`sample`] tells the story on one fixed day (27 November 2026), so that
//! it is the same every time. What is built to be sent now — [`dated_today`]
//! (`kuajing ceb sample`), [`Parcel::numbered`] and
//! [`export::ExportParcel::numbered`] — is dated today in China instead: a
//! list's declaration date is the day the receiving system accepts it (the
//! XSD's `declTime`: "以海关计算机系统接受清单申报数据时记录的日期为准"), and
//! a receiver refuses one dated far from that day.

pub mod export;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::entity::{EntityMeta, Facet, FieldSpec};
use crate::model::import::{
    CEB311Message, CEB411Message, CEB511Message, CEB621Message, CEB623Message, CEB625Message,
};
use crate::model::signature::{
    CanonicalizationMethod, DigestMethod, KeyInfo, Reference, Signature, SignatureMethod,
    SignedInfo, Transform, Transforms, X509Data,
};
use crate::model::{Direction, Message, MessageType, message_from_json, root_meta};

/// An example message of `message_type` that passes validation, on the
/// story's fixed day.
pub fn sample(message_type: MessageType) -> Message {
    story_of(message_type, None)
}

/// The example message of `message_type` declared today: its declaration
/// dates (`declTime`; a CEB603 list's `appTime`, which is where the export
/// list carries it) are today's in China, so that it can be sent as it is.
pub fn dated_today(message_type: MessageType) -> Message {
    story_of(message_type, Some(now_in_china()))
}

/// Today in China (UTC+8, the zone every CEB time is written in) as
/// `yyyyMMdd`.
pub fn today() -> String {
    now_in_china().get(..8).unwrap_or_default().to_owned()
}

/// Now in China as `yyyyMMddHHmmss` (an `appTime`).
fn now_in_china() -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::now_utc().to_offset(offset);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The story of `message_type`, declared at `declared` (`yyyyMMddHHmmss`)
/// or on the story's own day.
fn story_of(message_type: MessageType, declared: Option<String>) -> Message {
    let root = root_meta(message_type);
    let story = Story {
        direction: message_type.direction(),
        message_type,
        declared,
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
    /// The declaration time (`yyyyMMddHHmmss`) when not the story's own.
    declared: Option<String>,
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
        if let Some(at) = &self.declared {
            match (self.message_type, field) {
                (_, "declTime") => return at.get(..8).map(str::to_owned),
                (MessageType::Ceb603, "appTime") => return Some(at.clone()),
                _ => {}
            }
        }
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

/// The four import declarations of one parcel of the example story —
/// order (CEB311), payment (CEB411), waybill (CEB511) and declaration
/// list (CEB621) — made unique by a number: its own order, payment,
/// waybill and list numbers, buyer (a valid resident ID number), telephone
/// and address, and message guids; each message transmitted by its own
/// sender ([`Parcel::EBP`], [`Parcel::PAY`], [`Parcel::LOGISTICS`],
/// [`Parcel::EBC`]). For tests, load generators and integrators' trials:
/// the four agree with each other exactly as ceb-messages.md §3.2 asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Parcel {
    /// The order, sent by the platform.
    pub order: CEB311Message,
    /// The payment, sent by the payment company.
    pub payment: CEB411Message,
    /// The waybill, sent by the logistics company.
    pub waybill: CEB511Message,
    /// The list, sent (and declared) by the e-commerce enterprise.
    pub list: CEB621Message,
}

impl Parcel {
    /// The platform of the story (ebpCode).
    pub const EBP: &'static str = "2224960001";
    /// The e-commerce enterprise, which declares the list (ebcCode, agentCode).
    pub const EBC: &'static str = "2224960004";
    /// The payment company (payCode).
    pub const PAY: &'static str = "2224970001";
    /// The logistics company (logisticsCode).
    pub const LOGISTICS: &'static str = "2224980001";
    /// The zone warehouse enterprise keeping the bonded account book
    /// (areaCode: the list is a 1210 list, as the official sample).
    pub const WAREHOUSE: &'static str = "2224990002";
    /// The bonded account book the list draws on (emsNo).
    pub const BOOK: &'static str = "T2991W000001";
    /// The honey's item record number in the book (itemRecordNo).
    pub const ITEM: &'static str = "1";
    /// The unit the list declares the honey in (`unit`, 007 个).
    pub const UNIT: &'static str = "007";

    /// Parcel number `n` (a jar of honey, 2 × CNY 168.00 + 10.00 freight,
    /// CNY 377.49 paid), its list declared today in China (built to be
    /// sent now: see the module's notes).
    pub fn numbered(n: u32) -> Parcel {
        let (Message::Ceb311(mut order), Message::Ceb411(mut payment)) =
            (sample(MessageType::Ceb311), sample(MessageType::Ceb411))
        else {
            unreachable!("sample gives the message of the type asked for")
        };
        let (Message::Ceb511(mut waybill), Message::Ceb621(mut list)) =
            (sample(MessageType::Ceb511), sample(MessageType::Ceb621))
        else {
            unreachable!("sample gives the message of the type asked for")
        };
        let order_no = format!("HC-T{n:06}");
        let logistics_no = format!("HCEX-T{n:06}");
        let transaction = format!("PAY-T{n:06}");
        let buyer = resident_id(n);
        let phone = format!("139{n:08}");
        let address = format!("吉林省珲春市河南路{n}号");
        for o in &mut order.order {
            let o = &mut o.order_head;
            o.order_no.clone_from(&order_no);
            o.buyer_id_number.clone_from(&buyer);
            o.buyer_telephone.clone_from(&phone);
            o.consignee_telephone.clone_from(&phone);
            o.consignee_address.clone_from(&address);
            o.pay_transaction_id = Some(transaction.clone());
        }
        for p in &mut payment.payment {
            let p = &mut p.payment_head;
            p.order_no.clone_from(&order_no);
            p.pay_transaction_id.clone_from(&transaction);
            p.payer_id_number.clone_from(&buyer);
            p.telephone = Some(phone.clone());
        }
        for w in &mut waybill.logistics {
            let w = &mut w.logistics_head;
            w.order_no.clone_from(&order_no);
            w.logistics_no.clone_from(&logistics_no);
            w.consignee_telephone.clone_from(&phone);
            w.consignee_address.clone_from(&address);
        }
        for l in &mut list.inventory {
            let l = &mut l.inventory_head;
            l.order_no.clone_from(&order_no);
            l.logistics_no.clone_from(&logistics_no);
            l.cop_no = Some(format!("HCINV-T{n:06}"));
            l.buyer_id_number.clone_from(&buyer);
            l.buyer_telephone.clone_from(&phone);
            l.consignee_address.clone_from(&address);
        }
        order.base_transfer.cop_code = Parcel::EBP.to_owned();
        payment.base_transfer.cop_code = Parcel::PAY.to_owned();
        waybill.base_transfer.cop_code = Parcel::LOGISTICS.to_owned();
        list.base_transfer.cop_code = Parcel::EBC.to_owned();
        let mut parcel = Parcel {
            order,
            payment,
            waybill,
            list,
        };
        parcel.set_guids(|kind| numbered_guid(kind, n));
        parcel.declared_on(&today())
    }

    /// The same parcel with its list declared on `day` (`declTime`,
    /// `yyyyMMdd`).
    #[must_use]
    pub fn declared_on(mut self, day: &str) -> Parcel {
        for list in &mut self.list.inventory {
            list.inventory_head.decl_time = day.to_owned();
        }
        self
    }

    /// Gives each message the guid `guid(kind)` returns for its kind (1
    /// order, 2 payment, 3 waybill, 4 list); a message with a guid already
    /// sent is a resend.
    pub fn set_guids(&mut self, mut guid: impl FnMut(u8) -> String) {
        self.order.guid = guid(1);
        self.payment.guid = guid(2);
        self.waybill.guid = guid(3);
        self.list.guid = guid(4);
    }

    /// The one goods line at `price` a unit: every amount that follows
    /// from it (line totals, goods value, amount paid) changed with it in
    /// all four documents.
    #[must_use]
    pub fn priced(mut self, price: Decimal) -> Parcel {
        for order in &mut self.order.order {
            let qty = order.order_list.first().map_or(Decimal::ZERO, |l| l.qty);
            for line in &mut order.order_list {
                line.price = price;
                line.total_price = price * line.qty;
            }
            let head = &mut order.order_head;
            head.goods_value = price * qty;
            head.actural_paid = head.goods_value + head.freight + head.tax_total - head.discount;
            for payment in &mut self.payment.payment {
                payment.payment_head.amount_paid = head.actural_paid;
            }
        }
        for list in &mut self.list.inventory {
            for line in &mut list.inventory_list {
                line.price = price;
                line.total_price = price * line.qty;
            }
        }
        self
    }
}

impl Parcel {
    /// The same parcel declared as a direct purchase (9610 直购进口): no
    /// bonded account book, the cross-border conveyance declared instead,
    /// shipped from Hong Kong (344).
    #[must_use]
    pub fn direct_purchase(mut self) -> Parcel {
        for list in &mut self.list.inventory {
            let head = &mut list.inventory_head;
            head.trade_mode = "9610".to_owned();
            head.ems_no = None;
            head.area_code = None;
            head.area_name = None;
            head.country = "344".to_owned();
            head.traf_no = Some("吉H12345".to_owned());
            head.voyage_no = Some("20261127".to_owned());
            head.bill_no = Some("HC2026112700B01".to_owned());
            for line in &mut list.inventory_list {
                line.item_record_no = None;
            }
        }
        self
    }

    /// The same 1210 parcel drawing on item record number `item` of its
    /// book.
    #[must_use]
    pub fn with_item(mut self, item: &str) -> Parcel {
        for list in &mut self.list.inventory {
            for line in &mut list.inventory_list {
                line.item_record_no = Some(item.to_owned());
            }
        }
        self
    }

    /// The freight `freight` (CNY), in the order, the waybill and the list,
    /// with the amount paid following.
    #[must_use]
    pub fn with_freight(mut self, freight: Decimal) -> Parcel {
        for order in &mut self.order.order {
            let head = &mut order.order_head;
            head.freight = freight;
            head.actural_paid = head.goods_value + head.freight + head.tax_total - head.discount;
            for payment in &mut self.payment.payment {
                payment.payment_head.amount_paid = head.actural_paid;
            }
        }
        for waybill in &mut self.waybill.logistics {
            waybill.logistics_head.freight = Some(freight);
        }
        for list in &mut self.list.inventory {
            list.inventory_head.freight = freight;
        }
        self
    }
}

impl Parcel {
    /// A cancellation (CEB623) of the parcel's list, numbered `invt_no`,
    /// from its declarer; its guid follows the list's (kind 5).
    pub fn cancellation(&self, invt_no: &str) -> CEB623Message {
        let Message::Ceb623(mut message) = sample(MessageType::Ceb623) else {
            unreachable!("sample gives the message of the type asked for")
        };
        let head = self.list_head();
        for c in &mut message.invt_cancel {
            c.order_no.clone_from(&head.order_no);
            c.logistics_no.clone_from(&head.logistics_no);
            c.logistics_code.clone_from(&head.logistics_code);
            c.cop_no.clone_from(&head.cop_no);
            c.pre_no = None;
            c.invt_no = invt_no.to_owned();
            c.buyer_id_number.clone_from(&head.buyer_id_number);
        }
        message.base_transfer.cop_code = Parcel::EBC.to_owned();
        message.guid = self.follow_guid(5);
        message
    }

    /// A return (CEB625) of `qty` of the list's first line, numbered
    /// `invt_no`, from its declarer; its guid follows the list's (kind 6).
    pub fn goods_return(&self, invt_no: &str, qty: Decimal) -> CEB625Message {
        let Message::Ceb625(mut message) = sample(MessageType::Ceb625) else {
            unreachable!("sample gives the message of the type asked for")
        };
        let head = self.list_head();
        for refund in &mut message.invt_refund {
            let h = &mut refund.invt_refund_head;
            h.order_no.clone_from(&head.order_no);
            h.logistics_no.clone_from(&head.logistics_no);
            h.logistics_code.clone_from(&head.logistics_code);
            h.cop_no.clone_from(&head.cop_no);
            h.pre_no = None;
            h.invt_no = invt_no.to_owned();
            h.buyer_id_number.clone_from(&head.buyer_id_number);
            for line in &mut refund.invt_refund_list {
                line.qty = qty;
            }
        }
        message.base_transfer.cop_code = Parcel::EBC.to_owned();
        message.guid = self.follow_guid(6);
        message
    }

    fn list_head(&self) -> &crate::model::import::InventoryHead {
        // A numbered parcel has exactly one list.
        &self.list.inventory[0].inventory_head
    }

    /// The list's guid with its first group replaced by `kind`.
    fn follow_guid(&self, kind: u8) -> String {
        let rest = self
            .list
            .guid
            .get(8..)
            .unwrap_or("-0000-4000-8000-000000000000");
        format!("{kind:08X}{rest}")
    }
}

/// A guid for message `kind` of parcel `n`: upper-case, 36 characters,
/// unique per parcel and kind.
fn numbered_guid(kind: u8, n: u32) -> String {
    format!("{kind:08X}-0000-4000-8000-{n:012X}")
}

/// A valid resident ID number (GB 11643: 6-digit area, birth date, 3-digit
/// sequence, ISO 7064 MOD 11-2 check character) for buyer `n`: born in
/// 1990, a different person for every `n` below 336,000.
pub fn resident_id(n: u32) -> String {
    let month = 1 + (n / 28_000) % 12;
    let day = 1 + (n / 1000) % 28;
    let body = format!("3301061990{month:02}{day:02}{:03}", n % 1000);
    let check = check_character(&body);
    format!("{body}{check}")
}

/// The check character of the 17 digits of an ID number's body.
fn check_character(body: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit.saturating_sub(b'0')) * weight)
        .sum();
    char::from(CHECK[(sum % 11) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    #[test]
    fn numbered_parcels_are_valid_and_distinct() {
        let first = Parcel::numbered(1);
        let other = Parcel::numbered(123_456);
        let direct = Parcel::numbered(7).direct_purchase();
        let hot = Parcel::numbered(8).with_item("42");
        assert_eq!(direct.list.inventory[0].inventory_head.trade_mode, "9610");
        assert_eq!(
            hot.list.inventory[0].inventory_list[0]
                .item_record_no
                .as_deref(),
            Some("42")
        );
        for parcel in [&first, &other, &direct, &hot] {
            for message in [
                Message::Ceb311(parcel.order.clone()),
                Message::Ceb411(parcel.payment.clone()),
                Message::Ceb511(parcel.waybill.clone()),
                Message::Ceb621(parcel.list.clone()),
            ] {
                assert_eq!(
                    validate(&message),
                    Vec::new(),
                    "{:?}",
                    message.message_type()
                );
            }
        }
        assert_ne!(first.order.guid, other.order.guid);
        assert_ne!(first.list.guid, first.order.guid);
        assert_ne!(resident_id(1), resident_id(123_456));
    }

    #[test]
    fn the_check_character_is_gb_11643s() {
        // The standard's own example.
        assert_eq!(check_character("11010519491231002"), 'X');
        assert_eq!(resident_id(13).len(), 18);
    }
}
