//! OpenCode (`~/.local/share/opencode/opencode.db`) and Kilo (`~/.local/share/kilo/kilo.db`)
//! (LOG-FORMATS §21): one SQLite reader for both. Every row of `message` whose JSON `data` is
//! an assistant message with `tokens` is one call: `tokens.input` is the uncached input (the
//! cache is **outside** it), `tokens.cache.{read,write}`, `tokens.output`, and the `cost` the
//! agent computed is kept as the reported cost.
//!
//! The database is opened read-only; when the running agent holds a lock on it (or it cannot
//! be opened in place), the file and its write-ahead log are copied to a temporary directory
//! and the copy is read. A database given on standard input is spooled to such a copy.
//!
//! Reasoning: OpenCode's `tokens.output` already holds the reasoning of OpenAI and Anthropic
//! models (their APIs count it inside the output), so `tokens.reasoning` is display only there;
//! Google's API counts thoughts apart from the output, so for Gemini models they are added.

use crate::import::fields;
use crate::import::lenient::count_value;
use crate::import::record::{Outcome, Parsed, Status, Tokens, UsageRecord};
use crate::import::source::{Emit, FileCtx, Sample, Source};
use rusqlite::{Connection, OpenFlags};
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub struct OpenCode;
pub struct Kilo;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// The query both agents answer: one row per message, in the order they were written.
const QUERY: &str = "SELECT id, session_id, data FROM message ORDER BY rowid";

impl Source for OpenCode {
    fn name(&self) -> &'static str {
        "opencode"
    }
    fn about(&self) -> &'static str {
        "OpenCode's database: ~/.local/share/opencode/opencode.db (SQLite)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.head.starts_with(SQLITE_MAGIC) && file_name(s.path).starts_with("opencode")
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        read_db(self.name(), input, ctx, emit)
    }
}

impl Source for Kilo {
    fn name(&self) -> &'static str {
        "kilo"
    }
    fn about(&self) -> &'static str {
        "Kilo's database: ~/.local/share/kilo/kilo.db (SQLite)"
    }
    fn sniff(&self, s: &Sample) -> bool {
        s.head.starts_with(SQLITE_MAGIC) && file_name(s.path).starts_with("kilo")
    }
    fn read(&self, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
        read_db(self.name(), input, ctx, emit)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// A temporary directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!(
            "cost-agent-db-{}-{}-{nanos}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One message row as read.
type Row = (String, Option<String>, Result<String, String>);

/// Every message row of the database at `path`, read in place (read-only).
fn rows_in_place(path: &Path) -> rusqlite::Result<Vec<Row>> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(std::time::Duration::from_millis(250))?;
    rows(&conn)
}

fn rows(conn: &Connection) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare(QUERY)?;
    let mapped = stmt.query_map([], |r| {
        let id: String = match r.get_ref(0)? {
            rusqlite::types::ValueRef::Integer(i) => i.to_string(),
            v => String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).into_owned(),
        };
        let session: Option<String> = r.get::<_, Option<String>>(1).ok().flatten();
        let data = match r.get_ref(2)? {
            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                String::from_utf8(t.to_vec()).map_err(|_| "`data` is not UTF-8 text".to_string())
            }
            rusqlite::types::ValueRef::Null => Err("`data` is empty".to_string()),
            _ => Err("`data` is not JSON text".to_string()),
        };
        Ok((id, session, data))
    })?;
    mapped.collect()
}

/// Copies the database (with its write-ahead log or journal) into `scratch` and reads the
/// copy.
fn rows_of_copy(path: &Path, scratch: &Scratch) -> Result<Vec<Row>, String> {
    let copy = scratch.0.join("agent.db");
    std::fs::copy(path, &copy).map_err(|e| format!("could not copy it: {e}"))?;
    // The write-ahead log holds the latest writes; a rollback journal left by a writer that
    // stopped part-way is rolled back when the copy is opened.
    for suffix in ["-wal", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.is_file() {
            std::fs::copy(&side, scratch.0.join(format!("agent.db{suffix}")))
                .map_err(|e| format!("could not copy its {suffix}: {e}"))?;
        }
    }
    let conn = Connection::open(&copy).map_err(|e| e.to_string())?;
    rows(&conn).map_err(|e| e.to_string())
}

fn read_db(source: &str, input: &mut dyn BufRead, ctx: &mut FileCtx, emit: &mut Emit) -> std::io::Result<()> {
    let on_disk = ctx.path.is_file();
    let result = if on_disk {
        match rows_in_place(ctx.path) {
            Ok(rows) => Ok(rows),
            Err(first) => {
                let scratch = Scratch::new()?;
                let copied = rows_of_copy(ctx.path, &scratch);
                if copied.is_ok() {
                    ctx.warn(format!("could not be read in place ({first}): a copy was read"));
                }
                copied.map_err(|e| format!("{first}; then {e}"))
            }
        }
    } else {
        // Standard input: the database is written to a private copy first.
        let scratch = Scratch::new()?;
        let copy = scratch.0.join("agent.db");
        let mut file = std::fs::File::create(&copy)?;
        std::io::copy(input, &mut file)?;
        drop(file);
        Connection::open(&copy)
            .and_then(|c| rows(&c))
            .map_err(|e| e.to_string())
    };
    let rows = result.map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not a readable {source} database ({e})"),
        )
    })?;
    for (i, (id, session, data)) in rows.into_iter().enumerate() {
        let outcome = match data {
            Ok(text) => message(source, &id, session.as_deref(), &text),
            Err(e) => Outcome::Rejected(format!("message {id}: {e}")),
        };
        let parsed = Parsed {
            line: i as u64 + 1,
            outcome,
            // A message holds no prompt text in `data`, but the row id says where it is.
            excerpt: None,
        };
        if !emit(parsed) {
            break;
        }
    }
    Ok(())
}

