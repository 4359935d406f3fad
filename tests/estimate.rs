//! `cost estimate` driven through the real binary. Expected money is worked out by hand in
//! the comment above each assertion, from the shipped 2026-07-24 snapshot prices.

mod common;
use common::*;

#[test]
fn examples_table() {
    insta::assert_snapshot!(stdout(cost().arg("estimate")));
}

#[test]
fn one_template_on_three_models_json() {
    let out = stdout(cost().args([
        "estimate",
        "templates/support/answer.prompt",
        "--model",
        "gpt-4o",
        "--model",
        "claude-sonnet-4-5",
        "--model",
        "gemini-2.5-pro",
        "--format",
        "json",
    ]));
    insta::assert_snapshot!(out);
}

#[test]
fn csv_and_markdown() {
    insta::assert_snapshot!(
        "csv",
        stdout(cost().args(["estimate", "templates/rag/answer.prompt", "--format", "csv"]))
    );
    insta::assert_snapshot!(
        "markdown",
        stdout(cost().args(["estimate", "templates/rag/answer.prompt", "--format", "markdown"]))
    );
}

/// A project whose only price is $12 per million input tokens ($0.012 per 1K) and $0 output.
fn seed_project(extra: &str) -> tempfile::TempDir {
    project(&[
        (
            "cost.toml",
            r#"
[defaults]
models = ["seed-model"]
calls_per_day = 15000
output_tokens = 0
[prices."seed-model"]
input = 12.0
output = 0.0
provider = "openai"
tokenizer = "o200k_base"
"#,
        ),
        ("templates/base.prompt", "user:\nHello"),
        (
            "templates/longer.prompt",
            &format!("+++\n[vars]\nextra = {{ tokens = {extra} }}\n+++\nuser:\nHello{{{{ extra }}}}"),
        ),
    ])
}

#[test]
fn seed_case_400_tokens_cost_72_dollars_a_day() {
    // 400 extra input tokens × $0.012/1K = $0.0048 per call; × 15,000 calls = $72.00 per day;
    // × 30 days = $2,160.00 per month.
    let dir = seed_project("400");
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    let rows = v["rows"].as_array().unwrap();
    let by = |t: &str| rows.iter().find(|r| r["template"] == t).unwrap().clone();
    let (base, longer) = (by("base"), by("longer"));
    assert_eq!(
        longer["input_tokens"].as_u64().unwrap() - base["input_tokens"].as_u64().unwrap(),
        400
    );
    let per_day = longer["cost_per_day_usd"].as_f64().unwrap() - base["cost_per_day_usd"].as_f64().unwrap();
    let per_month = longer["cost_per_month_usd"].as_f64().unwrap() - base["cost_per_month_usd"].as_f64().unwrap();
    assert!((per_day - 72.0).abs() < 1e-9, "{per_day}");
    assert!((per_month - 2160.0).abs() < 1e-9, "{per_month}");
    // base: "Hello" is 1 token + framing (3 per message + 1 for "user" + 3 reply priming) = 8
    // tokens × 1.2e-5 = $0.000096 per call, × 15,000 = $1.44 per day.
    assert_eq!(base["input_tokens"], 8);
    assert_eq!(base["cost_per_day_usd"], 1.44);
    assert_eq!(longer["cost_per_day_usd"], 73.44);
    assert_eq!(longer["cost_per_month_usd"], 2203.2);
}

