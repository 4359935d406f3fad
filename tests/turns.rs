//! `cost estimate --turns N` (a conversation or agent loop that resends its history, DESIGN
//! §13) and `cost diff` on such templates, through the real binary. Money is worked out by hand
//! in the comments from the shipped 2026-07-24 snapshot: gpt-4o $2.50/M input, $10/M output;
//! claude-sonnet-4-5 $3/M input, $0.30/M cache read, $3.75/M cache write, $15/M output.

mod common;
use common::*;
use std::path::Path;

/// Atto-dollars (1e-18 USD) from an exact decimal string as CSV prints it (`0.20357`).
fn atto(decimal: &str) -> i128 {
    let (int, frac) = decimal.split_once('.').unwrap_or((decimal, ""));
    assert!(frac.len() <= 18, "{decimal}");
    int.parse::<i128>().unwrap() * 10i128.pow(18) + format!("{frac:0<18}").parse::<i128>().unwrap()
}

/// The CSV of `cost estimate` as (header → value) maps, one per row.
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn without_cache_a_run_is_exactly_the_closed_form_on_a_real_template() {
    // templates/agent/ops.prompt on gpt-4o (exact o200k counts), its rule's 2,000 calls/day and
    // 500 output tokens, caching off (the rule says 0.7). T = 2,890 input tokens (system 1,500,
    // user 411, tools 968, framing 11); U = the user section, 411; O = 500; R = 600.
    // Each earlier turn adds U + O + R = 1,511 tokens. N = 8:
    //   N·T = 23,120; N(N−1)/2·1,511 = 28 × 1,511 = 42,308; input 65,428 × 2.5e-6 = 0.16357;
    //   output N·O = 4,000 × 1e-5 = 0.04. Per run $0.20357.
    //   Per call (the first): 2,890 × 2.5e-6 + 0.005 = $0.012225.
    //   Last call: 2,890 + 7 × 1,511 = 13,467 tokens × 2.5e-6 + 0.005 = $0.0386675.
    //   Runs per day default to calls per day: × 2,000 = $407.14/day; × 30 = $12,214.20/month.
    let args = [
        "estimate",
        "templates/agent/ops.prompt",
        "--model",
        "gpt-4o",
        "--cache-hit-rate",
        "0",
        "--turns",
        "8",
        "--tool-result-tokens",
        "600",
    ];
    let rows = csv_rows(&stdout(cost().args(args).args(["--format", "csv"])));
    let row = &rows[0];
    assert_eq!(row["input_tokens"], "2890");
    assert_eq!(row["turn_input_tokens"], "411");
    assert_eq!(row["turns"], "8");
    assert_eq!(row["runs_per_day"], "2000");
    assert_eq!(row["cost_per_call_usd"], "0.012225");
    assert_eq!(row["cost_per_run_usd"], "0.20357");
    assert_eq!(row["last_call_input_tokens"], "13467");
    assert_eq!(row["last_call_cost_usd"], "0.0386675");
    assert_eq!(row["cost_per_day_usd"], "407.14");
    assert_eq!(row["cost_per_month_usd"], "12214.2");

    // The closed form computed here, independently, from the row's own T and U, in integer
    // atto-dollars: equal to the run's cost to the last atto-dollar (so to the nano-dollar).
    let p_in: i128 = 2_500_000_000_000; // $2.50 per million
    let p_out: i128 = 10_000_000_000_000; // $10 per million
    let (n, o, r) = (8i128, 500i128, 600i128);
    let t: i128 = row["input_tokens"].parse().unwrap();
    let u: i128 = row["turn_input_tokens"].parse().unwrap();
    let closed = n * t * p_in + n * (n - 1) / 2 * (u + o + r) * p_in + n * o * p_out;
    assert_eq!(atto(&row["cost_per_run_usd"]), closed);

    // JSON: the per-turn list is there when turns > 1, and adds up to the run.
    let v = json(cost().args(args).args(["--format", "json"]));
    let turns = v["rows"][0]["per_turn"].as_array().unwrap();
    assert_eq!(turns.len(), 8);
    let inputs: Vec<u64> = turns.iter().map(|t| t["input_tokens"].as_u64().unwrap()).collect();
    assert_eq!(inputs, [2890, 4401, 5912, 7423, 8934, 10445, 11956, 13467]);
    assert_eq!(turns[7]["cumulative_usd"], 0.20357);
    assert_eq!(v["rows"][0]["cost_per_run_usd"], 0.20357);
}

