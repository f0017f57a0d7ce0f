//! The [`ModuleImage`](wasm2native_abi::ModuleImage) record and the data it points to:
//! serialized metadata, function names, data segment bytes, per-function code ranges, trap
//! tables and inlined frames, trampolines, the host functions imports are bound to, and an
//! executable's configuration.

use crate::config::{Config, OutputKind};
use crate::error::Result;
use crate::module::ModuleInfo;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};
use cranelift_object::ObjectModule;
use std::mem::offset_of;
use wasm2native_abi::meta::encode_names;
use wasm2native_abi::{
    ABI_VERSION, FUNC_INFO_SIZE, FuncInfo, IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS,
    IMAGE_FLAG_MEMORY0_GS, IMAGE_SYMBOL, InlinedFrame, ModuleImage, OptionalTable, TrapSite,
};

/// What the image records about one compiled function.
pub(super) struct FuncRecord<'a> {
    pub code_len: usize,
    pub traps: &'a [TrapSite],
    pub inlined: &'a [InlinedFrame],
    pub frameless: bool,
}

/// Defines one table holding every function's run of `(u32, u32)` records; returns it and the
/// byte offset of each function's run.
fn pair_table(
    obj: &mut ObjectModule,
    runs: impl Iterator<Item = Vec<(u32, u32)>>,
) -> Result<(DataId, Vec<usize>)> {
    let mut bytes = Vec::new();
    let mut starts = Vec::new();
    for run in runs {
        starts.push(bytes.len());
        for (a, b) in run {
            bytes.extend_from_slice(&a.to_le_bytes());
            bytes.extend_from_slice(&b.to_le_bytes());
        }
    }
    Ok((blob(obj, bytes, 8)?, starts))
}

/// Defines a read-only anonymous data object holding `bytes` (at least one byte, so that every
/// pointer in the image is valid).
fn blob(obj: &mut ObjectModule, bytes: Vec<u8>, align: u64) -> Result<DataId> {
    let id = obj.declare_anonymous_data(false, false)?;
    let mut desc = DataDescription::new();
    let mut bytes = bytes;
    if bytes.is_empty() {
        bytes.push(0);
    }
    desc.define(bytes.into_boxed_slice());
    desc.set_align(align);
    obj.define_data(id, &desc)?;
    Ok(id)
}

/// Defines an array of code pointers (null where `None`).
fn func_pointers(obj: &mut ObjectModule, funcs: &[Option<FuncId>]) -> Result<DataId> {
    let id = obj.declare_anonymous_data(false, false)?;
    let mut desc = DataDescription::new();
    desc.define(vec![0u8; (funcs.len() * 8).max(8)].into_boxed_slice());
    desc.set_align(8);
    for (i, f) in funcs.iter().enumerate() {
        if let Some(f) = f {
            let r = obj.declare_func_in_data(*f, &mut desc);
            desc.write_function_addr((i * 8) as u32, r);
        }
    }
    obj.define_data(id, &desc)?;
    Ok(id)
}

/// What the image records about the parts of the runtime the module's code uses.
pub(super) struct RuntimeUse {
    /// The unwind table (empty when no exception can be thrown or caught in the module).
    pub unwind: Vec<u8>,
    /// One bit per [`OptionalTable`] the module's code calls.
    pub optional_tables: u32,
}

