//! Chat framing and tool-schema overhead, as OpenAI's cookbook ("How to count tokens with
//! tiktoken": `num_tokens_from_messages`, `num_tokens_for_tools`) documents them.

use super::Encoding;
use serde_json::Value;

/// Every message is wrapped as `<|start|>{role}\n{content}<|end|>\n`.
pub const TOKENS_PER_MESSAGE: u64 = 3;
/// A `name` on a message costs one more token.
pub const TOKENS_PER_NAME: u64 = 1;
/// Every reply is primed with `<|start|>assistant<|message|>`.
pub const REPLY_PRIMING: u64 = 3;

/// Token cost of tool definitions: BPE-counted text plus fixed per-item constants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToolTokens {
    /// Tokens of the names, descriptions, keys and enum values.
    pub text: u64,
    /// The fixed overhead around them (may be negative in the cookbook's model; clamped ≥ 0
    /// in total).
    pub overhead: i64,
}

struct Constants {
    func_init: i64,
    prop_init: i64,
    prop_key: i64,
    enum_init: i64,
    enum_item: i64,
    func_end: i64,
}

fn constants(encoding: Encoding) -> Constants {
    Constants {
        // gpt-4o / gpt-4o-mini: 7; gpt-3.5-turbo / gpt-4: 10. Everything else is shared.
        func_init: if encoding == Encoding::Cl100kBase { 10 } else { 7 },
        prop_init: 3,
        prop_key: 3,
        enum_init: -3,
        enum_item: 3,
        func_end: 12,
    }
}

/// Counts OpenAI tool definitions (`[{"type":"function","function":{…}}]`, or bare function
/// objects). Nested object and array schemas are counted the same way as top-level
/// properties (the cookbook stops at the first level, which undercounts them).
pub fn tool_tokens(encoding: Encoding, tools: &[Value]) -> ToolTokens {
    let c = constants(encoding);
    let mut out = ToolTokens::default();
    if tools.is_empty() {
        return out;
    }
    for tool in tools {
        let function = tool.get("function").unwrap_or(tool);
        let name = function.get("name").and_then(Value::as_str).unwrap_or("");
        let description = strip_dot(function.get("description").and_then(Value::as_str).unwrap_or(""));
        out.overhead += c.func_init;
        out.text += encoding.count(&format!("{name}:{description}"));
        let params = function.get("parameters").or_else(|| function.get("input_schema"));
        if let Some(props) = params.and_then(|p| p.get("properties")).and_then(Value::as_object) {
            if !props.is_empty() {
                out.overhead += c.prop_init;
                count_properties(encoding, &c, props, &mut out);
            }
        }
    }
    out.overhead += c.func_end;
    out
}

fn count_properties(encoding: Encoding, c: &Constants, props: &serde_json::Map<String, Value>, out: &mut ToolTokens) {
    for (key, prop) in props {
        out.overhead += c.prop_key;
        if let Some(items) = prop.get("enum").and_then(Value::as_array) {
            out.overhead += c.enum_init;
            for item in items {
                out.overhead += c.enum_item;
                let text = item.as_str().map(str::to_string).unwrap_or_else(|| item.to_string());
                out.text += encoding.count(&text);
            }
        }
        let kind = match prop.get("type") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("|"),
            _ => String::new(),
        };
        let description = strip_dot(prop.get("description").and_then(Value::as_str).unwrap_or(""));
        out.text += encoding.count(&format!("{key}:{kind}:{description}"));
        // Nested schemas: an object's properties, or an array's item properties.
        let nested = prop
            .get("properties")
            .or_else(|| prop.get("items").and_then(|i| i.get("properties")))
            .and_then(Value::as_object);
        if let Some(nested) = nested {
            if !nested.is_empty() {
                out.overhead += c.prop_init;
                count_properties(encoding, c, nested, out);
            }
        }
    }
}

fn strip_dot(s: &str) -> &str {
    s.strip_suffix('.').unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookbook_weather_tool() {
        // The cookbook's example (get_current_weather with a location and a unit enum), checked
        // there against the API: 101 prompt tokens on gpt-4o with its one user message.
        let tools: Vec<Value> = serde_json::from_str(
            r#"[{"type":"function","function":{"name":"get_current_weather",
            "description":"Get the current weather in a given location",
            "parameters":{"type":"object","properties":{
              "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
              "unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},
              "required":["location"]}}}]"#,
        )
        .unwrap();
        let messages = [
            (
                "system",
                "You are a helpful assistant that can answer to questions about the weather.",
            ),
            ("user", "What's the weather like in San Francisco?"),
        ];
        let enc = Encoding::O200kBase;
        let message_tokens: u64 = messages
            .iter()
            .map(|(role, content)| TOKENS_PER_MESSAGE + enc.count(role) + enc.count(content))
            .sum::<u64>()
            + REPLY_PRIMING;
        let tools = tool_tokens(enc, &tools);
        assert_eq!(message_tokens as i64 + tools.text as i64 + tools.overhead, 101);
    }
}
