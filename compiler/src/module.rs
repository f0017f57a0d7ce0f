//! Parsing and validating a module into [`ModuleInfo`]: everything the translator and the object
//! writer need, in one pass over the binary with wasmparser's validator.

use crate::config::{Config, OutputKind, UnknownImports};
use crate::error::{Error, Result};
use crate::proposals;
use std::collections::BTreeSet;
use wasm2native_abi::meta::{
    ConstExpr, ConstOp, DataSegment, ElemSegment, Export, ExternKind, FuncType, GlobalType,
    HeapType, Import, ImportKind, Limits, MemoryType, ModuleMeta, SegmentMode, TableType, TypeDecl,
    ValType,
};
use wasm2native_abi::wasi;
use wasmparser::{
    AbstractHeapType, CompositeInnerType, ElementItems, ElementKind, ExternalKind, FunctionBody,
    KnownCustom, Name, Operator, Parser, Payload, RefType, TypeRef, UnpackedIndex, ValidPayload,
    Validator, WasmFeatures,
};

/// How an imported function is bound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportBinding {
    /// A runtime symbol (WASI) called directly.
    Host(String),
    /// No provider: a stub that traps when called (`--unknown-imports trap`).
    TrapStub,
    /// Supplied by the embedder at instantiation (embeddable output).
    Embedder,
}

/// A parsed, validated module.
pub struct ModuleInfo<'a> {
    /// What the runtime receives.
    pub meta: ModuleMeta,
    /// Concatenated data segment bytes (`meta.datas` index into it).
    pub data: Vec<u8>,
    /// Bodies of the defined functions.
    pub bodies: Vec<FunctionBody<'a>>,
    /// Name of every function from the name section.
    pub names: Vec<Option<String>>,
    /// What messages call every tag: its name in the name section, else a name it is exported
    /// under, else `module::name` of its import.
    pub tag_names: Vec<Option<String>>,
    /// `func_ref_slot[funcidx]`: the VMFuncRef slot of functions that escape.
    pub func_ref_slot: Vec<Option<u32>>,
    /// Binding of every imported function.
    pub import_bindings: Vec<ImportBinding>,
    /// Value of immutable defined globals with a constant initializer, folded into code.
    pub global_consts: Vec<Option<ConstOp>>,
    pub num_imported_funcs: u32,
    pub num_imported_tables: u32,
    pub num_imported_memories: u32,
    pub num_imported_globals: u32,
}

impl ModuleInfo<'_> {
    /// The type of function `funcidx`.
    pub fn func_type(&self, funcidx: u32) -> &FuncType {
        &self.meta.types[self.meta.funcs[funcidx as usize] as usize]
    }
}

/// The wasm features we accept: WebAssembly 2.0 (fixed-width SIMD included), exception
/// handling in both the Wasm 3.0 and the legacy encoding, tail calls, multiple memories,
/// memory64 (with table64), relaxed SIMD, typed function references, extended constant
/// expressions and threads (shared memories and atomics). The validator accepts recursion
/// groups and subtype declarations only with the GC proposal on, so it is on; the modules that
/// really use GC are refused as [`proposals::garbage_collection`].
pub fn features() -> WasmFeatures {
    WasmFeatures::WASM2
        | WasmFeatures::EXCEPTIONS
        | WasmFeatures::LEGACY_EXCEPTIONS
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::MULTI_MEMORY
        | WasmFeatures::RELAXED_SIMD
        | WasmFeatures::MEMORY64
        | WasmFeatures::FUNCTION_REFERENCES
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::THREADS
        | WasmFeatures::GC
}

pub(crate) fn val_type_at(ty: wasmparser::ValType, offset: usize) -> Result<ValType> {
    Ok(match ty {
        wasmparser::ValType::I32 => ValType::I32,
        wasmparser::ValType::I64 => ValType::I64,
        wasmparser::ValType::F32 => ValType::F32,
        wasmparser::ValType::F64 => ValType::F64,
        wasmparser::ValType::V128 => ValType::V128,
        wasmparser::ValType::Ref(r) => ref_type(r, offset)?,
    })
}

