//! Tokenizer crates compared on this machine: encoder construction (cold, in a fresh
//! process) and counting throughput on varied text, plus a check that counts are identical.
//!
//!     cargo bench --bench tokenizers
//!
//! Construction is measured by re-running this binary once per sample with `construct CRATE
//! ENCODING`, because both crates cache their encoder for the life of the process.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
enum Crate {
    Tiktoken,
    BpeOpenai,
    /// `cost`'s own BPE over build-time static tables (src/tokenize/bpe.rs).
    Cost,
}

#[derive(Clone, Copy)]
enum Enc {
    O200k,
    Cl100k,
}

fn count(c: Crate, e: Enc, text: &str) -> usize {
    match (c, e) {
        (Crate::Tiktoken, Enc::O200k) => tiktoken_rs::o200k_base_singleton().count_ordinary(text),
        (Crate::Tiktoken, Enc::Cl100k) => tiktoken_rs::cl100k_base_singleton().count_ordinary(text),
        (Crate::BpeOpenai, Enc::O200k) => bpe_openai::o200k_base().count(text),
        (Crate::BpeOpenai, Enc::Cl100k) => bpe_openai::cl100k_base().count(text),
        (Crate::Cost, Enc::O200k) => cost::tokenize::Encoding::O200kBase.count_uncached(text) as usize,
        (Crate::Cost, Enc::Cl100k) => cost::tokenize::Encoding::Cl100kBase.count_uncached(text) as usize,
    }
}

const CRATES: [(Crate, &str); 3] = [
    (Crate::Tiktoken, "tiktoken-rs 0.12"),
    (Crate::BpeOpenai, "bpe-openai 0.3"),
    (Crate::Cost, "cost static BPE"),
];
const ENCODINGS: [(Enc, &str); 2] = [(Enc::O200k, "o200k_base"), (Enc::Cl100k, "cl100k_base")];

/// A deterministic pseudo-random generator (xorshift), so the corpus is the same every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// About `bytes` of text of one kind.
fn corpus(kind: &str, bytes: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = [
        "the", "customer", "router", "firmware", "update", "failed", "after", "reboot", "please", "check", "whether",
        "signal", "strength", "improves", "when", "moving", "closer", "to", "access", "point", "billing", "invoice",
    ];
    let code = [
        "fn main() {",
        "let mut v = Vec::new();",
        "for x in 0..n {",
        "v.push(x * 2);",
        "}",
        "def handler(event):",
        "    return {'status': 200}",
        "import json",
        "if err != nil { return err }",
        "    println!(\"{v:?}\");",
    ];
    let cjk = [
        "東京",
        "日本語",
        "の",
        "は",
        "です",
        "人工知能",
        "数据",
        "模型",
        "한국어",
        "토큰",
        "。",
        "、",
    ];
    let emoji = ["🚀", "🔥", "✅", "👩🏽‍💻", "🎉", " ok ", "thanks", "👨‍👩‍👧‍👦", "❤️", " "];
    let mut out = String::with_capacity(bytes + 64);
    while out.len() < bytes {
        match kind {
            "prose" => {
                out.push_str(rng.pick(&words));
                out.push(if rng.next() % 12 == 0 { '.' } else { ' ' });
            }
            "code" => {
                out.push_str(rng.pick(&code));
                out.push('\n');
            }
            "json" => out.push_str(&format!(
                "{{\"id\":\"req_{:x}\",\"model\":\"gpt-4o\",\"usage\":{{\"prompt_tokens\":{},\"completion_tokens\":{}}}}}\n",
                rng.next(),
                rng.next() % 10000,
                rng.next() % 1000
            )),
            "cjk" => out.push_str(rng.pick(&cjk)),
            "emoji" => out.push_str(rng.pick(&emoji)),
            // Runs of spaces, tabs and newlines between words (tiktoken-rs overflows its regex
            // stack on a single megabyte-long run of spaces, so runs are kept realistic).
            _ => {
                out.push_str(&" ".repeat((rng.next() % 40) as usize + 1));
                out.push_str(rng.pick(&["\n", "\t\t", "x", "\n\n   ", "}"]));
            }
        }
    }
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("construct") {
        let c = match args[2].as_str() {
            "tiktoken" => Crate::Tiktoken,
            "bpe" => Crate::BpeOpenai,
            _ => Crate::Cost,
        };
        let e = if args[3] == "o200k" { Enc::O200k } else { Enc::Cl100k };
        let start = Instant::now();
        black_box(count(c, e, "hello"));
        println!("{}", start.elapsed().as_micros());
        return;
    }
    let me = std::env::current_exe().expect("own path");

    println!("Encoder construction (first count in a fresh process), median of 5:");
    for (c, cname) in CRATES {
        for (e, ename) in ENCODINGS {
            let runs: Vec<Duration> = (0..5)
                .map(|_| {
                    let out = Command::new(&me)
                        .args([
                            "construct",
                            match c {
                                Crate::Tiktoken => "tiktoken",
                                Crate::BpeOpenai => "bpe",
                                Crate::Cost => "cost",
                            },
                            if matches!(e, Enc::O200k) { "o200k" } else { "cl100k" },
                        ])
                        .output()
                        .expect("run self");
                    Duration::from_micros(String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0))
                })
                .collect();
            println!("  {cname:<18} {ename:<12} {:>7.1} ms", median(runs).as_secs_f64() * 1e3);
        }
    }

    let kinds = ["prose", "code", "json", "cjk", "emoji", "whitespace"];
    let texts: Vec<(&str, String)> = kinds.iter().map(|k| (*k, corpus(k, 1 << 20))).collect();
    // Warm up both and check that every count is identical.
    for (e, ename) in ENCODINGS {
        for (kind, text) in &texts {
            let a = count(Crate::Tiktoken, e, text);
            let b = count(Crate::BpeOpenai, e, text);
            let c = count(Crate::Cost, e, text);
            assert_eq!(a, b, "{ename} counts differ on {kind} (bpe-openai)");
            assert_eq!(a, c, "{ename} counts differ on {kind} (cost)");
        }
    }
    println!("\nCounting throughput, MB/s (1 MiB per kind, best of 3; counts identical):");
    print!("  {:<18} {:<12}", "crate", "encoding");
    for k in kinds {
        print!(" {k:>10}");
    }
    println!(" {:>10}", "all");
    for (c, cname) in CRATES {
        for (e, ename) in ENCODINGS {
            print!("  {cname:<18} {ename:<12}");
            let mut total_bytes = 0usize;
            let mut total_time = Duration::ZERO;
            for (_, text) in &texts {
                let best = (0..3)
                    .map(|_| {
                        let start = Instant::now();
                        black_box(count(c, e, black_box(text)));
                        start.elapsed()
                    })
                    .min()
                    .unwrap_or_default();
                total_bytes += text.len();
                total_time += best;
                print!(" {:>10.1}", text.len() as f64 / 1e6 / best.as_secs_f64());
            }
            println!(" {:>10.1}", total_bytes as f64 / 1e6 / total_time.as_secs_f64());
        }
    }
}
