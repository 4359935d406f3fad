//! `cost.toml`: discovery (walk up from the working directory), parsing with exact error
//! locations and "did you mean" hints, and per-template settings (first matching rule wins).

use crate::error::{Error, Result, did_you_mean};
use crate::money::{Micro, Usd};
use crate::pricing::PriceOverlay;
use crate::pricing::Tier;
use globset::{Glob, GlobBuilder, GlobMatcher};
use serde::{Deserialize, Deserializer, de};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "cost.toml";

/// Largest accepted calls per day, output tokens or placeholder size: far beyond any real
/// workload, and small enough that every product stays exact in 128-bit money.
pub const MAX_COUNT: u64 = 1_000_000_000;
/// Largest accepted number of calls in a run (`turns`): every turn is priced one by one, and
/// no conversation or agent loop worth estimating is longer.
pub const MAX_TURNS: u64 = 10_000;
pub const DEFAULT_TEMPLATE_PATHS: &[&str] = &["templates/**/*.prompt"];
pub const DEFAULT_MODELS: &[&str] = &["gpt-4o", "claude-sonnet-4-5"];

/// The loaded configuration, with defaults filled in.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from; `None` when no cost.toml was found.
    pub path: Option<PathBuf>,
    /// Directory that relative paths in the config are relative to.
    pub root: PathBuf,
    pub currency: String,
    pub days_per_month: Micro,
    pub defaults: Settings,
    pub min_delta_usd_month: Usd,
    pub template_paths: Vec<String>,
    pub rules: Vec<Rule>,
    pub prices: BTreeMap<String, PriceOverlay>,
    pub teams: BTreeMap<String, Team>,
    pub commitments: Vec<Commitment>,
    pub attribution: Attribution,
    pub store_path: Option<PathBuf>,
}

/// Assumptions used to price one template.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Models to price on when nothing more specific says.
    pub models: Vec<String>,
    /// A `models = [...]` list from the matching rule: it wins over the template's own model.
    pub rule_models: Option<Vec<String>>,
    /// The rule's (or defaults') primary `model`.
    pub model: Option<String>,
    /// The `match` glob of the rule that applied.
    pub rule: Option<String>,
    /// The `model` the matching rule sets: the production model verdicts are taken from.
    pub rule_model: Option<String>,
    pub calls_per_day: u64,
    pub output_tokens: u64,
    pub cache_hit_rate: Micro,
    pub tier: Tier,
    /// Calls per run: a conversation or agent loop that resends its history (1: one call).
    pub turns: u64,
    /// Runs per day, when given: day and month figures are the cost per run × this.
    pub runs_per_day: Option<u64>,
    /// Tokens each earlier turn's user message adds to the history, when given (else the
    /// template's user section).
    pub turn_input_tokens: Option<u64>,
    /// Tokens of tool results each earlier turn adds to the history.
    pub tool_result_tokens: u64,
    pub team: Option<String>,
    pub thresholds: Thresholds,
}

/// Diff thresholds; any may be unset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thresholds {
    pub warn_delta_pct: Option<f64>,
    pub fail_delta_pct: Option<f64>,
    pub warn_delta_usd_month: Option<f64>,
    pub fail_delta_usd_month: Option<f64>,
    pub fail_delta_tokens: Option<u64>,
    pub min_delta_usd_month: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: String,
    matcher: GlobMatcher,
    raw: RawRule,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub monthly_budget_usd: Option<f64>,
    pub soft_pct: Option<f64>,
    pub hard_pct: Option<f64>,
    #[serde(default)]
    pub api_keys: Vec<String>,
    #[serde(default)]
    pub projects: Vec<String>,
    /// Developers (the `user` of coding agents' records: the OS user, or `--user`).
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub name: String,
    pub model: String,
    pub monthly_usd: f64,
    #[serde(default)]
    pub teams: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    #[serde(default)]
    pub team: Vec<String>,
    #[serde(default)]
    pub template: Vec<String>,
    #[serde(default)]
    pub template_version: Vec<String>,
}

