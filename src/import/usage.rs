//! Usage objects of every provider family, read into canonical buckets (LOG-FORMATS §3).
//! The shape of the object decides how it is read, not the provider it claims (§7).

use super::record::Tokens;
use serde::Deserialize;

/// Every field a usage object of any family may carry. Unknown fields are ignored.
#[derive(Debug, Default, Deserialize)]
#[allow(non_snake_case)]
pub struct RawUsage {
    // OpenAI Chat (and LiteLLM-normalised)
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub prompt_tokens: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub completion_tokens: Option<u64>,
    pub prompt_tokens_details: Option<InputDetails>,
    pub completion_tokens_details: Option<OutputDetails>,
    // OpenAI Responses and Anthropic
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub input_tokens: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub output_tokens: Option<u64>,
    pub input_tokens_details: Option<InputDetails>,
    pub output_tokens_details: Option<OutputDetails>,
    // Anthropic (and LiteLLM-normalised)
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cache_creation_input_tokens: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cache_read_input_tokens: Option<u64>,
    pub cache_creation: Option<CacheCreation>,
    #[serde(default, deserialize_with = "super::lenient::string")]
    pub service_tier: Option<String>,
    #[serde(default, deserialize_with = "super::lenient::string")]
    pub speed: Option<String>,
    // Gemini native
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub promptTokenCount: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub candidatesTokenCount: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub thoughtsTokenCount: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cachedContentTokenCount: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub toolUsePromptTokenCount: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub struct InputDetails {
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cached_tokens: Option<u64>,
    /// 2026 OpenAI short-retention writes (LOG-FORMATS §12).
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cache_write_tokens: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cache_write_12h_tokens: Option<u64>,
    /// LiteLLM's normalised write count and split.
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub cache_creation_tokens: Option<u64>,
    pub cache_creation_token_details: Option<CacheCreation>,
}

#[derive(Debug, Default, Deserialize)]
pub struct OutputDetails {
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub reasoning_tokens: Option<u64>,
}

#[derive(Debug, Default, Deserialize, Clone, Copy)]
pub struct CacheCreation {
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub ephemeral_5m_input_tokens: Option<u64>,
    #[serde(default, deserialize_with = "super::lenient::count")]
    pub ephemeral_1h_input_tokens: Option<u64>,
}

/// A usage object held as a JSON value (`what` names it in the reason: `usage`).
pub fn from_value(v: &serde_json::Value, what: &str) -> Result<RawUsage, String> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.into_inner().to_string();
        let msg = msg.strip_prefix("wrong type: ").unwrap_or(&msg).to_string();
        if path.is_empty() || path == "." {
            format!("`{what}`: {msg}")
        } else {
            format!("`{what}.{path}`: {msg}")
        }
    })
}

/// The token family a usage object is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    OpenAiChat,
    LiteLlm,
    OpenAiResponses,
    Anthropic,
    Gemini,
}

/// Non-fatal observations while reading a usage object.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Notes {
    /// The `cache_creation` split did not add up to `cache_creation_input_tokens`.
    pub split_mismatch: bool,
}

/// True for providers whose models use Anthropic's (exclusive) input semantics.
pub fn is_anthropic_provider(provider: Option<&str>, model: &str) -> bool {
    match provider {
        Some("anthropic") => true,
        Some("bedrock" | "vertex_ai" | "vertex") => model.contains("claude") || model.contains("anthropic"),
        _ => model.starts_with("claude") || model.contains("anthropic."),
    }
}

impl RawUsage {
    /// Decides the family from the keys present (LOG-FORMATS §7), the provider breaking ties.
    pub fn family(&self, anthropic_provider: bool) -> Option<Family> {
        let anthropic_cache = self.cache_creation_input_tokens.is_some() || self.cache_read_input_tokens.is_some();
        if self.prompt_tokens.is_some() {
            return Some(if anthropic_cache {
                Family::LiteLlm
            } else {
                Family::OpenAiChat
            });
        }
        if self.promptTokenCount.is_some() || self.candidatesTokenCount.is_some() {
            return Some(Family::Gemini);
        }
        if self.input_tokens.is_some() || self.output_tokens.is_some() {
            if self.input_tokens_details.is_some() || self.output_tokens_details.is_some() {
                return Some(Family::OpenAiResponses);
            }
            if anthropic_cache || self.cache_creation.is_some() || anthropic_provider {
                return Some(Family::Anthropic);
            }
            // Only input and output: both families agree when nothing is cached.
            return Some(Family::OpenAiResponses);
        }
        None
    }

