//! Table, CSV and markdown (PR comment) forms of `cost diff`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, usd2, usd6};
use crate::diff::{Diff, DiffRow, SideCost, Status, Verdict};
use crate::money::{Usd, group_thousands};

fn signed_usd2(v: Usd) -> String {
    if v > Usd::ZERO {
        format!("+{}", usd2(v))
    } else {
        usd2(v)
    }
}

fn signed_usd6(v: Usd) -> String {
    if v > Usd::ZERO {
        format!("+{}", usd6(v))
    } else {
        usd6(v)
    }
}

fn signed_tokens(n: i64) -> String {
    let s = group_thousands(&n.unsigned_abs().to_string());
    match n.signum() {
        1 => format!("+{s}"),
        -1 => format!("-{s}"),
        _ => "0".into(),
    }
}

fn tokens(c: &Option<SideCost>) -> String {
    c.as_ref().map_or("–".to_string(), |c| {
        let n = group_thousands(&c.input_tokens.to_string());
        if c.exact { n } else { format!("≈{n}") }
    })
}

fn tokens_old_new(r: &DiffRow) -> String {
    format!("{} → {}", tokens(&r.old), tokens(&r.new))
}

/// The model, `old → new` when the production model changed, `(info)` when it does not gate.
fn model(r: &DiffRow) -> String {
    let shown = match (&r.old, &r.new) {
        (Some(o), Some(n)) if o.model != n.model => format!("{} → {}", o.model, n.model),
        _ => r.model.clone(),
    };
    if r.primary { shown } else { format!("{shown} (info)") }
}

/// The model, preceded by the governing cost.toml when a monorepo has several.
fn where_model(r: &DiffRow) -> String {
    match &r.config {
        Some(c) => format!("{c}, {}", model(r)),
        None => model(r),
    }
}

impl Diff {
    /// Whether any template runs as several calls (`turns` > 1 on either side): the tables
    /// then show what a run costs too.
    fn looping(&self) -> bool {
        self.templates.iter().any(runs_several_calls)
    }

    /// Whether rows come from several cost.toml files (a monorepo), so each names its own.
    fn several_configs(&self) -> bool {
        self.templates.iter().any(|r| r.config.is_some()) || self.errors.iter().any(|e| e.config.is_some())
    }
}

fn pct(r: &DiffRow) -> String {
    match (r.delta.pct, r.status) {
        (_, Status::Added) => "new".into(),
        (_, Status::Removed) => "removed".into(),
        (Some(p), _) if p > 0.0 => format!("+{p:.1}%"),
        (Some(p), _) => format!("{p:.1}%"),
        (None, _) => "–".into(),
    }
}

/// Whether a row's template runs as several calls on either side.
fn runs_several_calls(r: &DiffRow) -> bool {
    r.turns > 1 || r.old.as_ref().is_some_and(|c| c.turns > 1)
}

fn verdict(r: &DiffRow) -> &'static str {
    r.verdict.map_or("", Verdict::as_str)
}

fn tone(v: Option<Verdict>) -> Tone {
    match v {
        Some(Verdict::Ok) => Tone::Good,
        Some(Verdict::Warn) => Tone::Warn,
        Some(Verdict::Fail) => Tone::Bad,
        None => Tone::Dim,
    }
}

/// The "why" of a row: which sections gained or lost tokens, and what else changed.
fn why(r: &DiffRow) -> String {
    let mut parts: Vec<String> = r
        .sections
        .iter()
        .map(|s| format!("{} {}", s.role.as_str(), signed_tokens(s.delta_tokens)))
        .collect();
    parts.extend(r.drivers.iter().cloned());
    parts.join(", ")
}

