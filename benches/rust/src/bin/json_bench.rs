//! serde_json driver: serializes generated records (derived `Serialize`), parses them back
//! into the typed records (derived `Deserialize`) and into untyped `Value`s, pretty-prints, and
//! checks every round trip. Prints sizes and checksums.
//!
//!     json_bench [RECORDS] [PASSES]     (defaults 30000 and 2)

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use w2n_bench_rust::{FNV_INIT, Rng, fnv1a, word};

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Point {
    x: f64,
    y: f64,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Kind {
    Function,
    Table,
    Memory,
    Global { mutable: bool },
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Record {
    id: u64,
    name: String,
    /// Text with quotes, backslashes, control characters and non-ASCII to escape.
    note: String,
    tags: Vec<String>,
    score: f64,
    delta: i32,
    active: bool,
    parent: Option<u64>,
    kind: Kind,
    path: Vec<Point>,
    attrs: BTreeMap<String, u32>,
}

/// A double with a short decimal form (k/1000) or a full-precision one, as data has both.
fn number(rng: &mut Rng) -> f64 {
    let k = rng.below(2_000_000) as f64 - 1_000_000.0;
    if rng.below(4) == 0 {
        k / 7.0
    } else {
        k / 1000.0
    }
}

fn record(rng: &mut Rng, id: u64) -> Record {
    let words = |rng: &mut Rng, n: u32| -> Vec<String> {
        (0..rng.below(n) + 1)
            .map(|_| word(rng).to_string())
            .collect()
    };
    let mut note = words(rng, 12).join(" ");
    if rng.below(3) == 0 {
        note.push_str(" \"quoted\"\t\\path\\\n\u{1}");
    }
    Record {
        id,
        name: format!("{}_{}", word(rng), rng.below(10_000)),
        note,
        tags: words(rng, 5),
        score: number(rng),
        delta: rng.below(200_001) as i32 - 100_000,
        active: rng.below(2) == 1,
        parent: (id > 0 && rng.below(4) != 0).then(|| rng.below(id as u32) as u64),
        kind: match rng.below(4) {
            0 => Kind::Function,
            1 => Kind::Table,
            2 => Kind::Memory,
            _ => Kind::Global {
                mutable: rng.below(2) == 1,
            },
        },
        path: (0..rng.below(4))
            .map(|_| Point {
                x: number(rng),
                y: number(rng),
            })
            .collect(),
        attrs: (0..rng.below(4))
            .map(|_| (word(rng).to_string(), rng.below(1000)))
            .collect(),
    }
}

/// Sum of every number in an untyped document (walks the tree).
fn walk(v: &Value) -> (u64, f64) {
    match v {
        Value::Number(n) => (1, n.as_f64().expect("finite")),
        Value::Array(a) => a
            .iter()
            .map(walk)
            .fold((0, 0.0), |x, y| (x.0 + y.0, x.1 + y.1)),
        Value::Object(o) => o
            .values()
            .map(walk)
            .fold((0, 0.0), |x, y| (x.0 + y.0, x.1 + y.1)),
        _ => (0, 0.0),
    }
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("number"))
        .collect();
    let n = args.first().copied().unwrap_or(30_000);
    let passes = args.get(1).copied().unwrap_or(2);
    let mut total = FNV_INIT;
    for pass in 0..passes {
        let mut rng = Rng::new(0xD0C + pass);
        let records: Vec<Record> = (0..n).map(|id| record(&mut rng, id)).collect();
        let compact = serde_json::to_string(&records).expect("serialize");
        let pretty = serde_json::to_string_pretty(&records).expect("serialize");
        let typed: Vec<Record> = serde_json::from_str(&compact).expect("parse typed");
        assert!(typed == records, "typed round trip");
        let untyped: Value = serde_json::from_str(&pretty).expect("parse untyped");
        let (count, sum) = walk(&untyped);
        let again = serde_json::to_string(&untyped).expect("serialize value");
        let reparsed: Vec<Record> = serde_json::from_str(&again).expect("parse again");
        assert!(reparsed == records, "untyped round trip");
        println!(
            "pass {pass}: {n} records, {} bytes compact, {} pretty, {} via Value; {count} numbers, \
             sum {sum:.6e}",
            compact.len(),
            pretty.len(),
            again.len()
        );
        for s in [&compact, &pretty, &again] {
            total = fnv1a(total, s.as_bytes());
        }
    }
    println!("serde_json {passes} passes, checksum {total:016x}");
}
