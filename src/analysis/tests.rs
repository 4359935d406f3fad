//! The analyses as the command line and the dashboard call them, on small stores in memory
//! with round prices: `unit-model` costs $1 per million input tokens, `half-model` $0.50.

use super::testing::{day, store};
use super::*;
use crate::config::Config;
use crate::money::Usd;
use crate::period::Period;
use crate::pricing::PriceTable;
use crate::store::query::Dim;

const CONFIG: &str = r#"
[prices."unit-model"]
input = 1.0
output = 0.0
provider = "openai"

[prices."half-model"]
input = 0.5
output = 0.0
provider = "openai"

[teams.growth]
monthly_budget_usd = 100

[[commitments]]
name = "reserved"
model = "unit-model"
monthly_usd = 310
"#;

const USD: i64 = 1_000_000_000;

fn config() -> Config {
    Config::parse(CONFIG, None).expect("the test configuration")
}

fn usd(v: f64) -> Usd {
    Usd::from_f64(v).expect("dollars")
}

fn october(since: u32, until: u32) -> Period {
    Period {
        since: day(&format!("2026-10-{since:02}")),
        until: day(&format!("2026-10-{until:02}")),
    }
}

#[test]
fn budget_counts_the_month_to_today_against_each_team() {
    let s = store(&[
        ("2026-09-30", "growth", "t", "unit-model", 0, 7 * USD),
        ("2026-10-01", "growth", "t", "unit-model", 0, 10 * USD),
        ("2026-10-02", "growth", "t", "unit-model", 0, 15 * USD),
        ("2026-10-02", "support", "t", "unit-model", 0, 3 * USD),
        ("2026-10-09", "growth", "t", "unit-model", 0, 99 * USD),
    ]);
    let params = budget::Params {
        month: day("2026-10-01"),
        today: day("2026-10-05"),
    };
    let b = budget::compute(Some(&s), &config(), &params).unwrap();
    assert_eq!(b.month, "2026-10");
    assert!(!b.empty_store);
    let growth = b.teams.iter().find(|t| t.team.as_deref() == Some("growth")).unwrap();
    // September and days after today are not the month's spend.
    assert_eq!(growth.spent_usd, Some(usd(25.0)));
    assert_eq!(growth.budget_usd, Some(usd(100.0)));
    assert_eq!(growth.pct, Some(25.0));
    let support = b.teams.iter().find(|t| t.team.as_deref() == Some("support")).unwrap();
    assert_eq!(support.spent_usd, Some(usd(3.0)));
    assert_eq!(support.budget_usd, None);

    let none = budget::compute(None, &config(), &params).unwrap();
    assert!(none.empty_store);
    assert_eq!(none.teams.len(), 1, "only the configured team");
}

#[test]
fn showback_prorates_the_commitment_and_shares_its_use() {
    let s = store(&[
        ("2026-10-02", "growth", "t", "unit-model", 20_000_000, 20 * USD),
        (
            "2026-10-03",
            "support",
            "t",
            "unit-model-2026-01-01",
            60_000_000,
            60 * USD,
        ),
        ("2026-10-03", "support", "t", "half-model", 0, 5 * USD),
        ("2026-10-12", "support", "t", "unit-model", 0, 500 * USD),
    ]);
    let config = config();
    let prices = PriceTable::load(&config.prices).unwrap();
    let params = showback::Params {
        month: day("2026-10-01"),
        today: day("2026-10-10"),
    };
    let sb = showback::compute(Some(&s), &config, &prices, &params).unwrap();
    assert_eq!((sb.since.as_str(), sb.until.as_str()), ("2026-10-01", "2026-10-10"));
    let [c] = sb.commitments.as_slice() else {
        panic!("one commitment: {:?}", sb.commitments)
    };
    // $310 a month over 10 of October's 31 days; a dated snapshot counts, another model not.
    assert_eq!(c.committed_usd, usd(100.0));
    assert_eq!(c.consumed_list_usd, usd(80.0));
    assert_eq!(c.requests, 2);
    assert_eq!(c.utilization_pct, 80.0);
    assert_eq!(c.idle_usd, usd(20.0));
    let shares: Vec<(Option<&str>, f64)> = c.teams.iter().map(|t| (t.team.as_deref(), t.share_pct)).collect();
    assert_eq!(shares, [(Some("support"), 75.0), (Some("growth"), 25.0)]);
}

