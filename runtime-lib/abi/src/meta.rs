//! Module metadata: what the runtime needs to know about a compiled module to instantiate it
//! (types, imports, exports, tables, memories, globals, segments, start function).
//!
//! The compiler serializes a [`ModuleMeta`] into the object with [`ModuleMeta::encode`]; the
//! runtime decodes it once at start-up (the format: [`crate::codec`]).

use crate::codec::{self, Codec, DecodeError, Reader, Writer, enum_codec, struct_codec};

/// What a reference points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeapType {
    /// Any function (`func`).
    Func,
    /// Any host reference (`extern`).
    Extern,
    /// Any exception (`exn`).
    Exn,
    /// The bottom of the function hierarchy: only null (`nofunc`).
    NoFunc,
    /// The bottom of the extern hierarchy (`noextern`).
    NoExtern,
    /// The bottom of the exception hierarchy (`noexn`).
    NoExn,
    /// Functions of one function type: a type index of the module in [`ModuleMeta`]; a
    /// canonical type id where the runtime compares types across modules.
    Concrete(u32),
}

/// A reference type: `(ref null? heap)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RefType {
    pub nullable: bool,
    pub heap: HeapType,
}

/// A WebAssembly value type. Every reference is a pointer at run time (0 = null): a
/// `VMFuncRef` for functions, the host's value for externs, the runtime's exception object for
/// exceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
    V128,
    Ref(RefType),
}

impl ValType {
    /// `funcref`: `(ref null func)`.
    pub const FUNCREF: ValType = ValType::nullable(HeapType::Func);
    /// `externref`: `(ref null extern)`.
    pub const EXTERNREF: ValType = ValType::nullable(HeapType::Extern);
    /// `exnref`: `(ref null exn)`.
    pub const EXNREF: ValType = ValType::nullable(HeapType::Exn);

    const fn nullable(heap: HeapType) -> ValType {
        ValType::Ref(RefType {
            nullable: true,
            heap,
        })
    }

    pub fn is_ref(self) -> bool {
        matches!(self, ValType::Ref(_))
    }
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

/// A type's place in the type section (WebAssembly 3.0): its recursion group and declared
/// supertype. Two types are the same when their whole recursion groups are structurally
/// identical at the same position; `call_indirect` and imports accept declared subtypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TypeDecl {
    /// Index of the first type of its recursion group.
    pub rec_group: u32,
    /// The declared supertype's index (`sub $super`).
    pub supertype: Option<u32>,
    /// No subtypes may be declared (`sub final`, and every type written without `sub`).
    pub is_final: bool,
}

