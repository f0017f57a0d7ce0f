//! Instantiating a compiled module: VM context, memories, tables, globals, imports, segments,
//! start function; and calling exports.

use crate::abi::meta::{
    ConstExpr, ConstOp, ExternKind, FuncType, GlobalType, ImportKind, Limits, MemoryType,
    ModuleMeta, SegmentMode, TableType, ValType,
};
use crate::abi::{
    ABI_VERSION, BuiltinTable, IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS, IMAGE_FLAG_MEMORY0_GS,
    ModuleImage, OptionalTable, OptionalTables, TrapCode, VMContextHeader, VMFuncImport, VMFuncRef,
    VMGlobal, VMMemory, VMOffsets, VMTable, VMTag, ValRaw,
};
use crate::memory::LinearMemory;
use crate::table::Table;
use crate::trap::{self, Trampoline, Trap};
use crate::types::{self, canonical_val_type, is_subtype, val_type_matches};
use std::sync::Arc;

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
        let type_ids = types::canonical_type_ids(&meta);
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

    /// The host function imported function `func` is bound to, or null.
    fn host_func(&self, func: usize) -> *const u8 {
        if func >= self.image.nhost_funcs {
            return std::ptr::null();
        }
        // SAFETY: the image's host function table has `nhost_funcs` entries.
        unsafe { *self.image.host_funcs.add(func) }
    }

    /// Whether the module was compiled with explicit bounds checks (no guard regions).
    pub(crate) fn explicit_bounds_checks(&self) -> bool {
        self.image.flags & IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS != 0
    }

    /// Whether the module's code addresses memory 0 relative to the gs segment base.
    fn memory0_in_gs(&self) -> bool {
        self.image.flags & IMAGE_FLAG_MEMORY0_GS != 0
    }

    /// `ty` of this module in the form that compares across modules.
    fn canonical(&self, ty: ValType) -> ValType {
        canonical_val_type(ty, &self.type_ids)
    }

    fn canonical_global(&self, gt: GlobalType) -> GlobalType {
        GlobalType {
            ty: self.canonical(gt.ty),
            ..gt
        }
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
    /// Its type, concrete references as canonical type ids.
    pub ty: GlobalType,
}

/// Something an instance exports or imports.
#[derive(Clone)]
pub enum Extern {
    Func(Func),
    Table(*mut Table),
    Memory(*mut LinearMemory),
    Global(Global),
    /// An exception tag: its identity.
    Tag(*const VMTag),
}

impl Extern {
    /// A shared memory as an import: the importing instance takes its own reference to it
    /// (the `Arc` keeps it alive meanwhile).
    pub fn shared_memory(memory: &Arc<LinearMemory>) -> Extern {
        Extern::Memory(Arc::as_ptr(memory).cast_mut())
    }
}

/// Why the imports given to [`Instance::new`] do not fit the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The embedder gave `got` imports to a module that declares `expected`.
    ImportCount { expected: usize, got: usize },
    /// Nothing was provided for import `module::name`.
    UnknownImport { module: String, name: String },
    /// What was provided for import `module::name` is of another kind or type.
    IncompatibleImportType { module: String, name: String },
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::ImportCount { expected, got } => {
                write!(f, "expected {expected} imports, got {got}")
            }
            LinkError::UnknownImport { module, name } => {
                write!(f, "unknown import {module}::{name}")
            }
            LinkError::IncompatibleImportType { module, name } => {
                write!(f, "incompatible import type for {module}::{name}")
            }
        }
    }
}

/// Why instantiation failed.
#[derive(Debug)]
pub enum InstantiateError {
    /// The imports do not match (count, kind or type).
    Link(LinkError),
    /// Resources could not be allocated.
    Resource(String),
    /// A segment was out of bounds or the start function trapped.
    Trap(Trap),
}

impl std::fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InstantiateError::Link(e) => write!(f, "link error: {e}"),
            InstantiateError::Resource(m) => write!(f, "{m}"),
            InstantiateError::Trap(t) => write!(f, "{t}"),
        }
    }
}

