//! The business receipts (回执) the platform, playing the customs side,
//! sends for each document: the status codes of ceb-messages.md §3.3 and
//! the return entities of CEB312 (order), CEB412 (payment), CEB512
//! (waybill) and CEB622 (list), keyed as §3.1 says each receipt is.

use kuajing_ceb::model::import::{
    CEB312Message, CEB412Message, CEB512Message, CEB622Message, InventoryHead, InventoryReturn,
    LogisticsHead, LogisticsReturn, OrderHead, OrderReturn, PaymentHead, PaymentReturn,
};

/// A document's status, as a receipt's `returnStatus` (ceb-messages.md
/// §3.3), or an official error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 1 电子口岸已暂存: saved as a draft (appStatus 1).
    Draft,
    /// 2 电子口岸申报中: accepted, being declared.
    Declared,
    /// 100 海关退单: refused (the reason in returnInfo).
    Refused,
    /// 120 海关入库: stored; for order, payment and waybill, matched.
    Stored,
    /// 300 人工审核: manual review.
    ManualReview,
    /// 399 海关审结: review concluded.
    Concluded,
    /// 500 查验: inspection ordered.
    Inspection,
    /// 501–503, 599: detained (the code says where to).
    Detained(u16),
    /// 800 放行: released.
    Released,
    /// 899 结关: clearance closed (an export list whose goods have left).
    Closed,
    /// A negative code of table 7-2 (e.g. -301010 duplicate order).
    Error(i32),
}

impl Status {
    /// The status's name in the specification (§3.3), in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            Status::Draft => "电子口岸已暂存",
            Status::Declared => "电子口岸申报中",
            Status::Refused => "海关退单",
            Status::Stored => "海关入库",
            Status::ManualReview => "人工审核",
            Status::Concluded => "海关审结",
            Status::Inspection => "查验",
            Status::Detained(501) => "扣留移送通关",
            Status::Detained(502) => "扣留移送缉私",
            Status::Detained(503) => "扣留移送法规",
            Status::Detained(_) => "其它扣留",
            Status::Released => "放行",
            Status::Closed => "结关",
            Status::Error(_) => "处理异常",
        }
    }

    /// The `returnStatus` text.
    pub fn code(self) -> String {
        match self {
            Status::Draft => "1".to_owned(),
            Status::Declared => "2".to_owned(),
            Status::Refused => "100".to_owned(),
            Status::Stored => "120".to_owned(),
            Status::ManualReview => "300".to_owned(),
            Status::Concluded => "399".to_owned(),
            Status::Inspection => "500".to_owned(),
            Status::Detained(code) => code.to_string(),
            Status::Released => "800".to_owned(),
            Status::Closed => "899".to_owned(),
            Status::Error(code) => code.to_string(),
        }
    }
}

/// What every return entity carries besides the document's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status.
    pub status: Status,
    /// When, `yyyyMMddHHmmssSSS` in China time (the receipts' format).
    pub time: String,
    /// The reason or remark (returnInfo: 1 to 1,000 characters in these
    /// receipts' XSD; longer text is cut at a character boundary, empty
    /// text becomes the status's own name).
    pub info: String,
}

/// The most characters of `returnInfo` in CEB312/412/512/622 (XSD).
const RETURN_INFO_MAX: usize = 1000;

impl Answer {
    pub(crate) fn info(&self) -> String {
        if self.info.trim().is_empty() {
            return self.status.name_zh().to_owned();
        }
        self.info.chars().take(RETURN_INFO_MAX).collect()
    }
}

/// The order's return entity (CEB312), keyed by ebpCode + ebcCode + orderNo.
pub fn order_return(order: &OrderHead, answer: &Answer) -> OrderReturn {
    OrderReturn {
        guid: order.guid.clone(),
        ebp_code: order.ebp_code.clone(),
        ebc_code: order.ebc_code.clone(),
        order_no: order.order_no.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The payment's return entity (CEB412), keyed by payCode + payTransactionId.
pub fn payment_return(payment: &PaymentHead, answer: &Answer) -> PaymentReturn {
    PaymentReturn {
        guid: payment.guid.clone(),
        pay_code: payment.pay_code.clone(),
        pay_transaction_id: payment.pay_transaction_id.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The waybill's return entity (CEB512), keyed by logisticsCode +
/// logisticsNo.
pub fn logistics_return(waybill: &LogisticsHead, answer: &Answer) -> LogisticsReturn {
    LogisticsReturn {
        guid: waybill.guid.clone(),
        logistics_code: waybill.logistics_code.clone(),
        logistics_no: waybill.logistics_no.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The list's return entity (CEB622), keyed by copNo, with the preNo the
/// platform assigned (the e-port generates it, senders must not: §2.5) and
/// the invtNo once the list is numbered.
pub fn inventory_return(
    list: &InventoryHead,
    pre_no: &str,
    invt_no: Option<&str>,
    answer: &Answer,
) -> InventoryReturn {
    InventoryReturn {
        guid: list.guid.clone(),
        customs_code: Some(list.customs_code.clone()),
        ebp_code: Some(list.ebp_code.clone()),
        ebc_code: Some(list.ebc_code.clone()),
        agent_code: Some(list.agent_code.clone()),
        cop_no: list.cop_no.clone().unwrap_or_default(),
        pre_no: pre_no.to_owned(),
        invt_no: invt_no.map(str::to_owned),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// A CEB312 message of `returns` (one per order of the message answered,
/// in order); `guid` the receipt's own id.
pub fn ceb312(guid: &str, returns: Vec<OrderReturn>) -> CEB312Message {
    CEB312Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        order_return: returns,
    }
}

/// A CEB412 message of `returns`.
pub fn ceb412(guid: &str, returns: Vec<PaymentReturn>) -> CEB412Message {
    CEB412Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        payment_return: returns,
    }
}

/// A CEB512 message of `returns`.
pub fn ceb512(guid: &str, returns: Vec<LogisticsReturn>) -> CEB512Message {
    CEB512Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        logistics_return: returns,
    }
}

/// A CEB622 message of `returns`.
pub fn ceb622(guid: &str, returns: Vec<InventoryReturn>) -> CEB622Message {
    CEB622Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        inventory_return: returns,
    }
}
