//! The dimensions reports group by (rollup columns, time, the units of work and tags), and
//! the key of one group.

use jiff::civil::Date;
use std::sync::Arc;

/// A dimension reports can group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dim {
    Team,
    Template,
    Model,
    Provider,
    Key,
    Project,
    Tier,
    Day,
    Week,
    Month,
    /// The agent run, conversation or trace (DESIGN §13).
    Session,
    /// The end user or tenant.
    User,
    /// `ok` or `error`.
    Status,
    /// One tag key's value; the text is the whole `tag:KEY`.
    Tag(&'static str),
    /// A request's whole set of tags as stored (JSON), for exports that carry every tag: read
    /// from the requests, not offered to `--by`.
    TagSet,
}

impl serde::Serialize for Dim {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// `tag:KEY` texts, kept for the life of the process so a [`Dim`] stays `Copy`: one per
/// distinct key asked for.
fn intern_tag(key: &str) -> &'static str {
    use std::sync::Mutex;
    static SEEN: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let name = format!("tag:{key}");
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = seen.iter().find(|s| **s == name) {
        return s;
    }
    let s: &'static str = Box::leak(name.into_boxed_str());
    seen.push(s);
    s
}

impl Dim {
    /// The dimensions with a fixed name (`tag:KEY` is any key).
    pub const ALL: [Dim; 13] = [
        Dim::Team,
        Dim::Template,
        Dim::Model,
        Dim::Provider,
        Dim::Key,
        Dim::Project,
        Dim::Tier,
        Dim::Day,
        Dim::Week,
        Dim::Month,
        Dim::Session,
        Dim::User,
        Dim::Status,
    ];

    /// The tag dimension of `key`.
    pub fn tag(key: &str) -> Dim {
        Dim::Tag(intern_tag(key))
    }

    pub fn name(self) -> &'static str {
        match self {
            Dim::Team => "team",
            Dim::Template => "template",
            Dim::Model => "model",
            Dim::Provider => "provider",
            Dim::Key => "key",
            Dim::Project => "project",
            Dim::Tier => "tier",
            Dim::Day => "day",
            Dim::Week => "week",
            Dim::Month => "month",
            Dim::Session => "session",
            Dim::User => "user",
            Dim::Status => "status",
            Dim::Tag(name) => name,
            Dim::TagSet => "tags",
        }
    }

    /// The tag key of a `tag:KEY` dimension.
    pub fn tag_key(self) -> Option<&'static str> {
        match self {
            Dim::Tag(name) => name.strip_prefix("tag:"),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Dim> {
        let t = s.trim();
        if let Some((head, key)) = t.split_once(':')
            && head.eq_ignore_ascii_case("tag")
        {
            let key = key.trim();
            return (!key.is_empty()).then(|| Dim::tag(key));
        }
        let s = t.to_ascii_lowercase();
        // The coding agent a call came from is its `agent` tag.
        if matches!(s.as_str(), "agent" | "agents") {
            return Some(Dim::tag("agent"));
        }
        let s = match s.as_str() {
            "teams" => "team",
            "templates" => "template",
            "models" => "model",
            "api_key" | "api_key_id" | "keys" => "key",
            "date" | "daily" => "day",
            "weekly" => "week",
            "monthly" => "month",
            "sessions" | "session_id" | "run" | "runs" => "session",
            "users" | "user_id" => "user",
            other => other,
        };
        Dim::ALL.into_iter().find(|d| d.name() == s)
    }

    /// The rollup column, for the dimensions stored as one (in `rollup_daily`, or for
    /// session, user and status in `rollup_work`).
    pub(super) fn column(self) -> Option<&'static str> {
        Some(match self {
            Dim::Team => "team",
            Dim::Template => "template",
            Dim::Model => "model",
            Dim::Provider => "provider",
            Dim::Key => "api_key_id",
            Dim::Project => "project",
            Dim::Tier => "tier",
            Dim::Session => "session_id",
            Dim::User => "user_id",
            Dim::Status => "status",
            Dim::Tag(_) => "tag_value",
            Dim::TagSet => "tags",
            Dim::Day | Dim::Week | Dim::Month => return None,
        })
    }

    /// Kept in `rollup_work` only.
    pub(super) fn is_work(self) -> bool {
        matches!(self, Dim::Session | Dim::User | Dim::Status)
    }

    pub fn is_time(self) -> bool {
        matches!(self, Dim::Day | Dim::Week | Dim::Month)
    }

    /// What an empty value is called in reports.
    pub fn empty_label(self) -> &'static str {
        match self {
            Dim::Team => "(unassigned)",
            _ => "(none)",
        }
    }
}

