//! `cost diff` on real git repositories made in temp dirs. Money is worked out by hand in the
//! comments from the shipped snapshot: gpt-4o input $2.50 per million tokens.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

const CONFIG: &str = r#"
[defaults]
models = ["gpt-4o"]
calls_per_day = 1000
output_tokens = 0

[templates]
paths = ["prompts/**/*.prompt"]

[[templates.rules]]
match = "support/**"
calls_per_day = 15000
warn_delta_pct = 5
fail_delta_pct = 10

[[templates.rules]]
match = "**"
fail_delta_usd_month = 100
"#;

/// A template that is one user message of exactly `tokens` placeholder tokens: input is
/// `tokens` + 7 framing (3 per message + 1 for "user" + 3 reply priming).
fn prompt(name: &str, tokens: u64) -> String {
    format!("+++\nname = \"{name}\"\n[vars]\nticket = {{ tokens = {tokens} }}\n+++\nuser:\n{{{{ ticket }}}}\n")
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn git_out(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").current_dir(dir).args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A repository with cost.toml and support/answer (3,000 tokens), committed.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.email", "dev@example.com"]);
    git(d, &["config", "user.name", "Dev"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    write(d, "cost.toml", CONFIG);
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3000));
    write(d, "prompts/misc/summary.prompt", &prompt("misc/summary", 500));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "init"]);
    dir
}

fn diff_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = cost_in(dir)
        .arg("diff")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn staged_increase_over_fail_pct_exits_1() {
    // 3,007 → 3,407 input tokens, 15,000 calls/day, 30 days:
    // old 3,007 × 2.5e-6 = 0.0075175/call → $3,382.875/month; new 3,407 → 0.0085175 → $3,832.875.
    // Δ $0.001/call, $15/day, $450/month; 450 / 3,382.875 = 13.30% > fail_delta_pct 10.
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3400));
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 1);
    assert_eq!(v["verdict"], "fail");
    assert_eq!(v["base"], "HEAD");
    assert_eq!(v["head"], "STAGED");
    let row = &v["templates"][0];
    assert_eq!(row["template"], "support/answer");
    assert_eq!(row["status"], "modified");
    assert_eq!(row["old"]["input_tokens"], 3007);
    assert_eq!(row["new"]["input_tokens"], 3407);
    assert_eq!(row["old"]["cost_per_month_usd"], 3382.875);
    assert_eq!(row["delta"]["cost_per_call_usd"], 0.001);
    assert_eq!(row["delta"]["cost_per_day_usd"], 15.0);
    assert_eq!(row["delta"]["cost_per_month_usd"], 450.0);
    assert_eq!(row["delta"]["pct"], 13.3);
    assert_eq!(row["reasons"][0], "+13.30% > fail_delta_pct 10");
    assert_eq!(row["sections"][0]["role"], "user");
    assert_eq!(row["sections"][0]["delta_tokens"], 400);
    assert_eq!(v["totals"]["delta_cost_per_month_usd"], 450.0);
    assert_eq!(
        v["templates"].as_array().unwrap().len(),
        1,
        "unchanged templates are not listed"
    );

    let table = cost_in(d).arg("diff").output().unwrap();
    assert_eq!(table.status.code(), Some(1));
    insta::assert_snapshot!("fail_table", String::from_utf8_lossy(&table.stdout));
    let md = cost_in(d).args(["diff", "--format", "markdown"]).output().unwrap();
    insta::assert_snapshot!("fail_markdown", String::from_utf8_lossy(&md.stdout));
}

