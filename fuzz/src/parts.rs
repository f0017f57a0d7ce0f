//! A core module taken apart into wasm-encoder sections (function indices shifted to make room
//! for added imports), so that items can be appended before it is encoded again.

use anyhow::{Context, Result, bail};
use wasm_encoder::reencode::{self, Reencode, RoundtripReencoder};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, ElementSection, ExportKind, ExportSection,
    FunctionSection, GlobalSection, ImportSection, Instruction, MemorySection, MemoryType, Module,
    StartSection, TableSection, TagSection, TypeSection, ValType,
};
use wasmparser::{ExternalKind, Operator, Parser, Payload, TypeRef};

/// What the wrapper needs to know about a module: its types and index spaces.
#[derive(Debug, Default, Clone)]
pub struct Info {
    /// Function types, by type index (wasm 2.0 has no other kind of type).
    pub types: Vec<wasmparser::FuncType>,
    /// The type index of every function, imported ones first.
    pub func_types: Vec<u32>,
    /// How many functions are imported.
    pub imported_funcs: u32,
    /// Every global's type, imported ones first.
    pub globals: Vec<wasmparser::GlobalType>,
    /// Every table's type, imported ones first.
    pub tables: Vec<wasmparser::TableType>,
    /// How many memories (imported and defined).
    pub memories: u32,
    /// Whether memory 0 is imported.
    pub memory0_imported: bool,
    /// Exports in order: name, kind, index.
    pub exports: Vec<(String, ExternalKind, u32)>,
}

impl Info {
    /// Reads the index spaces and exports of `wasm`.
    pub fn parse(wasm: &[u8]) -> Result<Info> {
        let mut info = Info::default();
        for payload in Parser::new(0).parse_all(wasm) {
            info.add(payload?)?;
        }
        Ok(info)
    }

