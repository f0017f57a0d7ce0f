//! The wrapper: turns a generated module into a WASI command whose `_start` calls every
//! exported function with fixed arguments and prints what it observes.
//!
//! Output, one line per step (hex digits are lower case):
//!
//! ```text
//! call 3
//! ret 0000002a ffffffffffffffff state 9c1f4e5b2a7d3310
//! ```
//!
//! `_start` calls every exported function, in export order, [`ROUNDS`] times over; `call i`
//! (`i` counts calls: call `i` is export `i % n` of `n`) is written and flushed before the
//! call, so the last such line names the call that trapped. Later rounds see the state earlier
//! calls left, and other arguments. `ret` lists the results (bits in hex; v128 as high then low lane;
//! references as `n` for null or `r`), then a hash of all of memory 0, every global of the
//! original module and every table's size and null-ness per slot. `_start` reads the index of
//! the first export to call from `argv[1]` (decimal; 0 when absent), so that a run can resume
//! after a trap. The wrapper prints through a scratch area at the bottom of memory 0 which it
//! saves to globals before use and restores after, so the module never sees it.

use crate::generate::FUEL;
use crate::parts::{Info, Parts, Rewrite, Shift, val_type};
use anyhow::{Result, bail};
use std::collections::HashMap;
use wasm_encoder::{
    ConstExpr, EntityType, ExportKind, Function, GlobalType, InstructionSink, MemArg, MemoryType,
    ValType,
};
use wasmparser::ExternalKind;

/// A wrapped module.
#[derive(Debug, Clone)]
pub struct Wrapped {
    /// The WASI command.
    pub wasm: Vec<u8>,
    /// How many calls `_start` makes (the `i` of `call i` runs over `0..calls`).
    pub calls: u32,
}

// Scratch layout at the bottom of memory 0 (bytes).
const IOV: u64 = 0; // iovec for fd_write: buf, len
const NWRITTEN: i32 = 8;
const ARGC: i32 = 12;
const ARGV_BUF_SIZE: i32 = 16;
const ARGV: i32 = 32; // up to MAX_ARGS pointers
const MAX_ARGS: i32 = 8;
const ARGV_BUF: i32 = 64;
const ARGV_BUF_CAP: i32 = 256;
const TEXT: u64 = 320; // output line buffer
const TEXT_CAP: i32 = 192;
const SCRATCH_WORDS: u32 = 64; // 512 bytes saved in i64 globals

const FNV_OFFSET: i64 = 0xcbf2_9ce4_8422_2325_u64 as i64;
const FNV_PRIME: i64 = 0x0000_0100_0000_01b3;

/// Argument values per type; parameter `j` of call `i` gets entry `(i + j) % len`.
const I32_ARGS: [i32; 6] = [1, -1, 0x7fff_ffff, 0, i32::MIN, 42];
const I64_ARGS: [i64; 6] = [1, -1, i64::MAX, 0, i64::MIN, 0x1234_5678_9abc_def0];
/// Float arguments include a NaN with a payload: the operations that keep NaN bits (abs, neg,
/// copysign, reinterpret, loads and stores) must keep them exactly; the others are followed by
/// wasm-smith's canonicalisation.
const F32_ARGS: [f32; 7] = [
    1.5,
    -0.0,
    f32::INFINITY,
    3.0e38,
    1.0e-40,
    -7.25,
    f32::from_bits(0xffa0_0001),
];
const F64_ARGS: [f64; 7] = [
    1.5,
    -0.0,
    f64::NEG_INFINITY,
    1.0e300,
    5.0e-324,
    2.5e9,
    f64::from_bits(0x7ff4_0000_0000_0001),
];
const V128_ARGS: [i128; 4] = [
    0x0123_4567_89ab_cdef_fedc_ba98_7654_3210,
    0,
    -1,
    0x3ff0_0000_0000_0000_bff0_0000_0000_0000,
];

/// Function and global indices of everything the wrapper adds.
#[derive(Debug, Clone)]
struct Layout {
    fd_write: u32,
    args_sizes_get: u32,
    args_get: u32,
    proc_exit: u32,
    put_byte: u32,
    put_hex: u32,
    put_dec: u32,
    flush: u32,
    save: u32,
    restore: u32,
    hash_state: u32,
    parse_k: u32,
    announce: u32,
    start: u32,
    pos: u32,
    save0: u32,
    fuel: Option<u32>,
}

