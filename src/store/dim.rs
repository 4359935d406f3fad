//! The dimensions reports group by: rollup columns, time, the units of work and tags.

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