#[test]
fn small_edit_is_ok_and_warn_exits_0_unless_fail_on_warn() {
    let dir = repo();
    let d = dir.path();
    // +100 tokens: +$112.50/month, 3.33%: under warn_delta_pct 5.
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3100));
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("ok")));
    assert_eq!(v["templates"][0]["delta"]["cost_per_month_usd"], 112.5);
    // +200 tokens: +$225/month, 225 / 3,382.875 = 6.65%: a warning, exit 0, said on stderr.
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3200));
    git(d, &["add", "-A"]);
    let (code, v, err) = diff_json(d, &[]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("warn")));
    assert!(
        err.contains("warning: support/answer (gpt-4o): +6.65% > warn_delta_pct 5")
            || err.contains("+6.7% > warn_delta_pct 5"),
        "{err}"
    );
    let (code, _, _) = diff_json(d, &["--fail-on", "warn"]);
    assert_eq!(code, 1);
}

#[test]
fn nothing_changed_is_one_quiet_line() {
    let dir = repo();
    let out = stdout(cost_in(dir.path()).arg("diff"));
    assert_eq!(out, "No template cost changes (2 compared).\n");
    let out = stdout(cost_in(dir.path()).args(["diff", "-q"]));
    assert_eq!(out, "");
}

#[test]
fn added_is_judged_on_absolute_cost_and_removed_is_ok() {
    // New misc/big: 4,000 + 7 tokens × 2.5e-6 = 0.0100175/call × 1,000 × 30 = $300.525/month
    // > fail_delta_usd_month 100.
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/misc/big.prompt", &prompt("misc/big", 4000));
    git(d, &["rm", "-q", "prompts/misc/summary.prompt"]);
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 1);
    let rows = v["templates"].as_array().unwrap();
    let by = |t: &str| rows.iter().find(|r| r["template"] == t).unwrap();
    assert_eq!(by("misc/big")["status"], "added");
    assert_eq!(by("misc/big")["new"]["cost_per_month_usd"], 300.525);
    assert_eq!(
        by("misc/big")["reasons"][0],
        "new template: $300.53/month > fail_delta_usd_month 100"
    );
    assert_eq!(by("misc/summary")["status"], "removed");
    assert_eq!(by("misc/summary")["verdict"], "ok");
    // summary: 507 × 2.5e-6 × 1,000 × 30 = $38.025/month removed.
    assert_eq!(by("misc/summary")["delta"]["cost_per_month_usd"], -38.025);
}

#[test]
fn rename_keeps_the_name_and_costs_nothing() {
    let dir = repo();
    let d = dir.path();
    git(
        d,
        &["mv", "prompts/support/answer.prompt", "prompts/support/reply.prompt"],
    );
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 0);
    let row = &v["templates"][0];
    assert_eq!(row["status"], "renamed");
    assert_eq!(row["delta"]["cost_per_month_usd"], 0.0);
    assert_eq!(row["old"]["file"], "prompts/support/answer.prompt");
    assert_eq!(row["new"]["file"], "prompts/support/reply.prompt");
}

#[test]
fn a_changed_include_file_changes_the_template() {
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/samples/history.txt", "short");
    write(
        d,
        "prompts/support/chat.prompt",
        "+++\n[vars]\nhistory = { file = \"../samples/history.txt\" }\n+++\nuser:\n{{ history }}\n",
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "chat"]);
    write(
        d,
        "prompts/samples/history.txt",
        &"a longer history of the conversation ".repeat(50),
    );
    git(d, &["add", "-A"]);
    let (_, v, _) = diff_json(d, &[]);
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(rows[0]["template"], "support/chat");
    assert_eq!(rows[0]["status"], "modified");
    assert!(rows[0]["delta"]["input_tokens"].as_i64().unwrap() > 200);
}

#[test]
fn a_rule_change_alone_is_a_cost_change() {
    // support/** calls_per_day 15,000 → 30,000: $3,382.875 → $6,765.75/month, +100%.
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "cost.toml",
        &CONFIG.replace("calls_per_day = 15000", "calls_per_day = 30000"),
    );
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 1);
    let row = &v["templates"][0];
    assert_eq!(row["template"], "support/answer");
    assert_eq!(row["delta"]["input_tokens"], 0);
    assert_eq!(row["delta"]["cost_per_month_usd"], 3382.875);
    assert_eq!(row["delta"]["pct"], 100.0);
}

