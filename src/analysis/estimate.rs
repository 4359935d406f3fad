//! `cost estimate` over a repository: discover the templates, then load, count and price each
//! one (in parallel), with what could not be priced returned as warnings.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::estimate::{self, Estimate, Overrides};
use crate::pricing::PriceTable;
use crate::template::discover::discover;
use crate::template::{FsFiles, LoadOptions, Template};
use jiff::civil::Date;
use std::collections::HashMap;
use std::path::Path;

/// Which templates to estimate, and how.
#[derive(Clone, Copy)]
pub struct Params<'a> {
    /// Files, directories or globs; empty: every template in `[templates]` paths.
    pub templates: &'a [String],
    pub overrides: &'a Overrides,
    pub options: &'a LoadOptions,
}

/// An estimate, with the warnings for the person at the terminal (`warning: not priced: …`).
#[derive(Debug)]
pub struct Estimated {
    pub estimate: Estimate,
    pub warnings: Vec<String>,
    /// Every model was skipped (none lists the tier): an error once the warnings are shown.
    pub nothing_priced: bool,
}

impl Estimated {
    /// The estimate, or the error when no model could be priced.
    pub fn priced(self) -> Result<Estimate> {
        if self.nothing_priced {
            return Err(Error::usage_hint(
                "no model could be priced on this tier",
                "use --tier standard, or price on models that list the tier (`cost models --format json` shows them)",
            ));
        }
        Ok(self.estimate)
    }
}

/// One template's rows, and what could not be priced.
struct Priced {
    name: String,
    file: String,
    rows: Vec<estimate::EstimateRow>,
    skipped: Vec<String>,
    variables: Vec<String>,
}

/// Discovers, loads, counts and prices the templates `params` names (every template in
/// `[templates]` paths when it names none), seen from `cwd` on `today`.
pub fn compute(config: &Config, prices: &PriceTable, cwd: &Path, today: Date, params: &Params) -> Result<Estimated> {
    let Params {
        templates,
        overrides,
        options,
    } = *params;
    let config_name = config
        .path
        .as_deref()
        .map(|p| config.show_path(cwd, p))
        .unwrap_or_else(|| "defaults".into());
    let found = discover(config, templates, cwd)?;
    // Load, render, count and price each template on its own thread; report the first
    // failure in file order, so errors are deterministic.
    let per_template = crate::par::map_ordered(&found, |f| -> Result<Priced> {
        let template = Template::load(&FsFiles, &f.path, &f.default_name, options)?;
        let file = config.show_path(cwd, &f.path);
        let priced = estimate::price_template(&template, &file, config, prices, Some(today), overrides, &config_name)?;
        Ok(Priced {
            name: template.name.clone(),
            file,
            rows: priced.rows,
            skipped: priced.skipped,
            variables: template.variables.clone(),
        })
    });
    let mut rows = Vec::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut used_vars: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for result in per_template {
        let priced = result?;
        if let Some(first) = names.insert(priced.name.clone(), priced.file.clone()) {
            return Err(Error::usage_hint(
                format!("two templates are named `{}`: {first} and {}", priced.name, priced.file),
                "template names must be unique: change `name` in one front matter",
            ));
        }
        used_vars.extend(priced.variables);
        skipped.extend(priced.skipped.into_iter().map(|s| format!("{}: {s}", priced.name)));
        rows.extend(priced.rows);
    }
    for key in options.vars.keys() {
        if !used_vars.contains(key) {
            return Err(Error::usage_hint(
                format!("--var {key}: no selected template uses a variable `{key}`"),
                "check the spelling; `cost tokens FILE -v` renders a template, its [vars] list the variables",
            ));
        }
    }
    estimate::sort_rows(&mut rows);
    let estimate = Estimate {
        schema: "cost.estimate/v1",
        currency: config.currency.clone(),
        days_per_month: config.days_per_month,
        prices_as_of: prices.as_of.clone(),
        prices_imported: prices
            .tables
            .last()
            .filter(|t| t.kind == "imported")
            .map(|t| t.date.to_string()),
        totals: estimate::EstimateTotals::of(&rows),
        rows,
    };
    Ok(Estimated {
        warnings: skipped.iter().map(|s| format!("warning: not priced: {s}")).collect(),
        nothing_priced: estimate.rows.is_empty() && !skipped.is_empty(),
        estimate,
    })
}
