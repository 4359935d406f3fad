//! `cost export --format focus` on a store built from the fixtures: exact sums against
//! `cost report`, and the FinOps Foundation's validator (FOCUS 1.2) when it is available.

mod common;
use common::*;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    repo().join("tests/fixtures/logs").join(name).display().to_string()
}

fn exported() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    for f in [
        "envelope.jsonl",
        "generic.csv",
        "openai-usage-api.json",
        "anthropic-usage-report.json",
    ] {
        let out = cost_in(dir.path())
            .env("COST_DB", &db)
            .args(["import", &fixture(f), "-q"])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let csv = stdout(cost_in(dir.path()).env("COST_DB", &db).args([
        "export",
        "--format",
        "focus",
        "--since",
        "2026-09-01",
        "--until",
        "2026-09-30",
    ]));
    (dir, csv)
}

/// Sums a decimal column exactly, in nano-dollars.
fn sum_nanos(csv: &str, column: &str) -> i128 {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header.iter().position(|h| *h == column).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    reader
        .records()
        .map(|r| {
            let v = r.unwrap()[i].to_string();
            assert!(v.contains('.'), "{column} `{v}` has no decimal point");
            let (int, frac) = v.split_once('.').unwrap();
            let frac = format!("{frac:0<9}");
            int.parse::<i128>().unwrap() * 1_000_000_000 + frac[..9].parse::<i128>().unwrap()
        })
        .sum()
}

#[test]
fn focus_rows_add_up_to_the_report() {
    let (_dir, csv) = exported();
    // Priced fixture totals: envelope $0.42645875 + generic $0.738406 + usage API $11.4024 +
    // Anthropic report $4.57375 = $17.14101475 (the three unpriced records are left out).
    assert_eq!(sum_nanos(&csv, "BilledCost"), 17_141_014_750);
    assert_eq!(sum_nanos(&csv, "EffectiveCost"), 17_141_014_750);
    // ListCost is list unit price × quantity on every row (tier and long-context prices are
    // in BilledCost only), and no row is negative.
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let h = reader.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (li, ui, pi, bi) = (
        col("ListCost"),
        col("ListUnitPrice"),
        col("PricingQuantity"),
        col("BilledCost"),
    );
    for r in reader.records() {
        let r = r.unwrap();
        let f = |i: usize| r[i].parse::<f64>().unwrap();
        assert!((f(li) - f(ui) * f(pi)).abs() < 1e-9, "{r:?}");
        assert!(f(bi) >= 0.0, "negative cost: {r:?}");
    }
    // Token buckets: the rows carry every priced token once.
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let qi = headers.iter().position(|h| h == "ConsumedQuantity").unwrap();
    let ci = headers.iter().position(|h| h == "ServiceCategory").unwrap();
    let mut tokens = 0f64;
    for r in reader.records() {
        let r = r.unwrap();
        assert_eq!(&r[ci], "AI and Machine Learning");
        tokens += r[qi].parse::<f64>().unwrap();
    }
    // All fixture tokens of the four files minus the unpriced records' (2,140 + 2,350 + 175,000).
    let all = (32_420 + 264_800 + 22_800 + 4_000 + 9_850)
        + (427_500 + 54_680 + 3_000 + 3_500 + 57_070)
        + (5_308_000 + 3_582_000 + 1_456_000)
        + (936_000 + 2_075_000 + 70_000 + 12_000 + 219_000);
    assert_eq!(tokens as i64, all - 2_140 - 2_350 - 175_000);
}

#[test]
fn focus_validator_accepts_the_export() {
    let validator = repo().join("../shared/tools/focus-validate");
    if !validator.exists() {
        eprintln!(
            "skipped: {} not found (the FOCUS validator lives beside the project)",
            validator.display()
        );
        return;
    }
    let (dir, csv) = exported();
    let file: PathBuf = dir.path().join("focus.csv");
    std::fs::write(&file, csv).unwrap();
    let out = std::process::Command::new(&validator).arg(&file).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => assert!(report.contains("\"passed\": true"), "{report}"),
        Some(3) => eprintln!("skipped: the FOCUS validator could not be installed or run: {report}"),
        _ => panic!(
            "FOCUS validation failed:\n{report}\n{}",
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn focus_is_only_for_export() {
    let (code, err) = fails(cost().args(["report", "--format", "focus"]));
    assert_eq!(code, 2);
    assert!(err.contains("--format focus is for `cost export`"), "{err}");
    let (code, err) = fails(cost().args(["export"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("cost export writes --format focus, jsonl or parquet"),
        "{err}"
    );
}
