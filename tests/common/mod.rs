//! Shared helpers: the real binary with a pinned environment, and scratch projects.
#![allow(dead_code)]

pub mod scripts;
pub mod store;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A data directory (`COST_DATA_DIR`) for tests that are not about prices: no imported
/// tables, and the price table's age hint stamped as already shown, so the real user's data
/// directory is never touched and stderr stays as each test expects.
pub fn quiet_data_dir() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quiet-data-dir");
        std::fs::create_dir_all(&dir).unwrap();
        // Written whole and renamed: a test binary running at the same time never reads it
        // half-written.
        let tmp = dir.join(format!("stamp.{}", std::process::id()));
        std::fs::write(&tmp, "9999-12-31\n").unwrap();
        std::fs::rename(&tmp, dir.join("age-hint-shown")).unwrap();
        dir
    })
}

/// `cost` run from `dir`, with colour off, a fixed width, UTC and a fixed "now".
pub fn cost_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cost").unwrap();
    cmd.current_dir(dir)
        .env("COST_DATA_DIR", quiet_data_dir())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "160")
        .env("TZ", "UTC")
        .env("COST_NOW", "2026-11-01T12:00:00Z")
        .env_remove("COST_CONFIG")
        .env_remove("COST_DB");
    cmd
}

/// `cost` run from the repository root (its cost.toml and templates/).
pub fn cost() -> Command {
    cost_in(&repo())
}

/// A scratch project: files written from (path, content) pairs.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

pub fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn json(cmd: &mut Command) -> serde_json::Value {
    serde_json::from_str(&stdout(cmd)).unwrap()
}

/// Runs a command expected to fail: returns (exit code, stderr).
pub fn fails(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().unwrap();
    assert!(
        !out.status.success(),
        "expected failure, got success: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stderr).unwrap())
}

/// Every word a view shows is whole: each one appears as a word of the same view drawn at
/// 160 columns, where nothing is cut (a name cut on purpose ends in `…`; bars and gauges are
/// drawings, not words). The tab row, the footer and the lines that say how many rows are
/// out of sight depend on the size.
pub fn words_are_whole(narrow: &str, wide: &str) {
    let strip = |w: &str| w.trim_end_matches([',', ';', ':', '.']).to_string();
    let wide: std::collections::HashSet<String> = wide.split_whitespace().map(strip).collect();
    let lines: Vec<&str> = narrow.lines().collect();
    for line in &lines[2..lines.len() - 1] {
        let t = line.trim_start();
        if t.starts_with("rows ") || t.starts_with("… ") {
            continue;
        }
        for word in line.split_whitespace().map(strip) {
            let word = word.as_str();
            let drawing = word.chars().all(|c| "▁▂▃▄▅▆▇█░▒▲┊┃".contains(c));
            assert!(
                drawing || word.ends_with('…') || wide.contains(word),
                "`{word}` is cut in:\n{line}\n\n{narrow}"
            );
        }
    }
}