impl Render for Diff {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            return machine_table(self);
        }
        // A monorepo with several cost.toml files: which one governs each row.
        let configs = self.several_configs();
        let looping = self.looping();
        let headers = [
            ("Template", Align::Left),
            ("Config", Align::Left),
            ("Status", Align::Left),
            ("Model", Align::Left),
            ("Input tokens", Align::Right),
            ("Δ tokens", Align::Right),
            ("Δ per call", Align::Right),
            ("Δ per run", Align::Right),
            ("Δ per month", Align::Right),
            ("Δ %", Align::Right),
            ("Verdict", Align::Left),
        ]
        .into_iter()
        .filter(|(h, _)| configs || *h != "Config")
        .filter(|(h, _)| looping || *h != "Δ per run")
        .map(|(h, a)| (h.to_string(), a))
        .collect();
        let mut rows = Vec::new();
        let mut last = None;
        for r in &self.templates {
            let first = last != Some((&r.config, &r.template));
            last = Some((&r.config, &r.template));
            let mut row = vec![
                if first {
                    Cell::text(&r.template).tone(Tone::Strong)
                } else {
                    Cell::new("", r.template.clone())
                },
                if first {
                    Cell::text(r.status.as_str())
                } else {
                    Cell::new("", r.status.as_str())
                },
                Cell::text(model(r)),
                Cell::text(tokens_old_new(r)),
                Cell::text(signed_tokens(r.delta.input_tokens)),
                Cell::text(signed_usd6(r.delta.cost_per_call_usd)),
                Cell::text(signed_usd2(r.delta.cost_per_month_usd)).tone(Tone::Strong),
                Cell::text(pct(r)),
                Cell::text(verdict(r)).tone(tone(r.verdict)),
            ];
            if looping {
                row.insert(6, Cell::text(signed_usd6(r.delta.cost_per_run_usd)));
            }
            if configs {
                let c = r.config.clone().unwrap_or_default();
                row.insert(1, if first { Cell::text(c) } else { Cell::new("", c) });
            }
            rows.push(row);
        }
        for e in &self.errors {
            let mut row = vec![
                Cell::text(&e.template).tone(Tone::Strong),
                Cell::text("error"),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text(""),
                Cell::text("error").tone(Tone::Bad),
            ];
            if looping {
                row.insert(6, Cell::text(""));
            }
            if configs {
                row.insert(1, Cell::text(e.config.clone().unwrap_or_default()));
            }
            rows.push(row);
        }
        let mut footer = vec![
            Cell::text("Total"),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(signed_usd2(self.totals.delta_cost_per_month_usd)),
            Cell::text(""),
            Cell::text(if self.errors.is_empty() {
                self.verdict.as_str()
            } else {
                "error"
            })
            .tone(if self.errors.is_empty() {
                tone(Some(self.verdict))
            } else {
                Tone::Bad
            }),
        ];
        if looping {
            footer.insert(6, Cell::text(""));
        }
        if configs {
            footer.insert(1, Cell::text(""));
        }
        let mut findings = Vec::new();
        for r in self
            .templates
            .iter()
            .filter(|r| matches!(r.verdict, Some(Verdict::Warn | Verdict::Fail)))
        {
            findings.push(format!(
                "{} {} ({}): {}",
                verdict(r),
                r.template,
                where_model(r),
                r.reasons.join("; ")
            ));
            let why = why(r);
            if !why.is_empty() {
                findings.push(format!("  why: {why}"));
            }
        }
        for e in &self.errors {
            findings.push(format!("error {}: {}", e.template, e.error));
        }
        let mut notes = Vec::new();
        for s in &self.skipped {
            notes.push(format!("skipped {s}"));
        }
        notes.push(format!(
            "{} → {}: {} per month on the changed templates ({} → {}), each on its production model; {} unchanged.",
            self.base,
            self.head,
            signed_usd2(self.totals.delta_cost_per_month_usd),
            usd2(self.totals.old_cost_per_month_usd),
            usd2(self.totals.new_cost_per_month_usd),
            self.unchanged
        ));
        if self.templates.iter().any(|r| !r.primary) {
            notes.push("(info): another model the rule prices the template on; it does not gate.".into());
        }
        TableData {
            headers,
            rows,
            footer: Some(footer),
            findings,
            notes,
        }
    }

    fn markdown(&self) -> Option<String> {
        let mut md = String::new();
        md.push_str("<!-- cost-diff -->\n");
        let state = if !self.errors.is_empty() {
            "could not price every template"
        } else {
            match self.verdict {
                Verdict::Ok => "ok",
                Verdict::Warn => "warning",
                Verdict::Fail => "over threshold",
            }
        };
        md.push_str(&format!(
            "### Prompt cost: {} per month ({state})\n\n",
            signed_usd2(self.totals.delta_cost_per_month_usd)
        ));
        md.push_str(&format!(
            "`{}` → `{}`. The changed templates cost {} → {} per month on their production models (prices: LiteLLM snapshot {}).\n\n",
            self.base,
            self.head,
            usd2(self.totals.old_cost_per_month_usd),
            usd2(self.totals.new_cost_per_month_usd),
            self.prices_as_of
        ));
        if self.templates.is_empty() && self.errors.is_empty() {
            md.push_str(&format!("No template cost changes ({} compared).\n", self.unchanged));
            return Some(md);
        }
        let configs = self.several_configs();
        let looping = self.looping();
        let run_col = |v: String| if looping { format!(" {v} |") } else { String::new() };
        let config_col = |c: &Option<String>| {
            if configs {
                format!(" `{}` |", c.as_deref().unwrap_or(""))
            } else {
                String::new()
            }
        };
        md.push_str(&format!(
            "| Template |{} Team | Status | Model | Input tokens | Δ tokens | Δ per call |{} Δ per month | Δ % | Verdict |\n",
            if configs { " Config |" } else { "" },
            if looping { " Δ per run |" } else { "" }
        ));
        md.push_str(&format!(
            "|---|{}---|---|---|---:|---:|---:|{}---:|---:|---|\n",
            if configs { "---|" } else { "" },
            if looping { "---:|" } else { "" }
        ));
        for r in &self.templates {
            md.push_str(&format!(
                "| {} |{} {} | {} | {} | {} | {} | {} |{} {} | {} | {} |\n",
                r.template,
                config_col(&r.config),
                r.team.as_deref().unwrap_or(""),
                r.status.as_str(),
                model(r),
                tokens_old_new(r),
                signed_tokens(r.delta.input_tokens),
                signed_usd6(r.delta.cost_per_call_usd),
                run_col(signed_usd6(r.delta.cost_per_run_usd)),
                signed_usd2(r.delta.cost_per_month_usd),
                pct(r),
                r.verdict.map(|v| format!("**{}**", v.as_str())).unwrap_or_default(),
            ));
        }
        for e in &self.errors {
            md.push_str(&format!(
                "| {} |{} | error |{} **error** |\n",
                e.template,
                config_col(&e.config),
                " |".repeat(if looping { 7 } else { 6 })
            ));
        }
        md.push('\n');
        for r in self.templates.iter().filter(|r| r.primary) {
            md.push_str(&format!(
                "<details><summary>{} ({}): {}</summary>\n\n",
                r.template,
                where_model(r),
                verdict(r)
            ));
            for reason in &r.reasons {
                md.push_str(&format!("- {reason}\n"));
            }
            let why = why(r);
            if !why.is_empty() {
                md.push_str(&format!("- what changed: {why}\n"));
            }
            if let (Some(o), Some(n), true) = (&r.old, &r.new, runs_several_calls(r)) {
                md.push_str(&format!(
                    "- {} runs/day × {} turns: {} → {} per run ({} → {} first call), {} → {} per month\n",
                    group_thousands(&r.runs_per_day.to_string()),
                    r.turns,
                    usd6(o.cost_per_run_usd),
                    usd6(n.cost_per_run_usd),
                    usd6(o.cost_per_call_usd),
                    usd6(n.cost_per_call_usd),
                    usd2(o.cost_per_month_usd),
                    usd2(n.cost_per_month_usd)
                ));
            } else if let (Some(o), Some(n)) = (&r.old, &r.new) {
                md.push_str(&format!(
                    "- {} calls/day: {} → {} per call, {} → {} per month\n",
                    group_thousands(&r.calls_per_day.to_string()),
                    usd6(o.cost_per_call_usd),
                    usd6(n.cost_per_call_usd),
                    usd2(o.cost_per_month_usd),
                    usd2(n.cost_per_month_usd)
                ));
            }
            md.push_str("\n</details>\n");
        }
        for e in &self.errors {
            md.push_str(&format!("\n**error** in `{}`: {}\n", e.file, e.error));
        }
        if self.templates.iter().any(|r| !r.primary) {
            md.push_str(
                "\n_(info)_ rows price the template on the rule's other models; only the production model gates.\n",
            );
        }
        if matches!(self.verdict, Verdict::Warn | Verdict::Fail) {
            md.push_str("\nTo accept a breach, shrink the prompt, or raise the rule's `warn_*`/`fail_*` thresholds in `cost.toml` in this change so the budget owner reviews it.\n");
        }
        Some(md)
    }
}

