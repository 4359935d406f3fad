//! Prices that nothing silently gets wrong (DESIGN §12, issue 14 points 2, 3 and 19):
//! `[prices]` overrides reach every name that resolves to them, bare names logged with a
//! provider find the table's `<provider>/` key, and newer LiteLLM tables imported with
//! `cost pricing import` price everything from then on. Every run is the real binary on real
//! files: a store on disk, a data directory in a tempdir.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A project with its own data directory (imported tables, the age-hint stamp) and store.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(files: &[(&str, &str)]) -> Env {
        Env { dir: project(files) }
    }
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("usage.db")
    }
    /// `cost` in the project on 2026-11-01 (the shipped table is 100 days old then).
    fn cmd(&self) -> assert_cmd::Command {
        self.on("2026-11-01T12:00:00Z")
    }
    fn on(&self, now: &str) -> assert_cmd::Command {
        let mut c = cost_in(self.dir.path());
        c.env("COST_DATA_DIR", self.data())
            .env("COST_DB", self.db())
            .env("COST_NOW", now);
        c
    }
    fn json(&self, args: &[&str]) -> Value {
        let mut c = self.cmd();
        c.args(args).args(["--format", "json", "-q"]);
        json(&mut c)
    }
    fn report_total(&self) -> f64 {
        self.json(&["report", "--since", "2026-10-01", "--until", "2026-10-31"])["totals"]["cost_usd"]
            .as_f64()
            .unwrap()
    }
}

fn row<'a>(report: &'a Value, model: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == model)
        .unwrap_or_else(|| panic!("no row for {model}: {report:#}"))
}

/// Gateway envelope lines (LOG-FORMATS §7): a dated OpenAI snapshot, an Azure deployment
/// logged by its LiteLLM key, and a Bedrock regional profile.
const OVERRIDE_LOG: &str = r#"{"timestamp":"2026-10-05T10:00:00Z","request_id":"r1","provider":"openai","request":{"model":"gpt-4o"},"response":{"id":"c1","model":"gpt-4o-2024-08-06","usage":{"prompt_tokens":1000000,"completion_tokens":100000}}}
{"timestamp":"2026-10-05T11:00:00Z","request_id":"r2","provider":"azure","response":{"id":"c2","model":"azure/gpt-4o","usage":{"prompt_tokens":500000,"completion_tokens":50000}}}
{"timestamp":"2026-10-06T09:00:00Z","request_id":"r3","provider":"bedrock","response":{"id":"c3","model":"us.anthropic.claude-sonnet-4-5-20250929-v1:0","usage":{"input_tokens":100000,"output_tokens":10000}}}
"#;

const OVERRIDES: &str =
    "[prices.\"gpt-4o\"]\ninput = 2.0\noutput = 8.0\n\n[prices.\"claude-sonnet-4-5\"]\ninput = 2.0\noutput = 10.0\n";

