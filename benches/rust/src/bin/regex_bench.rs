//! regex driver: searches generated text with the `regex` crate (its own engines: literal
//! prefilters, lazy DFA, one-pass DFA, bounded backtracker, PikeVM), compiling patterns as a
//! program would. Prints counts and checksums of what matched.
//!
//!     regex_bench [MIB] [PASSES]     (defaults 4 and 2)

use regex::{Regex, RegexSet};
use w2n_bench_rust::{FNV_INIT, WORDS, fnv1a, text};

/// Patterns run with `find_iter` over the whole text: literals, alternations, classes, Unicode
/// classes, case-insensitive matching, bounded repetition.
const SEARCHES: &[&str] = &[
    r"webassembly",
    r"\b(?:compiler|module|function|memory|table)\b",
    r"\b[0-9]{4,5}\b",
    r"(?i)\bTHE\s+\w+",
    r"\p{Greek}+|\p{Cyrillic}+",
    r"\w+ion\b",
    r"[A-Z][a-zà-ÿ]+",
    r"[.,;:!?] [a-z]{2,3} [a-z]+",
];

fn searches(hay: &str) -> u64 {
    let mut h = FNV_INIT;
    for pat in SEARCHES {
        let re = Regex::new(pat).expect("pattern");
        let (mut n, mut bytes) = (0u64, 0u64);
        for m in re.find_iter(hay) {
            n += 1;
            bytes += m.len() as u64;
            h = fnv1a(h, &(m.start() as u64).to_le_bytes());
        }
        println!("  {pat:<48} {n:>8} matches, {bytes:>9} bytes");
    }
    h
}

/// Captures: the PikeVM, backtracker and one-pass engines report group offsets.
fn captures(hay: &str) -> u64 {
    let re = Regex::new(r"(\w+) (\w+) ([0-9]+)(?: ([a-z]+))?").expect("pattern");
    let (mut n, mut h) = (0u64, FNV_INIT);
    for caps in re.captures_iter(hay) {
        n += 1;
        for g in caps.iter().flatten() {
            h = fnv1a(h, g.as_str().as_bytes());
        }
    }
    let kv = Regex::new(r"(?m)^(?P<first>\w+)\W.*?(?P<num>\d+)[^\d\n]*$").expect("pattern");
    let mut sum = 0u64;
    for caps in kv.captures_iter(hay) {
        sum += caps["num"].parse::<u64>().expect("digits") + caps["first"].len() as u64;
    }
    println!("  captures: {n} triples, checksum {h:016x}; per line: {sum}");
    h ^ sum
}

/// Line filtering with a set of patterns, and a replacement over the whole text.
fn lines_and_replace(hay: &str) -> u64 {
    let set =
        RegexSet::new(WORDS.iter().map(|w| format!(r"\b{}\b", regex::escape(w)))).expect("set");
    let mut hist = vec![0u64; WORDS.len()];
    for line in hay.lines() {
        for i in set.matches(line).iter() {
            hist[i] += 1;
        }
    }
    let replaced = Regex::new(r"[0-9]+")
        .expect("pattern")
        .replace_all(hay, "<$0>");
    let squeezed = Regex::new(r"(?m) +$|\s{2,}")
        .expect("pattern")
        .replace_all(&replaced, " ");
    let h = hist
        .iter()
        .fold(FNV_INIT, |h, c| fnv1a(h, &c.to_le_bytes()));
    println!(
        "  set over lines: {} hits; replaced {} -> {} bytes, checksum {:016x}",
        hist.iter().sum::<u64>(),
        hay.len(),
        squeezed.len(),
        fnv1a(h, squeezed.as_bytes())
    );
    fnv1a(h, squeezed.as_bytes())
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("number"))
        .collect();
    let mib = args.first().copied().unwrap_or(4);
    let passes = args.get(1).copied().unwrap_or(2);
    let mut total = FNV_INIT;
    for pass in 0..passes {
        let hay = text(mib << 20, 0x5EED + pass as u64);
        println!("pass {pass}: {} bytes of text", hay.len());
        for h in [searches(&hay), captures(&hay), lines_and_replace(&hay)] {
            total = fnv1a(total, &h.to_le_bytes());
        }
    }
    println!("regex {passes} passes, checksum {total:016x}");
}
