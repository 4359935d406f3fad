//! Where `cost import` spends its time, stage by stage, on 200,000 gateway-envelope lines
//! built from the fixture file (each with its own request id): parsing, pricing and keying,
//! writing to an on-disk store, and the whole pipeline (reader thread + writer).
//!
//!     cargo bench --bench import_stages

use cost::import::{self, FileCtx, Options, Outcome, Parsed, Planned, Source};
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::time::Instant;

const N: usize = 200_000;

fn corpus() -> Vec<u8> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/logs/envelope.jsonl"
    ))
    .expect("fixture");
    let good: Vec<&str> = text
        .lines()
        .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok() && l.contains("\"usage"))
        .collect();
    let mut out = Vec::with_capacity(N * 700);
    for i in 0..N {
        let line = good[i % good.len()];
        let start = line.find("\"request_id\":\"").map(|p| p + 14);
        match start {
            Some(p) => {
                let end = p + line[p..].find('"').unwrap_or(0);
                out.extend_from_slice(&line.as_bytes()[..p]);
                out.extend_from_slice(format!("gw_bench_{i}").as_bytes());
                out.extend_from_slice(&line.as_bytes()[end..]);
            }
            None => out.extend_from_slice(line.as_bytes()),
        }
        out.push(b'\n');
    }
    out
}

fn rate(label: &str, n: usize, secs: f64) {
    println!(
        "{label:<44} {:>8.0} ms  {:>9.0} lines/s  {:>6.2} µs/line",
        secs * 1e3,
        n as f64 / secs,
        secs * 1e6 / n as f64
    );
}

fn main() {
    let data = corpus();
    let prices = cost::pricing::PriceTable::load(&BTreeMap::new()).expect("prices");
    let teams = BTreeMap::new();
    let opts = Options {
        team: None,
        template: None,
        strict: false,
        dry_run: false,
        at_ms: None,
        attribution: Default::default(),
        teams: &teams,
        prices: &prices,
        now: "2026-11-01T00:00:00Z".into(),
        reread: false,
        update: false,
        user: None,
    };
    let source: &'static dyn Source = import::source_named("envelope").expect("envelope");
    println!("{} lines, {:.1} MB", N, data.len() as f64 / 1e6);

    // 1. Parse only.
    let mut records = Vec::with_capacity(N);
    let t = Instant::now();
    {
        let attribution = Default::default();
        let mut ctx = FileCtx {
            path: Path::new("bench"),
            fallback_time_ms: None,
            attribution: &attribution,
            warnings: BTreeMap::new(),
        };
        let mut emit = |p: Parsed| {
            if let Outcome::Record(r) = p.outcome {
                records.push((*r, p.line));
            }
            true
        };
        source.read(&mut Cursor::new(&data), &mut ctx, &mut emit).expect("read");
    }
    rate("parse (envelope → UsageRecord)", N, t.elapsed().as_secs_f64());

    // 2. Price, attribute and key.
    let t = Instant::now();
    let mut pricer = import::pricer::Pricer::new(&prices);
    let rows: Vec<_> = records
        .into_iter()
        .map(|(r, line)| import::prepare(r, "envelope", line, &mut pricer, &opts))
        .collect();
    rate("price + attribute + key", N, t.elapsed().as_secs_f64());

    // 3. Insert into an on-disk store, one transaction.
    let dir = tempfile::tempdir().expect("temp dir");
    let store = cost::store::Store::open(&dir.path().join("bench.db")).expect("store");
    let t = Instant::now();
    let mut tx = store.begin().expect("begin");
    tx.start_file("bench", None, "envelope", "2026-01-01T00:00:00Z")
        .unwrap();
    for r in &rows {
        tx.insert(r).expect("insert");
    }
    tx.commit().expect("commit");
    rate("store insert + rollups + commit", N, t.elapsed().as_secs_f64());

    // 4. The whole pipeline from a file into a fresh store.
    let file = dir.path().join("bench.jsonl");
    std::fs::write(&file, &data).expect("write corpus");
    let store = cost::store::Store::open(&dir.path().join("pipeline.db")).expect("store");
    let input = import::Input {
        display: file.display().to_string(),
        path: Some(file.clone()),
        size: Some(data.len() as u64),
        mtime_ms: None,
        named: true,
        arg: String::new(),
    };
    let t = Instant::now();
    let run = import::import_all(
        &store,
        vec![Planned {
            input,
            source: Some(source),
            opened: None,
        }],
        &opts,
        &import::NoProgress,
        import::Batching::default(),
    )
    .expect("import");
    rate("pipeline (reader thread ∥ writer)", N, t.elapsed().as_secs_f64());
    assert_eq!(run.files[0].counts.imported as usize, N);
}