const WASI_IMPORTS: u32 = 4;

/// How many times `_start` goes through the exported functions.
pub const ROUNDS: usize = 2;

impl Layout {
    fn new(info: &Info) -> Layout {
        let imp = info.imported_funcs;
        let base = info.func_types.len() as u32 + WASI_IMPORTS;
        let globals = info.globals.len() as u32;
        let fuel = info.exports.iter().find_map(|(name, kind, index)| {
            let fuel_global = *kind == ExternalKind::Global
                && name == crate::generate::FUEL_EXPORT
                && info.globals[*index as usize].mutable
                && info.globals[*index as usize].content_type == wasmparser::ValType::I32;
            fuel_global.then_some(*index)
        });
        Layout {
            fd_write: imp,
            args_sizes_get: imp + 1,
            args_get: imp + 2,
            proc_exit: imp + 3,
            put_byte: base,
            put_hex: base + 1,
            put_dec: base + 2,
            flush: base + 3,
            save: base + 4,
            restore: base + 5,
            hash_state: base + 6,
            parse_k: base + 7,
            announce: base + 8,
            start: base + 9,
            pos: globals,
            save0: globals + 1,
            fuel,
        }
    }
}

/// Interns function types appended after the module's own.
struct Types {
    next: u32,
    map: HashMap<(Vec<ValType>, Vec<ValType>), u32>,
}

impl Types {
    fn get(&mut self, parts: &mut Parts, params: &[ValType], results: &[ValType]) -> u32 {
        let key = (params.to_vec(), results.to_vec());
        if let Some(&t) = self.map.get(&key) {
            return t;
        }
        parts
            .types
            .ty()
            .function(params.iter().copied(), results.iter().copied());
        let t = self.next;
        self.next += 1;
        self.map.insert(key, t);
        t
    }
}

/// Memory 0 gets at least one page; exports named `_start` or `memory` are renamed.
struct Fixup;

impl Rewrite for Fixup {
    fn memory(&mut self, index: u32, mut ty: MemoryType) -> MemoryType {
        if index == 0 {
            ty.minimum = ty.minimum.max(1);
            ty.maximum = ty.maximum.map(|m| m.max(1));
        }
        ty
    }
    fn export_name(&mut self, name: &str) -> String {
        match name {
            "_start" | "memory" => format!("{name}~orig"),
            _ => name.to_string(),
        }
    }
}

