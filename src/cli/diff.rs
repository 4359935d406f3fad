//! `cost diff`: what a change to the templates adds or saves per month, judged against the
//! thresholds in cost.toml. The pre-commit hook and the CI gate.

use super::Context;
use crate::config::Config;
use crate::diff::git::{BlobReader, Repo, Rev, RevFiles};
use crate::diff::pair::{self, Side, compare_sides, empty_diff, priced_side};
use crate::diff::{self, Diff, PricedSide, Status, Verdict};
use crate::error::{Error, Result};
use crate::estimate::Overrides;
use crate::pricing::PriceTable;
use crate::template::discover::match_paths;
use crate::template::{Files, FsFiles, LoadOptions, Template, decode, peek};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Show what template changes do to cost, and gate on thresholds
///
/// With no arguments, compares the staged templates with HEAD (for a pre-commit hook). With
/// --base, compares the merge base of REV and HEAD (or --head) with that head, like
/// `git diff REV...HEAD` (for CI). With two files, compares them directly. Exits 1 when a
/// template's change breaches a `fail_*` threshold (or a `warn_*` one with --fail-on warn).
///
/// In git, every cost.toml in the repository is checked, each governing its own directory (the
/// nearest one governs), so a monorepo's hook works from the root. With no cost.toml anywhere,
/// a staged template change exits 2: the gate could check nothing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost diff                                  # staged vs HEAD (pre-commit)\n  cost diff old.prompt new.prompt\n  cost diff --base origin/main               # CI: merge-base(origin/main, HEAD) vs HEAD\n  cost diff --base v1.2 --head v1.3 --format markdown\n  cost diff --base origin/main --format json > cost-diff.json"
)]
pub struct Args {
    /// Two template files to compare: OLD NEW
    #[arg(value_name = "FILE", num_args = 0..=2)]
    pub files: Vec<PathBuf>,
    /// Compare against the merge base of REV and the head, like `git diff REV...HEAD`
    #[arg(long, value_name = "REV", conflicts_with_all = ["files", "staged"])]
    pub base: Option<String>,
    /// The revision to compare with --base [default: HEAD]
    #[arg(long, value_name = "REV", requires = "base")]
    pub head: Option<String>,
    /// Compare staged changes with HEAD (the default with no files)
    #[arg(long, conflicts_with = "files")]
    pub staged: bool,
    /// Price and judge on this model instead of each rule's models and primary model
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,
    /// Lowest verdict that exits 1
    #[arg(long, value_enum, default_value_t = FailOn::Fail)]
    pub fail_on: FailOn,
    /// Also list templates whose cost did not change
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Warn,
    Fail,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let overrides = Overrides {
        models: args.model.iter().cloned().collect(),
        ..Overrides::default()
    };
    if let Some(m) = &args.model {
        // A typo fails once, up front, rather than once per template.
        ctx.prices()?
            .lookup(m, Some(ctx.today()))
            .map_err(|e| e.in_context("--model"))?;
    }
    let diff = match args.files.as_slice() {
        [old, new] => two_files(ctx, old, new, &overrides)?,
        [one] => {
            return Err(Error::usage_hint(
                format!("`cost diff` needs two files to compare, got only {}", one.display()),
                "cost diff OLD NEW, or no files to compare staged changes with HEAD",
            ));
        }
        // The price table loads, and the o200k_base tokenizer compiles its pattern, on the
        // other core while git lists the two revisions.
        _ => std::thread::scope(|scope| {
            scope.spawn(|| {
                let _ = ctx.prices();
                crate::tokenize::Encoding::O200kBase.count("warm up");
            });
            in_git(ctx, args, &overrides)
        })?,
    };
    let diff = Diff {
        fail_on_warn: args.fail_on == FailOn::Warn,
        ..diff
    };
    let diff = if args.all {
        diff
    } else {
        Diff {
            templates: diff
                .templates
                .into_iter()
                .filter(|r| r.status != Status::Unchanged)
                .collect(),
            ..diff
        }
    };
    for row in diff.templates.iter().filter(|r| r.verdict == Some(Verdict::Warn)) {
        let model = match &row.config {
            Some(c) => format!("{c}, {}", row.model),
            None => row.model.clone(),
        };
        ctx.hint(&format!(
            "warning: {} ({model}): {}",
            row.template,
            row.reasons.join("; ")
        ));
    }
    for e in &diff.errors {
        eprintln!("error: {}", e.error);
    }
    if diff.templates.is_empty() && diff.errors.is_empty() && ctx.style.format == crate::output::Format::Table {
        if !ctx.quiet {
            println!("No template cost changes ({} compared).", diff.unchanged);
        }
    } else {
        ctx.emit(&diff)?;
    }
    let code = diff.exit_code();
    if code == 1 && args.files.is_empty() && args.base.is_none() {
        // The pre-commit hook blocked the commit: say how to get past it once.
        let root = Repo::discover(&ctx.cwd).ok().flatten().map(|r| r.root);
        ctx.hint(&format!(
            "hint: to commit once without this check: {}; to accept the cost, raise the rule's `fail_*` threshold in cost.toml in the same commit",
            skip_hint(root.as_deref())
        ));
    }
    Ok(ExitCode::from(code))
}

