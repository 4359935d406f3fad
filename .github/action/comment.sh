#!/bin/sh
# Step 4 of the cost-diff action (action.yml): posts the markdown as the pull request's cost
# comment, or updates the one already there: the first comment whose body starts with the
# <!-- cost-diff --> marker. One comment per pull request, however many pushes.
#
# Inputs (environment): COST_DIFF_MARKDOWN (the file), PR_NUMBER (empty outside pull
# requests: nothing to comment on), GITHUB_REPOSITORY, GH_TOKEN (for gh). A failure to comment
# (a pull request from a fork gets a read-only token) is a warning: the gate is the diff's.
set -eu

body="${COST_DIFF_MARKDOWN:?COST_DIFF_MARKDOWN is not set}"
repo="${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}"
pr="${PR_NUMBER:-}"

if [ -z "$pr" ]; then
    echo "not a pull request: no comment (the job summary has the table)"
    exit 0
fi

if ! command -v gh >/dev/null 2>&1; then
    echo "::warning::gh (the GitHub CLI) is not on this runner's PATH: no comment; the job summary has the table"
    exit 0
fi

# GitHub Enterprise Server: gh talks to the server the workflow runs on.
case "${GITHUB_SERVER_URL:-https://github.com}" in
    https://github.com) ;;
    *) GH_HOST="${GITHUB_SERVER_URL#*://}" && export GH_HOST ;;
esac

cannot() {
    echo "::warning::could not $1 the cost comment on #$pr (pull requests from forks get a read-only token; the workflow needs 'pull-requests: write'); the job summary has the table"
    exit 0
}

ids="$(gh api --paginate "repos/$repo/issues/$pr/comments" \
    --jq '.[] | select((.body // "") | startswith("<!-- cost-diff -->")) | .id')" || cannot read
id="$(printf '%s\n' "$ids" | sed -n '/^[0-9][0-9]*$/{p;q;}')"

if [ -n "$id" ]; then
    url="$(gh api --method PATCH "repos/$repo/issues/comments/$id" -F "body=@$body" --jq .html_url)" || cannot update
    echo "updated $url"
else
    url="$(gh api --method POST "repos/$repo/issues/$pr/comments" -F "body=@$body" --jq .html_url)" || cannot post
    echo "posted $url"
fi