#[test]
fn one_turn_is_the_single_call_estimate() {
    // --turns 1 changes nothing: per run = per call, the last call is the only one, and no
    // per-turn list is written.
    let plain = json(cost().args([
        "estimate",
        "templates/agent/ops.prompt",
        "--model",
        "gpt-4o",
        "--format",
        "json",
    ]));
    let one = json(cost().args([
        "estimate",
        "templates/agent/ops.prompt",
        "--model",
        "gpt-4o",
        "--turns",
        "1",
        "--format",
        "json",
    ]));
    assert_eq!(plain, one);
    let row = &one["rows"][0];
    assert_eq!(row["turns"], 1);
    assert_eq!(row["cost_per_run_usd"], row["cost_per_call_usd"]);
    assert_eq!(row["last_call_cost_usd"], row["cost_per_call_usd"]);
    assert!(row.get("per_turn").is_none(), "{row}");
}

/// A project whose template has a 1,208-token cacheable prefix: system 1,200 × " go" (one o200k
/// token each), a 300-token user placeholder; input T = 1,511 with framing. Claude Sonnet 4.5
/// is counted with o200k_base here so its counts are exact.
fn cached_project() -> tempfile::TempDir {
    let prefix = " go".repeat(1200);
    project(&[
        (
            "cost.toml",
            "[defaults]\nmodels = [\"claude-sonnet-4-5\"]\ncalls_per_day = 1000\noutput_tokens = 100\ncache_hit_rate = 0.5\n[prices.\"claude-sonnet-4-5\"]\ntokenizer = \"o200k_base\"\n",
        ),
        (
            "templates/t.prompt",
            &format!("+++\n[vars]\nq = {{ tokens = 300 }}\n+++\nsystem:\n{prefix}\nuser:\n{{{{ q }}}}"),
        ),
    ])
}

#[test]
fn with_cache_three_turns_by_hand() {
    // h = 0.5, T = 1,511, prefix 1,208, U = 300 (user section), O = 100, R = 200: each turn
    // adds 600 tokens. Anthropic bills cache writes.
    // Call 1 (as a single call): read 604 × 3e-7 = 0.0001812; written 604 × 3.75e-6 = 0.002265;
    //   plain 303 × 3e-6 = 0.000909; output 100 × 1.5e-5 = 0.0015. $0.0048552.
    // Call 2: input 2,111; h of the previous input 1,511 is read: 755.5 × 3e-7 = 0.00022665;
    //   the other 755.5 written × 3.75e-6 = 0.002833125; the 600 new tokens plain × 3e-6 =
    //   0.0018; output 0.0015. $0.006359775.
    // Call 3: input 2,711; previous 2,111: read 1,055.5 × 3e-7 = 0.00031665; written 1,055.5 ×
    //   3.75e-6 = 0.003958125; plain 600 × 3e-6 = 0.0018; output 0.0015. $0.007574775.
    // Run: 0.0048552 + 0.006359775 + 0.007574775 = $0.01878975; × 1,000 runs/day = $18.78975;
    // × 30 = $563.6925/month.
    let dir = cached_project();
    let rows = csv_rows(&stdout(cost_in(dir.path()).args([
        "estimate",
        "--turns",
        "3",
        "--tool-result-tokens",
        "200",
        "--format",
        "csv",
    ])));
    let row = &rows[0];
    assert_eq!(row["cacheable_prefix_tokens"], "1208");
    assert_eq!(row["turn_input_tokens"], "300");
    assert_eq!(row["cost_per_call_usd"], "0.0048552");
    assert_eq!(row["last_call_input_tokens"], "2711");
    assert_eq!(row["last_call_cost_usd"], "0.007574775");
    assert_eq!(row["cost_per_run_usd"], "0.01878975");
    assert_eq!(row["cost_per_day_usd"], "18.78975");
    assert_eq!(row["cost_per_month_usd"], "563.6925");

    let v = json(cost_in(dir.path()).args([
        "estimate",
        "--turns",
        "3",
        "--tool-result-tokens",
        "200",
        "--format",
        "json",
    ]));
    let turns = v["rows"][0]["per_turn"].as_array().unwrap();
    let reads: Vec<f64> = turns.iter().map(|t| t["cache_read_tokens"].as_f64().unwrap()).collect();
    assert_eq!(reads, [604.0, 755.5, 1055.5]);
    let writes: Vec<f64> = turns
        .iter()
        .map(|t| t["cache_write_tokens"].as_f64().unwrap())
        .collect();
    assert_eq!(writes, [604.0, 755.5, 1055.5]);
}

