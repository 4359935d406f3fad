//! Table, CSV and markdown (PR comment) forms of `cost diff`.

use super::{Align, Cell, Column, Render, TableData, TableOptions, Tone, tabulate, usd2, usd6};
use crate::diff::{Diff, DiffError, DiffRow, SideCost, Status, Verdict};
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

/// One line of the table: a template on a model (`true` on the first line of its template),
/// a template that could not be compared, or the totals.
#[derive(Clone, Copy)]
enum Line<'a> {
    Row(&'a DiffRow, bool),
    Error(&'a DiffError),
    Total(&'a Diff),
}

/// The columns. Tables show the tokens as `old → new`, the model as it changed, and each
/// template's name and status once; CSV has every side's figures, the team, whether the row
/// gates, and the reasons. `Config` is there only when several cost.toml files govern.
fn columns<'a>(configs: bool, looping: bool) -> Vec<Column<'a, Line<'a>>> {
    // A figure of a template's row (blank on the others).
    fn row<'a>(f: impl Fn(&DiffRow) -> Cell + 'a) -> impl Fn(&Line<'a>) -> Cell + 'a {
        move |l: &Line| match l {
            Line::Row(r, _) => f(r),
            _ => Cell::text(""),
        }
    }
    let opt = |v: Option<String>| Cell::text(v.unwrap_or_default());
    vec![
        Column::left("Template", "template", |l: &Line| match l {
            Line::Row(r, true) => Cell::text(&r.template).tone(Tone::Strong),
            Line::Row(r, false) => Cell::text(&r.template).repeated(),
            Line::Error(e) => Cell::text(&e.template).tone(Tone::Strong),
            Line::Total(_) => Cell::text("Total"),
        }),
        Column::left("Config", "config", |l: &Line| match l {
            Line::Row(r, first) => {
                let c = Cell::text(r.config.as_deref().unwrap_or_default());
                if *first { c } else { c.repeated() }
            }
            Line::Error(e) => Cell::text(e.config.as_deref().unwrap_or_default()),
            Line::Total(_) => Cell::text(""),
        })
        .only_if(configs),
        Column::csv("team", row(|r| Cell::text(r.team.as_deref().unwrap_or_default()))),
        Column::left("Status", "status", |l: &Line| match l {
            Line::Row(r, true) => Cell::text(r.status.as_str()),
            Line::Row(r, false) => Cell::text(r.status.as_str()).repeated(),
            Line::Error(_) => Cell::text("error"),
            Line::Total(_) => Cell::text(""),
        }),
        Column::left("Model", "model", row(|r| Cell::new(model(r), &r.model))),
        Column::csv("primary", row(|r| Cell::text(r.primary.to_string()))),
        Column::csv(
            "exact",
            row(|r| Cell::text(r.new.as_ref().or(r.old.as_ref()).is_some_and(|c| c.exact).to_string())),
        ),
        Column::csv("calls_per_day", row(|r| Cell::text(r.calls_per_day.to_string()))),
        Column::table("Input tokens", Align::Right, row(|r| Cell::text(tokens_old_new(r)))),
        Column::csv(
            "old_input_tokens",
            row(move |r| opt(r.old.as_ref().map(|c| c.input_tokens.to_string()))),
        ),
        Column::csv(
            "new_input_tokens",
            row(move |r| opt(r.new.as_ref().map(|c| c.input_tokens.to_string()))),
        ),
        Column::right(
            "Δ tokens",
            "delta_input_tokens",
            row(|r| Cell::new(signed_tokens(r.delta.input_tokens), r.delta.input_tokens.to_string())),
        ),
        Column::csv(
            "old_cost_per_month_usd",
            row(move |r| opt(r.old.as_ref().map(|c| c.cost_per_month_usd.to_decimal_string()))),
        ),
        Column::csv(
            "new_cost_per_month_usd",
            row(move |r| opt(r.new.as_ref().map(|c| c.cost_per_month_usd.to_decimal_string()))),
        ),
        Column::right(
            "Δ per call",
            "delta_cost_per_call_usd",
            row(|r| {
                let v = r.delta.cost_per_call_usd;
                Cell::new(signed_usd6(v), v.to_decimal_string())
            }),
        ),
        // Runs of several calls: a change to every call, times the turns.
        Column::table(
            "Δ per run",
            Align::Right,
            row(|r| Cell::text(signed_usd6(r.delta.cost_per_run_usd))),
        )
        .table_if(looping),
        Column::right("Δ per month", "delta_cost_per_month_usd", |l: &Line| match l {
            Line::Row(r, _) => {
                let v = r.delta.cost_per_month_usd;
                Cell::new(signed_usd2(v), v.to_decimal_string()).tone(Tone::Strong)
            }
            Line::Error(_) => Cell::text(""),
            Line::Total(d) => Cell::text(signed_usd2(d.totals.delta_cost_per_month_usd)),
        }),
        Column::right(
            "Δ %",
            "delta_pct",
            row(|r| Cell::new(pct(r), r.delta.pct.map(|p| p.to_string()).unwrap_or_default())),
        ),
        // CSV names a row that does not gate `info`.
        Column::left("Verdict", "verdict", |l: &Line| match l {
            Line::Row(r, _) => Cell::new(verdict(r), r.verdict.map_or("info", Verdict::as_str)).tone(tone(r.verdict)),
            Line::Error(_) => Cell::text("error").tone(Tone::Bad),
            Line::Total(d) if d.errors.is_empty() => Cell::text(d.verdict.as_str()).tone(tone(Some(d.verdict))),
            Line::Total(_) => Cell::text("error").tone(Tone::Bad),
        }),
        Column::csv("reasons", row(|r| Cell::text(r.reasons.join("; ")))),
        Column::csv("turns", row(|r| Cell::text(r.turns.to_string()))),
        Column::csv("runs_per_day", row(|r| Cell::text(r.runs_per_day.to_string()))),
        Column::csv(
            "delta_cost_per_run_usd",
            row(|r| Cell::text(r.delta.cost_per_run_usd.to_decimal_string())),
        ),
    ]
}

impl Render for Diff {
    fn table(&self, opts: TableOptions) -> TableData {
        // A monorepo with several cost.toml files: which one governs each row.
        let columns = columns(self.several_configs(), self.looping());
        let mut lines = Vec::new();
        let mut last = None;
        for r in &self.templates {
            lines.push(Line::Row(r, last != Some((&r.config, &r.template))));
            last = Some((&r.config, &r.template));
        }
        if opts.machine {
            return tabulate(&columns, &lines, opts);
        }
        lines.extend(self.errors.iter().map(Line::Error));
        let mut data = tabulate(&columns, &lines, opts);
        data.footer = tabulate(&columns, &[Line::Total(self)], opts).rows.pop();
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
        data.findings = findings;
        data.notes = notes;
        data
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
