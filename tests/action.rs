//! The shell steps of the cost-diff action (action.yml → .github/action/*.sh) and of the GitLab
//! example, run locally: the install against a fake release, `cost diff` (the real binary) in
//! a checkout shaped as actions/checkout and GitLab's merge-request pipelines leave it, and the
//! comment or note with a fake `gh` or `curl` that records its calls. No network.
//!
//! Prices (data/litellm-model-prices-2026-07-24.json): gpt-4o input $2.50 per million tokens
//! (input_cost_per_token 2.5e-6). The scenario's rule: 15,000 calls a day, 30-day month, no
//! output tokens, so one input token a call costs 15,000 × 30 × $0.0000025 = $1.125 a month.

mod common;
use common::scripts::*;
use common::{quiet_data_dir, repo};
use std::path::{Path, PathBuf};
use std::process::Command;

fn action_script(name: &str) -> PathBuf {
    repo().join(".github/action").join(name)
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn prompt(tokens: u64) -> String {
    format!("+++\nname = \"support/answer\"\n[vars]\nticket = {{ tokens = {tokens} }}\n+++\nuser:\n{{{{ ticket }}}}\n")
}

/// A remote repository: `main` with a 3,000-token ticket template (3,007 tokens a call with
/// the role line), warn above +5% and fail above +10% a month; `feature` changes the ticket to
/// `new_tokens`. Returns (its parent directory, its path).
fn origin(new_tokens: u64) -> (tempfile::TempDir, PathBuf) {
    let scratch = tempfile::tempdir().unwrap();
    let origin = scratch.path().join("origin");
    std::fs::create_dir_all(origin.join("templates/support")).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    git(&origin, &["config", "user.email", "dev@example.com"]);
    git(&origin, &["config", "user.name", "Dev"]);
    git(&origin, &["config", "commit.gpgsign", "false"]);
    std::fs::write(
        origin.join("cost.toml"),
        "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 15000\noutput_tokens = 0\n[templates]\npaths = [\"templates/**/*.prompt\"]\n[[templates.rules]]\nmatch = \"**\"\nwarn_delta_pct = 5\nfail_delta_pct = 10\n",
    )
    .unwrap();
    std::fs::write(origin.join("templates/support/answer.prompt"), prompt(3000)).unwrap();
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "templates"]);
    git(&origin, &["checkout", "-qb", "feature"]);
    std::fs::write(origin.join("templates/support/answer.prompt"), prompt(new_tokens)).unwrap();
    git(&origin, &["commit", "-qam", "a longer ticket"]);
    git(&origin, &["checkout", "-q", "main"]);
    (scratch, origin)
}

/// The real `cost` first on PATH, after the fakes.
fn with_cost(fakes: &Fakes) -> String {
    let bin = assert_cmd::cargo::cargo_bin("cost");
    format!("{}:{}", bin.parent().unwrap().display(), fakes.path())
}