// ---- the file as written ----

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    currency: Option<String>,
    #[serde(default, deserialize_with = "opt_positive")]
    days_per_month: Option<Micro>,
    #[serde(default)]
    defaults: RawRule,
    #[serde(default)]
    templates: RawTemplates,
    #[serde(default)]
    prices: BTreeMap<String, PriceOverlay>,
    #[serde(default)]
    teams: BTreeMap<String, Team>,
    #[serde(default)]
    commitments: Vec<Commitment>,
    #[serde(default)]
    attribution: Attribution,
    #[serde(default)]
    store: RawStore,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplates {
    paths: Option<Vec<String>>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStore {
    path: Option<String>,
}

/// `[defaults]` and each `[[templates.rules]]` share these fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(rename = "match")]
    pattern: Option<String>,
    team: Option<String>,
    model: Option<String>,
    models: Option<Vec<String>>,
    #[serde(default, deserialize_with = "opt_count")]
    calls_per_day: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    output_tokens: Option<u64>,
    #[serde(default, deserialize_with = "opt_rate")]
    cache_hit_rate: Option<Micro>,
    tier: Option<Tier>,
    #[serde(default, deserialize_with = "opt_turns")]
    turns: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    runs_per_day: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    turn_input_tokens: Option<u64>,
    #[serde(default, deserialize_with = "opt_count")]
    tool_result_tokens: Option<u64>,
    warn_delta_pct: Option<f64>,
    fail_delta_pct: Option<f64>,
    warn_delta_usd_month: Option<f64>,
    fail_delta_usd_month: Option<f64>,
    fail_delta_tokens: Option<u64>,
    min_delta_usd_month: Option<f64>,
}

/// A whole number from 0 to [`MAX_COUNT`].
pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = u64::deserialize(d)?;
    if v > MAX_COUNT {
        return Err(de::Error::custom(format!("must be at most {MAX_COUNT}, got {v}")));
    }
    Ok(Some(v))
}

/// Calls per run: from 1 to [`MAX_TURNS`].
fn opt_turns<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let v = u64::deserialize(d)?;
    check_turns(v).map_err(de::Error::custom)?;
    Ok(Some(v))
}

/// Why a number of turns is not accepted: a run makes at least one call, and at most
/// [`MAX_TURNS`].
pub fn check_turns(v: u64) -> Result<u64, String> {
    if v == 0 {
        return Err("turns must be at least 1: a run makes at least one call (1 = a single call)".into());
    }
    if v > MAX_TURNS {
        return Err(format!("turns must be at most {MAX_TURNS}, got {v}"));
    }
    Ok(v)
}

fn opt_rate<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Micro>, D::Error> {
    let v = f64::deserialize(d)?;
    if !(0.0..=1.0).contains(&v) {
        return Err(de::Error::custom(format!(
            "cache_hit_rate must be between 0 and 1, got {v}"
        )));
    }
    Ok(Micro::from_f64(v))
}

fn opt_positive<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Micro>, D::Error> {
    let v = f64::deserialize(d)?;
    if v <= 0.0 || !v.is_finite() {
        return Err(de::Error::custom(format!("must be a positive number, got {v}")));
    }
    Ok(Micro::from_f64(v))
}

