use super::*;
use crate::import::record::{Parsed, Tokens};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// Every (line, outcome, excerpt) read from a file.
type Outcomes = Vec<(u64, Outcome, Option<String>)>;

/// Every (line, outcome, excerpt) of `text` read as OTel, with `[attribution]` paths.
fn read_with(text: &str, attribution: &AttributionPaths) -> (Outcomes, Vec<String>) {
    let mut ctx = FileCtx {
        path: Path::new("t.jsonl"),
        fallback_time_ms: None,
        attribution,
        warnings: BTreeMap::new(),
    };
    let mut out = Vec::new();
    let mut emit = |p: Parsed| {
        out.push((p.line, p.outcome, p.excerpt));
        true
    };
    Otel.read(&mut std::io::Cursor::new(text.as_bytes()), &mut ctx, &mut emit)
        .unwrap();
    (out, ctx.warnings.into_keys().collect())
}

fn read(text: &str) -> Outcomes {
    read_with(text, &AttributionPaths::default()).0
}

fn rec(o: &Outcome) -> &UsageRecord {
    match o {
        Outcome::Record(r) => r,
        other => panic!("not a record: {other:?}"),
    }
}

fn attr(key: &str, value: Value) -> Value {
    json!({"key": key, "value": value})
}

fn s(v: &str) -> Value {
    json!({"stringValue": v})
}

fn i(v: &str) -> Value {
    json!({"intValue": v})
}

/// A `TracesData` line of one resource and one scope holding `spans`.
fn line(resource: Vec<Value>, spans: Vec<Value>) -> String {
    json!({"resourceSpans": [{"resource": {"attributes": resource},
        "scopeSpans": [{"scope": {"name": "test"}, "spans": spans}]}]})
    .to_string()
}

fn span(id: &str, parent: &str, attrs: Vec<Value>) -> Value {
    json!({"traceId": "5b8efff798038103d269b633813fc60c", "spanId": id, "parentSpanId": parent,
        "name": "chat", "startTimeUnixNano": "1790831703512000000",
        "endTimeUnixNano": "1790831705012400000", "status": {"code": 1}, "attributes": attrs})
}

