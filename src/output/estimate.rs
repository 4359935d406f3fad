//! Table form of `cost estimate`.

use super::{Align, Cell, Render, TableData, Tone};
use crate::estimate::Estimate;
use crate::money::Micro;

impl Render for Estimate {
    fn table(&self, verbose: bool) -> TableData {
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
            row.push(Cell::usd_small(r.cost_per_call_usd));
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
        if let Some(r) = self.rows.iter().find(|r| r.long_context_above.is_some()) {
            notes.push(format!(
                "{} on {}: input above {} tokens, the whole request is billed at long-context prices",
                r.template,
                r.model,
                crate::money::group_thousands(&r.long_context_above.unwrap_or(0).to_string())
            ));
        }
        notes.push(format!(
            "Prices: LiteLLM snapshot {} and cost.toml [prices]; a month is {} days.",
            self.prices_as_of, self.days_per_month
        ));
        TableData {
            headers,
            rows,
            footer: None,
            notes,
        }
    }
}
