//! The per-operator translation (everything but structured control flow).

use super::vm::{LoadKind, StoreKind};
use super::{Call, Translator};
use crate::error::Result;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::types::{F32, F64, I8, I16, I32, I64};
use cranelift_codegen::ir::{InstBuilder, MemFlagsData};
use wasm2native_abi::Builtin;
use wasmparser::Operator;

macro_rules! unop {
    ($t:ident, $f:ident) => {{
        let a = $t.pop();
        let v = $t.b.ins().$f(a);
        $t.push(v);
    }};
}

macro_rules! binop {
    ($t:ident, $f:ident) => {{
        let (a, b) = $t.pop2();
        let v = $t.b.ins().$f(a, b);
        $t.push(v);
    }};
}

macro_rules! icmp {
    ($t:ident, $cc:ident) => {{
        let (a, b) = $t.pop2();
        let c = $t.b.ins().icmp(IntCC::$cc, a, b);
        let v = $t.b.ins().uextend(I32, c);
        $t.push(v);
    }};
}

macro_rules! fcmp {
    ($t:ident, $cc:ident) => {{
        let (a, b) = $t.pop2();
        let c = $t.b.ins().fcmp(FloatCC::$cc, a, b);
        let v = $t.b.ins().uextend(I32, c);
        $t.push(v);
    }};
}

macro_rules! convert {
    ($t:ident, $f:ident, $ty:expr) => {{
        let a = $t.pop();
        let v = $t.b.ins().$f($ty, a);
        $t.push(v);
    }};
}

/// Sign-extends the low `$narrow` bits of a `$wide` value.
macro_rules! extend_low {
    ($t:ident, $narrow:expr, $wide:expr) => {{
        let a = $t.pop();
        let low = $t.b.ins().ireduce($narrow, a);
        let v = $t.b.ins().sextend($wide, low);
        $t.push(v);
    }};
}

macro_rules! load {
    ($t:ident, $memarg:expr, $kind:expr) => {{
        let addr = $t.pop();
        let v = $t.load($memarg, addr, $kind);
        $t.push(v);
    }};
}

macro_rules! store {
    ($t:ident, $memarg:expr, $kind:expr) => {{
        let (addr, value) = $t.pop2();
        $t.store($memarg, addr, value, $kind);
    }};
}

impl Translator<'_, '_, '_, '_> {
    /// Integer division and remainder. Cranelift's operators have wasm's semantics: a zero
    /// divisor traps with `INTEGER_DIVISION_BY_ZERO` (an explicit check), `sdiv` overflow
    /// traps with `INTEGER_OVERFLOW` (the `idiv` fault, recorded with that code), and
    /// `INT_MIN % -1` is 0; so no checks of our own are needed.
    fn divrem(&mut self, signed: bool, rem: bool) {
        let (a, b) = self.pop2();
        let v = match (signed, rem) {
            (true, false) => self.b.ins().sdiv(a, b),
            (false, false) => self.b.ins().udiv(a, b),
            (true, true) => self.b.ins().srem(a, b),
            (false, true) => self.b.ins().urem(a, b),
        };
        self.push(v);
    }

    fn bitcast(&mut self, ty: cranelift_codegen::ir::Type) {
        let a = self.pop();
        let v = self.b.ins().bitcast(ty, MemFlagsData::new(), a);
        self.push(v);
    }

