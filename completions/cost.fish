# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cost_global_optspecs
    string join \n format= config= db= color= q/quiet v/verbose h/help V/version
end

function __fish_cost_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cost_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cost_using_subcommand
    set -l cmd (__fish_cost_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cost -n "__fish_cost_needs_command" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_needs_command" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_needs_command" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_needs_command" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_needs_command" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_needs_command" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_needs_command" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_needs_command" -f -a "estimate" -d 'Estimate what templates cost per call, per day and per month'
complete -c cost -n "__fish_cost_needs_command" -f -a "diff" -d 'Show what template changes do to cost, and gate on thresholds'
complete -c cost -n "__fish_cost_needs_command" -f -a "tokens" -d 'Count the tokens of template files, by section'
complete -c cost -n "__fish_cost_needs_command" -f -a "import" -d 'Import usage logs into the store (idempotent: re-importing adds nothing)'
complete -c cost -n "__fish_cost_needs_command" -f -a "report" -d 'Spend from the imported usage, grouped by any dimensions'
complete -c cost -n "__fish_cost_needs_command" -f -a "runs" -d 'Cost per run: one row per session (agent run, conversation, trace), and its spread'
complete -c cost -n "__fish_cost_needs_command" -f -a "unit" -d 'Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run'
complete -c cost -n "__fish_cost_needs_command" -f -a "budget" -d 'Team budgets: spent, %, forecast to month end, soft/hard status'
complete -c cost -n "__fish_cost_needs_command" -f -a "cache" -d 'Cache KPIs: hit rates, savings, write premium, and caching opportunities'
complete -c cost -n "__fish_cost_needs_command" -f -a "anomalies" -d 'Spend spikes per team, template and model, template cost-per-call change points, and runaway runs'
complete -c cost -n "__fish_cost_needs_command" -f -a "showback" -d 'Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share'
complete -c cost -n "__fish_cost_needs_command" -f -a "whatif" -d 'Reprice stored usage under another model, tier or cache-hit rate'
complete -c cost -n "__fish_cost_needs_command" -f -a "export" -d 'Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet'
complete -c cost -n "__fish_cost_needs_command" -f -a "watch" -d 'Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts'
complete -c cost -n "__fish_cost_needs_command" -f -a "dashboard" -d 'A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs'
complete -c cost -n "__fish_cost_needs_command" -f -a "models" -d 'List known model prices (USD per million tokens) and where they come from'
complete -c cost -n "__fish_cost_needs_command" -f -a "pricing" -d 'Keep prices current: import a newer LiteLLM price table, show the tables in use'
complete -c cost -n "__fish_cost_needs_command" -f -a "init" -d 'Write a starter cost.toml, an example template and a pre-commit hook config'
complete -c cost -n "__fish_cost_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c cost -n "__fish_cost_needs_command" -f -a "man" -d 'Write man pages (cost.1, cost-estimate.1, …) into a directory'
complete -c cost -n "__fish_cost_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cost -n "__fish_cost_using_subcommand estimate" -s m -l model -d 'Price on this model (repeatable) instead of the configured ones' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l calls-per-day -d 'Calls per day, for every template' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l output-tokens -d 'Expected output (completion) tokens per call' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l cache-hit-rate -d 'Fraction of the cacheable prefix read from the provider\'s prompt cache (0–1)' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l tier -d 'Pricing tier' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l turns -d 'Calls per run: a conversation or agent loop that resends its history each turn' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l turn-input-tokens -d 'Tokens each earlier turn\'s user message adds to the history [default: the template\'s user section]' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l tool-result-tokens -d 'Tokens of tool results each earlier turn adds to the history [default: 0]' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l runs-per-day -d 'Runs per day, for every template: per day = per run × this [default: calls per day]' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l var -d 'Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`' -r
complete -c cost -n "__fish_cost_using_subcommand estimate" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand estimate" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand estimate" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand estimate" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand estimate" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand estimate" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand estimate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand estimate" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand diff" -l base -d 'Compare against the merge base of REV and the head, like `git diff REV...HEAD`' -r
complete -c cost -n "__fish_cost_using_subcommand diff" -l head -d 'The revision to compare with --base [default: HEAD]' -r
complete -c cost -n "__fish_cost_using_subcommand diff" -s m -l model -d 'Price and judge on this model instead of each rule\'s models and primary model' -r
complete -c cost -n "__fish_cost_using_subcommand diff" -l fail-on -d 'Lowest verdict that exits 1' -r -f -a "warn\t''
fail\t''"
complete -c cost -n "__fish_cost_using_subcommand diff" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand diff" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand diff" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand diff" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand diff" -l staged -d 'Compare staged changes with HEAD (the default with no files)'
complete -c cost -n "__fish_cost_using_subcommand diff" -l all -d 'Also list templates whose cost did not change'
complete -c cost -n "__fish_cost_using_subcommand diff" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand diff" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand diff" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand tokens" -s m -l model -d 'Count for this model [default: the template\'s primary model]' -r
complete -c cost -n "__fish_cost_using_subcommand tokens" -l var -d 'Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`' -r
complete -c cost -n "__fish_cost_using_subcommand tokens" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand tokens" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand tokens" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand tokens" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand tokens" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand tokens" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand tokens" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand tokens" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand import" -l source -d 'Log source [default: auto, sniffed per file]' -r -f -a "auto\t''
cost-export\t''
bedrock\t''
claude-code\t''
codex\t''
copilot\t''
gemini-cli\t''
opencode\t''
kilo\t''
otel\t''
litellm\t''
envelope\t''
openai-usage\t''
anthropic-usage\t''
openai-chat\t''
openai-responses\t''
anthropic-messages\t''
generic-csv\t''"
complete -c cost -n "__fish_cost_using_subcommand import" -l team -d 'Team for records that name none (after [teams.*] api_keys/projects/users/tags)' -r
complete -c cost -n "__fish_cost_using_subcommand import" -l template -d 'Template for records that name none' -r
complete -c cost -n "__fish_cost_using_subcommand import" -l at -d 'Date records whose source has no timestamps (Anthropic bodies) [default: file mtime]' -r
complete -c cost -n "__fish_cost_using_subcommand import" -l agents -d 'Find and import every coding agent\'s logs on this machine (under $HOME, or where CLAUDE_CONFIG_DIR, CODEX_HOME, COPILOT_CONFIG_DIR, GEMINI_DATA_DIR, OPENCODE_DATA_DIR, KILO_DATA_DIR point); a list narrows it: --agents codex,copilot' -r
complete -c cost -n "__fish_cost_using_subcommand import" -l user -d 'The developer for records that name none [default for coding agents: the OS user]' -r
complete -c cost -n "__fish_cost_using_subcommand import" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand import" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand import" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand import" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand import" -l strict -d 'Any rejected line fails the import (exit 2) with nothing committed'
complete -c cost -n "__fish_cost_using_subcommand import" -l dry-run -d 'Parse, price and count, but write nothing'
complete -c cost -n "__fish_cost_using_subcommand import" -l reread -d 'Read files again even if unchanged (same path, size and mtime) since they were imported'
complete -c cost -n "__fish_cost_using_subcommand import" -l update -d 'Re-price and re-attribute records already stored, with the current cost.toml, the newest price table and --team/--template (after adding [prices], `cost pricing import` or [teams]); implies --reread'
complete -c cost -n "__fish_cost_using_subcommand import" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand import" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand import" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand report" -l by -d 'Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month, session, user, status, tag:KEY (agent = tag:agent)' -r
complete -c cost -n "__fish_cost_using_subcommand report" -l since -d 'Start of the period (inclusive) [default: the first of this month]' -r
complete -c cost -n "__fish_cost_using_subcommand report" -l until -d 'End of the period, inclusive: a date or a month [default: today]' -r
complete -c cost -n "__fish_cost_using_subcommand report" -l team -d 'Only these teams (repeatable; `(unassigned)` for records with none)' -r
complete -c cost -n "__fish_cost_using_subcommand report" -l model -d 'Only these models as logged (repeatable; globs like `gpt-4o*`)' -r
complete -c cost -n "__fish_cost_using_subcommand report" -l template -d 'Only these templates (repeatable; globs like `support/**`)' -r
complete -c cost -n "__fish_cost_using_subcommand report" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand report" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand report" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand report" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand report" -l compare-reported -d 'Show the cost the logs themselves state (LiteLLM spend, Claude Code costUSD) beside ours'
complete -c cost -n "__fish_cost_using_subcommand report" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand report" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand report" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand runs" -l since -d 'Start of the period (inclusive) [default: the first of this month]' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l until -d 'End of the period, inclusive: a date or a month [default: today]' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l team -d 'Only these teams (repeatable; `(unassigned)` for records with none)' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l model -d 'Only these models as logged (repeatable; globs like `gpt-4o*`)' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l template -d 'Only these templates (repeatable; globs like `support/**`)' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l sort -d 'Order runs by: cost, calls, duration, start, growth, errors' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l top -d 'Show the first N runs (0: all)' -r
complete -c cost -n "__fish_cost_using_subcommand runs" -l per -d 'Show the spread of cost per run per template or per team instead of the runs' -r -f -a "template\t''
team\t''"
complete -c cost -n "__fish_cost_using_subcommand runs" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand runs" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand runs" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand runs" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand runs" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand runs" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand runs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand runs" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand unit" -l outcomes -d 'CSV of outcomes per period and dimension value' -r -F
complete -c cost -n "__fish_cost_using_subcommand unit" -l since -d 'Start of the period for cost per run (inclusive) [default: the first of this month]' -r
complete -c cost -n "__fish_cost_using_subcommand unit" -l until -d 'End of the period for cost per run, inclusive [default: today]' -r
complete -c cost -n "__fish_cost_using_subcommand unit" -l team -d 'Only these teams (repeatable; `(unassigned)` for records with none)' -r
complete -c cost -n "__fish_cost_using_subcommand unit" -l model -d 'Only these models as logged (repeatable; globs like `gpt-4o*`)' -r
complete -c cost -n "__fish_cost_using_subcommand unit" -l template -d 'Only these templates (repeatable; globs like `support/**`)' -r
complete -c cost -n "__fish_cost_using_subcommand unit" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand unit" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand unit" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand unit" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand unit" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand unit" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand unit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand unit" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand budget" -l month -d 'The month [default: this month]' -r
complete -c cost -n "__fish_cost_using_subcommand budget" -l fail-on -d 'Exit 1 when any team has passed this level [default: hard]; `incomplete` also fails on a team whose month has unpriced usage' -r -f -a "incomplete\t''
soft\t''
hard\t''"
complete -c cost -n "__fish_cost_using_subcommand budget" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand budget" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand budget" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand budget" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand budget" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand budget" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand budget" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand budget" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand cache" -l by -d 'Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month' -r
complete -c cost -n "__fish_cost_using_subcommand cache" -l since -d 'Start of the period [default: the last 30 days]' -r
complete -c cost -n "__fish_cost_using_subcommand cache" -l until -d 'End of the period, inclusive [default: today]' -r
complete -c cost -n "__fish_cost_using_subcommand cache" -l team -d 'Only these teams (repeatable)' -r
complete -c cost -n "__fish_cost_using_subcommand cache" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand cache" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand cache" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand cache" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand cache" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand cache" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand cache" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand cache" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l since -d 'Start of the period [default: the last 30 days]' -r
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l until -d 'End of the period, inclusive [default: today]' -r
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l threshold -d 'Robust deviations a day must be above its baseline' -r
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l min-usd -d 'Dollars a spike must be above its baseline' -r
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand anomalies" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand anomalies" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand anomalies" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand anomalies" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand anomalies" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand showback" -l month -d 'The month [default: this month, to date]' -r
complete -c cost -n "__fish_cost_using_subcommand showback" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand showback" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand showback" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand showback" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand showback" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand showback" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand showback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand showback" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand whatif" -l model -d 'The model to move to' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l from -d 'Only reprice usage logged on this model: the name, its dated snapshots, a glob, or a name with the same price' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l tier -d 'The tier to move to' -r -f -a "standard\t''
batch\t''
priority\t''
flex\t''"
complete -c cost -n "__fish_cost_using_subcommand whatif" -l cache-hit-rate -d 'The share of input read from the cache (0 to 1)' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l by -d 'Group by (comma-separated dimensions)' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l since -d 'Start of the period [default: the last 30 days]' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l until -d 'End of the period, inclusive [default: today]' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l team -d 'Only these teams (repeatable)' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l template -d 'Only these templates (repeatable; globs)' -r
complete -c cost -n "__fish_cost_using_subcommand whatif" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand whatif" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand whatif" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand whatif" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand whatif" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand whatif" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand whatif" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand whatif" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand export" -l since -d 'Start of the period (inclusive) [default: focus: the first of this month; jsonl, parquet: everything]' -r
complete -c cost -n "__fish_cost_using_subcommand export" -l until -d 'End of the period, inclusive: a date or a month [default: focus: today; jsonl, parquet: everything]' -r
complete -c cost -n "__fish_cost_using_subcommand export" -s o -l out -d 'Write to this file (focus, jsonl; default stdout) or into this directory (parquet, required)' -r -F
complete -c cost -n "__fish_cost_using_subcommand export" -l team -d 'Only these teams (repeatable; `(unassigned)` for records with none)' -r
complete -c cost -n "__fish_cost_using_subcommand export" -l model -d 'Only these models as logged (repeatable; globs like `gpt-4o*`)' -r
complete -c cost -n "__fish_cost_using_subcommand export" -l template -d 'Only these templates (repeatable; globs like `support/**`)' -r
complete -c cost -n "__fish_cost_using_subcommand export" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand export" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand export" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand export" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand export" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand export" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand export" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand watch" -l interval -d 'How often the files are checked without a notification (e.g. 500ms, 2s, 1m)' -r
complete -c cost -n "__fish_cost_using_subcommand watch" -l heartbeat -d 'How often today\'s spend is printed (0: never)' -r
complete -c cost -n "__fish_cost_using_subcommand watch" -l exec -d 'A command (run by the shell) for each alert, with the alert as one line of JSON on its standard input; its output goes to stderr' -r
complete -c cost -n "__fish_cost_using_subcommand watch" -l source -d 'Log source [default: auto, sniffed per file]' -r -f -a "auto\t''
cost-export\t''
bedrock\t''
claude-code\t''
codex\t''
copilot\t''
gemini-cli\t''
opencode\t''
kilo\t''
otel\t''
litellm\t''
envelope\t''
openai-usage\t''
anthropic-usage\t''
openai-chat\t''
openai-responses\t''
anthropic-messages\t''
generic-csv\t''"
complete -c cost -n "__fish_cost_using_subcommand watch" -l team -d 'Team for records that name none (after [teams.*] api_keys/projects/tags)' -r
complete -c cost -n "__fish_cost_using_subcommand watch" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand watch" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand watch" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand watch" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand watch" -l poll -d 'Check every --interval only, without file notifications'
complete -c cost -n "__fish_cost_using_subcommand watch" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand watch" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand watch" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l month -d 'The month to open [default: this month, to date]' -r
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l snapshot -d 'Print one view as text and exit (no terminal needed)' -r -f -a "overview\t''
teams\t''
templates\t''
models\t''
cache\t''
budgets\t''
commitments\t''
anomalies\t''
runs\t''"
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l size -d 'Size of the --snapshot text, COLUMNSxROWS' -r
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l keys -d 'Keys to press before the --snapshot is taken, space-separated (j, k, enter, esc, tab, s, /, [, ], …; e.g. \'j j enter\')' -r
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l watch -d 'Import these log files or directories as they grow, and refresh (with --snapshot: import them once first)' -r -F
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l interval -d 'How often --watch checks the files without a notification' -r
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand dashboard" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand dashboard" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand dashboard" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand dashboard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand dashboard" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand models" -l resolve -d 'Show how a logged model name is priced: logged name → table key → the price that applies and where it comes from' -r
complete -c cost -n "__fish_cost_using_subcommand models" -l provider -d 'With --resolve: the provider that logged the name (`mistral` finds `mistral/…` keys)' -r
complete -c cost -n "__fish_cost_using_subcommand models" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand models" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand models" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand models" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand models" -l all -d 'Include provider-prefixed and regional keys (`azure/…`, `openrouter/…`, `us.anthropic.…`)'
complete -c cost -n "__fish_cost_using_subcommand models" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand models" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand models" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand models" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -f -a "import" -d 'Store a newer LiteLLM price table and print what it changes'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -f -a "show" -d 'List the price tables in use: the built-in snapshot and every imported table'
complete -c cost -n "__fish_cost_using_subcommand pricing; and not __fish_seen_subcommand_from import show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -l date -d 'The table\'s date [default: the file\'s modification day]' -r
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -l dry-run -d 'Show what would change, store nothing'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "import" -d 'Store a newer LiteLLM price table and print what it changes'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "show" -d 'List the price tables in use: the built-in snapshot and every imported table'
complete -c cost -n "__fish_cost_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cost -n "__fish_cost_using_subcommand init" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand init" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand init" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand init" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand init" -l force -d 'Overwrite cost.toml and the example template if they exist'
complete -c cost -n "__fish_cost_using_subcommand init" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand init" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand init" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand completions" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand completions" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand completions" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand completions" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand completions" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand completions" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand man" -l format -d 'Output format' -r -f -a "table\t''
json\t''
csv\t''
markdown\t''
focus\t'FOCUS 1.2 CSV (`cost export` only)'
jsonl\t'One JSON line per stored request, re-importable (`cost export` only)'
parquet\t'Hive-partitioned Parquet, one row per request (`cost export --out DIR` only)'"
complete -c cost -n "__fish_cost_using_subcommand man" -l config -d 'Configuration file [default: cost.toml found by walking up from the current directory]' -r -F
complete -c cost -n "__fish_cost_using_subcommand man" -l db -d 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]' -r -F
complete -c cost -n "__fish_cost_using_subcommand man" -l color -d 'When to use colour (NO_COLOR is respected)' -r -f -a "auto\t''
always\t''
never\t''"
complete -c cost -n "__fish_cost_using_subcommand man" -s q -l quiet -d 'Print only data: no hints or progress on stderr'
complete -c cost -n "__fish_cost_using_subcommand man" -s v -l verbose -d 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
complete -c cost -n "__fish_cost_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cost -n "__fish_cost_using_subcommand man" -s V -l version -d 'Print version'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "estimate" -d 'Estimate what templates cost per call, per day and per month'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "diff" -d 'Show what template changes do to cost, and gate on thresholds'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "tokens" -d 'Count the tokens of template files, by section'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "import" -d 'Import usage logs into the store (idempotent: re-importing adds nothing)'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "report" -d 'Spend from the imported usage, grouped by any dimensions'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "runs" -d 'Cost per run: one row per session (agent run, conversation, trace), and its spread'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "unit" -d 'Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "budget" -d 'Team budgets: spent, %, forecast to month end, soft/hard status'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "cache" -d 'Cache KPIs: hit rates, savings, write premium, and caching opportunities'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "anomalies" -d 'Spend spikes per team, template and model, template cost-per-call change points, and runaway runs'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "showback" -d 'Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "whatif" -d 'Reprice stored usage under another model, tier or cache-hit rate'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "export" -d 'Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "watch" -d 'Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "dashboard" -d 'A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "models" -d 'List known model prices (USD per million tokens) and where they come from'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "pricing" -d 'Keep prices current: import a newer LiteLLM price table, show the tables in use'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "init" -d 'Write a starter cost.toml, an example template and a pre-commit hook config'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "man" -d 'Write man pages (cost.1, cost-estimate.1, …) into a directory'
complete -c cost -n "__fish_cost_using_subcommand help; and not __fish_seen_subcommand_from estimate diff tokens import report runs unit budget cache anomalies showback whatif export watch dashboard models pricing init completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cost -n "__fish_cost_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "import" -d 'Store a newer LiteLLM price table and print what it changes'
complete -c cost -n "__fish_cost_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "show" -d 'List the price tables in use: the built-in snapshot and every imported table'
