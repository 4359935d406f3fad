//! Model-name normalisation (LOG-FORMATS.md §15): how a logged or typed model name finds its
//! price-table key. Exact keys always win; stripping only ever removes decoration.

/// Tries `name` and progressively stripped forms of it, returning the first one `known`
/// accepts. Never guesses by family: no match is `None`.
pub fn resolve(name: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    candidates(name).into_iter().find(|c| known(c))
}

/// `name` and its stripped forms, most specific first (LOG-FORMATS §15): the ARN's model id,
/// provider prefixes removed one by one, Bedrock region, vendor and version removed, the date
/// snapshot removed, a fine-tune's base. A `[prices]` entry on any of them applies to `name`.
pub fn candidates(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |c: &str| {
        if !out.iter().any(|o| o == c) {
            out.push(c.to_string());
        }
    };
    // 0. ARNs: the model id is the last path segment.
    let mut current = if name.starts_with("arn:") {
        name.rsplit('/').next().unwrap_or(name)
    } else {
        name
    };
    // 1. Exact.
    push(current);
    // 2. Provider prefixes, repeatedly.
    while let Some(rest) = strip_provider(current) {
        current = rest;
        push(current);
    }
    // 3. Bedrock forms: region/profile, vendor, version suffix.
    for strip in [strip_region as fn(&str) -> Option<&str>, strip_vendor, strip_version] {
        if let Some(rest) = strip(current) {
            current = rest;
            push(current);
        }
    }
    // 4. Date snapshots (a hit only when the undated key exists).
    if let Some(rest) = strip_date(current) {
        push(rest);
    }
    // 5. Fine-tunes: `ft:<base>:<org>:<name>:<id>` → `ft:<base>`.
    if let Some(rest) = current.strip_prefix("ft:") {
        let base = rest.split(':').next().unwrap_or(rest);
        push(&format!("ft:{base}"));
    }
    out
}

/// The key prefixes the LiteLLM table uses for a log's `provider` (`mistral` → `mistral/`,
/// `google` → `gemini/`, `together` → `together_ai/`), most likely first. A bare logged name
/// that is not a key is looked up under these (Mistral's API logs `mistral-large-latest`; the
/// table says `mistral/mistral-large-latest`).
pub fn provider_prefixes(provider: &str) -> Vec<String> {
    let p = provider.trim().to_ascii_lowercase().replace(['-', ' ', '.'], "_");
    if p.is_empty() {
        return Vec::new();
    }
    let aliases: &[&str] = match p.as_str() {
        "google" | "google_ai" | "google_ai_studio" | "gemini" => &["gemini", "vertex_ai"],
        "vertex" | "vertexai" | "google_vertex" | "google_vertex_ai" | "vertex_ai" => &["vertex_ai", "gemini"],
        "mistral" | "mistralai" | "mistral_ai" => &["mistral", "codestral"],
        "codestral" => &["codestral", "mistral"],
        "x_ai" | "xai" | "grok" => &["xai"],
        "together" | "together_ai" | "togetherai" => &["together_ai"],
        "fireworks" | "fireworks_ai" | "fireworksai" => &["fireworks_ai"],
        "aws" | "amazon" | "aws_bedrock" | "amazon_bedrock" | "bedrock" | "bedrock_converse" => &["bedrock"],
        "azure" | "azure_openai" => &["azure"],
        "azure_ai" | "azure_ai_foundry" | "azure_foundry" => &["azure_ai"],
        "deepseek" | "deepseek_ai" => &["deepseek"],
        "perplexity" | "perplexity_ai" => &["perplexity"],
        "cohere" | "cohere_chat" => &["cohere", "cohere_chat"],
        "moonshot" | "moonshot_ai" | "kimi" => &["moonshot"],
        "dashscope" | "alibaba" | "qwen" => &["dashscope"],
        _ => &[],
    };
    let mut out: Vec<String> = aliases.iter().map(|a| format!("{a}/")).collect();
    let own = format!("{p}/");
    if !out.contains(&own) {
        out.push(own);
    }
    out
}

const PROVIDER_PREFIXES: &[&str] = &[
    "bedrock/converse/",
    "bedrock/invoke/",
    "openai/",
    "anthropic/",
    "azure_ai/",
    "azure/",
    "bedrock/",
    "vertex_ai/",
    "gemini/",
];