#[test]
fn tokens_placeholder_is_exact_for_approximate_models_too() {
    // claude-sonnet-4-5 is counted approximately, but {tokens = N} is exactly N everywhere:
    // a 5,000-token placeholder adds exactly 5,000 tokens.
    let dir = seed_project("5000");
    let v = json(cost_in(dir.path()).args(["estimate", "--model", "claude-sonnet-4-5", "--format", "json"]));
    let rows = v["rows"].as_array().unwrap();
    let tokens = |t: &str| {
        rows.iter().find(|r| r["template"] == t).unwrap()["input_tokens"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(tokens("longer") - tokens("base"), 5000);
    assert_eq!(rows[0]["exact"], false);
}

/// A template whose static prefix is a known number of tokens: 1,200 × " go" (one o200k token
/// each), then a per-call placeholder of 300 tokens.
fn cache_project(model: &str, rate: &str) -> tempfile::TempDir {
    let prefix = " go".repeat(1200);
    project(&[
        (
            "cost.toml",
            &format!(
                "[defaults]\nmodels = [\"{model}\"]\ncalls_per_day = 1000\noutput_tokens = 100\ncache_hit_rate = {rate}\n"
            ),
        ),
        (
            "templates/t.prompt",
            &format!("+++\n[vars]\nq = {{ tokens = 300 }}\n+++\nsystem:\n{prefix}\nuser:\n{{{{ q }}}}"),
        ),
    ])
}

#[test]
fn cache_hit_rate_prices_the_prefix_at_cache_read() {
    // gpt-4o. Input: system 1,200 + user 300 + framing (3+1 system, 3+1 user, 3 priming = 11)
    // = 1,511. Prefix: system message framing 4 + 1,200 + user framing 4 = 1,208 (≥ 1,024).
    // R = 0.5: 604 read × $1.25/M = 0.000755; 907 uncached × $2.50/M = 0.0022675 (OpenAI bills no
    // writes: the other half of the prefix is plain input); 100 output × $10/M = 0.001.
    // Per call 0.0040225; × 1,000 = $4.0225/day; × 30 = $120.675/month.
    let dir = cache_project("gpt-4o", "0.5");
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    let row = &v["rows"][0];
    assert_eq!(row["input_tokens"], 1511);
    assert_eq!(row["cacheable_prefix_tokens"], 1208);
    assert_eq!(row["cost_per_call_usd"], 0.0040225);
    assert_eq!(row["cost_per_day_usd"], 4.0225);
    assert_eq!(row["cost_per_month_usd"], 120.675);
}

#[test]
fn anthropic_cache_writes_cost_the_write_premium() {
    // claude-sonnet-4-5 with a custom exact tokenizer so counts match gpt-4o's above:
    // input 1,511, prefix 1,208, R = 0.5. Read 604 × $0.30/M = 0.0001812; written 604 × $3.75/M
    // = 0.002265; uncached 303 × $3/M = 0.000909; output 100 × $15/M = 0.0015.
    // Per call 0.0048552.
    let dir = cache_project("claude-sonnet-4-5", "0.5");
    std::fs::write(
        dir.path().join("cost.toml"),
        "[defaults]\nmodels = [\"claude-sonnet-4-5\"]\ncalls_per_day = 1000\noutput_tokens = 100\ncache_hit_rate = 0.5\n[prices.\"claude-sonnet-4-5\"]\ntokenizer = \"o200k_base\"\n",
    )
    .unwrap();
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    let row = &v["rows"][0];
    assert_eq!(row["exact"], true);
    assert_eq!(row["input_tokens"], 1511);
    assert_eq!(row["cost_per_call_usd"], 0.0048552);
}

#[test]
fn prefix_below_the_minimum_is_not_cacheable() {
    // 1,000 × " go" + framing = 1,008 < 1,024: nothing is cached, all input at $2.50/M.
    // Input 1,000 + 300 + 11 = 1,311 × 2.5e-6 = 0.0032775; + 100 × 1e-5 = 0.0042775.
    let dir = cache_project("gpt-4o", "0.5");
    let prefix = " go".repeat(1000);
    std::fs::write(
        dir.path().join("templates/t.prompt"),
        format!("+++\n[vars]\nq = {{ tokens = 300 }}\n+++\nsystem:\n{prefix}\nuser:\n{{{{ q }}}}"),
    )
    .unwrap();
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    assert_eq!(v["rows"][0]["cacheable_prefix_tokens"], 0);
    assert_eq!(v["rows"][0]["cost_per_call_usd"], 0.0042775);
}

#[test]
fn batch_tier_flag() {
    // gpt-4o batch: $1.25/M in, $5/M out. 1,511 × 1.25e-6 = 0.00188875; 100 × 5e-6 = 0.0005.
    let dir = cache_project("gpt-4o", "0");
    let v = json(cost_in(dir.path()).args(["estimate", "--tier", "batch", "--format", "json"]));
    assert_eq!(v["rows"][0]["tier"], "batch");
    assert_eq!(v["rows"][0]["cost_per_call_usd"], 0.00238875);
}

#[test]
fn priority_tier_flag() {
    // gpt-4o priority: $4.25/M in, $17/M out. 1,511 × 4.25e-6 = 0.00642175; 100 × 1.7e-5 = 0.0017.
    let dir = cache_project("gpt-4o", "0");
    let v = json(cost_in(dir.path()).args(["estimate", "--tier", "priority", "--format", "json"]));
    assert_eq!(v["rows"][0]["cost_per_call_usd"], 0.00812175);
}

#[test]
fn tier_without_a_price_is_an_error() {
    let dir = cache_project("claude-sonnet-4-5", "0");
    let (code, err) = fails(cost_in(dir.path()).args(["estimate", "--tier", "flex"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("warning: not priced: t: claude-sonnet-4-5 (the price table lists no flex price for it)"),
        "{err}"
    );
    assert!(err.contains("error: no model could be priced on this tier"), "{err}");
}

#[test]
fn long_context_bills_the_whole_request() {
    // claude-sonnet-4-5 with the exact tokenizer: 250,000-token placeholder + "Hi" (1) + framing
    // 7 = 250,008 > 200,000, so every token is at $6/M in and $22.50/M out:
    // 250,008 × 6e-6 = 1.500048; 100 × 2.25e-5 = 0.00225; per call 1.502298.
    let dir = project(&[
        (
            "cost.toml",
            "[defaults]\nmodels = [\"claude-sonnet-4-5\"]\noutput_tokens = 100\n[prices.\"claude-sonnet-4-5\"]\ntokenizer = \"o200k_base\"\n",
        ),
        (
            "templates/big.prompt",
            "+++\n[vars]\ndoc = { tokens = 250000 }\n+++\nuser:\nHi{{ doc }}",
        ),
    ]);
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    assert_eq!(v["rows"][0]["input_tokens"], 250008);
    assert_eq!(v["rows"][0]["long_context_above"], 200000);
    assert_eq!(v["rows"][0]["cost_per_call_usd"], 1.502298);
}

#[test]
fn effective_dated_price_follows_cost_now() {
    // gpt-4o input is $1/M from 2026-12-01 in this config. 1,511 input + 100 output:
    // before: 1,511 × 2.5e-6 + 0.001 = 0.0047775; from Dec 1: 1,511 × 1e-6 + 0.001 = 0.002511.
    let dir = cache_project("gpt-4o", "0");
    let cfg = dir.path().join("cost.toml");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str("[prices.\"gpt-4o\"]\ninput = 1.0\neffective_from = 2026-12-01\n");
    std::fs::write(&cfg, text).unwrap();
    let before = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    assert_eq!(before["rows"][0]["cost_per_call_usd"], 0.0047775);
    let after = json(
        cost_in(dir.path())
            .env("COST_NOW", "2026-12-01T00:00:00Z")
            .args(["estimate", "--format", "json"]),
    );
    assert_eq!(after["rows"][0]["cost_per_call_usd"], 0.002511);
    assert_eq!(after["rows"][0]["price_source"], "config");
}

#[test]
fn var_override_on_the_command_line() {
    // --var q=tokens:1000 replaces the 300-token placeholder: input 1,511 − 300 + 1,000 = 2,211.
    let dir = cache_project("gpt-4o", "0");
    let v = json(cost_in(dir.path()).args(["estimate", "--var", "q=tokens:1000", "--format", "json"]));
    assert_eq!(v["rows"][0]["input_tokens"], 2211);
}

#[test]
fn empty_template_is_zero_tokens_priced_honestly() {
    // No messages: 0 input tokens. The 100 expected output tokens still cost 100 × $10/M = $0.001.
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\noutput_tokens = 100\n"),
        ("templates/empty.prompt", ""),
    ]);
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    assert_eq!(v["rows"][0]["input_tokens"], 0);
    assert_eq!(v["rows"][0]["cost_per_call_usd"], 0.001);
}

#[test]
fn missing_template_names_the_path() {
    let (code, err) = fails(cost().args(["estimate", "templates/nope.prompt"]));
    assert_eq!(code, 2);
    assert!(err.starts_with("error: cannot read templates/nope.prompt"), "{err}");
}

#[test]
fn undefined_variable_names_file_line_and_variable() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\n"),
        (
            "templates/t.prompt",
            "+++\n[vars]\na = \"x\"\n+++\nsystem:\nHello {{ a }}\nuser:\nAnswer {{ question }}\n",
        ),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    insta::assert_snapshot!(err, @r#"
    error: templates/t.prompt:8: undefined template variable `question`
    hint: define it under [vars] in the front matter (e.g. `question = "…"` or `question = { tokens = 500 }`), or pass --var question=VALUE
    "#);
}

#[test]
fn invalid_front_matter_has_line_and_column() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\n"),
        (
            "templates/t.prompt",
            "+++\nname = \"t\"\noutput_tokens = = 3\n+++\nuser:\nhi\n",
        ),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: templates/t.prompt:3: invalid front matter (column 17)"),
        "{err}"
    );
}

