//! Growing logs (DESIGN §15): a file that only grew since its last import is read from where
//! that import ended, with line numbers going on from there; a last line without its line end
//! waits for the next import; a rewritten or truncated file is read whole; a killed import
//! leaves the store as it was.
//!
//! Prices from the shipped table: gpt-4o $2.50 per million input tokens and $10 per million
//! output; claude-sonnet-4-5 $3 and $15. Every envelope call below is 1,000 input and 100
//! output tokens of gpt-4o: 1,000 × $2.50/M + 100 × $10/M = $0.0025 + $0.001 = $0.0035.

mod common;

use common::cost_in;
use serde_json::Value;
use std::io::Write;
use std::path::Path;

/// One envelope call of gpt-4o (1,000 in, 100 out) with its line end.
fn call(id: &str, hour: u32) -> String {
    format!(
        "{{\"timestamp\":\"2026-11-01T{hour:02}:00:00Z\",\"request_id\":\"{id}\",\"provider\":\"openai\",\"metadata\":{{\"team\":\"support\"}},\"request\":{{\"model\":\"gpt-4o\"}},\"response\":{{\"model\":\"gpt-4o\",\"usage\":{{\"prompt_tokens\":1000,\"completion_tokens\":100}}}}}}\n"
    )
}

fn append(path: &Path, text: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(text.as_bytes()).unwrap();
}

/// `cost import FILE --format json` into `db` (relative to `dir`).
fn import(dir: &Path, db: &str, file: &str) -> Value {
    import_env(dir, db, file, &[])
}

/// [`import`] with three reader threads, and a file of two parts or more (of about 4 KiB)
/// split between them.
fn import_in_parts(dir: &Path, db: &str, file: &str) -> Value {
    import_env(
        dir,
        db,
        file,
        &[("COST_IMPORT_READERS", "3"), ("COST_IMPORT_PART_BYTES", "4096")],
    )
}

fn import_env(dir: &Path, db: &str, file: &str, env: &[(&str, &str)]) -> Value {
    let out = cost_in(dir)
        .envs(env.iter().copied())
        .args(["--db", db, "--format", "json", "import", file])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The store's totals: requests, uncached input, output, cost in dollars.
fn totals(dir: &Path, db: &str) -> (u64, u64, u64, f64) {
    let out = cost_in(dir)
        .args(["--db", db, "--format", "json", "report", "--since", "2026-09-01"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = &v["totals"];
    (
        t["requests"].as_u64().unwrap(),
        t["uncached_input_tokens"].as_u64().unwrap(),
        t["output_tokens"].as_u64().unwrap(),
        t["cost_usd"].as_f64().unwrap(),
    )
}

/// The store's rejects as (line, start of the reason).
fn rejects(dir: &Path, db: &str) -> Vec<(i64, String)> {
    let conn = rusqlite::Connection::open(dir.join(db)).unwrap();
    let mut st = conn.prepare("SELECT line, reason FROM rejects ORDER BY line").unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The file's one summary: (lines, imported, duplicates, rejected, read_from_line).
fn counts(v: &Value) -> (u64, u64, u64, u64, Option<u64>) {
    let f = &v["files"][0];
    (
        f["lines"].as_u64().unwrap(),
        f["imported"].as_u64().unwrap(),
        f["duplicates"].as_u64().unwrap(),
        f["rejected"].as_u64().unwrap(),
        f["read_from_line"].as_u64(),
    )
}

#[test]
fn appended_lines_are_read_once_and_numbered_on_from_the_old_end() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    std::fs::write(&log, [call("r1", 1), call("r2", 2), call("r3", 3)].concat()).unwrap();
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (3, 3, 0, 0, None));

    // Two calls and a broken line appended: only they are read, from line 4; the broken one
    // is line 6 of the file.
    append(&log, &[call("r4", 4), call("r5", 5), "not json\n".to_string()].concat());
    let v = import(dir.path(), "s.db", "gw.jsonl");
    assert_eq!(counts(&v), (3, 2, 0, 1, Some(4)));
    assert_eq!(v["files"][0]["rejects"][0]["line"], 6);
    let r = rejects(dir.path(), "s.db");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, 6);

    // Unchanged now: not read at all.
    let v = import(dir.path(), "s.db", "gw.jsonl");
    assert_eq!(v["files"].as_array().unwrap().len(), 0);
    assert_eq!(v["unchanged_files"].as_array().unwrap().len(), 1);

    // 5 calls × $0.0035 = $0.0175: the same as one import of the whole file.
    assert_eq!(totals(dir.path(), "s.db"), (5, 5_000, 500, 0.0175));
    assert_eq!(counts(&import(dir.path(), "clean.db", "gw.jsonl")), (6, 5, 0, 1, None));
    assert_eq!(totals(dir.path(), "clean.db"), totals(dir.path(), "s.db"));
}

#[test]
fn a_last_line_without_its_end_waits_for_the_next_import() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    // The writer is half-way through line 3.
    let third = call("r3", 3);
    let (first_half, second_half) = third.split_at(60);
    std::fs::write(&log, [call("r1", 1), call("r2", 2), first_half.to_string()].concat()).unwrap();
    let v = import(dir.path(), "s.db", "gw.jsonl");
    // Not a reject: two lines imported, and a warning names line 3.
    assert_eq!(counts(&v), (2, 2, 0, 0, None));
    let warning = v["files"][0]["warnings"][0].as_str().unwrap();
    assert!(warning.starts_with("line 3 has no line end yet"), "{warning}");
    assert!(rejects(dir.path(), "s.db").is_empty());

    // The line is finished and one more written: both read, from line 3.
    append(&log, &[second_half.to_string(), call("r4", 4)].concat());
    let v = import(dir.path(), "s.db", "gw.jsonl");
    assert_eq!(counts(&v), (2, 2, 0, 0, Some(3)));
    assert!(rejects(dir.path(), "s.db").is_empty());
    // 4 calls × $0.0035 = $0.014, as a clean import of the finished file.
    assert_eq!(totals(dir.path(), "s.db"), (4, 4_000, 400, 0.014));
    import(dir.path(), "clean.db", "gw.jsonl");
    assert_eq!(totals(dir.path(), "clean.db"), totals(dir.path(), "s.db"));
}