/// `KEY=value` lines of a $GITHUB_OUTPUT file.
fn outputs(file: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.split_once('=').unwrap();
            (k.to_string(), v.to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn setup_takes_the_version_and_repository_from_the_action_checkout() {
    let runner = tempfile::tempdir().unwrap();
    // Where the runner checks out `uses: acme/cost@v0.1.0`.
    let action = runner.path().join(format!("work/_actions/acme/cost/v{VERSION}"));
    std::fs::create_dir_all(&action).unwrap();
    std::fs::copy(repo().join("Cargo.toml"), action.join("Cargo.toml")).unwrap();
    let tool_cache = runner.path().join("toolcache");
    let output = runner.path().join("output");
    let fakes = Fakes::new();
    let out = run(sh(&action_script("setup.sh"), &[], runner.path(), &fakes)
        .env("GITHUB_ACTION_PATH", &action)
        .env("INPUT_REPOSITORY", "") // github.action_repository, empty in a composite action
        .env("RUNNER_TOOL_CACHE", &tool_cache)
        .env("RUNNER_ARCH", "X64")
        .env("GITHUB_OUTPUT", &output));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = format!("{}/cost/{VERSION}/X64", tool_cache.display());
    assert_eq!(
        outputs(&output),
        pairs(&[
            ("version", VERSION),
            ("repository", "acme/cost"),
            ("dir", &dir),
            ("installed", "false")
        ])
    );

    // Inputs win; a binary already in the tool cache (a self-hosted runner) is not reinstalled.
    std::fs::create_dir_all(tool_cache.join("cost/0.2.0/ARM64")).unwrap();
    std::fs::write(tool_cache.join("cost/0.2.0/ARM64/cost"), fake_binary("x")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        tool_cache.join("cost/0.2.0/ARM64/cost"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    std::fs::remove_file(&output).unwrap();
    let out = run(sh(&action_script("setup.sh"), &[], runner.path(), &fakes)
        .env("GITHUB_ACTION_PATH", &action)
        .env("INPUT_VERSION", "v0.2.0")
        .env("INPUT_REPOSITORY", "mirror/cost-builds")
        .env("RUNNER_TOOL_CACHE", &tool_cache)
        .env("RUNNER_ARCH", "ARM64")
        .env("GITHUB_OUTPUT", &output));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let dir = format!("{}/cost/0.2.0/ARM64", tool_cache.display());
    assert_eq!(
        outputs(&output),
        pairs(&[
            ("version", "0.2.0"),
            ("repository", "mirror/cost-builds"),
            ("dir", &dir),
            ("installed", "true")
        ])
    );
}

#[test]
fn the_action_installs_its_release_into_the_tool_cache() {
    let runner = tempfile::tempdir().unwrap();
    let releases = runner.path().join("releases");
    fake_release(&releases);
    let action = runner.path().join(format!("work/_actions/acme/cost/v{VERSION}"));
    std::fs::create_dir_all(&action).unwrap();
    std::fs::copy(repo().join("Cargo.toml"), action.join("Cargo.toml")).unwrap();
    let output = runner.path().join("output");
    let fakes = Fakes::new();
    fakes.add("uname", r#"case "$1" in -m) echo aarch64 ;; *) echo Linux ;; esac"#);
    let out = run(sh(&action_script("setup.sh"), &[], runner.path(), &fakes)
        .env("GITHUB_ACTION_PATH", &action)
        .env("RUNNER_TOOL_CACHE", runner.path().join("toolcache"))
        .env("RUNNER_ARCH", "ARM64")
        .env("GITHUB_OUTPUT", &output));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let setup: std::collections::HashMap<_, _> = outputs(&output).into_iter().collect();

    // The "Install cost" step of action.yml: install.sh with the step's environment.
    let out = run(sh(&repo().join("install.sh"), &[], runner.path(), &fakes)
        .env("COST_REPO", &setup["repository"])
        .env("COST_VERSION", &setup["version"])
        .env("COST_INSTALL_DIR", &setup["dir"])
        .env("COST_DOWNLOAD_URL", file_url(&releases)));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let installed = Path::new(&setup["dir"]).join("cost");
    assert_eq!(text(&out.stdout), format!("{}\n", installed.display()));
    assert_eq!(
        std::fs::read_to_string(&installed).unwrap(),
        fake_binary("aarch64-unknown-linux-musl")
    );
}

#[test]
fn action_yml_runs_scripts_that_exist() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let scripts: Vec<&str> = action
        .lines()
        .filter_map(|l| l.split("\"$GITHUB_ACTION_PATH/").nth(1))
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(
        scripts,
        [
            ".github/action/setup.sh",
            "install.sh",
            ".github/action/diff.sh",
            ".github/action/comment.sh"
        ]
    );
    for script in scripts {
        assert!(repo().join(script).is_file(), "{script}");
    }
}

/// diff.sh in a clone made as actions/checkout makes one for a pull request: one commit deep,
/// only the pull request's branch. Returns (the output directory, GITHUB_OUTPUT, the summary,
/// the run).
fn run_diff(new_tokens: u64, env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, PathBuf, std::process::Output) {
    let (scratch, origin) = origin(new_tokens);
    let work = scratch.path().join("work");
    let origin_url = format!("file://{}", origin.display());
    git(
        scratch.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            "--branch",
            "feature",
            &origin_url,
            "work",
        ],
    );
    let fakes = Fakes::new();
    let output = scratch.path().join("github-output");
    let summary = scratch.path().join("step-summary");
    let mut cmd = sh(&action_script("diff.sh"), &[], &work, &fakes);
    cmd.env("PATH", with_cost(&fakes))
        .env("COST_DATA_DIR", quiet_data_dir())
        .env("COST_NOW", "2026-11-01T12:00:00Z")
        .env("HOME", scratch.path())
        .env("COST_DIFF_OUT", scratch.path().join("out"))
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    (scratch, output, summary, out)
}

#[test]
fn diff_fetches_the_base_branch_into_a_shallow_checkout_and_records_a_breach() {
    let (scratch, output, summary, out) = run_diff(3400, &[("GITHUB_BASE_REF", "main")]);
    assert!(out.status.success(), "the step itself passes: {}", text(&out.stderr));
    let md_path = scratch.path().join("out/cost-diff.md");
    let json_path = scratch.path().join("out/cost-diff.json");
    assert_eq!(
        outputs(&output),
        pairs(&[
            ("exit-code", "1"),
            ("markdown", &md_path.display().to_string()),
            ("json", &json_path.display().to_string()),
        ])
    );
    // +400 tokens a call: 400 × $1.125 = +$450.00 a month; 3,007 → 3,407 tokens is
    // $3,382.88 → $3,832.88 (3,007 × $1.125 = $3,382.875), +13.3% > fail_delta_pct 10.
    let md = std::fs::read_to_string(&md_path).unwrap();
    assert!(
        md.starts_with(
            "<!-- cost-diff -->\n### Prompt cost: +$450.00 per month (over threshold)\n\n\
             `origin/main` → `HEAD`. The changed templates cost $3,382.88 → $3,832.88 per month"
        ),
        "{md}"
    );
    assert!(md.contains(
        "| support/answer |  | modified | gpt-4o | 3,007 → 3,407 | +400 | +$0.001000 | +$450.00 | +13.3% | **fail** |\n"
    ));
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), md);
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(json["verdict"], "fail");
    assert_eq!(json["templates"][0]["new"]["input_tokens"], 3407);
}

#[test]
fn diff_fails_on_a_warning_only_when_asked() {
    // +200 tokens: +$225.00 a month (200 × $1.125), +6.65%: over warn_delta_pct 5 only.
    for (fail_on, exit) in [("fail", "0"), ("warn", "1")] {
        let (_scratch, output, _summary, out) =
            run_diff(3200, &[("GITHUB_BASE_REF", "main"), ("INPUT_FAIL_ON", fail_on)]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let got = outputs(&output);
        assert_eq!(got[0], ("exit-code".to_string(), exit.to_string()), "fail-on {fail_on}");
        let md = std::fs::read_to_string(&got[1].1).unwrap();
        assert!(
            md.starts_with("<!-- cost-diff -->\n### Prompt cost: +$225.00 per month (warning)\n"),
            "{md}"
        );
    }
}

#[test]
fn diff_outside_a_pull_request_comments_why_it_could_not_run() {
    let (scratch, output, _summary, out) = run_diff(3400, &[]);
    assert!(out.status.success());
    assert_eq!(outputs(&output)[0], ("exit-code".to_string(), "2".to_string()));
    let md = std::fs::read_to_string(scratch.path().join("out/cost-diff.md")).unwrap();
    assert_eq!(
        md,
        "<!-- cost-diff -->\n### Prompt cost: could not be computed\n\n`cost diff --base ?` exited 2:\n\n```text\n\
         error: no revision to compare with: this is not a pull_request event (GITHUB_BASE_REF is empty)\n\
         hint: set the action's `base` input, e.g. base: origin/main\n```\n"
    );
}

/// A fake `gh` recording each call in $GH_LOG (and the body it was given in $GH_LOG.body). A
/// listing prints, page by page, the comments in $GH_PAGES/page-N.json through the call's
/// --jq filter, as `gh api --paginate --jq` does; a write prints the comment's URL. With
/// $GH_FAIL set every call fails as a fork's read-only token does.
const FAKE_GH: &str = r#"printf '%s\n' "$*" >> "$GH_LOG"
filter=""; method=GET
while [ $# -gt 0 ]; do
    case "$1" in
        --jq) filter="$2"; shift 2 ;;
        --method) method="$2"; shift 2 ;;
        -F) case "$2" in body=@*) cp "${2#body=@}" "$GH_LOG.body" ;; esac; shift 2 ;;
        *) shift ;;
    esac