#[test]
fn unknown_front_matter_key_suggests() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\n"),
        ("templates/t.prompt", "+++\noutput_token = 3\n+++\nuser:\nhi\n"),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(err.contains("templates/t.prompt:2:"), "{err}");
    assert!(err.contains("hint: did you mean `output_tokens`?"), "{err}");
}

#[test]
fn invalid_config_has_line_column_and_suggestion() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\ncals_per_day = 10\n"),
        ("templates/t.prompt", "user:\nhi"),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(err.contains("cost.toml:3:1: unknown field `cals_per_day`"), "{err}");
    assert!(err.contains("hint: did you mean `calls_per_day`?"), "{err}");
}

#[test]
fn config_syntax_error_has_line_and_column() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"\n"),
        ("templates/t.prompt", "user:\nhi"),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(err.contains("cost.toml:2:"), "{err}");
}

#[test]
fn unknown_model_suggests_close_names() {
    let (code, err) = fails(cost().args(["estimate", "templates/support/answer.prompt", "--model", "gpt-4-o"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: unknown model `gpt-4-o` in --model\nhint: did you mean `gpt-4o`"),
        "{err}"
    );
    assert!(err.contains("[prices.\"gpt-4-o\"]"), "{err}");
}

#[test]
fn unknown_model_in_front_matter_names_the_file() {
    let dir = project(&[(
        "templates/t.prompt",
        "+++\nmodel = \"claude-sonet-4-5\"\n+++\nuser:\nhi\n",
    )]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown model `claude-sonet-4-5` in templates/t.prompt (template)"),
        "{err}"
    );
    assert!(err.contains("did you mean `claude-sonnet-4-5`"), "{err}");
}

#[test]
fn bad_calls_per_day_is_a_usage_error() {
    for bad in ["-5", "lots", "1.5"] {
        let (code, err) = fails(cost().args(["estimate", "--calls-per-day", bad]));
        assert_eq!(code, 2, "{bad}");
        assert!(
            err.contains(&format!("invalid value '{bad}' for '--calls-per-day <N>'")),
            "{err}"
        );
    }
    let (code, err) = fails(cost().args(["estimate", "--cache-hit-rate", "1.5"]));
    assert_eq!(code, 2);
    assert!(err.contains("not between 0 and 1"), "{err}");
}

#[test]
fn binary_template_is_a_clear_error() {
    let dir = project(&[("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\n")]);
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/blob.prompt"),
        [0x89, 0x50, 0x4e, 0x47, 0x00, 0x01],
    )
    .unwrap();
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("templates/blob.prompt: is a binary file, not a text template"),
        "{err}"
    );
    std::fs::write(dir.path().join("templates/blob.prompt"), [b'h', b'i', 0xff, 0xfe]).unwrap();
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(err.contains("is not valid UTF-8"), "{err}");
}

