//! Instantiating a compiled module: VM context, memories, tables, globals, imports, segments,
//! start function; and calling exports.

use crate::abi::meta::{
    ConstExpr, ConstOp, ExternKind, FuncType, GlobalType, ImportKind, Limits, ModuleMeta,
    SegmentMode,
};
use crate::abi::{
    ABI_VERSION, IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS, ModuleImage, TrapCode, VMContextHeader,
    VMFuncImport, VMFuncRef, VMGlobal, VMMemory, VMOffsets, VMTable, ValRaw,
};
use crate::memory::LinearMemory;
use crate::table::Table;
use crate::trap::{self, Trampoline, Trap};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Canonical ids of function types, shared by all modules of the process so that
/// `call_indirect` across modules compares structurally.
static TYPE_IDS: Mutex<Option<HashMap<FuncType, u32>>> = Mutex::new(None);

/// The process-wide id of `ty` (never 0).
pub fn canonical_type_id(ty: &FuncType) -> u32 {
    let mut map = TYPE_IDS.lock().unwrap_or_else(|e| e.into_inner());
    let map = map.get_or_insert_with(HashMap::new);
    let next = map.len() as u32 + 1;
    *map.entry(ty.clone()).or_insert(next)
}

/// A loaded module image with its decoded metadata.
pub struct Module {
    pub image: &'static ModuleImage,
    pub meta: ModuleMeta,
    pub offsets: VMOffsets,
    type_ids: Vec<u32>,
}

/// Failure to load an image.
#[derive(Debug)]
pub struct LoadError(pub String);

impl Module {
    /// Reads a module image emitted by the compiler.
    ///
    /// # Safety
    /// `image` must point to a module image that stays loaded for the rest of the process (or
    /// until [`Module::unload`]).
    pub unsafe fn from_image(image: *const ModuleImage) -> Result<Arc<Module>, LoadError> {
        // SAFETY: per the contract.
        let image: &'static ModuleImage = unsafe { &*image };
        if image.abi_version != ABI_VERSION {
            return Err(LoadError(format!(
                "module compiled for runtime ABI {}, this runtime is ABI {ABI_VERSION}",
                image.abi_version
            )));
        }
        // SAFETY: the metadata blob of the image.
        let meta_bytes = unsafe { std::slice::from_raw_parts(image.meta, image.meta_len) };
        let meta = ModuleMeta::decode(meta_bytes).map_err(|e| LoadError(e.to_string()))?;
        let offsets = VMOffsets::new(meta.vm_counts());
        let type_ids = meta.types.iter().map(canonical_type_id).collect();
        trap::register_image(image);
        Ok(Arc::new(Module {
            image,
            meta,
            offsets,
            type_ids,
        }))
    }

    /// Forgets the module's code in the trap handler before its code is unloaded.
    pub fn unload(&self) {
        trap::unregister_image(self.image);
    }

    fn trampoline(&self, type_index: u32) -> Option<Trampoline> {
        if type_index as usize >= self.image.ntrampolines {
            return None;
        }
        // SAFETY: the image's trampoline table has `ntrampolines` entries.
        let p = unsafe { *self.image.trampolines.add(type_index as usize) };
        // SAFETY: non-null entries are trampolines with the array-call signature.
        (!p.is_null()).then(|| unsafe { std::mem::transmute::<*const u8, Trampoline>(p) })
    }

    fn defined_code(&self, defined_index: usize) -> *const u8 {
        // SAFETY: the image's function table has `nfuncs` entries.
        unsafe { (*self.image.funcs.add(defined_index)).code }
    }

    fn host_func(&self, import: usize) -> *const u8 {
        if import >= self.image.nhost_funcs {
            return std::ptr::null();
        }
        // SAFETY: the image's host function table has `nhost_funcs` entries.
        unsafe { *self.image.host_funcs.add(import) }
    }

    fn explicit_bounds_checks(&self) -> bool {
        self.image.flags & IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS != 0
    }
}