#[test]
fn base_uses_the_merge_base() {
    // main: init → (later) summary grows. feature (from init): support grows by 100 tokens.
    // `--base main` on feature compares merge-base(main, HEAD) = init with feature's HEAD:
    // only support/answer changed (+$112.50/month); main's later change is not ours.
    let dir = repo();
    let d = dir.path();
    git(d, &["checkout", "-qb", "feature"]);
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3100));
    git(d, &["commit", "-qam", "feature"]);
    git(d, &["checkout", "-q", "main"]);
    write(d, "prompts/misc/summary.prompt", &prompt("misc/summary", 900));
    git(d, &["commit", "-qam", "main moves on"]);
    git(d, &["checkout", "-q", "feature"]);
    let (code, v, _) = diff_json(d, &["--base", "main"]);
    assert_eq!(code, 0, "{v}");
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(rows[0]["template"], "support/answer");
    assert_eq!(rows[0]["delta"]["cost_per_month_usd"], 112.5);
    assert_eq!(v["base"], "main");
    assert_eq!(v["head"], "HEAD");
    // --head names the other end; from main, `--base main --head feature` is the same diff.
    git(d, &["checkout", "-q", "main"]);
    let (_, v2, _) = diff_json(d, &["--base", "main", "--head", "feature"]);
    assert_eq!(v2["templates"][0]["delta"], rows[0]["delta"]);
}

#[test]
fn detached_head_works() {
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3100));
    git(d, &["commit", "-qam", "grow"]);
    let first = git_out(d, &["rev-list", "--max-parents=0", "HEAD"]);
    let head = git_out(d, &["rev-parse", "HEAD"]);
    git(d, &["checkout", "-q", &head]);
    let (code, v, _) = diff_json(d, &["--base", &first]);
    assert_eq!(code, 0);
    assert_eq!(v["templates"][0]["delta"]["cost_per_month_usd"], 112.5);
}

#[test]
fn empty_repository_everything_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(d, "cost.toml", CONFIG);
    write(d, "prompts/misc/summary.prompt", &prompt("misc/summary", 500));
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["templates"][0]["status"], "added");
    // 507 × 2.5e-6 × 1,000 × 30 = $38.025/month, under fail_delta_usd_month 100.
    assert_eq!(v["templates"][0]["new"]["cost_per_month_usd"], 38.025);
}

#[test]
fn unknown_revision_and_no_repository_are_usage_errors() {
    let dir = repo();
    let (code, err) = fails(cost_in(dir.path()).args(["diff", "--base", "nope/branch"]));
    assert_eq!(code, 2);
    assert!(err.contains("error: unknown revision `nope/branch`"), "{err}");
    let outside = tempfile::tempdir().unwrap();
    let (code, err) = fails(cost_in(outside.path()).arg("diff"));
    assert_eq!(code, 2);
    assert!(err.contains("error: not a git repository, and no files given"), "{err}");
    assert!(
        err.contains("hint: run inside a git repository, or compare two files: cost diff OLD NEW"),
        "{err}"
    );
}

#[test]
fn shallow_clone_without_the_base_says_to_fetch() {
    let dir = repo();
    let d = dir.path();
    git(d, &["checkout", "-qb", "feature"]);
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3100));
    git(d, &["commit", "-qam", "feature 1"]);
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3200));
    git(d, &["commit", "-qam", "feature 2"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", d.display());
    let target = clone.path().join("c");
    git(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "feature",
            "--no-single-branch",
            &url,
            "c",
        ],
    );
    let (code, err) = fails(cost_in(&target).args(["diff", "--base", "origin/main"]));
    assert_eq!(code, 2);
    assert!(err.contains("shallow clone"), "{err}");
    assert!(err.contains("fetch"), "{err}");
}

