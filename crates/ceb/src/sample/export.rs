//! The export side of the example story: the Hunchun e-commerce enterprise
//! sells its honey abroad — retail parcels to buyers in Russia by road
//! (9610), a B2B consignment to a Korean importer by sea (9710), stock
//! shipped to its overseas warehouse in Japan (9810) — and the messages
//! that carry one such shipment from order to departure.
//!
//! [`ExportParcel`] holds the four documents of one shipment — order
//! (CEB303), receipt of payment (CEB403), waybill (CEB505) and export list
//! (CEB603) — agreeing with each other (keys, lines, amounts); the
//! manifests that move it out (arrival CEB507, departure CEB509,
//! master/sub-waybill list CEB607) and its cancellation (CEB605) are made
//! from it. All parties, people and numbers are fictitious.

use rust_decimal::Decimal;

use super::{numbered_guid, sample};
use crate::model::export::{
    ArrivalList, CEB213Message, CEB215Message, CEB303Message, CEB403Message, CEB505Message,
    CEB507Message, CEB509Message, CEB603Message, CEB605Message, CEB607Message, InventoryHead,
    InvtRefundList,
};
use crate::model::{Message, MessageType};

/// One export shipment of the story (see the module's documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportParcel {
    /// The order (or booking), sent by the platform.
    pub order: CEB303Message,
    /// The receipt of payment, sent by the payment company.
    pub collection: CEB403Message,
    /// The waybill, sent by the logistics company.
    pub waybill: CEB505Message,
    /// The export list, sent (and declared) by the e-commerce enterprise.
    pub list: CEB603Message,
}

/// How the shipment is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportMode {
    /// 9610 retail export (跨境电商零售出口): an order of type E, to Russia
    /// by road.
    Retail,
    /// 9710 B2B direct export (跨境电商B2B直接出口): an order of type B, to
    /// Korea by sea.
    B2b,
    /// 9810 export to an overseas warehouse (跨境电商出口海外仓): a booking
    /// of type W, to Japan by sea.
    OverseasWarehouse,
}

impl ExportMode {
    /// The supervision mode code (`tradeMode`).
    pub fn trade_mode(self) -> &'static str {
        match self {
            ExportMode::Retail => "9610",
            ExportMode::B2b => "9710",
            ExportMode::OverseasWarehouse => "9810",
        }
    }

    /// The order type (`orderType`): E, B or W.
    pub fn order_type(self) -> &'static str {
        match self {
            ExportMode::Retail => "E",
            ExportMode::B2b => "B",
            ExportMode::OverseasWarehouse => "W",
        }
    }

    /// The country of arrival (customs country code): Russia 344, Korea
    /// 133, Japan 116.
    pub fn country(self) -> &'static str {
        match self {
            ExportMode::Retail => "344",
            ExportMode::B2b => "133",
            ExportMode::OverseasWarehouse => "116",
        }
    }

    /// The transport mode (`trafMode`): road (4) to Russia through the
    /// Hunchun crossing; waterway (2) from Zarubino to Busan and Niigata.
    pub fn traf_mode(self) -> &'static str {
        match self {
            ExportMode::Retail => "4",
            ExportMode::B2b | ExportMode::OverseasWarehouse => "2",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            ExportMode::Retail => "E",
            ExportMode::B2b => "B",
            ExportMode::OverseasWarehouse => "W",
        }
    }
}

impl ExportParcel {
    /// The platform (ebpCode), which sends the order.
    pub const EBP: &'static str = super::Parcel::EBP;
    /// The exporting e-commerce enterprise (ebcCode, ownerCode, agentCode),
    /// which declares the list.
    pub const EBC: &'static str = super::Parcel::EBC;
    /// The payment company, which sends the receipt of payment.
    pub const PAY: &'static str = super::Parcel::PAY;
    /// The logistics company (logisticsCode), which sends the waybill and
    /// the departure.
    pub const LOGISTICS: &'static str = super::Parcel::LOGISTICS;
    /// The supervised site's operator (operatorCode), which sends the
    /// arrival.
    pub const SITE: &'static str = "2224990001";

