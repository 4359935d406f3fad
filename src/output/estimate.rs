//! Table form of `cost estimate`, and the per-turn table of runs (`-v` with `--turns`).

use super::{Align, Cell, Column, Render, TableData, TableOptions, Tone, tabulate};
use crate::estimate::{Estimate, EstimateRow};
use crate::money::{Micro, group_thousands};
use serde::Serialize;

/// A row, and whether it prices the same template as the row above (tables name it once).
type Line<'a> = (&'a EstimateRow, bool);

/// The columns. Tables show the cached tokens per call, the tier only when a row is not on
/// the standard one, and each template's sections with `-v`; CSV has the file, provider,
/// exactness, the prefix and hit rate the cached tokens come from, and warnings in fields.
/// Runs of several calls (`looping`) show turns and runs per day instead of calls per day, and
/// the last call and the whole run after the first call; CSV has them all, at the end.
fn columns<'a>(caching: bool, non_standard: bool, verbose: bool, looping: bool) -> Vec<Column<'static, Line<'a>>> {
    // `*`: billed at long-context prices; `!`: see the warnings under the table. With runs,
    // on the run's cost (later calls are the long ones).
    fn marked(r: &EstimateRow, cell: Cell) -> Cell {
        let mark = match (r.long_context_above.is_some(), r.warnings.is_empty()) {
            (_, false) => "!",
            (true, true) => "*",
            _ => "",
        };
        Cell::new(format!("{mark}{}", cell.display), cell.raw).tone(if mark == "!" { Tone::Warn } else { Tone::Plain })
    }
    vec![
        Column::left("Template", "template", |(r, same): &Line| {
            let cell = Cell::text(&r.template).tone(Tone::Strong);
            if *same { cell.repeated() } else { cell }
        }),
        Column::csv("file", |(r, _): &Line| Cell::text(&r.file)),
        Column::left("Model", "model", |(r, _): &Line| Cell::text(&r.model)),
        Column::csv("provider", |(r, _): &Line| Cell::text(&r.provider)),
        Column::csv("exact", |(r, _): &Line| Cell::text(r.exact.to_string())),
        Column::right("Input", "input_tokens", |(r, _): &Line| {
            Cell::tokens(r.input_tokens, r.exact)
        }),
        // Prefix tokens read from the cache per call.
        Column::table("Cached", Align::Right, |(r, _): &Line| {
            let read = Micro::from_int(r.cacheable_prefix_tokens as i128).times(r.cache_hit_rate);
            Cell::text(if r.cacheable_prefix_tokens == 0 || r.cache_hit_rate == Micro::ZERO {
                "–".to_string()
            } else {
                format!(
                    "{}{}",
                    if r.exact { "" } else { "≈" },
                    group_thousands(&read.round().to_string())
                )
            })
        })
        .table_if(caching),
        Column::csv("cacheable_prefix_tokens", |(r, _): &Line| {
            Cell::text(r.cacheable_prefix_tokens.to_string())
        }),
        Column::csv("cache_hit_rate", |(r, _): &Line| {
            Cell::text(r.cache_hit_rate.to_string())
        }),
        Column::right("Output", "output_tokens", |(r, _): &Line| Cell::count(r.output_tokens)),
        Column::left("Tier", "tier", |(r, _): &Line| Cell::text(r.tier.as_str())).table_if(non_standard),
        Column::right("Calls/day", "calls_per_day", |(r, _): &Line| {
            Cell::count(r.calls_per_day)
        })
        .table_if(!looping),
        Column::table("Turns", Align::Right, |(r, _): &Line| Cell::count(r.turns)).table_if(looping),
        Column::table("Runs/day", Align::Right, |(r, _): &Line| Cell::count(r.runs_per_day)).table_if(looping),
        Column::right("Per call", "cost_per_call_usd", move |(r, _): &Line| {
            let cell = Cell::usd_small(r.cost_per_call_usd);
            if looping { cell } else { marked(r, cell) }
        }),
        Column::table("Last call", Align::Right, |(r, _): &Line| {
            Cell::usd_small(r.last_call_cost_usd)
        })
        .table_if(looping),
        Column::table("Per run", Align::Right, |(r, _): &Line| {
            marked(r, Cell::usd_small(r.cost_per_run_usd))
        })
        .table_if(looping),
        Column::right("Per day", "cost_per_day_usd", |(r, _): &Line| {
            Cell::usd(r.cost_per_day_usd)
        }),
        Column::right("Per month", "cost_per_month_usd", |(r, _): &Line| {
            Cell::usd(r.cost_per_month_usd).tone(Tone::Strong)
        }),
        Column::table("Sections", Align::Left, |(r, _): &Line| {
            let parts: Vec<String> = r
                .sections
                .iter()
                .map(|s| format!("{} {}", s.role.as_str(), group_thousands(&s.tokens.to_string())))
                .collect();
            Cell::text(parts.join(" · "))
        })
        .table_if(verbose),
        Column::csv("long_context_above", |(r, _): &Line| {
            Cell::text(r.long_context_above.map(|t| t.to_string()).unwrap_or_default())
        }),
        Column::csv("warnings", |(r, _): &Line| Cell::text(r.warnings.join("; "))),
        Column::csv("turns", |(r, _): &Line| Cell::text(r.turns.to_string())),
        Column::csv("runs_per_day", |(r, _): &Line| Cell::text(r.runs_per_day.to_string())),
        Column::csv("turn_input_tokens", |(r, _): &Line| {
            Cell::text(r.turn_input_tokens.to_string())
        }),
        Column::csv("tool_result_tokens", |(r, _): &Line| {
            Cell::text(r.tool_result_tokens.to_string())
        }),
        Column::csv("cost_per_run_usd", |(r, _): &Line| {
            Cell::text(r.cost_per_run_usd.to_decimal_string())
        }),
        Column::csv("last_call_input_tokens", |(r, _): &Line| {
            Cell::text(r.last_call_input_tokens.to_string())
        }),
        Column::csv("last_call_cost_usd", |(r, _): &Line| {
            Cell::text(r.last_call_cost_usd.to_decimal_string())
        }),
    ]
}

impl Render for Estimate {
    fn table(&self, opts: TableOptions) -> TableData {
        let caching = self.rows.iter().any(|r| r.cache_hit_rate > Micro::ZERO);
        let non_standard = self.rows.iter().any(|r| r.tier != crate::pricing::Tier::Standard);
        // Runs of several calls: turns, runs per day, the last call and the whole run.
        let looping = self.rows.iter().any(|r| r.turns > 1);
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r, i > 0 && self.rows[i - 1].template == r.template))
            .collect();
        let mut data = tabulate(&columns(caching, non_standard, opts.verbose, looping), &lines, opts);
        if opts.machine {
            return data;
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
        let footer: Vec<Cell> = data
            .headers
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
        data.footer = Some(footer);
        data.notes = notes;
        data
    }
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