/// Emits the module image; returns its data id (referenced by `main`).
pub(super) fn define_image(
    obj: &mut ObjectModule,
    info: &ModuleInfo<'_>,
    config: &Config,
    callees: &[Option<FuncId>],
    code: &[FuncRecord<'_>],
    trampolines: &[FuncId],
    runtime: RuntimeUse,
) -> Result<DataId> {
    let meta = info.meta.encode();
    let names = encode_names(info.names.iter().map(|n| n.as_deref()));
    let exe_config = config.exe.encode();
    let host = &callees[..info.num_imported_funcs as usize];
    let tramps: Vec<_> = trampolines.iter().map(|t| Some(*t)).collect();
    // Every pointer field of the image with its length field, what it points to and how many
    // bytes or records that holds.
    let mut regions = vec![
        (
            offset_of!(ModuleImage, meta),
            offset_of!(ModuleImage, meta_len),
            meta.len(),
            blob(obj, meta, 1)?,
        ),
        (
            offset_of!(ModuleImage, names),
            offset_of!(ModuleImage, names_len),
            names.len(),
            blob(obj, names, 1)?,
        ),
        (
            offset_of!(ModuleImage, data),
            offset_of!(ModuleImage, data_len),
            info.data.len(),
            blob(obj, info.data.clone(), 16)?,
        ),
        (
            offset_of!(ModuleImage, funcs),
            offset_of!(ModuleImage, nfuncs),
            code.len(),
            func_infos(obj, info, callees, code)?,
        ),
        (
            offset_of!(ModuleImage, trampolines),
            offset_of!(ModuleImage, ntrampolines),
            tramps.len(),
            func_pointers(obj, &tramps)?,
        ),
        (
            offset_of!(ModuleImage, host_funcs),
            offset_of!(ModuleImage, nhost_funcs),
            host.len(),
            func_pointers(obj, host)?,
        ),
        (
            offset_of!(ModuleImage, exe_config),
            offset_of!(ModuleImage, exe_config_len),
            exe_config.len(),
            blob(obj, exe_config, 1)?,
        ),
    ];
    // Null in modules without exceptions, which then have exactly the data objects they had
    // before exceptions were supported.
    if !runtime.unwind.is_empty() {
        regions.push((
            offset_of!(ModuleImage, unwind),
            offset_of!(ModuleImage, unwind_len),
            runtime.unwind.len(),
            blob(obj, runtime.unwind, 4)?,
        ));
    }
    if !info.tag_names.is_empty() {
        let names = encode_names(info.tag_names.iter().map(|n| n.as_deref()));
        regions.push((
            offset_of!(ModuleImage, tag_names),
            offset_of!(ModuleImage, tag_names_len),
            names.len(),
            blob(obj, names, 1)?,
        ));
    }

    let linkage = match config.output {
        OutputKind::Executable => Linkage::Local,
        OutputKind::Embeddable => Linkage::Export,
    };
    let image_id = obj.declare_data(IMAGE_SYMBOL, linkage, false, false)?;
    let mut desc = DataDescription::new();
    let mut bytes = vec![0u8; size_of::<ModuleImage>()];
    let mut put = |at: usize, v: u64, width: usize| {
        bytes[at..at + width].copy_from_slice(&v.to_le_bytes()[..width]);
    };
    put(offset_of!(ModuleImage, abi_version), ABI_VERSION.into(), 4);
    let mut flags = match config.bounds_checks {
        crate::config::BoundsChecks::Explicit => IMAGE_FLAG_EXPLICIT_BOUNDS_CHECKS,
        crate::config::BoundsChecks::Guard => 0,
    };
    if (info.meta.memories.first()).is_some_and(|ty| config.memory_in_gs(0, ty)) {
        flags |= IMAGE_FLAG_MEMORY0_GS;
    }
    put(offset_of!(ModuleImage, flags), flags.into(), 4);
    for (pointer, len_field, len, id) in regions {
        put(len_field, len as u64, 8);
        let gv = obj.declare_data_in_data(id, &mut desc);
        desc.write_data_addr(pointer as u32, gv, 0);
    }
    // Only executables whose code calls an optional table's builtins reference the table, so
    // that the linker drops that part of the runtime from every other program. Embedders
    // supply the tables.
    let called = OptionalTable::ALL
        .into_iter()
        .filter(|t| runtime.optional_tables & (1 << *t as u32) != 0);
    if config.output == OutputKind::Executable {
        for t in called {
            let table = obj.declare_data(t.symbol(), Linkage::Import, false, false)?;
            let gv = obj.declare_data_in_data(table, &mut desc);
            let field = offset_of!(ModuleImage, optional_builtins) as u32 + t.offset();
            desc.write_data_addr(field, gv, 0);
        }
    }
    desc.define(bytes.into_boxed_slice());
    desc.set_align(8);
    obj.define_data(image_id, &desc)?;
    Ok(image_id)
}

/// Defines the [`FuncInfo`] records of the defined functions. All trap sites are in one table
/// and all inlined frames in another; each record points at its function's runs.
fn func_infos(
    obj: &mut ObjectModule,
    info: &ModuleInfo<'_>,
    callees: &[Option<FuncId>],
    code: &[FuncRecord<'_>],
) -> Result<DataId> {
    let (sites_id, site_starts) = pair_table(
        obj,
        code.iter()
            .map(|c| c.traps.iter().map(|t| (t.offset, t.code)).collect()),
    )?;
    let (inlined_id, inlined_starts) = pair_table(
        obj,
        code.iter()
            .map(|c| c.inlined.iter().map(|i| (i.offset, i.funcidx)).collect()),
    )?;

    let funcs_id = obj.declare_anonymous_data(false, false)?;
    let mut desc = DataDescription::new();
    let mut bytes = vec![0u8; (code.len() * FUNC_INFO_SIZE).max(8)];
    let sites_gv = obj.declare_data_in_data(sites_id, &mut desc);
    let inlined_gv = obj.declare_data_in_data(inlined_id, &mut desc);
    let defined = &callees[info.num_imported_funcs as usize..];
    for (i, (record, id)) in code.iter().zip(defined).enumerate() {
        let base = i * FUNC_INFO_SIZE;
        let mut put_u32 = |at: usize, v: usize| {
            bytes[base + at..base + at + 4].copy_from_slice(&(v as u32).to_le_bytes())
        };
        put_u32(offset_of!(FuncInfo, code_len), record.code_len);
        put_u32(offset_of!(FuncInfo, ntraps), record.traps.len());
        put_u32(offset_of!(FuncInfo, ninlined), record.inlined.len());
        put_u32(offset_of!(FuncInfo, frameless), record.frameless.into());
        let f = obj.declare_func_in_data(id.expect("defined function"), &mut desc);
        desc.write_function_addr((base + offset_of!(FuncInfo, code)) as u32, f);
        desc.write_data_addr(
            (base + offset_of!(FuncInfo, traps)) as u32,
            sites_gv,
            site_starts[i] as i64,
        );
        desc.write_data_addr(
            (base + offset_of!(FuncInfo, inlined)) as u32,
            inlined_gv,
            inlined_starts[i] as i64,
        );
    }
    desc.define(bytes.into_boxed_slice());
    desc.set_align(8);
    obj.define_data(funcs_id, &desc)?;
    Ok(funcs_id)
}
