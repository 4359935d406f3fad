//! `cost diff`: what a change to the templates adds or saves per month, judged against the
//! thresholds in cost.toml. The pre-commit hook and the CI gate.

use super::Context;
use crate::config::Config;
use crate::diff::git::{BlobReader, Repo, Rev, RevFiles};
use crate::diff::{self, Diff, DiffError, PricedSide, Status, Totals, Verdict};
use crate::error::{Error, Result};
use crate::estimate::{self, Overrides};
use crate::money::Usd;
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

/// One version of the project: where files come from, its config and prices, its templates.
struct Side<'a> {
    files: &'a dyn Files,
    config: Config,
    prices: PriceTable,
    /// Template path → the name it gets when its front matter gives none.
    templates: BTreeMap<PathBuf, String>,
    /// Every file with its blob id (git sides), to skip reading what cannot have changed.
    listing: Option<BTreeMap<PathBuf, String>>,
    /// The blob id of cost.toml on this side.
    config_id: Option<String>,
}

/// A template found on a side: its name and what it depends on.
struct Found {
    path: PathBuf,
    name: String,
    deps: Vec<PathBuf>,
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
        ctx.hint(&format!(
            "warning: {} ({}): {}",
            row.template,
            row.model,
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
    Ok(ExitCode::from(diff.exit_code()))
}

fn empty_diff(base: String, head: String, currency: String) -> Diff {
    Diff {
        schema: "cost.diff/v1",
        currency,
        base,
        head,
        verdict: Verdict::Ok,
        templates: Vec::new(),
        totals: Totals {
            old_cost_per_month_usd: Usd::ZERO,
            new_cost_per_month_usd: Usd::ZERO,
            delta_cost_per_month_usd: Usd::ZERO,
        },
        errors: Vec::new(),
        unchanged: 0,
        skipped: Vec::new(),
        prices_as_of: String::new(),
        fail_on_warn: false,
    }
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
        priced_side(&template, &ctx.show_path(path), &ctx.config, prices, ctx, overrides)
    };
    let (o, n) = (price(old)?, price(new)?);
    let mut diff = empty_diff(ctx.show_path(old), ctx.show_path(new), ctx.config.currency.clone());
    diff.prices_as_of = prices.as_of.clone();
    diff.templates = diff::compare(&new_name, Status::Modified, Some(&o), Some(&n));
    Ok(diff::finish(diff))
}

fn priced_side(
    template: &Template,
    file: &str,
    config: &Config,
    prices: &PriceTable,
    ctx: &Context,
    overrides: &Overrides,
) -> Result<PricedSide> {
    let config_name = config
        .path
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "defaults".into());
    let priced = estimate::price_template(
        template,
        file,
        config,
        prices,
        Some(ctx.today()),
        overrides,
        &config_name,
    )?;
    let settings = config.settings_for(&template.name);
    Ok(PricedSide {
        file: file.to_string(),
        rows: priced.rows,
        team: settings.team.clone(),
        thresholds: settings.thresholds,
        min_delta_usd_month: config.min_delta_usd_month,
        days_per_month: config.days_per_month,
    })
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

    // cost.toml at each revision (the working tree's when a revision has none).
    let prices = ctx.prices()?;
    let cfg_rel: Option<PathBuf> = ctx
        .config
        .path
        .as_ref()
        .and_then(|p| ctx.cwd.join(p).strip_prefix(&repo.root).ok().map(Path::to_path_buf));
    let cfg_dir: PathBuf = match &cfg_rel {
        Some(rel) => rel.parent().map(Path::to_path_buf).unwrap_or_default(),
        None => ctx
            .cwd
            .strip_prefix(&repo.root)
            .map(Path::to_path_buf)
            .unwrap_or_default(),
    };
    let load_config = |files: &RevFiles, fallback: &Config| -> Result<Config> {
        let Some(rel) = &cfg_rel else {
            return Ok(fallback.clone());
        };
        match files.read(rel) {
            Ok(bytes) => {
                let text = decode(rel, bytes)?;
                let mut config = Config::parse(&text, Some(rel))?;
                config.root = repo.root.join(&cfg_dir);
                Ok(config)
            }
            Err(_) => Ok(fallback.clone()),
        }
    };
    let new_config = load_config(&new_files, &ctx.config)?;
    let old_config = load_config(&old_files, &new_config)?;

