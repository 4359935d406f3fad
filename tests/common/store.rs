//! Stores built from hand-made usage: a scratch project whose `usage.csv` is imported into
//! `s.db`, and `cost` run against it at a pinned "now". Shared by the analysis and dashboard
//! tests, which work their figures out by hand from the prices in their own cost.toml.

use super::{cost_in, project};
use assert_cmd::Command;
use serde_json::Value;

/// The CSV header of the usage files: the generic importer reads these columns by name.
pub const HEADER: &str = "timestamp,request_id,model,team,template,uncached_input_tokens,cache_read_tokens,cache_write_5m_tokens,cache_write_1h_tokens,output_tokens,requests";

/// Usage rows in the generic CSV shape, one call (or one aggregate of `requests` calls) a row;
/// request ids are numbered in order so every row is its own record.
#[derive(Default)]
pub struct Usage {
    csv: String,
    rows: usize,
}

/// One row of usage: the buckets not named are 0, `requests` is 1.
pub struct Row<'a> {
    pub day: &'a str,
    pub team: &'a str,
    pub template: &'a str,
    pub model: &'a str,
    pub input: u64,
    pub cache_read: u64,
    pub write_5m: u64,
    pub write_1h: u64,
    pub output: u64,
    pub requests: u64,
}

impl Default for Row<'_> {
    fn default() -> Self {
        Row {
            day: "2026-10-01",
            team: "",
            template: "",
            model: "unit-model",
            input: 0,
            cache_read: 0,
            write_5m: 0,
            write_1h: 0,
            output: 0,
            requests: 1,
        }
    }
}

/// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break, so
/// names like `a,b` reach the importer whole.
fn quoted(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

impl Usage {
    pub fn new() -> Usage {
        Usage::default()
    }

    /// Adds a row at noon UTC on `row.day` (YYYY-MM-DD).
    pub fn add(&mut self, row: Row) -> &mut Usage {
        use std::fmt::Write as _;
        self.rows += 1;
        writeln!(
            self.csv,
            "{}T12:00:00Z,r{},{},{},{},{},{},{},{},{},{}",
            row.day,
            self.rows,
            quoted(row.model),
            quoted(row.team),
            quoted(row.template),
            row.input,
            row.cache_read,
            row.write_5m,
            row.write_1h,
            row.output,
            row.requests
        )
        .unwrap();
        self
    }

    /// The whole file, header first.
    pub fn csv(&self) -> String {
        format!("{HEADER}\n{}", self.csv)
    }
}

/// Calls in the envelope shape (JSONL), with what the CSV cannot carry: a session, a status
/// and tags. Request ids are numbered in order, so every call is its own record.
#[derive(Default)]
pub struct Calls {
    jsonl: String,
    n: usize,
}

/// One call: `at` is RFC 3339 UTC; the provider is `openai` (prompt tokens include cache
/// reads, as OpenAI counts them); `status` is `ok` or `error`.
pub struct Call<'a> {
    pub at: &'a str,
    pub session: &'a str,
    pub team: &'a str,
    pub template: &'a str,
    pub model: &'a str,
    pub input: u64,
    pub output: u64,
    pub status: &'a str,
    pub tags: &'a [(&'a str, &'a str)],
}

impl Calls {
    pub fn new() -> Calls {
        Calls::default()
    }

    pub fn add(&mut self, c: Call) -> &mut Calls {
        self.n += 1;
        let tags = serde_json::Value::Object(
            c.tags
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect(),
        );
        let line = serde_json::json!({
            "timestamp": c.at,
            "request_id": format!("c{}", self.n),
            "provider": "openai",
            "session_id": c.session,
            "status": c.status,
            "metadata": {"team": c.team, "template": c.template},
            "tags": tags,
            "response": {"model": c.model, "usage": {"prompt_tokens": c.input, "completion_tokens": c.output}},
        });
        self.jsonl.push_str(&line.to_string());
        self.jsonl.push('\n');
        self
    }

    pub fn jsonl(&self) -> &str {
        &self.jsonl
    }
}

/// A scratch project with `cost.toml` = `config` and `calls.jsonl` = `calls`, the calls
/// imported into `s.db` (the import must succeed).
pub fn imported_calls(config: &str, calls: &Calls) -> tempfile::TempDir {
    let dir = project(&[("cost.toml", config), ("calls.jsonl", calls.jsonl())]);
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("s.db"))
        .args(["import", "calls.jsonl", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// A scratch project with `cost.toml` = `config`, `usage.csv` = `usage` and any other `files`,
/// the usage imported into `s.db` (the import must succeed).
pub fn imported(config: &str, usage: &Usage, files: &[(&str, &str)]) -> tempfile::TempDir {
    let csv = usage.csv();
    let mut all = vec![("cost.toml", config), ("usage.csv", csv.as_str())];
    all.extend_from_slice(files);
    let dir = project(&all);
    let out = cost_in(dir.path())
        .env("COST_DB", dir.path().join("s.db"))
        .args(["import", "usage.csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    dir
}

/// `cost` run in the project `dir` on its store `s.db`, with "now" = `now`.
pub fn cost_at(dir: &tempfile::TempDir, now: &str) -> Command {
    let mut cmd = cost_in(dir.path());
    cmd.env("COST_DB", dir.path().join("s.db")).env("COST_NOW", now);
    cmd
}

/// Runs `args --format json` on the store of `dir` at `now`: (exit code, the JSON, or
/// `Value::Null` when stdout is not JSON).
pub fn run_json(dir: &tempfile::TempDir, now: &str, args: &[&str]) -> (i32, Value) {
    let out = cost_at(dir, now)
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v)
}

/// Runs `args` on the store of `dir` at `now`: (exit code, stdout, stderr).
pub fn run_text(dir: &tempfile::TempDir, now: &str, args: &[&str]) -> (i32, String, String) {
    let out = cost_at(dir, now).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
