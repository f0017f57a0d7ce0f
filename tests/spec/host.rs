//! The `spectest` host module every spec test may import: globals, a table, a memory, a shared
//! memory and `print*` functions.

use std::rc::Rc;
use std::sync::Arc;
use wasm2native_runtime::abi::meta::{
    FuncType, GlobalType, Limits, MemoryType, TableType, ValType,
};
use wasm2native_runtime::abi::{VMFuncRef, VMGlobal, VMMemory, VMTable};
use wasm2native_runtime::instance::{Extern, Func, Global};
use wasm2native_runtime::memory::LinearMemory;
use wasm2native_runtime::table::Table;
use wasm2native_runtime::types::canonical_type_id;

unsafe extern "C" fn print(_: *mut u8) {}
unsafe extern "C" fn print_i32(_: *mut u8, _: i32) {}
unsafe extern "C" fn print_i64(_: *mut u8, _: i64) {}
unsafe extern "C" fn print_f32(_: *mut u8, _: f32) {}
unsafe extern "C" fn print_f64(_: *mut u8, _: f64) {}
unsafe extern "C" fn print_i32_f32(_: *mut u8, _: i32, _: f32) {}
unsafe extern "C" fn print_f64_f64(_: *mut u8, _: f64, _: f64) {}

/// The spectest objects of one test file (fresh per file, as the spec harness does).
pub struct Spectest {
    memory: Box<LinearMemory>,
    _memory_rec: Box<VMMemory>,
    shared_memory: Arc<LinearMemory>,
    table: Box<Table>,
    _table_rec: Box<VMTable>,
    globals: Vec<(&'static str, Box<VMGlobal>, GlobalType)>,
    funcs: Vec<(&'static str, Box<VMFuncRef>, FuncType)>,
}

/// The type of the spectest memories: 1 to 2 pages, `shared` or not.
fn memory_type(shared: bool) -> MemoryType {
    MemoryType {
        limits: Limits {
            min: 1,
            max: Some(2),
        },
        memory64: false,
        shared,
    }
}

/// The unshared spectest memory and the record it publishes its base and length through.
fn new_memory() -> (Box<LinearMemory>, Box<VMMemory>) {
    let mut rec = Box::new(VMMemory {
        base: std::ptr::null_mut(),
        length: 0,
    });
    // SAFETY: the record is boxed and kept with the memory.
    let memory = unsafe { LinearMemory::new(&mut *rec, &memory_type(false), true) }
        .expect("spectest memory");
    (Box::new(memory), rec)
}

fn global(ty: ValType, bits: u64) -> Box<VMGlobal> {
    let mut g = VMGlobal::default();
    g.bytes[..8].copy_from_slice(&bits.to_le_bytes());
    let _ = ty;
    Box::new(g)
}

impl Spectest {
    pub fn new() -> Rc<Spectest> {
        let (memory, memory_rec) = new_memory();
        let shared_memory =
            LinearMemory::new_shared(&memory_type(true), true).expect("spectest shared memory");
        let mut table_rec = Box::new(VMTable {
            base: std::ptr::null_mut(),
            length: 0,
        });
        let table = Box::new(
            unsafe {
                Table::new(
                    &mut *table_rec,
                    &TableType {
                        elem: ValType::FUNCREF,
                        limits: Limits {
                            min: 10,
                            max: Some(20),
                        },
                        table64: false,
                    },
                )
            }
            .expect("spectest table"),
        );
        let g = |ty, mutable| GlobalType { ty, mutable };
        let globals = vec![
            (
                "global_i32",
                global(ValType::I32, 666),
                g(ValType::I32, false),
            ),
            (
                "global_i64",
                global(ValType::I64, 666),
                g(ValType::I64, false),
            ),
            (
                "global_f32",
                global(ValType::F32, u64::from(666.6f32.to_bits())),
                g(ValType::F32, false),
            ),
            (
                "global_f64",
                global(ValType::F64, 666.6f64.to_bits()),
                g(ValType::F64, false),
            ),
        ];
        use ValType::*;
        let f = |name: &'static str, code: *const u8, params: Vec<ValType>| {
            let ty = FuncType {
                params,
                results: vec![],
            };
            let fr = Box::new(VMFuncRef {
                code,
                vmctx: std::ptr::null_mut(),
                type_id: u64::from(canonical_type_id(&ty)),
            });
            (name, fr, ty)
        };
        let funcs = vec![
            f("print", print as *const u8, vec![]),
            f("print_i32", print_i32 as *const u8, vec![I32]),
            f("print_i64", print_i64 as *const u8, vec![I64]),
            f("print_f32", print_f32 as *const u8, vec![F32]),
            f("print_f64", print_f64 as *const u8, vec![F64]),
            f("print_i32_f32", print_i32_f32 as *const u8, vec![I32, F32]),
            f("print_f64_f64", print_f64_f64 as *const u8, vec![F64, F64]),
        ];
        Rc::new(Spectest {
            memory,
            _memory_rec: memory_rec,
            shared_memory,
            table,
            _table_rec: table_rec,
            globals,
            funcs,
        })
    }

    /// The export called `name`.
    pub fn export(&self, name: &str) -> Option<Extern> {
        match name {
            "memory" => return Some(Extern::Memory(&*self.memory as *const _ as *mut _)),
            "shared_memory" => {
                return Some(Extern::shared_memory(&self.shared_memory));
            }
            "table" => return Some(Extern::Table(&*self.table as *const _ as *mut _)),
            _ => {}
        }
        if let Some((_, g, ty)) = self.globals.iter().find(|(n, _, _)| *n == name) {
            return Some(Extern::Global(Global {
                ptr: &**g as *const VMGlobal as *mut VMGlobal,
                ty: *ty,
            }));
        }
        let (_, fr, ty) = self.funcs.iter().find(|(n, _, _)| *n == name)?;
        Some(Extern::Func(Func {
            func_ref: &**fr,
            ty: ty.clone(),
            trampoline: None,
        }))
    }
}
