//! `cost completions SHELL`: shell completion scripts on stdout.

use crate::error::{Error, Result};
use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print a shell completion script
///
/// Example: `cost completions zsh > ~/.zfunc/_cost`. Pre-generated scripts for every shell
/// are in the repository's completions/ directory.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let mut out = Vec::new();
    generate(args.shell, &mut out);
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    lock.write_all(&out)
        .and_then(|_| lock.flush())
        .map_err(|source| Error::Io {
            path: PathBuf::from("<stdout>"),
            source,
        })?;
    Ok(ExitCode::SUCCESS)
}

/// The completion script for `shell`.
pub fn generate(shell: Shell, out: &mut Vec<u8>) {
    let mut cmd = super::Cli::command();
    clap_complete::generate(shell, &mut cmd, "cost", out);
}

/// File name used for each shell's script under completions/.
pub fn file_name(shell: Shell) -> &'static str {
    match shell {
        Shell::Bash => "cost.bash",
        Shell::Zsh => "_cost",
        Shell::Fish => "cost.fish",
        Shell::Elvish => "cost.elv",
        Shell::PowerShell => "_cost.ps1",
        _ => "cost.completion",
    }
}
