//! Prompt templates (DESIGN §4): `.prompt` files (TOML front matter, role lines, minijinja),
//! `.txt`/`.md`, and OpenAI or Anthropic request bodies in `.json`. Loading a template renders
//! it with its sample `[vars]` into messages and tool definitions, ready to count.

pub mod count;
pub mod discover;
mod render;

use crate::config::{line_col, toml_error};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where template files (and the files they include) are read from: the working tree, or a
/// git revision when diffing.
pub trait Files: Sync {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;

    /// A content id (git blob id) to tell unchanged files without reading them, if known.
    fn id(&self, _path: &Path) -> Option<String> {
        None
    }

    /// Reads these content ids ahead, in one batch, where that is cheaper.
    fn prefetch(&self, _ids: &[String]) {}
}

/// The working tree.
pub struct FsFiles;

impl Files for FsFiles {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// The role of a message, or the part of a request it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    System,
    User,
    Assistant,
    Tool,
    /// Tool (function) definitions sent with the request.
    Tools,
    /// Per-message wrapping and reply priming.
    Framing,
}

impl Section {
    pub fn as_str(self) -> &'static str {
        match self {
            Section::System => "system",
            Section::User => "user",
            Section::Assistant => "assistant",
            Section::Tool => "tool",
            Section::Tools => "tools",
            Section::Framing => "framing",
        }
    }

    fn from_role(role: &str) -> Option<Section> {
        match role {
            "system" | "developer" => Some(Section::System),
            "user" => Some(Section::User),
            "assistant" => Some(Section::Assistant),
            "tool" | "function" => Some(Section::Tool),
            _ => None,
        }
    }
}

/// Part of a message: literal text, or a `{tokens = N}` placeholder worth exactly N tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Tokens(u64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub role: Section,
    pub name: Option<String>,
    pub pieces: Vec<Piece>,
}

/// Where the static, cacheable part of a request ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixEnd {
    /// Inside message `message`, after `piece` pieces and `byte` bytes of the next text piece.
    At { message: usize, piece: usize, byte: usize },
    /// Everything but the last message (request bodies: the last turn is the per-call part).
    BeforeLastMessage,
    /// The whole request (a template with no template expressions).
    All,
}

/// What kind of file a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Prompt,
    Text,
    OpenaiRequest,
    AnthropicRequest,
}

/// A loaded, rendered template.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub path: PathBuf,
    pub kind: Kind,
    pub description: Option<String>,
    /// Model named by the template itself (front matter or request body).
    pub model: Option<String>,
    pub output_tokens: Option<u64>,
    pub calls_per_day: Option<u64>,
    pub messages: Vec<Message>,
    pub tools: Vec<Value>,
    pub prefix_end: PrefixEnd,
    /// Other files this template reads (tools, `{file = …}`, includes), for `cost diff`.
    pub includes: Vec<PathBuf>,
    /// Template variables the body uses.
    pub variables: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    name: Option<String>,
    description: Option<String>,
    model: Option<String>,
    #[serde(default, deserialize_with = "crate::config::opt_count")]
    output_tokens: Option<u64>,
    #[serde(default, deserialize_with = "crate::config::opt_count")]
    calls_per_day: Option<u64>,
    tools: Option<String>,
    #[serde(default)]
    vars: BTreeMap<String, toml::Value>,
}

/// `--var key=value` overrides and other load options.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub vars: BTreeMap<String, String>,
}

impl Template {
    /// Reads and renders the template at `path`. `default_name` is used when the file does
    /// not name itself.
    pub fn load(files: &dyn Files, path: &Path, default_name: &str, options: &LoadOptions) -> Result<Template> {
        crate::timing::time(crate::timing::Phase::Render, || {
            Template::load_untimed(files, path, default_name, options)
        })
    }

    fn load_untimed(files: &dyn Files, path: &Path, default_name: &str, options: &LoadOptions) -> Result<Template> {
        let bytes = files.read(path).map_err(|source| Error::Input {
            path: path.to_path_buf(),
            source,
        })?;
        let text = decode(path, bytes)?;
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "json" => load_request(path, &text, default_name),
            "prompt" => load_prompt(files, path, &text, default_name, options, true),
            _ => load_prompt(files, path, &text, default_name, options, false),
        }
    }
}

/// Template text must be UTF-8: binary files get a clear error, not garbage counts.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String> {
    if bytes.contains(&0) {
        return Err(Error::template(path, None, "is a binary file, not a text template"));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.remove(0);
            }
            Ok(text)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let (line, _) = line_col(&String::from_utf8_lossy(&e.as_bytes()[..at]), at);
            Err(Error::template(
                path,
                Some(line),
                format!("is not valid UTF-8 (byte {at})"),
            ))
        }
    }
}

