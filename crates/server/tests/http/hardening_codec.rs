//! Issue #14 over HTTP, the codec's part: control characters refused and
//! never echoed (finding 7), guids as the specification and real clients
//! write them (finding 13), and other content under a guid used before
//! refused (finding 12).

use std::io::Write;
use std::process::{Command, Stdio};

use kuajing_ceb::characters::is_refused;
use kuajing_ceb::{Message, decode, encode};
use kuajing_testkit::dual_backend_tests;
use reqwest::StatusCode;

use crate::clearance::{Zone, guid, parcel, sandbox, statuses};
use crate::support::{expect_error, json};

/// Whether `xml` is well-formed to a strict XML 1.0 parser (xmllint,
/// libxml2); its report when it is not.
fn well_formed(xml: &str) -> Result<(), String> {
    let mut child = Command::new("xmllint")
        .args(["--noout", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xmllint (Debian libxml2-utils) must be installed: .ci/run installs it");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// The CEB900 of an answer, which must be well-formed.
fn ceb900(text: &str) -> kuajing_ceb::model::import::MessageReturn {
    well_formed(text).unwrap_or_else(|report| panic!("ill-formed answer: {report}\n{text}"));
    assert!(!text.chars().any(is_refused), "{text}");
    let Message::Ceb900(receipt) = decode(text.as_bytes()).unwrap().message else {
        panic!("not a CEB900: {text}")
    };
    receipt.message_return
}

dual_backend_tests! {
    async fn a_control_character_in_a_value_is_refused_naming_its_path_and_nothing_is_kept(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let order = parcel(1).order;
        let clean = encode(&Message::Ceb311(order.clone()));
        let number = "<ceb:orderNo>HC-T000001</ceb:orderNo>";
        assert!(clean.contains(number));
        for (written, shown) in [
            ("HC-T\u{1}000001", "HC-T\\u0001000001"),
            ("HC-T&#1;000001", "HC-T\\u0001000001"),
            ("HC-T\u{1b}[31m000001", "HC-T\\u001B[31m000001"),
            ("HC-T\u{7f}000001", "HC-T\\u007F000001"),
            ("HC-T\u{ffff}000001", "HC-T\\uFFFF000001"),
        ] {
            let hostile = clean.replace(number, &format!("<ceb:orderNo>{written}</ceb:orderNo>"));
            let (status, text) = zone.post(&zone.ebp, &hostile).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{written:?}: {text}");
            let answer = ceb900(&text);
            assert!(answer.return_status.starts_with('-'));
            let info = answer.return_info;
            assert!(info.contains("/CEB311Message/Order[1]/OrderHead/orderNo"), "{info}");
            assert!(info.contains(shown), "{written:?}: {info}");
            assert!(info.contains("不允许的字符") && info.contains("control character"), "{info}");
        }
        // In the DxpMsg envelope around it too (its CopMsgId).
        let routing = kuajing_ceb::envelope::Routing {
            cop_msg_id: "COP\u{1}0001".to_owned(),
            sender_id: "DXPENT0000224960".to_owned(),
            receiver_ids: vec!["DXPEDCCEB0000002".to_owned()],
            created: "2026-11-27T10:30:00".to_owned(),
        };
        let envelope = kuajing_ceb::envelope::wrap(clean.as_bytes(), kuajing_ceb::MessageType::Ceb311, &routing);
        let wrapped = kuajing_ceb::envelope::encode_envelope(&kuajing_ceb::envelope::Envelope::Terminal(Box::new(envelope)))
            .replace("COP\u{FFFD}0001", "COP&#1;0001");
        assert!(wrapped.contains("COP&#1;0001"), "{wrapped}");
        let (status, text) = zone.post(&zone.ebp, &wrapped).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
        let info = ceb900(&text).return_info;
        assert!(info.contains("CopMsgId") && info.contains("\\u0001"), "{info}");
        // Nothing was kept: no receipt owed, and the same message written
        // cleanly (its guid, its order number) is new and accepted.
        assert!(zone.feed(&zone.ebp).await.is_empty());
        let receipt = zone.send(&zone.ebp, &Message::Ceb311(order)).await;
        assert_eq!(statuses(&receipt), ["2"]);
    }

    async fn an_officers_reason_may_not_carry_a_control_character_into_the_receipt(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let parcel = parcel(7);
        let buyer = parcel.list.inventory[0].inventory_head.buyer_id_number.clone();
        let watch = serde_json::json!({"buyer_id": buyer, "reason": "布控测试"});
        json(zone.app.post_json(&zone.customs, "/api/clearance/watch-list", &watch).await, StatusCode::OK).await;
        zone.send_parcel(&parcel, [0, 1, 2, 3]).await;
        let queue = zone.app.get_json(&zone.customs, "/api/clearance/reviews").await;
        let id = queue[0]["list"]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/clearance/lists/{id}/decision");
        let hostile = serde_json::json!({"action": "refuse", "reason": "查验\u{1}不符"});
        let response = zone.app.post_json(&zone.customs, &path, &hostile).await;
        expect_error(response, StatusCode::UNPROCESSABLE_ENTITY, "FIELD_CONTROL_CHARACTER", Some("reason")).await;
        // Lines stay allowed; the receipt it goes into is well-formed.
        let written = serde_json::json!({"action": "refuse", "reason": "查验不符\n申报品名与实物不一致"});
        json(zone.app.post_json(&zone.customs, &path, &written).await, StatusCode::OK).await;
        let refused = zone.feed(&zone.ebc).await.into_iter().filter_map(|(_, m)| match m {
            Message::Ceb622(m) => m.inventory_return.into_iter().find(|r| r.return_status == "100"),
            _ => None,
        });
        assert_eq!(refused.count(), 1);
    }

    async fn a_resend_of_the_same_message_gets_the_first_receipt_and_other_content_is_refused(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        let first = parcel(1);
        let xml = encode(&Message::Ceb311(first.order.clone()));
        let (status, receipt) = zone.post(&zone.ebp, &xml).await;
        assert_eq!(status, StatusCode::OK, "{receipt}");
        // The same bytes: the first receipt, byte for byte.
        assert_eq!(zone.post(&zone.ebp, &xml).await, (StatusCode::OK, receipt.clone()));
        // The same values written otherwise (its guids in lower case, the
        // layout changed): the same message.
        let lower = xml
            .replace(&first.order.guid, &first.order.guid.to_ascii_lowercase())
            .replace("\n  ", "\n    ");
        assert_ne!(lower, xml);
        assert_eq!(zone.post(&zone.ebp, &lower).await, (StatusCode::OK, receipt.clone()));

        // Other content under the guid: refused naming guid, nothing kept.
        let mut changed = first.order.clone();
        changed.order[0].order_head.buyer_name = "李四".to_owned();
        let (status, text) = zone.post(&zone.ebp, &encode(&Message::Ceb311(changed))).await;
        assert_eq!(status, StatusCode::CONFLICT, "{text}");
        let answer = ceb900(&text);
        assert!(answer.return_info.starts_with("/CEB311Message/guid"), "{}", answer.return_info);
        assert!(answer.return_info.contains(&first.order.guid), "{}", answer.return_info);
        assert!(answer.return_info.contains("different content"), "{}", answer.return_info);
        assert_eq!(answer.ori_message_type, "CEB311Message");
        // In any letter case.
        let mut changed = first.order.clone();
        changed.guid = changed.guid.to_ascii_lowercase();
        changed.order[0].order_head.freight = "11.00".parse().unwrap();
        let (status, _) = zone.post(&zone.ebp, &encode(&Message::Ceb311(changed))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        // Nothing changed: the first receipt is still the answer, and it is
        // the only receipt owed.
        assert_eq!(zone.post(&zone.ebp, &xml).await, (StatusCode::OK, receipt));
        assert_eq!(zone.feed(&zone.ebp).await.len(), 1);
    }

    async fn guids_as_the_specification_and_real_clients_write_them_are_taken(db: TestDatabase) {
        let zone = Zone::new(&db, sandbox()).await;
        // Lower case, as the official samples write them; the shape a public
        // e-port signing tool's messages carry.
        let mut lower = parcel(1).order;
        lower.guid = guid().to_ascii_lowercase();
        lower.order[0].order_head.guid = lower.guid.clone();
        let mut tool = parcel(2).order;
        tool.guid = "CEB311_HNZB_FXJK_20220208175054_0034".to_owned();
        tool.order[0].order_head.guid = "CEB311_HNZB_FXJK_20220208175055_0035".to_owned();
        for order in [lower, tool] {
            let (status, text) = zone.post(&zone.ebp, &encode(&Message::Ceb311(order.clone()))).await;
            assert_eq!(status, StatusCode::OK, "{text}");
            let receipt = decode(text.as_bytes()).unwrap().message;
            assert_eq!(statuses(&receipt), ["2"], "{text}");
            // The platform's own guid is an upper-case UUID.
            let own = receipt.guid();
            assert_eq!(own, own.to_ascii_uppercase());
            assert!(uuid::Uuid::parse_str(own).is_ok(), "{own}");
        }
    }
}