/// A function that can be imported or called: its funcref, type and a trampoline to call it.
#[derive(Clone)]
pub struct Func {
    pub func_ref: *const VMFuncRef,
    pub ty: FuncType,
    /// Array-call trampoline for `ty` (null for host functions that are never called by the
    /// embedder directly).
    pub trampoline: Option<Trampoline>,
}

/// A global of some instance (or the host).
#[derive(Clone, Copy)]
pub struct Global {
    pub ptr: *mut VMGlobal,
    pub ty: GlobalType,
}

/// Something an instance exports or imports.
#[derive(Clone)]
pub enum Extern {
    Func(Func),
    Table(*mut Table),
    Memory(*mut LinearMemory),
    Global(Global),
}

/// Why instantiation failed.
#[derive(Debug)]
pub enum InstantiateError {
    /// The imports do not match (count, kind or type).
    Link(String),
    /// Resources could not be allocated.
    Resource(String),
    /// A segment was out of bounds or the start function trapped.
    Trap(Trap),
}

impl std::fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstantiateError::Link(m) => write!(f, "link error: {m}"),
            InstantiateError::Resource(m) => write!(f, "{m}"),
            InstantiateError::Trap(t) => write!(f, "{t}"),
        }
    }
}

/// A module instance. Owns its VM context, defined memories and tables.
pub struct Instance {
    module: Arc<Module>,
    vmctx: *mut u8,
    memories: Vec<*mut LinearMemory>,
    tables: Vec<*mut Table>,
    // Boxed: the VM contexts of this and importing instances point at them.
    #[allow(clippy::vec_box)]
    owned_memories: Vec<Box<LinearMemory>>,
    #[allow(clippy::vec_box)]
    owned_tables: Vec<Box<Table>>,
    dropped_elems: Vec<bool>,
    dropped_datas: Vec<bool>,
}

fn vmctx_layout(size: u32) -> std::alloc::Layout {
    std::alloc::Layout::from_size_align(size as usize, 16).expect("VM context layout")
}

fn limits_match(actual_min: u64, actual_max: Option<u64>, expected: &Limits) -> bool {
    actual_min >= expected.min
        && match expected.max {
            None => true,
            Some(emax) => actual_max.is_some_and(|amax| amax <= emax),
        }
}

impl Instance {
    fn field<T>(&self, offset: u32) -> *mut T {
        // SAFETY: offsets come from the module's VMOffsets, within the allocation.
        unsafe { self.vmctx.add(offset as usize).cast() }
    }

    /// The VM context pointer.
    pub fn vmctx(&self) -> *mut u8 {
        self.vmctx
    }

    /// The module this is an instance of.
    pub fn module(&self) -> &Arc<Module> {
        &self.module
    }

    /// Memory `i` of the instance (imported or defined).
    pub fn memory(&self, i: u32) -> Option<&LinearMemory> {
        // SAFETY: memories outlive the instances using them.
        self.memories.get(i as usize).map(|m| unsafe { &**m })
    }

    /// Table `i` of the instance.
    pub fn table(&mut self, i: u32) -> Option<&mut Table> {
        // SAFETY: tables outlive the instances using them; `&mut self` keeps this the only
        // reference handed out through this instance.
        self.tables.get(i as usize).map(|t| unsafe { &mut **t })
    }

    /// The instance owning `vmctx`.
    ///
    /// # Safety
    /// `vmctx` must be the VM context of a live instance.
    pub unsafe fn from_vmctx<'a>(vmctx: *mut u8) -> &'a mut Instance {
        // SAFETY: the header's instance pointer is set at instantiation.
        unsafe { &mut *((*(vmctx as *mut VMContextHeader)).instance as *mut Instance) }
    }