/// The values one row of [`Store::sums`](super::Store::sums) was grouped by: one per dimension
/// asked for, as stored (`''` for none). The dimensions are shared by every row of an answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupKey {
    dims: Arc<[Dim]>,
    values: Vec<String>,
}

impl GroupKey {
    /// The key of `values`, one for each of `dims` in that order.
    pub fn new(dims: Arc<[Dim]>, values: Vec<String>) -> GroupKey {
        debug_assert_eq!(dims.len(), values.len(), "one value per dimension");
        GroupKey { dims, values }
    }

    /// The value of `dim`, or `None` when the rows were not grouped by it.
    pub fn get(&self, dim: Dim) -> Option<&str> {
        let at = self.dims.iter().position(|d| *d == dim)?;
        self.values.get(at).map(String::as_str)
    }

    /// The value of `dim`, `''` when it has none or the rows were not grouped by it.
    pub fn value(&self, dim: Dim) -> &str {
        self.get(dim).unwrap_or_default()
    }

    /// The day of a key grouped by [`Dim::Day`]; `None` without one or when it is no date.
    pub fn day(&self) -> Option<Date> {
        self.get(Dim::Day)?.parse().ok()
    }

    pub fn dims(&self) -> &[Dim] {
        &self.dims
    }

    /// The values in the order of [`GroupKey::dims`].
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// The values of `dims` (some of the key's), in that order; `''` for one it lacks.
    pub fn values_of(&self, dims: &[Dim]) -> Vec<String> {
        dims.iter().map(|d| self.value(*d).to_string()).collect()
    }

    /// Each dimension with its value, the values moved out.
    pub fn into_pairs(self) -> impl Iterator<Item = (Dim, String)> {
        let dims = self.dims;
        self.values.into_iter().enumerate().map(move |(i, v)| (dims[i], v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(dims: &[Dim], values: &[&str]) -> GroupKey {
        GroupKey::new(dims.into(), values.iter().map(|v| v.to_string()).collect())
    }

    #[test]
    fn get_finds_a_value_by_its_dimension_not_its_place() {
        let k = key(&[Dim::Model, Dim::Team, Dim::tag("env")], &["gpt-4o", "", "prod"]);
        assert_eq!(k.get(Dim::Team), Some(""), "an empty value is a value");
        assert_eq!(k.get(Dim::Model), Some("gpt-4o"));
        assert_eq!(k.get(Dim::tag("env")), Some("prod"));
        assert_eq!(k.get(Dim::tag("region")), None, "another tag key");
        assert_eq!(k.get(Dim::Template), None, "not grouped by it");
        assert_eq!(k.values_of(&[Dim::tag("env"), Dim::Template]), ["prod", ""]);
        assert_eq!((k.value(Dim::Model), k.value(Dim::Template)), ("gpt-4o", ""));
        let pairs: Vec<(Dim, String)> = k.into_pairs().collect();
        assert_eq!(pairs[2], (Dim::tag("env"), "prod".to_string()));
        assert_eq!(pairs.len(), 3);
    }

    #[test]
    fn day_parses_only_a_day_dimension_holding_a_date() {
        let k = key(&[Dim::Team, Dim::Day], &["search", "2026-10-07"]);
        assert_eq!(k.day(), Some(jiff::civil::date(2026, 10, 7)));
        assert_eq!(key(&[Dim::Day], &["2026-02-30"]).day(), None, "no such date");
        assert_eq!(key(&[Dim::Day], &[""]).day(), None);
        // A week or a month is not a day, even where the text would parse.
        assert_eq!(key(&[Dim::Week], &["2026-W41"]).day(), None);
        assert_eq!(key(&[Dim::Team], &["2026-10-07"]).day(), None);
        assert_eq!(key(&[], &[]).day(), None);
    }
}