fn machine_table(d: &Diff) -> TableData {
    let configs = d.several_configs();
    let headers = [
        "template",
        "config",
        "team",
        "status",
        "model",
        "primary",
        "exact",
        "calls_per_day",
        "old_input_tokens",
        "new_input_tokens",
        "delta_input_tokens",
        "old_cost_per_month_usd",
        "new_cost_per_month_usd",
        "delta_cost_per_call_usd",
        "delta_cost_per_month_usd",
        "delta_pct",
        "verdict",
        "reasons",
        "turns",
        "runs_per_day",
        "delta_cost_per_run_usd",
    ];
    let headers: Vec<&str> = headers.into_iter().filter(|h| configs || *h != "config").collect();
    let opt = |v: Option<String>| v.unwrap_or_default();
    let rows = d
        .templates
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::text(&r.template),
                Cell::text(r.team.clone().unwrap_or_default()),
                Cell::text(r.status.as_str()),
                Cell::text(&r.model),
                Cell::text(r.primary.to_string()),
                Cell::text(r.new.as_ref().or(r.old.as_ref()).is_some_and(|c| c.exact).to_string()),
                Cell::text(r.calls_per_day.to_string()),
                Cell::text(opt(r.old.as_ref().map(|c| c.input_tokens.to_string()))),
                Cell::text(opt(r.new.as_ref().map(|c| c.input_tokens.to_string()))),
                Cell::text(r.delta.input_tokens.to_string()),
                Cell::text(opt(r.old.as_ref().map(|c| c.cost_per_month_usd.to_decimal_string()))),
                Cell::text(opt(r.new.as_ref().map(|c| c.cost_per_month_usd.to_decimal_string()))),
                Cell::text(r.delta.cost_per_call_usd.to_decimal_string()),
                Cell::text(r.delta.cost_per_month_usd.to_decimal_string()),
                Cell::text(opt(r.delta.pct.map(|p| p.to_string()))),
                Cell::text(r.verdict.map_or("info", Verdict::as_str)),
                Cell::text(r.reasons.join("; ")),
                Cell::text(r.turns.to_string()),
                Cell::text(r.runs_per_day.to_string()),
                Cell::text(r.delta.cost_per_run_usd.to_decimal_string()),
            ];
            if configs {
                row.insert(1, Cell::text(r.config.clone().unwrap_or_default()));
            }
            row
        })
        .collect();
    super::machine_table(&headers, rows)
}
