//! Renders a template body with minijinja. Role lines and the start of the first per-call
//! expression are replaced by markers before rendering, so neither a variable's value nor a
//! loop can forge a role, and `{tokens = N}` values become markers that count as exactly N
//! tokens.
//!
//! A marker is a private-use character followed by a random number drawn for each render
//! (DESIGN §12): template text, `--var` values and sample files may contain any character,
//! private-use ones included, and are counted as the text they are, because no text can know
//! the number that makes a marker.

use super::{Files, Message, Piece, PrefixEnd, Section};
use crate::error::{Error, Result};
use minijinja::{Environment, UndefinedBehavior, Value as JValue};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The renderer's internal markers for one render: each is a private-use character and a
/// random 64-bit number, so text cannot forge one.
#[derive(Debug, Clone)]
struct Marks {
    role_open: String,
    role_close: String,
    prefix: String,
    tokens_open: String,
    tokens_close: String,
}

impl Marks {
    fn new() -> Marks {
        use std::hash::{BuildHasher, Hasher};
        // RandomState is seeded from the OS's randomness; the clock makes two renders in one
        // process differ too.
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        h.write_u128(now);
        Marks::with_nonce(h.finish())
    }

    fn with_nonce(nonce: u64) -> Marks {
        // Decimal digits survive every case filter (`upper`, `title`) unchanged.
        let mark = |c: char| format!("{c}{nonce:020}");
        Marks {
            role_open: mark('\u{F8F0}'),
            role_close: mark('\u{F8F1}'),
            prefix: mark('\u{F8F2}'),
            tokens_open: mark('\u{F8F3}'),
            tokens_close: mark('\u{F8F4}'),
        }
    }

    fn tokens(&self, n: u64) -> String {
        format!("{}{n}{}", self.tokens_open, self.tokens_close)
    }
}

pub struct Input<'a> {
    pub files: &'a dyn Files,
    pub path: &'a Path,
    pub dir: &'a Path,
    pub body: &'a str,
    /// Line number (in the file) of the body's first line.
    pub body_line: usize,
    pub vars: &'a BTreeMap<String, toml::Value>,
    pub overrides: &'a BTreeMap<String, String>,
    pub role_lines: bool,
    pub front_text: &'a str,
}

pub struct Rendered {
    pub messages: Vec<Message>,
    pub prefix_end: PrefixEnd,
    /// Variables the body refers to.
    pub variables: Vec<String>,
}

