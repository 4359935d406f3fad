//! The real pre-commit framework running this repository's `.pre-commit-hooks.yaml` in a
//! scratch repository: a commit adding ~400 tokens over a 10% rule is blocked, a small edit
//! goes through. pre-commit is installed with pip into a virtualenv under the target
//! directory when it is not on PATH; the test is skipped, saying why, only if that fails.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn run(dir: &Path, program: &Path, args: &[&str], path_env: &str, home: &Path) -> std::process::Output {
    Command::new(program)
        .current_dir(dir)
        .args(args)
        .env("PATH", path_env)
        .env("PRE_COMMIT_HOME", home)
        .env("COST_DATA_DIR", quiet_data_dir())
        .env("NO_COLOR", "1")
        .env("COST_NOW", "2026-11-01T12:00:00Z")
        .env_remove("COST_CONFIG")
        .output()
        .unwrap()
}

/// pre-commit on PATH, or installed into target/tmp; `Err` says why it could not be had.
/// Found or installed once per run: the tests here run in parallel, and a second pip install
/// into the same virtualenv while the first is under way breaks both.
fn pre_commit() -> Result<PathBuf, String> {
    static FOUND: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    FOUND.get_or_init(find_or_install).clone()
}

fn find_or_install() -> Result<PathBuf, String> {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Ok(PathBuf::from("pre-commit"));
    }
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pre-commit-venv");
    let bin = venv.join("bin/pre-commit");
    if bin.exists() {
        return Ok(bin);
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("no python3 to install pre-commit with")?;
    let out = Command::new(python)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "python -m venv failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "pre-commit"])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "pip install pre-commit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(bin)
}

fn prompt(tokens: u64) -> String {
    format!("+++\nname = \"support/answer\"\n[vars]\nticket = {{ tokens = {tokens} }}\n+++\nuser:\n{{{{ ticket }}}}\n")
}

#[test]
fn pre_commit_blocks_a_costly_change_and_lets_a_small_one_through() {
    let pre_commit = match pre_commit() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: pre-commit is not available ({why})");
            return;
        }
    };
    // The hook repository is this one, at its committed HEAD (pre-commit clones it).
    let hooks_repo = repo();
    let rev = Command::new("git")
        .current_dir(&hooks_repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
    let committed = Command::new("git")
        .current_dir(&hooks_repo)
        .args(["cat-file", "-e", &format!("{rev}:.pre-commit-hooks.yaml")])
        .status()
        .unwrap();
    assert!(
        committed.success(),
        ".pre-commit-hooks.yaml must be committed for this test"
    );

    let bin_dir = assert_cmd::cargo::cargo_bin("cost").parent().unwrap().to_path_buf();
    let path_env = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let home = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let d = scratch.path();
    let git = |args: &[&str]| run(d, Path::new("git"), args, &path_env, home.path());
    assert!(git(&["init", "-q", "-b", "main"]).status.success());
    git(&["config", "user.email", "dev@example.com"]);
    git(&["config", "user.name", "Dev"]);
    git(&["config", "commit.gpgsign", "false"]);
    std::fs::write(
        d.join("cost.toml"),
        "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 15000\noutput_tokens = 0\n[templates]\npaths = [\"templates/**/*.prompt\"]\n[[templates.rules]]\nmatch = \"**\"\nfail_delta_pct = 10\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("templates/support")).unwrap();
    std::fs::write(d.join("templates/support/answer.prompt"), prompt(3000)).unwrap();
    std::fs::write(
        d.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: cost-diff-system\n",
            hooks_repo.display()
        ),
    )
    .unwrap();
    let install = run(d, &pre_commit, &["install"], &path_env, home.path());
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    git(&["add", "-A"]);
    let first = git(&["commit", "-qm", "templates"]);
    assert!(
        first.status.success(),
        "{}{}",
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr)
    );

    // +400 tokens on 3,007: +13.3% per month > fail_delta_pct 10 — blocked.
    std::fs::write(d.join("templates/support/answer.prompt"), prompt(3400)).unwrap();
    git(&["add", "-A"]);
    let blocked = git(&["commit", "-qm", "bigger prompt"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&blocked.stdout),
        String::from_utf8_lossy(&blocked.stderr)
    );
    assert!(!blocked.status.success(), "the commit should be blocked:\n{said}");
    assert!(said.contains("+13.30% > fail_delta_pct 10"), "{said}");

    // +100 tokens: +3.3% — allowed.
    std::fs::write(d.join("templates/support/answer.prompt"), prompt(3100)).unwrap();
    git(&["add", "-A"]);
    let allowed = git(&["commit", "-qm", "small edit"]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&allowed.stdout),
        String::from_utf8_lossy(&allowed.stderr)
    );
    assert!(allowed.status.success(), "the commit should go through:\n{said}");
}

