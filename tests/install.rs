//! install.sh against a fake release (no network): archives packed by .ci/package, served from
//! a `file://` directory laid out as GitHub serves releases, SHA256SUMS as the release workflow
//! writes it. A fake `uname` on PATH plays each platform. And the names the three consumers of
//! a release use (install.sh, `cargo binstall`'s metadata, the release workflow's matrix)
//! agree with what .ci/package writes.

mod common;
use common::repo;
use common::scripts::*;
use std::path::Path;

/// A fake `uname` answering -s and -m from FAKE_OS and FAKE_ARCH, and a fake `sysctl` that
/// answers `sysctl.proc_translated` (Rosetta) with FAKE_TRANSLATED, or fails without it.
fn platform_fakes() -> Fakes {
    let fakes = Fakes::new();
    fakes.add(
        "uname",
        r#"case "$1" in -m) echo "$FAKE_ARCH" ;; *) echo "$FAKE_OS" ;; esac"#,
    );
    fakes.add(
        "sysctl",
        r#"[ -n "${FAKE_TRANSLATED:-}" ] || exit 1; echo "$FAKE_TRANSLATED""#,
    );
    fakes
}

fn install(release_root: &Path, to: &Path, fakes: &Fakes, platform: (&str, &str)) -> std::process::Output {
    run(sh(
        &repo().join("install.sh"),
        &["--version", VERSION, "--to"],
        release_root,
        fakes,
    )
    .arg(to)
    .env("COST_DOWNLOAD_URL", file_url(release_root))
    .env("FAKE_OS", platform.0)
    .env("FAKE_ARCH", platform.1))
}