done
if [ -n "${GH_FAIL:-}" ]; then echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; fi
if [ "$method" = GET ]; then
    for page in "$GH_PAGES"/page-*.json; do jq -r "$filter" "$page" || exit 1; done
else
    echo "https://github.com/acme/app/pull/5#issuecomment-1"
fi"#;

const LIST: &str = r#"api --paginate repos/acme/app/issues/5/comments --jq .[] | select((.body // "") | startswith("<!-- cost-diff -->")) | .id"#;

/// comment.sh with the fake gh, the comments of pages `pages`, and `env`. Returns (the gh log,
/// the markdown file, the run).
fn run_comment(pages: &[&str], env: &[(&str, &str)]) -> Option<(String, String, std::process::Output)> {
    if !have("jq") {
        eprintln!("skipped: jq is not on PATH (the fake gh needs it to apply gh's --jq filter)");
        return None;
    }
    let scratch = tempfile::tempdir().unwrap();
    let pages_dir = scratch.path().join("pages");
    std::fs::create_dir_all(&pages_dir).unwrap();
    for (i, page) in pages.iter().enumerate() {
        std::fs::write(pages_dir.join(format!("page-{}.json", i + 1)), page).unwrap();
    }
    let md = scratch.path().join("cost-diff.md");
    std::fs::write(
        &md,
        "<!-- cost-diff -->\n### Prompt cost: +$450.00 per month (over threshold)\n",
    )
    .unwrap();
    let log = scratch.path().join("gh.log");
    let fakes = Fakes::new();
    fakes.add("gh", FAKE_GH);
    let mut cmd = sh(&action_script("comment.sh"), &[], scratch.path(), &fakes);
    cmd.env("GH_LOG", &log)
        .env("GH_PAGES", &pages_dir)
        .env("COST_DIFF_MARKDOWN", &md)
        .env("GITHUB_REPOSITORY", "acme/app")
        .env("PR_NUMBER", "5");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = run(&mut cmd);
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    if let Ok(body) = std::fs::read_to_string(format!("{}.body", log.display())) {
        assert_eq!(
            body,
            std::fs::read_to_string(&md).unwrap(),
            "gh gets the markdown as the body"
        );
    }
    Some((calls, md.display().to_string(), out))
}

