//! `cost init`: a commented cost.toml, an example template and a pre-commit hook, so a
//! repository can start from working files.

use super::Context;
use crate::diff::git::Repo;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write a starter cost.toml, an example template and a pre-commit hook config
///
/// Never overwrites: files that exist are left alone (their would-be content is described
/// instead), unless --force is given. cost.toml and the example go in the current directory
/// (a cost.toml governs its directory and below, so a monorepo can have one per service);
/// the hook goes in the repository root's .pre-commit-config.yaml, added to an existing one.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Overwrite cost.toml and the example template if they exist
    #[arg(long)]
    pub force: bool,
}

const COST_TOML: &str = r#"# cost.toml: what `cost estimate` and `cost diff` assume about your prompt templates.
# Every key is optional. Reference: the README's "Configuration" section.

currency = "USD"           # only USD for now
days_per_month = 30        # the month behind every "per month" figure

[defaults]
models = ["gpt-4o", "claude-sonnet-4-5"]   # price every template on these
calls_per_day = 1000       # expected traffic per template
output_tokens = 300        # expected completion length per call
cache_hit_rate = 0.0       # fraction of the cacheable prefix served from the prompt cache
tier = "standard"          # standard | batch | priority | flex
min_delta_usd_month = 1    # cost diff: changes smaller than this never warn or fail

[templates]
paths = ["templates/**/*.prompt"]

# The first rule whose glob matches a template's name wins; its keys override [defaults].
[[templates.rules]]
match = "**"
warn_delta_pct = 5         # cost diff warns above +5% per month
fail_delta_pct = 10        # ... and fails (exit 1) above +10%
fail_delta_usd_month = 500 # ... or above +$500 per month

# Negotiated or custom prices, USD per million tokens:
# [prices."my-finetune"]
# input = 3.0
# output = 12.0
# provider = "openai"
# tokenizer = "o200k_base"
"#;

const EXAMPLE: &str = r#"+++
name = "example/answer"
output_tokens = 250

[vars]
product = "Acme Router X2"
question = { tokens = 120 }    # a placeholder worth exactly 120 tokens
+++
system:
You are a support assistant for {{ product }}. Answer briefly and cite the manual section.

user:
{{ question }}
"#;

/// The hook, for a repository's .pre-commit-config.yaml. `verbose: true` makes pre-commit show
/// the hook's output when it passes too, so a warning is seen, not hidden behind "Passed".
pub const PRE_COMMIT: &str = r#"repos:
  - repo: local
    hooks:
      - id: cost-diff
        name: cost diff (prompt template cost gate)
        entry: cost diff
        language: system
        always_run: true
        pass_filenames: false
        verbose: true
"#;

/// The `repos:` entry of [`PRE_COMMIT`], indented for a list whose items start at `indent`.
fn hook_entry(indent: &str) -> String {
    let body = PRE_COMMIT.strip_prefix("repos:\n").unwrap_or(PRE_COMMIT);
    body.lines().map(|l| format!("{indent}{}\n", &l[2..])).collect()
}

/// Whether a pre-commit config already has a `cost-diff…` hook.
fn has_cost_hook(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start().trim_start_matches('-').trim_start();
        l.strip_prefix("id:")
            .is_some_and(|id| id.trim().trim_matches(['"', '\'']).starts_with("cost-diff"))
    })
}

/// `text` (a .pre-commit-config.yaml) with the cost hook appended to its `repos:` list, or
/// `None` when the list is not written as a block this can extend (e.g. `repos: []`).
fn merge_hook(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().position(|l| l.starts_with("repos:")) else {
        let sep = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        return Some(format!("{text}{sep}repos:\n{}", hook_entry("  ")));
    };
    let after = lines[at]["repos:".len()..].trim();
    if !(after.is_empty() || after.starts_with('#')) {
        return None;
    }
    // The block ends at the next top-level key (or the end), before blank lines and comments.
    let end = (at + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !l.is_empty() && !l.starts_with([' ', '\t', '#', '-'])
        })
        .unwrap_or(lines.len());
    let mut insert = end;
    while insert > at + 1 && (lines[insert - 1].trim().is_empty() || lines[insert - 1].trim_start().starts_with('#')) {
        insert -= 1;
    }
    let indent = lines[at + 1..end]
        .iter()
        .find(|l| l.trim_start().starts_with('-'))
        .map_or("  ", |l| &l[..l.len() - l.trim_start().len()]);
    let mut out = String::new();
    for l in &lines[..insert] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&hook_entry(indent));
    for l in &lines[insert..] {
        out.push_str(l);
        out.push('\n');
    }
    Some(out)
}

fn write_new(ctx: &Context, path: &Path, text: &str, force: bool) -> Result<bool> {
    let full = ctx.cwd.join(path);
    if full.exists() && !force {
        ctx.hint(&format!("kept {} (exists; --force overwrites)", path.display()));
        return Ok(false);
    }
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    std::fs::write(&full, text).map_err(|source| Error::Io {
        path: full.clone(),
        source,
    })?;
    ctx.hint(&format!("created {}", path.display()));
    Ok(true)
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    write_new(ctx, Path::new("cost.toml"), COST_TOML, args.force)?;
    write_new(ctx, Path::new("templates/example/answer.prompt"), EXAMPLE, args.force)?;
    // pre-commit reads its config at the repository root, whatever directory this runs in.
    let root = Repo::discover(&ctx.cwd)
        .ok()
        .flatten()
        .map_or_else(|| ctx.cwd.clone(), |r| r.root);
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let at_root = canonical(&root) == canonical(&ctx.cwd);
    let hook = if at_root {
        PathBuf::from(".pre-commit-config.yaml")
    } else {
        root.join(".pre-commit-config.yaml")
    };
    let shown = if at_root {
        hook.display().to_string()
    } else {
        format!("{} (at the repository root)", hook.display())
    };
    match std::fs::read_to_string(ctx.cwd.join(&hook)) {
        Err(_) => {
            write_new(ctx, &hook, PRE_COMMIT, false)?;
        }
        Ok(text) if has_cost_hook(&text) => {
            ctx.hint(&format!("kept {shown}: it already runs the cost-diff hook"));
            if !text.contains("verbose: true") {
                ctx.hint(
                    "hint: add `verbose: true` to that hook so pre-commit shows cost warnings, not just \"Passed\"",
                );
            }
        }
        Ok(text) => match merge_hook(&text) {
            Some(merged) => {
                std::fs::write(ctx.cwd.join(&hook), merged).map_err(|source| Error::Io {
                    path: hook.clone(),
                    source,
                })?;
                ctx.hint(&format!("added the cost-diff hook to {shown}"));
            }
            None => {
                ctx.hint(&format!(
                    "kept {shown} (its `repos:` is not a block list); add this hook to it:"
                ));
                print!("{PRE_COMMIT}");
            }
        },
    }
    ctx.hint("next: `cost estimate` prices the templates; `pre-commit install` turns on the hook");
    Ok(ExitCode::SUCCESS)
}
