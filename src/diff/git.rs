//! Git access through the git CLI: the repository's files at a revision or in the index, and
//! their contents through one long-lived `git cat-file --batch`.

use crate::error::{Error, Result};
use crate::template::Files;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

/// A git working tree.
#[derive(Debug, Clone)]
pub struct Repo {
    /// Absolute path of the top-level directory.
    pub root: PathBuf,
    pub shallow: bool,
    /// HEAD's commit id, `None` before the first commit.
    head: Option<String>,
}

/// Which version of the files to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rev {
    /// A commit (resolved to an object id), or `None` for the empty tree (no commits yet).
    Commit(Option<String>),
    /// The index (staged changes).
    Index,
}

fn git(root: &Path, args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
}

fn stderr_line(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

impl Repo {
    /// The repository containing `dir`, or `None` outside git.
    pub fn discover(dir: &Path) -> Result<Option<Repo>> {
        // One process for all three facts; in a repository without commits the HEAD part fails
        // but the first two lines are still printed.
        let out = match git(
            dir,
            &[
                "rev-parse",
                "--show-toplevel",
                "--is-shallow-repository",
                "HEAD^{commit}",
            ],
        ) {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::usage_hint(
                    "git is not installed",
                    "install git, or give two files: cost diff OLD NEW",
                ));
            }
            Err(e) => {
                return Err(Error::Input {
                    path: dir.to_path_buf(),
                    source: e,
                });
            }
        };
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        if lines.len() < 2 {
            return Ok(None);
        }
        let head = (out.status.success() && lines.len() >= 3).then(|| lines[2].to_string());
        Ok(Some(Repo {
            root: PathBuf::from(lines[0]),
            shallow: lines[1] == "true",
            head,
        }))
    }

    /// Resolves a revision to a commit id; `Ok(None)` for `HEAD` in a repository without commits.
    pub fn resolve(&self, rev: &str) -> Result<Option<String>> {
        if rev == "HEAD" {
            return Ok(self.head.clone());
        }
        let spec = format!("{rev}^{{commit}}");
        let out = git(&self.root, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|e| self.io(e))?;
        if out.status.success() {
            return Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_string()));
        }
        if rev == "HEAD" && !self.has_commits()? {
            return Ok(None);
        }
        let hint = if self.shallow {
            // `origin/main` is fetched into its remote-tracking ref.
            let (remote, branch) = rev.split_once('/').unwrap_or(("origin", rev));
            format!(
                "this is a shallow clone: fetch the revision with history, e.g. `git fetch --depth=1000 {remote} {branch}:refs/remotes/{remote}/{branch}` (actions/checkout: fetch-depth: 0)"
            )
        } else {
            "check the name with `git rev-parse REV`; in CI, fetch the base branch first".to_string()
        };
        Err(Error::usage_hint(format!("unknown revision `{rev}`"), hint))
    }

    fn has_commits(&self) -> Result<bool> {
        let out = git(&self.root, &["rev-parse", "--verify", "--quiet", "HEAD"]).map_err(|e| self.io(e))?;
        Ok(out.status.success())
    }

    /// `git merge-base a b`, with a clear error in a shallow clone.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<String> {
        let out = git(&self.root, &["merge-base", a, b]).map_err(|e| self.io(e))?;
        if out.status.success() {
            return Ok(String::from_utf8_lossy(&out.stdout).trim().to_string());
        }
        let hint = if self.shallow {
            "this is a shallow clone without the merge base: fetch more history (`git fetch --deepen=200`, or actions/checkout with fetch-depth: 0)".to_string()
        } else {
            "the two revisions share no history".to_string()
        };
        Err(Error::usage_hint(
            format!("no merge base between `{a}` and `{b}`"),
            hint,
        ))
    }

    fn io(&self, e: std::io::Error) -> Error {
        Error::Input {
            path: self.root.clone(),
            source: e,
        }
    }

    /// Every file at `rev`: repository-relative path → blob id.
    pub fn list(&self, rev: &Rev) -> Result<BTreeMap<PathBuf, String>> {
        let out = match rev {
            Rev::Commit(None) => return Ok(BTreeMap::new()),
            Rev::Commit(Some(id)) => git(&self.root, &["ls-tree", "-r", "-z", "--full-tree", id]),
            Rev::Index => git(&self.root, &["ls-files", "-s", "-z"]),
        }
        .map_err(|e| self.io(e))?;
        if !out.status.success() {
            return Err(Error::usage(format!("git could not list files: {}", stderr_line(&out))));
        }
        let mut files = BTreeMap::new();
        for entry in out.stdout.split(|b| *b == 0).filter(|e| !e.is_empty()) {
            let entry = String::from_utf8_lossy(entry);
            // ls-tree: "<mode> <type> <oid>\t<path>"; ls-files -s: "<mode> <oid> <stage>\t<path>"
            let Some((meta, path)) = entry.split_once('\t') else {
                continue;
            };
            let fields: Vec<&str> = meta.split(' ').collect();
            let oid = match rev {
                Rev::Index => fields.get(1),
                Rev::Commit(_) if fields.get(1) == Some(&"blob") => fields.get(2),
                Rev::Commit(_) => None, // submodules
            };
            if let Some(oid) = oid {
                files.insert(PathBuf::from(path), oid.to_string());
            }
        }
        Ok(files)
    }
}