    /// Shipment number `n` in `mode`: 2 jars of honey at CNY 168.00, CNY
    /// 336.00 collected; its own order, waybill and copNo numbers; its list
    /// declared (`appTime`) today in China, built to be sent now.
    pub fn numbered(n: u32, mode: ExportMode) -> ExportParcel {
        let (Message::Ceb303(mut order), Message::Ceb403(mut collection)) =
            (sample(MessageType::Ceb303), sample(MessageType::Ceb403))
        else {
            unreachable!("sample gives the message of the type asked for")
        };
        let (Message::Ceb505(mut waybill), Message::Ceb603(mut list)) =
            (sample(MessageType::Ceb505), sample(MessageType::Ceb603))
        else {
            unreachable!("sample gives the message of the type asked for")
        };
        let tag = mode.tag();
        let order_no = format!("HCX-{tag}{n:06}");
        let logistics_no = format!("HCXL-{tag}{n:06}");
        for o in &mut order.order {
            o.order_head.order_no.clone_from(&order_no);
            o.order_head.order_type = mode.order_type().to_owned();
        }
        for r in &mut collection.receipts {
            r.order_no.clone_from(&order_no);
            r.pay_no = Some(format!("HCXPAY-{tag}{n:06}"));
        }
        for w in &mut waybill.logistics {
            w.logistics_no.clone_from(&logistics_no);
        }
        for l in &mut list.inventory {
            let head = &mut l.inventory_head;
            head.order_no.clone_from(&order_no);
            head.logistics_no.clone_from(&logistics_no);
            head.cop_no = format!("HCXINV-{tag}{n:06}");
            head.pre_no = None;
            head.invt_no = None;
            head.trade_mode = mode.trade_mode().to_owned();
            head.country = mode.country().to_owned();
            head.pod = mode.country().to_owned();
            head.traf_mode = mode.traf_mode().to_owned();
            head.statistics_flag = "B".to_owned();
            for line in &mut l.inventory_list {
                line.country = mode.country().to_owned();
            }
        }
        order.base_transfer.cop_code = ExportParcel::EBP.to_owned();
        collection.base_transfer.cop_code = ExportParcel::PAY.to_owned();
        waybill.base_transfer.cop_code = ExportParcel::LOGISTICS.to_owned();
        list.base_transfer.cop_code = ExportParcel::EBC.to_owned();
        let base = match mode {
            ExportMode::Retail => 0x10,
            ExportMode::B2b => 0x20,
            ExportMode::OverseasWarehouse => 0x30,
        };
        order.guid = numbered_guid(base + 1, n);
        collection.guid = numbered_guid(base + 2, n);
        waybill.guid = numbered_guid(base + 3, n);
        list.guid = numbered_guid(base + 4, n);
        ExportParcel {
            order,
            collection,
            waybill,
            list,
        }
        .declared_on(&super::today())
    }

    /// The same shipment with its list declared on `day` (`yyyyMMdd`): the
    /// export list carries its declaration time in `appTime` (it has no
    /// `declTime`), here the start of that day.
    #[must_use]
    pub fn declared_on(mut self, day: &str) -> ExportParcel {
        for l in &mut self.list.inventory {
            l.inventory_head.app_time = format!("{day}000000");
        }
        self
    }

    /// The list declared for statistics only (`statisticsFlag` A: "清单核放、
    /// 汇总统计", no summary declaration compiled).
    #[must_use]
    pub fn for_statistics_only(mut self) -> ExportParcel {
        for l in &mut self.list.inventory {
            l.inventory_head.statistics_flag = "A".to_owned();
        }
        self
    }

