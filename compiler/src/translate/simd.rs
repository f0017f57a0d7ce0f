//! The fixed-width SIMD operators (128-bit `v128`, part of WebAssembly 2.0).
//!
//! Every operator maps to Cranelift vector instructions whose IR semantics are wasm's (lane-wise
//! NaN propagation of `fmin`/`fmax`, saturating `snarrow`/`unarrow`/`fcvt_*_sat`, `swizzle`
//! zeroing out-of-range lanes, shift counts taken modulo the lane width); the x86-64 backend
//! lowers them to SSE4.1 sequences. Operands are bitcast to the lane type an operator needs
//! (see [`Translator::vpop`]) and results pushed in their natural type; the translator casts them
//! back to `I8X16` where they cross a block, call, local or global boundary.
//!
//! [`relaxed`]: the relaxed SIMD operators.

use super::Translator;
use super::vm::StoreKind;
use crate::error::Result;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::types::{F32X4, F64X2, I8X16, I16X8, I32, I32X4, I64X2};
use cranelift_codegen::ir::{ConstantData, Endianness, InstBuilder, MemFlagsData, Type, Value};
use wasmparser::{MemArg, Operator};

/// The flags a `bitcast` between vector types with different lanes needs: wasm's lane order is
/// little-endian.
pub(super) fn lane_cast_flags() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

/// `a op b` on two vectors of `$ty`.
macro_rules! vbin {
    ($t:ident, $ty:expr, $f:ident) => {{
        let (a, b) = $t.vpop2($ty);
        let v = $t.b.ins().$f(a, b);
        $t.push(v);
    }};
}

/// `op a` on a vector of `$ty`.
macro_rules! vun {
    ($t:ident, $ty:expr, $f:ident) => {{
        let a = $t.vpop($ty);
        let v = $t.b.ins().$f(a);
        $t.push(v);
    }};
}

/// A lane-wise integer comparison: all-ones lanes where it holds.
macro_rules! vicmp {
    ($t:ident, $ty:expr, $cc:ident) => {{
        let (a, b) = $t.vpop2($ty);
        let v = $t.b.ins().icmp(IntCC::$cc, a, b);
        $t.push(v);
    }};
}

/// A lane-wise float comparison: all-ones (integer) lanes where it holds.
macro_rules! vfcmp {
    ($t:ident, $ty:expr, $cc:ident) => {{
        let (a, b) = $t.vpop2($ty);
        let v = $t.b.ins().fcmp(FloatCC::$cc, a, b);
        $t.push(v);
    }};
}

/// Widens both operands' low or high halves with `$widen` and combines them with `$f`.
macro_rules! vwiden2 {
    ($t:ident, $ty:expr, $widen:ident, $f:ident) => {{
        let (a, b) = $t.vpop2($ty);
        let a = $t.b.ins().$widen(a);
        let b = $t.b.ins().$widen(b);
        let v = $t.b.ins().$f(a, b);
        $t.push(v);
    }};
}

/// Adds adjacent lane pairs of a vector of `$ty`, widened with `$low`/`$high`.
macro_rules! vextadd {
    ($t:ident, $ty:expr, $low:ident, $high:ident) => {{
        let a = $t.vpop($ty);
        let lo = $t.b.ins().$low(a);
        let hi = $t.b.ins().$high(a);
        let v = $t.b.ins().iadd_pairwise(lo, hi);
        $t.push(v);
    }};
}

/// A vector shift of `$ty` lanes by an i32 count (Cranelift masks it by the lane width).
macro_rules! vshift {
    ($t:ident, $ty:expr, $f:ident) => {{
        let amount = $t.pop();
        let a = $t.vpop($ty);
        let v = $t.b.ins().$f(a, amount);
        $t.push(v);
    }};
}

mod relaxed;

impl Translator<'_, '_, '_, '_> {
    /// `v` as a vector of `ty` (a no-op register reinterpretation when the types differ).
    fn as_vector(&mut self, v: Value, ty: Type) -> Value {
        if self.b.func.dfg.value_type(v) == ty {
            v
        } else {
            self.b.ins().bitcast(ty, lane_cast_flags(), v)
        }
    }

    /// Pops a v128 as a vector of `ty`.
    fn vpop(&mut self, ty: Type) -> Value {
        let v = self.pop();
        self.as_vector(v, ty)
    }

    fn vpop2(&mut self, ty: Type) -> (Value, Value) {
        let (a, b) = self.pop2();
        (self.as_vector(a, ty), self.as_vector(b, ty))
    }