impl From<LinkError> for InstantiateError {
    fn from(e: LinkError) -> Self {
        InstantiateError::Link(e)
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
    /// The shared memories it uses, defined or imported: each instance (one per thread) keeps
    /// them alive.
    shared_memories: Vec<Arc<LinearMemory>>,
    /// The optional builtin tables the VM context header points to.
    optional_tables: OptionalTables,
    dropped_elems: Vec<bool>,
    dropped_datas: Vec<bool>,
}

fn vmctx_layout(size: u32) -> std::alloc::Layout {
    std::alloc::Layout::from_size_align(size as usize, 16).expect("VM context layout")
}

/// Whether `len` bytes or elements at `start` lie within `size` (64-bit operands may overflow).
pub(crate) fn in_bounds(start: u64, len: u64, size: u64) -> bool {
    start.checked_add(len).is_some_and(|end| end <= size)
}

fn limits_match(actual_min: u64, actual_max: Option<u64>, expected: &Limits) -> bool {
    actual_min >= expected.min
        && match expected.max {
            None => true,
            Some(emax) => actual_max.is_some_and(|amax| amax <= emax),
        }
}

/// Whether `table` can be imported as a table of type `expected` (canonical element types:
/// tables are mutable, so they must be the same).
fn table_fits(table: &Table, expected: &TableType) -> bool {
    table.elem == expected.elem
        && table.table64 == expected.table64
        && limits_match(table.len(), table.max(), &expected.limits)
}

/// Whether `memory` can be imported as a memory of type `expected`.
fn memory_fits(memory: &LinearMemory, expected: &MemoryType) -> bool {
    memory.memory64() == expected.memory64
        && memory.shared() == expected.shared
        && limits_match(memory.pages(), memory.declared_max(), &expected.limits)
}

/// Whether a global of canonical type `actual` can be imported as one of canonical type
/// `expected`: a mutable global's type must be the same, an immutable one's may be a subtype.
fn global_fits(actual: GlobalType, expected: GlobalType) -> bool {
    actual.mutable == expected.mutable
        && if actual.mutable {
            actual.ty == expected.ty
        } else {
            val_type_matches(actual.ty, expected.ty)
        }
}

/// `tt` of `module` with its element type in canonical form.
fn canonical_table(module: &Module, tt: &TableType) -> TableType {
    TableType {
        elem: module.canonical(tt.elem),
        ..*tt
    }
}

/// Checks that the embedder gave one import per import of the module, or, for an executable
/// (whose function imports are all bound to host functions at link time), one per other import
/// (the shared memories the runtime creates for it). Returns whether the function imports are
/// left out.
fn check_import_count(module: &Module, imports: &[Extern]) -> Result<bool, LinkError> {
    let expected = module.meta.imports.len();
    if imports.len() == expected {
        return Ok(false);
    }
    let funcs = module.meta.num_imported_funcs() as usize;
    let bound = (0..funcs).all(|f| !module.host_func(f).is_null());
    if bound && imports.len() == expected - funcs {
        Ok(true)
    } else {
        Err(LinkError::ImportCount {
            expected,
            got: imports.len(),
        })
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

    /// What an instance of the same module on another thread imports (wasi-threads): the same
    /// memories, when every memory is an imported shared one; `None` otherwise (a memory the
    /// module defines could not be shared).
    pub fn thread_imports(&self) -> Option<Vec<Arc<LinearMemory>>> {
        let imported = self.module.meta.num_imported_memories() as usize;
        let n = self.memories.len();
        (imported == n && self.shared_memories.len() == n).then(|| self.shared_memories.clone())
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

    /// Instantiates `module` with `imports` (in import order): allocates the VM context, links
    /// the imports, creates the defined memories and tables, initializes function references,
    /// globals and active segments, and runs the start function.
    ///
    /// `builtins` is the table compiled code calls for bulk and growth operations: the runtime's
    /// [`crate::builtins::TABLE`]. `optional` are the optional builtin tables
    /// ([`crate::builtins::optional_tables`]) for a module whose image does not point to them (one
    /// built for embedding) and that may throw or catch; `None` otherwise. (The builtins operate
    /// on instances; instances do not depend on them.)
    pub fn new(
        module: Arc<Module>,
        imports: &[Extern],
        builtins: &'static BuiltinTable,
        optional: &OptionalTables,
    ) -> Result<Box<Instance>, InstantiateError> {
        let funcs_left_out = check_import_count(&module, imports)?;
        let mut inst = Instance::allocate(module, builtins, optional)?;
        let imported_globals = inst.link_imports(imports, funcs_left_out)?;
        inst.init_defined_tags();
        inst.create_memories()?;
        inst.create_tables()?;
        inst.init_func_refs();
        let globals = inst.init_globals(imported_globals);
        inst.init_table_elements(&globals);
        inst.init_elem_segments(&globals)?;
        inst.init_data_segments(&globals)?;
        inst.run_start()?;
        Ok(inst)
    }

    /// Allocates the instance and its zeroed VM context, and fills the context's header and
    /// canonical type ids.
    fn allocate(
        module: Arc<Module>,
        builtins: &'static BuiltinTable,
        optional: &OptionalTables,
    ) -> Result<Box<Instance>, InstantiateError> {
        // The tables the image links, if any: they are the runtime's own.
        let linked = &module.image.optional_builtins;
        let optional_tables = OptionalTables(OptionalTable::ALL.map(|t| {
            Some(linked.get(t))
                .filter(|p| !p.is_null())
                .unwrap_or(optional.get(t))
        }));
        // SAFETY: a zeroed allocation of the context's size.
        let vmctx = unsafe { std::alloc::alloc_zeroed(vmctx_layout(module.offsets.size())) };
        if vmctx.is_null() {
            return Err(InstantiateError::Resource("out of memory".into()));
        }
        let mut inst = Box::new(Instance {
            dropped_elems: vec![false; module.meta.elems.len()],
            dropped_datas: vec![false; module.meta.datas.len()],
            module,
            vmctx,
            memories: Vec::new(),
            tables: Vec::new(),
            owned_memories: Vec::new(),
            owned_tables: Vec::new(),
            shared_memories: Vec::new(),
            optional_tables,
        });
        let inst_ptr: *mut Instance = &mut *inst;
        // SAFETY: the header lies at the start of the context.
        unsafe {
            let header = vmctx as *mut VMContextHeader;
            (*header).builtins = builtins.0.as_ptr();
            (*header).instance = inst_ptr.cast();
            (*header).stack_limit = trap::thread_stack_limit();
            (*header).optional_builtins = &inst.optional_tables;
        }
        for (i, id) in inst.module.type_ids.iter().enumerate() {
            // SAFETY: within the type id region.
            unsafe { *inst.field::<u32>(inst.module.offsets.type_id(i as u32)) = *id };
        }
        Ok(inst)
    }

    /// Binds each import: functions to their host implementation or the provided function,
    /// imported tables and memories to the provided ones. `funcs_left_out`: `imports` has no
    /// entries for the function imports ([`check_import_count`]). Returns the imported globals.
    fn link_imports(
        &mut self,
        imports: &[Extern],
        funcs_left_out: bool,
    ) -> Result<Vec<*mut VMGlobal>, LinkError> {
        let module = self.module.clone();
        let m = &module.meta;
        let mut globals: Vec<*mut VMGlobal> = Vec::new();
        let mut tags = 0;
        let mut func_imports: Vec<VMFuncImport> = Vec::new();
        let mut provided = imports.iter();
        for import in &m.imports {
            // Function imports come first in the index space: their index is their count.
            let host = module.host_func(func_imports.len());
            let given = match import.kind {
                ImportKind::Func(_) if funcs_left_out => None,
                _ => provided.next(),
            };
            match (&import.kind, given) {
                (ImportKind::Func(_), _) if !host.is_null() => {
                    func_imports.push(VMFuncImport {
                        code: host,
                        vmctx: self.vmctx,
                    });
                }
                // SAFETY: funcrefs of live instances or the host.
                (ImportKind::Func(t), Some(Extern::Func(f)))
                    if is_subtype(
                        unsafe { (*f.func_ref).type_id } as u32,
                        module.type_ids[*t as usize],
                    ) =>
                {
                    // SAFETY: as above.
                    let fr = unsafe { *f.func_ref };
                    func_imports.push(VMFuncImport {
                        code: fr.code,
                        vmctx: fr.vmctx,
                    });
                }
                // SAFETY: tables outlive their importers.
                (ImportKind::Table(tt), Some(Extern::Table(t)))
                    if unsafe { table_fits(&**t, &canonical_table(&module, tt)) } =>
                {
                    self.tables.push(*t);
                }
                // SAFETY: memories outlive their importers.
                (ImportKind::Memory(mt), Some(Extern::Memory(mem)))
                    if unsafe { memory_fits(&**mem, mt) } =>
                {
                    self.memories.push(*mem);
                    // SAFETY: a shared memory is only ever created in an `Arc`.
                    if unsafe { (**mem).shared() } {
                        self.shared_memories.push(unsafe { retain_shared(*mem) });
                    }
                }
                (ImportKind::Global(gt), Some(Extern::Global(g)))
                    if global_fits(g.ty, module.canonical_global(*gt)) =>
                {
                    globals.push(g.ptr);
                }
                // SAFETY: tags outlive their importers.
                (ImportKind::Tag(t), Some(Extern::Tag(tag)))
                    if unsafe { (**tag).type_id } == u64::from(module.type_ids[*t as usize]) =>
                {
                    // SAFETY: within the tag pointer region: imported tags come first.
                    unsafe { *self.field::<*const VMTag>(module.offsets.tag_ptr(tags)) = *tag };
                    tags += 1;
                }
                (_, Some(_)) => {
                    return Err(LinkError::IncompatibleImportType {
                        module: import.module.clone(),
                        name: import.name.clone(),
                    });
                }
                (_, None) => {
                    return Err(LinkError::UnknownImport {
                        module: import.module.clone(),
                        name: import.name.clone(),
                    });
                }
            }
        }
        for (i, imp) in func_imports.iter().enumerate() {
            // SAFETY: within the imported function region.
            unsafe { *self.field::<VMFuncImport>(module.offsets.imported_func(i as u32)) = *imp };
        }
        Ok(globals)
    }

    /// Fills the slots of the defined tags (after the imported ones, which
    /// [`Self::link_imports`] filled): each points to the tag's own `VMTag`, holding the canonical
    /// id of the tag's type.
    fn init_defined_tags(&mut self) {
        let module = self.module.clone();
        let offsets = module.offsets;
        let imported = module.meta.num_imported_tags();
        for (i, &ty) in module.meta.tags.iter().enumerate().skip(imported as usize) {
            let tag = self.field::<VMTag>(offsets.defined_tag(i as u32 - imported));
            // SAFETY: within the defined tag and tag pointer regions.
            unsafe {
                (*tag).type_id = u64::from(module.type_ids[ty as usize]);
                *self.field::<*const VMTag>(offsets.tag_ptr(i as u32)) = tag;
            }
        }
    }

    /// Creates the defined memories (after the imported ones) and points the context's memory
    /// pointers at all of them.
    fn create_memories(&mut self) -> Result<(), InstantiateError> {
        let module = self.module.clone();
        let offsets = module.offsets;
        let num_imported = self.memories.len() as u32;
        for (i, mt) in module
            .meta
            .memories
            .iter()
            .enumerate()
            .skip(num_imported as usize)
        {
            let guard = !module.explicit_bounds_checks();
            if mt.shared {
                let mem = LinearMemory::new_shared(mt, guard)
                    .map_err(|e| InstantiateError::Resource(e.0))?;
                self.memories.push(Arc::as_ptr(&mem).cast_mut());
                self.shared_memories.push(mem);
                continue;
            }
            let rec = self.field::<VMMemory>(offsets.defined_memory(i as u32 - num_imported));
            // SAFETY: the record lives in the context, which outlives the memory.
            let mem = unsafe { LinearMemory::new(rec, mt, guard) }
                .map_err(|e| InstantiateError::Resource(e.0))?;
            let mut mem = Box::new(mem);
            self.memories.push(&mut *mem);
            self.owned_memories.push(mem);
        }
        for (i, mem) in self.memories.iter().enumerate() {
            // SAFETY: within the memory pointer region; the record outlives this instance.
            unsafe { *self.field::<*mut VMMemory>(offsets.memory_ptr(i as u32)) = (**mem).vm };
        }
        Ok(())
    }

    /// Creates the defined tables (after the imported ones) and points the context's table
    /// pointers at all of them.
    fn create_tables(&mut self) -> Result<(), InstantiateError> {
        let module = self.module.clone();
        let offsets = module.offsets;
        let num_imported = self.tables.len() as u32;
        for (i, tt) in module
            .meta
            .tables
            .iter()
            .enumerate()
            .skip(num_imported as usize)
        {
            let rec = self.field::<VMTable>(offsets.defined_table(i as u32 - num_imported));
            // SAFETY: the record lives in the context, which outlives the table.
            let tt = canonical_table(&module, tt);
            let table = unsafe { Table::new(rec, &tt) }
                .ok_or_else(|| InstantiateError::Resource("table too large".into()))?;
            let mut table = Box::new(table);
            self.tables.push(&mut *table);
            self.owned_tables.push(table);
        }
        for (i, t) in self.tables.iter().enumerate() {
            // SAFETY: within the table pointer region.
            unsafe { *self.field::<*mut VMTable>(offsets.table_ptr(i as u32)) = (**t).vm };
        }
        Ok(())
    }

    /// Fills the function references of the functions that escape.
    fn init_func_refs(&mut self) {
        for (slot, &f) in self.module.meta.func_refs.iter().enumerate() {
            let fr = self.func_ref_of(f);
            // SAFETY: within the funcref region.
            unsafe { *self.field::<VMFuncRef>(self.module.offsets.func_ref(slot as u32)) = fr };
        }
    }

    /// Initializes the defined globals in order (an initializer may read the globals before
    /// it) and fills the context's global pointers. Returns every global, imported first.
    fn init_globals(&mut self, imported: Vec<*mut VMGlobal>) -> Vec<*mut VMGlobal> {
        let offsets = self.module.offsets;
        let mut globals = imported;
        for (i, init) in self.module.meta.global_inits.iter().enumerate() {
            let ptr = self.field::<VMGlobal>(offsets.defined_global(i as u32));
            let value = self.eval(init, &globals);
            // SAFETY: within the defined global region.
            unsafe { (*ptr).bytes = value.to_le_bytes() };
            globals.push(ptr);
        }
        for (i, g) in globals.iter().enumerate() {
            // SAFETY: within the global pointer region.
            unsafe { *self.field::<*mut VMGlobal>(offsets.global_ptr(i as u32)) = *g };
        }
        globals
    }

    /// Sets every element of each defined table that has an initializer expression to its
    /// value.
    fn init_table_elements(&mut self, globals: &[*mut VMGlobal]) {
        let module = self.module.clone();
        let num_imported = module.meta.num_imported_tables() as usize;
        for (i, init) in module.meta.table_inits.iter().enumerate() {
            if let Some(init) = init {
                let value = self.eval(init, globals) as u64;
                // SAFETY: defined tables are owned by this instance.
                let table = unsafe { &mut *self.tables[num_imported + i] };
                table.elements_mut().fill(value);
            }
        }
    }

    /// Writes the active element segments in order, then drops them (and declared ones). A
    /// segment out of bounds traps, with the writes of earlier segments kept.
    fn init_elem_segments(&mut self, globals: &[*mut VMGlobal]) -> Result<(), InstantiateError> {
        let module = self.module.clone();
        for (i, seg) in module.meta.elems.iter().enumerate() {
            match &seg.mode {
                SegmentMode::Active { index, offset } => {
                    // An i32 offset is zero-extended, as an i64 one is already.
                    let start = self.eval(offset, globals) as u64;
                    let len = seg.items.len() as u32;
                    if self.table_init_raw(*index, i as u32, start, 0, len, globals) {
                        return Err(InstantiateError::Trap(TrapCode::TableOutOfBounds.into()));
                    }
                    self.dropped_elems[i] = true;
                }
                SegmentMode::Declared => self.dropped_elems[i] = true,
                SegmentMode::Passive => {}
            }
        }
        Ok(())
    }

    /// Writes the active data segments in order, then drops them. A segment out of bounds
    /// traps, with the writes of earlier segments (and all element segments) kept.
    fn init_data_segments(&mut self, globals: &[*mut VMGlobal]) -> Result<(), InstantiateError> {
        let module = self.module.clone();
        for (i, seg) in module.meta.datas.iter().enumerate() {
            if let SegmentMode::Active { index, offset } = &seg.mode {
                // An i32 offset is zero-extended, as an i64 one is already.
                let start = self.eval(offset, globals) as u64;
                if self.memory_init(*index, i as u32, start, 0, seg.len) {
                    return Err(InstantiateError::Trap(TrapCode::MemoryOutOfBounds.into()));
                }
                self.dropped_datas[i] = true;
            }
        }
        Ok(())
    }

    /// Calls the start function, if the module has one.
    fn run_start(&self) -> Result<(), InstantiateError> {
        let m = &self.module.meta;
        let Some(start) = m.start else {
            return Ok(());
        };
        self.enter();
        // The start function need not escape: call it through a funcref on the stack.
        let fr = self.func_ref_of(start);
        let type_index = m.funcs[start as usize];
        let f = Func {
            func_ref: &fr,
            ty: m.types[type_index as usize].clone(),
            trampoline: self.module.trampoline(type_index),
        };
        call_func(&f, &[]).map_err(InstantiateError::Trap)?;
        Ok(())
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

    /// Calls `f`, a function of this instance, with `args`, returning its results or the trap
    /// that ended it.
    pub fn call(&self, f: &Func, args: &[ValRaw]) -> Result<Vec<ValRaw>, Trap> {
        self.enter();
        call_func(f, args)
    }

    /// Prepares the calling thread to run this instance's code: points its gs segment at
    /// memory 0 when the code addresses memory 0 there. Threads and instances each set it
    /// before running wasm code; memory 0's base never moves in that mode (guard pages).
    fn enter(&self) {
        if self.module.memory0_in_gs() {
            let memory = self
                .memory(0)
                .expect("a module in the gs mode has a memory 0");
            set_gs_base(memory.base());
        }
    }

    /// The export called `name`.
    pub fn export(&self, name: &str) -> Option<Extern> {
        let e = self.module.meta.exports.iter().find(|e| e.name == name)?;
        Some(match e.kind {
            ExternKind::Func => Extern::Func(self.func(e.index)),
            ExternKind::Table => Extern::Table(self.tables[e.index as usize]),
            ExternKind::Memory => Extern::Memory(self.memories[e.index as usize]),
            // SAFETY: within the tag pointer region.
            ExternKind::Tag => Extern::Tag(unsafe {
                *self.field::<*const VMTag>(self.module.offsets.tag_ptr(e.index))
            }),
            ExternKind::Global => {
                // SAFETY: within the global pointer region.
                let ptr = unsafe {
                    *self.field::<*mut VMGlobal>(self.module.offsets.global_ptr(e.index))
                };
                Extern::Global(Global {
                    ptr,
                    ty: self
                        .module
                        .canonical_global(self.module.meta.globals[e.index as usize]),
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
        dst: u64,
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
        let (src, len) = (u64::from(src), u64::from(len));
        if src + len > u64::from(seg_len) || !in_bounds(dst, len, memory.byte_len() as u64) {
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
        dst: u64,
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
        let (src, len) = (u64::from(src), u64::from(len));
        // SAFETY: tables outlive the instance.
        let t = unsafe { &mut *self.tables[table as usize] };
        if src + len > seg_len || !in_bounds(dst, len, t.len()) {
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
        dst: u64,
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

/// Another strong reference to the shared memory at `mem`.
///
/// # Safety
/// `mem` must be a live shared memory, which [`LinearMemory::new_shared`] created in an `Arc`.
unsafe fn retain_shared(mem: *mut LinearMemory) -> Arc<LinearMemory> {
    // SAFETY: per the contract, `mem` is the pointer of a live `Arc`.
    unsafe {
        Arc::increment_strong_count(mem.cast_const());
        Arc::from_raw(mem.cast_const())
    }
}

/// Sets the calling thread's gs segment base (`arch_prctl(ARCH_SET_GS)`; musl and Rust leave gs
/// alone on x86-64 Linux, whose thread pointer is fs).
fn set_gs_base(base: *mut u8) {
    const ARCH_SET_GS: libc::c_long = 0x1001;
    // SAFETY: changes only this thread's gs base, which nothing but compiled wasm code uses.
    let r = unsafe { libc::syscall(libc::SYS_arch_prctl, ARCH_SET_GS, base) };
    assert_eq!(r, 0, "arch_prctl(ARCH_SET_GS) failed");
}

/// Calls `f` with `args` through its trampoline, catching traps. The thread must be prepared
/// for `f`'s instance ([`Instance::call`] does that).
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
