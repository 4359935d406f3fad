//! Which shape of the `requests` row inserts fastest into an on-disk store, at the size where
//! it matters (1M rows, one transaction, WAL, the store's 32 MB page cache). Schema 6 chose
//! from this: the narrow row (integer ids for every text dimension) with its rowid kept and the
//! dedupe hash as a UNIQUE index, because rows then append in order while only the small index
//! takes random inserts. Keying the table by the random hash (WITHOUT ROWID, or the hash as
//! rowid) scatters whole rows over the B-tree and is slower than today's wide row at 1M.
//!
//!     cargo bench --bench store_layout           (N=200000 for a smaller run)

use rusqlite::{Connection, params};
use std::time::Instant;

fn rnd(s: &mut u64) -> u64 {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    *s
}

fn run(label: &str, schema: &str, insert: &str, n: usize, kind: u8) {
    let path = format!("/tmp/probe/{label}.db");
    for suf in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suf}"));
    }
    let c = Connection::open(&path).expect("probe");
    if let Ok(ps) = std::env::var("PAGE") {
        c.pragma_update(None, "page_size", ps).expect("probe");
    }
    c.pragma_update(None, "journal_mode", "WAL").expect("probe");
    c.pragma_update(None, "synchronous", "NORMAL").expect("probe");
    c.pragma_update(
        None,
        "cache_size",
        std::env::var("CACHE")
            .ok()
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(-32000),
    )
    .expect("probe");
    c.execute_batch(schema).expect("probe");
    let t = Instant::now();
    c.execute_batch("BEGIN").expect("probe");
    {
        let mut st = c.prepare(insert).expect("probe");
        let mut s = 88172645463325252u64;
        let teams = ["platform", "search", "support", "growth"];
        let models = [
            "gpt-4o-2024-08-06",
            "claude-sonnet-4-5",
            "gpt-4o-mini",
            "gemini-2.5-pro",
        ];
        for i in 0..n {
            let h = rnd(&mut s) as i64;
            let key = format!("envelope:gw_req_{:016x}", h);
            let ts = 1_760_000_000_000i64 + i as i64 * 2000;
            let day = 20000 + (i / 33000) as i64;
            let m = (h as usize >> 3) % 4;
            let tm = (h as usize >> 7) % 4;
            match kind {
                0 => {
                    st.execute(params![
                        h,
                        key,
                        ts,
                        format!("2026-11-{:02}", 1 + i / 33000),
                        "envelope",
                        "openai",
                        models[m],
                        models[m],
                        "standard",
                        1200i64,
                        300i64,
                        0i64,
                        0i64,
                        400i64,
                        0i64,
                        1i64,
                        teams[tm],
                        "summarize",
                        "v3",
                        "key_abc",
                        "proj",
                        "user@x",
                        "{\"env\":\"prod\"}",
                        123456i64,
                        "snapshot",
                        false,
                        None::<i64>,
                        None::<String>,
                        i as i64,
                        1i64,
                        format!("sess-{}", i / 50),
                        "ok",
                        850i64
                    ])
                    .expect("probe");
                }
                _ => {
                    // Kind 2 keeps the request key as an integer, the others as text.
                    let second: &dyn rusqlite::ToSql = if kind == 2 { &(h ^ 0x5555) } else { &key };
                    st.execute(params![
                        h,
                        second,
                        ts,
                        day,
                        1i64,
                        2i64,
                        m as i64,
                        m as i64,
                        3i64,
                        1200i64,
                        300i64,
                        0i64,
                        0i64,
                        400i64,
                        0i64,
                        1i64,
                        tm as i64,
                        5i64,
                        6i64,
                        7i64,
                        8i64,
                        9i64,
                        10i64,
                        123456i64,
                        1i64,
                        false,
                        None::<i64>,
                        None::<i64>,
                        i as i64,
                        1i64,
                        (i / 50) as i64 + 100,
                        1i64,
                        850i64
                    ])
                    .expect("probe");
                }
            }
        }
    }
    c.execute_batch("COMMIT").expect("probe");
    let secs = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).expect("probe").len();
    println!(
        "{label:<28} {n:>8} rows {:>7.0} ms {:>8.0} rows/s  {:>5.1} MB",
        secs * 1e3,
        n as f64 / secs,
        size as f64 / 1e6
    );
}