    let mut old_side = make_side(&old_files, &old_listing, old_config, &cfg_dir, prices)?;
    let mut new_side = make_side(&new_files, &new_listing, new_config, &cfg_dir, prices)?;
    old_side.config_id = cfg_rel.as_ref().and_then(|p| old_files.id(p));
    new_side.config_id = cfg_rel.as_ref().and_then(|p| new_files.id(p));
    compare_sides(
        ctx, &old_side, &new_side, overrides, base_label, head_label, &repo.root, args.all,
    )
}

fn make_side<'a>(
    files: &'a RevFiles<'a>,
    listing: &BTreeMap<PathBuf, String>,
    config: Config,
    cfg_dir: &Path,
    prices: &PriceTable,
) -> Result<Side<'a>> {
    let under: Vec<PathBuf> = listing
        .keys()
        .filter_map(|p| p.strip_prefix(cfg_dir).ok().map(Path::to_path_buf))
        .collect();
    let templates = match_paths(&config.template_paths, under.iter().map(PathBuf::as_path))?
        .into_iter()
        .map(|(p, name)| (cfg_dir.join(p), name))
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

/// Templates that cannot have changed, so need not be read: same path and blob on both
/// sides, while cost.toml and every non-template file (anything a template could include)
/// are unchanged too.
fn provably_unchanged(old: &Side, new: &Side) -> Vec<PathBuf> {
    let (Some(a), Some(b)) = (&old.listing, &new.listing) else {
        return Vec::new();
    };
    if old.config_id != new.config_id {
        return Vec::new();
    }
    let is_template = |p: &PathBuf| old.templates.contains_key(p) || new.templates.contains_key(p);
    let other_changed = a
        .iter()
        .filter(|(p, id)| b.get(*p) != Some(*id))
        .chain(b.iter().filter(|(p, _)| !a.contains_key(*p)))
        .any(|(p, _)| !is_template(p));
    if other_changed {
        return Vec::new();
    }
    old.templates
        .keys()
        .filter(|p| new.templates.contains_key(*p) && a.get(*p) == b.get(*p))
        .cloned()
        .collect()
}

/// Names and dependencies of every template on a side; binary files are skipped with a
/// warning, unreadable front matter leaves the default name (the error shows when pricing).
fn survey(ctx: &Context, side: &Side, skip: &[PathBuf], skipped: &mut Vec<String>) -> Vec<Found> {
    let mut out = Vec::new();
    for (path, default_name) in &side.templates {
        if skip.binary_search(path).is_ok() {
            continue;
        }
        let bytes = match side.files.read(path) {
            Ok(b) => b,
            Err(_) => continue,
        };
        let text = match decode(path, bytes) {
            Ok(t) => t,
            Err(e) => {
                ctx.hint(&format!("warning: skipped {e}"));
                skipped.push(e.to_string());
                continue;
            }
        };
        let peeked = peek(path, &text).unwrap_or_default();
        out.push(Found {
            path: path.clone(),
            name: peeked.name.unwrap_or_else(|| default_name.clone()),
            deps: peeked.deps,
        });
    }
    out
}