fn two_files(ctx: &Context, old: &Path, new: &Path, overrides: &Overrides) -> Result<Diff> {
    for p in [old, new] {
        if !ctx.cwd.join(p).is_file() {
            return Err(Error::Input {
                path: p.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such template file"),
            });
        }
    }
    let prices = ctx.prices()?;
    let default_name = |p: &Path| p.with_extension("").display().to_string();
    let new_name = peek(
        new,
        &decode(
            new,
            FsFiles.read(new).map_err(|source| Error::Input {
                path: new.into(),
                source,
            })?,
        )?,
    )?
    .name
    .unwrap_or_else(|| default_name(new));
    let price = |path: &Path| -> Result<PricedSide> {
        let template = Template::load(&FsFiles, path, &new_name, &LoadOptions::default())?;
        // Both files are judged as the same template: the new one's name and rule.
        let template = Template {
            name: new_name.clone(),
            ..template
        };
        priced_side(
            &template,
            &ctx.show_path(path),
            &ctx.config,
            prices,
            ctx.today(),
            overrides,
        )
    };
    let (o, n) = (price(old)?, price(new)?);
    let mut diff = empty_diff(ctx.show_path(old), ctx.show_path(new), ctx.config.currency.clone());
    diff.prices_as_of = prices.as_of.clone();
    diff.templates = diff::compare(&new_name, Status::Modified, Some(&o), Some(&n));
    Ok(diff::finish(diff))
}

