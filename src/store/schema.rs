//! The store's schema as forward migrations; `PRAGMA user_version` is the number applied.

/// Migration N (1-based) takes a store from version N−1 to N. Never edit a released one:
/// add the next.
pub const MIGRATIONS: &[&str] = &[
    // 1: requests, import history, rejects.
    r#"
    CREATE TABLE requests (
        id INTEGER PRIMARY KEY,
        key_hash INTEGER NOT NULL UNIQUE,
        request_key TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        day TEXT NOT NULL,
        source TEXT NOT NULL,
        provider TEXT NOT NULL DEFAULT '',
        model TEXT NOT NULL,
        model_priced TEXT,
        tier TEXT NOT NULL,
        uncached_input INTEGER NOT NULL,
        cache_read INTEGER NOT NULL,
        cache_write_5m INTEGER NOT NULL,
        cache_write_1h INTEGER NOT NULL,
        output INTEGER NOT NULL,
        reasoning INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        team TEXT,
        template TEXT,
        template_version TEXT,
        api_key_id TEXT,
        project TEXT,
        user_id TEXT,
        tags TEXT,
        cost_nanos INTEGER NOT NULL,
        price_source TEXT,
        unpriced INTEGER NOT NULL,
        reported_cost_nanos INTEGER,
        flags TEXT,
        file_id INTEGER,
        line INTEGER
    );
    CREATE TABLE files (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        abs_path TEXT,
        source TEXT NOT NULL,
        size INTEGER,
        mtime_ms INTEGER,
        imported_at TEXT NOT NULL,
        lines INTEGER NOT NULL,
        imported INTEGER NOT NULL,
        duplicates INTEGER NOT NULL,
        replaced INTEGER NOT NULL,
        rejected INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        unpriced INTEGER NOT NULL,
        cost_nanos INTEGER NOT NULL
    );
    CREATE INDEX files_abs_path ON files (abs_path);
    CREATE TABLE rejects (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL,
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        excerpt TEXT,
        UNIQUE (path, line)
    );
    "#,
    // 2: daily rollups, maintained on insert, so reports never scan `requests`. Stores made
    // before are backfilled from their requests.
    r#"
    CREATE TABLE rollup_daily (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        template TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        api_key_id TEXT NOT NULL,
        project TEXT NOT NULL,
        tier TEXT NOT NULL,
        records INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        calls INTEGER NOT NULL,
        cache_hit_calls INTEGER NOT NULL,
        uncached_input INTEGER NOT NULL,
        cache_read INTEGER NOT NULL,
        cache_write_5m INTEGER NOT NULL,
        cache_write_1h INTEGER NOT NULL,
        output INTEGER NOT NULL,
        reasoning INTEGER NOT NULL,
        cost_nanos INTEGER NOT NULL,
        reported_cost_nanos INTEGER NOT NULL,
        reported_records INTEGER NOT NULL,
        reported_ours_nanos INTEGER NOT NULL,
        unpriced_requests INTEGER NOT NULL,
        PRIMARY KEY (day, team, template, model, provider, api_key_id, project, tier)
    ) WITHOUT ROWID;
    INSERT INTO rollup_daily
    SELECT day, COALESCE(team, ''), COALESCE(template, ''), model, provider, COALESCE(api_key_id, ''),
           COALESCE(project, ''), tier,
           COUNT(*), SUM(requests),
           SUM(requests = 1), SUM(requests = 1 AND cache_read > 0),
           SUM(uncached_input), SUM(cache_read), SUM(cache_write_5m), SUM(cache_write_1h), SUM(output), SUM(reasoning),
           SUM(cost_nanos),
           SUM(CASE WHEN unpriced THEN 0 ELSE COALESCE(reported_cost_nanos, 0) END),
           SUM(reported_cost_nanos IS NOT NULL AND NOT unpriced),
           SUM(CASE WHEN reported_cost_nanos IS NOT NULL AND NOT unpriced THEN cost_nanos ELSE 0 END),
           SUM(CASE WHEN unpriced THEN MAX(requests, 1) ELSE 0 END)
    FROM requests
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    "#,
    // 3: per rollup cell, the largest single call (total input tokens) and how many calls
    // exceed the common context windows, so a what-if counts requests that would not fit a
    // smaller model without scanning `requests`.
    r#"
    ALTER TABLE rollup_daily ADD COLUMN max_input INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rollup_daily ADD COLUMN over_128000 INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rollup_daily ADD COLUMN over_200000 INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rollup_daily ADD COLUMN over_272000 INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rollup_daily ADD COLUMN over_400000 INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rollup_daily ADD COLUMN over_1000000 INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE rollup_daily ADD COLUMN over_1048576 INTEGER NOT NULL DEFAULT 0;
    CREATE TEMP TABLE cell_max AS
    SELECT day, COALESCE(team, '') AS team, COALESCE(template, '') AS template, model, provider,
           COALESCE(api_key_id, '') AS api_key_id, COALESCE(project, '') AS project, tier,
           MAX(uncached_input + cache_read + cache_write_5m + cache_write_1h) AS mx,
           SUM(uncached_input + cache_read + cache_write_5m + cache_write_1h > 128000) AS o1,
           SUM(uncached_input + cache_read + cache_write_5m + cache_write_1h > 200000) AS o2,
           SUM(uncached_input + cache_read + cache_write_5m + cache_write_1h > 272000) AS o3,
           SUM(uncached_input + cache_read + cache_write_5m + cache_write_1h > 400000) AS o4,
           SUM(uncached_input + cache_read + cache_write_5m + cache_write_1h > 1000000) AS o5,
           SUM(uncached_input + cache_read + cache_write_5m + cache_write_1h > 1048576) AS o6
    FROM requests WHERE requests = 1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    UPDATE rollup_daily SET max_input = m.mx, over_128000 = m.o1, over_200000 = m.o2, over_272000 = m.o3,
           over_400000 = m.o4, over_1000000 = m.o5, over_1048576 = m.o6
    FROM cell_max AS m
    WHERE m.day = rollup_daily.day AND m.team = rollup_daily.team AND m.template = rollup_daily.template
      AND m.model = rollup_daily.model AND m.provider = rollup_daily.provider
      AND m.api_key_id = rollup_daily.api_key_id AND m.project = rollup_daily.project AND m.tier = rollup_daily.tier;
    DROP TABLE cell_max;
    "#,
    // 4: the unit of work (DESIGN §13): the session (agent run, conversation, trace) a call
    // belongs to, whether it succeeded and how long it took (`user_id` and `tags` were there
    // from the start). Two more rollups keep reports by them off `requests`: `rollup_work`
    // adds user, status and session to the daily cell; `rollup_tags` holds one row per tag
    // key and value of the cell (a request counts once under each of its keys). Both are
    // backfilled from the stored requests.
    r#"
    ALTER TABLE requests ADD COLUMN session_id TEXT;
    ALTER TABLE requests ADD COLUMN status TEXT;
    ALTER TABLE requests ADD COLUMN latency_ms INTEGER;
    CREATE INDEX requests_session ON requests (session_id, ts_ms) WHERE session_id IS NOT NULL;
    CREATE TABLE rollup_work (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        template TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        api_key_id TEXT NOT NULL,
        project TEXT NOT NULL,
        tier TEXT NOT NULL,
        user_id TEXT NOT NULL,
        status TEXT NOT NULL,
        session_id TEXT NOT NULL,
        SUMS_COLUMNS,
        PRIMARY KEY (day, team, template, model, provider, api_key_id, project, tier, user_id, status, session_id)
    ) WITHOUT ROWID;
    CREATE TABLE rollup_tags (
        day TEXT NOT NULL,
        team TEXT NOT NULL,
        template TEXT NOT NULL,
        model TEXT NOT NULL,
        provider TEXT NOT NULL,
        api_key_id TEXT NOT NULL,
        project TEXT NOT NULL,
        tier TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        SUMS_COLUMNS,
        PRIMARY KEY (tag_key, day, team, template, model, provider, api_key_id, project, tier, tag_value)
    ) WITHOUT ROWID;
    INSERT INTO rollup_work
    SELECT day, COALESCE(team, ''), COALESCE(template, ''), model, provider, COALESCE(api_key_id, ''),
           COALESCE(project, ''), tier, COALESCE(user_id, ''), COALESCE(status, ''), COALESCE(session_id, ''),
           SUMS_SELECT
    FROM requests
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11;
    INSERT INTO rollup_tags
    SELECT day, COALESCE(team, ''), COALESCE(template, ''), model, provider, COALESCE(api_key_id, ''),
           COALESCE(project, ''), tier, t.key, CAST(t.value AS TEXT),
           SUMS_SELECT
    FROM requests, json_each(requests.tags) AS t
    WHERE requests.tags IS NOT NULL AND json_valid(requests.tags)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
    "#,
    // 5: growing files (DESIGN §15). Where an import of a file stopped — the end of its last
    // complete line (`resume_offset`, in bytes of the file), the lines before it
    // (`resume_line`), and a hash of the first 64 KiB and of the 64 KiB before that end
    // (`resume_hash`) — so a file that only grew is read from there. Rows written before have
    // none, and their files are read whole once more.
    r#"
    ALTER TABLE files ADD COLUMN resume_offset INTEGER;
    ALTER TABLE files ADD COLUMN resume_line INTEGER;
    ALTER TABLE files ADD COLUMN resume_hash TEXT;
    "#,
    // 6: the narrow request row (DESIGN §15, import at disk speed). Every text dimension of a
    // request — day, source, provider, model, tier, team, template, key, project, user, tags,
    // price source, flags, session, status — is stored once in `names` and by its id in
    // `request_rows`, which keeps only integers and the dedupe key (half the bytes a row took, so
    // twice the rows per page written). `requests` becomes a view with the old columns and
    // their text (and `session_ref`, the session's id, which the session index orders by), so
    // everything that reads requests reads them as before; writes go to `request_rows`. Existing rows are moved over with their ids (their order) unchanged.
    r#"
    CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    INSERT INTO names (name)
    SELECT day FROM requests WHERE day IS NOT NULL
    UNION SELECT source FROM requests WHERE source IS NOT NULL
    UNION SELECT provider FROM requests WHERE provider IS NOT NULL
    UNION SELECT model FROM requests WHERE model IS NOT NULL
    UNION SELECT model_priced FROM requests WHERE model_priced IS NOT NULL
    UNION SELECT tier FROM requests WHERE tier IS NOT NULL
    UNION SELECT team FROM requests WHERE team IS NOT NULL
    UNION SELECT template FROM requests WHERE template IS NOT NULL
    UNION SELECT template_version FROM requests WHERE template_version IS NOT NULL
    UNION SELECT api_key_id FROM requests WHERE api_key_id IS NOT NULL
    UNION SELECT project FROM requests WHERE project IS NOT NULL
    UNION SELECT user_id FROM requests WHERE user_id IS NOT NULL
    UNION SELECT tags FROM requests WHERE tags IS NOT NULL
    UNION SELECT price_source FROM requests WHERE price_source IS NOT NULL
    UNION SELECT flags FROM requests WHERE flags IS NOT NULL
    UNION SELECT session_id FROM requests WHERE session_id IS NOT NULL
    UNION SELECT status FROM requests WHERE status IS NOT NULL;
    CREATE TABLE request_rows (
        id INTEGER PRIMARY KEY,
        key_hash INTEGER NOT NULL UNIQUE,
        request_key TEXT NOT NULL,
        ts_ms INTEGER NOT NULL,
        day INTEGER NOT NULL,
        source INTEGER NOT NULL,
        provider INTEGER NOT NULL,
        model INTEGER NOT NULL,
        model_priced INTEGER,
        tier INTEGER NOT NULL,
        uncached_input INTEGER NOT NULL,
        cache_read INTEGER NOT NULL,
        cache_write_5m INTEGER NOT NULL,
        cache_write_1h INTEGER NOT NULL,
        output INTEGER NOT NULL,
        reasoning INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        team INTEGER,
        template INTEGER,
        template_version INTEGER,
        api_key_id INTEGER,
        project INTEGER,
        user_id INTEGER,
        tags INTEGER,
        cost_nanos INTEGER NOT NULL,
        price_source INTEGER,
        unpriced INTEGER NOT NULL,
        reported_cost_nanos INTEGER,
        flags INTEGER,
        file_id INTEGER,
        line INTEGER,
        session_id INTEGER,
        status INTEGER,
        latency_ms INTEGER
    );
    INSERT INTO request_rows
    SELECT r.id, r.key_hash, r.request_key, r.ts_ms, (SELECT id FROM names WHERE name = r.day), (SELECT id FROM names WHERE name = r.source), (SELECT id FROM names WHERE name = r.provider), (SELECT id FROM names WHERE name = r.model), (SELECT id FROM names WHERE name = r.model_priced), (SELECT id FROM names WHERE name = r.tier), r.uncached_input, r.cache_read, r.cache_write_5m, r.cache_write_1h, r.output, r.reasoning, r.requests, (SELECT id FROM names WHERE name = r.team), (SELECT id FROM names WHERE name = r.template), (SELECT id FROM names WHERE name = r.template_version), (SELECT id FROM names WHERE name = r.api_key_id), (SELECT id FROM names WHERE name = r.project), (SELECT id FROM names WHERE name = r.user_id), (SELECT id FROM names WHERE name = r.tags), r.cost_nanos, (SELECT id FROM names WHERE name = r.price_source), r.unpriced, r.reported_cost_nanos, (SELECT id FROM names WHERE name = r.flags), r.file_id, r.line, (SELECT id FROM names WHERE name = r.session_id), (SELECT id FROM names WHERE name = r.status), r.latency_ms
    FROM requests AS r ORDER BY r.id;
    DROP INDEX requests_session;
    DROP TABLE requests;
    CREATE INDEX request_rows_session ON request_rows (session_id, ts_ms) WHERE session_id IS NOT NULL;
    CREATE VIEW requests AS
    SELECT r.id,
           r.key_hash,
           r.request_key,
           r.ts_ms,
           n_day.name AS day,
           n_source.name AS source,
           n_provider.name AS provider,
           n_model.name AS model,
           n_model_priced.name AS model_priced,
           n_tier.name AS tier,
           r.uncached_input,
           r.cache_read,
           r.cache_write_5m,
           r.cache_write_1h,
           r.output,
           r.reasoning,
           r.requests,
           n_team.name AS team,
           n_template.name AS template,
           n_template_version.name AS template_version,
           n_api_key_id.name AS api_key_id,
           n_project.name AS project,
           n_user_id.name AS user_id,
           n_tags.name AS tags,
           r.cost_nanos,
           n_price_source.name AS price_source,
           r.unpriced,
           r.reported_cost_nanos,
           n_flags.name AS flags,
           r.file_id,
           r.line,
           n_session_id.name AS session_id,
           n_status.name AS status,
           r.latency_ms,
           r.session_id AS session_ref
    FROM request_rows AS r
    LEFT JOIN names AS n_day ON n_day.id = r.day
    LEFT JOIN names AS n_source ON n_source.id = r.source
    LEFT JOIN names AS n_provider ON n_provider.id = r.provider
    LEFT JOIN names AS n_model ON n_model.id = r.model
    LEFT JOIN names AS n_model_priced ON n_model_priced.id = r.model_priced
    LEFT JOIN names AS n_tier ON n_tier.id = r.tier
    LEFT JOIN names AS n_team ON n_team.id = r.team
    LEFT JOIN names AS n_template ON n_template.id = r.template
    LEFT JOIN names AS n_template_version ON n_template_version.id = r.template_version
    LEFT JOIN names AS n_api_key_id ON n_api_key_id.id = r.api_key_id
    LEFT JOIN names AS n_project ON n_project.id = r.project
    LEFT JOIN names AS n_user_id ON n_user_id.id = r.user_id
    LEFT JOIN names AS n_tags ON n_tags.id = r.tags
    LEFT JOIN names AS n_price_source ON n_price_source.id = r.price_source
    LEFT JOIN names AS n_flags ON n_flags.id = r.flags
    LEFT JOIN names AS n_session_id ON n_session_id.id = r.session_id
    LEFT JOIN names AS n_status ON n_status.id = r.status;
    "#,
];

pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The summed columns every rollup table has, in this order (`rollup_daily` has more after).
pub const SUM_COLUMNS: [&str; 15] = [
    "records",
    "requests",
    "calls",
    "cache_hit_calls",
    "uncached_input",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "output",
    "reasoning",
    "cost_nanos",
    "reported_cost_nanos",
    "reported_records",
    "reported_ours_nanos",
    "unpriced_requests",
];

/// What the sum columns add up from `requests` rows, in [`SUM_COLUMNS`] order.
pub(crate) const SUMS_SELECT: &str = "COUNT(*), SUM(requests),
           SUM(requests = 1), SUM(requests = 1 AND cache_read > 0),
           SUM(uncached_input), SUM(cache_read), SUM(cache_write_5m), SUM(cache_write_1h), SUM(output), SUM(reasoning),
           SUM(cost_nanos),
           SUM(CASE WHEN unpriced THEN 0 ELSE COALESCE(reported_cost_nanos, 0) END),
           SUM(reported_cost_nanos IS NOT NULL AND NOT unpriced),
           SUM(CASE WHEN reported_cost_nanos IS NOT NULL AND NOT unpriced THEN cost_nanos ELSE 0 END),
           SUM(CASE WHEN unpriced THEN MAX(requests, 1) ELSE 0 END)";

/// Migration `n` (1-based) as SQL: the placeholders `SUMS_COLUMNS` and `SUMS_SELECT` expanded.
pub fn migration(n: usize) -> String {
    let columns = SUM_COLUMNS
        .iter()
        .map(|c| format!("{c} INTEGER NOT NULL"))
        .collect::<Vec<_>>()
        .join(",\n        ");
    MIGRATIONS[n - 1]
        .replace("SUMS_COLUMNS", &columns)
        .replace("SUMS_SELECT", SUMS_SELECT)
}

/// Context windows (input tokens) whose overflow counts the rollups keep, as `over_<N>`.
pub const WINDOWS: [u64; 6] = [128_000, 200_000, 272_000, 400_000, 1_000_000, 1_048_576];