/// Whether a template must be re-priced: its file, a file it reads, its rule or its prices
/// differ between the sides.
fn changed(old: &Side, o: &Found, new: &Side, n: &Found) -> bool {
    let same_file = |a: &Path, b: &Path| match (old.files.id(a), new.files.id(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    };
    !same_file(&o.path, &n.path)
        || o.deps.len() != n.deps.len()
        || o.deps
            .iter()
            .zip(&n.deps)
            .any(|(a, b)| match (old.files.id(a), new.files.id(b)) {
                (None, None) => false,
                (x, y) => x != y,
            })
        || old.config.settings_for(&o.name) != new.config.settings_for(&n.name)
        || old.config.prices != new.config.prices
        || old.config.days_per_month != new.config.days_per_month
        || old.config.min_delta_usd_month != new.config.min_delta_usd_month
}

#[allow(clippy::too_many_arguments)]
fn compare_sides(
    ctx: &Context,
    old: &Side,
    new: &Side,
    overrides: &Overrides,
    base: String,
    head: String,
    root: &Path,
    all: bool,
) -> Result<Diff> {
    let skip = if all { Vec::new() } else { provably_unchanged(old, new) };
    let to_read: Vec<String> = [old, new]
        .iter()
        .flat_map(|side| {
            side.templates
                .keys()
                .filter(|p| skip.binary_search(p).is_err())
                .filter_map(|p| side.files.id(p))
        })
        .collect();
    let mut skipped = Vec::new();
    let (old_found, new_found) = crate::timing::time(crate::timing::Phase::Survey, || {
        old.files.prefetch(&to_read);
        (
            survey(ctx, old, &skip, &mut Vec::new()),
            survey(ctx, new, &skip, &mut skipped),
        )
    });
    let by_name = |v: &[Found], side: &str| -> Result<BTreeMap<String, usize>> {
        let mut map = BTreeMap::new();
        for (i, f) in v.iter().enumerate() {
            if let Some(j) = map.insert(f.name.clone(), i) {
                return Err(Error::usage_hint(
                    format!(
                        "two templates are named `{}` {side}: {} and {}",
                        f.name,
                        v[j].path.display(),
                        f.path.display()
                    ),
                    "template names must be unique: change `name` in one front matter",
                ));
            }
        }
        Ok(map)
    };
    let (mut old_by, new_by) = (
        by_name(&old_found, "at the base")?,
        by_name(&new_found, "in the new version")?,
    );
    // A file moved without a `name` gets a new path-derived name: pair it with the old one when
    // the content is identical, so a plain `git mv` is a rename, not a removal and an addition.
    let old_only: Vec<String> = old_by.keys().filter(|k| !new_by.contains_key(*k)).cloned().collect();
    for old_name in old_only {
        let o = &old_found[old_by[&old_name]];
        let Some(oid) = old.files.id(&o.path) else { continue };
        let twin = new_by.iter().find(|(k, i)| {
            !old_by.contains_key(*k) && new.files.id(&new_found[**i].path).as_deref() == Some(oid.as_str())
        });
        if let Some((new_name, _)) = twin {
            let i = old_by.remove(&old_name).unwrap_or_default();
            old_by.insert(new_name.clone(), i);
        }
    }
    let mut names: Vec<&String> = old_by.keys().chain(new_by.keys()).collect();
    names.sort();
    names.dedup();

    // What to price: (name, status, old template, new template).
    let mut work: Vec<(String, Status, Option<&Found>, Option<&Found>)> = Vec::new();
    let mut unchanged = skip.len();
    for name in names {
        let o = old_by.get(name).map(|i| &old_found[*i]);
        let n = new_by.get(name).map(|i| &new_found[*i]);
        let status = match (o, n) {
            (Some(o), Some(n)) if !changed(old, o, new, n) => {
                if o.path == n.path {
                    unchanged += 1;
                    Status::Unchanged
                } else {
                    Status::Renamed
                }
            }
            (Some(o), Some(n)) if o.path != n.path => Status::Renamed,
            (Some(_), Some(_)) => Status::Modified,
            (None, Some(_)) => Status::Added,
            (Some(_), None) => Status::Removed,
            (None, None) => continue,
        };
        if status != Status::Unchanged || all {
            work.push((name.clone(), status, o, n));
        }
    }

    // Read every blob the pricing will need in one batch, instead of one round trip each.
    let mut wanted: Vec<String> = Vec::new();
    for (_, _, o, n) in &work {
        for (side, found) in [(old, o), (new, n)] {
            if let Some(f) = found {
                wanted.extend(std::iter::once(&f.path).chain(&f.deps).filter_map(|p| side.files.id(p)));
            }
        }
    }
    old.files.prefetch(&wanted);
    let show = |p: &Path| ctx.show_path(&root.join(p));
    let price = |side: &Side, f: &Found| -> std::result::Result<PricedSide, String> {
        let template =
            Template::load(side.files, &f.path, &f.name, &LoadOptions::default()).map_err(|e| error_text(&e))?;
        let template = Template {
            name: f.name.clone(),
            ..template
        };
        priced_side(&template, &show(&f.path), &side.config, &side.prices, ctx, overrides).map_err(|e| error_text(&e))
    };
    // Both sides of every changed template, on both cores.
    let tasks: Vec<(usize, bool)> = (0..work.len()).flat_map(|i| [(i, false), (i, true)]).collect();
    let results = crate::par::map_ordered(&tasks, |(i, is_new)| {
        let (_, _, o, n) = &work[*i];
        let (side, found) = if *is_new { (new, n) } else { (old, o) };
        found.map(|f| price(side, f))
    });

    let mut diff = empty_diff(base, head, new.config.currency.clone());
    diff.unchanged = unchanged;
    diff.prices_as_of = new.prices.as_of.clone();
    diff.skipped = skipped;
    if old.templates.is_empty() && new.templates.is_empty() {
        ctx.hint(&format!(
            "warning: no file matches [templates] paths ({}){}",
            new.config.template_paths.join(", "),
            if new.config.path.is_none() {
                "; no cost.toml was found from here"
            } else {
                ""
            }
        ));
    }
    for (i, (name, status, o, n)) in work.iter().enumerate() {
        let (old_priced, new_priced) = (&results[2 * i], &results[2 * i + 1]);
        // The new version must price; an old version that did not (the change fixes it) makes
        // the template count as added.
        if let (Some(Err(e)), Some(f)) = (new_priced, n) {
            diff.errors.push(DiffError {
                template: name.clone(),
                file: show(&f.path),
                error: format!("{e} (in {})", diff.head),
            });
            continue;
        }
        let mut status = *status;
        if let (Some(Err(e)), Some(f)) = (old_priced, o) {
            if n.is_none() {
                diff.errors.push(DiffError {
                    template: name.clone(),
                    file: show(&f.path),
                    error: format!("{e} (in {})", diff.base),
                });
                continue;
            }
            ctx.hint(&format!(
                "note: {name} did not price at {} ({e}); judged as a new template",
                diff.base
            ));
            status = Status::Added;
        }
        let ok =
            |r: &Option<std::result::Result<PricedSide, String>>| r.as_ref().and_then(|r| r.as_ref().ok()).cloned();
        let (op, np) = (ok(old_priced), ok(new_priced));
        let op = if status == Status::Added { None } else { op };
        let rows = diff::compare(name, status, op.as_ref(), np.as_ref());
        // A "modified" template whose every figure is unchanged (e.g. a price change for a model
        // it does not use) is unchanged.
        if status == Status::Modified
            && !all
            && rows.iter().all(|r| {
                r.delta.input_tokens == 0 && r.delta.cost_per_call_usd.is_zero() && r.delta.cost_per_month_usd.is_zero()
            })
        {
            diff.unchanged += 1;
            continue;
        }
        diff.templates.extend(rows);
    }
    diff.templates
        .sort_by(|a, b| a.template.cmp(&b.template).then(b.primary.cmp(&a.primary)));
    Ok(diff::finish(diff))
}

/// An error as one line for the diff's error list: the message, and its hint where the hint
/// applies to `cost diff` (it has no `--var`).
fn error_text(e: &Error) -> String {
    match e.hint() {
        Some(h) if !h.contains("--var") => format!("{e} (hint: {h})"),
        _ => e.to_string(),
    }
}