    /// Canonical buckets, or the reason the numbers cannot be right.
    pub fn tokens(&self, family: Family, notes: &mut Notes) -> Result<Tokens, String> {
        match family {
            Family::OpenAiChat => openai(
                "prompt_tokens",
                self.prompt_tokens,
                self.prompt_tokens_details.as_ref(),
                self.completion_tokens,
                self.completion_tokens_details.as_ref(),
            ),
            Family::OpenAiResponses => openai(
                "input_tokens",
                self.input_tokens,
                self.input_tokens_details.as_ref(),
                self.output_tokens,
                self.output_tokens_details.as_ref(),
            ),
            Family::Anthropic => {
                let (w5, w1) = writes(self.cache_creation_input_tokens, self.cache_creation, notes);
                Ok(Tokens {
                    uncached_input: self.input_tokens.unwrap_or(0),
                    cache_read: self.cache_read_input_tokens.unwrap_or(0),
                    cache_write_5m: w5,
                    cache_write_1h: w1,
                    output: self.output_tokens.unwrap_or(0),
                    reasoning: 0,
                })
            }
            Family::Gemini => {
                let prompt = self.promptTokenCount.unwrap_or(0);
                let cached = self.cachedContentTokenCount.unwrap_or(0);
                let uncached = prompt.checked_sub(cached).ok_or_else(|| {
                    format!("cachedContentTokenCount ({cached}) is larger than promptTokenCount ({prompt})")
                })?;
                let thoughts = self.thoughtsTokenCount.unwrap_or(0);
                Ok(Tokens {
                    uncached_input: uncached + self.toolUsePromptTokenCount.unwrap_or(0),
                    cache_read: cached,
                    cache_write_5m: 0,
                    cache_write_1h: 0,
                    output: self.candidatesTokenCount.unwrap_or(0) + thoughts,
                    reasoning: thoughts,
                })
            }
            Family::LiteLlm => {
                let details = self.prompt_tokens_details.as_ref();
                let read = self
                    .cache_read_input_tokens
                    .or_else(|| details.and_then(|d| d.cached_tokens))
                    .unwrap_or(0);
                let total_writes = self
                    .cache_creation_input_tokens
                    .or_else(|| details.and_then(|d| d.cache_creation_tokens));
                let split = details
                    .and_then(|d| d.cache_creation_token_details)
                    .or(self.cache_creation);
                let (w5, w1) = writes(total_writes, split, notes);
                let prompt = self.prompt_tokens.unwrap_or(0);
                let reasoning = self
                    .completion_tokens_details
                    .as_ref()
                    .and_then(|d| d.reasoning_tokens)
                    .unwrap_or(0);
                let output = self.completion_tokens.unwrap_or(0);
                Ok(Tokens {
                    uncached_input: litellm_uncached(prompt, read, w5 + w1)?,
                    cache_read: read,
                    cache_write_5m: w5,
                    cache_write_1h: w1,
                    output,
                    reasoning: check_reasoning(reasoning, output)?,
                })
            }
        }
    }
}

/// LiteLLM folds reads and (for Claude) writes into `prompt_tokens`; some releases folded
/// only the reads (LOG-FORMATS §8).
pub fn litellm_uncached(prompt: u64, read: u64, writes: u64) -> Result<u64, String> {
    if let Some(u) = prompt.checked_sub(read + writes) {
        return Ok(u);
    }
    prompt
        .checked_sub(read)
        .ok_or_else(|| format!("cache reads ({read}) are larger than prompt_tokens ({prompt})"))
}

/// The 5-minute and 1-hour writes: the split when present (warning if it disagrees with the
/// total), else every write is a 5-minute write.
fn writes(total: Option<u64>, split: Option<CacheCreation>, notes: &mut Notes) -> (u64, u64) {
    match split {
        Some(s) if s.ephemeral_5m_input_tokens.is_some() || s.ephemeral_1h_input_tokens.is_some() => {
            let (w5, w1) = (
                s.ephemeral_5m_input_tokens.unwrap_or(0),
                s.ephemeral_1h_input_tokens.unwrap_or(0),
            );
            if let Some(t) = total {
                if t != w5 + w1 {
                    notes.split_mismatch = true;
                }
            }
            (w5, w1)
        }
        _ => (total.unwrap_or(0), 0),
    }
}

fn check_reasoning(reasoning: u64, output: u64) -> Result<u64, String> {
    if reasoning > output {
        Err(format!(
            "reasoning tokens ({reasoning}) are larger than the output they are part of ({output})"
        ))
    } else {
        Ok(reasoning)
    }
}

/// OpenAI's inclusive semantics: cached (and 2026 cache writes) are inside the prompt,
/// reasoning inside the output.
fn openai(
    input_name: &str,
    input: Option<u64>,
    details: Option<&InputDetails>,
    output: Option<u64>,
    out_details: Option<&OutputDetails>,
) -> Result<Tokens, String> {
    let input = input.unwrap_or(0);
    let cached = details.and_then(|d| d.cached_tokens).unwrap_or(0);
    let w5 = details.and_then(|d| d.cache_write_tokens).unwrap_or(0);
    let w1 = details.and_then(|d| d.cache_write_12h_tokens).unwrap_or(0);
    let uncached = input.checked_sub(cached + w5 + w1).ok_or_else(|| {
        if w5 + w1 > 0 {
            format!(
                "cached ({cached}) plus cache-write ({}) tokens are larger than {input_name} ({input})",
                w5 + w1
            )
        } else {
            format!("cached_tokens ({cached}) is larger than {input_name} ({input})")
        }
    })?;
    let output = output.unwrap_or(0);
    let reasoning = out_details.and_then(|d| d.reasoning_tokens).unwrap_or(0);
    Ok(Tokens {
        uncached_input: uncached,
        cache_read: cached,
        cache_write_5m: w5,
        cache_write_1h: w1,
        output,
        reasoning: check_reasoning(reasoning, output)?,
    })
}