#[test]
fn comment_is_created_when_no_comment_starts_with_the_marker() {
    // A reviewer quoting the marker mid-text is not the cost comment.
    let pages = [r#"[{"id": 11, "body": "see the <!-- cost-diff --> comment below"}, {"id": 12, "body": null}]"#];
    let Some((calls, md, out)) = run_comment(&pages, &[]) else {
        return;
    };
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        calls,
        format!("{LIST}\napi --method POST repos/acme/app/issues/5/comments -F body=@{md} --jq .html_url\n")
    );
    assert_eq!(
        text(&out.stdout),
        "posted https://github.com/acme/app/pull/5#issuecomment-1\n"
    );
}

#[test]
fn comment_updates_the_first_comment_with_the_marker_on_any_page() {
    let pages = [
        r#"[{"id": 11, "body": "LGTM"}]"#,
        r#"[{"id": 42, "body": "<!-- cost-diff -->\n### Prompt cost: +$1.00 per month (ok)"}, {"id": 77, "body": "<!-- cost-diff -->\nolder copy"}]"#,
    ];
    let Some((calls, md, out)) = run_comment(&pages, &[]) else {
        return;
    };
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        calls,
        format!("{LIST}\napi --method PATCH repos/acme/app/issues/comments/42 -F body=@{md} --jq .html_url\n")
    );
    assert_eq!(
        text(&out.stdout),
        "updated https://github.com/acme/app/pull/5#issuecomment-1\n"
    );
}

