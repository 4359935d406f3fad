//! From a parsed record to a row for the store: the backstop checks on its counts and cost,
//! then pricing, attribution (`[teams.*]`, `--team`, `--template`), the dedupe key and scrubbing.

use super::key::{hash_key, tags_json};
use super::pricer::Pricer;
use super::{Options, UsageRecord, agents, fields, lenient, record, scrub};
use crate::config::Team;
use crate::store::NewRequest;
use std::collections::BTreeMap;

/// Every importer checks the counts it reads; this is the backstop on what a record holds
/// after its buckets were derived (a sum of two fields, a split), so no record can carry a
/// count that would make a sum wrap.
pub(super) fn check_counts(rec: &UsageRecord) -> std::result::Result<(), String> {
    let t = &rec.tokens;
    let buckets = [
        ("uncached input", t.uncached_input),
        ("cache read", t.cache_read),
        ("cache write (5m)", t.cache_write_5m),
        ("cache write (1h)", t.cache_write_1h),
        ("output", t.output),
        ("reasoning", t.reasoning),
        ("requests", rec.requests),
    ];
    for (name, n) in buckets {
        if n > lenient::MAX_TOKENS {
            return Err(format!("{name} count {n} is above the 10^12 one record can hold"));
        }
    }
    Ok(())
}

/// The most one record may cost: far above any real call or daily aggregate, far below what
/// would make sums of nano-dollars wrap.
pub const MAX_RECORD_COST_NANOS: i64 = 1_000_000_000 * 1_000_000_000;

/// A record priced above [`MAX_RECORD_COST_NANOS`] has a count or a price that cannot be right
/// (price tables have held per-token prices entered per million).
pub(super) fn check_cost(row: &NewRequest) -> std::result::Result<(), String> {
    if row.cost_nanos > MAX_RECORD_COST_NANOS {
        return Err(format!(
            "priced at more than $1,000,000,000 for one record ({} tokens on {}): check its counts and the price of {}",
            row.tokens.total_input() + row.tokens.output,
            row.model,
            row.model_priced.as_deref().unwrap_or(&row.model)
        ));
    }
    Ok(())
}

/// Prices, attributes and keys a record.
pub fn prepare(rec: UsageRecord, source: &'static str, line: u64, pricer: &mut Pricer, opts: &Options) -> NewRequest {
    let mut rec = rec;
    // The developer is set after the key is computed (stores keep their keys), but decides
    // the team through `[teams.*] users`.
    let user = match &rec.user {
        Some(_) => None,
        None => opts
            .user
            .clone()
            .or_else(|| agents::is_agent(source).then(agents::os_user).flatten()),
    };
    if rec.team.is_none() {
        rec.team = team_from_config(&rec, user.as_deref(), opts.teams).or_else(|| opts.team.clone());
    }
    if rec.template.is_none() {
        rec.template = opts.template.clone();
    }
    // The key is computed from the record as logged, so stores keep their keys.
    // A source's own key may hold a group-by value (usage exports key rows by API key and
    // project): a secret in it is hashed like anywhere else.
    let key = match &rec.key {
        Some(k) => scrub::key(k).into_owned(),
        None => hash_key(source, &rec),
    };
    if user.is_some() {
        rec.user = user;
    }
    if agents::is_agent(source) {
        rec.tags.entry("agent".into()).or_insert_with(|| source.to_string());
    }
    scrub::record(&mut rec);
    let priced = pricer.price(&rec);
    let mut flags = rec.flags.clone();
    if let Some(f) = priced.flag {
        flags.push(f);
    }
    let tags = (!rec.tags.is_empty()).then(|| tags_json(&rec.tags));
    NewRequest {
        key,
        ts_ms: rec.timestamp_ms,
        day: fields::day_of(rec.timestamp_ms),
        source: rec.origin.unwrap_or(source),
        provider: rec.provider.unwrap_or_default(),
        model: rec.model,
        model_priced: priced.key,
        tier: rec.tier,
        tokens: rec.tokens,
        requests: rec.requests,
        team: rec.team,
        template: rec.template,
        template_version: rec.template_version,
        api_key_id: rec.api_key_id,
        project: rec.project,
        user: rec.user,
        tags,
        tag_pairs: rec.tags.into_iter().collect(),
        session: rec.session,
        status: rec.status.map(record::Status::as_str),
        latency_ms: rec.latency_ms.map(|l| l.min(i64::MAX as u64) as i64),
        cost_nanos: priced.cost_nanos,
        price_source: priced.source,
        unpriced: priced.unpriced,
        // A stated cost is kept for comparison only when it can be one (finite, ≥ 0, < $1M).
        reported_cost_nanos: rec
            .reported_cost_usd
            .filter(|c| c.is_finite() && (0.0..1e6).contains(c))
            .map(|c| (c * 1e9).round() as i64),
        flags: (!flags.is_empty()).then(|| flags.join(",")),
        line,
        largest_output_wins: rec.largest_output_wins,
        stored_price_source: None,
    }
}

/// A team from `[teams.*]`: its `api_keys`, `projects`, `users`, or all of its `tags`.
fn team_from_config(rec: &UsageRecord, user: Option<&str>, teams: &BTreeMap<String, Team>) -> Option<String> {
    let user = rec.user.as_deref().or(user);
    teams.iter().find_map(|(name, t)| {
        let key_hit = rec
            .api_key_id
            .as_deref()
            .is_some_and(|k| t.api_keys.iter().any(|a| a == k || fields::api_key_id(a) == k));
        let project_hit = rec
            .project
            .as_deref()
            .is_some_and(|p| t.projects.iter().any(|x| x == p));
        let tags_hit = !t.tags.is_empty() && t.tags.iter().all(|(k, v)| rec.tags.get(k) == Some(v));
        let user_hit = user.is_some_and(|u| t.users.iter().any(|x| x == u));
        (key_hit || project_hit || user_hit || tags_hit).then(|| name.clone())
    })
}