/// The narrow row inserted `batch` rows per statement (`INSERT … VALUES (…), (…), …`).
fn run_batched(label: &str, schema: &str, cols: &str, n: usize, batch: usize) {
    let path = format!("/tmp/probe/{label}.db");
    for suf in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suf}"));
    }
    let c = Connection::open(&path).expect("probe");
    c.pragma_update(None, "page_size", 16384).expect("probe");
    c.pragma_update(None, "journal_mode", "WAL").expect("probe");
    c.pragma_update(None, "synchronous", "NORMAL").expect("probe");
    c.pragma_update(None, "cache_size", -32000).expect("probe");
    c.execute_batch(schema).expect("probe");
    let one = format!("({})", (0..33).map(|_| "?").collect::<Vec<_>>().join(","));
    let sql = format!(
        "INSERT INTO requests ({cols}) VALUES {} ON CONFLICT (key_hash) DO NOTHING",
        vec![one; batch].join(",")
    );
    let t = Instant::now();
    c.execute_batch("BEGIN").expect("probe");
    {
        let mut st = c.prepare(&sql).expect("probe");
        let mut s = 88172645463325252u64;
        let mut vals: Vec<rusqlite::types::Value> = Vec::with_capacity(33 * batch);
        for i in 0..n {
            let h = rnd(&mut s) as i64;
            use rusqlite::types::Value::{Integer as I, Null, Text};
            vals.extend([
                I(h),
                Text(format!("envelope:gw_req_{h:016x}")),
                I(1_760_000_000_000 + i as i64 * 2000),
                I(20000 + (i / 33000) as i64),
                I(1),
                I(2),
                I((h >> 3) & 3),
                I((h >> 3) & 3),
                I(3),
                I(1200),
                I(300),
                I(0),
                I(0),
                I(400),
                I(0),
                I(1),
                I((h >> 7) & 3),
                I(5),
                I(6),
                I(7),
                I(8),
                I(9),
                I(10),
                I(123456),
                I(1),
                I(0),
                Null,
                Null,
                I(i as i64),
                I(1),
                I((i / 50) as i64 + 100),
                I(1),
                I(850),
            ]);
            if vals.len() == 33 * batch {
                st.execute(rusqlite::params_from_iter(vals.drain(..))).expect("probe");
            }
        }
    }
    c.execute_batch("COMMIT").expect("probe");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label:<28} {n:>8} rows {:>7.0} ms {:>8.0} rows/s",
        secs * 1e3,
        n as f64 / secs
    );
}