fn in_git(ctx: &Context, args: &Args, overrides: &Overrides) -> Result<Diff> {
    use crate::timing::{Phase, time};
    let repo = time(Phase::Git, || Repo::discover(&ctx.cwd))?.ok_or_else(|| {
        Error::usage_hint(
            "not a git repository, and no files given",
            "run inside a git repository, or compare two files: cost diff OLD NEW",
        )
    })?;
    let (old_rev, new_rev, base_label, head_label) = match &args.base {
        Some(base) => {
            let head = args.head.clone().unwrap_or_else(|| "HEAD".into());
            let head_id = time(Phase::Git, || repo.resolve(&head))?.ok_or_else(|| {
                Error::usage("HEAD has no commits yet: commit first, or use `cost diff` for staged changes")
            })?;
            let base_id = time(Phase::Git, || repo.resolve(base))?.unwrap_or_default();
            let merge_base = time(Phase::Git, || repo.merge_base(&base_id, &head_id))?;
            (
                Rev::Commit(Some(merge_base)),
                Rev::Commit(Some(head_id)),
                base.clone(),
                head,
            )
        }
        None => (
            Rev::Commit(time(Phase::Git, || repo.resolve("HEAD"))?),
            Rev::Index,
            "HEAD".into(),
            "STAGED".into(),
        ),
    };
    let blobs = BlobReader::new(&repo);
    let (old_listing, new_listing) = time(Phase::Git, || {
        std::thread::scope(|scope| {
            let old = scope.spawn(|| repo.list(&old_rev));
            let new = repo.list(&new_rev);
            (
                old.join().unwrap_or_else(|_| Err(Error::usage("git listing failed"))),
                new,
            )
        })
    });
    let (old_listing, new_listing) = (old_listing?, new_listing?);
    let old_files = RevFiles::new(old_listing.clone(), &blobs);
    let new_files = RevFiles::new(new_listing.clone(), &blobs);

    let prices = ctx.prices()?;
    let groups = config_groups(ctx, &repo, &old_listing, &new_listing);
    if groups.is_empty() && args.base.is_none() && ctx.config.path.is_none() {
        // The hook is installed but there is nothing to judge a template change against.
        no_config_anywhere(&old_listing, &new_listing, &repo.root)?;
    }
    let several = groups.len() > 1;
    // No cost.toml in the repository: the configuration found from here (or the defaults)
    // governs the working directory's subtree, as before.
    let groups = if groups.is_empty() {
        let dir = ctx
            .cwd
            .strip_prefix(&repo.root)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        vec![Group {
            config: None,
            dir,
            nested: Vec::new(),
        }]
    } else {
        groups
    };

    let mut merged: Option<Diff> = None;
    for group in &groups {
        let label = group.config.as_ref().map(|p| slash(p));
        // cost.toml at each revision (the working tree's when a revision has none).
        let read = |files: &RevFiles, rel: &Path| -> Option<Result<Config>> {
            let bytes = files.read(rel).ok()?;
            Some(decode(rel, bytes).and_then(|text| {
                let mut config = Config::parse(&text, Some(rel))?;
                config.root = repo.root.join(&group.dir);
                Ok(config)
            }))
        };
        let working_tree = || ctx.config.clone();
        let (new_config, old_config) = match &group.config {
            None => (working_tree(), working_tree()),
            Some(rel) => {
                let in_cwd = ctx.config.path.as_ref().map(|p| ctx.cwd.join(p)) == Some(repo.root.join(rel));
                let new_config = match read(&new_files, rel) {
                    Some(c) => c?,
                    None if in_cwd => working_tree(),
                    None => match read(&old_files, rel) {
                        Some(c) => c?,
                        None => Config::defaults_at(&repo.root.join(rel)),
                    },
                };
                let old_config = match read(&old_files, rel) {
                    Some(c) => c?,
                    None => new_config.clone(),
                };
                (new_config, old_config)
            }
        };
        let mut old_side = make_side(&old_files, &old_listing, old_config, group, prices)?;
        let mut new_side = make_side(&new_files, &new_listing, new_config, group, prices)?;
        old_side.config_id = group.config.as_ref().and_then(|p| old_files.id(p));
        new_side.config_id = group.config.as_ref().and_then(|p| new_files.id(p));
        if old_side.templates.is_empty() && new_side.templates.is_empty() {
            let paths = new_side.config.template_paths.join(", ");
            ctx.hint(&match (&label, new_side.config.path.is_none()) {
                (Some(cfg), _) => {
                    format!("warning: {cfg}: no file in its directory matches [templates] paths ({paths})")
                }
                (None, true) => {
                    format!("warning: no file matches [templates] paths ({paths}); no cost.toml was found from here")
                }
                (None, false) => format!("warning: no file matches [templates] paths ({paths})"),
            });
        }
        let params = pair::Params {
            overrides,
            base: base_label.clone(),
            head: head_label.clone(),
            all: args.all,
            today: ctx.today(),
        };
        let show = |p: &Path| ctx.show_path(&repo.root.join(p));
        let (mut diff, notes) = compare_sides(&old_side, &new_side, &params, &show)?;
        for note in &notes {
            ctx.hint(note);
        }
        if several {
            for row in &mut diff.templates {
                row.config.clone_from(&label);
            }
            for e in &mut diff.errors {
                e.config.clone_from(&label);
            }
        }
        merged = Some(match merged {
            None => diff,
            Some(mut all) => {
                all.templates.extend(diff.templates);
                all.errors.extend(diff.errors);
                all.unchanged += diff.unchanged;
                all.skipped.extend(diff.skipped);
                all
            }
        });
    }
    let mut diff = merged.unwrap_or_else(|| empty_diff(base_label, head_label, ctx.config.currency.clone()));
    diff.templates.sort_by(|a, b| {
        a.config
            .cmp(&b.config)
            .then(a.template.cmp(&b.template))
            .then(b.primary.cmp(&a.primary))
    });
    Ok(diff::finish(diff))
}

/// One cost.toml and the part of the repository it governs.
struct Group {
    /// Repository-relative path of the cost.toml; `None`: the configuration found from the
    /// working directory (or the defaults), for a repository without one.
    config: Option<PathBuf>,
    /// The directory it governs, repository-relative.
    dir: PathBuf,
    /// Directories inside `dir` that a nearer cost.toml governs.
    nested: Vec<PathBuf>,
}

