//! Receipts for the example parcel's documents pass the codec's own schema
//! and rule checks, read back as written, and carry each status code.

use kuajing_ceb::{Message, check_schema, decode, encode, validate};
use kuajing_clearance::receipts::{
    Answer, Status, ceb312, ceb412, ceb512, ceb622, inventory_return, logistics_return,
    order_return, payment_return,
};

use crate::Documents;

const RECEIPT_GUID: &str = "6E1F0C9A-3C1B-4F7E-9B1D-2A5E8C7D4F10";

fn answer(status: Status, info: &str) -> Answer {
    Answer {
        status,
        time: "20261127103501123".to_owned(),
        info: info.to_owned(),
    }
}

fn receipts(answer: &Answer) -> Vec<Message> {
    let docs = Documents::example();
    vec![
        Message::Ceb312(ceb312(
            RECEIPT_GUID,
            vec![order_return(&docs.order.order_head, answer)],
        )),
        Message::Ceb412(ceb412(
            RECEIPT_GUID,
            vec![payment_return(&docs.payment.payment_head, answer)],
        )),
        Message::Ceb512(ceb512(
            RECEIPT_GUID,
            vec![logistics_return(&docs.waybill.logistics_head, answer)],
        )),
        Message::Ceb622(ceb622(
            RECEIPT_GUID,
            vec![inventory_return(
                &docs.list.inventory_head,
                "B20261127000000001",
                Some("22242026I000000001"),
                answer,
            )],
        )),
    ]
}

#[test]
fn receipts_pass_the_codecs_checks_and_read_back_as_written() {
    for status in [
        Status::Declared,
        Status::Stored,
        Status::Released,
        Status::Error(-301010),
    ] {
        for message in receipts(&answer(status, "新增申报成功")) {
            assert_eq!(check_schema(&message), vec![], "{message:?}");
            assert_eq!(validate(&message), vec![], "{message:?}");
            let xml = encode(&message);
            let read = decode(xml.as_bytes()).unwrap();
            assert_eq!(read.issues, vec![]);
            assert_eq!(read.message, message);
        }
    }
}

#[test]
fn each_status_has_its_code() {
    let codes: Vec<String> = [
        Status::Draft,
        Status::Declared,
        Status::Refused,
        Status::Stored,
        Status::ManualReview,
        Status::Concluded,
        Status::Inspection,
        Status::Detained(502),
        Status::Released,
        Status::Error(-621018),
    ]
    .map(Status::code)
    .to_vec();
    assert_eq!(
        codes,
        [
            "1", "2", "100", "120", "300", "399", "500", "502", "800", "-621018"
        ]
    );
}

#[test]
fn a_long_reason_is_cut_to_the_schemas_1000_characters_and_an_empty_one_named() {
    let long = "超".repeat(1001);
    let docs = Documents::example();
    let entity = order_return(&docs.order.order_head, &answer(Status::Refused, &long));
    assert_eq!(entity.return_info.chars().count(), 1000);
    let message = Message::Ceb312(ceb312(RECEIPT_GUID, vec![entity]));
    assert_eq!(check_schema(&message), vec![]);

    let entity = order_return(&docs.order.order_head, &answer(Status::Detained(503), " "));
    assert_eq!(entity.return_info, "扣留移送法规");
    let message = Message::Ceb312(ceb312(RECEIPT_GUID, vec![entity]));
    assert_eq!(check_schema(&message), vec![]);
}