#[test]
fn glob_argument_selects_configured_templates_only() {
    // 'templates/**' also matches tools/*.json and samples/*.txt, which are not templates.
    let v = json(cost().args(["estimate", "templates/**", "--model", "gpt-4o", "--format", "json"]));
    let mut names: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["template"].as_str().unwrap())
        .collect();
    names.dedup();
    assert_eq!(names.len(), 10, "{names:?}");
    assert!(!names.iter().any(|n| n.contains("tools") || n.contains("samples")));
}

#[test]
fn config_flag_and_env() {
    let dir = seed_project("400");
    let elsewhere = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cost.toml");
    let tpl = dir.path().join("templates/base.prompt");
    let v = json(cost_in(elsewhere.path()).args([
        "estimate",
        tpl.to_str().unwrap(),
        "--format",
        "json",
        "--config",
        cfg.to_str().unwrap(),
    ]));
    assert_eq!(v["rows"][0]["model"], "seed-model");
    let v = json(cost_in(elsewhere.path()).env("COST_CONFIG", &cfg).args([
        "estimate",
        tpl.to_str().unwrap(),
        "--format",
        "json",
    ]));
    assert_eq!(v["rows"][0]["model"], "seed-model");
}

#[test]
fn closed_pipe_exits_zero() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("cost"))
        .current_dir(repo())
        .env("COST_DATA_DIR", quiet_data_dir())
        .args(["models"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn duplicate_template_names_are_an_error() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\n"),
        ("templates/a.prompt", "+++\nname = \"same\"\n+++\nuser:\nhi\n"),
        ("templates/b.prompt", "+++\nname = \"same\"\n+++\nuser:\nho\n"),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("two templates are named `same`: templates/a.prompt and templates/b.prompt"),
        "{err}"
    );
}