    fn vpop3(&mut self, ty: Type) -> (Value, Value, Value) {
        let (a, b, c) = self.pop3();
        (
            self.as_vector(a, ty),
            self.as_vector(b, ty),
            self.as_vector(c, ty),
        )
    }

    /// Pops two v128 for a bitwise operation: in their common type if they share one (keeps
    /// `andps` and friends in the float domain), else as `I8X16`.
    fn vpop2_bitwise(&mut self) -> (Value, Value) {
        let (a, b) = self.pop2();
        let (ta, tb) = (self.b.func.dfg.value_type(a), self.b.func.dfg.value_type(b));
        if ta == tb {
            (a, b)
        } else {
            (self.as_vector(a, I8X16), self.as_vector(b, I8X16))
        }
    }

    /// Pops the address of a `size`-byte access: base pointer, offset and flags.
    fn vaddr(&mut self, memarg: &MemArg, size: u64) -> (Value, i32, MemFlagsData) {
        let addr = self.pop();
        self.heap_access(memarg, addr, size)
    }

    /// `v128.loadN_splat`: one lane of `ty` loaded and copied to every lane.
    fn load_splat(&mut self, memarg: &MemArg, ty: Type) {
        let lane = ty.lane_type();
        let (p, off, f) = self.vaddr(memarg, u64::from(lane.bytes()));
        let x = self.b.ins().load(lane, f, p, off);
        let v = self.b.ins().splat(ty, x);
        self.push(v);
    }

    /// `v128.loadN_zero`: one lane of `ty` loaded into lane 0, the others zero.
    fn load_zero(&mut self, memarg: &MemArg, ty: Type) {
        let lane = ty.lane_type();
        let (p, off, f) = self.vaddr(memarg, u64::from(lane.bytes()));
        let x = self.b.ins().load(lane, f, p, off);
        let v = self.b.ins().scalar_to_vector(ty, x);
        self.push(v);
    }

    /// `v128.loadN_lane`: replaces lane `lane` of the vector operand with a value from memory.
    fn load_lane(&mut self, memarg: &MemArg, ty: Type, lane: u8) {
        let vector = self.vpop(ty);
        let lt = ty.lane_type();
        let (p, off, f) = self.vaddr(memarg, u64::from(lt.bytes()));
        let x = self.b.ins().load(lt, f, p, off);
        let v = self.b.ins().insertlane(vector, x, lane);
        self.push(v);
    }

    /// `v128.storeN_lane`: stores lane `lane` of the vector operand.
    fn store_lane(&mut self, memarg: &MemArg, ty: Type, lane: u8) {
        let vector = self.vpop(ty);
        let lt = ty.lane_type();
        let (p, off, f) = self.vaddr(memarg, u64::from(lt.bytes()));
        let x = self.b.ins().extractlane(vector, lane);
        self.b.ins().store(f, x, p, off);
    }

    /// An extending load of 8 bytes (`v128.load8x8_s` and friends).
    fn load_extend(
        &mut self,
        memarg: &MemArg,
        load: fn(cranelift_frontend::FuncInstBuilder<'_, '_>, MemFlagsData, Value, i32) -> Value,
    ) {
        let (p, off, f) = self.vaddr(memarg, 8);
        let v = load(self.b.ins(), f, p, off);
        self.push(v);
    }

    /// `extract_lane` of an 8- or 16-bit lane, extended to i32.
    fn extract_small_lane(&mut self, ty: Type, lane: u8, signed: bool) {
        let a = self.vpop(ty);
        let x = self.b.ins().extractlane(a, lane);
        let v = if signed {
            self.b.ins().sextend(I32, x)
        } else {
            self.b.ins().uextend(I32, x)
        };
        self.push(v);
    }

    fn extract_lane(&mut self, ty: Type, lane: u8) {
        let a = self.vpop(ty);
        let v = self.b.ins().extractlane(a, lane);
        self.push(v);
    }

    fn replace_lane(&mut self, ty: Type, lane: u8) {
        let mut x = self.pop();
        let a = self.vpop(ty);
        if ty.lane_type().bits() < 32 {
            x = self.b.ins().ireduce(ty.lane_type(), x);
        }
        let v = self.b.ins().insertlane(a, x, lane);
        self.push(v);
    }

    fn splat(&mut self, ty: Type) {
        let mut x = self.pop();
        if ty.lane_type().bits() < 32 {
            x = self.b.ins().ireduce(ty.lane_type(), x);
        }
        let v = self.b.ins().splat(ty, x);
        self.push(v);
    }

