//! Byte-pair encoding with tiktoken's exact semantics and no start-up cost: the vocabulary is
//! a static hash table built by `build.rs`, so only the pre-tokenizing regex is compiled at
//! run time (a few milliseconds). Counts are checked against tiktoken-rs in the tests.
//!
//! The pre-tokenizer is tiktoken's pattern with its one look-ahead, `\s+(?!\S)`, expressed
//! without look-around (as GitHub's `bpe-openai` does): `\s+$` ends the first pattern, a second
//! pattern `\s+\s` matches one character too many and gives it back, and `\s+` comes last.
//! Pattern order decides between matches, which is tiktoken's leftmost-first alternation.

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use std::collections::BinaryHeap;
use std::sync::LazyLock;

/// FNV-1a with a final fold; `build.rs` has the same function.
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 29)
}

fn u32_at(table: &[u8], i: usize) -> u32 {
    let b = &table[i * 4..i * 4 + 4];
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// A vocabulary: token bytes by rank, and rank by token bytes.
struct Vocab {
    bytes: &'static [u8],
    offsets: &'static [u8],
    slots: &'static [u8],
    mask: usize,
}

impl Vocab {
    fn new(bytes: &'static [u8], offsets: &'static [u8], slots: &'static [u8]) -> Vocab {
        Vocab {
            bytes,
            offsets,
            slots,
            mask: slots.len() / 4 - 1,
        }
    }

    fn token(&self, rank: u32) -> &'static [u8] {
        let start = u32_at(self.offsets, rank as usize) as usize;
        let end = u32_at(self.offsets, rank as usize + 1) as usize;
        &self.bytes[start..end]
    }

    fn rank(&self, piece: &[u8]) -> Option<u32> {
        let mut i = hash(piece) as usize & self.mask;
        loop {
            let slot = u32_at(self.slots, i);
            if slot == 0 {
                return None;
            }
            if self.token(slot - 1) == piece {
                return Some(slot - 1);
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// A tokenizer: vocabulary and pre-tokenizer.
pub struct Bpe {
    vocab: Vocab,
    splitter: Regex,
    /// Per pattern: whether its last character is a look-ahead to give back.
    lookahead: [bool; 3],
}

const NONE: u32 = u32::MAX;

/// Pieces up to this many bytes use the quadratic scan; longer ones the heap (measured on
/// CJK and emoji text, where pieces are long: benches/tokenizers.rs).
const SMALL_PIECE: usize = 40;

impl Bpe {
    fn new(vocab: Vocab, main_pattern: &str) -> Bpe {
        let splitter = Regex::new_many(&[main_pattern, r"\s+\s", r"\s+"]).expect("the tokenizer pattern is valid");
        Bpe {
            vocab,
            splitter,
            lookahead: [false, true, false],
        }
    }

    /// Number of tokens in `text`, special-token strings counted as plain text.
    pub fn count(&self, text: &str) -> usize {
        let mut total = 0;
        let mut at = 0;
        while at < text.len() {
            let input = Input::new(&text[at..]).anchored(Anchored::Yes);
            let Some(m) = self.splitter.find(input) else {
                // Cannot happen (`\s+` and the catch-alls cover every character), but never
                // loop forever on a surprise: count the rest byte by byte.
                return total + text.len() - at;
            };
            let mut end = at + m.end();
            if self.lookahead[m.pattern().as_usize()] {
                let last = text[at..end].chars().next_back().map_or(1, char::len_utf8);
                end -= last;
            }
            if end == at {
                // A zero-width match would not advance; take one character.
                end = at + text[at..].chars().next().map_or(1, char::len_utf8);
            }
            total += self.count_piece(&text.as_bytes()[at..end]);
            at = end;
        }
        total
    }

    fn count_piece(&self, piece: &[u8]) -> usize {
        if piece.len() <= 1 || self.vocab.rank(piece).is_some() {
            return 1;
        }
        if piece.len() <= SMALL_PIECE {
            self.merge_small(piece)
        } else {
            self.merge_large(piece)
        }
    }

    /// tiktoken's merge loop: repeatedly join the adjacent pair with the lowest rank (the
    /// leftmost among equals). Quadratic, and fastest for the short pieces that are the norm.
    fn merge_small(&self, piece: &[u8]) -> usize {
        // parts[i] = (start of part i, rank of part i joined with part i + 1)
        let mut parts: Vec<(usize, u32)> = Vec::with_capacity(piece.len() + 1);
        for i in 0..piece.len() - 1 {
            parts.push((i, self.vocab.rank(&piece[i..i + 2]).unwrap_or(NONE)));
        }
        parts.push((piece.len() - 1, NONE));
        parts.push((piece.len(), NONE));
        let pair_rank = |parts: &[(usize, u32)], i: usize| -> u32 {
            if i + 3 < parts.len() {
                self.vocab.rank(&piece[parts[i].0..parts[i + 3].0]).unwrap_or(NONE)
            } else {
                NONE
            }
        };
        loop {
            let mut best = (NONE, 0);
            for (i, &(_, r)) in parts[..parts.len() - 1].iter().enumerate() {
                if r < best.0 {
                    best = (r, i);
                }
            }
            if best.0 == NONE {
                break;
            }
            let i = best.1;
            if i > 0 {
                parts[i - 1].1 = pair_rank(&parts, i - 1);
            }
            parts[i].1 = pair_rank(&parts, i);
            parts.remove(i + 1);
        }
        parts.len() - 1
    }

    /// The same merges in O(n log n), for long pieces (a megabyte of one letter, base64
    /// blobs): a linked list of parts and a heap of candidate pairs ordered by (rank, start).
    fn merge_large(&self, piece: &[u8]) -> usize {
        let n = piece.len();
        // Parts are identified by their start byte; next/prev link live parts.
        let mut next: Vec<usize> = (1..=n).collect();
        let mut prev: Vec<usize> = (0..n).map(|i| i.wrapping_sub(1)).collect();
        let mut alive = vec![true; n];
        let mut heap: BinaryHeap<std::cmp::Reverse<(u32, usize, usize)>> = BinaryHeap::new();
        // A candidate: (rank of part `start` joined with its next part, start, end of that pair).
        let candidate = |start: usize, next: &[usize]| -> Option<(u32, usize, usize)> {
            let mid = next[start];
            if mid >= n {
                return None;
            }
            let end = next[mid];
            self.vocab.rank(&piece[start..end]).map(|r| (r, start, end))
        };
        for i in 0..n - 1 {
            if let Some(c) = candidate(i, &next) {
                heap.push(std::cmp::Reverse(c));
            }
        }
        let mut parts = n;
        while let Some(std::cmp::Reverse((_, start, end))) = heap.pop() {
            // Stale when either part has changed since the candidate was made.
            if !alive[start] || next[start] >= n || next[next[start]] != end {
                continue;
            }
            let mid = next[start];
            alive[mid] = false;
            next[start] = end;
            if end < n {
                prev[end] = start;
            }
            parts -= 1;
            if let Some(c) = candidate(start, &next) {
                heap.push(std::cmp::Reverse(c));
            }
            let p = prev[start];
            if p != usize::MAX {
                if let Some(c) = candidate(p, &next) {
                    heap.push(std::cmp::Reverse(c));
                }
            }
        }
        parts
    }
}

const O200K_PATTERN: &str = concat!(
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"|\p{N}{1,3}",
    r"| ?[^\s\p{L}\p{N}]+[\r\n/]*",
    r"|\s*[\r\n]+",
    r"|\s+$",
);

const CL100K_PATTERN: &str =
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+$";

pub static O200K_BASE: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::new(
        Vocab::new(
            include_bytes!(concat!(env!("OUT_DIR"), "/o200k_base.bytes")),
            include_bytes!(concat!(env!("OUT_DIR"), "/o200k_base.offsets")),
            include_bytes!(concat!(env!("OUT_DIR"), "/o200k_base.slots")),
        ),
        O200K_PATTERN,
    )
});

pub static CL100K_BASE: LazyLock<Bpe> = LazyLock::new(|| {
    Bpe::new(
        Vocab::new(
            include_bytes!(concat!(env!("OUT_DIR"), "/cl100k_base.bytes")),
            include_bytes!(concat!(env!("OUT_DIR"), "/cl100k_base.offsets")),
            include_bytes!(concat!(env!("OUT_DIR"), "/cl100k_base.slots")),
        ),
        CL100K_PATTERN,
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_merges_agree() {
        // Pieces just under and over the switch to the heap, and much longer ones.
        for text in [
            "abcdefghij".repeat(12),
            "abcdefghij".repeat(13),
            "x".repeat(5000),
            "ab1".repeat(700),
        ] {
            let bytes = text.as_bytes();
            assert_eq!(
                O200K_BASE.merge_small(bytes),
                O200K_BASE.merge_large(bytes),
                "{}",
                text.len()
            );
        }
    }

    #[test]
    fn vocabulary_round_trips() {
        assert_eq!(O200K_BASE.vocab.rank(b"!"), Some(0));
        assert_eq!(O200K_BASE.vocab.token(0), b"!");
        assert_eq!(CL100K_BASE.vocab.rank(b"!"), Some(0));
        assert_eq!(O200K_BASE.vocab.rank(b"\xff\xfe\xfd not a token"), None);
    }
}
