//! The library's error type: what went wrong, where, and what the user can do about it.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad arguments or flag values (exit 2).
    #[error("{message}")]
    Usage { message: String, hint: Option<String> },

    /// `cost.toml` could not be read or is invalid (exit 2).
    #[error("{}:{}: {message}", path.display(), location(*line, *column))]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
        hint: Option<String>,
    },

    /// A template could not be read, parsed or rendered (exit 2).
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Template {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        hint: Option<String>,
    },

    /// A model the price table does not know, where a price is required (exit 2).
    #[error("unknown model `{model}`{}", context.as_ref().map(|c| format!(" in {c}")).unwrap_or_default())]
    UnknownModel {
        model: String,
        context: Option<String>,
        suggestions: Vec<String>,
    },

    /// A model that cannot be priced as asked, e.g. on a tier it has no price for (exit 2).
    #[error("cannot price `{model}`: {message}")]
    Pricing {
        model: String,
        message: String,
        hint: Option<String>,
    },

    /// A file given to `cost pricing import` is not a usable price table (exit 2).
    #[error("{}: {message}", path.display())]
    PriceFile {
        path: PathBuf,
        message: String,
        hint: Option<String>,
    },

    /// An input file the user named cannot be read (exit 2).
    #[error("cannot read {}: {source}", path.display())]
    Input { path: PathBuf, source: std::io::Error },

    /// The store cannot be used as it is: missing, a directory, another application's
    /// database, damaged, or of a newer schema (exit 2).
    #[error("{message}")]
    Store {
        path: PathBuf,
        message: String,
        hint: String,
    },

    /// Writing output or state failed (exit 3).
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

fn location(line: usize, column: usize) -> String {
    if column > 0 {
        format!("{line}:{column}")
    } else {
        line.to_string()
    }
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    pub fn template(path: impl Into<PathBuf>, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::Template {
            path: path.into(),
            line,
            message: message.into(),
            hint: None,
        }
    }

    /// Says where an unknown model name came from (`--model`, a template, a rule); other
    /// errors pass through.
    pub fn in_context(self, context: impl Into<String>) -> Error {
        match self {
            Error::UnknownModel { model, suggestions, .. } => Error::UnknownModel {
                model,
                context: Some(context.into()),
                suggestions,
            },
            other => other,
        }
    }

    /// What the user can do about it, printed as `hint:` under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Usage { hint, .. }
            | Error::Config { hint, .. }
            | Error::Template { hint, .. }
            | Error::Pricing { hint, .. }
            | Error::PriceFile { hint, .. } => hint.clone(),
            Error::UnknownModel { model, suggestions, .. } => {
                let add = format!(
                    "to price a custom model add [prices.\"{model}\"] with `input` and `output` (USD per million tokens) to cost.toml; `cost models PATTERN` lists known names"
                );
                Some(match suggestions.as_slice() {
                    [] => add,
                    names => format!(
                        "did you mean {}? Or {add}",
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                    ),
                })
            }
            Error::Input { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Some("check the path (and the working directory)".into())
            }
            Error::Input { .. } => None,
            Error::Store { hint, .. } => Some(hint.clone()),
            Error::Io { .. } => Some("check that the path is writable and the disk is not full".into()),
        }
    }

    /// The process exit code for this error (DESIGN §2).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io { .. } => 3,
            _ => 2,
        }
    }
}

/// The candidates closest to `word`, best first: the "did you mean" of every hint.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Vec<String> {
    let word_lc = word.to_ascii_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lc, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| a.1.len().cmp(&b.1.len()))
            .then_with(|| a.1.cmp(b.1))
    });
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c.to_string()).collect()
}