/// Size limits of a table (elements) or memory (pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub min: u64,
    pub max: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableType {
    pub elem: ValType,
    pub limits: Limits,
    /// Indexed by `i64` (table64) rather than `i32`.
    pub table64: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryType {
    /// In 64 KiB pages.
    pub limits: Limits,
    pub memory64: bool,
    pub shared: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalType {
    pub ty: ValType,
    pub mutable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternKind {
    Func,
    Table,
    Memory,
    Global,
    Tag,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportKind {
    /// A function of the given type index.
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
    /// An exception tag of the given (function) type index.
    Tag(u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub kind: ImportKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub kind: ExternKind,
    pub index: u32,
}

/// One instruction of a constant expression, evaluated on a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstOp {
    I32Const(i32),
    I64Const(i64),
    F32Const(u32),
    F64Const(u64),
    V128Const(u128),
    GlobalGet(u32),
    RefNull,
    RefFunc(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

/// A constant expression (global initializers, segment offsets, element items).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConstExpr(pub Vec<ConstOp>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentMode {
    Passive,
    /// Copied into table/memory `index` at `offset` when the module is instantiated.
    Active {
        index: u32,
        offset: ConstExpr,
    },
    /// Element segments only: declares functions for `ref.func`, dropped at instantiation.
    Declared,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElemSegment {
    pub mode: SegmentMode,
    pub elem: ValType,
    pub items: Vec<ConstExpr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataSegment {
    pub mode: SegmentMode,
    /// Range of [`crate::ModuleImage::data`] holding the bytes.
    pub data_offset: u32,
    pub len: u32,
}

/// Everything the runtime needs to instantiate a compiled module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleMeta {
    pub types: Vec<FuncType>,
    /// Recursion group and supertype of every type.
    pub type_decls: Vec<TypeDecl>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    /// Every table, imported ones first.
    pub tables: Vec<TableType>,
    /// Initial element of each defined table (`(table n t (init))`); null when `None`.
    pub table_inits: Vec<Option<ConstExpr>>,
    pub memories: Vec<MemoryType>,
    pub globals: Vec<GlobalType>,
    /// Initializers of the defined globals.
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
    /// Function index held by each [`crate::VMFuncRef`] slot of the VM context.
    pub func_refs: Vec<u32>,
    /// Type index of every exception tag, imported ones first.
    pub tags: Vec<u32>,
}

impl ModuleMeta {
    fn count_imports(&self, f: impl Fn(&ImportKind) -> bool) -> u32 {
        self.imports.iter().filter(|i| f(&i.kind)).count() as u32
    }

    pub fn num_imported_funcs(&self) -> u32 {
        self.count_imports(|k| matches!(k, ImportKind::Func(_)))
    }
    pub fn num_imported_tables(&self) -> u32 {
        self.count_imports(|k| matches!(k, ImportKind::Table(_)))
    }
    pub fn num_imported_memories(&self) -> u32 {
        self.count_imports(|k| matches!(k, ImportKind::Memory(_)))
    }
    pub fn num_imported_globals(&self) -> u32 {
        self.count_imports(|k| matches!(k, ImportKind::Global(_)))
    }
    pub fn num_imported_tags(&self) -> u32 {
        self.count_imports(|k| matches!(k, ImportKind::Tag(_)))
    }

    /// The record counts that lay out this module's VM context.
    pub fn vm_counts(&self) -> crate::VMCounts {
        crate::VMCounts {
            types: self.types.len() as u32,
            imported_funcs: self.num_imported_funcs(),
            memories: self.memories.len() as u32,
            defined_memories: self.memories.len() as u32 - self.num_imported_memories(),
            tables: self.tables.len() as u32,
            defined_tables: self.tables.len() as u32 - self.num_imported_tables(),
            globals: self.globals.len() as u32,
            defined_globals: self.globals.len() as u32 - self.num_imported_globals(),
            func_refs: self.func_refs.len() as u32,
            tags: self.tags.len() as u32,
            defined_tags: self.tags.len() as u32 - self.num_imported_tags(),
        }
    }

    /// Serializes for embedding in the object.
    pub fn encode(&self) -> Vec<u8> {
        codec::encode(self)
    }

    /// Reads what [`ModuleMeta::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Result<ModuleMeta, DecodeError> {
        codec::decode(bytes)
    }
}

struct_codec!(FuncType { params, results });
struct_codec!(TypeDecl {
    rec_group,
    supertype,
    is_final
});
struct_codec!(RefType { nullable, heap });
struct_codec!(Limits { min, max });
struct_codec!(TableType {
    elem,
    limits,
    table64
});
struct_codec!(MemoryType {
    limits,
    memory64,
    shared
});
struct_codec!(GlobalType { ty, mutable });
struct_codec!(Import { module, name, kind });
struct_codec!(Export { name, kind, index });
struct_codec!(ElemSegment { mode, elem, items });
struct_codec!(DataSegment {
    mode,
    data_offset,
    len
});
struct_codec!(ModuleMeta {
    types,
    type_decls,
    imports,
    funcs,
    tables,
    table_inits,
    memories,
    globals,
    global_inits,
    exports,
    start,
    elems,
    datas,
    func_refs,
    tags
});

impl Codec for ConstExpr {
    fn put(&self, w: &mut Writer) {
        self.0.put(w)
    }
    fn get(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ConstExpr(Codec::get(r)?))
    }
}

enum_codec!(HeapType {
    0 => Func,
    1 => Extern,
    2 => Exn,
    3 => NoFunc,
    4 => NoExtern,
    5 => NoExn,
    6 => Concrete(index),
});
enum_codec!(ValType {
    0 => I32,
    1 => I64,
    2 => F32,
    3 => F64,
    4 => V128,
    5 => Ref(ty),
});
enum_codec!(ExternKind {
    0 => Func,
    1 => Table,
    2 => Memory,
    3 => Global,
    4 => Tag,
});
enum_codec!(ImportKind {
    0 => Func(ty),
    1 => Table(ty),
    2 => Memory(ty),
    3 => Global(ty),
    4 => Tag(ty),
});
enum_codec!(SegmentMode {
    0 => Passive,
    1 => Active { index, offset },
    2 => Declared,
});
enum_codec!(ConstOp {
    0 => I32Const(value),
    1 => I64Const(value),
    2 => F32Const(bits),
    3 => F64Const(bits),
    4 => V128Const(bits),
    5 => GlobalGet(index),
    6 => RefNull,
    7 => RefFunc(index),
    8 => I32Add,
    9 => I32Sub,
    10 => I32Mul,
    11 => I64Add,
    12 => I64Sub,
    13 => I64Mul,
});

/// The name of index `idx` in a names blob of a [`crate::ModuleImage`] (function or tag
/// names), read without allocating so that a trap handler can use it.
pub fn name_at(names: &[u8], idx_wanted: u32) -> Option<&[u8]> {
    let mut r = Reader {
        bytes: names,
        pos: 0,
    };
    let mut idx = 0u32;
    while r.pos < names.len() {
        let len = r.uleb().ok()? as usize;
        let start = r.pos;
        let end = start.checked_add(len)?;
        if end > names.len() {
            return None;
        }
        r.pos = end;
        if idx == idx_wanted {
            return (len > 0).then(|| &names[start..end]);
        }
        idx += 1;
    }
    None
}

/// Builds the names blob read by [`name_at`].
pub fn encode_names<'a>(names: impl IntoIterator<Item = Option<&'a str>>) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    for name in names {
        let bytes = name.unwrap_or("").as_bytes();
        w.uleb(bytes.len() as u64);
        w.0.extend_from_slice(bytes);
    }
    w.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_round_trips() {
        let meta = ModuleMeta {
            types: vec![FuncType {
                params: vec![ValType::I32, ValType::F64],
                results: vec![ValType::EXTERNREF],
            }],
            imports: vec![Import {
                module: "wasi_snapshot_preview1".into(),
                name: "fd_write".into(),
                kind: ImportKind::Func(0),
            }],
            type_decls: vec![TypeDecl {
                rec_group: 0,
                supertype: None,
                is_final: true,
            }],
            funcs: vec![0, 0],
            tables: vec![TableType {
                elem: ValType::FUNCREF,
                limits: Limits {
                    min: 1,
                    max: Some(u32::MAX as u64),
                },
                table64: false,
            }],
            table_inits: vec![Some(ConstExpr(vec![ConstOp::RefFunc(1)]))],
            memories: vec![
                MemoryType {
                    limits: Limits { min: 2, max: None },
                    memory64: false,
                    shared: false,
                },
                MemoryType {
                    limits: Limits {
                        min: 1,
                        max: Some(4),
                    },
                    memory64: false,
                    shared: true,
                },
            ],
            globals: vec![GlobalType {
                ty: ValType::I64,
                mutable: true,
            }],
            global_inits: vec![ConstExpr(vec![
                ConstOp::I64Const(-5),
                ConstOp::I64Const(i64::MIN),
                ConstOp::I64Add,
            ])],
            exports: vec![Export {
                name: "_start".into(),
                kind: ExternKind::Func,
                index: 1,
            }],
            start: Some(1),
            elems: vec![ElemSegment {
                mode: SegmentMode::Active {
                    index: 0,
                    offset: ConstExpr(vec![ConstOp::I32Const(-1)]),
                },
                elem: ValType::FUNCREF,
                items: vec![
                    ConstExpr(vec![ConstOp::RefFunc(1)]),
                    ConstExpr(vec![ConstOp::RefNull]),
                ],
            }],
            datas: vec![DataSegment {
                mode: SegmentMode::Passive,
                data_offset: 3,
                len: 9,
            }],
            func_refs: vec![1],
            tags: vec![0],
        };
        let bytes = meta.encode();
        assert_eq!(ModuleMeta::decode(&bytes), Ok(meta));
        assert!(ModuleMeta::decode(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn v128_and_extremes_round_trip() {
        let e = ConstExpr(vec![
            ConstOp::V128Const(u128::MAX),
            ConstOp::F64Const(u64::MAX),
            ConstOp::I32Const(i32::MIN),
        ]);
        let mut w = Writer(Vec::new());
        e.put(&mut w);
        let mut r = Reader {
            bytes: &w.0,
            pos: 0,
        };
        assert_eq!(ConstExpr::get(&mut r), Ok(e));
    }

    #[test]
    fn names_blob() {
        let blob = encode_names([Some("main"), None, Some("fac")]);
        assert_eq!(name_at(&blob, 0), Some(&b"main"[..]));
        assert_eq!(name_at(&blob, 1), None);
        assert_eq!(name_at(&blob, 2), Some(&b"fac"[..]));
        assert_eq!(name_at(&blob, 3), None);
    }
}