/// Wraps `wasm` (a module without WASI imports of its own) into the WASI command described in
/// the module documentation.
pub fn wrap(wasm: &[u8]) -> Result<Wrapped> {
    let info = Info::parse(wasm)?;
    if info.memory0_imported {
        bail!("memory 0 is imported");
    }
    let shift = Shift {
        imported: info.imported_funcs,
        by: WASI_IMPORTS,
    };
    let mut parts = Parts::parse(wasm, shift, &mut Fixup)?;
    let layout = Layout::new(&info);
    let mut types = Types {
        next: info.types.len() as u32,
        map: HashMap::new(),
    };
    add_imports(&mut parts, &mut types);
    if info.memories == 0 {
        parts.memories.memory(MemoryType {
            minimum: 1,
            maximum: None,
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
    }
    add_globals(&mut parts);
    let calls = add_functions(&mut parts, &mut types, &info, &layout, shift)?;
    parts
        .exports
        .export("_start", ExportKind::Func, layout.start);
    parts.exports.export("memory", ExportKind::Memory, 0);
    Ok(Wrapped {
        wasm: parts.finish(),
        calls,
    })
}

fn add_imports(parts: &mut Parts, types: &mut Types) {
    use ValType::I32;
    let sigs: [(&str, &[ValType], &[ValType]); 4] = [
        ("fd_write", &[I32; 4], &[I32]),
        ("args_sizes_get", &[I32; 2], &[I32]),
        ("args_get", &[I32; 2], &[I32]),
        ("proc_exit", &[I32], &[]),
    ];
    for (name, params, results) in sigs {
        let t = types.get(parts, params, results);
        parts
            .imports
            .import("wasi_snapshot_preview1", name, EntityType::Function(t));
    }
}

fn add_globals(parts: &mut Parts) {
    let ty = |val_type| GlobalType {
        val_type,
        mutable: true,
        shared: false,
    };
    parts
        .globals
        .global(ty(ValType::I32), &ConstExpr::i32_const(0));
    for _ in 0..SCRATCH_WORDS {
        parts
            .globals
            .global(ty(ValType::I64), &ConstExpr::i64_const(0));
    }
}

/// A function signature: parameters, results.
type Sig = (&'static [ValType], &'static [ValType]);

/// Adds the helpers and `_start` (in [`Layout`] order); returns the number of calls.
fn add_functions(
    parts: &mut Parts,
    types: &mut Types,
    info: &Info,
    l: &Layout,
    shift: Shift,
) -> Result<u32> {
    use ValType::{I32, I64};
    let exports: Vec<u32> = info
        .exports
        .iter()
        .filter(|e| e.1 == ExternalKind::Func)
        .map(|e| e.2)
        .collect();
    let start = start_body(info, l, &exports, shift)?;
    let funcs: Vec<(Sig, Function)> = vec![
        ((&[I32], &[]), put_byte_body(l)),
        ((&[I64, I32], &[]), put_hex_body(l)),
        ((&[I32], &[]), put_dec_body(l)),
        ((&[], &[]), flush_body(l)),
        ((&[], &[]), save_body(l)),
        ((&[], &[]), restore_body(l)),
        ((&[], &[I64]), hash_state_body(info)?),
        ((&[], &[I32]), parse_k_body(l)),
        ((&[I32], &[]), announce_body(l)),
        ((&[], &[]), start),
    ];
    for ((params, results), body) in funcs {
        let t = types.get(parts, params, results);
        parts.funcs.function(t);
        parts.code.function(&body);
    }
    Ok((exports.len() * ROUNDS) as u32)
}

/// A function with the given extra locals whose body `build` writes (the final `end` added).
fn body(locals: Vec<ValType>, build: impl FnOnce(&mut InstructionSink<'_>)) -> Function {
    let mut f = Function::new_with_locals_types(locals);
    let mut sink = f.instructions();
    build(&mut sink);
    sink.end();
    f
}

fn mem(offset: u64, align: u32) -> MemArg {
    MemArg {
        offset,
        align,
        target: wasm_encoder::MemArgTarget::Memory(0),
        ordering: None,
    }
}

fn put_str(s: &mut InstructionSink<'_>, l: &Layout, text: &str) {
    for b in text.bytes() {
        s.i32_const(b as i32).call(l.put_byte);
    }
}

/// `put_byte(b)`: appends `b` to the line buffer (flushing it first when full).
fn put_byte_body(l: &Layout) -> Function {
    body(vec![], |s| {
        s.global_get(l.pos).i32_const(TEXT_CAP).i32_ge_u();
        s.if_(wasm_encoder::BlockType::Empty).call(l.flush).end();
        s.global_get(l.pos).local_get(0).i32_store8(mem(TEXT, 0));
        s.global_get(l.pos).i32_const(1).i32_add().global_set(l.pos);
    })
}

/// `put_hex(v, digits)`: the low `digits` nibbles of `v`, most significant first.
fn put_hex_body(l: &Layout) -> Function {
    body(vec![ValType::I32], |s| {
        s.block(wasm_encoder::BlockType::Empty)
            .loop_(wasm_encoder::BlockType::Empty);
        s.local_get(1).i32_eqz().br_if(1);
        s.local_get(1).i32_const(1).i32_sub().local_set(1);
        s.local_get(0)
            .local_get(1)
            .i32_const(2)
            .i32_shl()
            .i64_extend_i32_u();
        s.i64_shr_u()
            .i32_wrap_i64()
            .i32_const(15)
            .i32_and()
            .local_tee(2);
        s.i32_const(b'0' as i32).i32_const(b'a' as i32 - 10);
        s.local_get(2).i32_const(10).i32_lt_u().select().i32_add();
        s.call(l.put_byte).br(0).end().end();
    })
}

/// `put_dec(v)`: `v` in decimal (unsigned).
fn put_dec_body(l: &Layout) -> Function {
    body(vec![], |s| {
        s.local_get(0).i32_const(10).i32_ge_u();
        s.if_(wasm_encoder::BlockType::Empty);
        s.local_get(0)
            .i32_const(10)
            .i32_div_u()
            .call(l.put_dec)
            .end();
        s.local_get(0)
            .i32_const(10)
            .i32_rem_u()
            .i32_const(b'0' as i32)
            .i32_add();
        s.call(l.put_byte);
    })
}

/// `flush()`: writes the line buffer to fd 1.
fn flush_body(l: &Layout) -> Function {
    body(vec![], |s| {
        s.i32_const(0).i32_const(TEXT as i32).i32_store(mem(IOV, 2));
        s.i32_const(0).global_get(l.pos).i32_store(mem(IOV + 4, 2));
        s.i32_const(1)
            .i32_const(IOV as i32)
            .i32_const(1)
            .i32_const(NWRITTEN);
        s.call(l.fd_write).drop();
        s.i32_const(0).global_set(l.pos);
    })
}

/// `save()`: copies the scratch area into the save globals.
fn save_body(l: &Layout) -> Function {
    body(vec![], |s| {
        for j in 0..SCRATCH_WORDS {
            s.i32_const(0).i64_load(mem(8 * j as u64, 3));
            s.global_set(l.save0 + j);
        }
    })
}

/// `restore()`: copies the save globals back into the scratch area.
fn restore_body(l: &Layout) -> Function {
    body(vec![], |s| {
        for j in 0..SCRATCH_WORDS {
            s.i32_const(0).global_get(l.save0 + j);
            s.i64_store(mem(8 * j as u64, 3));
        }
    })
}

/// `h = (h ^ value) * FNV_PRIME`, with `value` (an i64) pushed by `value`.
fn mix(s: &mut InstructionSink<'_>, h: u32, value: impl FnOnce(&mut InstructionSink<'_>)) {
    s.local_get(h);
    value(s);
    s.i64_xor().i64_const(FNV_PRIME).i64_mul().local_set(h);
}

/// `hash_state() -> i64`: memory 0 (size and contents), the module's globals, its tables.
fn hash_state_body(info: &Info) -> Result<Function> {
    let (h, i, n) = (0, 1, 2);
    let globals = info.globals.clone();
    let tables = info.tables.len() as u32;
    Ok(body(vec![ValType::I64, ValType::I32, ValType::I32], |s| {
        s.i64_const(FNV_OFFSET).local_set(h);
        mix(s, h, |s| {
            s.memory_size(0).i64_extend_i32_u();
        });
        s.memory_size(0).i32_const(16).i32_shl().local_set(n);
        counted_loop(s, i, n, |s| {
            mix(s, h, |s| {
                s.local_get(i).i64_load(mem(0, 3));
            });
            s.local_get(i).i32_const(8).i32_add().local_set(i);
        });
        for (g, ty) in globals.iter().enumerate() {
            mix_global(s, h, g as u32, ty.content_type);
        }
        for t in 0..tables {
            mix(s, h, |s| {
                s.table_size(t).i64_extend_i32_u();
            });
            s.i32_const(0).local_set(i).table_size(t).local_set(n);
            counted_loop(s, i, n, |s| {
                mix(s, h, |s| {
                    s.local_get(i).table_get(t).ref_is_null().i64_extend_i32_u();
                });
                s.local_get(i).i32_const(1).i32_add().local_set(i);
            });
        }
        s.local_get(h);
    }))
}

/// `while i < n { step }` (`step` advances `i`).
fn counted_loop(
    s: &mut InstructionSink<'_>,
    i: u32,
    n: u32,
    step: impl FnOnce(&mut InstructionSink<'_>),
) {
    s.block(wasm_encoder::BlockType::Empty)
        .loop_(wasm_encoder::BlockType::Empty);
    s.local_get(i).local_get(n).i32_ge_u().br_if(1);
    step(s);
    s.br(0).end().end();
}

fn mix_global(s: &mut InstructionSink<'_>, h: u32, g: u32, ty: wasmparser::ValType) {
    use wasmparser::ValType as V;
    match ty {
        V::I32 => mix(s, h, |s| {
            s.global_get(g).i64_extend_i32_u();
        }),
        V::I64 => mix(s, h, |s| {
            s.global_get(g);
        }),
        V::F32 => mix(s, h, |s| {
            s.global_get(g).i32_reinterpret_f32().i64_extend_i32_u();
        }),
        V::F64 => mix(s, h, |s| {
            s.global_get(g).i64_reinterpret_f64();
        }),
        V::V128 => {
            for lane in 0..2 {
                mix(s, h, |s| {
                    s.global_get(g).i64x2_extract_lane(lane);
                });
            }
        }
        V::Ref(_) => mix(s, h, |s| {
            s.global_get(g).ref_is_null().i64_extend_i32_u();
        }),
    }
}

/// `parse_k() -> i32`: `argv[1]` as a decimal number, 0 without one.
fn parse_k_body(l: &Layout) -> Function {
    let (p, k, c) = (0, 1, 2);
    body(vec![ValType::I32; 3], |s| {
        s.i32_const(ARGC)
            .i32_const(ARGV_BUF_SIZE)
            .call(l.args_sizes_get)
            .drop();
        let bad = |s: &mut InstructionSink<'_>, addr: i32, lo: i32, hi: i32| {
            s.i32_const(addr)
                .i32_load(mem(0, 2))
                .i32_const(lo)
                .i32_lt_u();
            s.i32_const(addr)
                .i32_load(mem(0, 2))
                .i32_const(hi)
                .i32_gt_u()
                .i32_or();
            s.if_(wasm_encoder::BlockType::Empty)
                .i32_const(0)
                .return_()
                .end();
        };
        bad(s, ARGC, 2, MAX_ARGS);
        bad(s, ARGV_BUF_SIZE, 0, ARGV_BUF_CAP);
        s.i32_const(ARGV)
            .i32_const(ARGV_BUF)
            .call(l.args_get)
            .drop();
        s.i32_const(ARGV).i32_load(mem(4, 2)).local_set(p);
        s.block(wasm_encoder::BlockType::Empty)
            .loop_(wasm_encoder::BlockType::Empty);
        s.local_get(p)
            .i32_load8_u(mem(0, 0))
            .local_tee(c)
            .i32_eqz()
            .br_if(1);
        s.local_get(k)
            .i32_const(10)
            .i32_mul()
            .local_get(c)
            .i32_add();
        s.i32_const(b'0' as i32).i32_sub().local_set(k);
        s.local_get(p).i32_const(1).i32_add().local_set(p).br(0);
        s.end().end().local_get(k);
    })
}

/// `announce(i)`: prints `call i`.
fn announce_body(l: &Layout) -> Function {
    body(vec![], |s| {
        s.call(l.save);
        put_str(s, l, "call ");
        s.local_get(0).call(l.put_dec);
        put_str(s, l, "\n");
        s.call(l.flush).call(l.restore);
    })
}

/// Locals of `_start` for call results, reused across calls by type.
#[derive(Default)]
struct Locals {
    types: Vec<ValType>,
    first: u32,
}

impl Locals {
    /// The `nth` local of type `ty` (created on first use).
    fn get(&mut self, ty: ValType, nth: usize) -> u32 {
        let mut seen = 0;
        for (i, t) in self.types.iter().enumerate() {
            if *t == ty {
                if seen == nth {
                    return self.first + i as u32;
                }
                seen += 1;
            }
        }
        self.types.push(ty);
        self.first + self.types.len() as u32 - 1
    }
}

/// `_start`: resume index from argv, then announce, call and print each call from there.
fn start_body(info: &Info, l: &Layout, exports: &[u32], shift: Shift) -> Result<Function> {
    let (k, h) = (0, 1);
    let mut locals = Locals {
        types: vec![],
        first: 2,
    };
    let mut calls = Vec::new();
    let rounds = exports.iter().cycle().take(exports.len() * ROUNDS);
    for (i, &f) in rounds.enumerate() {
        let ty = info.func_type(f);
        let params: Vec<ValType> = ty
            .params()
            .iter()
            .map(|&t| val_type(t))
            .collect::<Result<_>>()?;
        let results: Vec<ValType> = ty
            .results()
            .iter()
            .map(|&t| val_type(t))
            .collect::<Result<_>>()?;
        let slots = result_slots(&mut locals, &results);
        calls.push((i as u32, shift.apply(f), params, results, slots));
    }
    let mut all = vec![ValType::I32, ValType::I64];
    all.extend(locals.types.iter().copied());
    Ok(body(all, |s| {
        s.call(l.save).call(l.parse_k).local_set(k).call(l.restore);
        for (i, f, params, results, slots) in &calls {
            s.local_get(k).i32_const(*i as i32).i32_le_u();
            s.if_(wasm_encoder::BlockType::Empty);
            s.i32_const(*i as i32).call(l.announce);
            if let Some(fuel) = l.fuel {
                s.i32_const(FUEL as i32).global_set(fuel);
            }
            for (j, p) in params.iter().enumerate() {
                push_arg(s, *p, *i as usize + j);
            }
            s.call(*f);
            for slot in slots.iter().rev() {
                s.local_set(*slot);
            }
            s.call(l.hash_state).local_set(h).call(l.save);
            put_str(s, l, "ret");
            for (r, slot) in results.iter().zip(slots) {
                put_str(s, l, " ");
                print_value(s, l, *r, *slot);
            }
            put_str(s, l, " state ");
            s.local_get(h).i32_const(16).call(l.put_hex);
            put_str(s, l, "\n");
            s.call(l.flush).call(l.restore).end();
        }
        s.i32_const(0).call(l.proc_exit);
    }))
}

fn result_slots(locals: &mut Locals, results: &[ValType]) -> Vec<u32> {
    let mut count: HashMap<ValType, usize> = HashMap::new();
    results
        .iter()
        .map(|&t| {
            let n = count.entry(t).or_default();
            *n += 1;
            locals.get(t, *n - 1)
        })
        .collect()
}

/// Pushes argument value number `n` of type `ty`.
fn push_arg(s: &mut InstructionSink<'_>, ty: ValType, n: usize) {
    match ty {
        ValType::I32 => s.i32_const(I32_ARGS[n % I32_ARGS.len()]),
        ValType::I64 => s.i64_const(I64_ARGS[n % I64_ARGS.len()]),
        ValType::F32 => s.f32_const(F32_ARGS[n % F32_ARGS.len()].into()),
        ValType::F64 => s.f64_const(F64_ARGS[n % F64_ARGS.len()].into()),
        ValType::V128 => s.v128_const(V128_ARGS[n % V128_ARGS.len()]),
        ValType::Ref(r) => s.ref_null(r.heap_type),
    };
}

/// Prints the value in local `slot` of type `ty`.
fn print_value(s: &mut InstructionSink<'_>, l: &Layout, ty: ValType, slot: u32) {
    let hex = |s: &mut InstructionSink<'_>, digits: i32| {
        s.i32_const(digits).call(l.put_hex);
    };
    match ty {
        ValType::I32 => hex(s.local_get(slot).i64_extend_i32_u(), 8),
        ValType::I64 => hex(s.local_get(slot), 16),
        ValType::F32 => hex(
            s.local_get(slot).i32_reinterpret_f32().i64_extend_i32_u(),
            8,
        ),
        ValType::F64 => hex(s.local_get(slot).i64_reinterpret_f64(), 16),
        ValType::V128 => {
            hex(s.local_get(slot).i64x2_extract_lane(1), 16);
            hex(s.local_get(slot).i64x2_extract_lane(0), 16);
        }
        ValType::Ref(_) => {
            s.local_get(slot).ref_is_null();
            s.if_(wasm_encoder::BlockType::Empty);
            put_str(s, l, "n");
            s.else_();
            put_str(s, l, "r");
            s.end();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{End, TrapKind};
    use crate::reference::Reference;

    /// What `hash_state` computes, in Rust: memory pages and words, globals, tables.
    fn state(memory: &[u8], globals: &[u64], tables: &[&[bool]]) -> String {
        let mix = |h: u64, v: u64| (h ^ v).wrapping_mul(FNV_PRIME as u64);
        let mut h = mix(FNV_OFFSET as u64, (memory.len() / 65536) as u64);
        for w in memory.chunks(8) {
            h = mix(h, u64::from_le_bytes(w.try_into().unwrap()));
        }
        for &g in globals {
            h = mix(h, g);
        }
        for t in tables {
            h = mix(h, t.len() as u64);
            for &null in *t {
                h = mix(h, null as u64);
            }
        }
        format!("{h:016x}")
    }

    fn run(wat: &str, k: u32) -> (String, End) {
        let wasm = wat::parse_str(wat).unwrap();
        let wrapped = wrap(&wasm).unwrap();
        crate::generate::validate(&wrapped.wasm).unwrap();
        let r = Reference::new().unwrap();
        let module = r.compile(&wrapped.wasm).unwrap();
        let out = r.run(&module, k);
        (String::from_utf8(out.stdout).unwrap(), out.end)
    }

    const MODULE: &str = r#"(module
        (memory 1 2)
        (global $g (mut i32) (i32.const 5))
        (global $fuel (mut i32) (i32.const 0))
        (table 2 funcref)
        (elem (i32.const 1) func $add)
        (data (i32.const 0) "\2a")
        (export "w2n-fuzz-fuel" (global $fuel))
        (func $add (export "add") (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add)
        (func (export "trap") unreachable)
        (func (export "multi") (param i64 f32) (result f32 i64 v128 funcref externref)
            local.get 1 local.get 0 v128.const i64x2 1 2 ref.func $add ref.null extern)
        (func (export "peek_and_store") (result i32 i32)
            i32.const 600 i32.const 7 i32.store
            global.get $g i32.const 1 i32.add global.set $g
            i32.const 0 i32.load8_u global.get $fuel))"#;

    fn memory(stored: bool) -> Vec<u8> {
        let mut m = vec![0u8; 65536];
        m[0] = 0x2a;
        if stored {
            m[600] = 7;
        }
        m
    }

    #[test]
    fn prints_results_and_state_then_stops_at_a_trap() {
        let (out, end) = run(MODULE, 0);
        let before = state(&memory(false), &[5, 2000], &[&[true, false]]);
        assert_eq!(
            out,
            format!("call 0\nret 00000000 state {before}\ncall 1\n")
        );
        assert_eq!(end, End::Trap(TrapKind::Unreachable));
    }

    #[test]
    fn resumes_from_argv_and_hides_its_scratch_area() {
        let (out, end) = run(MODULE, 2);
        let before = state(&memory(false), &[5, 2000], &[&[true, false]]);
        let after = state(&memory(true), &[6, 2000], &[&[true, false]]);
        // multi gets I64_ARGS[2] and F32_ARGS[3] (parameter j of call i takes entry i + j).
        let f = format!("{:08x}", 3.0e38f32.to_bits());
        let multi = format!("{f} 7fffffffffffffff 00000000000000020000000000000001 r n");
        // Second round: call 4 is add(I32_ARGS[4], I32_ARGS[5]) = i32::MIN + 42; 5 traps.
        let expected = format!(
            "call 2\nret {multi} state {before}\ncall 3\nret 0000002a 000007d0 state {after}\n\
             call 4\nret 8000002a state {after}\ncall 5\n"
        );
        assert_eq!(out, expected);
        assert_eq!(end, End::Trap(TrapKind::Unreachable));
    }

    #[test]
    fn resumes_in_the_second_round_and_ends_after_the_last_call() {
        let (out, end) = run(MODULE, 7);
        let after = state(&memory(true), &[6, 2000], &[&[true, false]]);
        assert_eq!(
            out,
            format!("call 7\nret 0000002a 000007d0 state {after}\n")
        );
        assert_eq!(end, End::Exit(0));
        let (none, end) = run(MODULE, 8);
        assert_eq!((none.as_str(), end), ("", End::Exit(0)));
    }

    #[test]
    fn adds_a_memory_and_renames_clashing_exports() {
        let wat = r#"(module (func (export "_start") (result i32) i32.const 9)
                             (global (export "memory") i32 (i32.const 3)))"#;
        let (out, end) = run(wat, 0);
        let s = state(&vec![0; 65536], &[3], &[]);
        let expected = format!("call 0\nret 00000009 state {s}\ncall 1\nret 00000009 state {s}\n");
        assert_eq!(out, expected);
        assert_eq!(end, End::Exit(0));
        let info = Info::parse(&wrap(&wat::parse_str(wat).unwrap()).unwrap().wasm).unwrap();
        let names: Vec<&str> = info.exports.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names, ["_start~orig", "memory~orig", "_start", "memory"]);
    }

    #[test]
    fn zero_page_memory_gets_one_page() {
        let wat = r#"(module (memory 0 0) (func (export "size") (result i32) memory.size))"#;
        let (out, _) = run(wat, 0);
        assert!(out.starts_with("call 0\nret 00000001 state "), "{out}");
    }

    #[test]
    fn long_lines_are_flushed_in_pieces() {
        let results = "v128 ".repeat(8);
        let consts = "v128.const i64x2 -1 -1 ".repeat(8);
        let wat = format!("(module (func (export \"f\") (result {results}) {consts}))");
        let (out, end) = run(&wat, 0);
        let line = out.lines().nth(1).unwrap();
        assert_eq!(line.matches(&"f".repeat(32)).count(), 8, "{out}");
        assert_eq!(end, End::Exit(0));
    }
}