    /// `all_true` / `any_true` as an i32.
    fn vtest(&mut self, ty: Type, all: bool) {
        let a = self.vpop(ty);
        let c = if all {
            self.b.ins().vall_true(a)
        } else {
            self.b.ins().vany_true(a)
        };
        let v = self.b.ins().uextend(I32, c);
        self.push(v);
    }

    /// `pmin` (`b < a ? b : a`) and `pmax` (`a < b ? b : a`), in the operand order the x86
    /// backend turns into `minps`/`maxps`.
    fn pseudo_minmax(&mut self, ty: Type, max: bool) {
        let (a, b) = self.vpop2(ty);
        let cmp = if max {
            self.b.ins().fcmp(FloatCC::LessThan, a, b)
        } else {
            self.b.ins().fcmp(FloatCC::LessThan, b, a)
        };
        let cmp = self.as_vector(cmp, ty);
        let v = self.b.ins().bitselect(cmp, b, a);
        self.push(v);
    }

    /// `i32x4.trunc_sat_f32x4_{s,u}`: NaN lanes give 0, out-of-range lanes the nearest bound.
    fn trunc_sat_f32x4(&mut self, signed: bool) {
        let a = self.vpop(F32X4);
        let v = if signed {
            self.b.ins().fcvt_to_sint_sat(I32X4, a)
        } else {
            self.b.ins().fcvt_to_uint_sat(I32X4, a)
        };
        self.push(v);
    }

    /// A zero vector of `ty` (a `vconst` of that type, which is what Cranelift's x86 patterns for
    /// narrowing conversions match).
    fn zeros(&mut self, ty: Type) -> Value {
        let zeros = self.b.func.dfg.constants.insert(vec![0u8; 16].into());
        self.b.ins().vconst(ty, zeros)
    }

    /// `i32x4.trunc_sat_f64x2_{s,u}_zero`: two saturated lanes, then two zero lanes.
    fn trunc_sat_f64x2_zero(&mut self, signed: bool) {
        let a = self.vpop(F64X2);
        let zero = self.zeros(I64X2);
        let v = if signed {
            let c = self.b.ins().fcvt_to_sint_sat(I64X2, a);
            self.b.ins().snarrow(c, zero)
        } else {
            let c = self.b.ins().fcvt_to_uint_sat(I64X2, a);
            self.b.ins().uunarrow(c, zero)
        };
        self.push(v);
    }

