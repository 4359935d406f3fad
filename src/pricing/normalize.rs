//! Model-name normalisation (LOG-FORMATS.md §15): how a logged or typed model name finds its
//! price-table key. Exact keys always win; stripping only ever removes decoration.

/// Tries `name` and progressively stripped forms of it, returning the first one `known`
/// accepts. Never guesses by family: no match is `None`.
pub fn resolve(name: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    let hit = |candidate: &str| known(candidate).then(|| candidate.to_string());

    // 0. ARNs: the model id is the last path segment.
    let mut current = if name.starts_with("arn:") {
        name.rsplit('/').next().unwrap_or(name)
    } else {
        name
    };
    // 1. Exact.
    if let Some(found) = hit(current) {
        return Some(found);
    }
    // 2. Provider prefixes, repeatedly.
    while let Some(rest) = strip_provider(current) {
        current = rest;
        if let Some(found) = hit(current) {
            return Some(found);
        }
    }
    // 3. Bedrock forms: region/profile, vendor, version suffix.
    for strip in [strip_region as fn(&str) -> Option<&str>, strip_vendor, strip_version] {
        if let Some(rest) = strip(current) {
            current = rest;
            if let Some(found) = hit(current) {
                return Some(found);
            }
        }
    }
    // 4. Date snapshots, only when the undated key exists.
    if let Some(rest) = strip_date(current) {
        if let Some(found) = hit(rest) {
            return Some(found);
        }
    }
    // 5. Fine-tunes: `ft:<base>:<org>:<name>:<id>` → `ft:<base>`.
    if let Some(rest) = current.strip_prefix("ft:") {
        let base = rest.split(':').next().unwrap_or(rest);
        if let Some(found) = hit(&format!("ft:{base}")) {
            return Some(found);
        }
    }
    None
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
}
