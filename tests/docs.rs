//! The docs cannot drift: every ```console block of README.md and docs/*.md that is marked
//! `<!-- check -->` (the line before the fence) is run, and what it prints must equal what the
//! block shows.
//!
//! A file's marked blocks run in order as one shell session (an `export` or a store made in one
//! block is there for the next), in a scratch git repository holding the checked-in inputs the
//! docs use: `cost.toml`, `templates/`, `tests/fixtures/` and `docs/examples/`. Each `$ ` line
//! runs with the debug binary first on PATH, `COLUMNS=120`, `NO_COLOR=1`, `TZ=UTC` and
//! `COST_NOW=2026-09-30` (a line may pin its own), stdout and stderr together, as a reader sees
//! them. Paths under `/tmp/` in a block are moved into the scratch directory, so runs never
//! share a store. The working tree is restored after each block (the diff example edits a
//! template).

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One `$ ` line of a block and the lines shown under it.
#[derive(Debug)]
struct Step {
    block_line: usize,
    command: String,
    expected: Vec<String>,
}

/// The `$ ` lines of the marked console blocks, in file order; and how many blocks were marked.
fn marked_steps(text: &str) -> (Vec<Step>, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut steps = Vec::new();
    let mut blocks = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_end() != "```console" {
            i += 1;
            continue;
        }
        let marked = i > 0 && lines[i - 1].trim() == "<!-- check -->";
        let start = i + 1;
        let mut end = start;
        while end < lines.len() && lines[end].trim_end() != "```" {
            end += 1;
        }
        if marked {
            blocks += 1;
            let first = steps.len();
            for line in &lines[start..end] {
                if let Some(command) = line.strip_prefix("$ ") {
                    steps.push(Step {
                        block_line: start + 1,
                        command: command.to_string(),
                        expected: Vec::new(),
                    });
                } else if steps.len() > first {
                    steps.last_mut().expect("a step").expected.push(line.to_string());
                } else {
                    panic!("line {}: a checked block must start with a `$ ` line", start + 1);
                }
            }
        }
        i = end + 1;
    }
    for step in &mut steps {
        while step.expected.last().is_some_and(|l| l.trim().is_empty()) {
            step.expected.pop();
        }
    }
    (steps, blocks)
}

/// The command without a trailing `# comment` (the docs annotate some lines).
fn without_comment(command: &str) -> &str {
    match command.find("  #").or_else(|| command.find(" # ")) {
        Some(i) => command[..i].trim_end(),
        None => command,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .env("HOME", dir.join(".home"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A scratch repository with the inputs the docs use, committed, and its `/tmp/` stand-in.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(repo().join("cost.toml"), root.join("cost.toml")).unwrap();
    copy_dir(&repo().join("templates"), &root.join("templates"));
    copy_dir(&repo().join("tests/fixtures"), &root.join("tests/fixtures"));
    copy_dir(&repo().join("docs/examples"), &root.join("docs/examples"));
    std::fs::create_dir_all(root.join(".home")).unwrap();
    std::fs::create_dir_all(root.join(".tmp")).unwrap();
    // A data directory where the price table's age hint counts as shown.
    std::fs::create_dir_all(root.join(".data")).unwrap();
    std::fs::write(root.join(".data/age-hint-shown"), "9999-12-31\n").unwrap();
    std::fs::write(root.join(".gitignore"), ".home/\n.tmp/\n.data/\n").unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(
        root,
        &[
            "-c",
            "user.name=docs",
            "-c",
            "user.email=docs@example.com",
            "commit",
            "-qm",
            "docs inputs",
        ],
    );
    dir
}

/// Runs the marked blocks of `doc` (relative to the repository) and lists every difference.
fn check(doc: &str) -> (usize, usize, Vec<String>) {
    let text = std::fs::read_to_string(repo().join(doc)).unwrap();
    let (steps, blocks) = marked_steps(&text);
    let dir = scratch();
    let root = dir.path();
    let tmp = format!("{}/", root.join(".tmp").display());
    let mut script = String::new();
    for (k, step) in steps.iter().enumerate() {
        let command = without_comment(&step.command).replace("/tmp/", &tmp);
        script.push_str(&format!("{{ {command}\n}} 2>&1; __rc=$?; echo '@@step {k}@@'; "));
        let last_of_block = steps.get(k + 1).is_none_or(|next| next.block_line != step.block_line);
        if last_of_block {
            script.push_str("git checkout -q -- . 2>/dev/null; git reset -q 2>/dev/null; ");
        }
        script.push_str("(exit $__rc)\n");
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_cost")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(root)
        .env("PATH", path)
        .env("HOME", root.join(".home"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("COST_DATA_DIR", root.join(".data"))
        .env("COST_DB", root.join(".tmp/default.db"))
        .env("COST_NOW", "2026-09-30")
        .env("COLUMNS", "120")
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .env_remove("COST_CONFIG")
        .env_remove("COST_TIMINGS")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout).replace(&tmp, "/tmp/");
    let mut outputs = stdout.split("@@step ").map(|chunk| {
        // Each chunk after the first starts with `K@@\n`.
        chunk.split_once("@@\n").map_or(chunk, |(_, rest)| rest)
    });
    let mut differences = Vec::new();
    let mut got = outputs.next().unwrap_or_default();
    for step in &steps {
        let lines: Vec<String> = got.trim_end_matches('\n').lines().map(str::to_string).collect();
        let lines = if got.trim().is_empty() { Vec::new() } else { lines };
        if lines != step.expected {
            differences.push(format!(
                "{doc}:{} `$ {}`\n--- the doc shows:\n{}\n--- the run printed:\n{}",
                step.block_line,
                step.command,
                step.expected.join("\n"),
                lines.join("\n")
            ));
        }
        got = outputs.next().unwrap_or_default();
    }
    (blocks, steps.len(), differences)
}

fn docs() -> Vec<String> {
    let mut docs = vec!["README.md".to_string()];
    let mut more: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("docs/{name}"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

#[test]
fn console_examples_print_what_the_docs_show() {
    let mut differences = Vec::new();
    let mut total_blocks = 0;
    for doc in docs() {
        let (blocks, steps, diffs) = check(&doc);
        eprintln!(
            "{doc}: {blocks} checked blocks, {steps} commands, {} differ",
            diffs.len()
        );
        total_blocks += blocks;
        differences.extend(diffs);
    }
    // The README's tour and the guide's examples are marked; losing the marks would make this
    // test pass by checking nothing.
    assert!(
        total_blocks >= 18,
        "only {total_blocks} console blocks are marked `<!-- check -->`"
    );
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

#[test]
fn blocks_are_read_as_commands_and_their_output() {
    let doc =
        "text\n<!-- check -->\n```console\n$ cost a  # note\none\n\n$ cost b\n```\n\n```console\n$ cost c\nx\n```\n";
    let (steps, blocks) = marked_steps(doc);
    assert_eq!(blocks, 1, "only the marked block");
    assert_eq!(steps.len(), 2);
    assert_eq!(without_comment(&steps[0].command), "cost a");
    assert_eq!(steps[0].expected, ["one"], "trailing blank lines are not output");
    assert_eq!(steps[1].command, "cost b");
    assert!(steps[1].expected.is_empty());
    assert_eq!(steps[0].block_line, 4);
}