#[test]
fn verbose_table_shows_every_turn() {
    // The run of `with_cache_three_turns_by_hand`, with 250 runs a day: $0.01878975 × 250 =
    // $4.6974375/day (shown $4.70), × 30 = $140.923125 ($140.92). Cache reads are shown rounded
    // half-even (755.5 → 756, 1,055.5 → 1,056); costs to six places (0.006359775 → 0.006360).
    let dir = cached_project();
    let out = stdout(cost_in(dir.path()).args([
        "estimate",
        "--turns",
        "3",
        "--tool-result-tokens",
        "200",
        "--runs-per-day",
        "250",
        "-v",
    ]));
    insta::assert_snapshot!(out, @r"
    ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
     Template   Model               Input   Cached   Output   Turns   Runs/day    Per call   Last call     Per run   Per day   Per month   Sections
    ════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════════
     t          claude-sonnet-4-5   1,511      604      100       3        250   $0.004855   $0.007575   $0.018790     $4.70     $140.92   system 1,200 · user 300 · framing 11
     Total      production models                                                                                      $4.70     $140.92
    ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
    Cached: prompt-prefix tokens of the first call read from the provider's cache (cache_hit_rate × cacheable prefix); later calls read cache_hit_rate × the previous call's input
    Turns: a run of that many calls; call k resends the k−1 earlier turns (user message + output + tool results each). Per call is the first call, Last call the last, Per run all of them; per day = per run × runs/day (-v shows every turn).
    Total: each template once, on its production model (--model, else the rule's `model`, else the template's own).
    Priced by cost.toml: claude-sonnet-4-5.
    Prices: LiteLLM snapshot 2026-07-24 and cost.toml [prices]; a month is 30 days.

    ────────────────────────────────────────────────────────────────────────────────────────────
     Template   Model               Turn   Input   Cache read   Output        Cost   Cumulative
    ════════════════════════════════════════════════════════════════════════════════════════════
     t          claude-sonnet-4-5      1   1,511          604      100   $0.004855    $0.004855
                                       2   2,111          756      100   $0.006360    $0.011215
                                       3   2,711        1,056      100   $0.007575    $0.018790
    ────────────────────────────────────────────────────────────────────────────────────────────
    Turn k sends the template (T) plus k−1 earlier turns of U user + O output + R tool-result tokens; Cache read: cache_hit_rate × the previous call's input (turn 1: × the static prefix).
    t on claude-sonnet-4-5: T 1,511 + (k−1) × (U 300 + O 100 + R 200); 3 turns, $0.018790 per run.
    ");
}

#[test]
fn turns_zero_and_too_many_are_usage_errors() {
    let (code, err) = fails(cost().args(["estimate", "templates/agent/ops.prompt", "--turns", "0"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value '0' for '--turns <N>': turns must be at least 1: a run makes at least one call"),
        "{err}"
    );
    let (code, err) = fails(cost().args(["estimate", "templates/agent/ops.prompt", "--turns", "10001"]));
    assert_eq!(code, 2);
    assert!(err.contains("turns must be at most 10000, got 10001"), "{err}");
    // In cost.toml: the file, line and key.
    let dir = project(&[
        (
            "cost.toml",
            "[defaults]\nmodels = [\"gpt-4o\"]\n\n[[templates.rules]]\nmatch = \"**\"\nturns = 0\n",
        ),
        ("templates/t.prompt", "user:\nhi"),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(err.contains("cost.toml:6:"), "{err}");
    assert!(err.contains("turns must be at least 1"), "{err}");
}

#[test]
fn a_run_too_large_to_price_exactly_is_an_error_not_a_wrap() {
    // 10,000 turns each adding 2,000,000,500 tokens: the last call sends ~2e13 tokens (~$5e7 on
    // gpt-4o), the run ~$2.5e11, and a billion runs a day ~$2.5e20: past what 128-bit
    // atto-dollars hold. Exit 2 with the template, the model and what to lower.
    let (code, err) = fails(cost().args([
        "estimate",
        "templates/agent/ops.prompt",
        "--model",
        "gpt-4o",
        "--turns",
        "10000",
        "--turn-input-tokens",
        "1000000000",
        "--tool-result-tokens",
        "1000000000",
        "--runs-per-day",
        "1000000000",
    ]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "error: agent/ops on gpt-4o: a run of 10000 turns adding 2,000,000,500 tokens each is too large to price exactly\nhint: lower --turns"
        ),
        "{err}"
    );
}

#[test]
fn the_context_window_is_checked_on_the_last_call() {
    // gpt-4o's window is 128,000 tokens. T = 2,890, each turn adds 411 + 500 + 20,000 = 20,911:
    // call 7 sends 2,890 + 6 × 20,911 = 128,356 (+ 500 output) > 128,000; call 6 sends
    // 107,445 + 500, which fits.
    let v = json(cost().args([
        "estimate",
        "templates/agent/ops.prompt",
        "--model",
        "gpt-4o",
        "--turns",
        "8",
        "--tool-result-tokens",
        "20000",
        "--format",
        "json",
    ]));
    assert_eq!(
        v["rows"][0]["warnings"][0],
        "from turn 7 of 8, 128,356 input + 500 output tokens exceed gpt-4o's context window of 128,000"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const AGENT_RULES: &str = r#"
[defaults]
models = ["gpt-4o"]
calls_per_day = 1000
output_tokens = 200

[[templates.rules]]
match = "agent/**"
turns = 6
runs_per_day = 300
tool_result_tokens = 400
warn_delta_pct = 50
"#;

const TOOL_OLD: &str = r#"[{"type":"function","function":{"name":"get_status","description":"Status of a service","parameters":{"type":"object","properties":{"service":{"type":"string"}},"required":["service"]}}}]"#;
const TOOL_NEW: &str = r#"[{"type":"function","function":{"name":"get_status","description":"Status of a service in one region, with its recent deploys","parameters":{"type":"object","properties":{"service":{"type":"string"},"region":{"type":"string","enum":["eu","us"]}},"required":["service"]}}}]"#;

/// A repository with an agent template under a rule of 6 turns and 300 runs a day, committed.
fn agent_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.email", "dev@example.com"]);
    git(d, &["config", "user.name", "Dev"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    write(d, "cost.toml", AGENT_RULES);
    write(d, "templates/tools/status.json", TOOL_OLD);
    write(
        d,
        "templates/agent/ops.prompt",
        "+++\ntools = \"../tools/status.json\"\n[vars]\nalert = { tokens = 300 }\n+++\nsystem:\nYou are an on-call assistant.\nuser:\n{{ alert }}\n",
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "init"]);
    dir
}

#[test]
fn rule_keys_set_turns_runs_and_tool_results() {
    // The agent/** rule: 6 turns, 300 runs/day, R = 400; O = 200; U = the 300-token user
    // section; T = 353 (the tool schema is 35 of them). Each turn adds 900 tokens:
    // 6 × 353 = 2,118; 15 × 900 = 13,500; 15,618 × 2.5e-6 = 0.039045; 1,200 output × 1e-5 = 0.012.
    // Per run $0.051045; × 300 × 30 = $459.405/month.
    let dir = agent_repo();
    let rows = csv_rows(&stdout(cost_in(dir.path()).args(["estimate", "--format", "csv"])));
    let row = &rows[0];
    assert_eq!(
        (
            row["turns"].as_str(),
            row["runs_per_day"].as_str(),
            row["tool_result_tokens"].as_str()
        ),
        ("6", "300", "400")
    );
    assert_eq!(row["input_tokens"], "353");
    assert_eq!(row["cost_per_run_usd"], "0.051045");
    assert_eq!(row["cost_per_month_usd"], "459.405");
    // Flags win over the rule: 2 turns, 10 runs a day: 2 × 353 + 900 = 1,606 × 2.5e-6 =
    // 0.004015 + 400 × 1e-5 = 0.004 → $0.008015 per run; × 10 × 30 = $2.4045/month.
    let rows = csv_rows(&stdout(cost_in(dir.path()).args([
        "estimate",
        "--turns",
        "2",
        "--runs-per-day",
        "10",
        "--format",
        "csv",
    ])));
    assert_eq!(rows[0]["cost_per_run_usd"], "0.008015");
    assert_eq!(rows[0]["cost_per_month_usd"], "2.4045");
}

#[test]
fn diff_of_a_tool_schema_change_is_the_per_call_change_times_turns() {
    // The staged tool schema grows from 35 to 55 tokens: +20 input tokens on every call.
    // Per call: 20 × 2.5e-6 = +$0.00005; per run (6 calls, each resending the tools):
    // 6 × 0.00005 = +$0.0003; per day × 300 runs = +$0.09; per month × 30 = +$2.70.
    // Old $459.405/month (see above); new: T = 373, 6 × 373 = 2,238; 15,738 × 2.5e-6 = 0.039345
    // + 0.012 = $0.051345 per run → $462.105/month. Δ% = 2.70 / 459.405 = 0.59%.
    let dir = agent_repo();
    let d = dir.path();
    write(d, "templates/tools/status.json", TOOL_NEW);
    git(d, &["add", "-A"]);
    let out = cost_in(d).args(["diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v["templates"][0];
    assert_eq!(row["template"], "agent/ops");
    assert_eq!(
        (row["turns"].as_u64(), row["runs_per_day"].as_u64()),
        (Some(6), Some(300))
    );
    assert_eq!(row["sections"][0]["role"], "tools");
    assert_eq!(row["delta"]["input_tokens"], 20);
    assert_eq!(row["delta"]["cost_per_call_usd"], 0.00005);
    assert_eq!(row["delta"]["cost_per_run_usd"], 0.0003);
    assert_eq!(row["delta"]["cost_per_day_usd"], 0.09);
    assert_eq!(row["delta"]["cost_per_month_usd"], 2.7);
    assert_eq!(row["delta"]["pct"], 0.59);
    assert_eq!(row["old"]["cost_per_run_usd"], 0.051045);
    assert_eq!(row["new"]["cost_per_run_usd"], 0.051345);
    assert_eq!(row["new"]["cost_per_month_usd"], 462.105);
    assert_eq!(row["verdict"], "ok");

    // The table gains a Δ per run column.
    let table = stdout(cost_in(d).arg("diff"));
    assert!(table.contains("Δ per run"), "{table}");
    assert!(
        table.contains(" +20   +$0.000050   +$0.000300        +$2.70   +0.6%   ok"),
        "{table}"
    );
}

#[test]
fn diff_of_a_rule_changing_turns_names_the_driver() {
    // turns 6 → 8 in the rule, template unchanged: per run 0.051045 → 8 × 353 = 2,824;
    // 28 × 900 = 25,200; 28,024 × 2.5e-6 = 0.07006 + 1,600 × 1e-5 = 0.016 → $0.08606.
    // Δ per run $0.035015; × 300 × 30 = +$315.135/month; 315.135 / 459.405 = 68.60% > 50: warn.
    let dir = agent_repo();
    let d = dir.path();
    write(d, "cost.toml", &AGENT_RULES.replace("turns = 6", "turns = 8"));
    git(d, &["add", "-A"]);
    let out = cost_in(d).args(["diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v["templates"][0];
    assert_eq!(row["delta"]["input_tokens"], 0);
    assert_eq!(row["delta"]["cost_per_call_usd"], 0.0);
    assert_eq!(row["delta"]["cost_per_run_usd"], 0.035015);
    assert_eq!(row["delta"]["cost_per_month_usd"], 315.135);
    assert_eq!(row["drivers"][0], "turns 6 → 8");
    assert_eq!(row["verdict"], "warn");
    assert_eq!(row["reasons"][0], "+68.60% > warn_delta_pct 50");
}
