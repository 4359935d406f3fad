//! `cost tokens` and `cost models` through the real binary, and token counts checked against
//! the reference tokenizer on varied text.

mod common;
use common::*;
use cost::tokenize::Encoding;

#[test]
fn tokens_table() {
    insta::assert_snapshot!(stdout(cost().args([
        "tokens",
        "templates/support/answer.prompt",
        "templates/agent/ops.prompt",
        "templates/requests/anthropic-review.json"
    ])));
}

#[test]
fn tokens_json_sections_add_up() {
    let v = json(cost().args([
        "tokens",
        "templates/chat/followup.prompt",
        "--model",
        "gpt-4o",
        "--format",
        "json",
    ]));
    let f = &v["files"][0];
    let sum: u64 = f["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["tokens"].as_u64().unwrap())
        .sum();
    assert_eq!(f["input_tokens"].as_u64().unwrap(), sum);
    // A multi-turn conversation: system, user, assistant sections and framing
    // (6 messages × 3 + role names + 3 priming).
    let roles: Vec<&str> = f["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["system", "user", "assistant", "framing"]);
    let framing = f["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["role"] == "framing")
        .unwrap()["tokens"]
        .as_u64()
        .unwrap();
    // Each role name ("system", "user", "assistant") is one o200k token: 6 × (3 + 1) + 3 = 27.
    assert_eq!(framing, 27);
}

#[test]
fn models_claude() {
    insta::assert_snapshot!(stdout(cost().args(["models", "claude-sonnet-4"])));
}

#[test]
fn models_shows_config_overlay_source() {
    let v = json(cost().args(["models", "acme-router", "--format", "json"]));
    assert_eq!(v["models"][0]["model"], "acme-router-ft-v3");
    assert_eq!(v["models"][0]["source"], "config");
    // 3.75 USD per million in cost.toml.
    assert_eq!(v["models"][0]["input_usd_per_m"], 3.75);
}

/// Both encodings agree with tiktoken-rs on `text`.
fn assert_same_as_tiktoken(text: &str, o200k: &tiktoken_rs::CoreBPE, cl100k: &tiktoken_rs::CoreBPE) {
    assert_eq!(
        Encoding::O200kBase.count(text),
        o200k.encode_ordinary(text).len() as u64,
        "o200k: {text:?}"
    );
    assert_eq!(
        Encoding::Cl100kBase.count(text),
        cl100k.encode_ordinary(text).len() as u64,
        "cl100k: {text:?}"
    );
}

/// Varied text: prose, code, JSON, CJK, emoji, whitespace runs, special-token look-alikes.
fn samples() -> Vec<String> {
    vec![
        "The quick brown fox jumps over the lazy dog. It's 3:45pm — time for tea?".into(),
        "fn main() {\n    let v: Vec<u64> = (0..10).map(|x| x * x).collect();\n    println!(\"{v:?}\");\n}\n".into(),
        r#"{"id":"chatcmpl-123","usage":{"prompt_tokens":1834,"completion_tokens":250},"choices":[{"index":0}]}"#
            .into(),
        "東京都は日本の首都です。人口は約1400万人で、世界最大級の都市圏を形成しています。".into(),
        "Launch day 🚀🚀🔥 — thanks team 👩🏽‍💻👨‍👩‍👧‍👦! ✅".into(),
        "    \n\n\t\t   trailing     spaces      \n\n\n".into(),
        "<|endoftext|> is plain text here, and so is <|im_start|>".into(),
        "Привет, мир! Ünïcödé façade naïve café 1,234,567.89 €".into(),
        "a".repeat(5000),
        "def f(x):\n    return {'k': [1, 2, 3], \"s\": f'{x!r:>10}'}\n".repeat(50),
    ]
}

#[test]
fn counts_match_the_reference_tokenizer() {
    let o200k = tiktoken_rs::o200k_base().unwrap();
    let cl100k = tiktoken_rs::cl100k_base().unwrap();
    for text in samples() {
        assert_same_as_tiktoken(&text, &o200k, &cl100k);
    }
}

#[test]
fn known_counts() {
    // Published examples: "tiktoken is great!" is 6 cl100k tokens (OpenAI cookbook);
    // "hello world" is 2 tokens in both encodings.
    assert_eq!(Encoding::Cl100kBase.count("tiktoken is great!"), 6);
    assert_eq!(Encoding::Cl100kBase.count("hello world"), 2);
    assert_eq!(Encoding::O200kBase.count("hello world"), 2);
    assert_eq!(Encoding::O200kBase.count(""), 0);
}

#[test]
fn anthropic_cache_control_marks_the_prefix() {
    // The cached prefix ends after the block carrying `cache_control`: framing of the system
    // message (3 + 1 for "system") + the first block's text; the second block and the user
    // turn are per-call.
    let first = "You review Go code for correctness and style. ".repeat(20);
    let body = serde_json::json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 512,
        "system": [
            {"type": "text", "text": first, "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": "Today's focus: error handling."}
        ],
        "messages": [{"role": "user", "content": "func f() {}"}]
    });
    let dir = project(&[("review.json", &body.to_string())]);
    let v = json(cost_in(dir.path()).args(["tokens", "review.json", "--model", "gpt-4o", "--format", "json"]));
    let expected = 4 + Encoding::O200kBase.count(&first);
    assert_eq!(v["files"][0]["static_prefix_tokens"].as_u64().unwrap(), expected);
}

/// Deterministic xorshift, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_slices_and_tricky_strings_match_tiktoken() {
    // Pieces chosen to hit every branch of the pre-tokenizer: contractions in any case,
    // digit runs, punctuation runs with newlines and slashes, whitespace before letters and at
    // the end, \r\n, combining marks, CJK, emoji with ZWJ, special-token look-alikes.
    let atoms = [
        "Hello",
        " world",
        "I'LL",
        " don't",
        "they'Re",
        "'s",
        "123456789",
        " 3.14159",
        "\r\n",
        "\n\n\n",
        "   ",
        "\t",
        " \n ",
        "    x",
        "//",
        " /**/ ",
        "!!!\n",
        "?!/",
        "é",
        "e\u{301}",
        "東京都",
        "의",
        "🚀",
        "👨‍👩‍👧",
        "\u{a0}",
        "\u{2028}",
        "<|endoftext|>",
        "{\"k\": [1, 2]}",
        "fn main() {",
        "    ",
        "ÀÉÎõü",
        "ǅungla",
        "ABCdef",
        "x".repeat(300).leak(),
    ];
    let o200k = tiktoken_rs::o200k_base().unwrap();
    let cl100k = tiktoken_rs::cl100k_base().unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut checked = 0;
    for _ in 0..3000 {
        let n = 1 + rng.next() % 12;
        let text: String = (0..n)
            .map(|_| atoms[(rng.next() % atoms.len() as u64) as usize])
            .collect();
        assert_same_as_tiktoken(&text, &o200k, &cl100k);
        checked += 1;
    }
    // Random slices of the example templates (on char boundaries).
    let mut corpus = String::new();
    for entry in walkdir::WalkDir::new(repo().join("templates")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            corpus.push_str(&std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let bounds: Vec<usize> = corpus.char_indices().map(|(i, _)| i).chain([corpus.len()]).collect();
    for _ in 0..500 {
        let a = bounds[(rng.next() % bounds.len() as u64) as usize];
        let b = bounds[(rng.next() % bounds.len() as u64) as usize];
        let text = &corpus[a.min(b)..a.max(b)];
        assert_eq!(
            Encoding::O200kBase.count(text),
            o200k.encode_ordinary(text).len() as u64,
            "o200k slice {a}..{b}"
        );
        assert_eq!(
            Encoding::Cl100kBase.count(text),
            cl100k.encode_ordinary(text).len() as u64,
            "cl100k slice {a}..{b}"
        );
        checked += 1;
    }
    assert_eq!(checked, 3500);
}

#[test]
fn long_texts_counted_in_chunks_match_tiktoken() {
    // Long multi-line texts are counted in line chunks (and cached): line starts that could
    // join the previous piece (spaces, `/`, blank lines, \r\n, non-ASCII) must not split it.
    let lines = [
        "You are a support agent.\n",
        "/path/after/newline\n",
        "  indented line\n",
        "\n\n",
        "- bullet: don't\r\n",
        "東京の天気\n",
        "{\"json\": [1, 2, 3]}\n",
        "ÉCOLE\n",
        "x\n",
        ".\n",
    ];
    let o200k = tiktoken_rs::o200k_base().unwrap();
    let cl100k = tiktoken_rs::cl100k_base().unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..40 {
        let text: String = (0..400)
            .map(|_| lines[(rng.next() % lines.len() as u64) as usize])
            .collect();
        assert!(text.len() > 2048);
        assert_eq!(
            Encoding::O200kBase.count(&text),
            o200k.encode_ordinary(&text).len() as u64
        );
        assert_eq!(
            Encoding::Cl100kBase.count(&text),
            cl100k.encode_ordinary(&text).len() as u64
        );
        // A second count hits the chunk cache and must agree.
        assert_eq!(
            Encoding::O200kBase.count(&text),
            o200k.encode_ordinary(&text).len() as u64
        );
    }
}