/// A path with `/` separators, as git and the globs write it.
fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every cost.toml of the repository on either side (and the working tree's one governing the
/// working directory), each governing its directory minus the directories of nearer ones.
/// With --config, only that file, governing its directory.
fn config_groups(
    ctx: &Context,
    repo: &Repo,
    old: &BTreeMap<PathBuf, String>,
    new: &BTreeMap<PathBuf, String>,
) -> Vec<Group> {
    let from_cwd: Option<PathBuf> = ctx
        .config
        .path
        .as_ref()
        .and_then(|p| ctx.cwd.join(p).strip_prefix(&repo.root).ok().map(Path::to_path_buf));
    let mut configs: Vec<PathBuf> = if ctx.config_explicit {
        from_cwd.into_iter().collect()
    } else {
        old.keys()
            .chain(new.keys())
            .filter(|p| p.file_name().is_some_and(|n| n == crate::config::FILE_NAME))
            .cloned()
            .chain(from_cwd)
            .collect()
    };
    configs.sort();
    configs.dedup();
    let dirs: Vec<PathBuf> = configs
        .iter()
        .map(|c| c.parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    configs
        .iter()
        .zip(&dirs)
        .map(|(config, dir)| Group {
            config: Some(config.clone()),
            dir: dir.clone(),
            nested: dirs
                .iter()
                .filter(|d| *d != dir && d.starts_with(dir))
                .cloned()
                .collect(),
        })
        .collect()
}

/// Whether a file looks like a prompt template although no cost.toml says so: a `.prompt`
/// file, or text, markdown, JSON or Jinja under a `templates/` or `prompts/` directory.
fn template_looking(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    ext == "prompt"
        || (matches!(ext, "md" | "txt" | "json" | "jinja" | "j2")
            && path.parent().is_some_and(|d| {
                d.components()
                    .any(|c| matches!(c.as_os_str().to_str(), Some("templates" | "prompts")))
            }))
}

/// The hook ran in a repository without any cost.toml: a staged change to a template-looking
/// file is an error (the gate can check nothing), never a silent pass.
fn no_config_anywhere(old: &BTreeMap<PathBuf, String>, new: &BTreeMap<PathBuf, String>, root: &Path) -> Result<()> {
    let changed: Vec<&PathBuf> = new
        .iter()
        .filter(|(p, id)| old.get(*p) != Some(*id))
        .map(|(p, _)| p)
        .chain(old.keys().filter(|p| !new.contains_key(*p)))
        .filter(|p| template_looking(p))
        .collect();
    let Some(first) = changed.first() else {
        return Ok(());
    };
    let more = match changed.len() {
        1 => String::new(),
        n => format!(" and {} more", n - 1),
    };
    Err(Error::usage_hint(
        format!(
            "no cost.toml in this repository: the cost gate cannot check the staged change to {}{more}",
            slash(first)
        ),
        format!(
            "run `cost init` in the directory that holds the templates (a cost.toml governs its directory and below), or remove the cost-diff hook; to commit once without the check: {}",
            skip_hint(Some(root))
        ),
    ))
}

/// How to bypass the hook for one commit: `SKIP=<hook id> git commit …`, with the id(s) the
/// repository's .pre-commit-config.yaml gives the cost hook (`cost-diff` if it names none).
fn skip_hint(root: Option<&Path>) -> String {
    let text = root
        .and_then(|r| std::fs::read_to_string(r.join(".pre-commit-config.yaml")).ok())
        .unwrap_or_default();
    let mut ids: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches('-').trim_start();
            l.strip_prefix("id:")
        })
        .map(|id| id.split('#').next().unwrap_or("").trim().trim_matches(['"', '\'']))
        .filter(|id| id.starts_with("cost-diff"))
        .collect();
    ids.dedup();
    let ids = if ids.is_empty() {
        "cost-diff".to_string()
    } else {
        ids.join(",")
    };
    format!("SKIP={ids} git commit …")
}

fn make_side<'a>(
    files: &'a RevFiles<'a>,
    listing: &BTreeMap<PathBuf, String>,
    config: Config,
    group: &Group,
    prices: &PriceTable,
) -> Result<Side<'a>> {
    let under: Vec<PathBuf> = listing
        .keys()
        .filter(|p| !group.nested.iter().any(|d| p.starts_with(d)))
        .filter_map(|p| p.strip_prefix(&group.dir).ok().map(Path::to_path_buf))
        .collect();
    let templates = match_paths(&config.template_paths, under.iter().map(PathBuf::as_path))?
        .into_iter()
        .map(|(p, name)| (group.dir.join(p), name))
        .collect();
    let prices = prices.with_overlays(&config.prices)?;
    Ok(Side {
        files,
        config,
        prices,
        templates,
        listing: Some(listing.clone()),
        config_id: None,
    })
}