#[test]
fn a_complete_last_line_without_a_line_end_is_kept_and_read_again_as_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    let second = call("r2", 2);
    std::fs::write(&log, [call("r1", 1), second.trim_end().to_string()].concat()).unwrap();
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (2, 2, 0, 0, None));
    // Its line end and a third call: line 2 is read again (a duplicate), line 3 is new.
    append(&log, &["\n".to_string(), call("r3", 3)].concat());
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (2, 1, 1, 0, Some(2)));
    // 3 × $0.0035 = $0.0105.
    assert_eq!(totals(dir.path(), "s.db"), (3, 3_000, 300, 0.0105));
}

#[test]
fn a_rewritten_file_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    std::fs::write(&log, [call("r1", 1), call("r2", 2), call("r3", 3)].concat()).unwrap();
    import(dir.path(), "s.db", "gw.jsonl");
    // Longer, but its first line is another call now: every line is read again.
    std::fs::write(
        &log,
        [call("r9", 9), call("r2", 2), call("r3", 3), call("r4", 4)].concat(),
    )
    .unwrap();
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (4, 2, 2, 0, None));
    // r1, r2, r3 from the first version, r9 and r4 from the second: 5 × $0.0035 = $0.0175.
    assert_eq!(totals(dir.path(), "s.db"), (5, 5_000, 500, 0.0175));
}

#[test]
fn a_truncated_file_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    std::fs::write(
        &log,
        [call("r1", 1), call("r2", 2), call("r3", 3), call("r4", 4)].concat(),
    )
    .unwrap();
    import(dir.path(), "s.db", "gw.jsonl");
    // Cut back to two lines (rotated in place), then one more written: shorter than where
    // the import ended, so it is read from the start.
    std::fs::write(&log, [call("r1", 1), call("r2", 2), call("r5", 5)].concat()).unwrap();
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (3, 1, 2, 0, None));
    // r1…r5: 5 × $0.0035 = $0.0175.
    assert_eq!(totals(dir.path(), "s.db"), (5, 5_000, 500, 0.0175));
}

/// A Claude Code assistant line: message `id` with `input` and `output` tokens.
fn claude(id: &str, input: u64, output: u64, second: u32) -> String {
    format!(
        "{{\"type\":\"assistant\",\"sessionId\":\"s-1\",\"cwd\":\"/home/dev/app\",\"requestId\":\"req_{id}\",\"timestamp\":\"2026-11-01T09:00:{second:02}Z\",\"message\":{{\"id\":\"msg_{id}\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{{\"input_tokens\":{input},\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":{output}}}}}}}\n"
    )
}