#[test]
fn comment_is_skipped_outside_pull_requests_and_only_warns_when_refused() {
    let Some((calls, _, out)) = run_comment(&[], &[("PR_NUMBER", "")]) else {
        return;
    };
    assert!(out.status.success());
    assert_eq!(calls, "", "gh is not called");
    assert_eq!(
        text(&out.stdout),
        "not a pull request: no comment (the job summary has the table)\n"
    );

    let Some((calls, _, out)) = run_comment(&[], &[("GH_FAIL", "1")]) else {
        return;
    };
    assert!(
        out.status.success(),
        "a refused comment does not fail the job; the gate does"
    );
    assert_eq!(calls, format!("{LIST}\n"));
    assert!(
        text(&out.stdout).starts_with("::warning::could not read the cost comment on #5 (pull requests from forks")
    );
}

/// The `script:` of the GitLab example's job, as GitLab runs it.
fn gitlab_script() -> String {
    let yml = std::fs::read_to_string(repo().join("examples/gitlab-ci.yml")).unwrap();
    let block = yml.split("  script:\n    - |\n").nth(1).unwrap();
    block
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with("      "))
        .map(|l| format!("{}\n", l.get(6..).unwrap_or("")))
        .collect()
}

/// A fake `curl` recording "METHOD URL" and the token header in $CURL_LOG (the note's body in
/// $CURL_LOG.body); a GET of notes prints $NOTES/page-N.json, or [] past the last page.
const FAKE_CURL: &str = r#"method=GET; url=""; data=""; auth=""
while [ $# -gt 0 ]; do
    case "$1" in
        --request) method="$2"; shift 2 ;;
        --header) auth="$2"; shift 2 ;;
        --data-urlencode) data="$2"; shift 2 ;;
        -o) shift 2 ;;
        -*) shift ;;
        *) url="$1"; shift ;;
    esac
done
echo "$method $url [$auth]" >> "$CURL_LOG"
case "$data" in body@*) cp "${data#body@}" "$CURL_LOG.body" ;; esac
if [ "$method" = GET ]; then
    page="$NOTES/page-${url##*page=}.json"
    if [ -f "$page" ]; then cat "$page"; else echo '[]'; fi
fi"#;