type BatchIo = (Child, ChildStdin, BufReader<ChildStdout>);

/// Reads blobs by id through one `git cat-file --batch` process, started on first use.
pub struct BlobReader {
    io: Mutex<Option<BatchIo>>,
    root: PathBuf,
    cache: Mutex<HashMap<String, Vec<u8>>>,
}

impl BlobReader {
    pub fn new(repo: &Repo) -> BlobReader {
        BlobReader {
            io: Mutex::new(None),
            root: repo.root.clone(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    pub fn read(&self, oid: &str) -> std::io::Result<Vec<u8>> {
        if let Some(bytes) = self.cache.lock().ok().and_then(|c| c.get(oid).cloned()) {
            return Ok(bytes);
        }
        let bytes = self.fetch(&[oid.to_string()])?.pop().unwrap_or_default();
        if let Ok(mut c) = self.cache.lock() {
            c.insert(oid.to_string(), bytes.clone());
        }
        Ok(bytes)
    }

    /// Reads many blobs in one exchange with git (all requests written, then all answers
    /// read) and keeps them for later reads.
    pub fn prefetch(&self, oids: &[String]) {
        let mut todo: Vec<String> = oids.to_vec();
        todo.sort();
        todo.dedup();
        if let Ok(c) = self.cache.lock() {
            todo.retain(|o| !c.contains_key(o));
        }
        if let Ok(blobs) = self.fetch(&todo) {
            if let Ok(mut c) = self.cache.lock() {
                c.extend(todo.into_iter().zip(blobs));
            }
        }
    }

    fn fetch(&self, oids: &[String]) -> std::io::Result<Vec<Vec<u8>>> {
        let mut guard = self
            .io
            .lock()
            .map_err(|_| std::io::Error::other("blob reader poisoned"))?;
        if guard.is_none() {
            let mut child = Command::new("git")
                .arg("-C")
                .arg(&self.root)
                .args(["cat-file", "--batch"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()?;
            let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
            let stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
            *guard = Some((child, stdin, BufReader::new(stdout)));
        }
        let Some((_, stdin, stdout)) = guard.as_mut() else {
            return Err(std::io::Error::other("git cat-file did not start"));
        };
        // Requests are written from another thread so a large batch cannot deadlock on full
        // pipes.
        let request: String = oids.iter().map(|o| format!("{o}\n")).collect();
        let mut out = Vec::with_capacity(oids.len());
        std::thread::scope(|scope| -> std::io::Result<()> {
            let writer = scope.spawn(|| -> std::io::Result<()> {
                stdin.write_all(request.as_bytes())?;
                stdin.flush()
            });
            for oid in oids {
                let mut header = String::new();
                stdout.read_line(&mut header)?;
                // "<oid> blob <size>", or "<oid> missing"
                let size: usize = header
                    .split_whitespace()
                    .nth(2)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| {
                        std::io::Error::new(std::io::ErrorKind::NotFound, format!("git object {oid} is missing"))
                    })?;
                let mut buf = vec![0; size + 1];
                stdout.read_exact(&mut buf)?;
                buf.pop(); // the newline after the content
                out.push(buf);
            }
            writer.join().map_err(|_| std::io::Error::other("writer panicked"))?
        })?;
        Ok(out)
    }
}

impl Drop for BlobReader {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.io.lock() {
            if let Some((mut child, stdin, _)) = guard.take() {
                drop(stdin);
                let _ = child.wait();
            }
        }
    }
}

/// One side of a diff as [`Files`]: repository-relative paths read from a revision or the
/// index.
pub struct RevFiles<'a> {
    pub files: BTreeMap<PathBuf, String>,
    blobs: &'a BlobReader,
}

impl<'a> RevFiles<'a> {
    pub fn new(files: BTreeMap<PathBuf, String>, blobs: &'a BlobReader) -> RevFiles<'a> {
        RevFiles { files, blobs }
    }

    /// The blob id of a path, after resolving `.` and `..`.
    pub fn oid(&self, path: &Path) -> Option<&str> {
        self.files
            .get(&crate::template::discover::normalize(path))
            .map(String::as_str)
    }
}

impl Files for RevFiles<'_> {
    fn id(&self, path: &Path) -> Option<String> {
        self.oid(path).map(str::to_string)
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let oid = self
            .oid(path)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not in this revision"))?
            .to_string();
        self.blobs.read(&oid)
    }

    fn prefetch(&self, ids: &[String]) {
        self.blobs.prefetch(ids);
    }
}
