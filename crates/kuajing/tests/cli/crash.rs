//! An answered message is never lost (issue #5, "durability"): a load of
//! parcels runs against `kuajing serve`, the process is killed with
//! SIGKILL in the middle, and after a restart every message that got a
//! receipt is there with that receipt (a resend gets it byte for byte),
//! every buyer's quota equals the sum of its lists, and no list is half
//! processed.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use kuajing_ceb::sample::Parcel;
use kuajing_ceb::{Message, encode};
use kuajing_store::Store;
use kuajing_testkit::dual_backend_tests;

use super::*;

/// One message that got its receipt: who sent it, the bytes, the receipt.
type Answered = (String, String, String);

/// Files the parcel's four senders and issues their tokens (in the order
/// platform, payment, logistics, e-commerce enterprise).
pub(crate) fn senders(db: &str) -> Vec<String> {
    [
        (Parcel::EBP, "ebp"),
        (Parcel::PAY, "payment"),
        (Parcel::LOGISTICS, "logistics"),
        (Parcel::EBC, "ebc,declarer"),
    ]
    .iter()
    .map(|(code, roles)| {
        let name = format!("崩溃测试企业{code}");
        assert_exit(
            &kuajing(
                db,
                &[
                    "enterprise",
                    "add",
                    "--code",
                    code,
                    "--name",
                    &name,
                    "--roles",
                    roles,
                ],
                "",
            ),
            0,
        );
        let issued = kuajing(db, &["token", "issue", "--enterprise", code], "");
        assert_exit(&issued, 0);
        stdout(&issued).trim().to_owned()
    })
    .collect()
}

/// Stocks the bonded account book the example parcels' 1210 lists draw
/// on, well beyond what a test sends.
pub(crate) async fn stock_book(db: &str) {
    let store = kuajing_store::Store::connect(db).await.unwrap();
    kuajing::demo_clearance::stock_book(&store, Parcel::WAREHOUSE, 1, 1_000_000)
        .await
        .unwrap();
    store.close().await;
}

/// Sends parcels until the server stops answering; records every message
/// answered 200.
async fn load(
    base: String,
    tokens: Arc<Vec<String>>,
    next: Arc<AtomicU32>,
    answered: Arc<Mutex<Vec<Answered>>>,
) {
    let client = reqwest::Client::new();
    loop {
        let n = next.fetch_add(1, Ordering::Relaxed);
        let parcel = Parcel::numbered(n);
        let messages = [
            (0, Message::Ceb311(parcel.order)),
            (1, Message::Ceb411(parcel.payment)),
            (2, Message::Ceb511(parcel.waybill)),
            (3, Message::Ceb621(parcel.list)),
        ];
        for (sender, message) in messages {
            let body = encode(&message);
            let sent = client
                .post(format!("{base}/api/ceb"))
                .bearer_auth(&tokens[sender])
                .header("content-type", "application/xml")
                .body(body.clone())
                .send()
                .await;
            let Ok(response) = sent else { return };
            let status = response.status();
            let Ok(text) = response.text().await else {
                return;
            };
            if status.is_success() {
                answered
                    .lock()
                    .unwrap()
                    .push((tokens[sender].clone(), body, text));
            } else if status.as_u16() != 503 {
                panic!("{status}: {text}");
            }
        }
    }
}