    pub(super) fn translate_operator(&mut self, op: &Operator<'_>, offset: usize) -> Result<()> {
        use LoadKind as L;
        use StoreKind as S;
        match *op {
            Operator::Nop => {}
            Operator::Drop => {
                self.pop();
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let (mut a, mut b, c) = self.pop3();
                if self.b.func.dfg.value_type(a) != self.b.func.dfg.value_type(b) {
                    // Two vectors of different lane types.
                    a = self.canon(a);
                    b = self.canon(b);
                }
                let v = self.b.ins().select(c, a, b);
                self.push(v);
            }

            Operator::LocalGet { local_index } => {
                let v = self.b.use_var(self.locals[local_index as usize]);
                self.push(v);
            }
            Operator::LocalSet { local_index } => {
                let v = self.pop();
                let v = self.canon(v);
                self.b.def_var(self.locals[local_index as usize], v);
            }
            Operator::LocalTee { local_index } => {
                let v = *self.stack.last().expect("validated");
                let v = self.canon(v);
                self.b.def_var(self.locals[local_index as usize], v);
            }
            Operator::GlobalGet { global_index } => {
                let v = self.global_get(global_index);
                self.push(v);
            }
            Operator::GlobalSet { global_index } => {
                let v = self.pop();
                let v = self.canon(v);
                self.global_set(global_index, v);
            }

            Operator::Call { function_index } => {
                match self.env.libc_routines[function_index as usize] {
                    Some(routine) => self.call_libc_routine(function_index, routine),
                    None => self.call(function_index, Call::Normal),
                }
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, Call::Normal),
            Operator::ReturnCall { function_index } => self.call(function_index, Call::Tail),
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, Call::Tail),
            Operator::CallRef { type_index } => self.call_ref(type_index, Call::Normal),
            Operator::ReturnCallRef { type_index } => self.call_ref(type_index, Call::Tail),

            Operator::I32Load { memarg } => load!(self, &memarg, L::Plain(I32)),
            Operator::I64Load { memarg } => load!(self, &memarg, L::Plain(I64)),
            Operator::F32Load { memarg } => load!(self, &memarg, L::Plain(F32)),
            Operator::F64Load { memarg } => load!(self, &memarg, L::Plain(F64)),
            Operator::I32Load8S { memarg } => load!(self, &memarg, L::S8(I32)),
            Operator::I32Load8U { memarg } => load!(self, &memarg, L::U8(I32)),
            Operator::I32Load16S { memarg } => load!(self, &memarg, L::S16(I32)),
            Operator::I32Load16U { memarg } => load!(self, &memarg, L::U16(I32)),
            Operator::I64Load8S { memarg } => load!(self, &memarg, L::S8(I64)),
            Operator::I64Load8U { memarg } => load!(self, &memarg, L::U8(I64)),
            Operator::I64Load16S { memarg } => load!(self, &memarg, L::S16(I64)),
            Operator::I64Load16U { memarg } => load!(self, &memarg, L::U16(I64)),
            Operator::I64Load32S { memarg } => load!(self, &memarg, L::S32),
            Operator::I64Load32U { memarg } => load!(self, &memarg, L::U32),
            Operator::I32Store { memarg }
            | Operator::I64Store { memarg }
            | Operator::F32Store { memarg }
            | Operator::F64Store { memarg } => store!(self, &memarg, S::Plain),
            Operator::I32Store8 { memarg } | Operator::I64Store8 { memarg } => {
                store!(self, &memarg, S::Narrow8)
            }
            Operator::I32Store16 { memarg } | Operator::I64Store16 { memarg } => {
                store!(self, &memarg, S::Narrow16)
            }
            Operator::I64Store32 { memarg } => store!(self, &memarg, S::Narrow32),

            Operator::MemorySize { mem } => {
                let v = self.memory_size(mem);
                self.push(v);
            }
            Operator::MemoryGrow { mem: index } => {
                let delta = self.pop();
                let delta = self.widen(delta);
                let mem = self.b.ins().iconst(I32, i64::from(index));
                let v = self.builtin(Builtin::MemoryGrow, &[mem, delta]);
                let wide = self.memory64(index);
                let v = self.grow_result(wide, v.expect("memory.grow returns"));
                self.push(v);
            }
            Operator::MemoryCopy { dst_mem, src_mem }
                if !self.memory64(dst_mem) && !self.memory64(src_mem) =>
            {
                let (dst, src, len) = self.pop3();
                self.memory_copy32(dst_mem, src_mem, [dst, src, len]);
            }
            Operator::MemoryFill { mem } if !self.memory64(mem) => {
                let (dst, val, len) = self.pop3();
                self.memory_fill32(mem, [dst, val, len]);
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                let (dst, src, len) = self.pop3();
                let (dst, src, len) = (self.widen(dst), self.widen(src), self.widen(len));
                let d = self.b.ins().iconst(I32, i64::from(dst_mem));
                let s = self.b.ins().iconst(I32, i64::from(src_mem));
                self.builtin(Builtin::MemoryCopy, &[d, s, dst, src, len]);
            }
            Operator::MemoryFill { mem } => {
                let (dst, val, len) = self.pop3();
                let (dst, len) = (self.widen(dst), self.widen(len));
                let m = self.b.ins().iconst(I32, i64::from(mem));
                self.builtin(Builtin::MemoryFill, &[m, dst, val, len]);
            }
            Operator::MemoryInit { data_index, mem } => {
                let (dst, src, len) = self.pop3();
                let dst = self.widen(dst);
                let m = self.b.ins().iconst(I32, i64::from(mem));
                let d = self.b.ins().iconst(I32, i64::from(data_index));
                self.builtin(Builtin::MemoryInit, &[m, d, dst, src, len]);
            }
            Operator::DataDrop { data_index } => {
                let d = self.b.ins().iconst(I32, i64::from(data_index));
                self.builtin(Builtin::DataDrop, &[d]);
            }

            Operator::TableGet { table } => {
                let index = self.pop();
                let v = self.table_get(table, index);
                self.push(v);
            }
            Operator::TableSet { table } => {
                let (index, value) = self.pop2();
                self.table_set(table, index, value);
            }
            Operator::TableSize { table } => {
                let v = self.table_size(table);
                self.push(v);
            }
            Operator::TableGrow { table } => {
                let (init, delta) = self.pop2();
                let delta = self.widen(delta);
                let t = self.b.ins().iconst(I32, i64::from(table));
                let v = self.builtin(Builtin::TableGrow, &[t, init, delta]);
                let wide = self.table64(table);
                let v = self.grow_result(wide, v.expect("table.grow returns"));
                self.push(v);
            }
            Operator::TableFill { table } => {
                let (dst, val, len) = self.pop3();
                let (dst, len) = (self.widen(dst), self.widen(len));
                let t = self.b.ins().iconst(I32, i64::from(table));
                self.builtin(Builtin::TableFill, &[t, dst, val, len]);
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let (dst, src, len) = self.pop3();
                let (dst, src, len) = (self.widen(dst), self.widen(src), self.widen(len));
                let d = self.b.ins().iconst(I32, i64::from(dst_table));
                let s = self.b.ins().iconst(I32, i64::from(src_table));
                self.builtin(Builtin::TableCopy, &[d, s, dst, src, len]);
            }
            Operator::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3();
                let dst = self.widen(dst);
                let t = self.b.ins().iconst(I32, i64::from(table));
                let e = self.b.ins().iconst(I32, i64::from(elem_index));
                self.builtin(Builtin::TableInit, &[t, e, dst, src, len]);
            }
            Operator::ElemDrop { elem_index } => {
                let e = self.b.ins().iconst(I32, i64::from(elem_index));
                self.builtin(Builtin::ElemDrop, &[e]);
            }