/// A logged tier mapped per LOG-FORMATS §14, with a flag when it needs one.
pub fn tier(logged: Option<&str>) -> (String, Option<&'static str>) {
    match logged.map(str::trim) {
        None | Some("" | "default" | "auto" | "standard" | "standard_only" | "on_demand") => ("standard".into(), None),
        Some("batch") => ("batch".into(), None),
        Some("priority") => ("priority".into(), None),
        Some("flex") => ("flex".into(), None),
        Some("scale") => ("standard".into(), Some("scale_tier")),
        Some(other) => (other.to_ascii_lowercase(), Some("unknown_tier")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str, anthropic: bool) -> Tokens {
        let u: RawUsage = serde_json::from_str(json).unwrap();
        let fam = u.family(anthropic).unwrap();
        u.tokens(fam, &mut Notes::default()).unwrap()
    }

    #[test]
    fn the_same_call_in_every_family_gives_the_same_buckets() {
        // LOG-FORMATS §3: 10,000 input of which 8,000 cached, 600 output of which 200 reasoning.
        let openai = read(
            r#"{"prompt_tokens":10000,"completion_tokens":600,"prompt_tokens_details":{"cached_tokens":8000},"completion_tokens_details":{"reasoning_tokens":200}}"#,
            false,
        );
        let responses = read(
            r#"{"input_tokens":10000,"output_tokens":600,"input_tokens_details":{"cached_tokens":8000},"output_tokens_details":{"reasoning_tokens":200}}"#,
            false,
        );
        let gemini = read(
            r#"{"promptTokenCount":10000,"cachedContentTokenCount":8000,"candidatesTokenCount":400,"thoughtsTokenCount":200}"#,
            false,
        );
        let expect = Tokens {
            uncached_input: 2000,
            cache_read: 8000,
            output: 600,
            reasoning: 200,
            ..Tokens::default()
        };
        assert_eq!(openai, expect);
        assert_eq!(responses, expect);
        assert_eq!(gemini, expect);
        let anthropic = read(
            r#"{"input_tokens":2000,"cache_read_input_tokens":8000,"cache_creation_input_tokens":0,"output_tokens":600}"#,
            true,
        );
        assert_eq!(anthropic, Tokens { reasoning: 0, ..expect });
    }

    #[test]
    fn litellm_folds_writes_or_only_reads() {
        // 46,120 = 120 + 40,000 read + 6,000 written (4,000 5m + 2,000 1h).
        let t = read(
            r#"{"prompt_tokens":46120,"completion_tokens":700,"cache_read_input_tokens":40000,"cache_creation_input_tokens":6000,"prompt_tokens_details":{"cached_tokens":40000,"cache_creation_tokens":6000,"cache_creation_token_details":{"ephemeral_5m_input_tokens":4000,"ephemeral_1h_input_tokens":2000}}}"#,
            false,
        );
        assert_eq!(
            (t.uncached_input, t.cache_read, t.cache_write_5m, t.cache_write_1h),
            (120, 40000, 4000, 2000)
        );
        // 8,500 < 8,000 + 2,000: only the reads were folded in → uncached 500.
        let t = read(
            r#"{"prompt_tokens":8500,"completion_tokens":10,"cache_read_input_tokens":8000,"cache_creation_input_tokens":2000}"#,
            false,
        );
        assert_eq!((t.uncached_input, t.cache_write_5m), (500, 2000));
    }

    #[test]
    fn inconsistent_numbers_are_reasons_not_clamps() {
        let u: RawUsage =
            serde_json::from_str(r#"{"prompt_tokens":100,"prompt_tokens_details":{"cached_tokens":200}}"#).unwrap();
        let err = u.tokens(Family::OpenAiChat, &mut Notes::default()).unwrap_err();
        assert_eq!(err, "cached_tokens (200) is larger than prompt_tokens (100)");
    }

    #[test]
    fn anthropic_split_wins_and_mismatch_is_noted() {
        let u: RawUsage = serde_json::from_str(
            r#"{"input_tokens":5,"cache_creation_input_tokens":100,"cache_creation":{"ephemeral_5m_input_tokens":30,"ephemeral_1h_input_tokens":60},"output_tokens":1}"#,
        )
        .unwrap();
        let mut notes = Notes::default();
        let t = u.tokens(Family::Anthropic, &mut notes).unwrap();
        assert_eq!((t.cache_write_5m, t.cache_write_1h), (30, 60));
        assert!(notes.split_mismatch);
    }

    #[test]
    fn tiers() {
        assert_eq!(tier(Some("default")), ("standard".into(), None));
        assert_eq!(tier(Some("scale")), ("standard".into(), Some("scale_tier")));
        assert_eq!(tier(Some("Turbo")), ("turbo".into(), Some("unknown_tier")));
    }
}