    /// Instantiates `module` with `imports` (in import order).
    pub fn new(module: Arc<Module>, imports: &[Extern]) -> Result<Box<Instance>, InstantiateError> {
        let m = &module.meta;
        let offsets = module.offsets;
        if imports.len() != m.imports.len() {
            // Host-bound function imports (executables) need no embedder import.
            let bound = (0..m.imports.len()).all(|i| !module.host_func(i).is_null());
            if !(imports.is_empty() && bound) {
                return Err(InstantiateError::Link(format!(
                    "expected {} imports, got {}",
                    m.imports.len(),
                    imports.len()
                )));
            }
        }
        // SAFETY: a zeroed allocation of the context's size.
        let vmctx = unsafe { std::alloc::alloc_zeroed(vmctx_layout(offsets.size())) };
        if vmctx.is_null() {
            return Err(InstantiateError::Resource("out of memory".into()));
        }
        let mut inst = Box::new(Instance {
            module: module.clone(),
            vmctx,
            memories: Vec::new(),
            tables: Vec::new(),
            owned_memories: Vec::new(),
            owned_tables: Vec::new(),
            dropped_elems: vec![false; m.elems.len()],
            dropped_datas: vec![false; m.datas.len()],
        });
        let inst_ptr: *mut Instance = &mut *inst;
        // SAFETY: the header lies at the start of the context.
        unsafe {
            let header = vmctx as *mut VMContextHeader;
            (*header).builtins = crate::builtins::TABLE.0.as_ptr();
            (*header).instance = inst_ptr.cast();
            (*header).stack_limit = trap::thread_stack_limit();
        }
        for (i, id) in module.type_ids.iter().enumerate() {
            // SAFETY: within the type id region.
            unsafe { *inst.field::<u32>(offsets.type_id(i as u32)) = *id };
        }

        // Imports.
        let mut globals: Vec<*mut VMGlobal> = Vec::new();
        let mut func_imports: Vec<VMFuncImport> = Vec::new();
        for (i, import) in m.imports.iter().enumerate() {
            let name = || format!("{}::{}", import.module, import.name);
            let host = module.host_func(i);
            let provided = imports.get(i);
            match (&import.kind, provided) {
                (ImportKind::Func(_), _) if !host.is_null() => {
                    func_imports.push(VMFuncImport { code: host, vmctx });
                }
                (ImportKind::Func(t), Some(Extern::Func(f))) => {
                    if f.ty != m.types[*t as usize] {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type for {}",
                            name()
                        )));
                    }
                    // SAFETY: funcrefs of live instances or the host.
                    let fr = unsafe { *f.func_ref };
                    func_imports.push(VMFuncImport {
                        code: fr.code,
                        vmctx: fr.vmctx,
                    });
                }
                (ImportKind::Table(tt), Some(Extern::Table(t))) => {
                    // SAFETY: tables outlive their importers.
                    let table = unsafe { &**t };
                    if table.elem != tt.elem || !limits_match(table.len(), table.max(), &tt.limits)
                    {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type for {}",
                            name()
                        )));
                    }
                    inst.tables.push(*t);
                }
                (ImportKind::Memory(mt), Some(Extern::Memory(mem))) => {
                    // SAFETY: memories outlive their importers.
                    let memory = unsafe { &**mem };
                    if !limits_match(memory.pages(), memory.declared_max(), &mt.limits) {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type for {}",
                            name()
                        )));
                    }
                    inst.memories.push(*mem);
                }
                (ImportKind::Global(gt), Some(Extern::Global(g))) => {
                    if g.ty != *gt {
                        return Err(InstantiateError::Link(format!(
                            "incompatible import type for {}",
                            name()
                        )));
                    }
                    globals.push(g.ptr);
                }
                (_, Some(_)) => {
                    return Err(InstantiateError::Link(format!(
                        "incompatible import type for {}",
                        name()
                    )));
                }
                (_, None) => {
                    return Err(InstantiateError::Link(format!("unknown import {}", name())));
                }
            }
        }
        for (i, imp) in func_imports.iter().enumerate() {
            // SAFETY: within the imported function region.
            unsafe { *inst.field::<VMFuncImport>(offsets.imported_func(i as u32)) = *imp };
        }

        // Defined memories and tables.
        let num_imported_memories = inst.memories.len() as u32;
        for (i, mt) in m
            .memories
            .iter()
            .enumerate()
            .skip(num_imported_memories as usize)
        {
            let rec =
                inst.field::<VMMemory>(offsets.defined_memory(i as u32 - num_imported_memories));
            // SAFETY: the record lives in the context, which outlives the memory.
            let mem = unsafe {
                LinearMemory::new(
                    rec,
                    mt.limits.min,
                    mt.limits.max,
                    !module.explicit_bounds_checks(),
                )
            }
            .map_err(|e| InstantiateError::Resource(e.0))?;
            let mut mem = Box::new(mem);
            inst.memories.push(&mut *mem);
            inst.owned_memories.push(mem);
        }
        for (i, mem) in inst.memories.clone().iter().enumerate() {
            // SAFETY: within the memory pointer region; the record outlives this instance.
            unsafe { *inst.field::<*mut VMMemory>(offsets.memory_ptr(i as u32)) = (**mem).vm };
        }
        let num_imported_tables = inst.tables.len() as u32;
        for (i, tt) in m
            .tables
            .iter()
            .enumerate()
            .skip(num_imported_tables as usize)
        {
            let rec = inst.field::<VMTable>(offsets.defined_table(i as u32 - num_imported_tables));
            // SAFETY: the record lives in the context, which outlives the table.
            let table = unsafe { Table::new(rec, tt.elem, tt.limits.min, tt.limits.max) }
                .ok_or_else(|| InstantiateError::Resource("table too large".into()))?;
            let mut table = Box::new(table);
            inst.tables.push(&mut *table);
            inst.owned_tables.push(table);
        }
        for (i, t) in inst.tables.clone().iter().enumerate() {
            // SAFETY: within the table pointer region.
            unsafe { *inst.field::<*mut VMTable>(offsets.table_ptr(i as u32)) = (**t).vm };
        }

        // Function references of the functions that escape.
        for (slot, &f) in m.func_refs.iter().enumerate() {
            let fr = inst.func_ref_of(f);
            // SAFETY: within the funcref region.
            unsafe { *inst.field::<VMFuncRef>(offsets.func_ref(slot as u32)) = fr };
        }

        // Globals: imported pointers, then defined ones initialized in order.
        for (i, init) in m.global_inits.iter().enumerate() {
            let ptr = inst.field::<VMGlobal>(offsets.defined_global(i as u32));
            let value = inst.eval(init, &globals);
            // SAFETY: within the defined global region.
            unsafe { (*ptr).bytes = value.to_le_bytes() };
            globals.push(ptr);
        }
        for (i, g) in globals.iter().enumerate() {
            // SAFETY: within the global pointer region.
            unsafe { *inst.field::<*mut VMGlobal>(offsets.global_ptr(i as u32)) = *g };
        }

        // Active segments, in order; a failing one traps with earlier writes kept.
        for (i, seg) in m.elems.iter().enumerate() {
            match &seg.mode {
                SegmentMode::Active { index, offset } => {
                    let start = inst.eval(offset, &globals) as u32;
                    let len = seg.items.len() as u32;
                    let trapped = inst.table_init_raw(*index, i as u32, start, 0, len, &globals);
                    if trapped {
                        return Err(InstantiateError::Trap(Trap {
                            code: TrapCode::TableOutOfBounds,
                            frames: vec![],
                            truncated: false,
                        }));
                    }
                    inst.dropped_elems[i] = true;
                }
                SegmentMode::Declared => inst.dropped_elems[i] = true,
                SegmentMode::Passive => {}
            }
        }
        for (i, seg) in m.datas.iter().enumerate() {
            if let SegmentMode::Active { index, offset } = &seg.mode {
                let start = inst.eval(offset, &globals) as u32;
                if inst.memory_init(*index, i as u32, start, 0, seg.len) {
                    return Err(InstantiateError::Trap(Trap {
                        code: TrapCode::MemoryOutOfBounds,
                        frames: vec![],
                        truncated: false,
                    }));
                }
                inst.dropped_datas[i] = true;
            }
        }

        if let Some(start) = m.start {
            // The start function need not escape: call it through a funcref on the stack.
            let fr = inst.func_ref_of(start);
            let type_index = m.funcs[start as usize];
            let f = Func {
                func_ref: &fr,
                ty: m.types[type_index as usize].clone(),
                trampoline: module.trampoline(type_index),
            };
            call_func(&f, &[]).map_err(InstantiateError::Trap)?;
        }
        Ok(inst)
    }

    /// Evaluates a constant expression to its raw value.
    fn eval(&self, expr: &ConstExpr, globals: &[*mut VMGlobal]) -> ValRaw {
        let mut stack: Vec<u128> = Vec::new();
        for op in &expr.0 {
            let v = match *op {
                ConstOp::I32Const(v) => u128::from(v as u32),
                ConstOp::I64Const(v) => u128::from(v as u64),
                ConstOp::F32Const(v) => u128::from(v),
                ConstOp::F64Const(v) => u128::from(v),
                ConstOp::V128Const(v) => v,
                // SAFETY: globals of live instances.
                ConstOp::GlobalGet(g) => {
                    u128::from_le_bytes(unsafe { (*globals[g as usize]).bytes })
                }
                ConstOp::RefNull => 0,
                ConstOp::RefFunc(f) => self.func_ref_ptr(f) as u128,
                ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                    let b = stack.pop().unwrap_or(0) as u32;
                    let a = stack.pop().unwrap_or(0) as u32;
                    u128::from(match op {
                        ConstOp::I32Add => a.wrapping_add(b),
                        ConstOp::I32Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
                ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                    let b = stack.pop().unwrap_or(0) as u64;
                    let a = stack.pop().unwrap_or(0) as u64;
                    u128::from(match op {
                        ConstOp::I64Add => a.wrapping_add(b),
                        ConstOp::I64Sub => a.wrapping_sub(b),
                        _ => a.wrapping_mul(b),
                    })
                }
            };
            stack.push(v);
        }
        stack.pop().unwrap_or(0)
    }

    /// The `VMFuncRef` of function `f` (which escapes, so it has a slot).
    fn func_ref_ptr(&self, f: u32) -> *const VMFuncRef {
        let slot = self
            .module
            .meta
            .func_refs
            .binary_search(&f)
            .expect("validated: referenced functions are declared");
        self.field::<VMFuncRef>(self.module.offsets.func_ref(slot as u32))
    }

    /// The function reference of function `f` by value: code, VM context, canonical type id.
    /// (Imported functions must already be in the VM context.)
    fn func_ref_of(&self, f: u32) -> VMFuncRef {
        let n = self.module.meta.num_imported_funcs();
        let (code, vmctx) = if f < n {
            // SAFETY: within the imported function region.
            let imp = unsafe { *self.field::<VMFuncImport>(self.module.offsets.imported_func(f)) };
            (imp.code, imp.vmctx)
        } else {
            (self.module.defined_code((f - n) as usize), self.vmctx)
        };
        let type_index = self.module.meta.funcs[f as usize];
        VMFuncRef {
            code,
            vmctx,
            type_id: u64::from(self.module.type_ids[type_index as usize]),
        }
    }

    /// A callable handle on function `f`, which must escape (be exported, or referenced by
    /// `ref.func`, a segment or a global), as every export does.
    pub fn func(&self, f: u32) -> Func {
        let type_index = self.module.meta.funcs[f as usize];
        Func {
            func_ref: self.func_ref_ptr(f),
            ty: self.module.meta.types[type_index as usize].clone(),
            trampoline: self.module.trampoline(type_index),
        }
    }

    /// Calls `f` with `args`, returning its results or the trap that ended it.
    pub fn call(&self, f: &Func, args: &[ValRaw]) -> Result<Vec<ValRaw>, Trap> {
        call_func(f, args)
    }

    /// The export called `name`.
    pub fn export(&self, name: &str) -> Option<Extern> {
        let e = self.module.meta.exports.iter().find(|e| e.name == name)?;
        Some(match e.kind {
            ExternKind::Func => Extern::Func(self.func(e.index)),
            ExternKind::Table => Extern::Table(self.tables[e.index as usize]),
            ExternKind::Memory => Extern::Memory(self.memories[e.index as usize]),
            ExternKind::Global => {
                // SAFETY: within the global pointer region.
                let ptr = unsafe {
                    *self.field::<*mut VMGlobal>(self.module.offsets.global_ptr(e.index))
                };
                Extern::Global(Global {
                    ptr,
                    ty: self.module.meta.globals[e.index as usize],
                })
            }
        })
    }

    /// `memory.init`: copies `len` bytes of data segment `data` at `src` to `dst` in memory
    /// `mem`. Returns true if out of bounds (nothing is copied then).
    pub(crate) fn memory_init(
        &mut self,
        mem: u32,
        data: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> bool {
        let seg = &self.module.meta.datas[data as usize];
        let seg_len = if self.dropped_datas[data as usize] {
            0
        } else {
            seg.len
        };
        let Some(memory) = self.memory(mem) else {
            return true;
        };
        let (dst, src, len) = (u64::from(dst), u64::from(src), u64::from(len));
        if src + len > u64::from(seg_len) || dst + len > memory.byte_len() as u64 {
            return true;
        }
        if len > 0 {
            // SAFETY: both ranges were checked; the data blob holds the segment.
            unsafe {
                let from = self
                    .module
                    .image
                    .data
                    .add(seg.data_offset as usize + src as usize);
                std::ptr::copy_nonoverlapping(from, memory.base().add(dst as usize), len as usize);
            }
        }
        false
    }

    pub(crate) fn data_drop(&mut self, data: u32) {
        self.dropped_datas[data as usize] = true;
    }

    pub(crate) fn elem_drop(&mut self, elem: u32) {
        self.dropped_elems[elem as usize] = true;
    }

    /// `table.init` (also used for active segments). Returns true if out of bounds.
    fn table_init_raw(
        &mut self,
        table: u32,
        elem: u32,
        dst: u32,
        src: u32,
        len: u32,
        globals: &[*mut VMGlobal],
    ) -> bool {
        let seg = &self.module.meta.elems[elem as usize];
        let seg_len = if self.dropped_elems[elem as usize] {
            0
        } else {
            seg.items.len() as u64
        };
        let (dst, src, len) = (u64::from(dst), u64::from(src), u64::from(len));
        // SAFETY: tables outlive the instance.
        let t = unsafe { &mut *self.tables[table as usize] };
        if src + len > seg_len || dst + len > t.len() {
            return true;
        }
        let values: Vec<u64> = seg.items[src as usize..(src + len) as usize]
            .iter()
            .map(|item| self.eval(item, globals) as u64)
            .collect();
        t.elements_mut()[dst as usize..(dst + len) as usize].copy_from_slice(&values);
        false
    }

    pub(crate) fn table_init(
        &mut self,
        table: u32,
        elem: u32,
        dst: u32,
        src: u32,
        len: u32,
    ) -> bool {
        let globals: Vec<*mut VMGlobal> = (0..self.module.meta.globals.len() as u32)
            // SAFETY: within the global pointer region.
            .map(|g| unsafe { *self.field::<*mut VMGlobal>(self.module.offsets.global_ptr(g)) })
            .collect();
        self.table_init_raw(table, elem, dst, src, len, &globals)
    }
}

/// Calls `f` with `args` through its trampoline, catching traps.
pub fn call_func(f: &Func, args: &[ValRaw]) -> Result<Vec<ValRaw>, Trap> {
    let tramp = f.trampoline.expect("callable function has a trampoline");
    let mut values = vec![0u128; f.ty.params.len().max(f.ty.results.len()).max(1)];
    values[..args.len()].copy_from_slice(args);
    // SAFETY: the funcref is live; the trampoline matches its type.
    unsafe {
        let fr = *f.func_ref;
        if !fr.vmctx.is_null() {
            (*(fr.vmctx as *mut VMContextHeader)).stack_limit = trap::thread_stack_limit();
        }
        trap::catch(tramp, fr.code, fr.vmctx, values.as_mut_ptr())?;
    }
    values.truncate(f.ty.results.len());
    Ok(values)
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.vmctx, vmctx_layout(self.module.offsets.size())) };
    }
}