#[test]
fn var_typos_are_errors() {
    let dir = cache_project("gpt-4o", "0");
    let (code, err) = fails(cost_in(dir.path()).args(["estimate", "--var", "qq=tokens:10"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("--var qq: no selected template uses a variable `qq`"),
        "{err}"
    );
    let (code, err) = fails(cost_in(dir.path()).args(["estimate", "--var", "q=tokens:abc"]));
    assert_eq!(code, 2);
    assert!(err.contains("`tokens:` needs a whole number"), "{err}");
}

#[test]
fn placeholder_typo_is_an_error() {
    let dir = project(&[
        ("cost.toml", "[defaults]\nmodels = [\"gpt-4o\"]\n"),
        (
            "templates/t.prompt",
            "+++\n[vars]\ndoc = { token = 500 }\n+++\nuser:\n{{ doc }}\n",
        ),
    ]);
    let (code, err) = fails(cost_in(dir.path()).arg("estimate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("templates/t.prompt:3: `doc` must be `{ tokens = N }`"),
        "{err}"
    );
}

#[test]
fn context_window_overflow_is_flagged() {
    // 200,000-token placeholder on gpt-4o (128,000-token window): priced, but flagged.
    let dir = cache_project("gpt-4o", "0");
    let v = json(cost_in(dir.path()).args(["estimate", "--var", "q=tokens:200000", "--format", "json"]));
    let w = v["rows"][0]["warnings"][0].as_str().unwrap();
    assert_eq!(
        w,
        "201,211 input + 100 output tokens exceed gpt-4o's context window of 128,000"
    );
    let table = stdout(cost_in(dir.path()).args(["estimate", "--var", "q=tokens:200000"]));
    assert!(table.contains("! t on gpt-4o: 201,211 input"), "{table}");
}

#[test]
fn models_without_the_tier_are_skipped_with_a_warning() {
    // claude-sonnet-4-5 has no flex price; gpt-4o-mini has none either; o3 does.
    let dir = cache_project("o3", "0");
    let out = cost_in(dir.path())
        .args([
            "estimate",
            "--tier",
            "flex",
            "--model",
            "o3",
            "--model",
            "claude-sonnet-4-5",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["model"], "o3");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("warning: not priced: t: claude-sonnet-4-5"), "{err}");
}

#[test]
fn directory_arguments_in_any_spelling() {
    let dir = repo();
    let up = format!("../{}/templates/support", dir.file_name().unwrap().to_str().unwrap());
    for arg in ["templates/support", "./templates/support/", up.as_str()] {
        let v = json(cost_in(&dir).args(["estimate", arg, "--model", "gpt-4o", "--format", "json"]));
        assert_eq!(v["rows"].as_array().unwrap().len(), 1, "{arg}");
        assert_eq!(v["rows"][0]["template"], "support/answer", "{arg}");
    }
}

#[test]
fn repeated_models_are_priced_once() {
    let v = json(cost().args([
        "estimate",
        "templates/support/answer.prompt",
        "--model",
        "gpt-4o",
        "--model",
        "openai/gpt-4o",
        "--model",
        "gpt-4o",
        "--format",
        "json",
    ]));
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
}

#[test]
fn init_writes_a_working_project_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = cost_in(d).arg("init").output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("created cost.toml") && err.contains("created .pre-commit-config.yaml"),
        "{err}"
    );
    // The example prices: 120-token placeholder + system text + framing on gpt-4o and Claude.
    let v = json(cost_in(d).args(["estimate", "--format", "json"]));
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert_eq!(v["rows"][0]["template"], "example/answer");
    // A second run keeps everything: the pre-commit config already runs the hook.
    std::fs::write(d.join("cost.toml"), "# mine\n").unwrap();
    let hook = std::fs::read_to_string(d.join(".pre-commit-config.yaml")).unwrap();
    let out = cost_in(d).arg("init").output().unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(d.join("cost.toml")).unwrap(), "# mine\n");
    assert_eq!(
        std::fs::read_to_string(d.join(".pre-commit-config.yaml")).unwrap(),
        hook
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("already runs the cost-diff hook"));
}

#[test]
fn totals_add_each_template_once_on_its_production_model() {
    // seed project: base 8 tokens × $12/M × 15,000 = $1.44/day; longer 408 tokens → $73.44/day.
    // Total $74.88/day, × 30 = $2,246.40/month. Adding a second model adds rows, not totals.
    let dir = seed_project("400");
    let v = json(cost_in(dir.path()).args(["estimate", "--format", "json"]));
    assert_eq!(v["totals"]["templates"], 2);
    assert_eq!(v["totals"]["cost_per_day_usd"], 74.88);
    assert_eq!(v["totals"]["cost_per_month_usd"], 2246.4);
    let v = json(cost_in(dir.path()).args([
        "estimate",
        "--model",
        "seed-model",
        "--model",
        "gpt-4o",
        "--format",
        "json",
    ]));
    assert_eq!(v["rows"].as_array().unwrap().len(), 4);
    assert_eq!(v["totals"]["cost_per_month_usd"], 2246.4);
}