#[test]
fn one_line_many_spans_each_its_own_outcome() {
    let resource = vec![
        attr("service.name", s("support-bot")),
        attr("deployment.environment.name", s("prod")),
    ];
    let chat = span(
        "eee19b7ec3c1b174",
        "",
        vec![
            attr("gen_ai.provider.name", s("openai")),
            attr("gen_ai.request.model", s("gpt-4o")),
            attr("gen_ai.response.model", s("gpt-4o-2024-08-06")),
            attr("gen_ai.response.id", s("chatcmpl-1")),
            attr("gen_ai.usage.input_tokens", i("5200")),
            attr("gen_ai.usage.cache_read.input_tokens", i("4096")),
            attr("gen_ai.usage.output_tokens", i("410")),
            attr("gen_ai.conversation.id", s("conv_7c1f")),
            attr("gen_ai.agent.name", s("triage")),
            attr("user.id", s("u-42")),
            attr("app.team", s("support")),
            attr("app.template", s("support/answer")),
            attr("gen_ai.usage.cost", json!({"doubleValue": 0.01198})),
        ],
    );
    let tool = span(
        "0000000000000002",
        "",
        vec![attr("gen_ai.operation.name", s("execute_tool"))],
    );
    let mut failed = span(
        "0000000000000003",
        "",
        vec![
            attr("gen_ai.provider.name", s("aws.bedrock")),
            attr("gen_ai.request.model", s("us.anthropic.claude-haiku-4-5-20251001-v1:0")),
            attr("gen_ai.usage.input_tokens", i("900")),
            attr("gen_ai.usage.output_tokens", i("0")),
        ],
    );
    failed["status"] = json!({"code": 2, "message": "throttled"});
    let out = read(&line(resource, vec![chat, tool, failed]));
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(out.iter().all(|(l, _, _)| *l == 1));

    let r = rec(&out[0].1);
    assert_eq!(r.key.as_deref(), Some("chatcmpl-1"));
    assert_eq!(r.provider.as_deref(), Some("openai"));
    assert_eq!(r.model, "gpt-4o-2024-08-06");
    assert_eq!(r.tier, "standard");
    assert_eq!(r.requests, 1);
    // 5,200 input includes the 4,096 read from the cache.
    assert_eq!(
        r.tokens,
        Tokens {
            uncached_input: 1104,
            cache_read: 4096,
            output: 410,
            ..Tokens::default()
        }
    );
    assert_eq!(r.timestamp_ms, 1_790_831_703_512);
    // 1.5004 s rounds to 1,500 ms.
    assert_eq!(r.latency_ms, Some(1500));
    assert_eq!(r.status, Some(Status::Ok));
    assert_eq!(r.session.as_deref(), Some("conv_7c1f"));
    assert_eq!(r.user.as_deref(), Some("u-42"));
    assert_eq!(r.project.as_deref(), Some("support-bot"));
    assert_eq!(
        (r.team.as_deref(), r.template.as_deref()),
        (Some("support"), Some("support/answer"))
    );
    assert_eq!(r.reported_cost_usd, Some(0.01198));
    let tags: Vec<(&str, &str)> = r.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tags, [("agent", "triage"), ("environment", "prod")]);

    assert!(matches!(
        out[1].1,
        Outcome::Skipped("span without gen_ai.usage token counts")
    ));

    let r = rec(&out[2].1);
    assert_eq!(r.status, Some(Status::Error));
    assert_eq!(r.provider.as_deref(), Some("bedrock"));
    // No response id: the trace and span ids; no conversation: the trace is the session.
    assert_eq!(
        r.key.as_deref(),
        Some("otel:5b8efff798038103d269b633813fc60c:0000000000000003")
    );
    assert_eq!(r.session.as_deref(), Some("5b8efff798038103d269b633813fc60c"));
    assert_eq!((r.tokens.uncached_input, r.tokens.output), (900, 0));
}

#[test]
fn rejects_name_the_span_and_come_last_in_one() {
    let good = span(
        "00000000000000a1",
        "",
        vec![
            attr("gen_ai.request.model", s("gpt-4o-mini")),
            attr("gen_ai.usage.input_tokens", i("10")),
        ],
    );
    let negative = span(
        "00000000000000b2",
        "",
        vec![
            attr("gen_ai.request.model", s("gpt-4o-mini")),
            attr("gen_ai.usage.input_tokens", i("-5")),
            attr("gen_ai.prompt.0.content", s("PLANTED prompt text")),
        ],
    );
    let no_model = span("00000000000000c3", "", vec![attr("gen_ai.usage.output_tokens", i("7"))]);
    let out = read(&line(vec![], vec![negative.clone(), good, no_model]));
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(matches!(out[0].1, Outcome::Record(_)));
    let Outcome::Rejected(reason) = &out[1].1 else {
        panic!("{out:?}")
    };
    assert_eq!(
        reason,
        "2 spans rejected: span 00000000000000b2 (\"chat\"): `gen_ai.usage.input_tokens`: -5 is negative; \
         span 00000000000000c3 (\"chat\"): no model (`gen_ai.response.model` or `gen_ai.request.model`)"
    );
    assert_eq!(
        out[1].2.as_deref(),
        Some(
            r#"{"spanId":"00000000000000b2","name":"chat","attributes":["gen_ai.usage.input_tokens=-5","gen_ai.request.model=gpt-4o-mini"]}"#
        )
    );
    // One bad span alone: its reason as it is.
    let out = read(&line(vec![], vec![negative]));
    let Outcome::Rejected(reason) = &out[0].1 else {
        panic!("{out:?}")
    };
    assert_eq!(
        reason,
        "span 00000000000000b2 (\"chat\"): `gen_ai.usage.input_tokens`: -5 is negative"
    );
}

