//! The receipts of the export messages (issue #7; ceb-messages.md §1.2,
//! §2.6): the return entities of CEB304 (order), CEB404 (receipt of
//! payment), CEB506 (waybill), CEB604 (list), CEB508 (arrival), CEB510
//! (departure), CEB606 (cancellation) and CEB608 (master/sub-waybill
//! list), each keyed as its XSD keys it, with the status codes of §3.3
//! ("export receipts use the same code meanings").

use kuajing_ceb::model::export::{
    ArrivalHead, ArrivalReturn, CEB304Message, CEB404Message, CEB506Message, CEB508Message,
    CEB510Message, CEB604Message, CEB606Message, CEB608Message, DepartureHead, DepartureReturn,
    InventoryHead, InventoryReturn, InvtCancel, InvtCancelReturn, Logistics, LogisticsReturn,
    OrderHead, OrderReturn, Receipts, ReceiptsReturn, WayBillHead, WayBillReturn,
};

use crate::receipts::Answer;

/// The export order's return entity (CEB304), keyed by ebpCode + ebcCode +
/// orderNo.
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

/// The receipt of payment's return entity (CEB404), keyed by ebcCode +
/// orderNo (+ payNo).
pub fn collection_return(receipt: &Receipts, answer: &Answer) -> ReceiptsReturn {
    ReceiptsReturn {
        guid: receipt.guid.clone(),
        ebc_code: receipt.ebc_code.clone(),
        order_no: receipt.order_no.clone(),
        pay_no: receipt.pay_no.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The export waybill's return entity (CEB506), keyed by logisticsCode +
/// logisticsNo.
pub fn logistics_return(waybill: &Logistics, answer: &Answer) -> LogisticsReturn {
    LogisticsReturn {
        guid: waybill.guid.clone(),
        logistics_code: waybill.logistics_code.clone(),
        logistics_no: waybill.logistics_no.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The export list's return entity (CEB604), keyed by copNo with the
/// preNo the platform gave and the invtNo once numbered (empty before:
/// the XSD requires the element).
pub fn inventory_return(
    list: &InventoryHead,
    pre_no: &str,
    invt_no: Option<&str>,
    answer: &Answer,
) -> InventoryReturn {
    InventoryReturn {
        guid: list.guid.clone(),
        agent_code: list.agent_code.clone(),
        cop_no: list.cop_no.clone(),
        pre_no: pre_no.to_owned(),
        invt_no: invt_no.unwrap_or_default().to_owned(),
        ebc_code: list.ebc_code.clone(),
        ebp_code: list.ebp_code.clone(),
        order_no: list.order_no.clone(),
        statistics_flag: list.statistics_flag.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The arrival's return entity (CEB508), keyed by operatorCode + copNo,
/// with the preNo the platform gave.
pub fn arrival_return(head: &ArrivalHead, pre_no: &str, answer: &Answer) -> ArrivalReturn {
    ArrivalReturn {
        guid: head.guid.clone(),
        operator_code: head.operator_code.clone(),
        logistics_code: head.logistics_code.clone(),
        pre_no: pre_no.to_owned(),
        cop_no: head.cop_no.clone(),
        bill_no: head.bill_no.clone().unwrap_or_default(),
        msg_seq_no: head.msg_seq_no,
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The departure's return entity (CEB510), keyed by logisticsCode + copNo.
pub fn departure_return(head: &DepartureHead, pre_no: &str, answer: &Answer) -> DepartureReturn {
    DepartureReturn {
        guid: head.guid.clone(),
        logistics_code: head.logistics_code.clone(),
        cop_no: head.cop_no.clone(),
        pre_no: pre_no.to_owned(),
        msg_seq_no: head.msg_seq_no,
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The master/sub-waybill list's return entity (CEB608), keyed by
/// agentCode + copNo.
pub fn way_bill_return(head: &WayBillHead, pre_no: &str, answer: &Answer) -> WayBillReturn {
    WayBillReturn {
        guid: head.guid.clone(),
        agent_code: head.agent_code.clone(),
        logistics_code: head.logistics_code.clone(),
        cop_no: head.cop_no.clone(),
        pre_no: pre_no.to_owned(),
        bill_no: head.bill_no.clone(),
        msg_seq_no: head.msg_seq_no,
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// The cancellation's return entity (CEB606), keyed by agentCode + copNo +
/// invtNo.
pub fn cancel_return(cancel: &InvtCancel, pre_no: &str, answer: &Answer) -> InvtCancelReturn {
    InvtCancelReturn {
        guid: cancel.guid.clone(),
        agent_code: cancel.agent_code.clone(),
        cop_no: cancel.cop_no.clone(),
        pre_no: pre_no.to_owned(),
        invt_no: cancel.invt_no.clone(),
        return_status: answer.status.code(),
        return_time: answer.time.clone(),
        return_info: answer.info(),
    }
}

/// A CEB304 message of `returns` (one per order answered, in order).
pub fn ceb304(guid: &str, returns: Vec<OrderReturn>) -> CEB304Message {
    CEB304Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        order_return: returns,
    }
}

/// A CEB404 message of `returns`.
pub fn ceb404(guid: &str, returns: Vec<ReceiptsReturn>) -> CEB404Message {
    CEB404Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        receipts_return: returns,
    }
}

/// A CEB506 message of `returns`.
pub fn ceb506(guid: &str, returns: Vec<LogisticsReturn>) -> CEB506Message {
    CEB506Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        logistics_return: returns,
    }
}

/// A CEB604 message of `returns`.
pub fn ceb604(guid: &str, returns: Vec<InventoryReturn>) -> CEB604Message {
    CEB604Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        inventory_return: returns,
    }
}

/// A CEB508 message of `returns`.
pub fn ceb508(guid: &str, returns: Vec<ArrivalReturn>) -> CEB508Message {
    CEB508Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        arrival_return: returns,
    }
}

/// A CEB510 message of `returns`.
pub fn ceb510(guid: &str, returns: Vec<DepartureReturn>) -> CEB510Message {
    CEB510Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        departure_return: returns,
    }
}

/// A CEB606 message of `returns`.
pub fn ceb606(guid: &str, returns: Vec<InvtCancelReturn>) -> CEB606Message {
    CEB606Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        invt_cancel_return: returns,
    }
}

/// A CEB608 message of `returns`.
pub fn ceb608(guid: &str, returns: Vec<WayBillReturn>) -> CEB608Message {
    CEB608Message {
        guid: guid.to_owned(),
        version: "1.0".to_owned(),
        way_bill_return: returns,
    }
}