/// One `message` row's `data`.
fn message(source: &str, id: &str, session: Option<&str>, data: &str) -> Outcome {
    let v: Value = match serde_json::from_str(data) {
        Ok(v) => v,
        Err(e) => return Outcome::Rejected(format!("message {id}: {}", crate::import::source::json_reason(&e))),
    };
    if v.get("role").and_then(Value::as_str) != Some("assistant") {
        return Outcome::Skipped("not an assistant message");
    }
    let Some(t) = v.get("tokens").filter(|t| t.is_object()) else {
        return Outcome::Skipped("an assistant message without token counts (still streaming?)");
    };
    let reject = |e: String| Outcome::Rejected(format!("message {id}: {e}"));
    let n = |path: &str| -> Result<u64, String> {
        match fields::path(t, path) {
            None => Ok(0),
            Some(x) => count_value(x, &format!("tokens.{path}")).map(Option::unwrap_or_default),
        }
    };
    let counts = (|| {
        Ok::<_, String>((
            n("input")?,
            n("output")?,
            n("reasoning")?,
            n("cache.read")?,
            n("cache.write")?,
        ))
    })();
    let (input, output, reasoning, read, write) = match counts {
        Ok(c) => c,
        Err(e) => return reject(e),
    };
    if input + output + reasoning + read + write == 0 {
        return Outcome::Skipped("an assistant message of zero tokens");
    }
    let Some(model) = fields::str_field(&v, "modelID").filter(|m| !m.is_empty()) else {
        return reject("an assistant message without `modelID`".into());
    };
    let provider = fields::str_field(&v, "providerID").filter(|p| !p.is_empty());
    let timestamp_ms = match fields::path(&v, "time.created") {
        Some(Value::Number(ms)) => match ms.as_f64() {
            Some(ms) if ms.is_finite() && ms > 0.0 => ms.round() as i64,
            _ => return reject(format!("`time.created` {ms} is not a time in milliseconds")),
        },
        Some(Value::String(s)) => match fields::parse_time(s) {
            Ok(ms) => ms,
            Err(e) => return reject(e),
        },
        _ => return reject("missing `time.created`".into()),
    };
    let google = provider
        .as_deref()
        .is_some_and(|p| p.starts_with("google") || p.contains("vertex"))
        || model.starts_with("gemini");
    let output = if google {
        output + reasoning
    } else if reasoning > output {
        return reject(format!(
            "tokens.reasoning ({reasoning}) is larger than the tokens.output it is part of ({output})"
        ));
    } else {
        output
    };
    let project = ["path.root", "path.cwd"]
        .iter()
        .find_map(|p| fields::path(&v, p).and_then(Value::as_str))
        .filter(|p| !p.is_empty())
        .map(str::to_string);
    let session = session
        .map(str::to_string)
        .or_else(|| fields::str_field(&v, "sessionID"))
        .filter(|s| !s.is_empty());
    let reported = match v.get("cost") {
        Some(Value::Number(c)) => c.as_f64(),
        _ => None,
    };
    let failed = v.get("error").is_some_and(|e| !e.is_null());
    Outcome::Record(Box::new(UsageRecord {
        timestamp_ms,
        key: Some(format!("{source}:{id}")),
        provider,
        model,
        tier: "standard".into(),
        tokens: Tokens {
            uncached_input: input,
            cache_read: read,
            cache_write_5m: write,
            cache_write_1h: 0,
            output,
            reasoning,
        },
        requests: 1,
        project,
        session,
        status: Some(if failed { Status::Error } else { Status::Ok }),
        reported_cost_usd: reported,
        ..UsageRecord::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(o: Outcome) -> UsageRecord {
        match o {
            Outcome::Record(r) => *r,
            other => panic!("not a record: {other:?}"),
        }
    }

    #[test]
    fn cache_is_outside_input_and_gemini_thoughts_are_added() {
        let r = rec(message(
            "opencode",
            "msg_1",
            Some("ses_1"),
            r#"{"role":"assistant","modelID":"claude-sonnet-4-5","providerID":"anthropic","time":{"created":1767312000000},"tokens":{"input":120,"output":300,"reasoning":40,"cache":{"read":9000,"write":500}},"cost":0.0123}"#,
        ));
        assert_eq!(
            (
                r.tokens.uncached_input,
                r.tokens.cache_read,
                r.tokens.cache_write_5m,
                r.tokens.output,
                r.tokens.reasoning
            ),
            (120, 9_000, 500, 300, 40)
        );
        assert_eq!(r.reported_cost_usd, Some(0.0123));
        let g = rec(message(
            "kilo",
            "m2",
            None,
            r#"{"role":"assistant","modelID":"gemini-2.5-pro","providerID":"google","time":{"created":1767312000000},"tokens":{"input":100,"output":50,"reasoning":70,"cache":{"read":0,"write":0}}}"#,
        ));
        assert_eq!((g.tokens.output, g.tokens.reasoning), (120, 70));
    }
}