fn ref_type(r: RefType, offset: usize) -> Result<ValType> {
    let unsupported = || Error::unsupported(format!("reference type {r}"), offset);
    let heap = match r.heap_type() {
        wasmparser::HeapType::Abstract { shared: true, .. } => return Err(unsupported()),
        wasmparser::HeapType::Abstract { ty, .. } => match ty {
            AbstractHeapType::Func => HeapType::Func,
            AbstractHeapType::Extern => HeapType::Extern,
            AbstractHeapType::Exn => HeapType::Exn,
            AbstractHeapType::NoFunc => HeapType::NoFunc,
            AbstractHeapType::NoExtern => HeapType::NoExtern,
            AbstractHeapType::NoExn => HeapType::NoExn,
            _ if proposals::is_gc_heap_type(r.heap_type()) => {
                return Err(proposals::garbage_collection(&r.to_string(), offset));
            }
            _ => return Err(unsupported()),
        },
        wasmparser::HeapType::Concrete(UnpackedIndex::Module(i)) => HeapType::Concrete(i),
        _ => return Err(unsupported()),
    };
    Ok(ValType::Ref(wasm2native_abi::meta::RefType {
        nullable: r.is_nullable(),
        heap,
    }))
}

fn limits(initial: u64, maximum: Option<u64>) -> Limits {
    Limits {
        min: initial,
        max: maximum,
    }
}

fn table_type(t: &wasmparser::TableType, offset: usize) -> Result<TableType> {
    Ok(TableType {
        elem: ref_type(t.element_type, offset)?,
        limits: limits(t.initial, t.maximum),
        table64: t.table64,
    })
}

fn memory_type(m: &wasmparser::MemoryType, offset: usize) -> Result<MemoryType> {
    if m.page_size_log2.is_some() {
        return Err(Error::unsupported("custom page sizes", offset));
    }
    Ok(MemoryType {
        limits: limits(m.initial, m.maximum),
        memory64: m.memory64,
        shared: m.shared,
    })
}

fn global_type(g: &wasmparser::GlobalType, offset: usize) -> Result<GlobalType> {
    Ok(GlobalType {
        ty: val_type_at(g.content_type, offset)?,
        mutable: g.mutable,
    })
}

fn const_expr(expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
    let mut reader = expr.get_operators_reader();
    let mut ops = Vec::new();
    loop {
        let (op, offset) = reader.read_with_offset()?;
        ops.push(match op {
            Operator::I32Const { value } => ConstOp::I32Const(value),
            Operator::I64Const { value } => ConstOp::I64Const(value),
            Operator::F32Const { value } => ConstOp::F32Const(value.bits()),
            Operator::F64Const { value } => ConstOp::F64Const(value.bits()),
            Operator::V128Const { value } => {
                ConstOp::V128Const(u128::from_le_bytes(*value.bytes()))
            }
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::RefNull { .. } => ConstOp::RefNull,
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::End => break,
            other => {
                return Err(Error::unsupported(
                    format!("constant expression operator {other:?}"),
                    offset,
                ));
            }
        });
    }
    Ok(ConstExpr(ops))
}

/// Checks that 32-bit memory limits are encoded as at most 5-byte LEB128s: wasmparser reads all
/// limits as u64 and only range-checks them, but the spec requires
/// "integer representation too long" for overlong u32 encodings.
fn check_memory_section_encoding(section: &[u8], offset: usize) -> Result<()> {
    let mut r = wasmparser::BinaryReader::new(section, offset);
    for _ in 0..r.read_var_u32()? {
        let flags = r.read_u8()?;
        let memory64 = flags & 0x04 != 0;
        let limit_count = if flags & 0x01 != 0 { 2 } else { 1 };
        for _ in 0..limit_count {
            if memory64 {
                r.read_var_u64()?;
            } else {
                r.read_var_u32()?;
            }
        }
        if flags & 0x08 != 0 {
            // Custom page size exponent.
            r.read_var_u32()?;
        }
    }
    Ok(())
}