#[test]
fn a_template_that_fails_on_one_side_is_an_error_row() {
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3400));
    write(d, "prompts/misc/summary.prompt", "user:\n{{ undefined_thing }}\n");
    git(d, &["add", "-A"]);
    let out = cost_in(d).args(["diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["templates"][0]["template"], "support/answer",
        "other rows are still computed"
    );
    assert_eq!(v["errors"][0]["file"], "prompts/misc/summary.prompt");
    assert!(
        v["errors"][0]["error"]
            .as_str()
            .unwrap()
            .contains("undefined template variable `undefined_thing`")
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error: prompts/misc/summary.prompt:"), "{err}");
}

#[test]
fn binary_file_matching_the_globs_is_skipped_with_a_warning() {
    let dir = repo();
    let d = dir.path();
    std::fs::write(d.join("prompts/misc/logo.prompt"), [0x89, b'P', b'N', b'G', 0, 1, 2]).unwrap();
    git(d, &["add", "-A"]);
    let out = cost_in(d).arg("diff").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning: skipped prompts/misc/logo.prompt"), "{err}");
}

#[test]
fn moving_per_call_text_before_static_text_warns_on_lost_caching() {
    // Same tokens, but the 1,200-token static block now comes after the per-call variable, so
    // nothing is cacheable. gpt-4o at cache_hit_rate 0.5: the prefix was 4 (system framing) +
    // 1,200 + 4 (user framing) = 1,208 tokens, 604 of them read at $1.25/M instead of $2.50/M:
    // 604 × 1.25e-6 = $0.000755/call × 1,000 × 30 = $22.65/month lost.
    let static_text = " go".repeat(1200);
    let before = format!("+++\n[vars]\nq = {{ tokens = 50 }}\n+++\nsystem:\n{static_text}\nuser:\n{{{{ q }}}}\n");
    let after = format!("+++\n[vars]\nq = {{ tokens = 50 }}\n+++\nsystem:\n{{{{ q }}}}\nuser:\n{static_text}\n");
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "cost.toml",
        &CONFIG.replace("[defaults]\n", "[defaults]\ncache_hit_rate = 0.5\n"),
    );
    write(d, "prompts/misc/cached.prompt", &before);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "cached"]);
    write(d, "prompts/misc/cached.prompt", &after);
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 0);
    let row = &v["templates"][0];
    assert_eq!(row["delta"]["input_tokens"], 0);
    assert_eq!(row["verdict"], "warn");
    assert_eq!(row["delta"]["cost_per_month_usd"], 22.65);
    assert_eq!(
        row["reasons"][0],
        "cacheable prefix 1,208 → 0 tokens at cache_hit_rate 0.5: +$22.65/month in lost cache reads"
    );
}

#[test]
fn two_files_outside_git() {
    let dir = project(&[
        ("cost.toml", CONFIG),
        ("old.prompt", &prompt("support/answer", 3000)),
        ("new.prompt", &prompt("support/answer", 3400)),
    ]);
    let (code, v, _) = diff_json(dir.path(), &["old.prompt", "new.prompt"]);
    assert_eq!(code, 1);
    assert_eq!(v["templates"][0]["delta"]["cost_per_month_usd"], 450.0);
    assert_eq!(v["base"], "old.prompt");
}

#[test]
fn multi_model_rows_and_the_primary_verdict() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "cost.toml",
        &CONFIG.replace(
            "match = \"support/**\"\n",
            "match = \"support/**\"\nmodel = \"gpt-4o\"\nmodels = [\"gpt-4o\", \"gpt-4o-mini\"]\n",
        ),
    );
    git(d, &["commit", "-qam", "two models"]);
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3400));
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 1);
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0]["model"].as_str(), rows[0]["primary"].as_bool()),
        (Some("gpt-4o"), Some(true))
    );
    assert_eq!(
        (rows[1]["model"].as_str(), rows[1]["primary"].as_bool()),
        (Some("gpt-4o-mini"), Some(false))
    );
    // gpt-4o-mini: 400 × 1.5e-7 × 15,000 × 30 = $27/month.
    assert_eq!(rows[1]["delta"]["cost_per_month_usd"], 27.0);
    // With --model gpt-4o-mini the verdict is taken from it: 13.3% > 10 still fails.
    let (code, v, _) = diff_json(d, &["--model", "gpt-4o-mini"]);
    assert_eq!(code, 1);
    assert_eq!(v["templates"].as_array().unwrap().len(), 1);
}

