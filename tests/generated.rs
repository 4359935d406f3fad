//! The checked-in completions/ and man/ must match what the binary generates, and every
//! subcommand's --help is snapshotted so interface changes show in review.

mod common;
use common::*;

const SHELLS: &[(&str, &str)] = &[
    ("bash", "cost.bash"),
    ("zsh", "_cost"),
    ("fish", "cost.fish"),
    ("elvish", "cost.elv"),
    ("powershell", "_cost.ps1"),
];

#[test]
fn completions_are_current() {
    for (shell, file) in SHELLS {
        let generated = stdout(cost().args(["completions", shell]));
        let path = repo().join("completions").join(file);
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            generated == checked_in,
            "completions/{file} is stale: run `cargo run -- completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn man_pages_are_current() {
    let dir = tempfile::tempdir().unwrap();
    cost().args(["man", dir.path().to_str().unwrap()]).assert().success();
    let mut generated: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    generated.sort();
    let mut checked_in: Vec<String> = std::fs::read_dir(repo().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    checked_in.sort();
    assert_eq!(
        generated, checked_in,
        "man/ has different pages: run `cargo run -- man man`"
    );
    for name in generated {
        let a = std::fs::read(dir.path().join(&name)).unwrap();
        let b = std::fs::read(repo().join("man").join(&name)).unwrap();
        assert!(a == b, "man/{name} is stale: run `cargo run -- man man`");
    }
}

#[test]
fn help_texts() {
    insta::assert_snapshot!("help", stdout(cost().arg("--help")));
    for sub in [
        "estimate",
        "diff",
        "tokens",
        "import",
        "report",
        "budget",
        "cache",
        "anomalies",
        "showback",
        "whatif",
        "export",
        "watch",
        "dashboard",
        "models",
        "pricing",
        "init",
        "completions",
        "man",
    ] {
        insta::assert_snapshot!(format!("help_{sub}"), stdout(cost().args([sub, "--help"])));
    }
}
