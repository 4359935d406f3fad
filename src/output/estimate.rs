//! Table form of `cost estimate`, and the per-turn table of runs (`-v` with `--turns`).

use super::{Align, Cell, Render, TableData, TableOptions, Tone};
use crate::estimate::{Estimate, EstimateRow};
use crate::money::{Micro, group_thousands};
use serde::Serialize;

impl Render for Estimate {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            return machine_table(self);
        }
        let verbose = opts.verbose;
        let caching = self.rows.iter().any(|r| r.cache_hit_rate > Micro::ZERO);
        let non_standard = self.rows.iter().any(|r| r.tier != crate::pricing::Tier::Standard);
        // Runs of several calls: turns, runs per day, the last call and the whole run.
        let looping = self.rows.iter().any(|r| r.turns > 1);
        let mut headers = vec![
            ("Template".to_string(), Align::Left),
            ("Model".to_string(), Align::Left),
        ];
        headers.push(("Input".into(), Align::Right));
        if caching {
            headers.push(("Cached".into(), Align::Right));
        }
        headers.push(("Output".into(), Align::Right));
        if non_standard {
            headers.push(("Tier".into(), Align::Left));
        }
        if looping {
            headers.push(("Turns".into(), Align::Right));
            headers.push(("Runs/day".into(), Align::Right));
        } else {
            headers.push(("Calls/day".into(), Align::Right));
        }
        headers.push(("Per call".into(), Align::Right));
        if looping {
            headers.push(("Last call".into(), Align::Right));
            headers.push(("Per run".into(), Align::Right));
        }
        headers.push(("Per day".into(), Align::Right));
        headers.push(("Per month".into(), Align::Right));
        if verbose {
            headers.push(("Sections".into(), Align::Left));
        }

        let mut rows = Vec::new();
        let mut last_template: Option<&str> = None;
        for r in &self.rows {
            let same = last_template == Some(r.template.as_str());
            last_template = Some(&r.template);
            let mut row = vec![
                if same {
                    Cell::new("", r.template.clone())
                } else {
                    Cell::text(&r.template).tone(Tone::Strong)
                },
                Cell::text(&r.model),
                Cell::tokens(r.input_tokens, r.exact),
            ];
            if caching {
                let read = Micro::from_int(r.cacheable_prefix_tokens as i128).times(r.cache_hit_rate);
                row.push(Cell::new(
                    if r.cacheable_prefix_tokens == 0 || r.cache_hit_rate == Micro::ZERO {
                        "–".to_string()
                    } else {
                        format!(
                            "{}{}",
                            if r.exact { "" } else { "≈" },
                            crate::money::group_thousands(&read.round().to_string())
                        )
                    },
                    read.to_string(),
                ));
            }
            row.push(Cell::count(r.output_tokens));
            if non_standard {
                row.push(Cell::text(r.tier.as_str()));
            }
            if looping {
                row.push(Cell::count(r.turns));
                row.push(Cell::count(r.runs_per_day));
            } else {
                row.push(Cell::count(r.calls_per_day));
            }
            // `*`: billed at long-context prices; `!`: see the warnings under the table. With
            // runs, on the run's cost (later calls are the long ones).
            let mark = match (r.long_context_above.is_some(), r.warnings.is_empty()) {
                (_, false) => "!",
                (true, true) => "*",
                _ => "",
            };
            let marked = |cell: Cell| {
                Cell::new(format!("{mark}{}", cell.display), cell.raw).tone(if mark == "!" {
                    Tone::Warn
                } else {
                    Tone::Plain
                })
            };
            if looping {
                row.push(Cell::usd_small(r.cost_per_call_usd));
                row.push(Cell::usd_small(r.last_call_cost_usd));
                row.push(marked(Cell::usd_small(r.cost_per_run_usd)));
            } else {
                row.push(marked(Cell::usd_small(r.cost_per_call_usd)));
            }
            row.push(Cell::usd(r.cost_per_day_usd));
            row.push(Cell::usd(r.cost_per_month_usd).tone(Tone::Strong));
            if verbose {
                let parts: Vec<String> = r
                    .sections
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}",
                            s.role.as_str(),
                            crate::money::group_thousands(&s.tokens.to_string())
                        )
                    })
                    .collect();
                row.push(Cell::text(parts.join(" · ")));
            }
            rows.push(row);
        }

        let mut notes = Vec::new();
        if self.rows.iter().any(|r| !r.exact) {
            notes.push("≈ approximate: o200k_base count × the model family's calibration (`cost tokens FILE --model M -v` shows it)".to_string());
        }
        if caching {
            notes.push(if looping {
                "Cached: prompt-prefix tokens of the first call read from the provider's cache (cache_hit_rate × cacheable prefix); later calls read cache_hit_rate × the previous call's input".to_string()
            } else {
                "Cached: prompt-prefix tokens per call read from the provider's cache (cache_hit_rate × cacheable prefix)".to_string()
            });
            if self
                .rows
                .iter()
                .any(|r| r.cache_hit_rate > Micro::ZERO && r.cacheable_prefix_tokens == 0)
            {
                notes.push("–: the static prefix (text before the first {{ }} or {% %}) is under the provider's caching minimum (1,024 tokens for most models)".to_string());
            }
        }
        if looping {
            notes.push("Turns: a run of that many calls; call k resends the k−1 earlier turns (user message + output + tool results each). Per call is the first call, Last call the last, Per run all of them; per day = per run × runs/day (-v shows every turn).".to_string());
        }
        for r in &self.rows {
            if let (Some(t), true) = (r.long_context_above, r.turns > 1) {
                let from = r
                    .per_turn
                    .iter()
                    .find(|c| c.long_context_above.is_some())
                    .map_or(1, |c| c.turn);
                notes.push(format!(
                    "* {} on {}: from turn {from}, calls with input above {} tokens are billed whole at long-context prices",
                    r.template,
                    r.model,
                    group_thousands(&t.to_string())
                ));
            } else if let Some(t) = r.long_context_above {
                notes.push(format!(
                    "* {} on {}: input above {} tokens, so the whole request is billed at long-context prices",
                    r.template,
                    r.model,
                    crate::money::group_thousands(&t.to_string())
                ));
            }
        }
        for r in &self.rows {
            for w in &r.warnings {
                notes.push(format!("! {} on {}: {w}", r.template, r.model));
            }
        }
        notes.push(
            "Total: each template once, on its production model (--model, else the rule's `model`, else the template's own)."
                .to_string(),
        );
        // Which rows cost.toml priced, and through which entry when it is not the model's
        // own name (`gpt-4o-2024-08-06` by [prices."gpt-4o"]).
        let mut by_config: Vec<String> = Vec::new();
        for r in self.rows.iter().filter(|r| r.price_source == "config") {
            let text = if r.model_priced == r.model {
                r.model.clone()
            } else {
                format!("{} by [prices.\"{}\"]", r.model, r.model_priced)
            };
            if !by_config.contains(&text) {
                by_config.push(text);
            }
        }
        if !by_config.is_empty() {
            notes.push(format!("Priced by cost.toml: {}.", by_config.join(", ")));
        }
        notes.push(match &self.prices_imported {
            Some(date) => format!(
                "Prices: LiteLLM table of {date} (imported; `cost pricing show`) and cost.toml [prices]; a month is {} days.",
                self.days_per_month
            ),
            None => format!(
                "Prices: LiteLLM snapshot {} and cost.toml [prices]; a month is {} days.",
                self.prices_as_of, self.days_per_month
            ),
        });
        let footer: Vec<Cell> = headers
            .iter()
            .map(|(h, _)| match h.as_str() {
                "Template" => Cell::text(match self.totals.templates {
                    1 => "Total".to_string(),
                    n => format!("Total ({n} templates)"),
                }),
                "Model" => Cell::text("production models"),
                "Per day" => Cell::usd(self.totals.cost_per_day_usd),
                "Per month" => Cell::usd(self.totals.cost_per_month_usd).tone(Tone::Strong),
                _ => Cell::text(""),
            })
            .collect();
        TableData {
            headers,
            findings: Vec::new(),
            rows,
            footer: Some(footer),
            notes,
        }
    }
}