/// Parses and validates `wasm`, binding imports according to `config`.
pub fn parse<'a>(wasm: &'a [u8], config: &Config) -> Result<ModuleInfo<'a>> {
    let mut validator = Validator::new_with_features(features());
    let mut sections = Sections::default();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload?;
        let unsupported_or_invalid = |e| proposals::validation_error(wasm, features(), e);
        let valid = validator
            .payload(&payload)
            .map_err(unsupported_or_invalid)?;
        if let ValidPayload::Func(to_validate, body) = valid {
            let mut func_validator = to_validate.into_validator(Default::default());
            func_validator
                .validate(&body)
                .map_err(unsupported_or_invalid)?;
            sections.bodies.push(body);
        }
        sections.read(payload, wasm)?;
    }
    sections.into_module_info(config)
}

/// What the pass over the payloads collects, section by section.
#[derive(Default)]
struct Sections<'a> {
    meta: ModuleMeta,
    data: Vec<u8>,
    bodies: Vec<FunctionBody<'a>>,
    func_names: Vec<(u32, String)>,
    tag_names: Vec<(u32, String)>,
    /// Functions `ref.func` can name: exported, in element segments or in global initializers.
    escaping: BTreeSet<u32>,
}

impl<'a> Sections<'a> {
    /// Records one (already validated) payload.
    fn read(&mut self, payload: Payload<'a>, wasm: &'a [u8]) -> Result<()> {
        match payload {
            Payload::TypeSection(reader) => self.types(reader),
            Payload::ImportSection(reader) => self.imports(reader),
            Payload::FunctionSection(reader) => {
                for t in reader {
                    self.meta.funcs.push(t?);
                }
                Ok(())
            }
            Payload::TableSection(reader) => self.tables(reader),
            Payload::MemorySection(reader) => {
                check_memory_section_encoding(&wasm[reader.range()], reader.range().start)?;
                self.memories(reader)
            }
            Payload::TagSection(reader) => {
                for tag in reader {
                    self.meta.tags.push(tag?.func_type_idx);
                }
                Ok(())
            }
            Payload::GlobalSection(reader) => self.globals(reader),
            Payload::ExportSection(reader) => self.exports(reader),
            Payload::StartSection { func, .. } => {
                self.meta.start = Some(func);
                Ok(())
            }
            Payload::ElementSection(reader) => self.elements(reader),
            Payload::DataSection(reader) => self.datas(reader),
            Payload::CustomSection(section) => {
                self.names(&section);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn types(&mut self, reader: wasmparser::TypeSectionReader<'a>) -> Result<()> {
        for group in reader.into_iter_with_offsets() {
            let (offset, group) = group?;
            let rec_group = self.meta.types.len() as u32;
            for sub in group.into_types() {
                let ft = match &sub.composite_type.inner {
                    CompositeInnerType::Func(ft) => ft,
                    CompositeInnerType::Struct(_) => {
                        return Err(proposals::garbage_collection("struct type", offset));
                    }
                    CompositeInnerType::Array(_) => {
                        return Err(proposals::garbage_collection("array type", offset));
                    }
                    CompositeInnerType::Cont(_) => {
                        return Err(Error::unsupported("stack switching", offset));
                    }
                };
                if sub.composite_type.shared {
                    return Err(Error::unsupported(
                        "shared types (shared-everything threads)",
                        offset,
                    ));
                }
                let val_types = |types: &[wasmparser::ValType]| {
                    types
                        .iter()
                        .map(|t| val_type_at(*t, offset))
                        .collect::<Result<_>>()
                };
                self.meta.types.push(FuncType {
                    params: val_types(ft.params())?,
                    results: val_types(ft.results())?,
                });
                self.meta.type_decls.push(TypeDecl {
                    rec_group,
                    supertype: sub.supertype_idx.and_then(|s| s.as_module_index()),
                    is_final: sub.is_final,
                });
            }
        }
        Ok(())
    }

    fn imports(&mut self, reader: wasmparser::ImportSectionReader<'a>) -> Result<()> {
        let offset = reader.range().start;
        let m = &mut self.meta;
        for import in reader.into_imports() {
            let import = import?;
            let kind = match import.ty {
                TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                    m.funcs.push(t);
                    ImportKind::Func(t)
                }
                TypeRef::Table(t) => {
                    let t = table_type(&t, offset)?;
                    m.tables.push(t);
                    ImportKind::Table(t)
                }
                TypeRef::Memory(mt) => {
                    let mt = memory_type(&mt, offset)?;
                    m.memories.push(mt);
                    ImportKind::Memory(mt)
                }
                TypeRef::Global(g) => {
                    let g = global_type(&g, offset)?;
                    m.globals.push(g);
                    ImportKind::Global(g)
                }
                TypeRef::Tag(t) => {
                    m.tags.push(t.func_type_idx);
                    ImportKind::Tag(t.func_type_idx)
                }
            };
            m.imports.push(Import {
                module: import.module.to_string(),
                name: import.name.to_string(),
                kind,
            });
        }
        Ok(())
    }

    fn tables(&mut self, reader: wasmparser::TableSectionReader<'a>) -> Result<()> {
        for table in reader.into_iter_with_offsets() {
            let (offset, table) = table?;
            let init = match table.init {
                wasmparser::TableInit::RefNull => None,
                wasmparser::TableInit::Expr(e) => Some(self.const_expr(&e)?),
            };
            self.meta.tables.push(table_type(&table.ty, offset)?);
            self.meta.table_inits.push(init);
        }
        Ok(())
    }

    fn memories(&mut self, reader: wasmparser::MemorySectionReader<'a>) -> Result<()> {
        for mem in reader.into_iter_with_offsets() {
            let (offset, mem) = mem?;
            self.meta.memories.push(memory_type(&mem, offset)?);
        }
        Ok(())
    }

    fn globals(&mut self, reader: wasmparser::GlobalSectionReader<'a>) -> Result<()> {
        for global in reader.into_iter_with_offsets() {
            let (offset, global) = global?;
            self.meta.globals.push(global_type(&global.ty, offset)?);
            let init = self.const_expr(&global.init_expr)?;
            self.meta.global_inits.push(init);
        }
        Ok(())
    }

    fn exports(&mut self, reader: wasmparser::ExportSectionReader<'a>) -> Result<()> {
        for export in reader {
            let export = export?;
            let kind = match export.kind {
                ExternalKind::Func | ExternalKind::FuncExact => {
                    self.escaping.insert(export.index);
                    ExternKind::Func
                }
                ExternalKind::Table => ExternKind::Table,
                ExternalKind::Memory => ExternKind::Memory,
                ExternalKind::Global => ExternKind::Global,
                ExternalKind::Tag => ExternKind::Tag,
            };
            self.meta.exports.push(Export {
                name: export.name.to_string(),
                kind,
                index: export.index,
            });
        }
        Ok(())
    }

    fn elements(&mut self, reader: wasmparser::ElementSectionReader<'a>) -> Result<()> {
        for elem in reader {
            let elem = elem?;
            let offset = elem.range.start;
            let mode = match elem.kind {
                ElementKind::Passive => SegmentMode::Passive,
                ElementKind::Declared => SegmentMode::Declared,
                ElementKind::Active {
                    table_index,
                    offset_expr,
                } => SegmentMode::Active {
                    index: table_index.unwrap_or(0),
                    offset: self.const_expr(&offset_expr)?,
                },
            };
            let (elem_ty, items) = match elem.items {
                ElementItems::Functions(funcs) => {
                    let mut items = Vec::new();
                    for f in funcs {
                        let f = f?;
                        self.escaping.insert(f);
                        items.push(ConstExpr(vec![ConstOp::RefFunc(f)]));
                    }
                    (ValType::FUNCREF, items)
                }
                ElementItems::Expressions(ty, exprs) => {
                    let items = exprs
                        .into_iter()
                        .map(|e| self.const_expr(&e?))
                        .collect::<Result<_>>()?;
                    (ref_type(ty, offset)?, items)
                }
            };
            self.meta.elems.push(ElemSegment {
                mode,
                elem: elem_ty,
                items,
            });
        }
        Ok(())
    }

    fn datas(&mut self, reader: wasmparser::DataSectionReader<'a>) -> Result<()> {
        for seg in reader {
            let seg = seg?;
            let mode = match seg.kind {
                wasmparser::DataKind::Passive => SegmentMode::Passive,
                wasmparser::DataKind::Active {
                    memory_index,
                    offset_expr,
                } => SegmentMode::Active {
                    index: memory_index,
                    offset: self.const_expr(&offset_expr)?,
                },
            };
            self.meta.datas.push(DataSegment {
                mode,
                data_offset: self.data.len() as u32,
                len: seg.data.len() as u32,
            });
            self.data.extend_from_slice(seg.data);
        }
        Ok(())
    }

    /// Function and tag names from the name section. A malformed name section is ignored, as
    /// the spec requires of custom sections.
    fn names(&mut self, section: &wasmparser::CustomSectionReader<'a>) {
        if let KnownCustom::Name(reader) = section.as_known() {
            for name in reader.into_iter().flatten() {
                let (list, map) = match name {
                    Name::Function(map) => (&mut self.func_names, map),
                    Name::Tag(map) => (&mut self.tag_names, map),
                    _ => continue,
                };
                let named = map.into_iter().flatten();
                list.extend(named.map(|n| (n.index, n.name.to_string())));
            }
        }
    }

    /// Reads a constant expression, noting the functions it names as escaping.
    fn const_expr(&mut self, expr: &wasmparser::ConstExpr<'_>) -> Result<ConstExpr> {
        let expr = const_expr(expr)?;
        for op in &expr.0 {
            if let ConstOp::RefFunc(f) = op {
                self.escaping.insert(*f);
            }
        }
        Ok(expr)
    }

    /// The module-wide facts derived once every section is read.
    fn into_module_info(self, config: &Config) -> Result<ModuleInfo<'a>> {
        let mut m = self.meta;
        let names = function_names(m.funcs.len(), self.func_names);
        let tag_names = tag_names(&m, self.tag_names);
        let func_ref_slot = assign_func_ref_slots(&mut m, self.escaping);
        let global_consts = global_consts(&m);
        let import_bindings = bind_imports(&m, config)?;
        Ok(ModuleInfo {
            num_imported_funcs: m.num_imported_funcs(),
            num_imported_tables: m.num_imported_tables(),
            num_imported_memories: m.num_imported_memories(),
            num_imported_globals: m.num_imported_globals(),
            meta: m,
            data: self.data,
            bodies: self.bodies,
            names,
            tag_names,
            func_ref_slot,
            import_bindings,
            global_consts,
        })
    }
}

/// The name of every function index (the name section may name any subset, in any order).
fn function_names(num_funcs: usize, named: Vec<(u32, String)>) -> Vec<Option<String>> {
    let mut names = vec![None; num_funcs];
    for (idx, name) in named {
        if let Some(slot) = names.get_mut(idx as usize) {
            *slot = Some(name);
        }
    }
    names
}

/// What messages call each tag ([`ModuleInfo::tag_names`]): `named` (from the name section),
/// else an export name, else the import's `module::name`.
fn tag_names(m: &ModuleMeta, named: Vec<(u32, String)>) -> Vec<Option<String>> {
    let mut names = vec![None; m.tags.len()];
    let imports = m
        .imports
        .iter()
        .filter(|i| matches!(i.kind, ImportKind::Tag(_)));
    for (name, import) in names.iter_mut().zip(imports) {
        *name = Some(format!("{}::{}", import.module, import.name));
    }
    for e in m.exports.iter().filter(|e| e.kind == ExternKind::Tag) {
        names[e.index as usize] = Some(e.name.clone());
    }
    for (idx, name) in named {
        if let Some(slot) = names.get_mut(idx as usize) {
            *slot = Some(name);
        }
    }
    names
}

/// Gives every escaping function a `VMFuncRef` slot, in function index order; returns the slot
/// of each function index.
fn assign_func_ref_slots(m: &mut ModuleMeta, escaping: BTreeSet<u32>) -> Vec<Option<u32>> {
    let mut func_ref_slot = vec![None; m.funcs.len()];
    for f in escaping {
        func_ref_slot[f as usize] = Some(m.func_refs.len() as u32);
        m.func_refs.push(f);
    }
    func_ref_slot
}

/// The value of every immutable defined global whose initializer is a single constant.
fn global_consts(m: &ModuleMeta) -> Vec<Option<ConstOp>> {
    let num_imported = m.num_imported_globals() as usize;
    (0..m.globals.len())
        .map(|g| {
            let defined = g.checked_sub(num_imported)?;
            if m.globals[g].mutable {
                return None;
            }
            match m.global_inits[defined].0.as_slice() {
                [
                    op @ (ConstOp::I32Const(_)
                    | ConstOp::I64Const(_)
                    | ConstOp::F32Const(_)
                    | ConstOp::F64Const(_)
                    | ConstOp::V128Const(_)),
                ] => Some(*op),
                _ => None,
            }
        })
        .collect()
}

fn type_string(params: &[ValType], results: &[ValType]) -> String {
    let list = |ts: &[ValType]| {
        ts.iter()
            .map(|t| format!("{t:?}").to_lowercase())
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("(func (param {}) (result {}))", list(params), list(results))
}

/// Decides how each imported function is provided. Of the other imports an executable may only
/// have shared memories, which the runtime creates (as wasmtime does for wasi-threads); anything
/// else is unknown (nothing but WASI functions exists on the host side).
fn bind_imports(m: &ModuleMeta, config: &Config) -> Result<Vec<ImportBinding>> {
    let mut bindings = Vec::new();
    let mut unknown = Vec::new();
    for import in &m.imports {
        let name = format!("{}::{}", import.module, import.name);
        match (&import.kind, config.output) {
            (ImportKind::Func(_), OutputKind::Embeddable) => bindings.push(ImportBinding::Embedder),
            (ImportKind::Func(t), OutputKind::Executable) => {
                match wasi::lookup(&import.module, &import.name) {
                    Some((func, symbol)) => {
                        let ty = &m.types[*t as usize];
                        if ty.params != func.params || ty.results != func.results {
                            return Err(Error::ImportTypeMismatch {
                                name,
                                found: type_string(&ty.params, &ty.results),
                                expected: type_string(func.params, func.results),
                            });
                        }
                        bindings.push(ImportBinding::Host(symbol));
                    }
                    None if config.unknown_imports == UnknownImports::Trap => {
                        bindings.push(ImportBinding::TrapStub)
                    }
                    None => unknown.push(name),
                }
            }
            (_, OutputKind::Embeddable) => {}
            // Created by the runtime from its type (wasi-threads programs import their memory).
            (ImportKind::Memory(mt), OutputKind::Executable) if mt.shared => {}
            (_, OutputKind::Executable) => unknown.push(name),
        }
    }
    if !unknown.is_empty() {
        return Err(Error::UnknownImports(unknown));
    }
    Ok(bindings)
}

/// Names for the symbols of all functions: the name-section name when it is unique, otherwise
/// made unique with the function index; `wasm-function[N]` when there is none.
pub fn symbol_names(names: &[Option<String>], reserved: &BTreeSet<String>) -> Vec<String> {
    let mut used = reserved.clone();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let base = match name {
                Some(n) if !n.is_empty() && !n.contains('\0') => n.clone(),
                _ => format!("wasm-function[{i}]"),
            };
            let name = if used.contains(&base) {
                format!("{base}#{i}")
            } else {
                base
            };
            used.insert(name.clone());
            name
        })
        .collect()
}
