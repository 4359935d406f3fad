//! Property tests, one per importer (DESIGN §12): for any valid usage, whatever the noise in
//! the optional fields around it, the line survives with exactly its tokens, its cost is never
//! negative, and no planted secret reaches a stored column; for any impossible count
//! (negative, fractional, above 10^12) the line is rejected, never stored with a wrapped value.

use cost::import::{self, FileCtx, Outcome, Parsed, Tokens};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;

const SECRET: &str = "sk-proj-PROPTESTsecret0123456789abcdef";

/// Reads `input` as `source`: every outcome.
fn read(source: &str, input: &str) -> Vec<Outcome> {
    let src = import::source_named(source).unwrap();
    let attribution = Default::default();
    let mut ctx = FileCtx {
        path: Path::new("prop"),
        fallback_time_ms: Some(1_788_220_800_000),
        attribution: &attribution,
        warnings: BTreeMap::new(),
    };
    let mut out = Vec::new();
    let mut emit = |p: Parsed| {
        out.push(p.outcome);
        true
    };
    src.read(&mut Cursor::new(input.as_bytes()), &mut ctx, &mut emit)
        .unwrap();
    out
}

/// The record of a one-record input, prepared for the store as `cost import` does.
fn stored(source: &'static str, input: &str) -> Result<cost::store::NewRequest, String> {
    let mut outcomes = read(source, input);
    let outcome = outcomes
        .iter()
        .position(|o| matches!(o, Outcome::Record(_) | Outcome::Rejected(_)))
        .map(|i| outcomes.swap_remove(i))
        .ok_or_else(|| format!("no record in {outcomes:?}"))?;
    let rec = match outcome {
        Outcome::Record(r) => *r,
        Outcome::Rejected(reason) => return Err(reason),
        Outcome::Skipped(s) => return Err(s.to_string()),
    };
    Ok(prepare(source, rec))
}

/// A record prepared for the store as `cost import` does: scrubbed, keyed and priced.
fn prepare(source: &'static str, rec: import::UsageRecord) -> cost::store::NewRequest {
    static PRICES: std::sync::OnceLock<cost::pricing::PriceTable> = std::sync::OnceLock::new();
    let prices = PRICES.get_or_init(|| cost::pricing::PriceTable::load(&BTreeMap::new()).unwrap());
    let teams = BTreeMap::new();
    let opts = import::Options {
        team: None,
        template: None,
        strict: false,
        dry_run: false,
        at_ms: None,
        attribution: Default::default(),
        teams: &teams,
        prices,
        now: "2026-11-01T00:00:00Z".into(),
        reread: false,
        update: false,
        user: None,
    };
    let mut pricer = import::pricer::Pricer::new(prices);
    import::prepare(rec, source, 1, &mut pricer, &opts)
}

/// Every text column of a stored request.
fn texts(r: &cost::store::NewRequest) -> Vec<String> {
    let mut v = vec![
        r.key.clone(),
        r.provider.clone(),
        r.model.clone(),
        r.tier.clone(),
        r.day.clone(),
    ];
    for o in [
        &r.team,
        &r.template,
        &r.template_version,
        &r.api_key_id,
        &r.project,
        &r.user,
        &r.tags,
        &r.flags,
    ] {
        v.extend(o.clone());
    }
    v
}

fn check(r: &cost::store::NewRequest, expect: Tokens) -> Result<(), TestCaseError> {
    prop_assert_eq!(r.tokens, expect);
    prop_assert!(r.cost_nanos >= 0, "negative cost {}", r.cost_nanos);
    for t in texts(r) {
        prop_assert!(!t.contains("PROPTEST"), "secret stored: {}", t);
    }
    Ok(())
}

/// Token counts up to the limit (and small ones, which are the common case).
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..100_000, 0u64..=import::lenient::MAX_TOKENS]
}