    fn add(&mut self, payload: Payload<'_>) -> Result<()> {
        match payload {
            Payload::TypeSection(s) => {
                for ty in s.into_iter_err_on_gc_types() {
                    self.types.push(ty?);
                }
            }
            Payload::ImportSection(s) => {
                for import in s.into_imports() {
                    self.add_import(import?.ty)?;
                }
            }
            Payload::FunctionSection(s) => {
                for ty in s {
                    self.func_types.push(ty?);
                }
            }
            Payload::TableSection(s) => {
                for t in s {
                    self.tables.push(t?.ty);
                }
            }
            Payload::MemorySection(s) => self.memories += s.count(),
            Payload::GlobalSection(s) => {
                for g in s {
                    self.globals.push(g?.ty);
                }
            }
            Payload::ExportSection(s) => {
                for e in s {
                    let e = e?;
                    self.exports.push((e.name.to_string(), e.kind, e.index));
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn add_import(&mut self, ty: TypeRef) -> Result<()> {
        match ty {
            TypeRef::Func(t) => {
                self.func_types.push(t);
                self.imported_funcs += 1;
            }
            TypeRef::Global(g) => self.globals.push(g),
            TypeRef::Table(t) => self.tables.push(t),
            TypeRef::Memory(_) => {
                self.memory0_imported |= self.memories == 0;
                self.memories += 1;
            }
            other => bail!("unsupported import kind {other:?}"),
        }
        Ok(())
    }

    /// The type of function `f`.
    pub fn func_type(&self, f: u32) -> &wasmparser::FuncType {
        &self.types[self.func_types[f as usize] as usize]
    }
}

/// Shifts the index of every defined function by `by` (imported ones keep theirs), making room
/// for `by` function imports appended to the import section; and bounds the timeout of every
/// `memory.atomic.wait32/64` to at most 65,535 ns (masked before the wait): a case runs in one
/// thread, where a wait without timeout on a shared memory holding the expected value would
/// block forever, in wasmtime too.
#[derive(Debug, Clone, Copy)]
pub struct Shift {
    /// Functions below this index are imports and keep their index.
    pub imported: u32,
    /// How far the defined functions move.
    pub by: u32,
}

impl Reencode for Shift {
    type Error = std::convert::Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, reencode::Error<Self::Error>> {
        Ok(self.apply(func))
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: wasmparser::FunctionBody<'_>,
    ) -> Result<(), reencode::Error<Self::Error>> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        while !reader.eof() {
            let op = reader.read()?;
            if let Operator::MemoryAtomicWait32 { .. } | Operator::MemoryAtomicWait64 { .. } = op {
                f.instruction(&Instruction::I64Const(0xffff));
                f.instruction(&Instruction::I64And);
            }
            f.instruction(&self.instruction(op)?);
        }
        code.function(&f);
        Ok(())
    }
}

impl Shift {
    /// The new index of function `func`.
    pub fn apply(&self, func: u32) -> u32 {
        if func < self.imported {
            func
        } else {
            func + self.by
        }
    }
}

/// The sections of a module, ready to be appended to and encoded.
#[derive(Debug, Default)]
pub struct Parts {
    /// Type section.
    pub types: TypeSection,
    /// Import section.
    pub imports: ImportSection,
    /// Function section.
    pub funcs: FunctionSection,
    /// Table section.
    pub tables: TableSection,
    /// Memory section.
    pub memories: MemorySection,
    /// Tag section (exception tags).
    pub tags: TagSection,
    /// Global section.
    pub globals: GlobalSection,
    /// Export section.
    pub exports: ExportSection,
    /// Start function.
    pub start: Option<u32>,
    /// Element section.
    pub elements: ElementSection,
    /// Data count, if the module had one.
    pub data_count: Option<u32>,
    /// Code section.
    pub code: CodeSection,
    /// Data section.
    pub data: DataSection,
}

/// How [`Parts::parse`] rewrites memories and exports on the way.
pub trait Rewrite {
    /// Replaces the type of defined memory `index` (in the memory index space).
    fn memory(&mut self, _index: u32, ty: MemoryType) -> MemoryType {
        ty
    }
    /// Replaces an export's name (it may not clash with what the caller adds).
    fn export_name(&mut self, name: &str) -> String {
        name.to_string()
    }
}

/// Keeps everything as it is.
pub struct Keep;
impl Rewrite for Keep {}

impl Parts {
    /// Re-encodes every section of `wasm` with `shift` applied; custom sections are dropped.
    pub fn parse(wasm: &[u8], shift: Shift, rewrite: &mut dyn Rewrite) -> Result<Parts> {
        let mut parts = Parts::default();
        let mut sh = shift;
        let mut memories = 0;
        for payload in Parser::new(0).parse_all(wasm) {
            parts.add(payload?, &mut sh, rewrite, &mut memories)?;
        }
        Ok(parts)
    }

    fn add(
        &mut self,
        payload: Payload<'_>,
        sh: &mut Shift,
        rw: &mut dyn Rewrite,
        memories: &mut u32,
    ) -> Result<()> {
        let err = |e: reencode::Error<std::convert::Infallible>| anyhow::anyhow!("{e}");
        match payload {
            Payload::TypeSection(s) => sh.parse_type_section(&mut self.types, s).map_err(err)?,
            Payload::ImportSection(s) => {
                for import in s.clone().into_imports() {
                    if let TypeRef::Memory(_) = import?.ty {
                        *memories += 1;
                    }
                }
                sh.parse_import_section(&mut self.imports, s).map_err(err)?
            }
            Payload::FunctionSection(s) => {
                sh.parse_function_section(&mut self.funcs, s).map_err(err)?
            }
            Payload::TableSection(s) => sh.parse_table_section(&mut self.tables, s).map_err(err)?,
            Payload::MemorySection(s) => {
                for m in s {
                    let ty = RoundtripReencoder
                        .memory_type(m?)
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    self.memories.memory(rw.memory(*memories, ty));
                    *memories += 1;
                }
            }
            Payload::TagSection(s) => sh.parse_tag_section(&mut self.tags, s).map_err(err)?,
            Payload::GlobalSection(s) => {
                sh.parse_global_section(&mut self.globals, s).map_err(err)?
            }
            Payload::ExportSection(s) => {
                for e in s {
                    let e = e?;
                    let kind = ExportKind::from(e.kind);
                    let index = match e.kind {
                        ExternalKind::Func => sh.apply(e.index),
                        _ => e.index,
                    };
                    self.exports.export(&rw.export_name(e.name), kind, index);
                }
            }
            Payload::StartSection { func, .. } => self.start = Some(sh.apply(func)),
            Payload::ElementSection(s) => sh
                .parse_element_section(&mut self.elements, s)
                .map_err(err)?,
            Payload::DataCountSection { count, .. } => self.data_count = Some(count),
            Payload::CodeSectionStart { .. } | Payload::Version { .. } | Payload::End(_) => {}
            Payload::CodeSectionEntry(body) => {
                sh.parse_function_body(&mut self.code, body).map_err(err)?
            }
            Payload::DataSection(s) => sh.parse_data_section(&mut self.data, s).map_err(err)?,
            Payload::CustomSection(_) => {}
            other => bail!("unsupported section {other:?}"),
        }
        Ok(())
    }

    /// Encodes the sections in their required order.
    pub fn finish(&self) -> Vec<u8> {
        let mut m = Module::new();
        m.section(&self.types)
            .section(&self.imports)
            .section(&self.funcs)
            .section(&self.tables)
            .section(&self.memories);
        // Only when there are tags: an empty tag section would need exception handling.
        if !self.tags.is_empty() {
            m.section(&self.tags);
        }
        m.section(&self.globals).section(&self.exports);
        if let Some(f) = self.start {
            m.section(&StartSection { function_index: f });
        }
        m.section(&self.elements);
        if let Some(count) = self.data_count {
            m.section(&DataCountSection { count });
        }
        m.section(&self.code).section(&self.data);
        m.finish()
    }
}

/// wasm-encoder's value type for a wasmparser one.
pub fn val_type(t: wasmparser::ValType) -> Result<ValType> {
    RoundtripReencoder
        .val_type(t)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("value type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_get_a_bounded_timeout() {
        let wasm = wat::parse_str(
            "(module (memory 1 1 shared)
               (func (result i32)
                 (memory.atomic.wait64 (i32.const 0) (i64.const 0) (i64.const -1))))",
        )
        .unwrap();
        let shift = Shift { imported: 0, by: 0 };
        let out = Parts::parse(&wasm, shift, &mut Keep).unwrap().finish();
        let body = Parser::new(0)
            .parse_all(&out)
            .find_map(|p| match p.unwrap() {
                Payload::CodeSectionEntry(body) => Some(body),
                _ => None,
            })
            .unwrap();
        let ops: Vec<String> = (body.get_operators_reader().unwrap())
            .into_iter()
            .map(|op| format!("{:?}", op.unwrap()))
            .collect();
        let wait = ops.iter().position(|o| o.starts_with("MemoryAtomicWait64"));
        let wait = wait.expect("the wait is kept");
        assert_eq!(ops[wait - 2], "I64Const { value: 65535 }");
        assert_eq!(ops[wait - 1], "I64And");
        assert_eq!(ops[wait - 3], "I64Const { value: -1 }");
    }
}
