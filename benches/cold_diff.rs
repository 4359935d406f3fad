//! Cold `cost diff` (the pre-commit hook) in a generated repository of 200 multi-line templates
//! of 1–8k tokens, with 20 and then all 200 changed and staged: median wall time of 10 fresh
//! processes, next to `git diff --cached --numstat` on the same repository, and one run's
//! split by phase (COST_TIMINGS=1).
//!
//!     cargo bench --bench cold_diff

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git").current_dir(dir).args(args).output().expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A template of 1–8k tokens: numbered instruction lines (about 25 tokens each) drawn from a
/// pool, then variables. `extra` inserts that many lines in the middle, as an edit would.
fn template(i: usize, extra: usize) -> String {
    const POOL: [&str; 12] = [
        "Follow the refund policy exactly and cite the order number in your answer.",
        "Keep answers under 150 words unless the customer asks for step-by-step instructions.",
        "Never promise a delivery date that the order system does not show.",
        "If the customer is angry, acknowledge the problem before explaining anything.",
        "Escalate to a human agent when the order value is above $500 or the account is flagged.",
        "Use the customer's language; if unsure, answer in English and offer to switch.",
        "Quote prices with the currency symbol and two decimals, e.g. $19.99.",
        "Do not reveal internal tool names, ticket queues or employee names.",
        "When a product is out of stock, suggest at most two alternatives from the same category.",
        "Summarise what you did at the end of the reply in one sentence.",
        "Ask at most one clarifying question, and only when the answer depends on it.",
        "For warranty claims, check the purchase date against the 24-month warranty window.",
    ];
    let lines = 40 + (i * 37) % 280;
    let mut body = String::new();
    for j in 0..lines {
        if j == lines / 2 {
            for k in 0..extra {
                body.push_str(&format!("New rule {k}: {}\n", POOL[(i + k) % POOL.len()]));
            }
        }
        body.push_str(&format!("{}. {}\n", j + 1, POOL[(i * 7 + j * 5) % POOL.len()]));
    }
    format!(
        "+++\noutput_tokens = 200\n[vars]\nq = {{ tokens = 300 }}\nname = \"Ada\"\n+++\nsystem:\n{body}\nuser:\nHi {{{{ name }}}}: {{{{ q }}}}\n"
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(dir: &Path, program: &str, args: &[&str]) -> Duration {
    let runs: Vec<Duration> = (0..10)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(program).current_dir(dir).args(args).output().expect("run");
            assert!(
                out.status.code().is_some_and(|c| c <= 1),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            start.elapsed()
        })
        .collect();
    median(runs)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    git(d, &["init", "-q"]);
    git(d, &["config", "user.email", "bench@example.com"]);
    git(d, &["config", "user.name", "Bench"]);
    std::fs::write(
        d.join("cost.toml"),
        "[defaults]\nmodels = [\"gpt-4o\"]\ncalls_per_day = 1000\n[templates]\npaths = [\"templates/**/*.prompt\"]\n[[templates.rules]]\nmatch = \"**\"\nfail_delta_pct = 10\n",
    )
    .expect("config");
    for i in 0..200 {
        let path = d.join(format!("templates/team{}/t{i:03}.prompt", i % 10));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, template(i, 0)).expect("write");
    }
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "templates"]);
    let bin = env!("CARGO_BIN_EXE_cost");
    for changed in [20usize, 200] {
        for i in 0..changed {
            let i = i * (200 / changed);
            let path = d.join(format!("templates/team{}/t{i:03}.prompt", i % 10));
            std::fs::write(&path, template(i, 10)).expect("write");
        }
        git(d, &["add", "-A"]);
        let cost = time(d, bin, &["diff", "-q"]);
        let git_numstat = time(d, "git", &["diff", "--cached", "--numstat"]);
        let split = Command::new(bin)
            .current_dir(d)
            .args(["diff", "-q"])
            .env("COST_TIMINGS", "1")
            .output()
            .expect("run");
        println!(
            "{changed:>3} changed: cost diff median {:.1} ms; git diff --cached --numstat median {:.1} ms\n    {}",
            cost.as_secs_f64() * 1e3,
            git_numstat.as_secs_f64() * 1e3,
            String::from_utf8_lossy(&split.stderr).trim()
        );
    }
}
