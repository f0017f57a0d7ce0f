//! From a parsed module to one relocatable object: functions compiled in parallel, then the
//! trampolines, trap stubs, the module image the runtime reads, and (for executables) `main`.

mod image;
mod inline;
mod isa;
mod layout;
mod shims;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::module::{self, ImportBinding};
use crate::translate::{self, FuncEnv};
use cranelift_codegen::Context;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::Function;
use cranelift_frontend::FunctionBuilderContext;
use cranelift_module::{FuncId, Linkage, Module, ModuleReloc};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};
use wasm2native_abi::{IMAGE_SYMBOL, InlinedFrame, RT_MAIN_SYMBOL, TrapSite, VMOffsets};

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
    )
    .map_err(|e| Error::Object(e.to_string()))?;
    let mut obj = ObjectModule::new(builder);
    let call_conv = isa.default_call_conv();
    let module_err = |e: cranelift_module::ModuleError| Error::Object(e.to_string());

    // Declare every symbol first so that calls can refer to any function.
    let mut reserved: BTreeSet<String> = [IMAGE_SYMBOL, RT_MAIN_SYMBOL, "main"]
        .map(String::from)
        .into();
    for binding in &info.import_bindings {
        if let ImportBinding::Host(sym) = binding {
            reserved.insert(sym.clone());
        }
    }
    let symbols = module::symbol_names(&info.names, &reserved);
    let mut direct_callee = Vec::with_capacity(info.meta.funcs.len());
    let mut stubs = Vec::new();
    for (f, symbol) in symbols.iter().enumerate() {
        let ty = info.func_type(f as u32);
        let sig = translate::wasm_signature(ty, call_conv);
        let id = if (f as u32) < info.num_imported_funcs {
            match &info.import_bindings[f] {
                ImportBinding::Host(sym) => Some(
                    obj.declare_function(sym, Linkage::Import, &sig)
                        .map_err(module_err)?,
                ),
                ImportBinding::TrapStub => {
                    let id = obj
                        .declare_function(
                            &format!("{symbol} (unknown import)"),
                            Linkage::Local,
                            &sig,
                        )
                        .map_err(module_err)?;
                    stubs.push((f as u32, id));
                    Some(id)
                }
                ImportBinding::Embedder => None,
            }
        } else {
            Some(
                obj.declare_function(symbol, Linkage::Local, &sig)
                    .map_err(module_err)?,
            )
        };
        direct_callee.push(id);
    }

    let env = FuncEnv {
        module: &info,
        offsets: VMOffsets::new(info.meta.vm_counts()),
        config,
        direct_callee: direct_callee
            .iter()
            .map(|id| id.map(|i| i.as_u32()))
            .collect(),
        call_conv,
        frontend_config: isa.frontend_config(),
    };

    let start = Instant::now();
    let defined: Vec<u32> = (info.num_imported_funcs..info.meta.funcs.len() as u32).collect();
    let body_of = |f: u32| &info.bodies[(f - info.num_imported_funcs) as usize];
    let translate = |f: u32, func: &mut Function, fb: &mut FunctionBuilderContext| {
        translate::translate_function(&env, f, body_of(f), func, fb)
    };
    // Inlining candidates are translated first and kept; every other function is translated
    // right before its compilation and freed after it, so memory stays near one function per
    // worker rather than the whole module's CLIF.
    let inlining = config.opt_level == crate::config::OptLevel::O2;
    let candidates: Vec<Option<Function>> = defined
        .par_iter()
        .map_init(FunctionBuilderContext::new, |fb, &f| {
            if !(inlining && inline::may_be_candidate(body_of(f))) {
                return Ok(None);
            }
            let mut func = Function::new();
            translate(f, &mut func, fb)?;
            Ok(inline::is_candidate(&func).then_some(func))
        })
        .collect::<Result<_>>()?;
    timings.push(("translate inlining candidates", start.elapsed()));

    let start = Instant::now();
    let by_symbol: HashMap<u32, usize> = defined
        .iter()
        .enumerate()
        .map(|(i, &f)| (direct_callee[f as usize].expect("defined").as_u32(), i))
        .collect();
    let compiled: Vec<CompiledFunc> = defined
        .par_iter()
        .map_init(
            || (Context::new(), FunctionBuilderContext::new()),
            |(ctx, fb), &f| {
                let id = direct_callee[f as usize].expect("defined functions have symbols");
                ctx.clear();
                translate(f, &mut ctx.func, fb)?;
                if inlining {
                    let mut inliner = inline::Inliner {
                        candidates: &candidates,
                        by_symbol: &by_symbol,
                        caller: id.as_u32(),
                        first_defined: info.num_imported_funcs,
                        sites: Vec::new(),
                    };
                    ctx.inline(&mut inliner).map_err(|e| Error::Codegen {
                        func: f,
                        message: format!("inlining: {e:?}"),
                    })?;
                    inliner.mark_inlined_code(&mut ctx.func);
                }
                compile_function(&env, &*isa, f, id, ctx)
            },
        )
        .collect::<Result<_>>()?;
    drop(candidates);
    timings.push(("translate and compile functions", start.elapsed()));

    let start = Instant::now();
    let mut clif = String::new();
    let mut asm = String::new();
    // Functions are laid out back to back from a line-aligned start, each moved to its
    // preferred place by padding the end of the one before (see `layout`).
    let first_alignment = compiled
        .iter()
        .map(|c| c.alignment)
        .max()
        .unwrap_or(1)
        .max(layout::LINE as u64);
    let mut offset = 0;
    for (i, (&f, func)) in defined.iter().zip(&compiled).enumerate() {
        let id = direct_callee[f as usize].expect("defined");
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
        obj.define_function_bytes(id, alignment, &code, &func.relocs)
            .map_err(module_err)?;
        offset = end + pad;
        if config.keep_clif {
            clif.push_str(&func.clif);
            clif.push('\n');
        }
        if config.keep_disasm {
            asm.push_str(&format!("{}:\n{}\n", symbols[f as usize], func.asm));
        }
    }

    let mut ctx = Context::new();
    let mut fb = FunctionBuilderContext::new();
    for (import, id) in &stubs {
        shims::define_trap_stub(&mut obj, &env, *import, *id, &mut ctx, &mut fb)?;
    }
    let trampolines = shims::define_trampolines(&mut obj, &info, call_conv, &mut ctx, &mut fb)?;
    let image = image::define_image(
        &mut obj,
        &info,
        config,
        &direct_callee,
        &compiled
            .iter()
            .map(|c| image::FuncRecord {
                code_len: c.code.len(),
                traps: &c.traps,
                inlined: &c.inlined,
            })
            .collect::<Vec<_>>(),
        &trampolines,
    )?;
    if config.output == crate::config::OutputKind::Executable {
        shims::define_main(&mut obj, image, call_conv, &mut ctx, &mut fb)?;
    }
    let object = obj
        .finish()
        .emit()
        .map_err(|e| Error::Object(e.to_string()))?;
    timings.push(("emit object", start.elapsed()));

    Ok(CompiledModule {
        object,
        clif,
        asm,
        timings,
        num_functions: compiled.len(),
    })
}

/// Compiles the (translated) function in `ctx`.
fn compile_function(
    env: &FuncEnv<'_, '_>,
    isa: &dyn cranelift_codegen::isa::TargetIsa,
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
    let code = compiled.code_buffer().to_vec();
    let alignment = compiled.buffer.alignment as u64;
    let (bb_starts, bb_edges) = compiled.get_code_bb_layout();
    let preferred_start = if alignment as usize <= layout::STEP {
        layout::preferred_start(&bb_starts, &bb_edges, code.len())
    } else {
        None
    };
    let asm = compiled.vcode.clone().unwrap_or_default();
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
        clif,
        asm,
    })
}