#[test]
fn works_in_a_linked_worktree() {
    let dir = repo();
    let d = dir.path();
    let wt = d.join("wt");
    git(d, &["worktree", "add", "-q", "-b", "wt", wt.to_str().unwrap()]);
    write(&wt, "prompts/support/answer.prompt", &prompt("support/answer", 3100));
    git(&wt, &["add", "-A"]);
    let (code, v, _) = diff_json(&wt, &[]);
    assert_eq!(code, 0);
    assert_eq!(v["templates"][0]["delta"]["cost_per_month_usd"], 112.5);
}

#[test]
fn duplicate_names_are_an_error_not_a_rename() {
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/support/answer_v2.prompt", &prompt("support/answer", 3000));
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 4000));
    git(d, &["add", "-A"]);
    let (code, err) = fails(cost_in(d).arg("diff"));
    assert_eq!(code, 2);
    assert!(
        err.contains("two templates are named `support/answer` in the new version"),
        "{err}"
    );
}

#[test]
fn git_mv_without_a_name_is_a_rename() {
    // No `name` in the front matter: the name comes from the path, so it changes with the
    // move; identical content pairs the two anyway.
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "prompts/misc/plain.prompt",
        "user:\nSummarise the ticket in one line.\n",
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "plain"]);
    std::fs::create_dir_all(d.join("prompts/billing")).unwrap();
    git(d, &["mv", "prompts/misc/plain.prompt", "prompts/billing/plain.prompt"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["templates"][0]["status"], "renamed");
    assert_eq!(v["templates"][0]["template"], "billing/plain");
    assert_eq!(v["templates"][0]["delta"]["cost_per_month_usd"], 0.0);
}

#[test]
fn switching_the_production_model_in_a_rule_is_a_cost_change() {
    // support/** moves from gpt-4o ($2.50/M) to gpt-4o-mini ($0.15/M): 3,007 tokens × (0.15 − 2.5)
    // per M = −$0.00706645/call × 15,000 × 30 = −$3,179.90/month.
    let dir = repo();
    let d = dir.path();
    write(
        d,
        "cost.toml",
        &CONFIG.replace(
            "match = \"support/**\"\n",
            "match = \"support/**\"\nmodel = \"gpt-4o\"\n",
        ),
    );
    git(d, &["commit", "-qam", "explicit model"]);
    write(
        d,
        "cost.toml",
        &CONFIG.replace(
            "match = \"support/**\"\n",
            "match = \"support/**\"\nmodel = \"gpt-4o-mini\"\n",
        ),
    );
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 0);
    let row = &v["templates"][0];
    assert_eq!(row["old"]["model"], "gpt-4o");
    assert_eq!(row["new"]["model"], "gpt-4o-mini");
    assert_eq!(row["delta"]["cost_per_month_usd"], -3179.9025);
    assert_eq!(row["drivers"][0], "model gpt-4o → gpt-4o-mini");
}

