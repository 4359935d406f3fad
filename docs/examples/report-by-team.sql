-- `cost report --by team --since 2026-09-01 --until 2026-09-30`, in DuckDB, over the
-- directory `cost export --format parquet --out export` wrote. Run it from the directory
-- that holds `export/`: duckdb -c ".read report-by-team.sql"
SELECT
    COALESCE(x_team, '(unassigned)')                        AS team,
    SUM(x_requests)                                         AS requests,
    SUM(x_uncached_input_tokens)                            AS uncached,
    SUM(x_cache_read_tokens)                                AS cache_read,
    SUM(x_cache_write_5m_tokens + x_cache_write_1h_tokens)  AS cache_write,
    SUM(x_output_tokens)                                    AS output,
    SUM(BilledCost)                                         AS cost_usd,   -- exact: DECIMAL(38,9)
    SUM(CASE WHEN x_unpriced THEN GREATEST(x_requests, 1) ELSE 0 END) AS unpriced
FROM read_parquet('export/**/*.parquet', hive_partitioning = true)
WHERE month = '2026-09'                                     -- whole months: only that partition is read
GROUP BY ALL
ORDER BY cost_usd DESC NULLS LAST, requests DESC, team;
