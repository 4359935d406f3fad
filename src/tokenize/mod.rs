//! Token counting per model family. OpenAI models get their exact BPE; other families are
//! counted with o200k_base and a published calibration factor, and marked approximate.
//! Encoders are built lazily, once per process, only for the encodings a run needs.

pub mod bpe;
pub mod chat;

use crate::money::Micro;
use crate::pricing::ModelPrice;
use serde::Serialize;
use std::fmt;

/// A BPE vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    O200kBase,
    Cl100kBase,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    pub fn from_name(name: &str) -> Option<Encoding> {
        match name {
            "o200k_base" => Some(Encoding::O200kBase),
            "cl100k_base" => Some(Encoding::Cl100kBase),
            _ => None,
        }
    }

    /// Number of tokens in `text`; special-token strings count as plain text.
    ///
    /// Long texts are counted in chunks that end where a line starts with a character that
    /// cannot join the previous piece (not whitespace, not `/`): every pattern of both
    /// encodings ends a piece there, so the chunk counts add up exactly. Each chunk's count is
    /// remembered for the rest of the process, so the old and new sides of a `cost diff`
    /// count their shared lines once.
    pub fn count(self, text: &str) -> u64 {
        const CHUNK: usize = 1024;
        if text.len() < 2 * CHUNK {
            return self.count_uncached(text);
        }
        let bytes = text.as_bytes();
        let mut total = 0;
        let mut start = 0;
        let mut at = start + CHUNK;
        while at < bytes.len() {
            match memchr_newline(&bytes[at..]) {
                None => break,
                Some(i) => {
                    let p = at + i + 1;
                    if p < bytes.len() && !bytes[p].is_ascii_whitespace() && bytes[p] != b'/' && bytes[p] < 0x80 {
                        total += self.count_cached(&text[start..p]);
                        start = p;
                        at = start + CHUNK;
                    } else {
                        at = p;
                    }
                }
            }
        }
        total + self.count_cached(&text[start..])
    }

    fn count_cached(self, chunk: &str) -> u64 {
        use std::collections::HashMap;
        use std::sync::{Mutex, OnceLock};
        type ChunkCounts = HashMap<(Encoding, Box<str>), u64>;
        static CACHE: OnceLock<Mutex<ChunkCounts>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        let key = (self, Box::<str>::from(chunk));
        if let Some(n) = cache.lock().ok().and_then(|c| c.get(&key).copied()) {
            return n;
        }
        let n = self.count_uncached(chunk);
        if let Ok(mut c) = cache.lock() {
            c.insert(key, n);
        }
        n
    }

    /// The count without the chunk cache (benchmarks measure the tokenizer itself with it).
    pub fn count_uncached(self, text: &str) -> u64 {
        if text.is_empty() {
            return 0;
        }
        // Our own BPE over static tables: identical counts to tiktoken and nothing to build
        // but a regex (README, "Tokenizer benchmark").
        let bpe = match self {
            Encoding::O200kBase => &*bpe::O200K_BASE,
            Encoding::Cl100kBase => &*bpe::CL100K_BASE,
        };
        bpe.count(text) as u64
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A calibration of o200k_base counts for a family without a public local tokenizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Calibration {
    pub family: &'static str,
    /// Tokens of this family per o200k_base token, on English text.
    pub factor: Micro,
    /// Where the factor comes from.
    pub source: &'static str,
}

/// Calibration factors, measured by others on English text (see README, "Token counts").
pub const CALIBRATIONS: &[Calibration] = &[
    Calibration {
        family: "claude",
        factor: Micro(1_160_000),
        source: "Claude 3.5 Sonnet vs GPT-4o on English articles: +16% (VentureBeat, May 2025)",
    },
    Calibration {
        family: "gemini",
        factor: Micro(1_047_000),
        source: "Gemma 3 tokenizer (a subset of Gemini's) vs o200k_base on 50k English CulturaX documents: 1.047x (shisa-ai tokenizer-efficiency eval)",
    },
    Calibration {
        family: "llama",
        factor: Micro(1_015_000),
        source: "Llama 3 tokenizer vs o200k_base on 50k English CulturaX documents: 1.015x (shisa-ai tokenizer-efficiency eval)",
    },
    Calibration {
        family: "mistral",
        factor: Micro(1_162_000),
        source: "Mistral v0.3 32k SentencePiece vs o200k_base on 50k English CulturaX documents: 1.162x (shisa-ai tokenizer-efficiency eval)",
    },
];

/// How a model's tokens are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tokenizer {
    pub encoding: Encoding,
    /// `None`: exact. `Some`: o200k_base counts scaled by the factor.
    pub calibration: Option<Calibration>,
}

/// Used for families with no published calibration: o200k_base as is, still approximate.
const UNCALIBRATED: Calibration = Calibration {
    family: "other",
    factor: Micro(1_000_000),
    source: "no published ratio; o200k_base counts used as is",
};

impl Tokenizer {
    pub fn exact(&self) -> bool {
        self.calibration.is_none()
    }

    /// Picks the tokenizer for a priced model: a `tokenizer` named in cost.toml, else the
    /// OpenAI family's encoding, else o200k_base with the family's calibration.
    pub fn for_model(price: &ModelPrice) -> Tokenizer {
        if let Some(enc) = price.tokenizer.as_deref().and_then(Encoding::from_name) {
            return Tokenizer {
                encoding: enc,
                calibration: None,
            };
        }
        let key = price.key.to_ascii_lowercase();
        let bare = key.rsplit('/').next().unwrap_or(&key);
        let bare = bare.strip_prefix("ft:").unwrap_or(bare);
        if let Some(enc) = openai_encoding(bare) {
            if matches!(price.provider.as_str(), "openai" | "azure" | "text-completion-openai")
                || price.provider.is_empty()
            {
                return Tokenizer {
                    encoding: enc,
                    calibration: None,
                };
            }
        }
        let calibration = CALIBRATIONS
            .iter()
            .find(|c| key.contains(c.family) || (c.family == "llama" && key.contains("meta.")))
            .copied()
            .unwrap_or(UNCALIBRATED);
        Tokenizer {
            encoding: Encoding::O200kBase,
            calibration: Some(calibration),
        }
    }

    /// Scales a BPE count of literal text to this model (exact models: unchanged).
    pub fn calibrate(&self, bpe_tokens: u64) -> u64 {
        match self.calibration {
            None => bpe_tokens,
            Some(c) => Micro::from_int(bpe_tokens as i128).times(c.factor).round() as u64,
        }
    }
}

/// The OpenAI encoding of a model name, if it is an OpenAI model.
fn openai_encoding(name: &str) -> Option<Encoding> {
    const O200K: &[&str] = &[
        "gpt-4o",
        "gpt-4.1",
        "gpt-4.5",
        "gpt-5",
        "o1",
        "o3",
        "o4",
        "chatgpt-4o",
        "gpt-oss",
        "codex-",
    ];
    const CL100K: &[&str] = &["gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada"];
    if O200K.iter().any(|p| name.starts_with(p)) {
        Some(Encoding::O200kBase)
    } else if CL100K.iter().any(|p| name.starts_with(p)) {
        Some(Encoding::Cl100kBase)
    } else {
        None
    }
}