#[test]
fn fixing_a_template_broken_at_head_is_judged_as_new() {
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/misc/summary.prompt", "user:\n{{ oops }}\n");
    git(d, &["commit", "-qam", "broken"]);
    write(d, "prompts/misc/summary.prompt", &prompt("misc/summary", 500));
    git(d, &["add", "-A"]);
    let out = cost_in(d).args(["diff", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["templates"][0]["status"], "added");
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not price at HEAD"));
}

#[test]
fn model_typo_fails_once_up_front() {
    let dir = repo();
    let (code, err) = fails(cost_in(dir.path()).args(["diff", "--model", "gpt-4-o"]));
    assert_eq!(code, 2);
    assert!(err.starts_with("error: unknown model `gpt-4-o` in --model"), "{err}");
}

#[test]
fn a_broken_unstaged_cost_toml_does_not_stop_the_staged_diff() {
    // The index holds a valid cost.toml; the working tree has an unstaged typo in it.
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3400));
    git(d, &["add", "-A"]);
    write(d, "cost.toml", &CONFIG.replace("warn_delta_pct", "warn_delta_pc"));
    let (code, v, err) = diff_json(d, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(v["templates"][0]["reasons"][0], "+13.30% > fail_delta_pct 10");
    assert!(err.contains("warning: ignoring the working tree's"), "{err}");
}

#[test]
fn quiet_keeps_the_reasons_and_drops_the_explanations() {
    let dir = repo();
    let d = dir.path();
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3400));
    git(d, &["add", "-A"]);
    let out = cost_in(d).args(["diff", "-q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("fail support/answer (gpt-4o): +13.30% > fail_delta_pct 10"),
        "{text}"
    );
    assert!(!text.contains("HEAD → STAGED"), "{text}");
}

// Monorepos (DESIGN §12): run from the repository root, as pre-commit does, `cost diff` checks
// every cost.toml in the repository, each governing its own directory (the nearest governs).

/// A repository with no cost.toml at the root: `services/ai` (CONFIG: support/answer 3,000
/// tokens, misc/summary 500) and `services/web` (its own config: support/answer 500 tokens at
/// 1,000 calls/day, fail above +$100/month), committed.
fn monorepo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.email", "dev@example.com"]);
    git(d, &["config", "user.name", "Dev"]);
    git(d, &["config", "commit.gpgsign", "false"]);
    write(d, "README.md", "# shop\n");
    write(d, "services/ai/cost.toml", CONFIG);
    write(
        d,
        "services/ai/prompts/support/answer.prompt",
        &prompt("support/answer", 3000),
    );
    write(
        d,
        "services/ai/prompts/misc/summary.prompt",
        &prompt("misc/summary", 500),
    );
    write(
        d,
        "services/web/cost.toml",
        "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 1000\noutput_tokens = 0\n[templates]\npaths = [\"templates/*.prompt\"]\n[[templates.rules]]\nmatch = \"**\"\nfail_delta_usd_month = 100\n",
    );
    write(
        d,
        "services/web/templates/answer.prompt",
        &prompt("support/answer", 500),
    );
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "init"]);
    dir
}