fn main() {
    let wide_schema = "CREATE TABLE requests (id INTEGER PRIMARY KEY, key_hash INTEGER NOT NULL UNIQUE, request_key TEXT NOT NULL, ts_ms INTEGER NOT NULL, day TEXT NOT NULL, source TEXT NOT NULL, provider TEXT NOT NULL DEFAULT '', model TEXT NOT NULL, model_priced TEXT, tier TEXT NOT NULL, uncached_input INTEGER NOT NULL, cache_read INTEGER NOT NULL, cache_write_5m INTEGER NOT NULL, cache_write_1h INTEGER NOT NULL, output INTEGER NOT NULL, reasoning INTEGER NOT NULL, requests INTEGER NOT NULL, team TEXT, template TEXT, template_version TEXT, api_key_id TEXT, project TEXT, user_id TEXT, tags TEXT, cost_nanos INTEGER NOT NULL, price_source TEXT, unpriced INTEGER NOT NULL, reported_cost_nanos INTEGER, flags TEXT, line INTEGER, file_id INTEGER, session_id TEXT, status TEXT, latency_ms INTEGER);
      CREATE INDEX requests_session ON requests (session_id, ts_ms) WHERE session_id IS NOT NULL;";
    let cols = "key_hash, request_key, ts_ms, day, source, provider, model, model_priced, tier, uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests, team, template, template_version, api_key_id, project, user_id, tags, cost_nanos, price_source, unpriced, reported_cost_nanos, flags, line, file_id, session_id, status, latency_ms";
    let vals = (1..=33).map(|i| format!("?{i}")).collect::<Vec<_>>().join(",");
    let ins = format!("INSERT INTO requests ({cols}) VALUES ({vals}) ON CONFLICT (key_hash) DO NOTHING");
    let narrow_cols = "key_hash INTEGER NOT NULL, request_key TEXT NOT NULL, ts_ms INTEGER NOT NULL, day INTEGER NOT NULL, source INTEGER NOT NULL, provider INTEGER NOT NULL, model INTEGER NOT NULL, model_priced INTEGER, tier INTEGER NOT NULL, uncached_input INTEGER NOT NULL, cache_read INTEGER NOT NULL, cache_write_5m INTEGER NOT NULL, cache_write_1h INTEGER NOT NULL, output INTEGER NOT NULL, reasoning INTEGER NOT NULL, requests INTEGER NOT NULL, team INTEGER, template INTEGER, template_version INTEGER, api_key_id INTEGER, project INTEGER, user_id INTEGER, tags INTEGER, cost_nanos INTEGER NOT NULL, price_source INTEGER, unpriced INTEGER NOT NULL, reported_cost_nanos INTEGER, flags INTEGER, line INTEGER, file_id INTEGER, session_id INTEGER, status INTEGER, latency_ms INTEGER";
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    run("wide (schema 5)", wide_schema, &ins, n, 0);
    let nr = format!(
        "CREATE TABLE requests (id INTEGER PRIMARY KEY, {narrow_cols}, UNIQUE (key_hash)); CREATE INDEX requests_session ON requests (session_id, ts_ms) WHERE session_id IS NOT NULL;"
    );
    run("narrow rowid+unique", &nr, &ins, n, 1);
    let cols_only = "key_hash, request_key, ts_ms, day, source, provider, model, model_priced, tier, uncached_input, cache_read, cache_write_5m, cache_write_1h, output, reasoning, requests, team, template, template_version, api_key_id, project, user_id, tags, cost_nanos, price_source, unpriced, reported_cost_nanos, flags, line, file_id, session_id, status, latency_ms";
    run_batched("narrow, 1 row per statement", &nr, cols_only, n, 1);
    run_batched("narrow, 16 rows per statement", &nr, cols_only, n, 16);
    let nokey = narrow_cols.replace("request_key TEXT NOT NULL", "request_key INTEGER NOT NULL");
    run(
        "narrow without rowid",
        &format!(
            "CREATE TABLE requests ({narrow_cols}, PRIMARY KEY (key_hash)) WITHOUT ROWID; CREATE INDEX requests_session ON requests (session_id, ts_ms) WHERE session_id IS NOT NULL;"
        ),
        &ins,
        n,
        1,
    );
    run(
        "narrow, key as int",
        &format!(
            "CREATE TABLE requests (id INTEGER PRIMARY KEY, {nokey}, UNIQUE (key_hash)); CREATE INDEX requests_session ON requests (session_id, ts_ms) WHERE session_id IS NOT NULL;"
        ),
        &ins,
        n,
        2,
    );
    run(
        "narrow, no session idx",
        &format!("CREATE TABLE requests (id INTEGER PRIMARY KEY, {narrow_cols}, UNIQUE (key_hash));"),
        &ins,
        n,
        1,
    );
    unsafe { std::env::set_var("CACHE", "-96000") };
    run("narrow, cache 96MB", &nr, &ins, n, 1);
}