#[test]
fn install_picks_the_archive_of_each_platform_and_verifies_it() {
    let root = tempfile::tempdir().unwrap();
    fake_release(root.path());
    let fakes = platform_fakes();
    // (uname -s, uname -m) → the archive whose binary must land in the install directory.
    let cases = [
        (("Linux", "x86_64"), "x86_64-unknown-linux-musl", "cost"),
        (("Linux", "aarch64"), "aarch64-unknown-linux-musl", "cost"),
        (("Linux", "arm64"), "aarch64-unknown-linux-musl", "cost"),
        (("Darwin", "arm64"), "aarch64-apple-darwin", "cost"),
        (("Darwin", "x86_64"), "x86_64-apple-darwin", "cost"),
        (
            ("MINGW64_NT-10.0-22631", "x86_64"),
            "x86_64-pc-windows-msvc",
            "cost.exe",
        ),
    ];
    for (platform, target, exe) in cases {
        let to = tempfile::tempdir().unwrap();
        let out = install(root.path(), to.path(), &fakes, platform);
        let stderr = text(&out.stderr);
        assert!(out.status.success(), "{platform:?}: {stderr}");
        let installed = to.path().join(exe);
        assert_eq!(text(&out.stdout), format!("{}\n", installed.display()), "{platform:?}");
        assert_eq!(
            std::fs::read_to_string(&installed).unwrap(),
            fake_binary(target),
            "{platform:?} should install the {target} binary"
        );
        let archive = archive_name(target);
        let sum = sha256_hex(&root.path().join(format!("v{VERSION}")).join(&archive));
        assert!(
            stderr.starts_with(&format!("downloading {archive}\nverified sha256 {sum}\n")),
            "{stderr}"
        );
        assert!(
            stderr.contains(&format!("installed cost {VERSION} ({target}) in ")),
            "{stderr}"
        );
        // One file: the binary, executable.
        let entries: Vec<_> = std::fs::read_dir(to.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(entries, [exe]);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(installed.metadata().unwrap().permissions().mode() & 0o777, 0o755);
    }
}

#[test]
fn install_on_rosetta_takes_the_native_apple_silicon_binary() {
    let root = tempfile::tempdir().unwrap();
    fake_release(root.path());
    let fakes = platform_fakes();
    let to = tempfile::tempdir().unwrap();
    let out = run(sh(&repo().join("install.sh"), &[], root.path(), &fakes)
        .env("COST_VERSION", format!("v{VERSION}"))
        .env("COST_INSTALL_DIR", to.path())
        .env("COST_DOWNLOAD_URL", file_url(root.path()))
        .env("FAKE_OS", "Darwin")
        .env("FAKE_ARCH", "x86_64")
        .env("FAKE_TRANSLATED", "1"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(to.path().join("cost")).unwrap(),
        fake_binary("aarch64-apple-darwin")
    );
}

#[test]
fn install_refuses_an_archive_whose_checksum_does_not_match_and_keeps_the_old_binary() {
    let root = tempfile::tempdir().unwrap();
    let release = fake_release(root.path());
    // The Linux archive swapped for another (valid) one: SHA256SUMS no longer matches it.
    let archive = archive_name("x86_64-unknown-linux-musl");
    let expected = sha256_hex(&release.join(&archive));
    std::fs::copy(
        release.join(archive_name("aarch64-unknown-linux-musl")),
        release.join(&archive),
    )
    .unwrap();
    let actual = sha256_hex(&release.join(&archive));
    assert_ne!(expected, actual);

    let to = tempfile::tempdir().unwrap();
    std::fs::write(to.path().join("cost"), "the cost installed before\n").unwrap();
    let out = install(root.path(), to.path(), &platform_fakes(), ("Linux", "x86_64"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "downloading {archive}\n\
             error: checksum mismatch for {archive}: refusing to install it\n  \
             expected (SHA256SUMS): {expected}\n  \
             downloaded:            {actual}\n\
             hint: nothing was installed; download again, and report it at https://github.com/YOUR-ORG/cost/issues if it persists\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(to.path().join("cost")).unwrap(),
        "the cost installed before\n"
    );
    let entries: Vec<_> = std::fs::read_dir(to.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["cost"], "nothing else was written");
}

#[test]
fn install_refuses_an_archive_that_sha256sums_does_not_list() {
    let root = tempfile::tempdir().unwrap();
    let release = fake_release(root.path());
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let archive = archive_name("aarch64-apple-darwin");
    let kept: String = sums
        .lines()
        .filter(|l| !l.ends_with(&archive))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(kept.lines().count(), 4);
    std::fs::write(release.join("SHA256SUMS"), kept).unwrap();

    let to = tempfile::tempdir().unwrap();
    let out = install(root.path(), to.path(), &platform_fakes(), ("Darwin", "arm64"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).ends_with(&format!(
            "error: SHA256SUMS of v{VERSION} has no line for {archive}\n\
             hint: nothing was installed; the release is incomplete or the download was altered\n"
        )),
        "{}",
        text(&out.stderr)
    );
    assert!(!to.path().join("cost").exists());
}

#[test]
fn install_says_which_platforms_have_no_prebuilt_binary() {
    let root = tempfile::tempdir().unwrap();
    fake_release(root.path());
    let to = tempfile::tempdir().unwrap();
    let fakes = platform_fakes();
    let out = install(root.path(), to.path(), &fakes, ("Linux", "armv7l"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: no prebuilt cost for the armv7l processor (Linux)\n\
         hint: build it from source: cargo install --locked --git https://github.com/YOUR-ORG/cost cost\n"
    );
    let out = install(root.path(), to.path(), &fakes, ("FreeBSD", "amd64"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("error: no prebuilt cost for FreeBSD\n"));
    assert!(!to.path().join("cost").exists());
}

#[test]
fn install_names_the_missing_release() {
    let root = tempfile::tempdir().unwrap();
    fake_release(root.path());
    let to = tempfile::tempdir().unwrap();
    let out = run(sh(
        &repo().join("install.sh"),
        &["--version", "9.9.9", "--to"],
        root.path(),
        &platform_fakes(),
    )
    .arg(to.path())
    .env("COST_DOWNLOAD_URL", file_url(root.path()))
    .env("FAKE_OS", "Linux")
    .env("FAKE_ARCH", "x86_64"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with(&format!(
            "error: could not download {}/v9.9.9/cost-9.9.9-x86_64-unknown-linux-musl.tar.gz\n\
             hint: is 9.9.9 a release of YOUR-ORG/cost, with an archive for x86_64-unknown-linux-musl? (--version, --target)\n",
            file_url(root.path())
        )),
        "{stderr}"
    );
}

/// Cargo.toml's [package.metadata.binstall] template expanded for `target`, as cargo-binstall
/// expands it: (package URL, path of the binary inside the archive).
fn binstall_expand(manifest: &toml::Value, target: &str) -> (String, String) {
    let package = &manifest["package"];
    let meta = &package["metadata"]["binstall"];
    let pkg_fmt = meta
        .get("overrides")
        .and_then(|o| o.get(target))
        .and_then(|o| o.get("pkg-fmt"))
        .unwrap_or(&meta["pkg-fmt"])
        .as_str()
        .unwrap();
    let suffix = match pkg_fmt {
        "tgz" => ".tar.gz",
        "zip" => ".zip",
        other => panic!("pkg-fmt {other} is not what .ci/package writes"),
    };
    let windows = target.contains("-windows-");
    let expand = |template: &str| {
        template
            .replace("{ repo }", package["repository"].as_str().unwrap())
            .replace("{ name }", package["name"].as_str().unwrap())
            .replace("{ version }", package["version"].as_str().unwrap())
            .replace("{ target }", target)
            .replace("{ archive-suffix }", suffix)
            .replace("{ bin }", "cost")
            .replace("{ binary-ext }", if windows { ".exe" } else { "" })
    };
    (
        expand(meta["pkg-url"].as_str().unwrap()),
        expand(meta["bin-dir"].as_str().unwrap()),
    )
}

/// The URL install.sh downloads the archive of `target` from by default, read off a fake curl
/// that records it and fails (so nothing else happens).
fn install_sh_default_url(target: &str) -> String {
    let fakes = Fakes::new();
    fakes.add(
        "curl",
        r#"for a; do url="$a"; done; echo "$url" >> "$CURL_LOG"; exit 22"#,
    );
    let log = tempfile::NamedTempFile::new().unwrap();
    let to = tempfile::tempdir().unwrap();
    let out = run(sh(
        &repo().join("install.sh"),
        &["--version", VERSION, "--target", target, "--to"],
        to.path(),
        &fakes,
    )
    .arg(to.path())
    .env("CURL_LOG", log.path()));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    std::fs::read_to_string(log.path()).unwrap().trim().to_string()
}

#[test]
fn install_sh_binstall_and_the_release_workflow_agree_with_the_archives() {
    let manifest =
        toml::Value::Table(toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap());
    let repository = manifest["package"]["repository"].as_str().unwrap();
    let root = tempfile::tempdir().unwrap();
    let release = fake_release(root.path());
    for target in TARGETS {
        let archive = archive_name(target);
        let (url, bin_dir) = binstall_expand(&manifest, target);
        // The same URL for both, under the repository Cargo.toml names (install.sh's COST_REPO).
        let expected = format!("{repository}/releases/download/v{VERSION}/{archive}");
        assert_eq!(url, expected, "binstall's pkg-url for {target}");
        assert_eq!(
            install_sh_default_url(target),
            expected,
            "install.sh's URL for {target}"
        );
        // The binary is where binstall's bin-dir says, in the archive .ci/package made.
        let listing = if archive.ends_with(".zip") {
            run(std::process::Command::new("unzip")
                .args(["-Z1"])
                .arg(release.join(&archive)))
            .stdout
        } else {
            run(std::process::Command::new("tar")
                .args(["-tzf"])
                .arg(release.join(&archive)))
            .stdout
        };
        let listing = text(&listing);
        assert!(
            listing.lines().any(|l| l == bin_dir),
            "{bin_dir} not in {archive}:\n{listing}"
        );
        assert!(
            listing
                .lines()
                .any(|l| l == format!("cost-{VERSION}-{target}/man/cost-diff.1"))
        );
    }
    // The workflow builds exactly these targets.
    let workflow = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let built: Vec<&str> = workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- target: "))
        .collect();
    assert_eq!(built, TARGETS);
}