/// Splits `+++` front matter from the body. Returns (front matter text, body, line number of
/// the body's first line).
fn split_front_matter<'a>(path: &Path, text: &'a str) -> Result<(Option<&'a str>, &'a str, usize)> {
    let first_line_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        return Ok((None, text, 1));
    }
    let rest = &text[first_line_end..];
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + front.matches('\n').count() + 1;
            return Ok((Some(front), body, body_line));
        }
        offset += line.len();
    }
    Err(Error::template(
        path,
        Some(1),
        "front matter opened with `+++` is never closed",
    ))
}

fn load_prompt(
    files: &dyn Files,
    path: &Path,
    text: &str,
    default_name: &str,
    options: &LoadOptions,
    role_lines: bool,
) -> Result<Template> {
    let (front_text, body, body_line) = split_front_matter(path, text)?;
    let front: FrontMatter = match front_text {
        None => FrontMatter::default(),
        Some(front_text) => toml::from_str(front_text).map_err(|e| {
            // Front matter starts on line 2 of the file.
            match toml_error(path, front_text, &e) {
                Error::Config {
                    line,
                    column,
                    message,
                    hint,
                    ..
                } => Error::Template {
                    path: path.to_path_buf(),
                    line: Some(line + 1),
                    message: format!("invalid front matter (column {column}): {message}"),
                    hint,
                },
                other => other,
            }
        })?,
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut includes = Vec::new();

    let tools = match &front.tools {
        None => Vec::new(),
        Some(rel) => {
            let tools_path = dir.join(rel);
            let bytes = files.read(&tools_path).map_err(|e| {
                Error::template(
                    path,
                    front_line(text, "tools"),
                    format!("cannot read tools file {}: {e}", tools_path.display()),
                )
            })?;
            includes.push(tools_path.clone());
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| Error::template(&tools_path, Some(e.line()), format!("invalid tools JSON: {e}")))?;
            tool_list(&value).ok_or_else(|| {
                Error::template(
                    &tools_path,
                    None,
                    "tools file must be a JSON array of tool definitions (or {\"tools\": [...]})",
                )
            })?
        }
    };

    let rendered = render::render(
        &render::Input {
            files,
            path,
            dir,
            body,
            body_line,
            vars: &front.vars,
            overrides: &options.vars,
            role_lines,
            front_text: front_text.unwrap_or(""),
        },
        &mut includes,
    )?;

    Ok(Template {
        name: front.name.clone().unwrap_or_else(|| default_name.to_string()),
        path: path.to_path_buf(),
        kind: if role_lines { Kind::Prompt } else { Kind::Text },
        description: front.description,
        model: front.model,
        output_tokens: front.output_tokens,
        calls_per_day: front.calls_per_day,
        messages: rendered.messages,
        tools,
        prefix_end: rendered.prefix_end,
        includes,
        variables: rendered.variables,
    })
}

/// Line (in the file) of a front matter key, for errors about it.
fn front_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(key))
        .map(|i| i + 1)
}

/// Line (in the file) of a key inside front matter text, which starts on line 2.
fn front_line_in(front_text: &str, key: &str) -> Option<usize> {
    front_line(front_text, key).map(|l| l + 1)
}

/// Accepts `[tools…]` or `{"tools": [...]}`.
fn tool_list(value: &Value) -> Option<Vec<Value>> {
    match value {
        Value::Array(items) => Some(items.clone()),
        Value::Object(map) => map.get("tools").and_then(Value::as_array).cloned(),
        _ => None,
    }
}