/// A monorepo whose only cost.toml is in `services/ai/` (warn above +5%, fail above +10%),
/// with pre-commit installed running this repository's hook. Returns (scratch dir, pre-commit
/// home, PATH), or `None` (printing why) when pre-commit cannot be had.
fn monorepo_with_hook() -> Option<(tempfile::TempDir, tempfile::TempDir, String)> {
    let pre_commit = match pre_commit() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("skipped: pre-commit is not available ({why})");
            return None;
        }
    };
    let hooks_repo = repo();
    let rev = Command::new("git")
        .current_dir(&hooks_repo)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let rev = String::from_utf8_lossy(&rev.stdout).trim().to_string();
    let bin_dir = assert_cmd::cargo::cargo_bin("cost").parent().unwrap().to_path_buf();
    let path_env = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let home = tempfile::tempdir().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let d = scratch.path();
    let git = |args: &[&str]| run(d, Path::new("git"), args, &path_env, home.path());
    assert!(git(&["init", "-q", "-b", "main"]).status.success());
    git(&["config", "user.email", "dev@example.com"]);
    git(&["config", "user.name", "Dev"]);
    git(&["config", "commit.gpgsign", "false"]);
    std::fs::create_dir_all(d.join("services/ai/templates/support")).unwrap();
    std::fs::write(
        d.join("services/ai/cost.toml"),
        "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 15000\noutput_tokens = 0\n[templates]\npaths = [\"templates/**/*.prompt\"]\n[[templates.rules]]\nmatch = \"**\"\nwarn_delta_pct = 5\nfail_delta_pct = 10\n",
    )
    .unwrap();
    std::fs::write(d.join("services/ai/templates/support/answer.prompt"), prompt(3000)).unwrap();
    std::fs::write(
        d.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: cost-diff-system\n",
            hooks_repo.display()
        ),
    )
    .unwrap();
    let install = run(d, &pre_commit, &["install"], &path_env, home.path());
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));
    git(&["add", "-A"]);
    let first = git(&["commit", "-qm", "templates"]);
    assert!(
        first.status.success(),
        "{}{}",
        String::from_utf8_lossy(&first.stdout),
        String::from_utf8_lossy(&first.stderr)
    );
    Some((scratch, home, path_env))
}

#[test]
fn pre_commit_shows_warnings_and_how_to_skip_in_a_monorepo() {
    let Some((scratch, home, path_env)) = monorepo_with_hook() else {
        eprintln!("skipped: pre_commit_shows_warnings_and_how_to_skip_in_a_monorepo needs pre-commit");
        return;
    };
    let d = scratch.path();
    let git = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = Command::new("git");
        cmd.current_dir(d)
            .args(args)
            .env("PATH", &path_env)
            .env("PRE_COMMIT_HOME", home.path())
            .env("NO_COLOR", "1")
            .env("COST_NOW", "2026-11-01T12:00:00Z")
            .env_remove("COST_CONFIG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), said)
    };
    let answer = d.join("services/ai/templates/support/answer.prompt");

    // +200 tokens on 3,007: 200 / 3,007 = +6.65% (+$225/month at 15,000 calls/day) is over
    // warn_delta_pct 5, under fail_delta_pct 10: the commit goes through and the warning shows
    // (pre-commit hid it behind "Passed" before `verbose: true`).
    std::fs::write(&answer, prompt(3200)).unwrap();
    git(&["add", "-A"], &[]);
    let (ok, said) = git(&["commit", "-m", "a little longer"], &[]);
    assert!(ok, "the commit should go through:\n{said}");
    assert!(
        said.contains("warning: support/answer (gpt-4o): +6.65% > warn_delta_pct 5"),
        "{said}"
    );

    // +400 more on 3,207: 400 / 3,207 = +12.47% > fail_delta_pct 10 — blocked, and the
    // message says how to bypass the hook once, with this repository's hook id.
    std::fs::write(&answer, prompt(3600)).unwrap();
    git(&["add", "-A"], &[]);
    let (ok, said) = git(&["commit", "-m", "much longer"], &[]);
    assert!(!ok, "the commit should be blocked:\n{said}");
    assert!(said.contains("+12.47% > fail_delta_pct 10"), "{said}");
    assert!(
        said.contains("hint: to commit once without this check: SKIP=cost-diff-system git commit …"),
        "{said}"
    );
    let (ok, said) = git(&["commit", "-m", "much longer"], &[("SKIP", "cost-diff-system")]);
    assert!(ok, "SKIP should bypass the hook:\n{said}");
}