            Operator::RefNull { .. } => {
                let v = self.b.ins().iconst(I64, 0);
                self.push(v);
            }
            Operator::RefIsNull => {
                let a = self.pop();
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, a, 0);
                let v = self.b.ins().uextend(I32, c);
                self.push(v);
            }
            Operator::RefFunc { function_index } => {
                let v = self.ref_func(function_index);
                self.push(v);
            }
            Operator::RefAsNonNull => self.ref_as_non_null(),

            Operator::I32Const { value } => {
                let v = self.b.ins().iconst(I32, i64::from(value));
                self.push(v);
            }
            Operator::I64Const { value } => {
                let v = self.b.ins().iconst(I64, value);
                self.push(v);
            }
            Operator::F32Const { value } => {
                let v = self.b.ins().f32const(Ieee32::with_bits(value.bits()));
                self.push(v);
            }
            Operator::F64Const { value } => {
                let v = self.b.ins().f64const(Ieee64::with_bits(value.bits()));
                self.push(v);
            }

            Operator::I32Eqz | Operator::I64Eqz => {
                let a = self.pop();
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, a, 0);
                let v = self.b.ins().uextend(I32, c);
                self.push(v);
            }
            Operator::I32Eq | Operator::I64Eq => icmp!(self, Equal),
            Operator::I32Ne | Operator::I64Ne => icmp!(self, NotEqual),
            Operator::I32LtS | Operator::I64LtS => icmp!(self, SignedLessThan),
            Operator::I32LtU | Operator::I64LtU => icmp!(self, UnsignedLessThan),
            Operator::I32GtS | Operator::I64GtS => icmp!(self, SignedGreaterThan),
            Operator::I32GtU | Operator::I64GtU => icmp!(self, UnsignedGreaterThan),
            Operator::I32LeS | Operator::I64LeS => icmp!(self, SignedLessThanOrEqual),
            Operator::I32LeU | Operator::I64LeU => icmp!(self, UnsignedLessThanOrEqual),
            Operator::I32GeS | Operator::I64GeS => icmp!(self, SignedGreaterThanOrEqual),
            Operator::I32GeU | Operator::I64GeU => icmp!(self, UnsignedGreaterThanOrEqual),
            Operator::F32Eq | Operator::F64Eq => fcmp!(self, Equal),
            Operator::F32Ne | Operator::F64Ne => fcmp!(self, NotEqual),
            Operator::F32Lt | Operator::F64Lt => fcmp!(self, LessThan),
            Operator::F32Gt | Operator::F64Gt => fcmp!(self, GreaterThan),
            Operator::F32Le | Operator::F64Le => fcmp!(self, LessThanOrEqual),
            Operator::F32Ge | Operator::F64Ge => fcmp!(self, GreaterThanOrEqual),

            Operator::I32Clz | Operator::I64Clz => unop!(self, clz),
            Operator::I32Ctz | Operator::I64Ctz => unop!(self, ctz),
            Operator::I32Popcnt | Operator::I64Popcnt => unop!(self, popcnt),
            Operator::I32Add | Operator::I64Add => binop!(self, iadd),
            Operator::I32Sub | Operator::I64Sub => binop!(self, isub),
            Operator::I32Mul | Operator::I64Mul => binop!(self, imul),
            Operator::I32DivS | Operator::I64DivS => self.divrem(true, false),
            Operator::I32DivU | Operator::I64DivU => self.divrem(false, false),
            Operator::I32RemS | Operator::I64RemS => self.divrem(true, true),
            Operator::I32RemU | Operator::I64RemU => self.divrem(false, true),
            Operator::I32And | Operator::I64And => binop!(self, band),
            Operator::I32Or | Operator::I64Or => binop!(self, bor),
            Operator::I32Xor | Operator::I64Xor => binop!(self, bxor),
            Operator::I32Shl | Operator::I64Shl => binop!(self, ishl),
            Operator::I32ShrS | Operator::I64ShrS => binop!(self, sshr),
            Operator::I32ShrU | Operator::I64ShrU => binop!(self, ushr),
            Operator::I32Rotl | Operator::I64Rotl => binop!(self, rotl),
            Operator::I32Rotr | Operator::I64Rotr => binop!(self, rotr),

            Operator::F32Abs | Operator::F64Abs => unop!(self, fabs),
            Operator::F32Neg | Operator::F64Neg => unop!(self, fneg),
            Operator::F32Ceil | Operator::F64Ceil => unop!(self, ceil),
            Operator::F32Floor | Operator::F64Floor => unop!(self, floor),
            Operator::F32Trunc | Operator::F64Trunc => unop!(self, trunc),
            Operator::F32Nearest | Operator::F64Nearest => unop!(self, nearest),
            Operator::F32Sqrt | Operator::F64Sqrt => unop!(self, sqrt),
            Operator::F32Add | Operator::F64Add => binop!(self, fadd),
            Operator::F32Sub | Operator::F64Sub => binop!(self, fsub),
            Operator::F32Mul | Operator::F64Mul => binop!(self, fmul),
            Operator::F32Div | Operator::F64Div => binop!(self, fdiv),
            Operator::F32Min | Operator::F64Min => binop!(self, fmin),
            Operator::F32Max | Operator::F64Max => binop!(self, fmax),
            Operator::F32Copysign | Operator::F64Copysign => binop!(self, fcopysign),

            Operator::I32WrapI64 => convert!(self, ireduce, I32),
            Operator::I64ExtendI32S => convert!(self, sextend, I64),
            Operator::I64ExtendI32U => convert!(self, uextend, I64),
            Operator::I32Extend8S => extend_low!(self, I8, I32),
            Operator::I32Extend16S => extend_low!(self, I16, I32),
            Operator::I64Extend8S => extend_low!(self, I8, I64),
            Operator::I64Extend16S => extend_low!(self, I16, I64),
            Operator::I64Extend32S => extend_low!(self, I32, I64),
            Operator::I32TruncF32S | Operator::I32TruncF64S => convert!(self, fcvt_to_sint, I32),
            Operator::I32TruncF32U | Operator::I32TruncF64U => convert!(self, fcvt_to_uint, I32),
            Operator::I64TruncF32S | Operator::I64TruncF64S => convert!(self, fcvt_to_sint, I64),
            Operator::I64TruncF32U | Operator::I64TruncF64U => convert!(self, fcvt_to_uint, I64),
            Operator::I32TruncSatF32S | Operator::I32TruncSatF64S => {
                convert!(self, fcvt_to_sint_sat, I32)
            }
            Operator::I32TruncSatF32U | Operator::I32TruncSatF64U => {
                convert!(self, fcvt_to_uint_sat, I32)
            }
            Operator::I64TruncSatF32S | Operator::I64TruncSatF64S => {
                convert!(self, fcvt_to_sint_sat, I64)
            }
            Operator::I64TruncSatF32U | Operator::I64TruncSatF64U => {
                convert!(self, fcvt_to_uint_sat, I64)
            }
            Operator::F32ConvertI32S | Operator::F32ConvertI64S => {
                convert!(self, fcvt_from_sint, F32)
            }
            Operator::F32ConvertI32U | Operator::F32ConvertI64U => {
                convert!(self, fcvt_from_uint, F32)
            }
            Operator::F64ConvertI32S | Operator::F64ConvertI64S => {
                convert!(self, fcvt_from_sint, F64)
            }
            Operator::F64ConvertI32U | Operator::F64ConvertI64U => {
                convert!(self, fcvt_from_uint, F64)
            }
            Operator::F32DemoteF64 => convert!(self, fdemote, F32),
            Operator::F64PromoteF32 => convert!(self, fpromote, F64),
            Operator::I32ReinterpretF32 => self.bitcast(I32),
            Operator::I64ReinterpretF64 => self.bitcast(I64),
            Operator::F32ReinterpretI32 => self.bitcast(F32),
            Operator::F64ReinterpretI64 => self.bitcast(F64),

            ref other => {
                if self.translate_atomic(other) {
                    return Ok(());
                }
                return self.translate_simd(other, offset);
            }
        }
        Ok(())
    }
}