#[test]
fn a_claude_code_transcript_appended_to_keeps_the_copy_with_most_output() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("projects/app/s-1.jsonl");
    std::fs::create_dir_all(session.parent().unwrap()).unwrap();
    // Streaming: the first copy of message A carries a placeholder output of 1.
    std::fs::write(&session, claude("A", 1000, 1, 1)).unwrap();
    let v = import(dir.path(), "s.db", "projects/app/s-1.jsonl");
    assert_eq!(v["files"][0]["source"], "claude-code");
    // 1,000 × $3/M + 1 × $15/M = $0.003015.
    assert_eq!(totals(dir.path(), "s.db"), (1, 1_000, 1, 0.003015));

    // The session goes on: A's final copy (500 output) and message B (2,000 in, 100 out).
    append(
        &session,
        &[claude("A", 1000, 500, 2), claude("B", 2000, 100, 3)].concat(),
    );
    let v = import(dir.path(), "s.db", "projects/app/s-1.jsonl");
    assert_eq!(counts(&v), (2, 1, 1, 0, Some(2)));
    assert_eq!(v["files"][0]["replaced"], 1);
    // A: $0.003 + 500 × $15/M = $0.0105; B: 2,000 × $3/M + 100 × $15/M = $0.0075; $0.018.
    assert_eq!(totals(dir.path(), "s.db"), (2, 3_000, 600, 0.018));
    import(dir.path(), "clean.db", "projects/app/s-1.jsonl");
    assert_eq!(totals(dir.path(), "clean.db"), totals(dir.path(), "s.db"));
}

#[test]
fn a_file_imported_before_this_version_is_read_whole_once_then_followed() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    std::fs::write(&log, [call("r1", 1), call("r2", 2)].concat()).unwrap();
    import(dir.path(), "s.db", "gw.jsonl");
    // As a store of schema 4 knows it: no resume columns filled.
    let conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    conn.execute_batch("UPDATE files SET resume_offset = NULL, resume_line = NULL, resume_hash = NULL")
        .unwrap();
    drop(conn);
    append(&log, &call("r3", 3));
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (3, 1, 2, 0, None));
    append(&log, &call("r4", 4));
    assert_eq!(counts(&import(dir.path(), "s.db", "gw.jsonl")), (1, 1, 0, 0, Some(4)));
}

/// `kill -9` in the middle of an import: the store is as it was before that input, and the
/// next import works. Standard input is used so the import is surely in progress: 40,000
/// lines are written into the pipe, and once the write returns the reader has taken all but
/// its buffers (a few hundred KiB) — so the writer has received at least half of the lines
/// (the channel between them holds 8 batches of 2,048) into its open transaction. Stdin stays
/// open, so the import cannot finish before it is killed.
#[cfg(unix)]
#[test]
fn kill_9_during_an_import_leaves_the_store_as_before_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.jsonl"), [call("r1", 1), call("r2", 2)].concat()).unwrap();
    import(dir.path(), "s.db", "a.jsonl");
    let before = totals(dir.path(), "s.db");
    // 2 × $0.0035 = $0.007.
    assert_eq!(before, (2, 2_000, 200, 0.007));

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cost"))
        .current_dir(dir.path())
        .env("COST_DATA_DIR", common::quiet_data_dir())
        .env("COST_NOW", "2026-11-01T12:00:00Z")
        .args(["--db", "s.db", "-q", "import", "-", "--source", "envelope"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let lines: String = (0..40_000).map(|i| call(&format!("k{i}"), i % 24)).collect();
    stdin.write_all(lines.as_bytes()).unwrap();
    stdin.flush().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stdin);

    assert_eq!(totals(dir.path(), "s.db"), before);
    let conn = rusqlite::Connection::open(dir.path().join("s.db")).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM requests", [], |r| r.get(0))
        .unwrap();
    let files: i64 = conn.query_row("SELECT COUNT(*) FROM files", [], |r| r.get(0)).unwrap();
    assert_eq!((rows, files), (2, 1));
    drop(conn);
    // The store takes the next import as usual: 2 + 1 calls, $0.0105.
    std::fs::write(dir.path().join("b.jsonl"), call("r3", 3)).unwrap();
    assert_eq!(counts(&import(dir.path(), "s.db", "b.jsonl")), (1, 1, 0, 0, None));
    assert_eq!(totals(dir.path(), "s.db"), (3, 3_000, 300, 0.0105));
}