/// CSV: the same columns whatever the data, raw numbers only.
fn machine_table(e: &Estimate) -> TableData {
    let headers = [
        "template",
        "file",
        "model",
        "provider",
        "exact",
        "input_tokens",
        "cacheable_prefix_tokens",
        "cache_hit_rate",
        "output_tokens",
        "tier",
        "calls_per_day",
        "cost_per_call_usd",
        "cost_per_day_usd",
        "cost_per_month_usd",
        "long_context_above",
        "warnings",
        "turns",
        "runs_per_day",
        "turn_input_tokens",
        "tool_result_tokens",
        "cost_per_run_usd",
        "last_call_input_tokens",
        "last_call_cost_usd",
    ];
    let rows = e
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.template),
                Cell::text(&r.file),
                Cell::text(&r.model),
                Cell::text(&r.provider),
                Cell::text(r.exact.to_string()),
                Cell::text(r.input_tokens.to_string()),
                Cell::text(r.cacheable_prefix_tokens.to_string()),
                Cell::text(r.cache_hit_rate.to_string()),
                Cell::text(r.output_tokens.to_string()),
                Cell::text(r.tier.as_str()),
                Cell::text(r.calls_per_day.to_string()),
                Cell::text(r.cost_per_call_usd.to_decimal_string()),
                Cell::text(r.cost_per_day_usd.to_decimal_string()),
                Cell::text(r.cost_per_month_usd.to_decimal_string()),
                Cell::text(r.long_context_above.map(|t| t.to_string()).unwrap_or_default()),
                Cell::text(r.warnings.join("; ")),
                Cell::text(r.turns.to_string()),
                Cell::text(r.runs_per_day.to_string()),
                Cell::text(r.turn_input_tokens.to_string()),
                Cell::text(r.tool_result_tokens.to_string()),
                Cell::text(r.cost_per_run_usd.to_decimal_string()),
                Cell::text(r.last_call_input_tokens.to_string()),
                Cell::text(r.last_call_cost_usd.to_decimal_string()),
            ]
        })
        .collect();
    super::machine_table(&headers, rows)
}