fn strip_provider(name: &str) -> Option<&str> {
    if let Some(rest) = name.strip_prefix("openrouter/") {
        // openrouter/<vendor>/<model>
        return Some(rest.split_once('/').map(|(_, model)| model).unwrap_or(rest));
    }
    PROVIDER_PREFIXES.iter().find_map(|p| name.strip_prefix(p))
}

fn strip_region(name: &str) -> Option<&str> {
    ["us-gov.", "us.", "eu.", "apac.", "jp.", "au.", "global."]
        .iter()
        .find_map(|p| name.strip_prefix(p))
}

fn strip_vendor(name: &str) -> Option<&str> {
    ["anthropic.", "amazon.", "meta.", "mistral.", "cohere."]
        .iter()
        .find_map(|p| name.strip_prefix(p))
}

fn strip_version(name: &str) -> Option<&str> {
    ["-v1:0", "-v2:0", ":0"].iter().find_map(|s| name.strip_suffix(s))
}

/// Removes a trailing `-YYYY-MM-DD`, `-YYYYMMDD` or `@YYYYMMDD`.
fn strip_date(name: &str) -> Option<&str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((head, tail)) = name.rsplit_once('@') {
        if tail.len() == 8 && digits(tail) {
            return Some(head);
        }
    }
    if name.len() > 11 {
        let (head, tail) = name.split_at(name.len() - 11);
        let parts: Vec<&str> = tail.split('-').collect();
        if parts.len() == 4
            && parts[0].is_empty()
            && parts[1].len() == 4
            && parts[2].len() == 2
            && parts[3].len() == 2
            && parts[1..].iter().all(|p| digits(p))
        {
            return Some(head);
        }
    }
    if let Some((head, tail)) = name.rsplit_once('-') {
        if tail.len() == 8 && digits(tail) && tail.starts_with("20") {
            return Some(head);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(name: &str) -> bool {
        [
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4o-2024-08-06",
            "claude-sonnet-4-5",
            "claude-sonnet-4-5-20250929",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "us.anthropic.claude-haiku-4-5-20251001-v1:0",
            "ft:gpt-4o-mini-2024-07-18",
        ]
        .contains(&name)
    }

    #[test]
    fn resolves_the_documented_examples() {
        // The table in LOG-FORMATS.md §15.
        let cases = [
            ("gpt-4o-2024-08-06", Some("gpt-4o-2024-08-06")),
            ("openai/gpt-4o", Some("gpt-4o")),
            (
                "anthropic/claude-sonnet-4-5-20250929",
                Some("claude-sonnet-4-5-20250929"),
            ),
            (
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                Some("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
                Some("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
            ),
            ("claude-sonnet-4-5@20250929", Some("claude-sonnet-4-5")),
            ("gpt-4o-mini-2099-01-01", Some("gpt-4o-mini")),
            (
                "ft:gpt-4o-mini-2024-07-18:acme:support:9xK2",
                Some("ft:gpt-4o-mini-2024-07-18"),
            ),
            ("acme-router-ft-v9", None),
            ("claude-neptune-v3", None),
            (
                "arn:aws:bedrock:us-east-1:1:application-inference-profile/k8x2m4q7z1ab",
                None,
            ),
        ];
        for (logged, want) in cases {
            assert_eq!(resolve(logged, known).as_deref(), want, "{logged}");
        }
    }

    #[test]
    fn candidates_run_from_specific_to_general() {
        assert_eq!(
            candidates("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            [
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "anthropic.claude-sonnet-4-5-20250929-v1:0",
                "claude-sonnet-4-5-20250929-v1:0",
                "claude-sonnet-4-5-20250929",
                "claude-sonnet-4-5",
            ]
        );
        assert_eq!(
            candidates("azure/gpt-4o-2024-08-06"),
            ["azure/gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "gpt-4o"]
        );
    }

    #[test]
    fn providers_map_to_the_tables_prefixes() {
        assert_eq!(provider_prefixes("mistral"), ["mistral/", "codestral/"]);
        assert_eq!(provider_prefixes("Google"), ["gemini/", "vertex_ai/", "google/"]);
        assert_eq!(provider_prefixes("groq"), ["groq/"]);
        assert!(provider_prefixes(" ").is_empty());
    }
}