/// Counts a record cannot hold, as JSON text.
fn impossible() -> impl Strategy<Value = String> {
    prop_oneof![
        (import::lenient::MAX_TOKENS + 1..=u64::MAX).prop_map(|n| n.to_string()),
        (i64::MIN..0).prop_map(|n| n.to_string()),
        (1u64..1_000_000).prop_map(|n| format!("{n}.5")),
        Just("1e15".to_string()),
        Just("18446744073709551615".to_string()),
    ]
}

/// Noise for an optional text field: the types real gateways write there.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("200".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just(r#"{"a":[1,2]}"#.to_string()),
        Just("[1,\"x\"]".to_string()),
        Just(format!("\"Bearer {SECRET}\"")),
        "[a-z]{1,12}".prop_map(|s| format!("\"{s}\"")),
        (0i64..100_000).prop_map(|n| n.to_string()),
    ]
}

/// One OTel GenAI span's usage as a generator draws it: the canonical buckets, and how the
/// instrumentation wrote the input count.
#[derive(Debug, Clone)]
struct SpanUsage {
    uncached: u64,
    read: u64,
    write: u64,
    output: u64,
    reasoning: u64,
    /// Input written as Anthropic's own count (cache excluded) rather than the convention's
    /// (cache included); drawn only where the two cannot be confused (uncached < read + write).
    exclusive: bool,
    /// The older attribute names (`prompt_tokens`, `completion_tokens`, flat cache names).
    old_names: bool,
}

fn span_usage() -> impl Strategy<Value = SpanUsage> {
    // Each part up to a third of the limit, so an inclusive input stays a count a record holds.
    let part = || prop_oneof![0u64..100_000, 0u64..=import::lenient::MAX_TOKENS / 3];
    (part(), part(), part(), part(), 0u64..=100, any::<bool>(), any::<bool>()).prop_map(
        |(uncached, read, write, output, pct, exclusive, old_names)| {
            let exclusive = exclusive && read + write > 0;
            SpanUsage {
                // An exclusive count is below the cache by construction.
                uncached: if exclusive { uncached % (read + write) } else { uncached },
                read,
                write,
                output,
                reasoning: (output as u128 * pct as u128 / 100) as u64,
                exclusive,
                old_names,
            }
        },
    )
}

