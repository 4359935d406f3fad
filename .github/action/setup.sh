#!/bin/sh
# Step 1 of the cost-diff action (action.yml): which cost to install, from where, into which
# directory. Writes version, repository, dir and installed (true when dir already holds it, as
# on a self-hosted runner) to $GITHUB_OUTPUT.
#
# Inputs (environment): INPUT_VERSION, INPUT_REPOSITORY, GITHUB_ACTION_PATH, RUNNER_TOOL_CACHE,
# RUNNER_TEMP, RUNNER_ARCH, GITHUB_OUTPUT.
set -eu

action="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set: run this from action.yml}"

# By default, the release this action was taken from: its Cargo.toml names the version.
version="${INPUT_VERSION:-}"
if [ -z "$version" ]; then
    version="$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action/Cargo.toml" | head -n 1)"
fi
version="${version#v}"
if [ -z "$version" ]; then
    echo "::error::cannot tell which cost to install: $action/Cargo.toml names no version; set the action's \`version\` input"
    exit 1
fi

# The repository the releases are in: the input (github.action_repository by default, which
# the runner leaves empty in some composite-action contexts), else the owner/name in the path
# the runner checked the action out to (…/_actions/OWNER/NAME/REF), else install.sh's own.
repository="${INPUT_REPOSITORY:-}"
if [ -z "$repository" ]; then
    case "$action" in
        */_actions/*/*/*)
            rest="${action#*/_actions/}"
            owner="${rest%%/*}"
            rest="${rest#*/}"
            repository="$owner/${rest%%/*}"
            ;;
    esac
fi

# The tool cache survives between jobs on self-hosted runners; hosted ones restore it from
# actions/cache. Forward slashes, which both Git Bash and Windows read.
root="${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}"
dir="$(printf '%s' "$root/cost/$version/${RUNNER_ARCH:-unknown}" | sed 's#\\#/#g')"
installed=false
if [ -x "$dir/cost" ] || [ -x "$dir/cost.exe" ]; then
    installed=true
fi

{
    echo "version=$version"
    echo "repository=$repository"
    echo "dir=$dir"
    echo "installed=$installed"
} >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
echo "cost $version from ${repository:-the repository install.sh names} into $dir"