dual_backend_tests! {
    async fn an_answered_message_survives_sigkill_and_nothing_is_half_done(db: TestDatabase) {
        let tokens = Arc::new(senders(&db.url));
        stock_book(&db.url).await;
        let mut served = Served::start(&db.url, &["--allow-unsigned-messages"]);
        let next = Arc::new(AtomicU32::new(1));
        let answered = Arc::new(Mutex::new(Vec::new()));
        let tasks: Vec<_> = (0..6)
            .map(|_| tokio::spawn(load(served.base.clone(), tokens.clone(), next.clone(), answered.clone())))
            .collect();
        // Let some parcels clear, then kill the server mid-load.
        for _ in 0..1500 {
            if answered.lock().unwrap().len() >= 80 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        served.child.kill().unwrap(); // SIGKILL
        served.child.wait().unwrap();
        for task in tasks {
            task.await.unwrap();
        }
        let answered = answered.lock().unwrap().clone();
        assert!(answered.len() >= 80, "the load ran: {} answers", answered.len());

        let served = Served::start(&db.url, &["--allow-unsigned-messages"]);
        let client = reqwest::Client::new();
        for (token, body, receipt) in &answered {
            let again = client
                .post(served.url("/api/ceb"))
                .bearer_auth(token)
                .header("content-type", "application/xml")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(again.status(), 200);
            assert_eq!(&again.text().await.unwrap(), receipt, "the receipt given before the kill");
        }
        let store = Store::connect(&db.url).await.unwrap();
        let mut conn = store.reader().await.unwrap();
        let problems = kuajing_store::clearance::inconsistencies(&mut conn).await.unwrap();
        assert!(problems.is_empty(), "{problems:#?}");
        drop(conn);
        store.close().await;
    }
}

/// A bulk filing file of `rows` valid goods (honey, item numbers K-1…).
fn bulk_file(rows: usize) -> Vec<u8> {
    let mut file = String::from(
        "item_no,name,specification,brand,hs_code,origin_country,declared_elements,unit1,unit2,reference_price,currency,barcode,regional_brand\n",
    );
    for n in 1..=rows {
        file.push_str(&format!(
            "K-{n},椴树蜂蜜,500克/瓶,,0409000000,344,,035,,88.5,142,,false\n"
        ));
    }
    file.into_bytes()
}

/// Starts a bulk filing of `file` at `base` with `token`: the job's id.
async fn start_bulk(client: &reqwest::Client, base: &str, token: &str, file: Vec<u8>) -> String {
    let boundary = "kuajing-crash-boundary-5f2c";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"goods.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let started = client
        .post(format!("{base}/api/filings/commodities/bulk"))
        .bearer_auth(token)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), 202);
    let job: serde_json::Value = started.json().await.unwrap();
    job["id"].as_str().unwrap().to_owned()
}

async fn bulk_job(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    id: &str,
) -> serde_json::Value {
    let answer = client
        .get(format!("{base}/api/bulk-jobs/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

dual_backend_tests! {
    /// Issue #14, finding 8: `kuajing serve` is killed (SIGKILL) in the
    /// middle of a 5,000-row bulk filing; after a restart the job is ended,
    /// not left `running` forever: failed, with when and why — after which
    /// row the server stopped, that the rows before are kept and that
    /// uploading the file again finishes it — and those rows are filed.
    async fn a_bulk_job_killed_with_its_server_is_ended_after_the_restart(db: TestDatabase) {
        let code = Parcel::EBC;
        let name = format!("批量崩溃测试企业{code}");
        assert_exit(&kuajing(&db.url, &["enterprise", "add", "--code", code, "--name", &name, "--roles", "ebc"], ""), 0);
        let issued = kuajing(&db.url, &["token", "issue", "--enterprise", code], "");
        assert_exit(&issued, 0);
        let token = stdout(&issued).trim().to_owned();
        let lease = ["--bulk-job-lease", "2"];

        let mut served = Served::start(&db.url, &lease);
        let client = reqwest::Client::new();
        let id = start_bulk(&client, &served.base, &token, bulk_file(5000)).await;
        let mut seen = 0;
        for _ in 0..3000 {
            seen = bulk_job(&client, &served.base, &token, &id).await["processed_rows"].as_i64().unwrap();
            if seen >= 20 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!((20..5000).contains(&seen), "killed mid-job: {seen} rows recorded");
        served.child.kill().unwrap(); // SIGKILL
        served.child.wait().unwrap();

        let served = Served::start(&db.url, &lease);
        let mut job = serde_json::Value::Null;
        for _ in 0..600 {
            job = bulk_job(&client, &served.base, &token, &id).await;
            if job["status"] != "running" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(job["status"], "failed", "{job}");
        assert!(job["finished_at"].is_string(), "{job}");
        assert_eq!(job["failure"]["code"], "BULK_INTERRUPTED", "{job}");
        let stopped = job["processed_rows"].as_i64().unwrap();
        assert!(stopped >= seen && stopped < 5000, "{job}");
        let reason = job["failure"]["message_en"].as_str().unwrap();
        assert!(reason.contains(&format!("after row {stopped} of 5000")) && reason.contains("Upload the file again"), "{reason}");
        let filed = client
            .get(served.url("/api/filings?mine=true&kind=commodity&limit=1"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap();
        assert!(filed["total"].as_i64().unwrap() >= stopped, "rows 1..{stopped} kept: {filed}");
    }
}