    /// The list's goods code of every line set to `gcode` (a simplified
    /// 4- or 6-digit code where the zone allows it).
    #[must_use]
    pub fn with_gcode(mut self, gcode: &str) -> ExportParcel {
        for l in &mut self.list.inventory {
            for line in &mut l.inventory_list {
                line.gcode = gcode.to_owned();
            }
        }
        self
    }

    /// The list's head.
    pub fn list_head(&self) -> &InventoryHead {
        // A numbered shipment has exactly one list.
        &self.list.inventory[0].inventory_head
    }

    /// The waybill number (`logisticsNo`).
    pub fn logistics_no(&self) -> &str {
        &self.list_head().logistics_no
    }

    /// The arrival at the supervised site (CEB507) of `parcels`, reported
    /// by the site operator under `cop_no`.
    pub fn arrival(parcels: &[&ExportParcel], cop_no: &str) -> CEB507Message {
        let Message::Ceb507(mut message) = sample(MessageType::Ceb507) else {
            unreachable!("sample gives the message of the type asked for")
        };
        for arrival in &mut message.arrival {
            arrival.arrival_head.cop_no = cop_no.to_owned();
            arrival.arrival_head.pre_no = None;
            arrival.arrival_head.operator_code = ExportParcel::SITE.to_owned();
            // The list is optional in the XSD (0..n), so the sample has
            // none: each line is made here.
            arrival.arrival_list = parcels
                .iter()
                .zip(1..)
                .map(|(parcel, gnum)| ArrivalList {
                    gnum,
                    logistics_no: parcel.logistics_no().to_owned(),
                    total_package_no: None,
                    note: None,
                })
                .collect();
        }
        message.base_transfer.cop_code = ExportParcel::SITE.to_owned();
        message.guid = guid_of(cop_no, 0x50);
        message
    }

    /// The departure (CEB509) of `parcels`, reported by the logistics
    /// company under `cop_no`.
    pub fn departure(parcels: &[&ExportParcel], cop_no: &str) -> CEB509Message {
        let Message::Ceb509(mut message) = sample(MessageType::Ceb509) else {
            unreachable!("sample gives the message of the type asked for")
        };
        for departure in &mut message.departure {
            departure.departure_head.cop_no = cop_no.to_owned();
            departure.departure_head.pre_no = None;
            let template = departure.departure_list.first().cloned();
            departure.departure_list = parcels
                .iter()
                .zip(1..)
                .filter_map(|(parcel, gnum)| {
                    let mut line = template.clone()?;
                    line.gnum = gnum;
                    line.logistics_no = parcel.logistics_no().to_owned();
                    Some(line)
                })
                .collect();
        }
        message.base_transfer.cop_code = ExportParcel::LOGISTICS.to_owned();
        message.guid = guid_of(cop_no, 0x51);
        message
    }

    /// The master/sub-waybill list (CEB607) of `parcels` under master bill
    /// `bill_no`, with their list numbers, from the declarer.
    pub fn bill(parcels: &[(&ExportParcel, &str)], bill_no: &str, cop_no: &str) -> CEB607Message {
        let Message::Ceb607(mut message) = sample(MessageType::Ceb607) else {
            unreachable!("sample gives the message of the type asked for")
        };
        for bill in &mut message.way_bill {
            bill.way_bill_head.cop_no = cop_no.to_owned();
            bill.way_bill_head.pre_no = None;
            bill.way_bill_head.bill_no = bill_no.to_owned();
            let template = bill.way_bill_list.first().cloned();
            bill.way_bill_list = parcels
                .iter()
                .zip(1..)
                .filter_map(|((parcel, invt_no), gnum)| {
                    let mut line = template.clone()?;
                    line.gnum = gnum;
                    line.logistics_no = parcel.logistics_no().to_owned();
                    line.invt_no = Some((*invt_no).to_owned());
                    Some(line)
                })
                .collect();
        }
        message.base_transfer.cop_code = ExportParcel::EBC.to_owned();
        message.guid = guid_of(cop_no, 0x52);
        message
    }

