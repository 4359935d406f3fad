//! Turns the BPE vocabularies in data/ (tiktoken's `base64 rank` lines) into three static
//! tables per encoding, so the tokenizer needs no construction at run time:
//! `<name>.bytes` (all tokens concatenated, in rank order), `<name>.offsets` (u32 LE start of
//! each rank, plus the end) and `<name>.slots` (an open-addressing hash table of u32 LE
//! `rank + 1`, 0 = empty, probed linearly from `hash(token) & (len - 1)`).

use std::path::Path;

/// FNV-1a with a final fold; `src/tokenize/bpe.rs` has the same function.
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ (h >> 29)
}

fn decode_base64(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 character {c}"),
        }
    };
    let bytes: Vec<u8> = s.bytes().filter(|b| *b != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c) << (18 - 6 * i);
        }
        let n = chunk.len() * 6 / 8;
        for i in 0..n {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn build(name: &str, out_dir: &Path) {
    let src = format!("data/{name}.tiktoken");
    println!("cargo:rerun-if-changed={src}");
    let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let mut tokens: Vec<(u32, Vec<u8>)> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (b64, rank) = l.split_once(' ').unwrap_or_else(|| panic!("{src}: bad line {l}"));
            (
                rank.trim().parse().unwrap_or_else(|_| panic!("{src}: bad rank in {l}")),
                decode_base64(b64),
            )
        })
        .collect();
    tokens.sort_by_key(|(r, _)| *r);
    for (i, (r, _)) in tokens.iter().enumerate() {
        assert_eq!(*r as usize, i, "{src}: ranks must be dense from 0");
    }
    let mut blob = Vec::new();
    let mut offsets = Vec::with_capacity((tokens.len() + 1) * 4);
    for (_, t) in &tokens {
        offsets.extend_from_slice(&(blob.len() as u32).to_le_bytes());
        blob.extend_from_slice(t);
    }
    offsets.extend_from_slice(&(blob.len() as u32).to_le_bytes());
    let cap = (tokens.len() * 2).next_power_of_two();
    let mut slots = vec![0u32; cap];
    for (r, t) in &tokens {
        let mut i = hash(t) as usize & (cap - 1);
        while slots[i] != 0 {
            i = (i + 1) & (cap - 1);
        }
        slots[i] = r + 1;
    }
    let slot_bytes: Vec<u8> = slots.iter().flat_map(|s| s.to_le_bytes()).collect();
    std::fs::write(out_dir.join(format!("{name}.bytes")), blob).expect("write table");
    std::fs::write(out_dir.join(format!("{name}.offsets")), offsets).expect("write table");
    std::fs::write(out_dir.join(format!("{name}.slots")), slot_bytes).expect("write table");
}

/// A per-token price in atto-USD (1e-18), exactly: the shortest decimal that round-trips the
/// float is what the table's authors wrote. `src/money.rs` reads the same way at run time.
fn atto(v: f64) -> Option<u64> {
    let text = format!("{v:e}");
    let (mantissa, exp) = text.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.starts_with('-') {
        return None;
    }
    let digits: u128 = format!("{int}{frac}").parse().ok()?;
    let shift = exp - frac.len() as i32 + 18;
    let value = if shift >= 0 {
        digits.checked_mul(10u128.checked_pow(shift as u32)?)?
    } else {
        digits / 10u128.pow((-shift) as u32)
    };
    u64::try_from(value).ok()
}

/// The price snapshot without what pricing never reads (descriptions, feature flags, image and
/// audio prices): a third of the size, so every run parses it three times faster.
fn compact_prices(out_dir: &Path) {
    let src = "data/litellm-model-prices-2026-07-24.json";
    println!("cargo:rerun-if-changed={src}");
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let table: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("valid price JSON");
    let keep = |k: &str| {
        matches!(
            k,
            "litellm_provider" | "mode" | "max_input_tokens" | "max_output_tokens" | "prompt_cache_min_tokens"
        ) || ((k.contains("cost_per_token") || k.contains("token_cost") || k.contains("cost_per_reasoning_token"))
            && !k.contains("audio")
            && !k.contains("image")
            && !k.contains("video")
            && !k.contains("dbu"))
    };
    let mut out = serde_json::Map::new();
    for (model, entry) in table {
        let Some(fields) = entry.as_object() else { continue };
        // Prices become integers of atto-USD, so reading them needs no float formatting.
        let kept: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .filter(|(k, v)| keep(k) && !v.is_object())
            .filter_map(|(k, v)| {
                let is_price = k.contains("cost");
                match (is_price, v.as_f64()) {
                    (true, Some(f)) => atto(f).map(|a| (k.clone(), serde_json::Value::from(a))),
                    (true, None) => None,
                    (false, _) => Some((k.clone(), v.clone())),
                }
            })
            .collect();
        out.insert(model, serde_json::Value::Object(kept));
    }
    std::fs::write(
        out_dir.join("prices.json"),
        serde_json::to_string(&out).expect("serialise"),
    )
    .expect("write prices");
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out_dir = Path::new(&out_dir);
    compact_prices(out_dir);
    build("o200k_base", out_dir);
    build("cl100k_base", out_dir);
    println!("cargo:rerun-if-changed=build.rs");
}
