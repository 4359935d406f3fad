
use builtin;
use str;

set edit:completion:arg-completer[cost] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cost'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cost'= {
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand estimate 'Estimate what templates cost per call, per day and per month'
            cand diff 'Show what template changes do to cost, and gate on thresholds'
            cand tokens 'Count the tokens of template files, by section'
            cand import 'Import usage logs into the store (idempotent: re-importing adds nothing)'
            cand report 'Spend from the imported usage, grouped by any dimensions'
            cand runs 'Cost per run: one row per session (agent run, conversation, trace), and its spread'
            cand unit 'Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run'
            cand budget 'Team budgets: spent, %, forecast to month end, soft/hard status'
            cand cache 'Cache KPIs: hit rates, savings, write premium, and caching opportunities'
            cand anomalies 'Spend spikes per team, template and model, template cost-per-call change points, and runaway runs'
            cand showback 'Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share'
            cand whatif 'Reprice stored usage under another model, tier or cache-hit rate'
            cand export 'Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet'
            cand watch 'Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts'
            cand dashboard 'A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs'
            cand models 'List known model prices (USD per million tokens) and where they come from'
            cand pricing 'Keep prices current: import a newer LiteLLM price table, show the tables in use'
            cand init 'Write a starter cost.toml, an example template and a pre-commit hook config'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages (cost.1, cost-estimate.1, …) into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cost;estimate'= {
            cand -m 'Price on this model (repeatable) instead of the configured ones'
            cand --model 'Price on this model (repeatable) instead of the configured ones'
            cand --calls-per-day 'Calls per day, for every template'
            cand --output-tokens 'Expected output (completion) tokens per call'
            cand --cache-hit-rate 'Fraction of the cacheable prefix read from the provider''s prompt cache (0–1)'
            cand --tier 'Pricing tier'
            cand --turns 'Calls per run: a conversation or agent loop that resends its history each turn'
            cand --turn-input-tokens 'Tokens each earlier turn''s user message adds to the history [default: the template''s user section]'
            cand --tool-result-tokens 'Tokens of tool results each earlier turn adds to the history [default: 0]'
            cand --runs-per-day 'Runs per day, for every template: per day = per run × this [default: calls per day]'
            cand --var 'Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;diff'= {
            cand --base 'Compare against the merge base of REV and the head, like `git diff REV...HEAD`'
            cand --head 'The revision to compare with --base [default: HEAD]'
            cand -m 'Price and judge on this model instead of each rule''s models and primary model'
            cand --model 'Price and judge on this model instead of each rule''s models and primary model'
            cand --fail-on 'Lowest verdict that exits 1'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --staged 'Compare staged changes with HEAD (the default with no files)'
            cand --all 'Also list templates whose cost did not change'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;tokens'= {
            cand -m 'Count for this model [default: the template''s primary model]'
            cand --model 'Count for this model [default: the template''s primary model]'
            cand --var 'Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;import'= {
            cand --source 'Log source [default: auto, sniffed per file]'
            cand --team 'Team for records that name none (after [teams.*] api_keys/projects/users/tags)'
            cand --template 'Template for records that name none'
            cand --at 'Date records whose source has no timestamps (Anthropic bodies) [default: file mtime]'
            cand --agents 'Find and import every coding agent''s logs on this machine (under $HOME, or where CLAUDE_CONFIG_DIR, CODEX_HOME, COPILOT_CONFIG_DIR, GEMINI_DATA_DIR, OPENCODE_DATA_DIR, KILO_DATA_DIR point); a list narrows it: --agents codex,copilot'
            cand --user 'The developer for records that name none [default for coding agents: the OS user]'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --strict 'Any rejected line fails the import (exit 2) with nothing committed'
            cand --dry-run 'Parse, price and count, but write nothing'
            cand --reread 'Read files again even if unchanged (same path, size and mtime) since they were imported'
            cand --update 'Re-price and re-attribute records already stored, with the current cost.toml, the newest price table and --team/--template (after adding [prices], `cost pricing import` or [teams]); implies --reread'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;report'= {
            cand --by 'Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month, session, user, status, tag:KEY (agent = tag:agent)'
            cand --since 'Start of the period (inclusive) [default: the first of this month]'
            cand --until 'End of the period, inclusive: a date or a month [default: today]'
            cand --team 'Only these teams (repeatable; `(unassigned)` for records with none)'
            cand --model 'Only these models as logged (repeatable; globs like `gpt-4o*`)'
            cand --template 'Only these templates (repeatable; globs like `support/**`)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --compare-reported 'Show the cost the logs themselves state (LiteLLM spend, Claude Code costUSD) beside ours'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;runs'= {
            cand --since 'Start of the period (inclusive) [default: the first of this month]'
            cand --until 'End of the period, inclusive: a date or a month [default: today]'
            cand --team 'Only these teams (repeatable; `(unassigned)` for records with none)'
            cand --model 'Only these models as logged (repeatable; globs like `gpt-4o*`)'
            cand --template 'Only these templates (repeatable; globs like `support/**`)'
            cand --sort 'Order runs by: cost, calls, duration, start, growth, errors'
            cand --top 'Show the first N runs (0: all)'
            cand --per 'Show the spread of cost per run per template or per team instead of the runs'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;unit'= {
            cand --outcomes 'CSV of outcomes per period and dimension value'
            cand --since 'Start of the period for cost per run (inclusive) [default: the first of this month]'
            cand --until 'End of the period for cost per run, inclusive [default: today]'
            cand --team 'Only these teams (repeatable; `(unassigned)` for records with none)'
            cand --model 'Only these models as logged (repeatable; globs like `gpt-4o*`)'
            cand --template 'Only these templates (repeatable; globs like `support/**`)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;budget'= {
            cand --month 'The month [default: this month]'
            cand --fail-on 'Exit 1 when any team has passed this level [default: hard]; `incomplete` also fails on a team whose month has unpriced usage'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;cache'= {
            cand --by 'Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month'
            cand --since 'Start of the period [default: the last 30 days]'
            cand --until 'End of the period, inclusive [default: today]'
            cand --team 'Only these teams (repeatable)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;anomalies'= {
            cand --since 'Start of the period [default: the last 30 days]'
            cand --until 'End of the period, inclusive [default: today]'
            cand --threshold 'Robust deviations a day must be above its baseline'
            cand --min-usd 'Dollars a spike must be above its baseline'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;showback'= {
            cand --month 'The month [default: this month, to date]'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;whatif'= {
            cand --model 'The model to move to'
            cand --from 'Only reprice usage logged on this model: the name, its dated snapshots, a glob, or a name with the same price'
            cand --tier 'The tier to move to'
            cand --cache-hit-rate 'The share of input read from the cache (0 to 1)'
            cand --by 'Group by (comma-separated dimensions)'
            cand --since 'Start of the period [default: the last 30 days]'
            cand --until 'End of the period, inclusive [default: today]'
            cand --team 'Only these teams (repeatable)'
            cand --template 'Only these templates (repeatable; globs)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;export'= {
            cand --since 'Start of the period (inclusive) [default: focus: the first of this month; jsonl, parquet: everything]'
            cand --until 'End of the period, inclusive: a date or a month [default: focus: today; jsonl, parquet: everything]'
            cand -o 'Write to this file (focus, jsonl; default stdout) or into this directory (parquet, required)'
            cand --out 'Write to this file (focus, jsonl; default stdout) or into this directory (parquet, required)'
            cand --team 'Only these teams (repeatable; `(unassigned)` for records with none)'
            cand --model 'Only these models as logged (repeatable; globs like `gpt-4o*`)'
            cand --template 'Only these templates (repeatable; globs like `support/**`)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;watch'= {
            cand --interval 'How often the files are checked without a notification (e.g. 500ms, 2s, 1m)'
            cand --heartbeat 'How often today''s spend is printed (0: never)'
            cand --exec 'A command (run by the shell) for each alert, with the alert as one line of JSON on its standard input; its output goes to stderr'
            cand --source 'Log source [default: auto, sniffed per file]'
            cand --team 'Team for records that name none (after [teams.*] api_keys/projects/tags)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --poll 'Check every --interval only, without file notifications'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;dashboard'= {
            cand --month 'The month to open [default: this month, to date]'
            cand --snapshot 'Print one view as text and exit (no terminal needed)'
            cand --size 'Size of the --snapshot text, COLUMNSxROWS'
            cand --keys 'Keys to press before the --snapshot is taken, space-separated (j, k, enter, esc, tab, s, /, [, ], …; e.g. ''j j enter'')'
            cand --watch 'Import these log files or directories as they grow, and refresh (with --snapshot: import them once first)'
            cand --interval 'How often --watch checks the files without a notification'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;models'= {
            cand --resolve 'Show how a logged model name is priced: logged name → table key → the price that applies and where it comes from'
            cand --provider 'With --resolve: the provider that logged the name (`mistral` finds `mistral/…` keys)'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --all 'Include provider-prefixed and regional keys (`azure/…`, `openrouter/…`, `us.anthropic.…`)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;pricing'= {
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand import 'Store a newer LiteLLM price table and print what it changes'
            cand show 'List the price tables in use: the built-in snapshot and every imported table'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cost;pricing;import'= {
            cand --date 'The table''s date [default: the file''s modification day]'
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --dry-run 'Show what would change, store nothing'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;pricing;show'= {
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;pricing;help'= {
            cand import 'Store a newer LiteLLM price table and print what it changes'
            cand show 'List the price tables in use: the built-in snapshot and every imported table'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cost;pricing;help;import'= {
        }
        &'cost;pricing;help;show'= {
        }
        &'cost;pricing;help;help'= {
        }
        &'cost;init'= {
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand --force 'Overwrite cost.toml and the example template if they exist'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;completions'= {
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;man'= {
            cand --format 'Output format'
            cand --config 'Configuration file [default: cost.toml found by walking up from the current directory]'
            cand --db 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]'
            cand --color 'When to use colour (NO_COLOR is respected)'
            cand -q 'Print only data: no hints or progress on stderr'
            cand --quiet 'Print only data: no hints or progress on stderr'
            cand -v 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand --verbose 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cost;help'= {
            cand estimate 'Estimate what templates cost per call, per day and per month'
            cand diff 'Show what template changes do to cost, and gate on thresholds'
            cand tokens 'Count the tokens of template files, by section'
            cand import 'Import usage logs into the store (idempotent: re-importing adds nothing)'
            cand report 'Spend from the imported usage, grouped by any dimensions'
            cand runs 'Cost per run: one row per session (agent run, conversation, trace), and its spread'
            cand unit 'Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run'
            cand budget 'Team budgets: spent, %, forecast to month end, soft/hard status'
            cand cache 'Cache KPIs: hit rates, savings, write premium, and caching opportunities'
            cand anomalies 'Spend spikes per team, template and model, template cost-per-call change points, and runaway runs'
            cand showback 'Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share'
            cand whatif 'Reprice stored usage under another model, tier or cache-hit rate'
            cand export 'Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet'
            cand watch 'Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts'
            cand dashboard 'A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs'
            cand models 'List known model prices (USD per million tokens) and where they come from'
            cand pricing 'Keep prices current: import a newer LiteLLM price table, show the tables in use'
            cand init 'Write a starter cost.toml, an example template and a pre-commit hook config'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages (cost.1, cost-estimate.1, …) into a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cost;help;estimate'= {
        }
        &'cost;help;diff'= {
        }
        &'cost;help;tokens'= {
        }
        &'cost;help;import'= {
        }
        &'cost;help;report'= {
        }
        &'cost;help;runs'= {
        }
        &'cost;help;unit'= {
        }
        &'cost;help;budget'= {
        }
        &'cost;help;cache'= {
        }
        &'cost;help;anomalies'= {
        }
        &'cost;help;showback'= {
        }
        &'cost;help;whatif'= {
        }
        &'cost;help;export'= {
        }
        &'cost;help;watch'= {
        }
        &'cost;help;dashboard'= {
        }
        &'cost;help;models'= {
        }
        &'cost;help;pricing'= {
            cand import 'Store a newer LiteLLM price table and print what it changes'
            cand show 'List the price tables in use: the built-in snapshot and every imported table'
        }
        &'cost;help;pricing;import'= {
        }
        &'cost;help;pricing;show'= {
        }
        &'cost;help;init'= {
        }
        &'cost;help;completions'= {
        }
        &'cost;help;man'= {
        }
        &'cost;help;help'= {
        }
    ]
    $completions[$command]
}
