//! Pairing two versions of a project's templates: which template is which on each side
//! (by name, renames by content), which cannot have changed, and the priced comparison of the
//! rest. Files come through the [`Files`] trait: a git revision, the index or the working tree.

use super::{Diff, DiffError, PricedSide, Status, Totals, Verdict};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::estimate::{self, Overrides};
use crate::money::Usd;
use crate::pricing::PriceTable;
use crate::template::{Files, LoadOptions, Template, decode, peek};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One version of the project: where files come from, its config and prices, its templates.
pub struct Side<'a> {
    pub files: &'a dyn Files,
    pub config: Config,
    pub prices: PriceTable,
    /// Template path → the name it gets when its front matter gives none.
    pub templates: BTreeMap<PathBuf, String>,
    /// Every file with its blob id (git sides), to skip reading what cannot have changed.
    pub listing: Option<BTreeMap<PathBuf, String>>,
    /// The blob id of cost.toml on this side.
    pub config_id: Option<String>,
}

/// A template found on a side: its name and what it depends on.
struct Found {
    path: PathBuf,
    name: String,
    deps: Vec<PathBuf>,
}

/// A diff with nothing in it yet.
pub fn empty_diff(base: String, head: String, currency: String) -> Diff {
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

/// A template priced on one side, with the rule that judges it.
pub fn priced_side(
    template: &Template,
    file: &str,
    config: &Config,
    prices: &PriceTable,
    today: Date,
    overrides: &Overrides,
) -> Result<PricedSide> {
    let config_name = config
        .path
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "defaults".into());
    let priced = estimate::price_template(template, file, config, prices, Some(today), overrides, &config_name)?;
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

/// Templates that cannot have changed, so need not be read: same path and blob on both
/// sides, while cost.toml and every non-template file (anything a template could include)
/// are unchanged too.
pub fn provably_unchanged(old: &Side, new: &Side) -> Vec<PathBuf> {
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
fn survey(side: &Side, skip: &[PathBuf], skipped: &mut Vec<String>, warnings: &mut Vec<String>) -> Vec<Found> {
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
                warnings.push(format!("warning: skipped {e}"));
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

/// How [`compare_sides`] compares: the labels of the two sides, the assumptions to price
/// with, and whether unchanged templates are listed too.
pub struct Params<'a> {
    pub overrides: &'a Overrides,
    /// `HEAD`, a branch, a file…
    pub base: String,
    pub head: String,
    /// Price and list every template, unchanged ones too.
    pub all: bool,
    /// The day prices are taken at.
    pub today: Date,
}

/// Pairs the templates of two sides by name (a file moved without a `name` is paired with the
/// old one of identical content: a rename), re-prices what changed on both sides and judges
/// each change. `show` turns a template path into what the diff prints. Notes for the person
/// at the terminal (files skipped, a base that did not price) come back with the diff.
pub fn compare_sides(
    old: &Side,
    new: &Side,
    params: &Params,
    show: &(dyn Fn(&Path) -> String + Sync),
) -> Result<(Diff, Vec<String>)> {
    let Params {
        overrides, all, today, ..
    } = *params;
    let (base, head) = (params.base.clone(), params.head.clone());
    let mut warnings = Vec::new();
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
            survey(old, &skip, &mut Vec::new(), &mut warnings),
            survey(new, &skip, &mut skipped, &mut warnings),
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
    let price = |side: &Side, f: &Found| -> std::result::Result<PricedSide, String> {
        let template =
            Template::load(side.files, &f.path, &f.name, &LoadOptions::default()).map_err(|e| error_text(&e))?;
        let template = Template {
            name: f.name.clone(),
            ..template
        };
        priced_side(&template, &show(&f.path), &side.config, &side.prices, today, overrides).map_err(|e| error_text(&e))
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
    for (i, (name, status, o, n)) in work.iter().enumerate() {
        let (old_priced, new_priced) = (&results[2 * i], &results[2 * i + 1]);
        // The new version must price; an old version that did not (the change fixes it) makes
        // the template count as added.
        if let (Some(Err(e)), Some(f)) = (new_priced, n) {
            diff.errors.push(DiffError {
                template: name.clone(),
                file: show(&f.path),
                error: format!("{e} (in {})", diff.head),
                config: None,
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
                    config: None,
                });
                continue;
            }
            warnings.push(format!(
                "note: {name} did not price at {} ({e}); judged as a new template",
                diff.base
            ));
            status = Status::Added;
        }
        let ok =
            |r: &Option<std::result::Result<PricedSide, String>>| r.as_ref().and_then(|r| r.as_ref().ok()).cloned();
        let (op, np) = (ok(old_priced), ok(new_priced));
        let op = if status == Status::Added { None } else { op };
        let rows = super::compare(name, status, op.as_ref(), np.as_ref());
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
    Ok((super::finish(diff), warnings))
}

/// An error as one line for the diff's error list: the message, and its hint where the hint
/// applies to `cost diff` (it has no `--var`).
pub fn error_text(e: &Error) -> String {
    match e.hint() {
        Some(h) if !h.contains("--var") => format!("{e} (hint: {h})"),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files in memory; a file's id is its content, as a git blob id would be.
    struct Mem(BTreeMap<PathBuf, Vec<u8>>);

    impl Files for Mem {
        fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
            self.0
                .get(path)
                .cloned()
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        }
        fn id(&self, path: &Path) -> Option<String> {
            self.0.get(path).map(|b| String::from_utf8_lossy(b).into_owned())
        }
    }

    fn side<'a>(files: &'a Mem, templates: &[(&str, &str)]) -> Side<'a> {
        Side {
            files,
            config: Config::parse("", None).unwrap(),
            prices: PriceTable::load(&BTreeMap::new()).unwrap(),
            templates: templates
                .iter()
                .map(|(p, n)| (PathBuf::from(p), n.to_string()))
                .collect(),
            listing: None,
            config_id: None,
        }
    }

    fn mem(files: &[(&str, &[u8])]) -> Mem {
        Mem(files.iter().map(|(p, b)| (PathBuf::from(p), b.to_vec())).collect())
    }

    fn params(all: bool) -> Params<'static> {
        static OVERRIDES: std::sync::OnceLock<Overrides> = std::sync::OnceLock::new();
        Params {
            overrides: OVERRIDES.get_or_init(|| Overrides {
                models: vec!["gpt-4o".into()],
                ..Overrides::default()
            }),
            base: "HEAD".into(),
            head: "STAGED".into(),
            all,
            today: "2026-10-01".parse().unwrap(),
        }
    }

    const TEXT: &[u8] = b"You are a helpful assistant. Answer the question in one paragraph.\n";

    #[test]
    fn a_moved_file_without_a_name_is_a_rename_not_a_removal_and_an_addition() {
        let (old_files, new_files) = (mem(&[("p/a.prompt", TEXT)]), mem(&[("q/b.prompt", TEXT)]));
        let (old, new) = (
            side(&old_files, &[("p/a.prompt", "a")]),
            side(&new_files, &[("q/b.prompt", "b")]),
        );
        let show = |p: &Path| p.display().to_string();
        let (diff, notes) = compare_sides(&old, &new, &params(false), &show).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        assert!(diff.errors.is_empty(), "{:?}", diff.errors);
        let rows: Vec<(&str, Status, i64)> = diff
            .templates
            .iter()
            .map(|r| (r.template.as_str(), r.status, r.delta.input_tokens))
            .collect();
        assert_eq!(rows, [("b", Status::Renamed, 0)]);
        assert_eq!(diff.unchanged, 0);
    }

    #[test]
    fn an_edit_is_modified_an_untouched_file_unchanged_and_a_binary_one_skipped_with_a_note() {
        let longer = [TEXT, TEXT].concat();
        let old_files = mem(&[("a.prompt", TEXT), ("same.prompt", TEXT)]);
        let new_files = mem(&[("a.prompt", &longer), ("same.prompt", TEXT), ("bin.prompt", b"\0\x01")]);
        let old = side(&old_files, &[("a.prompt", "a"), ("same.prompt", "same")]);
        let new = side(
            &new_files,
            &[("a.prompt", "a"), ("same.prompt", "same"), ("bin.prompt", "bin")],
        );
        let show = |p: &Path| p.display().to_string();
        let (diff, notes) = compare_sides(&old, &new, &params(false), &show).unwrap();
        assert_eq!(
            notes,
            ["warning: skipped bin.prompt: is a binary file, not a text template"]
        );
        assert_eq!(diff.skipped, ["bin.prompt: is a binary file, not a text template"]);
        assert_eq!(diff.unchanged, 1);
        let [row] = diff.templates.as_slice() else {
            panic!("one row: {:?}", diff.templates)
        };
        assert_eq!((row.template.as_str(), row.status), ("a", Status::Modified));
        assert!(row.delta.input_tokens > 10, "{:?}", row.delta);
    }
}