/// One large file read in parts of ~4 KiB (about 12 lines) on three reader threads is stored
/// exactly as when one thread reads it whole: the same rows, rejects at the same line numbers
/// (a part's lines are numbered on from the parts before it), duplicates found across parts,
/// and a mark a later import reads on from.
#[test]
fn a_file_read_in_parts_on_several_threads_is_stored_as_if_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    // A byte-order mark, 1,200 calls; after every 97th call a re-shipped copy of the call 50
    // before it, after every 101st a broken line, after every 250th a blank line.
    let mut text = String::from("\u{feff}");
    let (mut line, mut bad_lines, mut copies) = (0u64, Vec::new(), 0);
    for i in 0..1200u32 {
        text.push_str(&call(&format!("r{i}"), i % 24));
        line += 1;
        if i % 97 == 96 {
            text.push_str(&call(&format!("r{}", i - 50), (i - 50) % 24));
            line += 1;
            copies += 1;
        }
        if i % 101 == 100 {
            text.push_str("{\"timestamp\":\"2026-11-01T01:00:00Z\",\"request_id\":\n");
            line += 1;
            bad_lines.push(line as i64);
        }
        if i % 250 == 249 {
            text.push('\n');
            line += 1;
        }
    }
    std::fs::write(&log, &text).unwrap();
    assert_eq!((copies, bad_lines.len()), (12, 11));
    // The first broken line follows 101 calls and one copy; the second 202 calls, two copies
    // and a broken line; the third 303 calls, three copies, two broken lines and a blank one.
    assert_eq!(&bad_lines[..3], &[103, 206, 310]);

    let parts = import_in_parts(dir.path(), "parts.db", "gw.jsonl");
    let whole = import(dir.path(), "whole.db", "gw.jsonl");
    // 1,223 lines that are not blank: 1,200 calls stored, 12 copies, 11 rejects.
    assert_eq!(counts(&parts), (1223, 1200, 12, 11, None));
    assert_eq!(parts["files"], whole["files"]);
    let reject_lines: Vec<i64> = rejects(dir.path(), "parts.db").into_iter().map(|r| r.0).collect();
    assert_eq!(reject_lines, bad_lines);
    assert_eq!(rejects(dir.path(), "parts.db"), rejects(dir.path(), "whole.db"));
    // 1,200 calls × $0.0035 = $4.20.
    assert_eq!(totals(dir.path(), "parts.db"), (1200, 1_200_000, 120_000, 4.2));
    // Every stored row the same, with its line number.
    let export = |db: &str| {
        let out = cost_in(dir.path())
            .args(["--db", db, "export", "--format", "jsonl"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut rows: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(String::from)
            .collect();
        rows.sort();
        rows
    };
    let rows = export("parts.db");
    assert_eq!(rows.len(), 1200);
    assert_eq!(rows, export("whole.db"));
    let last: Value = serde_json::from_str(rows.iter().find(|r| r.contains("\"key\":\"r1199\"")).unwrap()).unwrap();
    assert_eq!(last["line"], line, "{last}"); // the file's last line, 1,227

    // Five more calls and the start of a sixth: read on from the end of the split import.
    let sixth = call("r1205", 5);
    append(
        &log,
        &[
            (1200..1205).map(|i| call(&format!("r{i}"), 5)).collect::<String>(),
            sixth[..50].to_string(),
        ]
        .concat(),
    );
    let v = import_in_parts(dir.path(), "parts.db", "gw.jsonl");
    assert_eq!(counts(&v), (5, 5, 0, 0, Some(line + 1)));
    let warning = v["files"][0]["warnings"][0].as_str().unwrap();
    assert!(
        warning.starts_with(&format!("line {} has no line end yet", line + 6)),
        "{warning}"
    );
}

/// In a file read in parts the last line, still being written, is left for the next import
/// under its line number in the whole file — here a 10 KB line, cut after 9,000 bytes, so the
/// split points of the last 4 KiB parts fall inside it.
#[test]
fn a_file_read_in_parts_leaves_its_unfinished_last_line_under_its_own_number() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("gw.jsonl");
    let note = format!(r#""team":"support","note":"{}""#, "x".repeat(10_000));
    let last = call("r300", 7).replace(r#""team":"support""#, &note);
    let (head, tail) = last.split_at(9_000);
    let calls: String = (0..300).map(|i| call(&format!("r{i}"), i % 24)).collect();
    std::fs::write(&log, [calls, head.to_string()].concat()).unwrap();
    let v = import_in_parts(dir.path(), "s.db", "gw.jsonl");
    assert_eq!(counts(&v), (300, 300, 0, 0, None));
    let warning = v["files"][0]["warnings"][0].as_str().unwrap();
    assert!(warning.starts_with("line 301 has no line end yet"), "{warning}");

    append(&log, tail);
    let v = import_in_parts(dir.path(), "s.db", "gw.jsonl");
    assert_eq!(counts(&v), (1, 1, 0, 0, Some(301)));
    // 301 calls × $0.0035 = $1.0535.
    assert_eq!(totals(dir.path(), "s.db"), (301, 301_000, 30_100, 1.0535));
}
