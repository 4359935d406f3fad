//! Finds template files: the globs in `[templates] paths`, or the files, directories and
//! globs given on the command line; and names each one (DESIGN §10: path relative to the
//! glob's non-wildcard directory, without extension).

use crate::config::Config;
use crate::error::{Error, Result};
use globset::{GlobBuilder, GlobMatcher};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// A template file and the name it gets when its front matter gives none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub default_name: String,
}

const TEMPLATE_EXTENSIONS: &[&str] = &["prompt", "txt", "md", "json"];

struct Pattern {
    base: PathBuf,
    matcher: GlobMatcher,
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

fn pattern(root: &Path, glob: &str) -> Result<Pattern> {
    let matcher = GlobBuilder::new(glob)
        .literal_separator(true)
        .build()
        .map_err(|e| Error::usage(format!("invalid glob `{glob}`: {e}")))?
        .compile_matcher();
    let base: PathBuf = glob.split('/').take_while(|c| !has_glob(c)).collect();
    // A glob without wildcards names a file: its base is the file's directory.
    let base = if has_glob(glob) {
        base
    } else {
        base.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    Ok(Pattern {
        base: root.join(base),
        matcher,
    })
}

/// Files under `pattern`'s base whose path relative to `root` matches it.
fn walk(root: &Path, p: &Pattern) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if p.base.is_file() {
        out.push(p.base.clone());
        return out;
    }
    for entry in walkdir::WalkDir::new(&p.base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if p.matcher.is_match(slash_path(rel)) {
            out.push(entry.path().to_path_buf());
        }
    }
    out
}

fn slash_path(p: &Path) -> String {
    p.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn name_under(base: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(base).unwrap_or(file);
    slash_path(&rel.with_extension(""))
}

/// Every template named by `[templates] paths`, keyed by path.
pub fn configured(config: &Config) -> Result<BTreeMap<PathBuf, String>> {
    let root = &config.root;
    let mut found = BTreeMap::new();
    for glob in &config.template_paths {
        let p = pattern(root, glob)?;
        for file in walk(root, &p) {
            let name = name_under(&p.base, &file);
            found.entry(normalize(&file)).or_insert(name);
        }
    }
    Ok(found)
}

/// Removes `.` components and resolves `..` lexically (without the file system), so the same
/// file always has the same key; a `..` above the start is kept.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// `./templates/` → `templates`; absolute paths and globs otherwise unchanged.
fn clean_arg(arg: &str) -> String {
    let mut a = arg;
    while let Some(rest) = a.strip_prefix("./") {
        a = rest;
    }
    let a = if a.len() > 1 { a.trim_end_matches('/') } else { a };
    if a.is_empty() || a == "." {
        ".".to_string()
    } else {
        a.to_string()
    }
}

/// The templates a command should work on. With no arguments: every configured template.
/// Arguments may be files (taken as given), directories or globs (narrowed to configured
/// templates when a config names paths, else to template extensions).
pub fn discover(config: &Config, args: &[String], cwd: &Path) -> Result<Vec<Found>> {
    let known = configured(config)?;
    let mut out: Vec<Found> = Vec::new();
    // Paths are kept relative to the working directory when under it, so errors and output
    // show `templates/x.prompt`, not an absolute path.
    let push = |path: PathBuf, out: &mut Vec<Found>| {
        let key = normalize(&cwd.join(&path));
        let path = normalize(path.strip_prefix(cwd).unwrap_or(&path));
        if out.iter().any(|f| normalize(&cwd.join(&f.path)) == key) {
            return;
        }
        let default_name = known
            .get(&key)
            .cloned()
            .unwrap_or_else(|| slash_path(&path.with_extension("")));
        out.push(Found { path, default_name });
    };
    if args.is_empty() {
        for path in known.keys() {
            push(path.clone(), &mut out);
        }
        if out.is_empty() {
            return Err(Error::usage_hint(
                format!("no templates found (looked for {})", config.template_paths.join(", ")),
                "pass template files, or set [templates] paths in cost.toml",
            ));
        }
        return Ok(out);
    }
    for arg in args {
        let arg = &clean_arg(arg);
        let as_path = cwd.join(arg);
        if !has_glob(arg) && as_path.is_file() {
            push(as_path, &mut out);
            continue;
        }
        if !has_glob(arg) && as_path.is_dir() {
            let before = out.len();
            let dir = normalize(&as_path);
            for file in known.keys().filter(|k| k.starts_with(&dir)) {
                push(file.clone(), &mut out);
            }
            if known.is_empty() {
                for entry in walkdir::WalkDir::new(&as_path)
                    .sort_by_file_name()
                    .into_iter()
                    .flatten()
                {
                    let ext = entry.path().extension().and_then(|e| e.to_str()).unwrap_or("");
                    if entry.file_type().is_file() && TEMPLATE_EXTENSIONS.contains(&ext) {
                        push(entry.path().to_path_buf(), &mut out);
                    }
                }
            }
            if out.len() == before {
                return Err(Error::usage_hint(
                    format!("no templates under `{arg}`"),
                    format!(
                        "template files are those matching [templates] paths ({})",
                        config.template_paths.join(", ")
                    ),
                ));
            }
            continue;
        }
        let glob = if has_glob(arg) {
            arg.clone()
        } else {
            return Err(Error::Input {
                path: PathBuf::from(arg),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such template file"),
            });
        };
        let p = pattern(cwd, &glob)?;
        let before = out.len();
        for file in walk(cwd, &p) {
            let key = normalize(&file);
            let is_template = if known.is_empty() {
                file.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| TEMPLATE_EXTENSIONS.contains(&e))
            } else {
                known.contains_key(&key)
            };
            if is_template {
                push(file, &mut out);
            }
        }
        if out.len() == before {
            return Err(Error::usage_hint(
                format!("no templates match `{arg}`"),
                format!(
                    "template files are those matching [templates] paths ({})",
                    config.template_paths.join(", ")
                ),
            ));
        }
    }
    Ok(out)
}

/// Templates among `paths` (relative to the config's directory), keyed by path, named by the
/// glob that matched them. Used for a git revision, where there is no directory to walk.
pub fn match_paths<'a>(globs: &[String], paths: impl Iterator<Item = &'a Path>) -> Result<BTreeMap<PathBuf, String>> {
    let root = Path::new("");
    let patterns: Vec<Pattern> = globs.iter().map(|g| pattern(root, g)).collect::<Result<_>>()?;
    let mut found = BTreeMap::new();
    for path in paths {
        let rel = slash_path(path);
        if let Some(p) = patterns.iter().find(|p| p.matcher.is_match(&rel)) {
            found.insert(path.to_path_buf(), name_under(&p.base, path));
        }
    }
    Ok(found)
}
