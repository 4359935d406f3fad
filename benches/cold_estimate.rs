//! Cold `cost estimate` over 200 generated templates: median wall time of 10 fresh
//! processes, the binary built in release mode.
//!
//!     cargo bench --bench cold_estimate

use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("cost.toml"),
        "[defaults]\nmodels = [\"gpt-4o\", \"claude-sonnet-4-5\"]\ncalls_per_day = 1000\n[templates]\npaths = [\"templates/**/*.prompt\"]\n",
    )
    .expect("write config");
    let paragraph = "You are a careful assistant for an online retailer. Follow the refund policy, cite the order \
                     number, keep answers under 150 words, and never promise delivery dates you cannot verify. ";
    for i in 0..200 {
        // 1–8k tokens of static instructions, then per-call variables.
        let repeats = 30 + (i * 37) % 220;
        let body = paragraph.repeat(repeats);
        let path = dir.path().join(format!("templates/team{}/t{i:03}.prompt", i % 10));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(
            &path,
            format!("+++\noutput_tokens = 200\n[vars]\nq = {{ tokens = 300 }}\nname = \"Ada\"\n+++\nsystem:\n{body}\nuser:\nHi {{{{ name }}}}: {{{{ q }}}}\n"),
        )
        .expect("write template");
    }
    let bin = env!("CARGO_BIN_EXE_cost");
    let run = || {
        let start = Instant::now();
        let out = Command::new(bin)
            .arg("estimate")
            .arg("--format")
            .arg("json")
            .current_dir(dir.path())
            .output()
            .expect("run cost");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        start.elapsed()
    };
    run(); // warm the page cache
    let mut times: Vec<Duration> = (0..10).map(|_| run()).collect();
    times.sort();
    println!(
        "cold `cost estimate` over 200 templates × 2 models: median {:.1} ms (min {:.1}, max {:.1}) of 10 runs",
        times[5].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[9].as_secs_f64() * 1e3
    );
}
