//! `cost man DIR`: man pages for `cost` and each subcommand.

use crate::error::{Error, Result};
use clap::CommandFactory;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Write man pages (cost.1, cost-estimate.1, …) into a directory
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory to write the pages to (created if missing)
    pub dir: PathBuf,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let written = write_pages(&args.dir)?;
    for p in written {
        eprintln!("wrote {}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Renders every page as (file name, roff text).
pub fn pages() -> Vec<(String, Vec<u8>)> {
    let cmd = super::Cli::command();
    let mut out = Vec::new();
    let mut render = |name: String, cmd: clap::Command| {
        let mut buf = Vec::new();
        // Rendering into a Vec cannot fail.
        let _ = clap_mangen::Man::new(cmd).render(&mut buf);
        out.push((name, buf));
    };
    render("cost.1".into(), cmd.clone());
    for sub in cmd.get_subcommands() {
        let name = format!("cost-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .version(cmd.get_version().unwrap_or_default().to_string());
        render(format!("{name}.1"), sub);
    }
    out
}

fn write_pages(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, text) in pages() {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