/// A `TracesData` line: one span per usage (an intValue string of digits each), each after a
/// tool span without usage, with a prompt and a secret planted in attributes.
fn otel_line(spans: &[SpanUsage]) -> String {
    let attr = |k: &str, v: String| format!(r#"{{"key":"{k}","value":{v}}}"#);
    let int = |n: u64| format!(r#"{{"intValue":"{n}"}}"#);
    let text = |s: &str| format!(r#"{{"stringValue":"{s}"}}"#);
    let mut out = Vec::new();
    for (i, u) in spans.iter().enumerate() {
        out.push(format!(
            r#"{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"{:016x}","name":"execute_tool","startTimeUnixNano":"1788253205000000000","attributes":[{}]}}"#,
            2 * i + 1,
            attr("gen_ai.operation.name", text("execute_tool"))
        ));
        let input = if u.exclusive {
            u.uncached
        } else {
            u.uncached + u.read + u.write
        };
        let (k_in, k_out, k_read, k_write) = if u.old_names {
            (
                "prompt_tokens",
                "completion_tokens",
                "cache_read_input_tokens",
                "cache_creation_input_tokens",
            )
        } else {
            (
                "input_tokens",
                "output_tokens",
                "cache_read.input_tokens",
                "cache_creation.input_tokens",
            )
        };
        let attrs = [
            attr("gen_ai.provider.name", text("anthropic")),
            attr("gen_ai.request.model", text("claude-sonnet-4-5-20250929")),
            attr("gen_ai.prompt.0.content", text("PROPTEST prompt")),
            attr("user.id", text(&format!("Bearer {SECRET}"))),
            attr(&format!("gen_ai.usage.{k_in}"), int(input)),
            attr(&format!("gen_ai.usage.{k_out}"), int(u.output)),
            attr(&format!("gen_ai.usage.{k_read}"), int(u.read)),
            attr(&format!("gen_ai.usage.{k_write}"), int(u.write)),
            attr("gen_ai.usage.reasoning.output_tokens", int(u.reasoning)),
        ];
        out.push(format!(
            r#"{{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"{:016x}","name":"chat","startTimeUnixNano":"1788253205000000000","endTimeUnixNano":"1788253207000000000","attributes":[{}]}}"#,
            2 * i + 2,
            attrs.join(",")
        ));
    }
    format!(
        r#"{{"resourceSpans":[{{"resource":{{"attributes":[{{"key":"service.name","value":{{"stringValue":"p"}}}}]}},"scopeSpans":[{{"scope":{{"name":"t"}},"spans":[{}]}}]}}]}}"#,
        out.join(",")
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Spans of one line: each call is its own record with exactly its buckets, the tool
    /// spans are skipped, and the file's sums are the sums of what was drawn.
    #[test]
    fn otel(spans in prop::collection::vec(span_usage(), 1..6)) {
        let outcomes = read("otel", &otel_line(&spans));
        prop_assert_eq!(outcomes.len(), 2 * spans.len());
        let mut sums = Tokens::default();
        let mut expect_sums = Tokens::default();
        for (i, u) in spans.iter().enumerate() {
            prop_assert!(matches!(outcomes[2 * i], Outcome::Skipped(_)), "{:?}", outcomes[2 * i]);
            let rec = match &outcomes[2 * i + 1] {
                Outcome::Record(r) => (**r).clone(),
                other => return Err(TestCaseError::fail(format!("{other:?}"))),
            };
            let expect = Tokens {
                uncached_input: u.uncached,
                cache_read: u.read,
                cache_write_5m: u.write,
                cache_write_1h: 0,
                output: u.output,
                reasoning: u.reasoning,
            };
            prop_assert_eq!(rec.session.as_deref(), Some("5b8efff798038103d269b633813fc60c"));
            prop_assert_eq!(rec.latency_ms, Some(2000));
            let r = prepare("otel", rec);
            check(&r, expect)?;
            for (sum, add) in [
                (&mut sums.uncached_input, r.tokens.uncached_input),
                (&mut sums.cache_read, r.tokens.cache_read),
                (&mut sums.cache_write_5m, r.tokens.cache_write_5m),
                (&mut sums.output, r.tokens.output),
                (&mut sums.reasoning, r.tokens.reasoning),
            ] {
                *sum += add;
            }
            expect_sums.uncached_input += u.uncached;
            expect_sums.cache_read += u.read;
            expect_sums.cache_write_5m += u.write;
            expect_sums.output += u.output;
            expect_sums.reasoning += u.reasoning;
        }
        prop_assert_eq!(sums, expect_sums);
    }

    /// An impossible count, as OTLP's intValue string or as a double, rejects the span and
    /// names the attribute; the other span of the line is still imported.
    #[test]
    fn otel_refuses_impossible_counts(bad in impossible(), as_double in any::<bool>()) {
        let value = if as_double { format!(r#"{{"doubleValue":{bad}}}"#) } else { format!(r#"{{"intValue":"{bad}"}}"#) };
        let span = |id: &str, input: &str| format!(
            r#"{{"spanId":"{id}","name":"chat","startTimeUnixNano":"1788253205000000000","attributes":[{{"key":"gen_ai.request.model","value":{{"stringValue":"gpt-4o"}}}},{{"key":"gen_ai.usage.input_tokens","value":{input}}}]}}"#
        );
        let line = format!(
            r#"{{"resourceSpans":[{{"scopeSpans":[{{"spans":[{},{}]}}]}}]}}"#,
            span("00000000000000b1", &value),
            span("00000000000000a1", r#"{"intValue":"7"}"#)
        );
        let outcomes = read("otel", &line);
        prop_assert_eq!(outcomes.len(), 2);
        prop_assert!(matches!(&outcomes[0], Outcome::Record(r) if r.tokens.uncached_input == 7), "{:?}", outcomes[0]);
        match &outcomes[1] {
            Outcome::Rejected(reason) => prop_assert!(
                reason.starts_with("span 00000000000000b1 (\"chat\"): `gen_ai.usage.input_tokens`: "),
                "{}", reason
            ),
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        }
    }

    #[test]
    fn envelope(p in count(), k in 0u64..1_000_000, c in count(), status in noise(), project in noise(), tier in prop_oneof![Just("\"default\"".to_string()), Just("null".to_string()), Just("{}".to_string())]) {
        let p = p.max(k);
        let line = format!(
            r#"{{"timestamp":"2026-09-01T10:00:00Z","request_id":"r1","provider":"openai","model":"gpt-4o","status":{status},"project":{project},"tier":{tier},"metadata":{{"team":"t","auth":"Bearer {SECRET}","prompt":"PROPTEST prompt"}},"tags":{{"authorization":"{SECRET}","x":{project}}},"usage":{{"prompt_tokens":{p},"completion_tokens":{c},"prompt_tokens_details":{{"cached_tokens":{k}}}}}}}"#
        );
        let r = stored("envelope", &line).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: p - k, cache_read: k, output: c, ..Tokens::default() })?;
    }

    #[test]
    fn envelope_refuses_impossible_counts(bad in impossible()) {
        let line = format!(r#"{{"timestamp":"2026-09-01T10:00:00Z","request_id":"r1","model":"gpt-4o","usage":{{"prompt_tokens":{bad},"completion_tokens":1}}}}"#);
        let err = stored("envelope", &line).unwrap_err();
        prop_assert!(err.contains("prompt_tokens"), "{}", err);
    }

    #[test]
    fn cost_export(i in count(), rd in count(), w5 in count(), w1 in count(), o in count(), project in noise(), status in noise()) {
        let line = format!(
            r#"{{"schema":"cost.export/v1","key":"k-1","timestamp":"2026-09-01T10:00:00.250Z","provider":"openai","model":"gpt-4o","tier":"standard","requests":1,"tokens":{{"uncached_input":{i},"cache_read":{rd},"cache_write_5m":{w5},"cache_write_1h":{w1},"output":{o},"reasoning":0}},"project":{project},"status":{status},"tags":{{"authorization":"{SECRET}","note":"Bearer {SECRET}","prompt":"PROPTEST prompt"}},"source":"envelope"}}"#
        );
        let r = stored("cost-export", &line).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: i, cache_read: rd, cache_write_5m: w5, cache_write_1h: w1, output: o, reasoning: 0 })?;
        prop_assert_eq!(r.key.as_str(), "k-1");
        prop_assert_eq!(r.source, "envelope");
    }

    #[test]
    fn cost_export_refuses_impossible_counts(bad in impossible()) {
        let line = format!(r#"{{"schema":"cost.export/v1","key":"k","timestamp":"2026-09-01T10:00:00Z","model":"gpt-4o","tier":"standard","requests":1,"tokens":{{"uncached_input":1,"output":{bad}}}}}"#);
        let err = stored("cost-export", &line).unwrap_err();
        prop_assert!(err.contains("tokens.output"), "{}", err);
    }

    /// Whatever a store holds comes back from its export line exactly: key, time, buckets.
    #[test]
    fn cost_export_round_trips(i in count(), rd in count(), w5 in count(), w1 in count(), o in count(), ts in 0i64..4_102_444_800_000, n in 0i64..1_000_000, key in "[!-~][ -~]{0,39}") {
        let tokens = Tokens { uncached_input: i, cache_read: rd, cache_write_5m: w5, cache_write_1h: w1, output: o, reasoning: o / 2 };
        let held = cost::store::export::StoredRequest {
            key: key.clone(),
            ts_ms: ts,
            day: import::fields::day_of(ts),
            source: "generic-csv".into(),
            model: "gpt-4o".into(),
            tier: "batch".into(),
            tokens,
            requests: n,
            ..Default::default()
        };
        let line = cost::export::jsonl::line(&held).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let r = stored("cost-export", &line).map_err(TestCaseError::fail)?;
        prop_assert_eq!(r.tokens, tokens);
        prop_assert_eq!(r.ts_ms, ts);
        prop_assert_eq!(r.requests, n as u64);
        prop_assert_eq!(r.tier.as_str(), "batch");
        prop_assert_eq!(r.source, "generic-csv");
        // A key is stored as given unless it holds a secret (never the case here: printable
        // ASCII without a key prefix).
        prop_assert_eq!(r.key, import::scrub::key(&key).into_owned());
    }

    #[test]
    fn claude_code(i in count(), rd in count(), w in count(), o in count(), branch in noise()) {
        let line = format!(
            r#"{{"cwd":"/home/dev/shop","sessionId":"s1","gitBranch":{branch},"type":"assistant","requestId":"req_1","timestamp":"2026-09-03T09:00:06.204Z","message":{{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","usage":{{"input_tokens":{i},"cache_creation_input_tokens":{w},"cache_read_input_tokens":{rd},"output_tokens":{o}}}}}}}"#
        );
        let r = stored("claude-code", &line).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: i, cache_read: rd, cache_write_5m: w, output: o, ..Tokens::default() })?;
    }

    #[test]
    fn claude_code_refuses_impossible_counts(bad in impossible()) {
        let line = format!(r#"{{"type":"assistant","sessionId":"s","requestId":"q","timestamp":"2026-09-03T09:00:06Z","message":{{"id":"m","model":"claude-sonnet-4-5-20250929","usage":{{"input_tokens":1,"output_tokens":{bad}}}}}}}"#);
        let err = stored("claude-code", &line).unwrap_err();
        prop_assert!(err.contains("output_tokens"), "{}", err);
    }

    #[test]
    fn bedrock(i in count(), rd in count(), w in count(), o in count()) {
        let line = format!(
            r#"{{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-09-02T08:00:03Z","accountId":"1","region":"us-east-1","requestId":"b1","operation":"Converse","modelId":"anthropic.claude-sonnet-4-5-20250929-v1:0","requestMetadata":{{"team":"support","api_key":"{SECRET}","note":"Bearer {SECRET}"}},"input":{{"inputTokenCount":{i},"cacheReadInputTokenCount":{rd},"cacheWriteInputTokenCount":{w}}},"output":{{"outputTokenCount":{o}}}}}"#
        );
        let r = stored("bedrock", &line).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: i, cache_read: rd, cache_write_5m: w, output: o, ..Tokens::default() })?;
    }

    #[test]
    fn bedrock_refuses_impossible_counts(bad in impossible()) {
        let line = format!(r#"{{"schemaType":"ModelInvocationLog","timestamp":"2026-09-02T08:00:03Z","requestId":"b1","modelId":"anthropic.claude-sonnet-4-5-20250929-v1:0","input":{{"inputTokenCount":{bad}}},"output":{{"outputTokenCount":1}}}}"#);
        let err = stored("bedrock", &line).unwrap_err();
        prop_assert!(err.contains("inputTokenCount"), "{}", err);
    }

    #[test]
    fn openai_chat(p in count(), k in 0u64..1_000_000, c in count(), r in 0u64..1000) {
        let (p, c) = (p.max(k), c.max(r));
        let line = format!(
            r#"{{"id":"chatcmpl-1","object":"chat.completion","created":1788253205,"model":"gpt-4o-2024-08-06","service_tier":"default","usage":{{"prompt_tokens":{p},"completion_tokens":{c},"prompt_tokens_details":{{"cached_tokens":{k}}},"completion_tokens_details":{{"reasoning_tokens":{r}}}}}}}"#
        );
        let rec = stored("openai-chat", &line).map_err(TestCaseError::fail)?;
        check(&rec, Tokens { uncached_input: p - k, cache_read: k, output: c, reasoning: r, ..Tokens::default() })?;
    }

    #[test]
    fn openai_chat_refuses_impossible_counts(bad in impossible()) {
        let line = format!(r#"{{"id":"c","object":"chat.completion","created":1788253205,"model":"gpt-4o","usage":{{"prompt_tokens":10,"completion_tokens":{bad}}}}}"#);
        let err = stored("openai-chat", &line).unwrap_err();
        prop_assert!(err.contains("completion_tokens"), "{}", err);
    }

    #[test]
    fn openai_responses(p in count(), k in 0u64..1_000_000, c in count(), team in noise()) {
        let p = p.max(k);
        let line = format!(
            r#"{{"id":"resp_1","object":"response","created_at":1788264000,"status":"completed","model":"gpt-5-2025-08-07","metadata":{{"team":{team},"api_key":"{SECRET}"}},"output":[],"usage":{{"input_tokens":{p},"input_tokens_details":{{"cached_tokens":{k}}},"output_tokens":{c}}}}}"#
        );
        let r = stored("openai-responses", &line).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: p - k, cache_read: k, output: c, ..Tokens::default() })?;
    }

    #[test]
    fn anthropic_messages(i in count(), rd in count(), w5 in 0u64..=import::lenient::MAX_TOKENS / 2, w1 in 0u64..=import::lenient::MAX_TOKENS / 2, o in count()) {
        let line = format!(
            r#"{{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","usage":{{"input_tokens":{i},"cache_creation_input_tokens":{},"cache_read_input_tokens":{rd},"cache_creation":{{"ephemeral_5m_input_tokens":{w5},"ephemeral_1h_input_tokens":{w1}}},"output_tokens":{o}}}}}"#,
            w5 + w1
        );
        let r = stored("anthropic-messages", &line).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: i, cache_read: rd, cache_write_5m: w5, cache_write_1h: w1, output: o, ..Tokens::default() })?;
    }

    #[test]
    fn generic_csv(i in count(), rd in count(), o in count()) {
        let csv = format!(
            "timestamp,request_id,model,team,project,uncached_input_tokens,cache_read_tokens,output_tokens\n\
             2026-09-01T10:00:00Z,g1,gpt-4o,support,Bearer {SECRET},{i},{rd},{o}\n"
        );
        let r = stored("generic-csv", &csv).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: i, cache_read: rd, output: o, ..Tokens::default() })?;
    }

    #[test]
    fn generic_csv_refuses_impossible_counts(bad in impossible()) {
        let csv = format!("timestamp,request_id,model,uncached_input_tokens,output_tokens\n2026-09-01T10:00:00Z,g1,gpt-4o,{bad},1\n");
        let err = stored("generic-csv", &csv).unwrap_err();
        prop_assert!(err.contains("uncached_input_tokens"), "{}", err);
    }

    #[test]
    fn litellm(p in count(), c in count()) {
        let row = format!(
            r#"[{{"request_id":"l1","call_type":"acompletion","api_key":"{SECRET}","spend":null,"prompt_tokens":{p},"completion_tokens":{c},"startTime":"2026-09-02T11:05:09.412Z","model":"gpt-4o-2024-08-06","custom_llm_provider":"openai","metadata":{{"user_api_key_team_alias":"support"}},"request_tags":{{"authorization":"Bearer {SECRET}","feature":"x"}}}}]"#
        );
        let r = stored("litellm", &row).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: p, output: c, ..Tokens::default() })?;
    }

    #[test]
    fn litellm_refuses_impossible_counts(bad in impossible()) {
        let row = format!(r#"[{{"request_id":"l1","call_type":"acompletion","prompt_tokens":{bad},"completion_tokens":1,"startTime":"2026-09-02T11:05:09Z","model":"gpt-4o"}}]"#);
        let err = stored("litellm", &row).unwrap_err();
        prop_assert!(err.contains("prompt_tokens"), "{}", err);
    }

    #[test]
    fn openai_usage(input in count(), cached in 0u64..1_000_000, o in count(), n in 1u64..10_000) {
        let input = input.max(cached);
        let page = format!(
            r#"{{"object":"page","data":[{{"object":"bucket","start_time":1788220800,"end_time":1788307200,"results":[{{"object":"organization.usage.completions.result","input_tokens":{input},"output_tokens":{o},"input_cached_tokens":{cached},"num_model_requests":{n},"project_id":"Bearer {SECRET}","api_key_id":"{SECRET}","model":"gpt-4o-2024-08-06","batch":false}}]}}]}}"#
        );
        let r = stored("openai-usage", &page).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: input - cached, cache_read: cached, output: o, ..Tokens::default() })?;
        prop_assert_eq!(r.requests, n);
    }

    #[test]
    fn anthropic_usage(u in count(), rd in count(), w5 in count(), w1 in count(), o in count()) {
        let report = format!(
            r#"{{"data":[{{"starting_at":"2026-09-01T00:00:00Z","ending_at":"2026-09-02T00:00:00Z","results":[{{"uncached_input_tokens":{u},"cache_read_input_tokens":{rd},"cache_creation":{{"ephemeral_1h_input_tokens":{w1},"ephemeral_5m_input_tokens":{w5}}},"output_tokens":{o},"api_key_id":"{SECRET}","workspace_id":"Bearer {SECRET}","model":"claude-sonnet-4-5-20250929","service_tier":"standard","context_window":"0-200k"}}]}}]}}"#
        );
        let r = stored("anthropic-usage", &report).map_err(TestCaseError::fail)?;
        check(&r, Tokens { uncached_input: u, cache_read: rd, cache_write_5m: w5, cache_write_1h: w1, output: o, ..Tokens::default() })?;
    }

    /// Reject excerpts of any line keep no secret and no prompt text.
    #[test]
    fn excerpts_are_scrubbed(prompt in "[A-Za-z ]{0,80}", cut in 20usize..400) {
        let line = format!(r#"{{"request_id":"r","metadata":{{"prompt":"PROPTEST {prompt}","key":"Bearer {SECRET}"}},"messages":[{{"role":"user","content":"PROPTEST {prompt}"}}],"usage":{{"prompt_tokens":1"#);
        let cut = line.len().min(cut);
        let text = import::scrub::text(&line[..cut]);
        prop_assert!(!text.contains("PROPTEST"), "{}", text);
    }
}

