//! From a parsed module to one relocatable object: functions compiled in parallel, then the
//! trampolines, trap stubs, the module image the runtime reads, and (for executables) `main`.

mod dispatch;
mod image;
mod inline;
mod isa;
mod layout;
mod shims;
mod unwind;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::module::{self, ImportBinding, ModuleInfo};
use crate::translate::{self, FuncEnv};
use cranelift_codegen::Context;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::Function;
use cranelift_codegen::isa::{CallConv, TargetIsa};
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{FuncId, Linkage, Module, ModuleReloc};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};
use wasm2native_abi::{
    IMAGE_SYMBOL, InlinedFrame, OptionalTable, RT_MAIN_SYMBOL, TrapSite, VMOffsets,
};

pub use isa::target_isa;

/// The result of compiling a module.
pub struct CompiledModule {
    /// The relocatable ELF object.
    pub object: Vec<u8>,
    /// CLIF of every function, when [`Config::keep_clif`] was set.
    pub clif: String,
    /// Disassembly of every function, when [`Config::keep_disasm`] was set.
    pub asm: String,
    /// How long each phase took, for `-v`.
    pub timings: Vec<(&'static str, Duration)>,
    /// Number of functions compiled.
    pub num_functions: usize,
    /// Number of calls that may throw into a handler of their function (exception landing
    /// pads reached by unwinding), for `-v`.
    pub num_landing_pads: usize,
}

/// One compiled function, ready to be placed in the object.
struct CompiledFunc {
    code: Vec<u8>,
    alignment: u64,
    /// Where in a 64-byte line the function should start ([`layout`]).
    preferred_start: Option<usize>,
    relocs: Vec<ModuleReloc>,
    traps: Vec<TrapSite>,
    /// Trap sites and calls in code inlined from other functions, by offset.
    inlined: Vec<InlinedFrame>,
    /// Handler sites, for the exception unwinder.
    unwind: unwind::FuncUnwind,
    /// The function sets up no frame (a leaf using no stack).
    frameless: bool,
    clif: String,
    asm: String,
}

/// Compiles `wasm` (binary) into an object according to `config`.
pub fn compile(wasm: &[u8], config: &Config) -> Result<CompiledModule> {
    let mut timings = Vec::new();
    let start = Instant::now();
    let info = module::parse(wasm, config)?;
    timings.push(("parse and validate", start.elapsed()));

    let isa = isa::target_isa(config)?;
    let builder = ObjectBuilder::new(
        isa.clone(),
        "wasm2native",
        cranelift_module::default_libcall_names(),
    )?;
    let mut obj = ObjectModule::new(builder);
    let host_call_conv = isa.default_call_conv();
    let symbols = declare_functions(&mut obj, &info, host_call_conv)?;
    let env = FuncEnv {
        module: &info,
        offsets: VMOffsets::new(info.meta.vm_counts()),
        config,
        direct_callee: symbols
            .ids
            .iter()
            .map(|id| id.map(FuncId::as_u32))
            .collect(),
        host_call_conv,
        frontend_config: isa.frontend_config(),
        optional_tables: AtomicU32::new(0),
        libc_routines: crate::libc::recognize(&info),
    };

    let start = Instant::now();
    let candidates = translate_inlining_candidates(&env)?;
    timings.push(("translate inlining candidates", start.elapsed()));

    let start = Instant::now();
    let compiled = compile_functions(&env, &*isa, &symbols, &candidates)?;
    drop(candidates);
    timings.push(("translate and compile functions", start.elapsed()));

    let start = Instant::now();
    let (clif, asm) = define_functions(&mut obj, &env, &symbols, &compiled)?;
    let object = emit_object(obj, &env, &symbols, &compiled)?;
    timings.push(("emit object", start.elapsed()));

    Ok(CompiledModule {
        object,
        clif,
        asm,
        timings,
        num_functions: compiled.len(),
        num_landing_pads: compiled.iter().map(|c| c.unwind.num_sites()).sum(),
    })
}

/// The symbol of every function, declared before anything is compiled so that calls can refer to
/// any function.
struct Symbols {
    /// Symbol name of every function index.
    names: Vec<String>,
    /// The cranelift-module id of every function index: defined functions, host-bound imports
    /// and trap stubs; `None` for imports called through the VM context.
    ids: Vec<Option<FuncId>>,
    /// Imports compiled as trapping stubs, with the symbol of each.
    stubs: Vec<(u32, FuncId)>,
    /// Host-bound imports that escape (as function references or exports), with the symbol of
    /// the wasm-convention adapter that stands for each where it escapes.
    adapters: Vec<(u32, FuncId)>,
}

impl Symbols {
    /// The id of a defined function.
    fn defined(&self, funcidx: u32) -> FuncId {
        self.ids[funcidx as usize].expect("defined functions have symbols")
    }
}

/// Declares every function's symbol: defined functions are local symbols named from the name
/// section (so perf and gdb show wasm names), WASI imports the runtime's symbols (with the
/// host's calling convention).
fn declare_functions(
    obj: &mut ObjectModule,
    info: &ModuleInfo<'_>,
    host_call_conv: CallConv,
) -> Result<Symbols> {
    let mut reserved: BTreeSet<String> = [IMAGE_SYMBOL, RT_MAIN_SYMBOL, "main"]
        .into_iter()
        .chain(OptionalTable::ALL.map(OptionalTable::symbol))
        .map(String::from)
        .collect();
    for binding in &info.import_bindings {
        if let ImportBinding::Host(sym) = binding {
            reserved.insert(sym.clone());
        }
    }
    let names = module::symbol_names(&info.names, &reserved);
    let mut ids = Vec::with_capacity(names.len());
    let mut stubs = Vec::new();
    let mut adapters = Vec::new();
    for (f, symbol) in names.iter().enumerate() {
        let ty = info.func_type(f as u32);
        let sig = translate::wasm_signature(ty);
        let id = if (f as u32) < info.num_imported_funcs {
            match &info.import_bindings[f] {
                ImportBinding::Host(sym) => {
                    let host_sig = translate::native_signature(ty, host_call_conv);
                    let id = obj.declare_function(sym, Linkage::Import, &host_sig)?;
                    if info.func_ref_slot[f].is_some() {
                        let name = format!("{symbol} (wasm adapter)");
                        let adapter = obj.declare_function(&name, Linkage::Local, &sig)?;
                        adapters.push((f as u32, adapter));
                    }
                    Some(id)
                }
                ImportBinding::TrapStub => {
                    let name = format!("{symbol} (unknown import)");
                    let id = obj.declare_function(&name, Linkage::Local, &sig)?;
                    stubs.push((f as u32, id));
                    Some(id)
                }
                ImportBinding::Embedder => None,
            }
        } else {
            Some(obj.declare_function(symbol, Linkage::Local, &sig)?)
        };
        ids.push(id);
    }
    Ok(Symbols {
        names,
        ids,
        stubs,
        adapters,
    })
}

/// The defined function indices.
fn defined_funcs(info: &ModuleInfo<'_>) -> Vec<u32> {
    (info.num_imported_funcs..info.meta.funcs.len() as u32).collect()
}

/// Translates defined function `f` into `func`.
fn translate(
    env: &FuncEnv<'_, '_>,
    f: u32,
    func: &mut Function,
    fb: &mut FunctionBuilderContext,
) -> Result<usize> {
    let body = &env.module.bodies[(f - env.module.num_imported_funcs) as usize];
    translate::translate_function(env, f, body, func, fb)
}

fn inlining(config: &Config) -> bool {
    config.opt_level == crate::config::OptLevel::O2
}

/// Translates the functions small enough to be inlined and keeps them (`None` for the others),
/// by defined function. Every other function is translated right before its compilation and
/// freed after it, so memory stays near one function per worker rather than the whole module's
/// CLIF.
fn translate_inlining_candidates(env: &FuncEnv<'_, '_>) -> Result<Vec<Option<Function>>> {
    let info = env.module;
    defined_funcs(info)
        .par_iter()
        .map_init(FunctionBuilderContext::new, |fb, &f| {
            let body = &info.bodies[(f - info.num_imported_funcs) as usize];
            if !(inlining(env.config) && inline::may_be_candidate(body)) {
                return Ok(None);
            }
            let mut func = Function::new();
            let widenings = translate(env, f, &mut func, fb)?;
            Ok(inline::is_candidate(&func, widenings).then_some(func))
        })
        .collect()
}

/// Translates, inlines into and compiles every defined function, in parallel.
fn compile_functions(
    env: &FuncEnv<'_, '_>,
    isa: &dyn TargetIsa,
    symbols: &Symbols,
    candidates: &[Option<Function>],
) -> Result<Vec<CompiledFunc>> {
    let defined = defined_funcs(env.module);
    let by_symbol: HashMap<u32, usize> = defined
        .iter()
        .enumerate()
        .map(|(i, &f)| (symbols.defined(f).as_u32(), i))
        .collect();
    defined
        .par_iter()
        .map_init(
            || (Context::new(), FunctionBuilderContext::new()),
            |(ctx, fb), &f| {
                let id = symbols.defined(f);
                ctx.clear();
                translate(env, f, &mut ctx.func, fb)?;
                if inlining(env.config) {
                    let mut inliner = inline::Inliner {
                        candidates,
                        by_symbol: &by_symbol,
                        caller: id.as_u32(),
                        first_defined: env.module.num_imported_funcs,
                        sites: Vec::new(),
                    };
                    ctx.inline(&mut inliner).map_err(|e| Error::Codegen {
                        func: f,
                        message: format!("inlining: {e:?}"),
                    })?;
                    inliner.mark_inlined_code(&mut ctx.func);
                    dispatch::duplicate_dispatch(&mut ctx.func);
                }
                compile_function(env, isa, f, id, ctx)
            },
        )
        .collect()
}

/// Puts the compiled functions' bytes into the object in function index order. They are laid
/// out back to back from a line-aligned start, each moved to its preferred place by padding the
/// end of the one before (see [`layout`]). Returns the CLIF and disassembly kept for `--emit`.
fn define_functions(
    obj: &mut ObjectModule,
    env: &FuncEnv<'_, '_>,
    symbols: &Symbols,
    compiled: &[CompiledFunc],
) -> Result<(String, String)> {
    let mut clif = String::new();
    let mut asm = String::new();
    let first_alignment = compiled
        .iter()
        .map(|c| c.alignment)
        .max()
        .unwrap_or(1)
        .max(layout::LINE as u64);
    let mut offset = 0;
    for (i, (f, func)) in defined_funcs(env.module)
        .into_iter()
        .zip(compiled)
        .enumerate()
    {
        let end = offset + func.code.len();
        let pad = compiled.get(i + 1).map_or(0, |next| {
            let at = end + layout::padding_before(end, next.preferred_start);
            at.next_multiple_of(next.alignment as usize) - end
        });
        let mut code = std::borrow::Cow::Borrowed(&func.code[..]);
        if pad > 0 {
            // int3: padding is never executed.
            code.to_mut().resize(func.code.len() + pad, 0xcc);
        }
        let alignment = if i == 0 { first_alignment } else { 1 };
        obj.define_function_bytes(symbols.defined(f), alignment, &code, &func.relocs)?;
        offset = end + pad;
        if env.config.keep_clif {
            clif.push_str(&func.clif);
            clif.push('\n');
        }
        if env.config.keep_disasm {
            asm.push_str(&format!("{}:\n{}\n", symbols.names[f as usize], func.asm));
        }
    }
    Ok((clif, asm))
}

/// Adds what surrounds the functions (trap stubs, trampolines, the module image and, for
/// executables, `main`) and writes the object.
fn emit_object(
    mut obj: ObjectModule,
    env: &FuncEnv<'_, '_>,
    symbols: &Symbols,
    compiled: &[CompiledFunc],
) -> Result<Vec<u8>> {
    let mut ctx = Context::new();
    let mut fb = FunctionBuilderContext::new();
    for (import, id) in &symbols.stubs {
        shims::define_trap_stub(&mut obj, env, *import, *id, &mut ctx, &mut fb)?;
    }
    // Where a host-bound import escapes, its adapter stands for it.
    let mut callees = symbols.ids.clone();
    for &(import, adapter) in &symbols.adapters {
        let host = symbols.ids[import as usize].expect("host-bound imports have symbols");
        shims::define_host_adapter(&mut obj, env, import, adapter, host, &mut ctx, &mut fb)?;
        callees[import as usize] = Some(adapter);
    }
    let info = env.module;
    let trampolines =
        shims::define_trampolines(&mut obj, info, env.host_call_conv, &mut ctx, &mut fb)?;
    let records: Vec<_> = compiled
        .iter()
        .map(|c| image::FuncRecord {
            code_len: c.code.len(),
            traps: &c.traps,
            inlined: &c.inlined,
            frameless: c.frameless,
        })
        .collect();
    let image = image::define_image(
        &mut obj,
        info,
        env.config,
        &callees,
        &records,
        &trampolines,
        image::RuntimeUse {
            unwind: unwind::table(info, compiled.iter().map(|c| &c.unwind)),
            optional_tables: env.optional_tables.load(Ordering::Relaxed),
        },
    )?;
    if env.config.output == crate::config::OutputKind::Executable {
        shims::define_main(&mut obj, image, env.host_call_conv, &mut ctx, &mut fb)?;
    }
    obj.finish()
        .emit()
        .map_err(|e| Error::Object(e.to_string()))
}

/// Compiles the (translated) function in `ctx`.
fn compile_function(
    env: &FuncEnv<'_, '_>,
    isa: &dyn TargetIsa,
    f: u32,
    id: FuncId,
    ctx: &mut Context,
) -> Result<CompiledFunc> {
    ctx.set_disasm(env.config.keep_disasm);
    let clif = if env.config.keep_clif {
        ctx.func.display().to_string()
    } else {
        String::new()
    };
    let codegen_err = |message: String| Error::Codegen { func: f, message };
    let compiled = ctx
        .compile(isa, &mut ControlPlane::default())
        .map_err(|e| codegen_err(format!("{:?}", e.inner)))?;
    let traps: Vec<TrapSite> = compiled
        .buffer
        .traps()
        .iter()
        .filter_map(|t| {
            translate::abi_trap(t.code).map(|code| TrapSite {
                offset: t.offset,
                code: code as u32,
            })
        })
        .collect();
    // The places a backtrace can stop at: trap sites and the last byte of each call.
    let stops = traps.iter().map(|t| t.offset).chain(
        compiled
            .buffer
            .call_sites()
            .map(|c| c.ret_addr.saturating_sub(1)),
    );
    let inlined = inline::inlined_frames(compiled.buffer.get_srclocs_sorted(), stops);
    let unwind = unwind::FuncUnwind::of(&compiled.buffer);
    let frameless = compiled.buffer.frame_layout().is_some_and(|l| l.frameless);
    let code = compiled.code_buffer().to_vec();
    let alignment = compiled.buffer.alignment as u64;
    let (bb_starts, bb_edges) = compiled.get_code_bb_layout();
    let preferred_start = if alignment as usize <= layout::STEP {
        layout::preferred_start(&bb_starts, &bb_edges, code.len())
    } else {
        None
    };
    let asm =
        compiled
            .vcode
            .as_deref()
            .unwrap_or_default()
            .lines()
            .fold(String::new(), |mut s, l| {
                s.push_str(l);
                s.push('\n');
                s
            });
    let func: &Function = &ctx.func;
    let relocs = ctx
        .compiled_code()
        .expect("just compiled")
        .buffer
        .relocs()
        .iter()
        .map(|r| ModuleReloc::from_mach_reloc(r, func, id))
        .collect();
    Ok(CompiledFunc {
        code,
        alignment,
        preferred_start,
        relocs,
        traps,
        inlined,
        unwind,
        frameless,
        clif,
        asm,
    })
}