#[test]
fn anomalies_find_the_spike_in_every_dimension_and_nothing_in_a_flat_series() {
    let mut rows: Vec<(String, i64)> = Vec::new();
    let start = day("2026-09-01");
    for i in 0..40 {
        let d = start.checked_add(jiff::Span::new().days(i)).unwrap();
        rows.push((d.to_string(), if d == day("2026-10-10") { 100 * USD } else { 10 * USD }));
    }
    let spiky: Vec<_> = rows
        .iter()
        .map(|(d, c)| (d.as_str(), "growth", "t", "unit-model", 0, *c))
        .collect();
    let params = anomalies::Params {
        period: october(1, 10),
        threshold: 4.0,
        min_usd: 1.0,
        days_per_month: 30.0,
    };
    let found = anomalies::compute(Some(&store(&spiky)), &params).unwrap();
    let spikes: Vec<(Dim, Option<&str>, &str, Option<Usd>)> = found
        .anomalies
        .iter()
        .filter(|a| a.kind == anomalies::Kind::Spike)
        .map(|a| (a.dimension, a.key.as_deref(), a.date.as_str(), a.excess_usd))
        .collect();
    assert_eq!(
        spikes.len(),
        3,
        "one per team, template and model: {:?}",
        found.anomalies
    );
    for dim in [Dim::Team, Dim::Template, Dim::Model] {
        assert!(
            spikes
                .iter()
                .any(|s| s.0 == dim && s.2 == "2026-10-10" && s.3 == Some(usd(90.0))),
            "{spikes:?}"
        );
    }
    assert_eq!(found.unpriced_requests, 0);

    let flat: Vec<_> = rows
        .iter()
        .map(|(d, _)| (d.as_str(), "growth", "t", "unit-model", 0, 10 * USD))
        .collect();
    let calm = anomalies::compute(Some(&store(&flat)), &params).unwrap();
    assert!(calm.anomalies.is_empty(), "{:?}", calm.anomalies);
    assert_eq!((calm.since.as_str(), calm.until.as_str()), ("2026-10-01", "2026-10-10"));
}

#[test]
fn cache_groups_the_period_and_asks_for_templates_only_by_template() {
    let s = store(&[
        ("2026-10-02", "growth", "answer", "unit-model", 1_000, 1_000_000),
        ("2026-10-03", "growth", "answer", "unit-model", 3_000, 3_000_000),
        ("2026-10-03", "support", "triage", "unit-model", 500, 500_000),
        ("2026-11-01", "support", "triage", "unit-model", 9_999, 9_999_000),
    ]);
    let config = config();
    let prices = PriceTable::load(&config.prices).unwrap();
    let mut params = cache::Params {
        period: october(1, 31),
        by: vec![Dim::Team],
        teams: Vec::new(),
        days_per_month: 30.0,
    };
    let (report, warnings) =
        cache::compute(Some(&s), &prices, &params, || panic!("not asked without --by template")).unwrap();
    assert!(warnings.is_empty());
    let rows: Vec<(Option<&str>, i64, i64)> = report
        .rows
        .iter()
        .map(|r| (r.dims["team"].as_deref(), r.requests, r.input_tokens))
        .collect();
    assert_eq!(rows, [(Some("growth"), 2, 4_000), (Some("support"), 1, 500)]);
    assert_eq!((report.totals.requests, report.totals.input_tokens), (3, 4_500));
    assert_eq!(report.totals.cache_hit_rate, Some(0.0));
    assert_eq!(
        report.opportunities_note.as_deref(),
        Some("Opportunities are listed with --by template.")
    );

    params.by = vec![Dim::Template];
    params.teams = vec!["support".into()];
    let (report, warnings) = cache::compute(Some(&s), &prices, &params, || {
        Err(crate::error::Error::usage("no templates here"))
    })
    .unwrap();
    assert!(warnings.is_empty());
    assert_eq!(report.rows.len(), 1);
    assert_eq!(report.rows[0].dims["template"].as_deref(), Some("triage"));
    assert_eq!(
        report.opportunities_note.as_deref(),
        Some("Opportunities need the templates of this repository: no templates here")
    );
}

#[test]
fn whatif_reprices_what_is_on_the_from_model_and_warns_when_nothing_is() {
    let s = store(&[
        ("2026-10-02", "growth", "t", "unit-model", 2_000_000, 2 * USD),
        ("2026-10-02", "support", "t", "unit-model", 4_000_000, 4 * USD),
        ("2026-10-03", "support", "t", "half-model", 2_000_000, USD),
    ]);
    let config = config();
    let prices = PriceTable::load(&config.prices).unwrap();
    let mut params = whatif::Params {
        period: october(1, 31),
        by: vec![Dim::Team],
        teams: Vec::new(),
        templates: Vec::new(),
        from: Some("unit-model".into()),
        model: Some("half-model".into()),
        tier: None,
        cache_hit_rate: None,
    };
    let (w, warnings) = whatif::compute(Some(&s), &prices, &params).unwrap();
    assert!(warnings.is_empty());
    let rows: Vec<(Option<&str>, Usd, Usd, Usd)> = w
        .rows
        .iter()
        .map(|r| (r.dims["team"].as_deref(), r.current_usd, r.scenario_usd, r.saving_usd))
        .collect();
    assert_eq!(
        rows,
        [
            (Some("support"), usd(5.0), usd(3.0), usd(2.0)),
            (Some("growth"), usd(2.0), usd(1.0), usd(1.0)),
        ]
    );
    assert_eq!((w.totals.requests, w.totals.saving_usd), (3, usd(3.0)));

    params.from = Some("gpt-4o".into());
    let (w, warnings) = whatif::compute(Some(&s), &prices, &params).unwrap();
    assert_eq!(
        warnings,
        ["warning: no usage in the period is on --from gpt-4o: nothing was repriced"]
    );
    assert_eq!(w.totals.saving_usd, Usd::ZERO);
}
