//! Table, CSV and markdown (PR comment) forms of `cost diff`.

use super::{Align, Cell, Render, TableData, TableOptions, Tone, usd2, usd6};
use crate::diff::{Diff, DiffRow, Status, Verdict};
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

fn tokens_old_new(r: &DiffRow) -> String {
    let t = |c: &Option<crate::diff::SideCost>| {
        c.as_ref()
            .map_or("–".to_string(), |c| group_thousands(&c.input_tokens.to_string()))
    };
    format!("{} → {}", t(&r.old), t(&r.new))
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

fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::Ok => Tone::Good,
        Verdict::Warn => Tone::Warn,
        Verdict::Fail => Tone::Bad,
    }
}

/// The "why" of a row: which sections gained or lost tokens.
fn why(r: &DiffRow) -> String {
    r.sections
        .iter()
        .map(|s| format!("{} {}", s.role.as_str(), signed_tokens(s.delta_tokens)))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Render for Diff {
    fn table(&self, opts: TableOptions) -> TableData {
        if opts.machine {
            return machine_table(self);
        }
        let headers = [
            ("Template", Align::Left),
            ("Status", Align::Left),
            ("Model", Align::Left),
            ("Input tokens", Align::Right),
            ("Δ tokens", Align::Right),
            ("Δ per call", Align::Right),
            ("Δ per month", Align::Right),
            ("Δ %", Align::Right),
            ("Verdict", Align::Left),
        ]
        .into_iter()
        .map(|(h, a)| (h.to_string(), a))
        .collect();
        let mut rows = Vec::new();
        let mut last = None;
        for r in &self.templates {
            let first = last != Some(&r.template);
            last = Some(&r.template);
            rows.push(vec![
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
                Cell::text(if r.primary {
                    r.model.clone()
                } else {
                    format!("{} (info)", r.model)
                }),
                Cell::text(tokens_old_new(r)),
                Cell::text(signed_tokens(r.delta.input_tokens)),
                Cell::text(signed_usd6(r.delta.cost_per_call_usd)),
                Cell::text(signed_usd2(r.delta.cost_per_month_usd)).tone(Tone::Strong),
                Cell::text(pct(r)),
                if r.primary {
                    Cell::text(r.verdict.as_str()).tone(tone(r.verdict))
                } else {
                    Cell::text("")
                },
            ]);
        }
        let footer = vec![
            Cell::text("Total"),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(""),
            Cell::text(signed_usd2(self.totals.delta_cost_per_month_usd)),
            Cell::text(""),
            Cell::text(self.verdict.as_str()).tone(tone(self.verdict)),
        ];
        let mut notes = Vec::new();
        for r in self.templates.iter().filter(|r| r.primary && r.verdict != Verdict::Ok) {
            notes.push(format!(
                "{} {} ({}): {}",
                r.verdict.as_str(),
                r.template,
                r.model,
                r.reasons.join("; ")
            ));
            let why = why(r);
            if !why.is_empty() {
                notes.push(format!("  why: {why}"));
            }
        }
        for e in &self.errors {
            notes.push(format!("error {} ({}): {}", e.template, e.file, e.error));
        }
        notes.push(format!(
            "{} → {}: {} per month ({} → {}) on each template's primary model; {} unchanged.",
            self.base,
            self.head,
            signed_usd2(self.totals.delta_cost_per_month_usd),
            usd2(self.totals.old_cost_per_month_usd),
            usd2(self.totals.new_cost_per_month_usd),
            self.unchanged
        ));
        TableData {
            headers,
            rows,
            footer: Some(footer),
            notes,
        }
    }

    fn markdown(&self) -> Option<String> {
        let mut md = String::new();
        md.push_str("<!-- cost-diff -->\n");
        md.push_str(&format!(
            "### Prompt cost: {} per month ({})\n\n",
            signed_usd2(self.totals.delta_cost_per_month_usd),
            match self.verdict {
                Verdict::Ok => "ok",
                Verdict::Warn => "warning",
                Verdict::Fail => "over threshold",
            }
        ));
        md.push_str(&format!(
            "`{}` → `{}`: {} → {} per month on each template's primary model.\n\n",
            self.base,
            self.head,
            usd2(self.totals.old_cost_per_month_usd),
            usd2(self.totals.new_cost_per_month_usd)
        ));
        if self.templates.is_empty() && self.errors.is_empty() {
            md.push_str(&format!("No template cost changes ({} compared).\n", self.unchanged));
            return Some(md);
        }
        md.push_str(
            "| Template | Status | Model | Input tokens | Δ tokens | Δ per call | Δ per month | Δ % | Verdict |\n",
        );
        md.push_str("|---|---|---|---:|---:|---:|---:|---:|---|\n");
        for r in &self.templates {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                r.template,
                r.status.as_str(),
                if r.primary {
                    r.model.clone()
                } else {
                    format!("{} (info)", r.model)
                },
                tokens_old_new(r),
                signed_tokens(r.delta.input_tokens),
                signed_usd6(r.delta.cost_per_call_usd),
                signed_usd2(r.delta.cost_per_month_usd),
                pct(r),
                if r.primary {
                    format!("**{}**", r.verdict.as_str())
                } else {
                    String::new()
                },
            ));
        }
        md.push('\n');
        for r in self.templates.iter().filter(|r| r.primary) {
            md.push_str(&format!(
                "<details><summary>{} ({}): {}</summary>\n\n",
                r.template,
                r.model,
                r.verdict.as_str()
            ));
            for reason in &r.reasons {
                md.push_str(&format!("- {reason}\n"));
            }
            let why = why(r);
            if !why.is_empty() {
                md.push_str(&format!("- tokens by section: {why}\n"));
            }
            if let (Some(o), Some(n)) = (&r.old, &r.new) {
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
        Some(md)
    }
}

fn machine_table(d: &Diff) -> TableData {
    let headers = [
        "template",
        "status",
        "model",
        "primary",
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
    ];
    let opt = |v: Option<String>| v.unwrap_or_default();
    let rows = d
        .templates
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.template),
                Cell::text(r.status.as_str()),
                Cell::text(&r.model),
                Cell::text(r.primary.to_string()),
                Cell::text(r.calls_per_day.to_string()),
                Cell::text(opt(r.old.as_ref().map(|c| c.input_tokens.to_string()))),
                Cell::text(opt(r.new.as_ref().map(|c| c.input_tokens.to_string()))),
                Cell::text(r.delta.input_tokens.to_string()),
                Cell::text(opt(r.old.as_ref().map(|c| c.cost_per_month_usd.to_decimal_string()))),
                Cell::text(opt(r.new.as_ref().map(|c| c.cost_per_month_usd.to_decimal_string()))),
                Cell::text(r.delta.cost_per_call_usd.to_decimal_string()),
                Cell::text(r.delta.cost_per_month_usd.to_decimal_string()),
                Cell::text(opt(r.delta.pct.map(|p| p.to_string()))),
                Cell::text(r.verdict.as_str()),
                Cell::text(r.reasons.join("; ")),
            ]
        })
        .collect();
    super::machine_table(&headers, rows)
}
