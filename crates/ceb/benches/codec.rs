//! Codec throughput (`cargo bench -p kuajing-ceb --bench codec`).
//!
//! For each message: a bare quick-xml token scan of the same bytes (the
//! floor no codec can beat), decode + validate, and encode; criterion
//! reports time per message and bytes per second, so messages per second
//! and the ratio to the scan come from one run. Messages: one parcel's
//! import list (CEB621, one inventory, as `kuajing ceb sample CEB621`
//! writes it — the unit the clearance hot path handles), and every
//! official sample in `../shared/ceb-spec/samples` (or `$KUAJING_CEB_SPEC`).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_main};
use kuajing_ceb::{MessageType, decode, encode, sample, validate};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Reads every event of `bytes` and does nothing with it.
fn scan(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => return events,
            Ok(event) => {
                black_box(&event);
                events += 1;
            }
        }
    }
}

fn decode_and_validate(bytes: &[u8]) -> usize {
    match decode(bytes) {
        Ok(decoded) => decoded.issues.len() + validate(&decoded.message).len(),
        Err(_) => usize::MAX,
    }
}

fn messages() -> Vec<(String, Vec<u8>)> {
    let mut messages = vec![(
        "CEB621 one parcel".to_owned(),
        encode(&sample(MessageType::Ceb621)).into_bytes(),
    )];
    let spec = std::env::var_os("KUAJING_CEB_SPEC").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/ceb-spec"),
        PathBuf::from,
    );
    for direction in ["import", "export"] {
        let Ok(entries) = std::fs::read_dir(spec.join("samples").join(direction)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files {
            if let (Some(name), Ok(bytes)) = (file.file_stem(), std::fs::read(&file)) {
                let name = name.to_string_lossy().replace("Message", "");
                messages.push((format!("{name} official"), bytes));
            }
        }
    }
    messages
}

fn codec(c: &mut Criterion) {
    for (name, bytes) in messages() {
        let Ok(decoded) = decode(&bytes) else {
            continue;
        };
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("scan", |b| b.iter(|| scan(black_box(&bytes))));
        group.bench_function("decode+validate", |b| {
            b.iter(|| decode_and_validate(black_box(&bytes)))
        });
        group.bench_function("encode", |b| {
            b.iter(|| encode(black_box(&decoded.message)).len())
        });
        group.finish();
    }
}

// The macros define undocumented items (`benches`, `main`).
#[allow(missing_docs)]
mod harness {
    criterion::criterion_group!(benches, super::codec);
}
criterion_main!(harness::benches);