#[test]
fn monorepo_every_cost_toml_is_checked_from_the_root() {
    // services/ai support/answer 3,007 → 3,407 input tokens at 15,000 calls/day (its rule):
    // $3,382.875 → $3,832.875 per month, Δ $450 = +13.30% > fail_delta_pct 10 (see
    // staged_increase_over_fail_pct_exits_1). Before: "no cost.toml was found", exit 0.
    let dir = monorepo();
    let d = dir.path();
    write(
        d,
        "services/ai/prompts/support/answer.prompt",
        &prompt("support/answer", 3400),
    );
    git(d, &["add", "-A"]);
    let (code, v, err) = diff_json(d, &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(v["verdict"], "fail");
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    let row = &rows[0];
    assert_eq!(row["template"], "support/answer");
    assert_eq!(row["config"], "services/ai/cost.toml");
    assert_eq!(row["old"]["input_tokens"], 3007);
    assert_eq!(row["new"]["input_tokens"], 3407);
    assert_eq!(row["delta"]["cost_per_month_usd"], 450.0);
    assert_eq!(row["delta"]["pct"], 13.3);
    assert_eq!(row["reasons"][0], "+13.30% > fail_delta_pct 10");
    // misc/summary (ai) and support/answer (web, the same name under another config).
    assert_eq!(v["unchanged"], 2);

    // A change in both services: each judged by its own config, and every output says which.
    // web support/answer 507 → 1,507 tokens at 1,000 calls/day: Δ 1,000 × $2.50/M × 30,000 =
    // $75/month, under web's fail_delta_usd_month 100: ok.
    write(
        d,
        "services/web/templates/answer.prompt",
        &prompt("support/answer", 1500),
    );
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 1);
    let rows = v["templates"].as_array().unwrap();
    let configs: Vec<(&str, &str, f64)> = rows
        .iter()
        .map(|r| {
            (
                r["config"].as_str().unwrap(),
                r["verdict"].as_str().unwrap(),
                r["delta"]["cost_per_month_usd"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        configs,
        [
            ("services/ai/cost.toml", "fail", 450.0),
            ("services/web/cost.toml", "ok", 75.0)
        ]
    );
    assert_eq!(v["totals"]["delta_cost_per_month_usd"], 525.0);

    let table = cost_in(d).arg("diff").output().unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("Config"), "{text}");
    assert!(
        text.contains("fail support/answer (services/ai/cost.toml, gpt-4o): +13.30% > fail_delta_pct 10"),
        "{text}"
    );
    let md = cost_in(d).args(["diff", "--format", "markdown"]).output().unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("| Template | Config | Team |"), "{md}");
    assert!(
        md.contains("| support/answer | `services/web/cost.toml` |  | modified | gpt-4o | 507 → 1,507 | +1,000 |"),
        "{md}"
    );
}

#[test]
fn monorepo_the_nearest_cost_toml_governs() {
    // The root config takes every .prompt and fails above +10%; legacy/cost.toml governs
    // legacy/ and allows +50%. The same +13.30% change (3,007 → 3,407 tokens at 15,000
    // calls/day, +$450/month) fails at the root and is ok under legacy/, and a legacy file is
    // never judged by the root config as well.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.email", "dev@example.com"]);
    git(d, &["config", "user.name", "Dev"]);
    let cfg = |pct: u32| {
        format!(
            "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 15000\noutput_tokens = 0\n[templates]\npaths = [\"**/*.prompt\"]\n[[templates.rules]]\nmatch = \"**\"\nfail_delta_pct = {pct}\n"
        )
    };
    write(d, "cost.toml", &cfg(10));
    write(d, "legacy/cost.toml", &cfg(50));
    write(d, "app/answer.prompt", &prompt("answer", 3000));
    write(d, "legacy/old.prompt", &prompt("old", 3000));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "init"]);

    write(d, "legacy/old.prompt", &prompt("old", 3400));
    git(d, &["add", "-A"]);
    let (code, v, err) = diff_json(d, &[]);
    assert_eq!(code, 0, "{err}");
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{v}");
    assert_eq!(rows[0]["config"], "legacy/cost.toml");
    assert_eq!(rows[0]["verdict"], "ok");
    assert_eq!(rows[0]["delta"]["cost_per_month_usd"], 450.0);

    write(d, "app/answer.prompt", &prompt("answer", 3400));
    git(d, &["add", "-A"]);
    let (code, v, _) = diff_json(d, &[]);
    assert_eq!(code, 1);
    let rows = v["templates"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{v}");
    assert_eq!(rows[0]["config"], "cost.toml");
    assert_eq!(rows[0]["template"], "answer");
    assert_eq!(rows[0]["reasons"][0], "+13.30% > fail_delta_pct 10");
    assert_eq!(rows[1]["config"], "legacy/cost.toml");
    assert_eq!(rows[1]["verdict"], "ok");
}

