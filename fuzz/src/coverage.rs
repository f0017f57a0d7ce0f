//! Coverage of the generated modules: which wasm operators (of those wasm2native supports) and
//! which features they used.

use anyhow::Result;
use std::collections::{BTreeMap, BTreeSet};
use wasmparser::{Operator, Parser, Payload};

/// The operator proposals the differential configuration generates, as wasmparser names them:
/// WebAssembly 2.0, exception handling (Wasm 3.0 encoding; the legacy instructions, which the
/// reference refuses, are tested by the spec harness instead), tail calls, relaxed SIMD and
/// threads.
pub const SUPPORTED_PROPOSALS: [&str; 10] = [
    "mvp",
    "sign_extension",
    "saturating_float_to_int",
    "bulk_memory",
    "reference_types",
    "simd",
    "exceptions",
    "tail_call",
    "relaxed_simd",
    "threads",
];

macro_rules! define_operator_tables {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        /// Every operator wasmparser knows: (proposal, name).
        const ALL_OPERATORS: &[(&str, &str)] = &[$((stringify!($proposal), stringify!($op)),)*];

        /// The name of an operator (its wasmparser variant).
        #[allow(unreachable_patterns)]
        fn op_name(op: &Operator<'_>) -> &'static str {
            match op {
                $(Operator::$op { .. } => stringify!($op),)*
                _ => "unknown",
            }
        }
    };
}
wasmparser::for_each_operator!(define_operator_tables);

/// Operators of those proposals that no valid module contains: `select` with several result
/// types is always rejected ("invalid result arity").
const NEVER_VALID: [&str; 1] = ["TypedSelectMulti"];

/// The operators wasm2native supports: (proposal, name).
pub fn supported_operators() -> Vec<(&'static str, &'static str)> {
    ALL_OPERATORS
        .iter()
        .copied()
        .filter(|(p, n)| SUPPORTED_PROPOSALS.contains(p) && !NEVER_VALID.contains(n))
        .collect()
}

/// Operators and features seen so far.
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    ops: BTreeSet<&'static str>,
    /// Feature -> number of modules using it.
    features: BTreeMap<&'static str, u64>,
    modules: u64,
}

impl Coverage {
    /// Records the operators and features of `wasm`.
    pub fn add(&mut self, wasm: &[u8]) -> Result<()> {
        let mut feats: BTreeSet<&'static str> = BTreeSet::new();
        for payload in Parser::new(0).parse_all(wasm) {
            self.add_payload(payload?, &mut feats)?;
        }
        self.modules += 1;
        for f in feats {
            *self.features.entry(f).or_default() += 1;
        }
        Ok(())
    }

    fn add_payload(
        &mut self,
        payload: Payload<'_>,
        feats: &mut BTreeSet<&'static str>,
    ) -> Result<()> {
        match payload {
            Payload::CodeSectionEntry(body) => {
                for op in body.get_operators_reader()? {
                    let name = op_name(&op?);
                    self.ops.insert(name);
                    if let Some(p) = proposal_of(name) {
                        feats.insert(p);
                    }
                }
            }
            Payload::TypeSection(s) => {
                for ty in s.into_iter_err_on_gc_types() {
                    if ty?.results().len() > 1 {
                        feats.insert("multi_value");
                    }
                }
            }
            Payload::TableSection(s) if s.count() > 1 => {
                feats.insert("multiple_tables");
            }
            Payload::MemorySection(s) if s.count() > 0 => {
                feats.insert("memory");
                if s.count() > 1 {
                    feats.insert("multi_memory");
                }
            }
            Payload::DataSection(s) if s.count() > 0 => {
                feats.insert("data_segments");
            }
            Payload::ElementSection(s) if s.count() > 0 => {
                feats.insert("element_segments");
            }
            Payload::StartSection { .. } => {
                feats.insert("start_function");
            }
            _ => {}
        }
        Ok(())
    }

    /// Adds what `other` saw.
    pub fn absorb(&mut self, other: &Coverage) {
        self.ops.extend(other.ops.iter().copied());
        for (f, n) in &other.features {
            *self.features.entry(f).or_default() += n;
        }
        self.modules += other.modules;
    }

    /// Supported operators hit, and their total.
    pub fn hit(&self) -> (usize, usize) {
        let all = supported_operators();
        let hit = all.iter().filter(|(_, n)| self.ops.contains(n)).count();
        (hit, all.len())
    }

    /// A multi-line report: operators hit per proposal, features per module count.
    pub fn report(&self) -> String {
        let (hit, total) = self.hit();
        let mut out = format!("operators hit: {hit}/{total} of those wasm2native supports\n");
        for p in SUPPORTED_PROPOSALS {
            let ops: Vec<_> = supported_operators()
                .into_iter()
                .filter(|o| o.0 == p)
                .collect();
            let n = ops.iter().filter(|o| self.ops.contains(o.1)).count();
            out += &format!("  {p}: {n}/{}\n", ops.len());
        }
        out += &format!("features (modules using each, of {}):", self.modules);
        for (f, n) in &self.features {
            out += &format!(" {f} {n};");
        }
        out
    }

    /// Supported operators never hit.
    pub fn missed(&self) -> Vec<&'static str> {
        supported_operators()
            .into_iter()
            .map(|o| o.1)
            .filter(|n| !self.ops.contains(n))
            .collect()
    }
}

fn proposal_of(name: &str) -> Option<&'static str> {
    ALL_OPERATORS
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_cover_wasm2() {
        let ops = supported_operators();
        for name in [
            "I32Add",
            "I64Extend8S",
            "I32TruncSatF32S",
            "MemoryCopy",
            "TableGet",
            "I8x16Shuffle",
            "I32x4RelaxedDotI8x16I7x16AddS",
        ] {
            assert!(ops.iter().any(|o| o.1 == name), "{name}");
        }
        for name in [
            "ReturnCallIndirect",
            "TryTable",
            "ThrowRef",
            "I32AtomicLoad",
            "MemoryAtomicWait64",
        ] {
            assert!(ops.iter().any(|o| o.1 == name), "{name}");
        }
        assert!(!ops.iter().any(|o| o.1 == "Try" || o.1 == "GlobalAtomicGet"));
        assert!(ops.len() > 400, "{}", ops.len());
    }

    #[test]
    fn counts_operators_and_features() {
        let wasm = wat::parse_str(
            r#"(module (memory 1) (func (result i32 i32) i32.const 1 i32.extend8_s i32.const 2))"#,
        )
        .unwrap();
        let mut c = Coverage::default();
        c.add(&wasm).unwrap();
        assert!(c.ops.contains("I32Const") && c.ops.contains("I32Extend8S"));
        assert_eq!(c.features["multi_value"], 1);
        assert_eq!(c.features["sign_extension"], 1);
        assert_eq!(c.hit().0, 3); // i32.const, i32.extend8_s, end
    }
}
