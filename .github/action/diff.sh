#!/bin/sh
# Step 3 of the cost-diff action (action.yml): runs `cost diff --base` in the checked-out pull
# request and writes its markdown (for the comment and the job summary) and JSON. Exits 0 even
# on a breach, so the comment is still posted; the action's last step fails the job with the
# exit code recorded here.
#
# Inputs (environment): INPUT_BASE (default origin/$GITHUB_BASE_REF), INPUT_FAIL_ON,
# INPUT_CONFIG, COST_DIFF_OUT (directory for cost-diff.md and cost-diff.json), GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY. Outputs: exit-code, markdown, json.
set -eu

marker='<!-- cost-diff -->'
out="${COST_DIFF_OUT:-${RUNNER_TEMP:-/tmp}}"
mkdir -p "$out"
md="$out/cost-diff.md"
json="$out/cost-diff.json"
err="$out/cost-diff.err"
: >"$err"

base="${INPUT_BASE:-}"
if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
    base="origin/$GITHUB_BASE_REF"
fi

rc=0
if [ -z "$base" ]; then
    echo "error: no revision to compare with: this is not a pull_request event (GITHUB_BASE_REF is empty)" >"$err"
    echo "hint: set the action's \`base\` input, e.g. base: origin/main" >>"$err"
    rc=2
else
    # actions/checkout fetches one commit by default, and only the pull request's ref: fetch the
    # base branch, and the history down to the merge base.
    shallow="$(git rev-parse --is-shallow-repository 2>/dev/null || echo false)"
    branch=""
    case "$base" in
        origin/*) branch="${base#origin/}" ;;
    esac
    if [ -n "$branch" ] && { [ "$shallow" = true ] || ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; }; then
        if [ "$shallow" = true ]; then
            git fetch --no-tags --quiet --unshallow origin "+refs/heads/$branch:refs/remotes/origin/$branch" || true
        else
            git fetch --no-tags --quiet origin "+refs/heads/$branch:refs/remotes/origin/$branch" || true
        fi
    elif [ "$shallow" = true ]; then
        git fetch --no-tags --quiet --unshallow origin || true
    fi

    if [ -n "${INPUT_CONFIG:-}" ]; then
        COST_CONFIG="$INPUT_CONFIG"
        export COST_CONFIG
    fi
    cost diff --base "$base" --fail-on "${INPUT_FAIL_ON:-fail}" --format markdown >"$md" 2>"$err" || rc=$?
    cost diff --base "$base" --format json >"$json" 2>/dev/null || true
fi
cat "$err" >&2

# A run that could not price anything still answers in the comment, replacing a stale one.
if [ ! -s "$md" ]; then
    {
        echo "$marker"
        echo "### Prompt cost: could not be computed"
        echo
        echo "\`cost diff --base ${base:-?}\` exited $rc:"
        echo
        echo '```text'
        cat "$err"
        echo '```'
    } >"$md"
elif [ "$rc" -ge 2 ]; then
    {
        echo
        echo "<details><summary>cost diff exited $rc</summary>"
        echo
        echo '```text'
        cat "$err"
        echo '```'
        echo
        echo "</details>"
    } >>"$md"
fi
[ -f "$json" ] || : >"$json"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$md" >>"$GITHUB_STEP_SUMMARY"
fi
{
    echo "exit-code=$rc"
    echo "markdown=$md"
    echo "json=$json"
} >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
