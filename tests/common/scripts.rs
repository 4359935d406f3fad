//! Helpers for the shell scripts that ship beside the binary: install.sh, .ci/package and the
//! action's steps in .github/action/. Each runs under `sh` (dash on Debian: POSIX, as on a
//! user's machine), with a PATH whose first directory holds the fake commands a test writes,
//! and no COST_* or GitHub variable of the environment the tests run in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The version the release archives are named after.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The targets the release workflow builds, as install.sh and `cargo binstall` name them.
pub const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

/// A directory of fake commands, put first on PATH by [`Fakes::path`].
pub struct Fakes {
    dir: tempfile::TempDir,
}

impl Fakes {
    pub fn new() -> Self {
        Fakes {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A fake `name`: a shell script running `body`.
    pub fn add(&self, name: &str, body: &str) -> &Self {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        self
    }

    /// The fakes first, then the PATH the tests run with.
    pub fn path(&self) -> String {
        format!(
            "{}:{}",
            self.dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// `sh SCRIPT ARGS…` from `dir`, with the fakes first on PATH and a clean environment for the
/// scripts' own variables.
pub fn sh(script: &Path, args: &[&str], dir: &Path, fakes: &Fakes) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg(script).args(args).current_dir(dir).env("PATH", fakes.path());
    for (key, _) in std::env::vars() {
        if key.starts_with("COST_")
            || key.starts_with("GITHUB_")
            || key.starts_with("INPUT_")
            || key.starts_with("RUNNER_")
            || key.starts_with("CI_")
            || key == "GH_TOKEN"
            || key == "GITLAB_TOKEN"
        {
            cmd.env_remove(key);
        }
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

pub fn run(cmd: &mut Command) -> Output {
    cmd.output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What the fake binary of `target` is: a script saying which archive it came from.
pub fn fake_binary(target: &str) -> String {
    format!("#!/bin/sh\necho \"cost {VERSION} {target}\"\n")
}

/// A release laid out as GitHub serves one: `root/v<VERSION>/` holding an archive per target,
/// each made by .ci/package from [`fake_binary`], and SHA256SUMS, as the release workflow
/// concatenates it. Returns that directory.
pub fn fake_release(root: &Path) -> PathBuf {
    let release = root.join(format!("v{VERSION}"));
    let bins = root.join("bins");
    std::fs::create_dir_all(&bins).unwrap();
    let mut sums = String::new();
    for target in TARGETS {
        let bin = bins.join(target);
        std::fs::write(&bin, fake_binary(target)).unwrap();
        let out = Command::new("sh")
            .arg(super::repo().join(".ci/package"))
            .args([target, VERSION])
            .arg(&bin)
            .arg(&release)
            .current_dir(super::repo())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        let archive = archive_name(target);
        let line = std::fs::read_to_string(release.join(format!("{archive}.sha256"))).unwrap();
        assert_eq!(line, format!("{}  {archive}\n", sha256_hex(&release.join(&archive))));
        sums.push_str(&line);
        std::fs::remove_file(release.join(format!("{archive}.sha256"))).unwrap();
    }
    std::fs::write(release.join("SHA256SUMS"), sums).unwrap();
    release
}

/// `cost-<VERSION>-<target>.tar.gz`, or `.zip` for Windows.
pub fn archive_name(target: &str) -> String {
    let ext = if target.contains("-windows-") { "zip" } else { "tar.gz" };
    format!("cost-{VERSION}-{target}.{ext}")
}

pub fn sha256_hex(path: &Path) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A `file://` URL for a local directory.
pub fn file_url(dir: &Path) -> String {
    format!("file://{}", dir.display())
}

/// Whether `program` runs (`program --version`).
pub fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
