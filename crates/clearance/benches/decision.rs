//! The engine's CPU cost per parcel (`cargo bench -p kuajing-clearance
//! --bench decision`): the pure decision on the codec's example parcel
//! against the seed tariff, its parts (list checks, match, tax), and, in the
//! same run, decoding the parcel's four messages — so the decision's cost
//! reads as a ratio to the parsing every parcel needs anyway; and the
//! export list rules (issue #7) on the example export shipment, beside the
//! import decision in the same run.

use std::hint::black_box;

use criterion::{Criterion, criterion_main};
use kuajing_ceb::{Message, MessageType, decode, encode, sample};
use kuajing_clearance::decision::{RuleSettings, decide};
use kuajing_clearance::list_checks::check_list;
use kuajing_clearance::matching::{MatchSettings, Parcel, match_parcel};
use kuajing_clearance::settings::LimitSchedule;
use kuajing_clearance::tariff_index::TariffIndex;
use kuajing_core::ids::HsCode;
use kuajing_reference::seed;
use rust_decimal::Decimal;
use time::macros::date;

fn engine(c: &mut Criterion) {
    let (
        Message::Ceb621(list),
        Message::Ceb311(order),
        Message::Ceb411(payment),
        Message::Ceb511(waybill),
    ) = (
        sample(MessageType::Ceb621),
        sample(MessageType::Ceb311),
        sample(MessageType::Ceb411),
        sample(MessageType::Ceb511),
    )
    else {
        return;
    };
    let parcel = Parcel {
        list: &list.inventory[0],
        order: &order.order[0],
        payment: &payment.payment[0],
        waybill: &waybill.logistics[0],
    };
    let tariff = TariffIndex::new("seed", seed::tariff_lines().unwrap_or_default());
    let lookup = |code: &HsCode| tariff.get(code);
    let Some(limits) = LimitSchedule::published()
        .on(date!(2026 - 11 - 27))
        .copied()
    else {
        return;
    };
    let settings = RuleSettings::default();
    let messages: Vec<Vec<u8>> = [
        MessageType::Ceb621,
        MessageType::Ceb311,
        MessageType::Ceb411,
        MessageType::Ceb511,
    ]
    .map(|t| encode(&sample(t)).into_bytes())
    .to_vec();

    let mut group = c.benchmark_group("one parcel");
    group.bench_function("decode its four messages", |b| {
        b.iter(|| {
            messages
                .iter()
                .filter(|m| decode(black_box(m)).is_ok())
                .count()
        })
    });
    group.bench_function("decide", |b| {
        b.iter(|| {
            decide(
                black_box(&parcel),
                date!(2026 - 11 - 27),
                lookup,
                Decimal::ZERO,
                &limits,
                &settings,
            )
        })
    });
    group.bench_function("list checks", |b| {
        b.iter(|| check_list(black_box(parcel.list), date!(2026 - 11 - 27), lookup).len())
    });
    group.bench_function("match", |b| {
        b.iter(|| match_parcel(black_box(&parcel), &MatchSettings::default()).len())
    });
    group.finish();
    export_rules(c);
}

/// The export rules on one 9610 shipment of the example story: the check
/// against its order and receipt of payment.
fn export_rules(c: &mut Criterion) {
    use kuajing_ceb::sample::export::{ExportMode, ExportParcel};
    use kuajing_clearance::export::{CodeTables, ExportSettings, Shipment, check};
    /// Tables that know every code: the bench measures the rules, not the
    /// lookups (the server looks the codes up in the store first).
    struct AllKnown;
    impl CodeTables for AllKnown {
        fn country(&self, _: &str) -> bool {
            true
        }
        fn currency(&self, _: &str) -> bool {
            true
        }
        fn unit(&self, _: &str) -> bool {
            true
        }
    }
    let parcel = ExportParcel::numbered(1, ExportMode::Retail);
    let shipment = Shipment {
        list: &parcel.list.inventory[0],
        order: Some(&parcel.order.order[0]),
        collection: Some(&parcel.collection.receipts[0]),
        waybill: Some(&parcel.waybill.logistics[0]),
    };
    let settings = ExportSettings::default();
    let mut group = c.benchmark_group("one export shipment");
    group.bench_function("export checks", |b| {
        b.iter(|| check(black_box(&shipment), &settings, &AllKnown, true).len())
    });
    group.finish();
}

/// criterion's generated group (kept in a module of its own: its function
/// carries no doc comment).
#[allow(missing_docs)]
mod harness {
    criterion::criterion_group!(benches, super::engine);
}
criterion_main!(harness::benches);