    /// Translates a SIMD operator (relaxed ones included); any other operator left over is
    /// unsupported.
    pub(super) fn translate_simd(&mut self, op: &Operator<'_>, offset: usize) -> Result<()> {
        match *op {
            // Memory.
            Operator::V128Load { memarg } => {
                let (p, off, f) = self.vaddr(&memarg, 16);
                let v = self.b.ins().load(I8X16, f, p, off);
                self.push(v);
            }
            Operator::V128Store { memarg } => {
                let (addr, value) = self.pop2();
                self.store(&memarg, addr, value, StoreKind::Plain);
            }
            Operator::V128Load8x8S { memarg } => {
                self.load_extend(&memarg, |i, f, p, o| i.sload8x8(f, p, o))
            }
            Operator::V128Load8x8U { memarg } => {
                self.load_extend(&memarg, |i, f, p, o| i.uload8x8(f, p, o))
            }
            Operator::V128Load16x4S { memarg } => {
                self.load_extend(&memarg, |i, f, p, o| i.sload16x4(f, p, o))
            }
            Operator::V128Load16x4U { memarg } => {
                self.load_extend(&memarg, |i, f, p, o| i.uload16x4(f, p, o))
            }
            Operator::V128Load32x2S { memarg } => {
                self.load_extend(&memarg, |i, f, p, o| i.sload32x2(f, p, o))
            }
            Operator::V128Load32x2U { memarg } => {
                self.load_extend(&memarg, |i, f, p, o| i.uload32x2(f, p, o))
            }
            Operator::V128Load8Splat { memarg } => self.load_splat(&memarg, I8X16),
            Operator::V128Load16Splat { memarg } => self.load_splat(&memarg, I16X8),
            Operator::V128Load32Splat { memarg } => self.load_splat(&memarg, I32X4),
            Operator::V128Load64Splat { memarg } => self.load_splat(&memarg, I64X2),
            Operator::V128Load32Zero { memarg } => self.load_zero(&memarg, I32X4),
            Operator::V128Load64Zero { memarg } => self.load_zero(&memarg, I64X2),
            Operator::V128Load8Lane { memarg, lane } => self.load_lane(&memarg, I8X16, lane),
            Operator::V128Load16Lane { memarg, lane } => self.load_lane(&memarg, I16X8, lane),
            Operator::V128Load32Lane { memarg, lane } => self.load_lane(&memarg, I32X4, lane),
            Operator::V128Load64Lane { memarg, lane } => self.load_lane(&memarg, I64X2, lane),
            Operator::V128Store8Lane { memarg, lane } => self.store_lane(&memarg, I8X16, lane),
            Operator::V128Store16Lane { memarg, lane } => self.store_lane(&memarg, I16X8, lane),
            Operator::V128Store32Lane { memarg, lane } => self.store_lane(&memarg, I32X4, lane),
            Operator::V128Store64Lane { memarg, lane } => self.store_lane(&memarg, I64X2, lane),

            // Constants, lanes, shuffles.
            Operator::V128Const { value } => {
                let v = self.v128_const(*value.bytes());
                self.push(v);
            }
            Operator::I8x16Shuffle { mut lanes } => {
                let (mut a, mut b) = self.vpop2(I8X16);
                // A shuffle that reads one operand only is a single `pshufb` (or better) when
                // both operands are that one; x86 otherwise shuffles each and ORs. clang emits
                // such shuffles for zero extensions, with a dummy second operand.
                if lanes.iter().all(|&l| l < 16) {
                    b = a;
                } else if lanes.iter().all(|&l| l >= 16) {
                    a = b;
                    lanes.iter_mut().for_each(|l| *l -= 16);
                }
                let mask = self
                    .b
                    .func
                    .dfg
                    .immediates
                    .push(ConstantData::from(&lanes[..]));
                let v = self.b.ins().shuffle(a, b, mask);
                self.push(v);
            }
            Operator::I8x16Swizzle => vbin!(self, I8X16, swizzle),
            Operator::I8x16Splat => self.splat(I8X16),
            Operator::I16x8Splat => self.splat(I16X8),
            Operator::I32x4Splat => self.splat(I32X4),
            Operator::I64x2Splat => self.splat(I64X2),
            Operator::F32x4Splat => self.splat(F32X4),
            Operator::F64x2Splat => self.splat(F64X2),
            Operator::I8x16ExtractLaneS { lane } => self.extract_small_lane(I8X16, lane, true),
            Operator::I8x16ExtractLaneU { lane } => self.extract_small_lane(I8X16, lane, false),
            Operator::I16x8ExtractLaneS { lane } => self.extract_small_lane(I16X8, lane, true),
            Operator::I16x8ExtractLaneU { lane } => self.extract_small_lane(I16X8, lane, false),
            Operator::I32x4ExtractLane { lane } => self.extract_lane(I32X4, lane),
            Operator::I64x2ExtractLane { lane } => self.extract_lane(I64X2, lane),
            Operator::F32x4ExtractLane { lane } => self.extract_lane(F32X4, lane),
            Operator::F64x2ExtractLane { lane } => self.extract_lane(F64X2, lane),
            Operator::I8x16ReplaceLane { lane } => self.replace_lane(I8X16, lane),
            Operator::I16x8ReplaceLane { lane } => self.replace_lane(I16X8, lane),
            Operator::I32x4ReplaceLane { lane } => self.replace_lane(I32X4, lane),
            Operator::I64x2ReplaceLane { lane } => self.replace_lane(I64X2, lane),
            Operator::F32x4ReplaceLane { lane } => self.replace_lane(F32X4, lane),
            Operator::F64x2ReplaceLane { lane } => self.replace_lane(F64X2, lane),

            // Bitwise.
            Operator::V128Not => {
                let a = self.pop();
                let v = self.b.ins().bnot(a);
                self.push(v);
            }
            Operator::V128And => {
                let (a, b) = self.vpop2_bitwise();
                let v = self.b.ins().band(a, b);
                self.push(v);
            }
            Operator::V128AndNot => {
                let (a, b) = self.vpop2_bitwise();
                let v = self.b.ins().band_not(a, b);
                self.push(v);
            }
            Operator::V128Or => {
                let (a, b) = self.vpop2_bitwise();
                let v = self.b.ins().bor(a, b);
                self.push(v);
            }
            Operator::V128Xor => {
                let (a, b) = self.vpop2_bitwise();
                let v = self.b.ins().bxor(a, b);
                self.push(v);
            }
            Operator::V128Bitselect => {
                let (a, b, c) = self.vpop3(I8X16);
                let v = self.b.ins().bitselect(c, a, b);
                self.push(v);
            }
            Operator::V128AnyTrue => self.vtest(I8X16, false),

            // Integer lanes.
            Operator::I8x16AllTrue => self.vtest(I8X16, true),
            Operator::I16x8AllTrue => self.vtest(I16X8, true),
            Operator::I32x4AllTrue => self.vtest(I32X4, true),
            Operator::I64x2AllTrue => self.vtest(I64X2, true),
            Operator::I8x16Bitmask => self.bitmask(I8X16),
            Operator::I16x8Bitmask => self.bitmask(I16X8),
            Operator::I32x4Bitmask => self.bitmask(I32X4),
            Operator::I64x2Bitmask => self.bitmask(I64X2),

            Operator::I8x16Eq => vicmp!(self, I8X16, Equal),
            Operator::I8x16Ne => vicmp!(self, I8X16, NotEqual),
            Operator::I8x16LtS => vicmp!(self, I8X16, SignedLessThan),
            Operator::I8x16LtU => vicmp!(self, I8X16, UnsignedLessThan),
            Operator::I8x16GtS => vicmp!(self, I8X16, SignedGreaterThan),
            Operator::I8x16GtU => vicmp!(self, I8X16, UnsignedGreaterThan),
            Operator::I8x16LeS => vicmp!(self, I8X16, SignedLessThanOrEqual),
            Operator::I8x16LeU => vicmp!(self, I8X16, UnsignedLessThanOrEqual),
            Operator::I8x16GeS => vicmp!(self, I8X16, SignedGreaterThanOrEqual),
            Operator::I8x16GeU => vicmp!(self, I8X16, UnsignedGreaterThanOrEqual),
            Operator::I16x8Eq => vicmp!(self, I16X8, Equal),
            Operator::I16x8Ne => vicmp!(self, I16X8, NotEqual),
            Operator::I16x8LtS => vicmp!(self, I16X8, SignedLessThan),
            Operator::I16x8LtU => vicmp!(self, I16X8, UnsignedLessThan),
            Operator::I16x8GtS => vicmp!(self, I16X8, SignedGreaterThan),
            Operator::I16x8GtU => vicmp!(self, I16X8, UnsignedGreaterThan),
            Operator::I16x8LeS => vicmp!(self, I16X8, SignedLessThanOrEqual),
            Operator::I16x8LeU => vicmp!(self, I16X8, UnsignedLessThanOrEqual),
            Operator::I16x8GeS => vicmp!(self, I16X8, SignedGreaterThanOrEqual),
            Operator::I16x8GeU => vicmp!(self, I16X8, UnsignedGreaterThanOrEqual),
            Operator::I32x4Eq => vicmp!(self, I32X4, Equal),
            Operator::I32x4Ne => vicmp!(self, I32X4, NotEqual),
            Operator::I32x4LtS => vicmp!(self, I32X4, SignedLessThan),
            Operator::I32x4LtU => vicmp!(self, I32X4, UnsignedLessThan),
            Operator::I32x4GtS => vicmp!(self, I32X4, SignedGreaterThan),
            Operator::I32x4GtU => vicmp!(self, I32X4, UnsignedGreaterThan),
            Operator::I32x4LeS => vicmp!(self, I32X4, SignedLessThanOrEqual),
            Operator::I32x4LeU => vicmp!(self, I32X4, UnsignedLessThanOrEqual),
            Operator::I32x4GeS => vicmp!(self, I32X4, SignedGreaterThanOrEqual),
            Operator::I32x4GeU => vicmp!(self, I32X4, UnsignedGreaterThanOrEqual),
            Operator::I64x2Eq => vicmp!(self, I64X2, Equal),
            Operator::I64x2Ne => vicmp!(self, I64X2, NotEqual),
            Operator::I64x2LtS => vicmp!(self, I64X2, SignedLessThan),
            Operator::I64x2GtS => vicmp!(self, I64X2, SignedGreaterThan),
            Operator::I64x2LeS => vicmp!(self, I64X2, SignedLessThanOrEqual),
            Operator::I64x2GeS => vicmp!(self, I64X2, SignedGreaterThanOrEqual),

            Operator::I8x16Abs => vun!(self, I8X16, iabs),
            Operator::I16x8Abs => vun!(self, I16X8, iabs),
            Operator::I32x4Abs => vun!(self, I32X4, iabs),
            Operator::I64x2Abs => vun!(self, I64X2, iabs),
            Operator::I8x16Neg => vun!(self, I8X16, ineg),
            Operator::I16x8Neg => vun!(self, I16X8, ineg),
            Operator::I32x4Neg => vun!(self, I32X4, ineg),
            Operator::I64x2Neg => vun!(self, I64X2, ineg),
            Operator::I8x16Popcnt => vun!(self, I8X16, popcnt),

            Operator::I8x16Add => vbin!(self, I8X16, iadd),
            Operator::I16x8Add => vbin!(self, I16X8, iadd),
            Operator::I32x4Add => vbin!(self, I32X4, iadd),
            Operator::I64x2Add => vbin!(self, I64X2, iadd),
            Operator::I8x16Sub => vbin!(self, I8X16, isub),
            Operator::I16x8Sub => vbin!(self, I16X8, isub),
            Operator::I32x4Sub => vbin!(self, I32X4, isub),
            Operator::I64x2Sub => vbin!(self, I64X2, isub),
            Operator::I16x8Mul => vbin!(self, I16X8, imul),
            Operator::I32x4Mul => vbin!(self, I32X4, imul),
            Operator::I64x2Mul => vbin!(self, I64X2, imul),
            Operator::I8x16AddSatS => vbin!(self, I8X16, sadd_sat),
            Operator::I16x8AddSatS => vbin!(self, I16X8, sadd_sat),
            Operator::I8x16AddSatU => vbin!(self, I8X16, uadd_sat),
            Operator::I16x8AddSatU => vbin!(self, I16X8, uadd_sat),
            Operator::I8x16SubSatS => vbin!(self, I8X16, ssub_sat),
            Operator::I16x8SubSatS => vbin!(self, I16X8, ssub_sat),
            Operator::I8x16SubSatU => vbin!(self, I8X16, usub_sat),
            Operator::I16x8SubSatU => vbin!(self, I16X8, usub_sat),
            Operator::I8x16MinS => vbin!(self, I8X16, smin),
            Operator::I16x8MinS => vbin!(self, I16X8, smin),
            Operator::I32x4MinS => vbin!(self, I32X4, smin),
            Operator::I8x16MinU => vbin!(self, I8X16, umin),
            Operator::I16x8MinU => vbin!(self, I16X8, umin),
            Operator::I32x4MinU => vbin!(self, I32X4, umin),
            Operator::I8x16MaxS => vbin!(self, I8X16, smax),
            Operator::I16x8MaxS => vbin!(self, I16X8, smax),
            Operator::I32x4MaxS => vbin!(self, I32X4, smax),
            Operator::I8x16MaxU => vbin!(self, I8X16, umax),
            Operator::I16x8MaxU => vbin!(self, I16X8, umax),
            Operator::I32x4MaxU => vbin!(self, I32X4, umax),
            Operator::I8x16AvgrU => vbin!(self, I8X16, avg_round),
            Operator::I16x8AvgrU => vbin!(self, I16X8, avg_round),
            Operator::I16x8Q15MulrSatS => vbin!(self, I16X8, sqmul_round_sat),

            Operator::I8x16Shl => vshift!(self, I8X16, ishl),
            Operator::I16x8Shl => vshift!(self, I16X8, ishl),
            Operator::I32x4Shl => vshift!(self, I32X4, ishl),
            Operator::I64x2Shl => vshift!(self, I64X2, ishl),
            Operator::I8x16ShrS => vshift!(self, I8X16, sshr),
            Operator::I16x8ShrS => vshift!(self, I16X8, sshr),
            Operator::I32x4ShrS => vshift!(self, I32X4, sshr),
            Operator::I64x2ShrS => vshift!(self, I64X2, sshr),
            Operator::I8x16ShrU => vshift!(self, I8X16, ushr),
            Operator::I16x8ShrU => vshift!(self, I16X8, ushr),
            Operator::I32x4ShrU => vshift!(self, I32X4, ushr),
            Operator::I64x2ShrU => vshift!(self, I64X2, ushr),

            // Narrowing (saturating) and widening.
            Operator::I8x16NarrowI16x8S => vbin!(self, I16X8, snarrow),
            Operator::I8x16NarrowI16x8U => vbin!(self, I16X8, unarrow),
            Operator::I16x8NarrowI32x4S => vbin!(self, I32X4, snarrow),
            Operator::I16x8NarrowI32x4U => vbin!(self, I32X4, unarrow),
            Operator::I16x8ExtendLowI8x16S => vun!(self, I8X16, swiden_low),
            Operator::I16x8ExtendHighI8x16S => vun!(self, I8X16, swiden_high),
            Operator::I16x8ExtendLowI8x16U => vun!(self, I8X16, uwiden_low),
            Operator::I16x8ExtendHighI8x16U => vun!(self, I8X16, uwiden_high),
            Operator::I32x4ExtendLowI16x8S => vun!(self, I16X8, swiden_low),
            Operator::I32x4ExtendHighI16x8S => vun!(self, I16X8, swiden_high),
            Operator::I32x4ExtendLowI16x8U => vun!(self, I16X8, uwiden_low),
            Operator::I32x4ExtendHighI16x8U => vun!(self, I16X8, uwiden_high),
            Operator::I64x2ExtendLowI32x4S => vun!(self, I32X4, swiden_low),
            Operator::I64x2ExtendHighI32x4S => vun!(self, I32X4, swiden_high),
            Operator::I64x2ExtendLowI32x4U => vun!(self, I32X4, uwiden_low),
            Operator::I64x2ExtendHighI32x4U => vun!(self, I32X4, uwiden_high),
            Operator::I16x8ExtMulLowI8x16S => vwiden2!(self, I8X16, swiden_low, imul),
            Operator::I16x8ExtMulHighI8x16S => vwiden2!(self, I8X16, swiden_high, imul),
            Operator::I16x8ExtMulLowI8x16U => vwiden2!(self, I8X16, uwiden_low, imul),
            Operator::I16x8ExtMulHighI8x16U => vwiden2!(self, I8X16, uwiden_high, imul),
            Operator::I32x4ExtMulLowI16x8S => vwiden2!(self, I16X8, swiden_low, imul),
            Operator::I32x4ExtMulHighI16x8S => vwiden2!(self, I16X8, swiden_high, imul),
            Operator::I32x4ExtMulLowI16x8U => vwiden2!(self, I16X8, uwiden_low, imul),
            Operator::I32x4ExtMulHighI16x8U => vwiden2!(self, I16X8, uwiden_high, imul),
            Operator::I64x2ExtMulLowI32x4S => vwiden2!(self, I32X4, swiden_low, imul),
            Operator::I64x2ExtMulHighI32x4S => vwiden2!(self, I32X4, swiden_high, imul),
            Operator::I64x2ExtMulLowI32x4U => vwiden2!(self, I32X4, uwiden_low, imul),
            Operator::I64x2ExtMulHighI32x4U => vwiden2!(self, I32X4, uwiden_high, imul),
            Operator::I16x8ExtAddPairwiseI8x16S => {
                vextadd!(self, I8X16, swiden_low, swiden_high)
            }
            Operator::I16x8ExtAddPairwiseI8x16U => {
                vextadd!(self, I8X16, uwiden_low, uwiden_high)
            }
            Operator::I32x4ExtAddPairwiseI16x8S => {
                vextadd!(self, I16X8, swiden_low, swiden_high)
            }
            Operator::I32x4ExtAddPairwiseI16x8U => {
                vextadd!(self, I16X8, uwiden_low, uwiden_high)
            }
            Operator::I32x4DotI16x8S => {
                let (a, b) = self.vpop2(I16X8);
                let (al, bl) = (self.b.ins().swiden_low(a), self.b.ins().swiden_low(b));
                let lo = self.b.ins().imul(al, bl);
                let (ah, bh) = (self.b.ins().swiden_high(a), self.b.ins().swiden_high(b));
                let hi = self.b.ins().imul(ah, bh);
                let v = self.b.ins().iadd_pairwise(lo, hi);
                self.push(v);
            }

            // Float lanes.
            Operator::F32x4Eq => vfcmp!(self, F32X4, Equal),
            Operator::F32x4Ne => vfcmp!(self, F32X4, NotEqual),
            Operator::F32x4Lt => vfcmp!(self, F32X4, LessThan),
            Operator::F32x4Gt => vfcmp!(self, F32X4, GreaterThan),
            Operator::F32x4Le => vfcmp!(self, F32X4, LessThanOrEqual),
            Operator::F32x4Ge => vfcmp!(self, F32X4, GreaterThanOrEqual),
            Operator::F64x2Eq => vfcmp!(self, F64X2, Equal),
            Operator::F64x2Ne => vfcmp!(self, F64X2, NotEqual),
            Operator::F64x2Lt => vfcmp!(self, F64X2, LessThan),
            Operator::F64x2Gt => vfcmp!(self, F64X2, GreaterThan),
            Operator::F64x2Le => vfcmp!(self, F64X2, LessThanOrEqual),
            Operator::F64x2Ge => vfcmp!(self, F64X2, GreaterThanOrEqual),

            Operator::F32x4Add => vbin!(self, F32X4, fadd),
            Operator::F64x2Add => vbin!(self, F64X2, fadd),
            Operator::F32x4Sub => vbin!(self, F32X4, fsub),
            Operator::F64x2Sub => vbin!(self, F64X2, fsub),
            Operator::F32x4Mul => vbin!(self, F32X4, fmul),
            Operator::F64x2Mul => vbin!(self, F64X2, fmul),
            Operator::F32x4Div => vbin!(self, F32X4, fdiv),
            Operator::F64x2Div => vbin!(self, F64X2, fdiv),
            // Cranelift's fmin/fmax are wasm's: NaN in either lane gives NaN, -0 < +0.
            Operator::F32x4Min => vbin!(self, F32X4, fmin),
            Operator::F64x2Min => vbin!(self, F64X2, fmin),
            Operator::F32x4Max => vbin!(self, F32X4, fmax),
            Operator::F64x2Max => vbin!(self, F64X2, fmax),
            Operator::F32x4PMin => self.pseudo_minmax(F32X4, false),
            Operator::F64x2PMin => self.pseudo_minmax(F64X2, false),
            Operator::F32x4PMax => self.pseudo_minmax(F32X4, true),
            Operator::F64x2PMax => self.pseudo_minmax(F64X2, true),
            Operator::F32x4Abs => vun!(self, F32X4, fabs),
            Operator::F64x2Abs => vun!(self, F64X2, fabs),
            Operator::F32x4Neg => vun!(self, F32X4, fneg),
            Operator::F64x2Neg => vun!(self, F64X2, fneg),
            Operator::F32x4Sqrt => vun!(self, F32X4, sqrt),
            Operator::F64x2Sqrt => vun!(self, F64X2, sqrt),
            Operator::F32x4Ceil => vun!(self, F32X4, ceil),
            Operator::F64x2Ceil => vun!(self, F64X2, ceil),
            Operator::F32x4Floor => vun!(self, F32X4, floor),
            Operator::F64x2Floor => vun!(self, F64X2, floor),
            Operator::F32x4Trunc => vun!(self, F32X4, trunc),
            Operator::F64x2Trunc => vun!(self, F64X2, trunc),
            Operator::F32x4Nearest => vun!(self, F32X4, nearest),
            Operator::F64x2Nearest => vun!(self, F64X2, nearest),

            // Conversions.
            Operator::I32x4TruncSatF32x4S => self.trunc_sat_f32x4(true),
            Operator::I32x4TruncSatF32x4U => self.trunc_sat_f32x4(false),
            Operator::I32x4TruncSatF64x2SZero => self.trunc_sat_f64x2_zero(true),
            Operator::I32x4TruncSatF64x2UZero => self.trunc_sat_f64x2_zero(false),
            Operator::F32x4ConvertI32x4S => {
                let a = self.vpop(I32X4);
                let v = self.b.ins().fcvt_from_sint(F32X4, a);
                self.push(v);
            }
            Operator::F32x4ConvertI32x4U => {
                let a = self.vpop(I32X4);
                let v = self.b.ins().fcvt_from_uint(F32X4, a);
                self.push(v);
            }
            Operator::F64x2ConvertLowI32x4S => {
                let a = self.vpop(I32X4);
                let w = self.b.ins().swiden_low(a);
                let v = self.b.ins().fcvt_from_sint(F64X2, w);
                self.push(v);
            }
            Operator::F64x2ConvertLowI32x4U => {
                let a = self.vpop(I32X4);
                let w = self.b.ins().uwiden_low(a);
                let v = self.b.ins().fcvt_from_uint(F64X2, w);
                self.push(v);
            }
            Operator::F32x4DemoteF64x2Zero => vun!(self, F64X2, fvdemote),
            Operator::F64x2PromoteLowF32x4 => vun!(self, F32X4, fvpromote_low),

            ref other => {
                if self.translate_relaxed_simd(other) {
                    return Ok(());
                }
                let name = format!("{other:?}");
                let name = name.split([' ', '{', '(']).next().unwrap_or("");
                let feature = if name.starts_with('V')
                    || name.starts_with("I8x16")
                    || name.starts_with("I16x8")
                    || name.starts_with("I32x4")
                    || name.starts_with("I64x2")
                    || name.starts_with("F32x4")
                    || name.starts_with("F64x2")
                {
                    format!("SIMD instruction {name}")
                } else {
                    format!("instruction {name}")
                };
                return Err(self.unsupported(&feature, offset));
            }
        }
        Ok(())
    }

    /// `bitmask`: the top bit of every lane, lane 0 in bit 0.
    fn bitmask(&mut self, ty: Type) {
        let a = self.vpop(ty);
        let v = self.b.ins().vhigh_bits(I32, a);
        self.push(v);
    }
}