#[test]
fn a_total_alone_is_rejected_not_skipped() {
    let only_total = span(
        "00000000000000d4",
        "",
        vec![
            attr("gen_ai.request.model", s("gpt-4o")),
            attr("gen_ai.usage.total_tokens", i("900")),
        ],
    );
    let out = read(&line(vec![], vec![only_total]));
    let Outcome::Rejected(reason) = &out[0].1 else {
        panic!("{out:?}")
    };
    assert_eq!(
        reason,
        "span 00000000000000d4 (\"chat\"): only `gen_ai.usage.total_tokens`: no input or output count to price"
    );
}

#[test]
fn whole_lines_that_are_not_spans() {
    let cut = r#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"gen_ai.input.messages","value":{"stringValue":"PLANTED question"}},{"key":"gen_ai.usage.input_tok"#;
    let text = [
        cut,
        r#"{"resourceMetrics":[]}"#,
        r#"{"resourceSpans":[]}"#,
        r#"{"resourceSpans":{"a":1}}"#,
        r#"{"resourceSpans":[{"scopeSpans":[{"spans":7}]}]}"#,
        r#"{"hello":"world"}"#,
        "[1,2]",
    ]
    .join("\n");
    let out = read(&text);
    let shown: Vec<(u64, String)> = out
        .iter()
        .map(|(l, o, _)| {
            let what = match o {
                Outcome::Rejected(r) => format!("rejected: {r}"),
                Outcome::Skipped(s) => format!("skipped: {s}"),
                Outcome::Record(_) => "record".into(),
            };
            (*l, what)
        })
        .collect();
    assert_eq!(
        shown,
        [
            (1, "rejected: invalid JSON: the line is cut off".to_string()),
            (
                2,
                "skipped: OTLP metrics, not spans (token histograms name no call)".into()
            ),
            (3, "skipped: no spans in the line".into()),
            (
                4,
                "rejected: wrong type for field `resourceSpans`: an object, expected an array".into()
            ),
            (
                5,
                "rejected: wrong type for field `resourceSpans[0].scopeSpans[0].spans`: a number, expected an array"
                    .into()
            ),
            (6, "rejected: no `resourceSpans`: not an OTLP traces line".into()),
            (7, "rejected: the line is an array, not an OTLP object".into()),
        ]
    );
    let excerpt = out[0].2.as_deref().unwrap();
    assert!(!excerpt.contains("PLANTED"), "{excerpt}");
    assert!(excerpt.contains(r#""stringValue":"[dropped]""#), "{excerpt}");
}

#[test]
fn a_parent_whose_usage_is_on_its_children_is_not_counted_twice() {
    // An agent span summing its two model calls, with a tool span in between.
    let usage = |n: &str| {
        vec![
            attr("gen_ai.request.model", s("gpt-4o")),
            attr("gen_ai.usage.input_tokens", i(n)),
            attr("gen_ai.usage.output_tokens", i("1")),
        ]
    };
    let agent = span("00000000000000a0", "", usage("300"));
    let tool = span("00000000000000b0", "00000000000000a0", vec![]);
    let call1 = span("00000000000000c1", "00000000000000b0", usage("100"));
    let call2 = span("00000000000000c2", "00000000000000a0", usage("200"));
    let (out, warnings) = read_with(
        &line(vec![], vec![agent, tool, call1, call2]),
        &AttributionPaths::default(),
    );
    let kinds: Vec<String> = out
        .iter()
        .map(|(_, o, _)| match o {
            Outcome::Record(r) => format!("record {}", r.tokens.uncached_input),
            Outcome::Skipped(s) => s.to_string(),
            Outcome::Rejected(r) => r.clone(),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "usage also counted by the spans under it",
            "span without gen_ai.usage token counts",
            "record 100",
            "record 200"
        ]
    );
    assert_eq!(
        warnings,
        [
            "a span whose token counts are also on spans under it (an agent or framework span) was skipped, not counted twice"
        ]
    );
}

#[test]
fn attribution_paths_name_attributes_of_the_span_or_the_resource() {
    let resource = vec![
        attr("k8s.namespace.name", s("search")),
        attr("app.template", s("from-resource")),
    ];
    let call = span(
        "00000000000000a1",
        "",
        vec![
            attr("gen_ai.request.model", s("gpt-4o")),
            attr("gen_ai.usage.input_tokens", i("1")),
            attr("app.team", s("support")),
            attr("prompt.id", json!({"intValue": "7"})),
        ],
    );
    let text = line(resource, vec![call]);
    // Defaults: app.team on the span; app.template found on the resource.
    let (out, _) = read_with(&text, &AttributionPaths::default());
    let r = rec(&out[0].1);
    assert_eq!(
        (r.team.as_deref(), r.template.as_deref()),
        (Some("support"), Some("from-resource"))
    );
    // Configured names win; `resource.` looks at the resource only; a name found nowhere
    // falls through to the next.
    let paths = AttributionPaths {
        team: vec!["metadata.team".into(), "resource.k8s.namespace.name".into()],
        template: vec!["prompt.id".into()],
        template_version: vec!["resource.app.team".into()],
    };
    let (out, _) = read_with(&text, &paths);
    let r = rec(&out[0].1);
    assert_eq!(
        (r.team.as_deref(), r.template.as_deref(), r.template_version.as_deref()),
        (Some("search"), Some("7"), None)
    );
}

#[test]
fn times_and_statuses() {
    let attrs = || {
        vec![
            attr("gen_ai.request.model", s("gpt-4o")),
            attr("gen_ai.usage.output_tokens", i("3")),
        ]
    };
    let mut numbers = span("00000000000000a1", "", attrs());
    numbers["startTimeUnixNano"] = json!(1_790_831_703_512_000_000u64);
    numbers["endTimeUnixNano"] = json!(1_790_831_703_000_000_000u64);
    numbers["status"] = json!({"code": "STATUS_CODE_ERROR"});
    let mut unset = span("00000000000000a2", "", attrs());
    unset["startTimeUnixNano"] = json!("0");
    let mut garbage = span("00000000000000a3", "", attrs());
    garbage["startTimeUnixNano"] = json!("2026-09-01");
    let out = read(&line(vec![], vec![numbers, unset, garbage]));
    let r = rec(&out[0].1);
    // A number works too; an end before the start gives no latency.
    assert_eq!(
        (r.timestamp_ms, r.latency_ms, r.status),
        (1_790_831_703_512, None, Some(Status::Error))
    );
    let Outcome::Rejected(reason) = &out[1].1 else {
        panic!("{out:?}")
    };
    assert_eq!(
        reason,
        "2 spans rejected: span 00000000000000a2 (\"chat\"): missing `startTimeUnixNano`; \
         span 00000000000000a3 (\"chat\"): `startTimeUnixNano` \"2026-09-01\" is not Unix nanoseconds"
    );
}

#[test]
fn providers_under_this_projects_names() {
    let got: Vec<String> = [
        "aws.bedrock",
        "gcp.gemini",
        "gcp.vertex_ai",
        "azure.ai.openai",
        "az.ai.inference",
        "Anthropic",
        "openai",
        "mistral_ai",
    ]
    .iter()
    .map(|p| provider(p))
    .collect();
    assert_eq!(
        got,
        [
            "bedrock",
            "gemini",
            "vertex_ai",
            "azure",
            "azure_ai",
            "anthropic",
            "openai",
            "mistral_ai"
        ]
    );
}

#[test]
fn sniffs_traces_lines_only() {
    let sniff = |first: &str| {
        let sample = Sample {
            path: Path::new("x.jsonl"),
            head: first.as_bytes(),
            first_line: first,
            parsed: std::cell::OnceCell::new(),
        };
        Otel.sniff(&sample)
    };
    assert!(sniff(r#"{"resourceSpans":[{"resource":{"attribu"#));
    assert!(sniff(r#"{ "resourceSpans": []}"#));
    assert!(!sniff(r#"{"resourceMetrics":[]}"#));
    assert!(!sniff(r#"{"request_id":"r1","usage":{}}"#));
}