impl Config {
    /// Shows a path relative to `cwd`, else to the project root (the directory of cost.toml),
    /// else as it is.
    pub fn show_path(&self, cwd: &Path, path: &Path) -> String {
        let absolute = cwd.join(path);
        absolute
            .strip_prefix(cwd)
            .or_else(|_| absolute.strip_prefix(&self.root))
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Finds and loads the configuration: `explicit` (from `--config` or `COST_CONFIG`) if
    /// given, else the first cost.toml walking up from `cwd`, else the defaults.
    /// Where the configuration file is, without reading it.
    pub fn locate(explicit: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
        match explicit {
            Some(p) => Some(cwd.join(p)),
            None => cwd.ancestors().map(|d| d.join(FILE_NAME)).find(|c| c.is_file()),
        }
    }

    /// The defaults, anchored at `path` (a config that exists but could not be used).
    pub fn defaults_at(path: &Path) -> Config {
        let mut config = Config::parse("", None).unwrap_or_else(|_| unreachable!("the empty config is valid"));
        config.root = path.parent().map(Path::to_path_buf).unwrap_or_default();
        config.path = Some(path.to_path_buf());
        config
    }

    pub fn discover(explicit: Option<&Path>, cwd: &Path) -> Result<Config> {
        if let Some(path) = explicit {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Input {
                path: path.to_path_buf(),
                source,
            })?;
            let mut config = Config::parse(&text, Some(path))?;
            config.root = cwd.join(&config.root);
            return Ok(config);
        }
        for dir in cwd.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                let text = std::fs::read_to_string(&candidate).map_err(|source| Error::Input {
                    path: candidate.clone(),
                    source,
                })?;
                return Config::parse(&text, Some(&candidate));
            }
        }
        let mut config = Config::parse("", None)?;
        config.root = cwd.to_path_buf();
        Ok(config)
    }

    /// Parses cost.toml text. `path` names the file in errors and anchors relative paths.
    pub fn parse(text: &str, path: Option<&Path>) -> Result<Config> {
        let shown = path.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(FILE_NAME));
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(&shown, text, &e))?;
        let root = path
            .and_then(Path::parent)
            .map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("."));

        let currency = raw.currency.unwrap_or_else(|| "USD".into());
        if currency != "USD" {
            return Err(config_error(
                &shown,
                text,
                "currency",
                format!("only USD is supported, got `{currency}`"),
                None,
            ));
        }
        if raw.defaults.pattern.is_some() {
            return Err(config_error(
                &shown,
                text,
                "match",
                "`match` belongs in [[templates.rules]], not [defaults]".into(),
                None,
            ));
        }
        let d = &raw.defaults;
        let defaults = Settings {
            models: d
                .models
                .clone()
                .or_else(|| d.model.clone().map(|m| vec![m]))
                .unwrap_or_else(|| DEFAULT_MODELS.iter().map(|s| s.to_string()).collect()),
            rule_models: None,
            model: d.model.clone(),
            rule: None,
            rule_model: None,
            calls_per_day: d.calls_per_day.unwrap_or(1000),
            output_tokens: d.output_tokens.unwrap_or(300),
            cache_hit_rate: d.cache_hit_rate.unwrap_or(Micro::ZERO),
            tier: d.tier.unwrap_or(Tier::Standard),
            turns: d.turns.unwrap_or(1),
            runs_per_day: d.runs_per_day,
            turn_input_tokens: d.turn_input_tokens,
            tool_result_tokens: d.tool_result_tokens.unwrap_or(0),
            team: d.team.clone(),
            thresholds: thresholds(d, &Thresholds::default()),
        };
        let min_delta_usd_month = Usd::from_f64(d.min_delta_usd_month.unwrap_or(1.0)).unwrap_or(Usd::ZERO);

        let mut rules = Vec::new();
        for rule in raw.templates.rules {
            let Some(pattern) = rule.pattern.clone() else {
                return Err(config_error(
                    &shown,
                    text,
                    "[[templates.rules]]",
                    "a rule needs `match = \"GLOB\"` (a glob on the template name)".into(),
                    None,
                ));
            };
            let matcher = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| config_error(&shown, text, &pattern, format!("invalid glob `{pattern}`: {e}"), None))?
                .compile_matcher();
            rules.push(Rule {
                pattern,
                matcher,
                raw: rule,
            });
        }

        let template_paths = raw
            .templates
            .paths
            .unwrap_or_else(|| DEFAULT_TEMPLATE_PATHS.iter().map(|s| s.to_string()).collect());
        for p in &template_paths {
            Glob::new(p).map_err(|e| config_error(&shown, text, p, format!("invalid glob `{p}`: {e}"), None))?;
        }
        for (name, overlay) in &raw.prices {
            if overlay.effective_from.is_some()
                && overlay.input.is_none()
                && overlay.output.is_none()
                && overlay.cache_read.is_none()
            {
                return Err(config_error(
                    &shown,
                    text,
                    name,
                    format!("[prices.\"{name}\"] gives a date but no price"),
                    None,
                ));
            }
        }

        Ok(Config {
            path: path.map(Path::to_path_buf),
            root,
            currency,
            days_per_month: raw.days_per_month.unwrap_or(Micro::from_int(30)),
            defaults,
            min_delta_usd_month,
            template_paths,
            rules,
            prices: raw.prices,
            teams: raw.teams,
            commitments: raw.commitments,
            attribution: raw.attribution,
            store_path: raw.store.path.map(PathBuf::from),
        })
    }

    /// The first rule whose glob matches the template name.
    pub fn rule_for(&self, template_name: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.matcher.is_match(template_name))
    }

    /// Defaults overridden by the first matching rule.
    pub fn settings_for(&self, template_name: &str) -> Settings {
        let Some(rule) = self.rule_for(template_name) else {
            return self.defaults.clone();
        };
        let r = &rule.raw;
        let d = &self.defaults;
        Settings {
            models: r
                .models
                .clone()
                .or_else(|| r.model.clone().map(|m| vec![m]))
                .unwrap_or_else(|| d.models.clone()),
            rule_models: r.models.clone(),
            model: r
                .model
                .clone()
                .or_else(|| r.models.as_ref().and_then(|m| m.first().cloned()))
                .or_else(|| d.model.clone()),
            rule: Some(rule.pattern.clone()),
            rule_model: r.model.clone(),
            calls_per_day: r.calls_per_day.unwrap_or(d.calls_per_day),
            output_tokens: r.output_tokens.unwrap_or(d.output_tokens),
            cache_hit_rate: r.cache_hit_rate.unwrap_or(d.cache_hit_rate),
            tier: r.tier.unwrap_or(d.tier),
            turns: r.turns.unwrap_or(d.turns),
            runs_per_day: r.runs_per_day.or(d.runs_per_day),
            turn_input_tokens: r.turn_input_tokens.or(d.turn_input_tokens),
            tool_result_tokens: r.tool_result_tokens.unwrap_or(d.tool_result_tokens),
            team: r.team.clone().or_else(|| d.team.clone()),
            thresholds: thresholds(r, &d.thresholds),
        }
    }
}