    /// A cancellation (CEB605) of the shipment's list, numbered `invt_no`,
    /// from its declarer.
    pub fn cancellation(&self, invt_no: &str) -> CEB605Message {
        let Message::Ceb605(mut message) = sample(MessageType::Ceb605) else {
            unreachable!("sample gives the message of the type asked for")
        };
        let head = self.list_head();
        for c in &mut message.invt_cancel {
            c.cop_no.clone_from(&head.cop_no);
            c.pre_no = None;
            c.invt_no = invt_no.to_owned();
        }
        message.base_transfer.cop_code = ExportParcel::EBC.to_owned();
        message.guid = guid_of(&head.cop_no, 0x53);
        message
    }

    /// A return request (CEB213 退货申请单, ceb-messages.md §2.6) for `qty`
    /// units of every line of the shipment's list, numbered `invt_no`,
    /// from its declarer: the goods came back unsold or returned by the
    /// buyer (policy-rules.md §7.2), on the original waybill; its
    /// `coElNo` is the list's copNo with `R`.
    pub fn goods_return(&self, invt_no: &str, qty: Decimal) -> CEB213Message {
        let Message::Ceb213(mut message) = sample(MessageType::Ceb213) else {
            unreachable!("sample gives the message of the type asked for")
        };
        let head = self.list_head();
        let lines = &self.list.inventory[0].inventory_list;
        for refund in &mut message.invt_refund {
            let h = &mut refund.invt_refund_head;
            h.app_type = "1".to_owned();
            h.app_status = "2".to_owned();
            h.customs_code.clone_from(&head.customs_code);
            h.ebp_code.clone_from(&head.ebp_code);
            h.ebp_name.clone_from(&head.ebp_name);
            h.ebc_code.clone_from(&head.ebc_code);
            h.ebc_name.clone_from(&head.ebc_name);
            h.logistics_no.clone_from(&head.logistics_no);
            h.logistics_code.clone_from(&head.logistics_code);
            h.logistics_name.clone_from(&head.logistics_name);
            h.co_el_no = format!("{}R", head.cop_no);
            h.pre_no = None;
            h.invt_no = invt_no.to_owned();
            h.trade_mode = Some(head.trade_mode.clone());
            h.agent_code.clone_from(&head.agent_code);
            h.agent_name.clone_from(&head.agent_name);
            h.bill_no.clone_from(&head.logistics_no);
            h.ie_flag = "I".to_owned();
            h.traf_mode.clone_from(&head.traf_mode);
            h.port_code.clone_from(&head.port_code);
            h.country.clone_from(&head.country);
            h.reason = "买家退货 / returned by the buyer".to_owned();
            refund.invt_refund_list = lines
                .iter()
                .map(|l| InvtRefundList {
                    gnum: l.gnum,
                    gcode: l.gcode.clone(),
                    gname: l.gname.clone(),
                    gmodel: l.gmodel.clone(),
                    qty,
                    qty1: qty,
                    unit: l.unit.clone(),
                    unit1: l.unit1.clone(),
                    qty2: None,
                    unit2: None,
                    note: None,
                })
                .collect();
        }
        message.base_transfer.cop_code = ExportParcel::EBC.to_owned();
        message.guid = guid_of(&format!("{}R", head.cop_no), 0x54);
        message
    }