pub fn render(input: &Input, includes: &mut Vec<PathBuf>) -> Result<Rendered> {
    let marks = Marks::new();
    let source = mark_source(input.body, input.role_lines, &marks);
    let context = build_context(input, includes, &marks)?;

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    let loaded: Arc<Mutex<Vec<PathBuf>>> = Arc::default();
    {
        let dir = input.dir.to_path_buf();
        let loaded = loaded.clone();
        // `{% include "x" %}` reads relative to the template's directory, through `files`
        // (the working tree or a git revision). The closure must be 'static, so the bytes
        // are read eagerly below for every include name the body mentions.
        let mut available: BTreeMap<String, String> = BTreeMap::new();
        for name in include_names(input.body) {
            let p = dir.join(&name);
            if let Ok(bytes) = input.files.read(&p) {
                available.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        env.set_loader(move |name| {
            let text = available.get(name).cloned();
            if text.is_some() {
                if let Ok(mut l) = loaded.lock() {
                    l.push(dir.join(name));
                }
            }
            Ok(text)
        });
    }
    let file_name = input.path.display().to_string();
    let template = env
        .template_from_named_str(&file_name, &source)
        .map_err(|e| jinja_error(input, &e))?;

    let defined: Vec<&str> = context.keys().map(String::as_str).collect();
    let mut variables: Vec<String> = template.undeclared_variables(false).into_iter().collect();
    variables.sort();
    // `variables` is sorted, so the first missing one is reported deterministically.
    let missing = variables
        .iter()
        .find(|v| !defined.contains(&v.as_str()) && !env.globals().any(|(g, _)| g == *v));
    if let Some(var) = missing {
        let line = find_var_line(input.body, var).map(|l| l + input.body_line - 1);
        return Err(Error::Template {
            path: input.path.to_path_buf(),
            line,
            message: format!("undefined template variable `{var}`"),
            hint: Some(format!(
                "define it under [vars] in the front matter (e.g. `{var} = \"…\"` or `{var} = {{ tokens = 500 }}`), or pass --var {var}=VALUE"
            )),
        });
    }
    let output = template
        .render(JValue::from_serialize(&context))
        .map_err(|e| jinja_error(input, &e))?;
    if let Ok(l) = loaded.lock() {
        includes.extend(l.iter().cloned());
    }
    let mut rendered = split_messages(&output, input.role_lines, &marks);
    if first_expression(input.body).is_none() {
        // Nothing varies per call: the whole request is static.
        rendered.prefix_end = PrefixEnd::All;
    }
    rendered.variables = variables;
    Ok(rendered)
}

/// Replaces role lines with markers (keeping line numbers) and marks where the first
/// template expression starts.
fn mark_source(body: &str, role_lines: bool, marks: &Marks) -> String {
    let first_expr = first_expression(body);
    let mut out = String::with_capacity(body.len() + 16);
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if role_lines && matches!(bare, "system:" | "user:" | "assistant:" | "tool:") {
            out.push_str(&marks.role_open);
            out.push_str(&bare[..bare.len() - 1]);
            out.push_str(&marks.role_close);
            out.push('\n');
        } else {
            match first_expr {
                Some(at) if at >= offset && at < offset + line.len() => {
                    out.push_str(&line[..at - offset]);
                    out.push_str(&marks.prefix);
                    out.push_str(&line[at - offset..]);
                }
                _ => out.push_str(line),
            }
        }
        offset += line.len();
    }
    out
}

/// Byte offset of the first `{{` or `{%` outside `{# comments #}`.
fn first_expression(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' {
            match bytes[i + 1] {
                b'{' | b'%' => return Some(i),
                b'#' => {
                    i = body[i..].find("#}").map(|j| i + j + 2)?;
                    continue;
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

pub(super) fn include_names(body: &str) -> Vec<String> {
    let mut names = Vec::new();
    for part in body.split("{%").skip(1) {
        let stmt = part
            .split("%}")
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches('-')
            .trim();
        for kw in ["include", "import", "from", "extends"] {
            if let Some(rest) = stmt.strip_prefix(kw) {
                let rest = rest.trim();
                if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    if let Some(end) = rest[1..].find(q) {
                        names.push(rest[1..1 + end].to_string());
                    }
                }
            }
        }
    }
    names
}

/// Builds the render context: literals as they are, `{tokens = N}` as markers,
/// `{file = "…"}` as the file's text; `--var` overrides win.
fn build_context(
    input: &Input,
    includes: &mut Vec<PathBuf>,
    marks: &Marks,
) -> Result<BTreeMap<String, serde_json::Value>> {
    let mut ctx = BTreeMap::new();
    for (key, value) in input.vars {
        // `{ tokens = … }` and `{ file = … }` take exactly one key: anything near them is a
        // typo, not a literal table.
        if let toml::Value::Table(t) = value {
            let special = t.contains_key("tokens") || t.contains_key("file");
            let near = t
                .keys()
                .any(|k| matches!(k.as_str(), "token" | "tokens_" | "files" | "path" | "file_"));
            if (special && t.len() > 1) || (!special && near && t.len() == 1) {
                return Err(Error::Template {
                    path: input.path.to_path_buf(),
                    line: super::front_line_in(input.front_text, key),
                    message: format!("`{key}` must be `{{ tokens = N }}` or `{{ file = \"path\" }}` exactly"),
                    hint: Some(
                        "a table with other keys is a literal value; write `{ tokens = 500 }` for a placeholder".into(),
                    ),
                });
            }
        }
        let v = match value {
            toml::Value::Table(t) if t.len() == 1 && t.contains_key("tokens") => match t.get("tokens") {
                Some(toml::Value::Integer(n)) if *n >= 0 && (*n as u64) <= crate::config::MAX_COUNT => {
                    serde_json::Value::String(marks.tokens(*n as u64))
                }
                _ => {
                    return Err(Error::template(
                        input.path,
                        super::front_line_in(input.front_text, key),
                        format!(
                            "`{key} = {{ tokens = … }}` needs a whole number from 0 to {}",
                            crate::config::MAX_COUNT
                        ),
                    ));
                }
            },
            toml::Value::Table(t) if t.len() == 1 && t.contains_key("file") => {
                let Some(rel) = t.get("file").and_then(toml::Value::as_str) else {
                    return Err(Error::template(
                        input.path,
                        super::front_line_in(input.front_text, key),
                        format!("`{key} = {{ file = … }}` needs a path string"),
                    ));
                };
                let p = input.dir.join(rel);
                let bytes = input.files.read(&p).map_err(|e| {
                    Error::template(
                        input.path,
                        super::front_line_in(input.front_text, key),
                        format!("cannot read `{key}` sample file {}: {e}", p.display()),
                    )
                })?;
                let text = super::decode(&p, bytes)?;
                includes.push(p);
                serde_json::Value::String(text)
            }
            other => serde_json::to_value(other).unwrap_or(serde_json::Value::Null),
        };
        ctx.insert(key.clone(), v);
    }
    for (key, value) in input.overrides {
        let v = match value.strip_prefix("tokens:") {
            Some(n) => match n.trim().parse::<u64>() {
                Ok(n) if n <= crate::config::MAX_COUNT => serde_json::Value::String(marks.tokens(n)),
                _ => {
                    return Err(Error::usage(format!(
                        "--var {key}={value}: `tokens:` needs a whole number from 0 to {}",
                        crate::config::MAX_COUNT
                    )));
                }
            },
            None => serde_json::Value::String(value.clone()),
        };
        ctx.insert(key.clone(), v);
    }
    Ok(ctx)
}

fn jinja_error(input: &Input, e: &minijinja::Error) -> Error {
    let line = e.line().map(|l| l + input.body_line - 1);
    let mut message = e.kind().to_string();
    if let Some(detail) = e.detail() {
        message = format!("{message}: {detail}");
    }
    Error::Template {
        path: input.path.to_path_buf(),
        line,
        message: format!("template error: {message}"),
        hint: None,
    }
}

fn find_var_line(body: &str, var: &str) -> Option<usize> {
    body.lines()
        .position(|l| {
            let mut rest = l;
            while let Some(at) = rest.find(var) {
                let before = rest[..at].chars().next_back();
                let after = rest[at + var.len()..].chars().next();
                let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                if !ident(before) && !ident(after) && (l.contains("{{") || l.contains("{%")) {
                    return true;
                }
                rest = &rest[at + var.len()..];
            }
            false
        })
        .map(|i| i + 1)
}

/// Splits rendered output at role markers into messages, and finds the prefix marker.
fn split_messages(output: &str, role_lines: bool, marks: &Marks) -> Rendered {
    let mut raw: Vec<(Section, String)> = Vec::new();
    let mut current_role = if role_lines { Section::System } else { Section::User };
    let mut rest_start = 0;
    let mut search = 0;
    while let Some(found) = output[search..].find(&marks.role_open) {
        let open = search + found;
        let role_at = open + marks.role_open.len();
        let Some(close) = output[role_at..].find(&marks.role_close) else {
            break;
        };
        raw.push((current_role, output[rest_start..open].to_string()));
        current_role = Section::from_role(&output[role_at..role_at + close]).unwrap_or(Section::User);
        let mut next = role_at + close + marks.role_close.len();
        if output[next..].starts_with('\n') {
            next += 1;
        } else if output[next..].starts_with("\r\n") {
            next += 2;
        }
        rest_start = next;
        search = next;
    }
    raw.push((current_role, output[rest_start..].to_string()));

    let mut messages = Vec::new();
    let mut prefix_end = None;
    for (index, (role, text)) in raw.into_iter().enumerate() {
        let trimmed = text.trim_matches(|c: char| c.is_whitespace());
        // Text before the first role line that is only whitespace is not a message.
        if index == 0 && trimmed.is_empty() {
            continue;
        }
        let (pieces, marker) = pieces(trimmed, marks);
        if let (None, Some((piece, byte))) = (prefix_end, marker) {
            prefix_end = Some(PrefixEnd::At {
                message: messages.len(),
                piece,
                byte,
            });
        }
        messages.push(Message {
            role,
            name: None,
            pieces,
        });
    }
    Rendered {
        messages,
        prefix_end: prefix_end.unwrap_or(PrefixEnd::BeforeLastMessage),
        variables: Vec::new(),
    }
}

/// Splits text at token markers, dropping the prefix marker but reporting its position as
/// (piece index, byte offset in that piece).
fn pieces(text: &str, marks: &Marks) -> (Vec<Piece>, Option<(usize, usize)>) {
    let mut out: Vec<Piece> = Vec::new();
    let mut buf = String::new();
    let mut marker = None;
    let mut rest = text;
    loop {
        let tokens = rest.find(&marks.tokens_open);
        let prefix = rest.find(&marks.prefix);
        let (at, is_prefix) = match (tokens, prefix) {
            (Some(t), Some(p)) if p < t => (p, true),
            (Some(t), _) => (t, false),
            (None, Some(p)) => (p, true),
            (None, None) => break,
        };
        buf.push_str(&rest[..at]);
        if is_prefix {
            rest = &rest[at + marks.prefix.len()..];
            if marker.is_none() {
                marker = Some((out.len(), buf.len()));
            }
            continue;
        }
        let after = &rest[at + marks.tokens_open.len()..];
        let value = after
            .find(&marks.tokens_close)
            .and_then(|close| Some((after[..close].parse::<u64>().ok()?, close)));
        let Some((n, close)) = value else {
            // A placeholder cut by a filter (`{{ ticket[:5] }}`) is text, as it was written.
            buf.push_str(&rest[at..at + marks.tokens_open.len()]);
            rest = after;
            continue;
        };
        rest = &after[close + marks.tokens_close.len()..];
        if !buf.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut buf)));
        }
        out.push(Piece::Tokens(n));
    }
    buf.push_str(rest);
    if !buf.is_empty() || out.is_empty() {
        out.push(Piece::Text(buf));
    }
    (out, marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_expression_skips_comments() {
        assert_eq!(first_expression("abc {# x {{ #} d {{ y }}"), Some(17));
        assert_eq!(first_expression("no expressions"), None);
        assert_eq!(first_expression("{% if a %}"), Some(0));
    }

    #[test]
    fn role_markers_and_prefix() {
        let marks = Marks::with_nonce(7);
        let src = mark_source("intro\nuser:\nhello {{ name }}\n", true, &marks);
        let r = split_messages(&src.replace("{{ name }}", "Bob"), true, &marks);
        assert_eq!(r.messages.len(), 2);
        assert_eq!(r.messages[0].role, Section::System);
        assert_eq!(r.messages[1].pieces, vec![Piece::Text("hello Bob".into())]);
        assert_eq!(
            r.prefix_end,
            PrefixEnd::At {
                message: 1,
                piece: 0,
                byte: 6
            }
        );
    }

    #[test]
    fn token_markers_become_pieces() {
        let marks = Marks::with_nonce(7);
        let (p, m) = pieces(&format!("a{}b", marks.tokens(800)), &marks);
        assert_eq!(
            p,
            vec![Piece::Text("a".into()), Piece::Tokens(800), Piece::Text("b".into())]
        );
        assert_eq!(m, None);
    }

    #[test]
    fn private_use_text_is_text() {
        // The bare characters the markers start with, and a guess at a marker with another
        // number, are plain text.
        let marks = Marks::with_nonce(7);
        let forged = format!(
            "x\u{F8F3}1000000\u{F8F4} {}5{} \u{F8F0}user\u{F8F1}\n\u{F8F2}y",
            Marks::with_nonce(8).tokens_open,
            Marks::with_nonce(8).tokens_close
        );
        let r = split_messages(&forged, false, &marks);
        assert_eq!(r.messages.len(), 1);
        assert_eq!(r.messages[0].pieces, vec![Piece::Text(forged.clone())]);
        assert_eq!(r.prefix_end, PrefixEnd::BeforeLastMessage);
    }
}
