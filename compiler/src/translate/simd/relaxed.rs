//! The relaxed SIMD operators (WebAssembly 3.0), each lowered to one fixed x86 sequence, so that
//! a module gives the same results on every run and every `--target-cpu`.
//!
//! The relaxed operators let an implementation pick, per operator, among a few results for the
//! inputs where hardware differs (out-of-range indices, NaN or overflowing conversions,
//! non-uniform masks, ±0 and NaN in min/max, overflow in q15 and dot products). Where the fast
//! x86 instruction gives the same result on every x86-64 CPU, that instruction is the lowering:
//! `pshufb`, `cvttps2dq`/`cvttpd2dq`, `pblendvb`/`blendvps`/`blendvpd`, `minps`/`maxps`,
//! `pmulhrsw`, `pmaddubsw` (SSSE3 and SSE4.1, both in the x86-64-v2 baseline; the AVX forms
//! `--target-cpu` may select compute the same). This is what wasmtime computes with relaxed
//! SIMD in its default (non-deterministic) mode on x86-64.
//!
//! `relaxed_madd`/`relaxed_nmadd` are always fused (one rounding), as in wasmtime's
//! deterministic mode: `vfmadd` where the target has FMA (x86-64-v3, or `native` on such a
//! CPU), a call to libm's `fmaf`/`fma` per lane otherwise (Cranelift's lowering of `fma`
//! without FMA). Unfused on one CPU and fused on another would make results depend on the
//! CPU. The unsigned truncations have no cheap x86 instruction and saturate as their
//! non-relaxed counterparts do (as in wasmtime).

use super::Translator;
use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32X4, I64X2};
use cranelift_codegen::ir::{InstBuilder, Type};
use wasmparser::Operator;

impl Translator<'_, '_, '_, '_> {
    /// Translates `op` if it is a relaxed SIMD operator; `false` if it is not one.
    pub(super) fn translate_relaxed_simd(&mut self, op: &Operator<'_>) -> bool {
        match *op {
            // `pshufb`: an index with its top bit set gives 0, any other selects lane
            // `index % 16` (wasm's `swizzle` gives 0 for every index of 16 and above).
            Operator::I8x16RelaxedSwizzle => vbin!(self, I8X16, x86_pshufb),

            // `cvttps2dq`/`cvttpd2dq`: NaN and out-of-range lanes give i32::MIN.
            Operator::I32x4RelaxedTruncF32x4S => {
                let a = self.vpop(F32X4);
                let v = self.b.ins().x86_cvtt2dq(I32X4, a);
                self.push(v);
            }
            Operator::I32x4RelaxedTruncF64x2SZero => {
                // Cranelift matches this `snarrow` with a zero vector into one `cvttpd2dq`.
                let a = self.vpop(F64X2);
                let c = self.b.ins().x86_cvtt2dq(I64X2, a);
                let zero = self.zeros(I64X2);
                let v = self.b.ins().snarrow(c, zero);
                self.push(v);
            }
            // Saturating, as `trunc_sat`: NaN gives 0, out-of-range lanes the nearest bound.
            Operator::I32x4RelaxedTruncF32x4U => self.trunc_sat_f32x4(false),
            Operator::I32x4RelaxedTruncF64x2UZero => self.trunc_sat_f64x2_zero(false),

            Operator::F32x4RelaxedMadd => self.relaxed_madd(F32X4, false),
            Operator::F64x2RelaxedMadd => self.relaxed_madd(F64X2, false),
            Operator::F32x4RelaxedNmadd => self.relaxed_madd(F32X4, true),
            Operator::F64x2RelaxedNmadd => self.relaxed_madd(F64X2, true),

            // The top bit of each mask lane selects (`pblendvb`, `blendvps`, `blendvpd`); x86
            // has no 16-bit blend, so i16x8 is `v128.bitselect` (every mask bit selects).
            Operator::I8x16RelaxedLaneselect => self.relaxed_laneselect(I8X16),
            Operator::I16x8RelaxedLaneselect => self.relaxed_laneselect(I16X8),
            Operator::I32x4RelaxedLaneselect => self.relaxed_laneselect(I32X4),
            Operator::I64x2RelaxedLaneselect => self.relaxed_laneselect(I64X2),

            // `minps`/`maxps`, as `pmin`/`pmax`: when either lane is NaN, or both are zeros,
            // the result is the first operand's lane.
            Operator::F32x4RelaxedMin => self.pseudo_minmax(F32X4, false),
            Operator::F64x2RelaxedMin => self.pseudo_minmax(F64X2, false),
            Operator::F32x4RelaxedMax => self.pseudo_minmax(F32X4, true),
            Operator::F64x2RelaxedMax => self.pseudo_minmax(F64X2, true),

            // `pmulhrsw`: -1.0 × -1.0 (0x8000 × 0x8000) wraps to 0x8000 instead of saturating.
            Operator::I16x8RelaxedQ15mulrS => vbin!(self, I16X8, x86_pmulhrsw),

            // `pmaddubsw`: the second operand's bytes unsigned, the first's signed, each pair of
            // products added with signed saturation to i16.
            Operator::I16x8RelaxedDotI8x16I7x16S => vbin!(self, I8X16, x86_pmaddubsw),
            Operator::I32x4RelaxedDotI8x16I7x16AddS => {
                let c = self.vpop(I32X4);
                let (a, b) = self.vpop2(I8X16);
                // `pmaddubsw`, then adjacent i16 pairs added exactly into i32 (`pmaddwd` by 1).
                let dot = self.b.ins().x86_pmaddubsw(a, b);
                let lo = self.b.ins().swiden_low(dot);
                let hi = self.b.ins().swiden_high(dot);
                let sum = self.b.ins().iadd_pairwise(lo, hi);
                let v = self.b.ins().iadd(sum, c);
                self.push(v);
            }
            _ => return false,
        }
        true
    }

    /// `relaxed_madd` (`a × b + c`) or `relaxed_nmadd` (`-(a × b) + c`), fused: one rounding.
    fn relaxed_madd(&mut self, ty: Type, negate: bool) {
        let (mut a, b, c) = self.vpop3(ty);
        if negate {
            a = self.b.ins().fneg(a);
        }
        let v = self.b.ins().fma(a, b, c);
        self.push(v);
    }

    /// `relaxed_laneselect(a, b, m)`: lanes of `a` where `m` selects, of `b` elsewhere.
    fn relaxed_laneselect(&mut self, ty: Type) {
        let (a, b, m) = self.vpop3(ty);
        let v = if ty == I16X8 {
            self.b.ins().bitselect(m, a, b)
        } else {
            self.b.ins().blendv(m, a, b)
        };
        self.push(v);
    }
}