/// The GitLab job's script in a clone shaped as a merge-request pipeline leaves it (the source
/// branch only, full depth), with the real cost and git and a fake curl for the notes API.
/// Returns (the curl log, the note's body, the run).
fn run_gitlab(new_tokens: u64, pages: &[&str]) -> Option<(String, String, std::process::Output)> {
    if !have("jq") {
        eprintln!("skipped: jq is not on PATH (the GitLab job installs it; this machine lacks it)");
        return None;
    }
    let (scratch, origin) = origin(new_tokens);
    git(
        scratch.path(),
        &[
            "clone",
            "-q",
            "--single-branch",
            "--branch",
            "feature",
            origin.to_str().unwrap(),
            "work",
        ],
    );
    let work = scratch.path().join("work");
    let notes = scratch.path().join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    for (i, page) in pages.iter().enumerate() {
        std::fs::write(notes.join(format!("page-{}.json", i + 1)), page).unwrap();
    }
    let script = scratch.path().join("job.sh");
    std::fs::write(&script, gitlab_script()).unwrap();
    let log = scratch.path().join("curl.log");
    let fakes = Fakes::new();
    fakes.add("curl", FAKE_CURL);
    let mut cmd = Command::new("sh");
    cmd.arg("-e").arg(&script).current_dir(&work);
    // The environment GitLab gives a merge-request pipeline, and none of ours.
    for (key, _) in std::env::vars() {
        if key.starts_with("COST_") || key.starts_with("CI_") || key == "GITLAB_TOKEN" {
            cmd.env_remove(key);
        }
    }
    let out = cmd
        .env("PATH", with_cost(&fakes))
        .env("HOME", scratch.path())
        .env("NO_COLOR", "1")
        .env("COST_DATA_DIR", quiet_data_dir())
        .env("COST_NOW", "2026-11-01T12:00:00Z")
        .env("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")
        .env("CI_API_V4_URL", "https://gitlab.example.com/api/v4")
        .env("CI_PROJECT_ID", "12")
        .env("CI_MERGE_REQUEST_IID", "7")
        .env("GITLAB_TOKEN", "glpat-test")
        .env("CURL_LOG", &log)
        .env("NOTES", &notes)
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(&log).unwrap_or_default();
    let body = std::fs::read_to_string(format!("{}.body", log.display())).unwrap_or_default();
    assert_eq!(body, std::fs::read_to_string(work.join("cost-diff.md")).unwrap());
    Some((calls, body, out))
}

const NOTES_URL: &str = "https://gitlab.example.com/api/v4/projects/12/merge_requests/7/notes";

#[test]
fn gitlab_job_fetches_the_target_branch_posts_a_note_and_fails_on_a_breach() {
    // System notes and a reviewer's note on page 1, nothing after.
    let pages =
        [r#"[{"id": 300, "body": "added 1 commit", "system": true}, {"id": 301, "body": "please check the cost"}]"#];
    let Some((calls, body, out)) = run_gitlab(3400, &pages) else {
        return;
    };
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        calls,
        format!(
            "GET {NOTES_URL}?sort=asc&per_page=100&page=1 [PRIVATE-TOKEN: glpat-test]\n\
             GET {NOTES_URL}?sort=asc&per_page=100&page=2 [PRIVATE-TOKEN: glpat-test]\n\
             POST {NOTES_URL} [PRIVATE-TOKEN: glpat-test]\n"
        )
    );
    // The same +$450.00 as the action's: 400 tokens × $1.125 a month.
    assert!(
        body.starts_with(
            "<!-- cost-diff -->\n### Prompt cost: +$450.00 per month (over threshold)\n\n`origin/main` → `HEAD`."
        ),
        "{body}"
    );
    assert!(text(&out.stdout).contains(&format!("note: POST {NOTES_URL}\n")));
}

#[test]
fn gitlab_job_updates_its_note_and_passes_a_small_change() {
    let pages = [
        r#"[{"id": 301, "body": "please check the cost"}]"#,
        r#"[{"id": 302, "body": "<!-- cost-diff -->\n### Prompt cost: +$450.00 per month (over threshold)"}]"#,
    ];
    // +40 tokens: +$45.00 a month (40 × $1.125), +1.33%: under both thresholds.
    let Some((calls, body, out)) = run_gitlab(3040, &pages) else {
        return;
    };
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        calls,
        format!(
            "GET {NOTES_URL}?sort=asc&per_page=100&page=1 [PRIVATE-TOKEN: glpat-test]\n\
             GET {NOTES_URL}?sort=asc&per_page=100&page=2 [PRIVATE-TOKEN: glpat-test]\n\
             PUT {NOTES_URL}/302 [PRIVATE-TOKEN: glpat-test]\n"
        )
    );
    assert!(
        body.starts_with("<!-- cost-diff -->\n### Prompt cost: +$45.00 per month (ok)\n"),
        "{body}"
    );
}