/// One Codex turn as a generator draws it: what it added to the running total.
#[derive(Debug, Clone, Copy)]
struct Turn {
    input: u64,
    cached: u64,
    output: u64,
    reasoning: u64,
    /// Times Codex wrote the same total again (fresh timestamps).
    repeats: usize,
    /// A `token_count` with `info: null` and a message item after the turn.
    noise: bool,
}

fn turn() -> impl Strategy<Value = Turn> {
    (
        1u64..200_000,
        0u64..=100,
        0u64..50_000,
        0u64..=100,
        0usize..4,
        any::<bool>(),
    )
        .prop_map(|(input, cached_pct, output, reasoning_pct, repeats, noise)| Turn {
            input,
            cached: input * cached_pct / 100,
            output,
            reasoning: output * reasoning_pct / 100,
            repeats,
            noise,
        })
}

/// Codex's four counts as JSON.
fn codex_usage(t: [u64; 4]) -> String {
    format!(
        r#"{{"input_tokens":{},"cached_input_tokens":{},"output_tokens":{},"reasoning_output_tokens":{},"total_tokens":{}}}"#,
        t[0],
        t[1],
        t[2],
        t[3],
        t[0] + t[2]
    )
}

/// Writes `turns` as Codex events from running total `start`, the clock at `*ms`; `last`:
/// whether events carry `last_token_usage` (older files have only totals). Returns the total.
fn codex_turns(out: &mut Vec<String>, turns: &[Turn], start: [u64; 4], ms: &mut i64, last: bool) -> [u64; 4] {
    let mut total = start;
    for t in turns {
        let add = [t.input, t.cached, t.output, t.reasoning];
        for i in 0..4 {
            total[i] += add[i];
        }
        for _ in 0..=t.repeats {
            *ms += 1_500;
            let last = if last {
                format!(r#","last_token_usage":{}"#, codex_usage(add))
            } else {
                String::new()
            };
            out.push(format!(
                r#"{{"timestamp":"{}","type":"event_msg","payload":{{"type":"token_count","info":{{"total_token_usage":{}{last}}},"rate_limits":null}}}}"#,
                codex_time(*ms),
                codex_usage(total)
            ));
        }
        if t.noise {
            *ms += 10;
            out.push(format!(
                r#"{{"timestamp":"{}","type":"event_msg","payload":{{"type":"token_count","info":null}}}}"#,
                codex_time(*ms)
            ));
            out.push(format!(r#"{{"timestamp":"{}","type":"response_item","payload":{{"type":"message","role":"assistant","content":[{{"type":"output_text","text":"PROPTEST"}}]}}}}"#, codex_time(*ms)));
        }
    }
    total
}

fn codex_time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
}

/// The buckets of every record of a Codex file, summed as (input incl. cached, cached, output,
/// reasoning), and how many records.
fn codex_billed(text: &str) -> Result<([u64; 4], usize), TestCaseError> {
    let mut sum = [0u64; 4];
    let mut n = 0;
    for o in read("codex", text) {
        match o {
            Outcome::Record(r) => {
                let t = r.tokens;
                for (s, v) in sum
                    .iter_mut()
                    .zip([t.uncached_input + t.cache_read, t.cache_read, t.output, t.reasoning])
                {
                    *s += v;
                }
                n += 1;
            }
            Outcome::Skipped(_) => {}
            Outcome::Rejected(r) => return Err(TestCaseError::fail(r)),
        }
    }
    Ok((sum, n))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Whatever re-emitted totals and rate-limit-only counts are planted, the billed turns add
    /// up to the session's final running total, one record per turn, with or without
    /// `last_token_usage`.
    #[test]
    fn codex_billed_sum_is_the_final_running_total(turns in prop::collection::vec(turn(), 1..20), last in any::<bool>()) {
        let mut lines = vec![
            r#"{"timestamp":"2026-10-01T09:00:00.000Z","type":"session_meta","payload":{"id":"s","cwd":"/w"}}"#.to_string(),
            r#"{"timestamp":"2026-10-01T09:00:00.500Z","type":"turn_context","payload":{"model":"gpt-5.2"}}"#.to_string(),
        ];
        let mut ms = 1_790_845_201_000;
        let total = codex_turns(&mut lines, &turns, [0; 4], &mut ms, last);
        let (sum, n) = codex_billed(&lines.join("\n"))?;
        prop_assert_eq!(sum, total);
        prop_assert_eq!(n, turns.len());
    }

    /// A forked or subagent session replays its parent's events at its creation: only its own
    /// turns are billed, whether its totals go on from the parent's or start again from zero.
    #[test]
    fn codex_fork_bills_only_its_own_turns(
        parent in prop::collection::vec(turn(), 1..8),
        own in prop::collection::vec(turn(), 1..8),
        subagent in any::<bool>(),
        restart in any::<bool>(),
    ) {
        let created = 1_790_845_201_000i64;
        let origin = if subagent {
            r#""source":{"subagent":{"thread_spawn":{"parent_thread_id":"p"}}}"#
        } else {
            r#""forked_from_id":"p""#
        };
        let mut lines = vec![format!(
            r#"{{"timestamp":"{}","type":"session_meta","payload":{{"id":"f","cwd":"/w",{origin}}}}}"#,
            codex_time(created)
        )];
        // The replay: the parent's events written in one burst just after the creation.
        let mut replay = Vec::new();
        let mut ms = 0;
        let parent_total = codex_turns(&mut replay, &parent, [0; 4], &mut ms, true);
        for (i, line) in replay.into_iter().enumerate() {
            let at = codex_time(created + (i as i64 % 900));
            let stamped = line.split_once(r#"","type""#).map(|(_, rest)| format!(r#"{{"timestamp":"{at}","type"{rest}"#));
            lines.push(stamped.unwrap());
        }
        let mut ms = created + 5_000;
        let start = if restart { [0; 4] } else { parent_total };
        let total = codex_turns(&mut lines, &own, start, &mut ms, true);
        let (sum, n) = codex_billed(&lines.join("\n"))?;
        let mut expect = [0u64; 4];
        for i in 0..4 {
            expect[i] = total[i] - start[i];
        }
        prop_assert_eq!(sum, expect);
        prop_assert_eq!(n, own.len());
    }
}