fn thresholds(r: &RawRule, base: &Thresholds) -> Thresholds {
    Thresholds {
        warn_delta_pct: r.warn_delta_pct.or(base.warn_delta_pct),
        fail_delta_pct: r.fail_delta_pct.or(base.fail_delta_pct),
        warn_delta_usd_month: r.warn_delta_usd_month.or(base.warn_delta_usd_month),
        fail_delta_usd_month: r.fail_delta_usd_month.or(base.fail_delta_usd_month),
        fail_delta_tokens: r.fail_delta_tokens.or(base.fail_delta_tokens),
        min_delta_usd_month: r.min_delta_usd_month.or(base.min_delta_usd_month),
    }
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// Turns a TOML error into one with line, column and a "did you mean" where one helps.
pub fn toml_error(path: &Path, text: &str, err: &toml::de::Error) -> Error {
    let (line, column) = err.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
    let message = err.message().trim().to_string();
    Error::Config {
        path: path.to_path_buf(),
        line,
        column,
        hint: unknown_name_hint(&message),
        message,
    }
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (and variants), suggests the
/// closest expected name.
pub fn unknown_name_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (given, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match did_you_mean(given, names.iter().copied(), 1).first() {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !names.is_empty() => Some(format!(
            "expected one of {}",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        )),
        None => None,
    }
}

fn config_error(path: &Path, text: &str, needle: &str, message: String, hint: Option<String>) -> Error {
    let (line, column) = text.find(needle).map(|at| line_col(text, at)).unwrap_or((0, 0));
    Error::Config {
        path: path.to_path_buf(),
        line,
        column,
        message,
        hint,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_rule_wins() {
        let cfg = Config::parse(
            r#"
[defaults]
calls_per_day = 10
[[templates.rules]]
match = "support/**"
calls_per_day = 15000
model = "gpt-4o"
[[templates.rules]]
match = "**"
calls_per_day = 5
"#,
            None,
        )
        .unwrap();
        assert_eq!(cfg.settings_for("support/answer").calls_per_day, 15000);
        assert_eq!(cfg.settings_for("support/answer").models, vec!["gpt-4o"]);
        assert_eq!(cfg.settings_for("rag/answer").calls_per_day, 5);
        assert_eq!(cfg.settings_for("rag/answer").output_tokens, 300);
    }

    #[test]
    fn star_does_not_cross_slashes() {
        let cfg = Config::parse("[[templates.rules]]\nmatch = \"support/*\"\ncalls_per_day = 7\n", None).unwrap();
        assert_eq!(cfg.settings_for("support/answer").calls_per_day, 7);
        assert_eq!(cfg.settings_for("support/a/b").calls_per_day, 1000);
    }

    #[test]
    fn unknown_key_has_line_and_suggestion() {
        let err = Config::parse("[defaults]\ncalls_per_dya = 3\n", Some(Path::new("cost.toml"))).unwrap_err();
        let Error::Config { line, hint, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*line, 2);
        assert_eq!(hint.as_deref(), Some("did you mean `calls_per_day`?"));
    }

    #[test]
    fn turn_keys_in_defaults_and_rules() {
        let cfg = Config::parse(
            "[defaults]\ntool_result_tokens = 50\n[[templates.rules]]\nmatch = \"agent/**\"\nturns = 8\nruns_per_day = 200\nturn_input_tokens = 40\n",
            None,
        )
        .unwrap();
        let agent = cfg.settings_for("agent/ops");
        assert_eq!(
            (
                agent.turns,
                agent.runs_per_day,
                agent.turn_input_tokens,
                agent.tool_result_tokens
            ),
            (8, Some(200), Some(40), 50)
        );
        let other = cfg.settings_for("support/answer");
        assert_eq!(
            (
                other.turns,
                other.runs_per_day,
                other.turn_input_tokens,
                other.tool_result_tokens
            ),
            (1, None, None, 50)
        );
    }

    #[test]
    fn zero_or_huge_turns_are_rejected_with_location() {
        for (value, expected) in [("0", "at least 1"), ("10001", "at most 10000")] {
            let err = Config::parse(&format!("[defaults]\nturns = {value}\n"), None).unwrap_err();
            let Error::Config { line, message, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(*line, 2);
            assert!(message.contains(expected), "{message}");
        }
    }

    #[test]
    fn bad_rate_is_rejected_with_location() {
        let err = Config::parse("[defaults]\n\ncache_hit_rate = 1.5\n", None).unwrap_err();
        let Error::Config { line, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(*line, 3);
        assert!(message.contains("between 0 and 1"), "{message}");
    }
}