/// Every call of every run in an estimate (the rows with more than one turn): `-v` with
/// `--turns`.
#[derive(Debug, Serialize)]
pub struct PerTurn<'a>(pub &'a Estimate);

impl Render for PerTurn<'_> {
    fn table(&self, _: TableOptions) -> TableData {
        let headers = [
            ("Template", Align::Left),
            ("Model", Align::Left),
            ("Turn", Align::Right),
            ("Input", Align::Right),
            ("Cache read", Align::Right),
            ("Output", Align::Right),
            ("Cost", Align::Right),
            ("Cumulative", Align::Right),
        ]
        .into_iter()
        .map(|(h, a)| (h.to_string(), a))
        .collect();
        let runs: Vec<&EstimateRow> = self.0.rows.iter().filter(|r| !r.per_turn.is_empty()).collect();
        let mut rows = Vec::new();
        for r in &runs {
            for t in &r.per_turn {
                let first = t.turn == 1;
                let read = t.cache_read_tokens;
                rows.push(vec![
                    if first {
                        Cell::text(&r.template).tone(Tone::Strong)
                    } else {
                        Cell::new("", r.template.clone())
                    },
                    if first {
                        Cell::text(&r.model)
                    } else {
                        Cell::new("", r.model.clone())
                    },
                    Cell::count(t.turn),
                    Cell::tokens(t.input_tokens, r.exact),
                    Cell::new(
                        format!(
                            "{}{}",
                            if r.exact || read == Micro::ZERO { "" } else { "≈" },
                            group_thousands(&read.round().to_string())
                        ),
                        read.to_string(),
                    ),
                    Cell::count(t.output_tokens),
                    Cell::usd_small(t.cost_usd),
                    Cell::usd_small(t.cumulative_usd).tone(if t.turn == r.turns { Tone::Strong } else { Tone::Plain }),
                ]);
            }
        }
        let mut notes = vec![
            "Turn k sends the template (T) plus k−1 earlier turns of U user + O output + R tool-result tokens; Cache read: cache_hit_rate × the previous call's input (turn 1: × the static prefix).".to_string(),
        ];
        for r in &runs {
            let first_input = r.per_turn.first().map_or(0, |t| t.input_tokens);
            notes.push(format!(
                "{} on {}: T {}{} + (k−1) × (U {} + O {} + R {}); {} turns, {} per run.",
                r.template,
                r.model,
                if r.exact { "" } else { "≈" },
                group_thousands(&first_input.to_string()),
                group_thousands(&r.turn_input_tokens.to_string()),
                group_thousands(&r.output_tokens.to_string()),
                group_thousands(&r.tool_result_tokens.to_string()),
                r.turns,
                super::usd6(r.cost_per_run_usd)
            ));
        }
        TableData {
            headers,
            rows,
            footer: None,
            findings: Vec::new(),
            notes,
        }
    }
}
