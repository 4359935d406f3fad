//! `cost init`: a commented cost.toml, an example template and a pre-commit hook, so a
//! repository can start from working files.

use super::Context;
use crate::error::{Error, Result};
use std::path::Path;
use std::process::ExitCode;

/// Write a starter cost.toml, an example template and a pre-commit hook config
///
/// Never overwrites: files that exist are left alone (their would-be content is described
/// instead), unless --force is given. An existing .pre-commit-config.yaml is never changed:
/// the hook to add is printed.
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

/// The hook, for a repository's .pre-commit-config.yaml.
pub const PRE_COMMIT: &str = r#"repos:
  - repo: local
    hooks:
      - id: cost-diff
        name: cost diff (prompt template cost gate)
        entry: cost diff
        language: system
        always_run: true
        pass_filenames: false
"#;

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
    let hook = Path::new(".pre-commit-config.yaml");
    if ctx.cwd.join(hook).exists() {
        ctx.hint("kept .pre-commit-config.yaml; add this hook to it:");
        print!("{PRE_COMMIT}");
    } else {
        write_new(ctx, hook, PRE_COMMIT, false)?;
    }
    ctx.hint("next: `cost estimate` prices the templates; `pre-commit install` turns on the hook");
    Ok(ExitCode::SUCCESS)
}