/// Loads an OpenAI Chat Completions or Anthropic Messages request body.
fn load_request(path: &Path, text: &str, default_name: &str) -> Result<Template> {
    let body: Value =
        serde_json::from_str(text).map_err(|e| Error::template(path, Some(e.line()), format!("invalid JSON: {e}")))?;
    let Some(obj) = body.as_object() else {
        return Err(Error::template(
            path,
            None,
            "a .json template must be a request body object with `messages`",
        ));
    };
    let Some(raw_messages) = obj.get("messages").and_then(Value::as_array) else {
        return Err(Error::template(
            path,
            None,
            "a .json template must have a `messages` array (OpenAI or Anthropic request body)",
        ));
    };
    let tools_raw = obj.get("tools").and_then(Value::as_array).cloned().unwrap_or_default();
    let tools_marked = tools_raw.iter().any(|t| t.get("cache_control").is_some());
    let anthropic = obj.contains_key("system")
        || tools_raw.iter().any(|t| t.get("input_schema").is_some())
        || obj.contains_key("anthropic_version");

    let mut messages = Vec::new();
    // Anthropic `cache_control` breakpoints say exactly where the cached prefix ends.
    let mut cache_mark: Option<(usize, usize)> = None;
    if let Some(system) = obj.get("system") {
        let (text, mark) = content_text_marked(system);
        if let Some(byte) = mark {
            cache_mark = Some((messages.len(), byte));
        }
        messages.push(Message {
            role: Section::System,
            name: None,
            pieces: vec![Piece::Text(text)],
        });
    }
    for (i, m) in raw_messages.iter().enumerate() {
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        let section = Section::from_role(role)
            .ok_or_else(|| Error::template(path, None, format!("messages[{i}] has unknown role `{role}`")))?;
        let (mut text, mark) = m.get("content").map(content_text_marked).unwrap_or_default();
        if let Some(byte) = mark {
            cache_mark = Some((messages.len(), byte));
        }
        // Assistant tool calls are input on the next turn.
        if let Some(calls) = m.get("tool_calls").and_then(Value::as_array) {
            for call in calls {
                if let Some(f) = call.get("function") {
                    text.push_str(f.get("name").and_then(Value::as_str).unwrap_or(""));
                    text.push_str(f.get("arguments").and_then(Value::as_str).unwrap_or(""));
                }
            }
        }
        messages.push(Message {
            role: section,
            name: m.get("name").and_then(Value::as_str).map(str::to_string),
            pieces: vec![Piece::Text(text)],
        });
    }
    // Anthropic tools carry `input_schema`; count them like OpenAI function parameters.
    let tools = tools_raw
        .into_iter()
        .map(|t| match t.get("input_schema") {
            Some(schema) => serde_json::json!({"type": "function", "function": {
                "name": t.get("name").cloned().unwrap_or(Value::Null),
                "description": t.get("description").cloned().unwrap_or(Value::Null),
                "parameters": schema.clone()}}),
            None => t,
        })
        .collect();
    Ok(Template {
        name: default_name.to_string(),
        path: path.to_path_buf(),
        kind: if anthropic {
            Kind::AnthropicRequest
        } else {
            Kind::OpenaiRequest
        },
        description: None,
        model: obj.get("model").and_then(Value::as_str).map(str::to_string),
        output_tokens: None,
        calls_per_day: None,
        messages,
        tools,
        prefix_end: match cache_mark {
            Some((message, byte)) => PrefixEnd::At {
                message,
                piece: 0,
                byte,
            },
            None if tools_marked => PrefixEnd::At {
                message: 0,
                piece: 0,
                byte: 0,
            },
            None => PrefixEnd::BeforeLastMessage,
        },
        includes: Vec::new(),
        variables: Vec::new(),
    })
}

/// The text of a message `content` or Anthropic `system`: a string, or content blocks.
fn content_text(content: &Value) -> String {
    content_text_marked(content).0
}

/// Like [`content_text`], also returning the byte offset just after the last block that
/// carries an Anthropic `cache_control` breakpoint.
fn content_text_marked(content: &Value) -> (String, Option<usize>) {
    match content {
        Value::String(s) => (s.clone(), None),
        Value::Array(blocks) => {
            let mut out = String::new();
            let mut mark = None;
            for block in blocks {
                let part = match block.get("type").and_then(Value::as_str) {
                    Some("text") | Some("input_text") => block.get("text").and_then(Value::as_str).map(str::to_string),
                    Some("tool_use") => block
                        .get("input")
                        .map(|i| format!("{}{}", block.get("name").and_then(Value::as_str).unwrap_or(""), i)),
                    Some("tool_result") => block.get("content").map(content_text),
                    _ => block.as_str().map(str::to_string),
                };
                if let Some(part) = part {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&part);
                }
                if block.get("cache_control").is_some() {
                    mark = Some(out.len());
                }
            }
            (out, mark)
        }
        Value::Null => (String::new(), None),
        other => (other.to_string(), None),
    }
}

/// What `cost diff` needs to know about a template file without rendering it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peek {
    /// `name` from the front matter.
    pub name: Option<String>,
    /// Files it reads: tools, `{file = …}` samples, Jinja includes (relative paths joined to
    /// the template's directory).
    pub deps: Vec<PathBuf>,
}

/// Reads a template's name and dependencies from its text (front matter and include tags).
pub fn peek(path: &Path, text: &str) -> Result<Peek> {
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        return Ok(Peek::default());
    }
    let (front_text, body, _) = split_front_matter(path, text)?;
    let front: FrontMatter = match front_text {
        None => FrontMatter::default(),
        Some(t) => toml::from_str(t).map_err(|e| toml_error(path, t, &e))?,
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut deps: Vec<PathBuf> = front.tools.iter().map(|t| dir.join(t)).collect();
    for value in front.vars.values() {
        if let Some(file) = value
            .as_table()
            .and_then(|t| t.get("file"))
            .and_then(toml::Value::as_str)
        {
            deps.push(dir.join(file));
        }
    }
    deps.extend(render::include_names(body).into_iter().map(|n| dir.join(n)));
    Ok(Peek { name: front.name, deps })
}
