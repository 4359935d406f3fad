//! Counts a rendered template's tokens for one encoding, per section, and its cacheable
//! prefix. Counts are kept as BPE text tokens (scaled for approximate models) plus fixed
//! tokens (placeholders, framing, tool overhead) that no calibration touches.

use super::{Piece, PrefixEnd, Section, Template};
use crate::tokenize::chat::{REPLY_PRIMING, TOKENS_PER_MESSAGE, TOKENS_PER_NAME, tool_tokens};
use crate::tokenize::{Encoding, Tokenizer};
use serde::Serialize;
use std::collections::BTreeMap;

/// Tokens of some part of a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Split {
    /// BPE tokens of literal text.
    pub text: u64,
    /// Tokens that are exact for every model: `{tokens = N}` placeholders, framing.
    pub fixed: i64,
}

impl Split {
    fn add(&mut self, other: Split) {
        self.text += other.text;
        self.fixed += other.fixed;
    }

    /// The count for a model: calibrated text plus fixed tokens.
    pub fn tokens(&self, tokenizer: &Tokenizer) -> u64 {
        (tokenizer.calibrate(self.text) as i64 + self.fixed).max(0) as u64
    }
}

/// A template's tokens under one encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCount {
    pub encoding: Encoding,
    pub sections: BTreeMap<Section, Split>,
    /// Tools + framing + static text up to the first per-call expression.
    pub prefix: Split,
}

impl TokenCount {
    /// Per-section token counts for a model, in section order, empty sections left out.
    pub fn sections_for(&self, tokenizer: &Tokenizer) -> Vec<(Section, u64)> {
        self.sections
            .iter()
            .map(|(s, split)| (*s, split.tokens(tokenizer)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Total input tokens for a model (the sum of its sections).
    pub fn total_for(&self, tokenizer: &Tokenizer) -> u64 {
        self.sections_for(tokenizer).iter().map(|(_, n)| n).sum()
    }
}

fn pieces_split(encoding: Encoding, pieces: &[Piece]) -> Split {
    let mut s = Split::default();
    for p in pieces {
        match p {
            Piece::Text(t) => s.text += encoding.count(t),
            Piece::Tokens(n) => s.fixed += *n as i64,
        }
    }
    s
}

/// Counts `template` with `encoding`.
pub fn count(template: &Template, encoding: Encoding) -> TokenCount {
    crate::timing::time(crate::timing::Phase::Tokenize, || count_untimed(template, encoding))
}

fn count_untimed(template: &Template, encoding: Encoding) -> TokenCount {
    let mut sections: BTreeMap<Section, Split> = BTreeMap::new();
    let mut prefix = Split::default();

    let tools = tool_tokens(encoding, &template.tools);
    let tools_split = Split {
        text: tools.text,
        fixed: tools.overhead,
    };
    if !template.tools.is_empty() {
        sections.insert(Section::Tools, tools_split);
        prefix.add(tools_split);
    }

    let prefix_message = match template.prefix_end {
        PrefixEnd::At { message, .. } => message,
        PrefixEnd::BeforeLastMessage => template.messages.len().saturating_sub(1),
        PrefixEnd::All => template.messages.len(),
    };
    let mut framing = Split::default();
    for (i, message) in template.messages.iter().enumerate() {
        let mut frame = Split {
            text: 0,
            fixed: TOKENS_PER_MESSAGE as i64 + encoding.count(message.role.as_str()) as i64,
        };
        if let Some(name) = &message.name {
            frame.fixed += TOKENS_PER_NAME as i64 + encoding.count(name) as i64;
        }
        framing.add(frame);
        let content = pieces_split(encoding, &message.pieces);
        sections.entry(message.role).or_default().add(content);

        if i < prefix_message {
            prefix.add(frame);
            prefix.add(content);
        } else if i == prefix_message {
            if let PrefixEnd::At { piece, byte, .. } = template.prefix_end {
                prefix.add(frame);
                let mut head: Vec<Piece> = message.pieces[..piece.min(message.pieces.len())].to_vec();
                if let Some(Piece::Text(t)) = message.pieces.get(piece) {
                    head.push(Piece::Text(t[..byte.min(t.len())].to_string()));
                }
                prefix.add(pieces_split(encoding, &head));
            }
        }
    }
    if !template.messages.is_empty() {
        framing.fixed += REPLY_PRIMING as i64;
        sections.insert(Section::Framing, framing);
    }
    TokenCount {
        encoding,
        sections,
        prefix,
    }
}
