
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cost' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cost'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cost' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('estimate', 'estimate', [CompletionResultType]::ParameterValue, 'Estimate what templates cost per call, per day and per month')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what template changes do to cost, and gate on thresholds')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'Count the tokens of template files, by section')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import usage logs into the store (idempotent: re-importing adds nothing)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Spend from the imported usage, grouped by any dimensions')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Cost per run: one row per session (agent run, conversation, trace), and its spread')
            [CompletionResult]::new('unit', 'unit', [CompletionResultType]::ParameterValue, 'Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run')
            [CompletionResult]::new('budget', 'budget', [CompletionResultType]::ParameterValue, 'Team budgets: spent, %, forecast to month end, soft/hard status')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Cache KPIs: hit rates, savings, write premium, and caching opportunities')
            [CompletionResult]::new('anomalies', 'anomalies', [CompletionResultType]::ParameterValue, 'Spend spikes per team, template and model, template cost-per-call change points, and runaway runs')
            [CompletionResult]::new('showback', 'showback', [CompletionResultType]::ParameterValue, 'Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share')
            [CompletionResult]::new('whatif', 'whatif', [CompletionResultType]::ParameterValue, 'Reprice stored usage under another model, tier or cache-hit rate')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List known model prices (USD per million tokens) and where they come from')
            [CompletionResult]::new('pricing', 'pricing', [CompletionResultType]::ParameterValue, 'Keep prices current: import a newer LiteLLM price table, show the tables in use')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a starter cost.toml, an example template and a pre-commit hook config')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (cost.1, cost-estimate.1, …) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cost;estimate' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Price on this model (repeatable) instead of the configured ones')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Price on this model (repeatable) instead of the configured ones')
            [CompletionResult]::new('--calls-per-day', '--calls-per-day', [CompletionResultType]::ParameterName, 'Calls per day, for every template')
            [CompletionResult]::new('--output-tokens', '--output-tokens', [CompletionResultType]::ParameterName, 'Expected output (completion) tokens per call')
            [CompletionResult]::new('--cache-hit-rate', '--cache-hit-rate', [CompletionResultType]::ParameterName, 'Fraction of the cacheable prefix read from the provider''s prompt cache (0–1)')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'Pricing tier')
            [CompletionResult]::new('--turns', '--turns', [CompletionResultType]::ParameterName, 'Calls per run: a conversation or agent loop that resends its history each turn')
            [CompletionResult]::new('--turn-input-tokens', '--turn-input-tokens', [CompletionResultType]::ParameterName, 'Tokens each earlier turn''s user message adds to the history [default: the template''s user section]')
            [CompletionResult]::new('--tool-result-tokens', '--tool-result-tokens', [CompletionResultType]::ParameterName, 'Tokens of tool results each earlier turn adds to the history [default: 0]')
            [CompletionResult]::new('--runs-per-day', '--runs-per-day', [CompletionResultType]::ParameterName, 'Runs per day, for every template: per day = per run × this [default: calls per day]')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;diff' {
            [CompletionResult]::new('--base', '--base', [CompletionResultType]::ParameterName, 'Compare against the merge base of REV and the head, like `git diff REV...HEAD`')
            [CompletionResult]::new('--head', '--head', [CompletionResultType]::ParameterName, 'The revision to compare with --base [default: HEAD]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Price and judge on this model instead of each rule''s models and primary model')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Price and judge on this model instead of each rule''s models and primary model')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Lowest verdict that exits 1')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--staged', '--staged', [CompletionResultType]::ParameterName, 'Compare staged changes with HEAD (the default with no files)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Also list templates whose cost did not change')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;tokens' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Count for this model [default: the template''s primary model]')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Count for this model [default: the template''s primary model]')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;import' {
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Log source [default: auto, sniffed per file]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Team for records that name none (after [teams.*] api_keys/projects/users/tags)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Template for records that name none')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Date records whose source has no timestamps (Anthropic bodies) [default: file mtime]')
            [CompletionResult]::new('--agents', '--agents', [CompletionResultType]::ParameterName, 'Find and import every coding agent''s logs on this machine (under $HOME, or where CLAUDE_CONFIG_DIR, CODEX_HOME, COPILOT_CONFIG_DIR, GEMINI_DATA_DIR, OPENCODE_DATA_DIR, KILO_DATA_DIR point); a list narrows it: --agents codex,copilot')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The developer for records that name none [default for coding agents: the OS user]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Any rejected line fails the import (exit 2) with nothing committed')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Parse, price and count, but write nothing')
            [CompletionResult]::new('--reread', '--reread', [CompletionResultType]::ParameterName, 'Read files again even if unchanged (same path, size and mtime) since they were imported')
            [CompletionResult]::new('--update', '--update', [CompletionResultType]::ParameterName, 'Re-price and re-attribute records already stored, with the current cost.toml, the newest price table and --team/--template (after adding [prices], `cost pricing import` or [teams]); implies --reread')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;report' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month, session, user, status, tag:KEY (agent = tag:agent)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (inclusive) [default: the first of this month]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, inclusive: a date or a month [default: today]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only these teams (repeatable; `(unassigned)` for records with none)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only these models as logged (repeatable; globs like `gpt-4o*`)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Only these templates (repeatable; globs like `support/**`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--compare-reported', '--compare-reported', [CompletionResultType]::ParameterName, 'Show the cost the logs themselves state (LiteLLM spend, Claude Code costUSD) beside ours')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;runs' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (inclusive) [default: the first of this month]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, inclusive: a date or a month [default: today]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only these teams (repeatable; `(unassigned)` for records with none)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only these models as logged (repeatable; globs like `gpt-4o*`)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Only these templates (repeatable; globs like `support/**`)')
            [CompletionResult]::new('--sort', '--sort', [CompletionResultType]::ParameterName, 'Order runs by: cost, calls, duration, start, growth, errors')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Show the first N runs (0: all)')
            [CompletionResult]::new('--per', '--per', [CompletionResultType]::ParameterName, 'Show the spread of cost per run per template or per team instead of the runs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;unit' {
            [CompletionResult]::new('--outcomes', '--outcomes', [CompletionResultType]::ParameterName, 'CSV of outcomes per period and dimension value')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period for cost per run (inclusive) [default: the first of this month]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period for cost per run, inclusive [default: today]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only these teams (repeatable; `(unassigned)` for records with none)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only these models as logged (repeatable; globs like `gpt-4o*`)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Only these templates (repeatable; globs like `support/**`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;budget' {
            [CompletionResult]::new('--month', '--month', [CompletionResultType]::ParameterName, 'The month [default: this month]')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when any team has passed this level [default: hard]; `incomplete` also fails on a team whose month has unpriced usage')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;cache' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by (comma-separated): team, template, model, provider, key, project, tier, day, week, month')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period [default: the last 30 days]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, inclusive [default: today]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only these teams (repeatable)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;anomalies' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period [default: the last 30 days]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, inclusive [default: today]')
            [CompletionResult]::new('--threshold', '--threshold', [CompletionResultType]::ParameterName, 'Robust deviations a day must be above its baseline')
            [CompletionResult]::new('--min-usd', '--min-usd', [CompletionResultType]::ParameterName, 'Dollars a spike must be above its baseline')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;showback' {
            [CompletionResult]::new('--month', '--month', [CompletionResultType]::ParameterName, 'The month [default: this month, to date]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;whatif' {
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'The model to move to')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Only reprice usage logged on this model: the name, its dated snapshots, a glob, or a name with the same price')
            [CompletionResult]::new('--tier', '--tier', [CompletionResultType]::ParameterName, 'The tier to move to')
            [CompletionResult]::new('--cache-hit-rate', '--cache-hit-rate', [CompletionResultType]::ParameterName, 'The share of input read from the cache (0 to 1)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Group by (comma-separated dimensions)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period [default: the last 30 days]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, inclusive [default: today]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only these teams (repeatable)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Only these templates (repeatable; globs)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;export' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the period (inclusive) [default: focus: the first of this month; jsonl, parquet: everything]')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the period, inclusive: a date or a month [default: focus: today; jsonl, parquet: everything]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to this file (focus, jsonl; default stdout) or into this directory (parquet, required)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to this file (focus, jsonl; default stdout) or into this directory (parquet, required)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only these teams (repeatable; `(unassigned)` for records with none)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Only these models as logged (repeatable; globs like `gpt-4o*`)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Only these templates (repeatable; globs like `support/**`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;watch' {
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often the files are checked without a notification (e.g. 500ms, 2s, 1m)')
            [CompletionResult]::new('--heartbeat', '--heartbeat', [CompletionResultType]::ParameterName, 'How often today''s spend is printed (0: never)')
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'A command (run by the shell) for each alert, with the alert as one line of JSON on its standard input; its output goes to stderr')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Log source [default: auto, sniffed per file]')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Team for records that name none (after [teams.*] api_keys/projects/tags)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Check every --interval only, without file notifications')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;dashboard' {
            [CompletionResult]::new('--month', '--month', [CompletionResultType]::ParameterName, 'The month to open [default: this month, to date]')
            [CompletionResult]::new('--snapshot', '--snapshot', [CompletionResultType]::ParameterName, 'Print one view as text and exit (no terminal needed)')
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Size of the --snapshot text, COLUMNSxROWS')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Keys to press before the --snapshot is taken, space-separated (j, k, enter, esc, tab, s, /, [, ], …; e.g. ''j j enter'')')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Import these log files or directories as they grow, and refresh (with --snapshot: import them once first)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'How often --watch checks the files without a notification')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;models' {
            [CompletionResult]::new('--resolve', '--resolve', [CompletionResultType]::ParameterName, 'Show how a logged model name is priced: logged name → table key → the price that applies and where it comes from')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'With --resolve: the provider that logged the name (`mistral` finds `mistral/…` keys)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include provider-prefixed and regional keys (`azure/…`, `openrouter/…`, `us.anthropic.…`)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;pricing' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Store a newer LiteLLM price table and print what it changes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'List the price tables in use: the built-in snapshot and every imported table')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cost;pricing;import' {
            [CompletionResult]::new('--date', '--date', [CompletionResultType]::ParameterName, 'The table''s date [default: the file''s modification day]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, store nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;pricing;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;pricing;help' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Store a newer LiteLLM price table and print what it changes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'List the price tables in use: the built-in snapshot and every imported table')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cost;pricing;help;import' {
            break
        }
        'cost;pricing;help;show' {
            break
        }
        'cost;pricing;help;help' {
            break
        }
        'cost;init' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite cost.toml and the example template if they exist')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;completions' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;man' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [default: cost.toml found by walking up from the current directory]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Usage store [default: [store] path in cost.toml, else $XDG_DATA_HOME/cost/cost.db]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour (NO_COLOR is respected)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data: no hints or progress on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show more detail (estimate: tokens by section; report: cache writes by TTL and reasoning; import: every file)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cost;help' {
            [CompletionResult]::new('estimate', 'estimate', [CompletionResultType]::ParameterValue, 'Estimate what templates cost per call, per day and per month')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what template changes do to cost, and gate on thresholds')
            [CompletionResult]::new('tokens', 'tokens', [CompletionResultType]::ParameterValue, 'Count the tokens of template files, by section')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import usage logs into the store (idempotent: re-importing adds nothing)')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Spend from the imported usage, grouped by any dimensions')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Cost per run: one row per session (agent run, conversation, trace), and its spread')
            [CompletionResult]::new('unit', 'unit', [CompletionResultType]::ParameterValue, 'Unit economics: cost per outcome (tickets resolved, active tenants, …) or per run')
            [CompletionResult]::new('budget', 'budget', [CompletionResultType]::ParameterValue, 'Team budgets: spent, %, forecast to month end, soft/hard status')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'Cache KPIs: hit rates, savings, write premium, and caching opportunities')
            [CompletionResult]::new('anomalies', 'anomalies', [CompletionResultType]::ParameterValue, 'Spend spikes per team, template and model, template cost-per-call change points, and runaway runs')
            [CompletionResult]::new('showback', 'showback', [CompletionResultType]::ParameterValue, 'Commitments: committed vs consumed at list price, utilisation, idle cost, per-team share')
            [CompletionResult]::new('whatif', 'whatif', [CompletionResultType]::ParameterValue, 'Reprice stored usage under another model, tier or cache-hit rate')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export stored usage: FOCUS 1.2 CSV, lossless JSON lines, or Parquet')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep importing logs as they grow; print budget, forecast, anomaly and runaway alerts')
            [CompletionResult]::new('dashboard', 'dashboard', [CompletionResultType]::ParameterValue, 'A terminal dashboard: spend, teams, templates, models, cache, budgets, commitments, anomalies, runs')
            [CompletionResult]::new('models', 'models', [CompletionResultType]::ParameterValue, 'List known model prices (USD per million tokens) and where they come from')
            [CompletionResult]::new('pricing', 'pricing', [CompletionResultType]::ParameterValue, 'Keep prices current: import a newer LiteLLM price table, show the tables in use')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a starter cost.toml, an example template and a pre-commit hook config')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages (cost.1, cost-estimate.1, …) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cost;help;estimate' {
            break
        }
        'cost;help;diff' {
            break
        }
        'cost;help;tokens' {
            break
        }
        'cost;help;import' {
            break
        }
        'cost;help;report' {
            break
        }
        'cost;help;runs' {
            break
        }
        'cost;help;unit' {
            break
        }
        'cost;help;budget' {
            break
        }
        'cost;help;cache' {
            break
        }
        'cost;help;anomalies' {
            break
        }
        'cost;help;showback' {
            break
        }
        'cost;help;whatif' {
            break
        }
        'cost;help;export' {
            break
        }
        'cost;help;watch' {
            break
        }
        'cost;help;dashboard' {
            break
        }
        'cost;help;models' {
            break
        }
        'cost;help;pricing' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Store a newer LiteLLM price table and print what it changes')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'List the price tables in use: the built-in snapshot and every imported table')
            break
        }
        'cost;help;pricing;import' {
            break
        }
        'cost;help;pricing;show' {
            break
        }
        'cost;help;init' {
            break
        }
        'cost;help;completions' {
            break
        }
        'cost;help;man' {
            break
        }
        'cost;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