#[test]
fn monorepo_changes_outside_every_config_pass_quietly() {
    let dir = monorepo();
    let d = dir.path();
    write(d, "README.md", "# shop\n\nMore words.\n");
    write(d, "docs/guide.md", "How to shop.\n");
    write(d, "scripts/notes.prompt", "user:\nnot under any cost.toml\n");
    git(d, &["add", "-A"]);
    let out = cost_in(d).arg("diff").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // ai: support/answer and misc/summary; web: support/answer.
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "No template cost changes (3 compared).\n"
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn no_cost_toml_anywhere_and_a_staged_template_exits_2_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["config", "user.email", "dev@example.com"]);
    git(d, &["config", "user.name", "Dev"]);
    write(d, "README.md", "# shop\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "init"]);
    write(
        d,
        "services/ai/prompts/support/answer.prompt",
        &prompt("support/answer", 3000),
    );
    write(
        d,
        "services/ai/prompts/misc/summary.prompt",
        &prompt("misc/summary", 500),
    );
    git(d, &["add", "-A"]);
    let (code, err) = fails(cost_in(d).arg("diff"));
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "error: no cost.toml in this repository: the cost gate cannot check the staged change to services/ai/prompts/misc/summary.prompt and 1 more"
        ),
        "{err}"
    );
    assert!(
        err.contains("hint: run `cost init` in the directory that holds the templates"),
        "{err}"
    );
    assert!(err.contains("SKIP=cost-diff git commit"), "{err}");

    // A change that is no template still goes through, with a warning rather than silence.
    git(d, &["reset", "-q"]);
    write(d, "README.md", "# shop\n\nMore.\n");
    git(d, &["add", "README.md"]);
    let out = cost_in(d).arg("diff").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no cost.toml was found from here"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_in_a_subdirectory_writes_the_hook_config_at_the_root_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    std::fs::create_dir_all(d.join("services/ai")).unwrap();
    let out = cost_in(&d.join("services/ai")).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(d.join("services/ai/cost.toml").is_file());
    assert!(d.join("services/ai/templates/example/answer.prompt").is_file());
    assert!(!d.join("services/ai/.pre-commit-config.yaml").exists());
    let hook = std::fs::read_to_string(d.join(".pre-commit-config.yaml")).unwrap();
    assert!(hook.contains("      - id: cost-diff\n"), "{hook}");
    assert!(hook.contains("        verbose: true\n"), "{hook}");

    // An existing root config gains the hook, keeping what it had, once.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    let mine = "default_stages: [pre-commit]\nrepos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\n\n# CI settings\nci:\n  autofix: false\n";
    write(d, ".pre-commit-config.yaml", mine);
    std::fs::create_dir_all(d.join("services/ai")).unwrap();
    let out = cost_in(&d.join("services/ai")).arg("init").output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("added the cost-diff hook to"), "{err}");
    let merged = std::fs::read_to_string(d.join(".pre-commit-config.yaml")).unwrap();
    assert_eq!(
        merged,
        "default_stages: [pre-commit]\nrepos:\n- repo: https://github.com/psf/black\n  rev: 24.1.0\n  hooks:\n  - id: black\n- repo: local\n  hooks:\n    - id: cost-diff\n      name: cost diff (prompt template cost gate)\n      entry: cost diff\n      language: system\n      always_run: true\n      pass_filenames: false\n      verbose: true\n\n# CI settings\nci:\n  autofix: false\n"
    );
    let again = cost_in(&d.join("services/ai")).arg("init").output().unwrap();
    assert!(again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already runs the cost-diff hook"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(d.join(".pre-commit-config.yaml")).unwrap(),
        merged
    );
}

#[test]
fn a_blocked_commit_says_how_to_skip_the_hook_once() {
    let dir = repo();
    let d = dir.path();
    write(
        d,
        ".pre-commit-config.yaml",
        "repos:\n  - repo: https://example.com/cost\n    rev: v1\n    hooks:\n      - id: cost-diff-system\n",
    );
    write(d, "prompts/support/answer.prompt", &prompt("support/answer", 3400));
    git(d, &["add", "-A"]);
    let out = cost_in(d).arg("diff").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("hint: to commit once without this check: SKIP=cost-diff-system git commit …"),
        "{err}"
    );
}
