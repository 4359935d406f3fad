//! Table form of `cost estimate`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone};
use crate::estimate::Estimate;
use crate::money::Micro;

impl Render for Estimate {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            return machine_table(self);
        }
        let verbose = opts.verbose;
        let caching = self.rows.iter().any(|r| r.cache_hit_rate > Micro::ZERO);
        let non_standard = self.rows.iter().any(|r| r.tier != crate::pricing::Tier::Standard);
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
        headers.push(("Calls/day".into(), Align::Right));
        headers.push(("Per call".into(), Align::Right));
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
            row.push(Cell::count(r.calls_per_day));
            // `*`: billed at long-context prices; `!`: see the warnings under the table.
            let mark = match (r.long_context_above.is_some(), r.warnings.is_empty()) {
                (_, false) => "!",
                (true, true) => "*",
                _ => "",
            };
            let per_call = Cell::usd_small(r.cost_per_call_usd);
            row.push(
                Cell::new(format!("{mark}{}", per_call.display), per_call.raw).tone(if mark == "!" {
                    Tone::Warn
                } else {
                    Tone::Plain
                }),
            );
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
            notes.push("Cached: prompt-prefix tokens per call read from the provider's cache (cache_hit_rate × cacheable prefix)".to_string());
            if self
                .rows
                .iter()
                .any(|r| r.cache_hit_rate > Micro::ZERO && r.cacheable_prefix_tokens == 0)
            {
                notes.push("–: the static prefix (text before the first {{ }} or {% %}) is under the provider's caching minimum (1,024 tokens for most models)".to_string());
            }
        }
        for r in &self.rows {
            if let Some(t) = r.long_context_above {
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
            ]
        })
        .collect();
    super::machine_table(&headers, rows)
}
