//! What the Rust drivers share, as `benches/programs/bench_common.h` for the C ones: a
//! deterministic PRNG, a generator of text-like data and a 64-bit FNV-1a checksum, all integer
//! arithmetic, so that the native and the wasm32-wasip1 builds print the same bytes.

/// xorshift64*.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (0 stands for a fixed non-zero seed).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, n).
    pub fn below(&mut self, n: u32) -> u32 {
        ((self.next_u64() >> 32) % n as u64) as u32
    }
}

/// The FNV-1a hash's starting value.
pub const FNV_INIT: u64 = 0xCBF2_9CE4_8422_2325;

/// 64-bit FNV-1a of `data`, continuing from `h`.
pub fn fnv1a(h: u64, data: &[u8]) -> u64 {
    data.iter().fold(h, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// Words of the generated text, the first ones drawn most often.
pub const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "had",
    "they",
    "you",
    "were",
    "their",
    "one",
    "all",
    "we",
    "can",
    "her",
    "has",
    "there",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "compiler",
    "module",
    "function",
    "memory",
    "table",
    "native",
    "executable",
    "benchmark",
    "instruction",
    "register",
    "allocation",
    "translation",
    "validation",
    "linear",
    "webassembly",
    "cranelift",
    "sandbox",
    "runtime",
    "start-up",
    "throughput",
    "latency",
    "Zürich",
    "naïve",
    "Ελληνικά",
    "кириллица",
];

/// A word drawn with a skewed distribution (small indices much more frequent).
pub fn word(rng: &mut Rng) -> &'static str {
    let (a, b) = (rng.below(WORDS.len() as u32), rng.below(WORDS.len() as u32));
    WORDS[a.min(b) as usize]
}

/// About `len` bytes of text-like UTF-8: words, numbers, punctuation, lines of at most ~72
/// columns. The same text as far as the generator goes on every target.
pub fn text(len: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(len + 32);
    let mut col = 0;
    while out.len() < len {
        let r = rng.below(1000);
        let start = out.len();
        if r < 880 {
            out.push_str(word(&mut rng));
        } else if r < 970 {
            out.push_str(&rng.below(100_000).to_string());
        } else {
            out.push(b".,;:!?()-"[rng.below(9) as usize] as char);
        }
        col += out.len() - start + 1;
        if col > 72 {
            out.push('\n');
            col = 0;
        } else {
            out.push(' ');
        }
    }
    out
}
