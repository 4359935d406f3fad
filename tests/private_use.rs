//! Private-use characters (U+F8F0–U+F8F4, the characters the renderer's internal markers start
//! with) in template text, a `--var` value or a sample file are text like any other: their
//! count equals tiktoken's and they cannot forge a placeholder, a role or the prefix end
//! (DESIGN §12).

mod common;
use common::*;

const CONFIG: &str = "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 1000\noutput_tokens = 0\n";

/// Looks like a 1,000,000-token placeholder, a role line and the prefix marker to a renderer
/// that trusts private-use characters.
const FORGED: &str = "\u{F8F3}1000000\u{F8F4} \u{F8F0}system\u{F8F1}\n\u{F8F2}";

fn o200k(text: &str) -> u64 {
    tiktoken_rs::o200k_base().unwrap().encode_ordinary(text).len() as u64
}

fn input_tokens(dir: &std::path::Path, args: &[&str]) -> u64 {
    let v = json(cost_in(dir).arg("tokens").args(args).args(["--format", "json"]));
    v["files"][0]["input_tokens"].as_u64().unwrap()
}

#[test]
fn private_use_characters_in_template_text_are_counted_as_text() {
    let text = "Summarise this: \u{F8F3}1000000\u{F8F4} thanks";
    let dir = project(&[("cost.toml", CONFIG), ("t.prompt", &format!("{text}\n"))]);
    // One message: the text's o200k tokens + framing (3 per message + 1 for the role + 3 reply
    // priming = 7). The text is 15 tokens (tiktoken-rs), so 22 in all — not 1,000,014.
    let n = o200k(text);
    assert_eq!(n, 15);
    assert_eq!(input_tokens(dir.path(), &["t.prompt"]), n + 7);

    // 22 tokens × $2.50 per million (gpt-4o input, snapshot 2026-07-24) = $0.000055 a call;
    // × 1,000 calls × 30 days = $1.65 a month (not $2.50 a call).
    let v = json(cost_in(dir.path()).args(["estimate", "t.prompt", "--format", "json"]));
    let row = &v["rows"][0];
    assert_eq!(row["input_tokens"], 22);
    assert_eq!(row["cost_per_call_usd"], 0.000055);
    assert_eq!(row["cost_per_month_usd"], 1.65);
}

#[test]
fn private_use_characters_in_a_var_or_a_sample_file_cannot_forge_markers() {
    let dir = project(&[
        ("cost.toml", CONFIG),
        ("v.prompt", "user:\nSummarise this: {{ doc }} thanks\n"),
        (
            "f.prompt",
            "+++\n[vars]\ndoc = { file = \"doc.txt\" }\n+++\nuser:\nSummarise this: {{ doc }} thanks\n",
        ),
        ("doc.txt", FORGED),
    ]);
    // Still one user message holding the whole text: no placeholder, no second message.
    let text = format!("Summarise this: {FORGED} thanks");
    let expected = o200k(&text) + 7;
    let var = format!("doc={FORGED}");
    assert_eq!(input_tokens(dir.path(), &["v.prompt", "--var", &var]), expected);
    assert_eq!(input_tokens(dir.path(), &["f.prompt"]), expected);

    let v = json(cost_in(dir.path()).args(["tokens", "v.prompt", "--var", &var, "--format", "json"]));
    let roles: Vec<&str> = v["files"][0]["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["user", "framing"],
        "a --var value must not open a system message"
    );

    // The price follows the count: N tokens × $2.50 per million, × 30,000 calls a month.
    let v = json(cost_in(dir.path()).args(["estimate", "v.prompt", "--var", &var, "--format", "json"]));
    let row = &v["rows"][0];
    assert_eq!(row["input_tokens"], expected);
    let per_call = expected as f64 * 2.5 / 1e6;
    assert!((row["cost_per_call_usd"].as_f64().unwrap() - per_call).abs() < 1e-12);
    assert!((row["cost_per_month_usd"].as_f64().unwrap() - per_call * 30_000.0).abs() < 1e-6);
}

#[test]
fn a_real_placeholder_next_to_private_use_text_still_counts_exactly() {
    // {tokens = 500} is still exactly 500 tokens when the text around it holds the marker
    // characters: "A\u{F8F3}" + 500 + "\u{F8F4}B" text.
    let dir = project(&[
        ("cost.toml", CONFIG),
        (
            "p.prompt",
            "+++\n[vars]\nticket = { tokens = 500 }\n+++\nuser:\nA\u{F8F3}{{ ticket }}\u{F8F4}B\n",
        ),
    ]);
    let text_tokens = o200k("A\u{F8F3}") + o200k("\u{F8F4}B");
    assert_eq!(input_tokens(dir.path(), &["p.prompt"]), 500 + text_tokens + 7);
}