    /// The return tally detail (CEB215 理货明细单) of the return
    /// `co_el_no` of the shipment's list `invt_no`, from the supervised
    /// site's operator: the goods are back, on the original waybill.
    pub fn tally(&self, invt_no: &str, co_el_no: &str) -> CEB215Message {
        let Message::Ceb215(mut message) = sample(MessageType::Ceb215) else {
            unreachable!("sample gives the message of the type asked for")
        };
        let head = self.list_head();
        for detail in &mut message.invt_refund_detail {
            detail.app_type = "1".to_owned();
            detail.app_status = "2".to_owned();
            detail.customs_code.clone_from(&head.customs_code);
            detail.operator_code = ExportParcel::SITE.to_owned();
            detail.logistics_code.clone_from(&head.logistics_code);
            detail.logistics_name.clone_from(&head.logistics_name);
            detail.logistics_no.clone_from(&head.logistics_no);
            detail.invt_no = Some(invt_no.to_owned());
            detail.co_el_no = co_el_no.to_owned();
            detail.pre_no = None;
            detail.bill_no.clone_from(&head.logistics_no);
            detail.ie_flag = "I".to_owned();
            detail.traf_mode.clone_from(&head.traf_mode);
        }
        message.base_transfer.cop_code = ExportParcel::SITE.to_owned();
        message.guid = guid_of(co_el_no, 0x55);
        message
    }

    /// The shipment's goods line priced at `price` a unit, every amount
    /// that follows from it changed in the order, the collection and the
    /// list.
    #[must_use]
    pub fn priced(mut self, price: Decimal) -> ExportParcel {
        let mut value = Decimal::ZERO;
        for order in &mut self.order.order {
            value = Decimal::ZERO;
            for line in &mut order.order_list {
                line.price = price;
                line.total_price = price * line.qty;
                value += line.total_price;
            }
            order.order_head.goods_value = value;
        }
        for receipt in &mut self.collection.receipts {
            receipt.charge = value;
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

/// A guid derived from a manifest's number, unique per kind of message.
fn guid_of(cop_no: &str, kind: u8) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in cop_no.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{kind:08X}-0000-4000-8000-{:012X}", hash & 0xFFFF_FFFF_FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate;

    #[test]
    fn every_mode_gives_documents_that_agree_and_validate() {
        for mode in [
            ExportMode::Retail,
            ExportMode::B2b,
            ExportMode::OverseasWarehouse,
        ] {
            let parcel = ExportParcel::numbered(7, mode);
            let messages = [
                Message::Ceb303(parcel.order.clone()),
                Message::Ceb403(parcel.collection.clone()),
                Message::Ceb505(parcel.waybill.clone()),
                Message::Ceb603(parcel.list.clone()),
                Message::Ceb507(ExportParcel::arrival(&[&parcel], "ARR-1")),
                Message::Ceb509(ExportParcel::departure(&[&parcel], "DEP-1")),
                Message::Ceb607(ExportParcel::bill(
                    &[(&parcel, "299120261000000001")],
                    "BILL-1",
                    "WB-1",
                )),
                Message::Ceb605(parcel.cancellation("299120261000000001")),
                Message::Ceb213(parcel.goods_return("299120261000000001", Decimal::ONE)),
                Message::Ceb215(parcel.tally("299120261000000001", "HCXINV-E000007R")),
            ];
            let arrival = ExportParcel::arrival(&[&parcel], "ARR-1");
            assert_eq!(arrival.arrival[0].arrival_list.len(), 1);
            let departure = ExportParcel::departure(&[&parcel], "DEP-1");
            assert_eq!(departure.departure[0].departure_list.len(), 1);
            for message in &messages {
                let issues = validate(message);
                assert!(
                    issues.is_empty(),
                    "{mode:?} {:?}: {issues:?}",
                    message.message_type()
                );
            }
            let head = parcel.list_head();
            assert_eq!(head.trade_mode, mode.trade_mode());
            assert_eq!(parcel.order.order[0].order_head.order_no, head.order_no);
            assert_eq!(parcel.waybill.logistics[0].logistics_no, head.logistics_no);
            assert_eq!(parcel.collection.receipts[0].order_no, head.order_no);
        }
        let other = ExportParcel::numbered(8, ExportMode::Retail);
        assert_ne!(
            other.order.guid,
            ExportParcel::numbered(7, ExportMode::Retail).order.guid
        );
        assert_ne!(
            other.order.guid,
            ExportParcel::numbered(8, ExportMode::B2b).order.guid
        );
    }
}
