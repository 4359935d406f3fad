//! `cost import --agents [LIST]`: finds every coding agent's logs on this machine, imports
//! what changed, and prints what each agent added.

use super::Context;
use super::import::Args;
use crate::error::{Error, Result};
use crate::import::agents::{self, AGENT_NAMES, AgentsReport};
use crate::import::{self, Options, Planned};
use crate::store::Store;
use std::path::PathBuf;
use std::process::ExitCode;

/// The home directory the agents write under.
fn home() -> Result<PathBuf> {
    ["HOME", "USERPROFILE"]
        .iter()
        .filter_map(std::env::var_os)
        .map(PathBuf::from)
        .find(|p| !p.as_os_str().is_empty())
        .ok_or_else(|| {
            Error::usage_hint(
                "--agents: no home directory to look in",
                "set HOME to the directory the agents write under",
            )
        })
}

pub fn run(ctx: &Context, args: &Args, wanted: &[String]) -> Result<ExitCode> {
    let mut names: Vec<&str> = Vec::new();
    for w in wanted.iter().map(|w| w.trim()).filter(|w| !w.is_empty()) {
        match AGENT_NAMES.iter().find(|a| **a == w) {
            Some(a) => names.push(a),
            None => {
                return Err(Error::usage_hint(
                    format!("--agents: unknown agent `{}`", crate::output::safe_name(w)),
                    format!("agents: {}", AGENT_NAMES.join(", ")),
                ));
            }
        }
    }
    let home = home()?;
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let found = agents::discover(&home, &var, &names);
    let mut plan = Vec::new();
    for f in &found {
        let Some(source) = f.source() else { continue };
        plan.extend(f.inputs().into_iter().map(|input| Planned {
            input,
            source: Some(source),
            opened: None,
        }));
    }
    let total: usize = found.iter().map(|f| f.files.len()).sum();
    if total == 0 {
        let looked: Vec<String> = found
            .iter()
            .flat_map(|f| f.searched.iter().map(|p| p.display().to_string()))
            .collect();
        return Err(Error::usage_hint(
            "--agents: no coding agent's logs found on this machine",
            format!("looked in {}", looked.join(", ")),
        ));
    }
    let prices = ctx.prices()?;
    let opts = Options {
        team: args.team.clone(),
        template: args.template.clone(),
        strict: false,
        dry_run: args.dry_run,
        at_ms: None,
        attribution: import::AttributionPaths {
            team: ctx.config.attribution.team.clone(),
            template: ctx.config.attribution.template.clone(),
            template_version: ctx.config.attribution.template_version.clone(),
        },
        teams: &ctx.config.teams,
        prices,
        now: ctx.now.to_string(),
        reread: args.reread,
        update: args.update,
        user: args.user.clone(),
    };
    let db = ctx.store_path();
    let store = if args.dry_run && !db.exists() {
        Store::in_memory()?
    } else {
        Store::open(&db)?
    };
    ctx.hint(&format!(
        "reading {} {} of {}",
        total,
        if total == 1 { "file" } else { "files" },
        found
            .iter()
            .filter(|f| !f.files.is_empty())
            .map(|f| f.agent)
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let run = import::import_all(&store, plan, &opts, &import::NoProgress, import::Batching::default())?;
    let report = AgentsReport::new(db.display().to_string(), args.dry_run, &found, run);
    ctx.emit(&report)?;
    let failed: u64 = report.agents.iter().map(|a| a.failed).sum();
    if failed > 0 {
        ctx.hint(&format!(
            "{failed} {} could not be read (listed above); the others were imported",
            if failed == 1 { "file" } else { "files" }
        ));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