#[test]
fn an_override_prices_every_name_that_resolves_to_it() {
    let env = Env::new(&[
        ("cost.toml", OVERRIDES),
        ("templates/hello.prompt", "user:\nHello"),
        ("usage.jsonl", OVERRIDE_LOG),
    ]);
    // Estimate: `user: Hello` is 8 input tokens with chat framing; 100 output tokens.
    // gpt-4o-2024-08-06 and azure/gpt-4o at the negotiated $2/M in, $8/M out:
    // 8 × 2e-6 + 100 × 8e-6 = 0.000016 + 0.0008 = $0.000816 per call
    // (the list price would be 8 × 2.5e-6 + 100 × 1e-5 = $0.00102).
    for model in ["gpt-4o-2024-08-06", "azure/gpt-4o"] {
        let v = env.json(&[
            "estimate",
            "templates/hello.prompt",
            "--model",
            model,
            "--output-tokens",
            "100",
        ]);
        let r = &v["rows"][0];
        assert_eq!(r["model"], model);
        assert_eq!(r["model_priced"], "gpt-4o", "{model}");
        assert_eq!(r["price_source"], "config", "{model}");
        assert_eq!(r["input_tokens"], 8);
        assert_eq!(r["cost_per_call_usd"].as_f64(), Some(0.000816), "{model}");
    }
    // The table says which entry priced the row.
    let table = stdout(
        env.cmd()
            .args(["estimate", "templates/hello.prompt", "--model", "gpt-4o-2024-08-06"]),
    );
    assert!(
        table.contains("Priced by cost.toml: gpt-4o-2024-08-06 by [prices.\"gpt-4o\"]."),
        "{table}"
    );

    // Real usage: the same override, whatever name the log carries.
    // r1 gpt-4o-2024-08-06: 1,000,000 × $2/M + 100,000 × $8/M = 2.00 + 0.80 = $2.80
    //    (its own table entry would say 2.50 + 1.00 = $3.50)
    // r2 azure/gpt-4o: 500,000 × $2/M + 50,000 × $8/M = 1.00 + 0.40 = $1.40 (list $1.75)
    // r3 us.anthropic.claude-sonnet-4-5-20250929-v1:0 under [prices."claude-sonnet-4-5"]
    //    (100,000 input: under the 200k long-context threshold):
    //    100,000 × $2/M + 10,000 × $10/M = 0.20 + 0.10 = $0.30 (the profile's own
    //    $3.30/$16.50 would be 0.33 + 0.165 = $0.495)
    let imported = env.json(&["import", "usage.jsonl"]);
    assert_eq!(imported["imported"], 3);
    assert_eq!(imported["unpriced"], 0);
    let report = env.json(&[
        "report",
        "--by",
        "model",
        "--since",
        "2026-10-01",
        "--until",
        "2026-10-31",
    ]);
    assert_eq!(row(&report, "gpt-4o-2024-08-06")["cost_usd"].as_f64(), Some(2.8));
    assert_eq!(row(&report, "azure/gpt-4o")["cost_usd"].as_f64(), Some(1.4));
    assert_eq!(
        row(&report, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")["cost_usd"].as_f64(),
        Some(0.3)
    );
    assert_eq!(report["totals"]["cost_usd"].as_f64(), Some(4.5));

    // `models --resolve` shows the chain: logged name → table entry → the entry that prices it.
    let v = env.json(&["models", "--resolve", "azure/gpt-4o"]);
    assert_eq!(v["table_key"], "azure/gpt-4o");
    assert_eq!(v["priced_key"], "gpt-4o");
    assert_eq!(v["source"], "config");
    assert_eq!(v["chain"][1]["source"], "snapshot 2026-07-24");
    assert_eq!(v["chain"][1]["input_usd_per_m"].as_f64(), Some(2.5));
    assert_eq!(v["chain"][2]["step"], "priced by");
    assert_eq!(v["chain"][2]["input_usd_per_m"].as_f64(), Some(2.0));
    assert_eq!(v["chain"][2]["output_usd_per_m"].as_f64(), Some(8.0));
    let v = env.json(&["models", "--resolve", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"]);
    assert_eq!(v["table_key"], "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    assert_eq!(v["priced_key"], "claude-sonnet-4-5");
    let table = stdout(env.cmd().args(["models", "--resolve", "gpt-4o-2024-08-06"]));
    assert!(
        table.contains("`gpt-4o-2024-08-06` is priced by `gpt-4o`: cost.toml [prices.\"gpt-4o\"] (cost.toml)."),
        "{table}"
    );
    // `cost models` lists the dated snapshot at the price that applies to it.
    let v = env.json(&["models", "gpt-4o-2024-08-06"]);
    let listed = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "gpt-4o-2024-08-06")
        .unwrap();
    assert_eq!(listed["priced_by"], "gpt-4o");
    assert_eq!(listed["source"], "config");
    assert_eq!(listed["input_usd_per_m"].as_f64(), Some(2.0));
    // …and a fine-tune of it stays at the fine-tune's own price (never its base model's).
    let ft = v["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["model"] == "ft:gpt-4o-2024-08-06")
        .unwrap();
    assert_eq!(
        (&ft["source"], ft["input_usd_per_m"].as_f64()),
        (&Value::from("snapshot"), Some(3.75))
    );
}

#[test]
fn a_more_specific_override_wins() {
    let env = Env::new(&[
        (
            "cost.toml",
            &format!("{OVERRIDES}\n[prices.\"gpt-4o-2024-08-06\"]\ninput = 1.5\noutput = 6.0\n"),
        ),
        ("usage.jsonl", OVERRIDE_LOG),
    ]);
    // r1 gpt-4o-2024-08-06 by its own entry: 1,000,000 × $1.50/M + 100,000 × $6/M = $2.10
    // r2 azure/gpt-4o still by [prices."gpt-4o"]: $1.40; r3 as before: $0.30.
    env.json(&["import", "usage.jsonl"]);
    let report = env.json(&[
        "report",
        "--by",
        "model",
        "--since",
        "2026-10-01",
        "--until",
        "2026-10-31",
    ]);
    assert_eq!(row(&report, "gpt-4o-2024-08-06")["cost_usd"].as_f64(), Some(2.1));
    assert_eq!(row(&report, "azure/gpt-4o")["cost_usd"].as_f64(), Some(1.4));
    assert_eq!(report["totals"]["cost_usd"].as_f64(), Some(3.8));
    let v = env.json(&["models", "--resolve", "gpt-4o-2024-08-06"]);
    assert_eq!(v["priced_key"], "gpt-4o-2024-08-06");
    assert_eq!(v["chain"][2]["input_usd_per_m"].as_f64(), Some(1.5));
    // The dated entry inherits what it does not give from its own table entry: cached $1.25/M.
    assert_eq!(v["chain"][2]["cache_read_usd_per_m"].as_f64(), Some(1.25));
    assert_eq!(
        env.json(&["models", "--resolve", "openai/gpt-4o"])["priced_key"],
        "gpt-4o"
    );
}

#[test]
fn a_bare_mistral_name_is_priced_through_its_provider_prefix() {
    // Mistral's API logs `mistral-large-latest`; the table key is
    // `mistral/mistral-large-latest` at $0.50/M in, $1.50/M out:
    // 1,000,000 × 0.5e-6 + 200,000 × 1.5e-6 = 0.50 + 0.30 = $0.80.
    let env = Env::new(&[(
        "mistral.jsonl",
        r#"{"timestamp":"2026-10-06T11:00:00Z","request_id":"m1","provider":"mistral","response":{"id":"c3","model":"mistral-large-latest","usage":{"prompt_tokens":1000000,"completion_tokens":200000}}}
"#,
    )]);
    let imported = env.json(&["import", "mistral.jsonl"]);
    assert_eq!(imported["unpriced"], 0);
    assert_eq!(imported["cost_usd"].as_f64(), Some(0.8));
    let report = env.json(&[
        "report",
        "--by",
        "model",
        "--since",
        "2026-10-01",
        "--until",
        "2026-10-31",
    ]);
    let r = row(&report, "mistral-large-latest");
    assert_eq!(r["cost_usd"].as_f64(), Some(0.8));
    assert_eq!(r["unpriced_requests"], 0);

    // The FOCUS export prices it too (BilledCost is the first column): $0.50 input, $0.30 output.
    let focus = stdout(env.cmd().args([
        "export",
        "--format",
        "focus",
        "--since",
        "2026-10-01",
        "--until",
        "2026-10-31",
        "-q",
    ]));
    let billed = |sku: &str| {
        let line = focus
            .lines()
            .find(|l| l.contains(&format!(",{sku},")))
            .unwrap_or_else(|| panic!("{sku}: {focus}"));
        line.split(',').next().unwrap().to_string()
    };
    assert_eq!(billed("mistral/mistral-large-latest-input"), "0.5");
    assert_eq!(billed("mistral/mistral-large-latest-output"), "0.3");

    let v = env.json(&["models", "--resolve", "mistral-large-latest", "--provider", "mistral"]);
    assert_eq!(v["priced_key"], "mistral/mistral-large-latest");
    assert_eq!(v["provider_prefix"], "mistral/");
    assert_eq!(v["source"], "snapshot");
    assert_eq!(v["chain"][1]["output_usd_per_m"].as_f64(), Some(1.5));
    // Without the provider the bare name is not a key: said so, with the flag that helps.
    let (code, err) = fails(env.cmd().args(["models", "--resolve", "mistral-large-latest"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("error: `mistral-large-latest` is not a key of the price table, only with a provider prefix: `azure/mistral-large-latest`, `azure_ai/mistral-large-latest`, `mistral/mistral-large-latest`"),
        "{err}"
    );
    assert!(
        err.contains("`cost models --resolve mistral-large-latest --provider mistral`"),
        "{err}"
    );
}

/// A copy of the shipped table with gpt-4o-2024-08-06 at $2/M in (from $2.50) and $12/M out
/// (from $10), gpt-4o-2024-05-13 gone and a new gpt-9-preview.
fn newer_table(path: &Path) {
    let text = std::fs::read_to_string(repo().join("data/litellm-model-prices-2026-07-24.json")).unwrap();
    let mut table: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let entry = table["gpt-4o-2024-08-06"].as_object_mut().unwrap();
    entry.insert("input_cost_per_token".into(), serde_json::json!(2e-6));
    entry.insert("output_cost_per_token".into(), serde_json::json!(1.2e-5));
    table.remove("gpt-4o-2024-05-13").unwrap();
    table.insert(
        "gpt-9-preview".into(),
        serde_json::json!({"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 4e-6}),
    );
    std::fs::write(path, serde_json::to_string_pretty(&table).unwrap()).unwrap();
}

#[test]
fn an_imported_table_prices_everything_from_then_on() {
    let env = Env::new(&[
        ("templates/hello.prompt", "user:\nHello"),
        ("usage.jsonl", OVERRIDE_LOG.lines().next().unwrap()),
    ]);
    newer_table(&env.dir.path().join("model_prices_and_context_window.json"));
    // Before: gpt-4o-2024-08-06 at the snapshot's $2.50/$10: 2.50 + 1.00 = $3.50.
    env.json(&["import", "usage.jsonl"]);
    assert_eq!(env.report_total(), 3.5);

    let v = env.json(&[
        "pricing",
        "import",
        "model_prices_and_context_window.json",
        "--date",
        "2026-10-15",
    ]);
    assert_eq!(v["date"], "2026-10-15");
    assert_eq!(v["compared_with"], "2026-07-24");
    assert_eq!(v["replaced"], false);
    let c = &v["counts"];
    assert_eq!(
        [
            &c["added"],
            &c["removed"],
            &c["input_up"],
            &c["input_down"],
            &c["output_up"],
            &c["output_down"]
        ],
        [1, 1, 0, 1, 1, 0]
    );
    assert_eq!(v["changes"]["added"][0], "gpt-9-preview");
    assert_eq!(v["changes"]["removed"][0], "gpt-4o-2024-05-13");
    assert_eq!(v["changes"]["input_down"][0]["model"], "gpt-4o-2024-08-06");
    assert_eq!(v["changes"]["input_down"][0]["before_usd_per_m"].as_f64(), Some(2.5));
    assert_eq!(v["changes"]["input_down"][0]["after_usd_per_m"].as_f64(), Some(2.0));
    assert_eq!(v["changes"]["output_up"][0]["after_usd_per_m"].as_f64(), Some(12.0));
    let stored = env.data().join("prices/litellm-2026-10-15.json");
    assert_eq!(v["stored"], stored.display().to_string());
    assert!(stored.exists());

    // The resolve chain names the imported table; the new model is known.
    let v = env.json(&["models", "--resolve", "gpt-4o-2024-08-06"]);
    assert_eq!(v["source"], "imported");
    assert_eq!(v["chain"][1]["source"], "imported 2026-10-15");
    assert_eq!(v["chain"][1]["input_usd_per_m"].as_f64(), Some(2.0));
    assert_eq!(v["chain"][1]["output_usd_per_m"].as_f64(), Some(12.0));
    assert_eq!(
        env.json(&["models", "--resolve", "gpt-9-preview"])["priced_key"],
        "gpt-9-preview"
    );
    // A model the newer table dropped keeps its older price ($5/M in the snapshot).
    let v = env.json(&["models", "--resolve", "gpt-4o-2024-05-13"]);
    assert_eq!(v["chain"][1]["source"], "snapshot 2026-07-24");
    assert_eq!(v["chain"][1]["input_usd_per_m"].as_f64(), Some(5.0));
    // Estimates use it: 8 × 2e-6 + 100 × 1.2e-5 = 0.000016 + 0.0012 = $0.001216 per call.
    let v = env.json(&[
        "estimate",
        "templates/hello.prompt",
        "--model",
        "gpt-4o-2024-08-06",
        "--output-tokens",
        "100",
    ]);
    assert_eq!(v["rows"][0]["price_source"], "imported");
    assert_eq!(v["rows"][0]["cost_per_call_usd"].as_f64(), Some(0.001216));
    assert_eq!(v["prices_as_of"], "2026-10-15");
    assert_eq!(v["prices_imported"], "2026-10-15");

    // Stored usage keeps its price until `import --update` re-prices it:
    // 1,000,000 × $2/M + 100,000 × $12/M = 2.00 + 1.20 = $3.20.
    assert_eq!(env.report_total(), 3.5);
    let v = env.json(&["import", "--update", "usage.jsonl"]);
    assert_eq!(v["updated"], 1);
    assert_eq!(env.report_total(), 3.2);

    // `pricing show` lists both tables.
    let v = env.json(&["pricing", "show"]);
    assert_eq!(v["prices_as_of"], "2026-10-15");
    assert_eq!(v["age_days"], 17);
    let tables = v["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 2);
    assert_eq!(
        (&tables[0]["kind"], &tables[0]["date"], &tables[0]["newest"]),
        (
            &Value::from("snapshot"),
            &Value::from("2026-07-24"),
            &Value::from(false)
        )
    );
    assert_eq!(tables[0]["models"], tables[1]["models"]);
    assert_eq!(
        (&tables[1]["kind"], &tables[1]["path"], &tables[1]["newest"]),
        (
            &Value::from("imported"),
            &Value::from(stored.display().to_string()),
            &Value::from(true)
        )
    );
}

#[test]
fn an_invalid_table_is_refused_and_nothing_is_stored() {
    let env = Env::new(&[
        ("notes.txt", "model,price\ngpt-4o,2.5\n"),
        ("list.json", "[1, 2, 3]"),
        (
            "negative.json",
            r#"{"gpt-x": {"litellm_provider": "openai", "input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06}}"#,
        ),
        ("empty.json", r#"{"sample_spec": {"input_cost_per_token": "a number"}}"#),
        (
            "old.json",
            r#"{"gpt-x": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}}"#,
        ),
    ]);
    for (file, message) in [
        ("notes.txt", "notes.txt: not a LiteLLM price table"),
        ("list.json", "list.json: not a LiteLLM price table"),
        (
            "negative.json",
            "negative.json: `gpt-x` has a negative `input_cost_per_token`",
        ),
        ("empty.json", "empty.json: no entry has a per-token price"),
    ] {
        let (code, err) = fails(env.cmd().args(["pricing", "import", file, "--date", "2026-10-15"]));
        assert_eq!(code, 2, "{file}");
        assert!(err.contains(&format!("error: {message}")), "{file}: {err}");
        assert!(err.contains("nothing was stored"), "{file}: {err}");
    }
    let (code, err) = fails(
        env.cmd()
            .args(["pricing", "import", "old.json", "--date", "2026-01-01"]),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("old.json is dated 2026-01-01, older than the built-in table of 2026-07-24: nothing was stored"),
        "{err}"
    );
    let (code, err) = fails(env.cmd().args(["pricing", "import", "missing.json"]));
    assert_eq!(code, 2);
    assert!(err.contains("cannot read missing.json"), "{err}");
    assert!(!env.data().join("prices").exists());
    assert_eq!(env.json(&["pricing", "show"])["tables"].as_array().unwrap().len(), 1);
}

#[test]
fn the_age_hint_is_shown_once_a_day() {
    let env = Env::new(&[("old.json", "{}")]);
    let hint = |days: u32| {
        format!(
            "hint: the price table is from 2026-07-24 ({days} days old): `cost pricing import` a newer one (LiteLLM's model_prices_and_context_window.json)\n"
        )
    };
    let stderr = |now: &str, extra: &[&str]| {
        let out = env
            .on(now)
            .args(["models", "gpt-4o-mini"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    // 2026-07-24 → 2026-11-01 is 100 days (31 + 31 + 30 + 8).
    assert_eq!(stderr("2026-11-01T08:00:00Z", &[]), hint(100));
    assert_eq!(stderr("2026-11-01T18:00:00Z", &[]), "");
    assert_eq!(stderr("2026-11-02T08:00:00Z", &[]), hint(101));
    // -q prints no hint and does not use up the day's.
    assert_eq!(stderr("2026-11-03T08:00:00Z", &["-q"]), "");
    assert_eq!(stderr("2026-11-03T09:00:00Z", &[]), hint(102));
    // Under 90 days: nothing (2026-10-22 is 90 days).
    let fresh = Env::new(&[]);
    let out = fresh
        .on("2026-10-22T08:00:00Z")
        .args(["models", "gpt-4o-mini"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");

    // Once a newer table is imported, the hint is about it (and 2026-10-15 is recent).
    newer_table(&env.dir.path().join("newer.json"));
    env.on("2026-11-04T08:00:00Z")
        .args(["pricing", "import", "newer.json", "--date", "2026-10-15", "-q"])
        .assert()
        .success();
    assert_eq!(stderr("2026-11-04T09:00:00Z", &[]), "");
}

#[test]
fn the_table_date_is_the_files_modification_day_unless_given() {
    let env = Env::new(&[]);
    let file = env.dir.path().join("prices.json");
    newer_table(&file);
    // 2026-10-20T23:30:00Z: the day is taken in UTC.
    let mtime = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_792_539_000);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    // --dry-run compares and stores nothing.
    let v = env.json(&["pricing", "import", "prices.json", "--dry-run"]);
    assert_eq!(
        (&v["date"], &v["stored"], &v["dry_run"]),
        (&Value::from("2026-10-20"), &Value::Null, &Value::from(true))
    );
    assert_eq!(v["counts"]["input_down"], 1);
    assert!(!env.data().join("prices").exists());
    let v = env.json(&["pricing", "import", "prices.json"]);
    assert_eq!(v["date"], "2026-10-20");
    assert!(env.data().join("prices/litellm-2026-10-20.json").exists());
    // The same file again, for the same day: it replaces the stored one and no price moves;
    // the model it lacks is still "removed" against the prices in use (the snapshot keeps it).
    let v = env.json(&["pricing", "import", "prices.json"]);
    assert_eq!(v["replaced"], true);
    assert_eq!(v["compared_with"], "2026-10-20");
    let c = &v["counts"];
    assert_eq!(
        [
            &c["added"],
            &c["removed"],
            &c["input_up"],
            &c["input_down"],
            &c["output_up"],
            &c["output_down"]
        ],
        [0, 1, 0, 0, 0, 0]
    );
}
