//! Canonical type identity, shared by all modules of the process (WebAssembly 3.0 type
//! equivalence): two function types are the same when their recursion groups are structurally
//! identical, with references to earlier types compared by those types' canonical ids, and sit
//! at the same position in them. Each type gets a process-wide id (never 0), which
//! `call_indirect` compares and which imports are checked with; declared supertypes make
//! [`is_subtype`] a walk up a chain of ids.

use crate::abi::meta::{FuncType, HeapType, ModuleMeta, RefType, TypeDecl, ValType};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A recursion group in canonical form: its types with every concrete reference rewritten,
/// one inside the group to its position there, one outside to `group length + k` where `k` is
/// the reference's place in the list of outside canonical ids (the key's second part).
type GroupKey = (Vec<(FuncType, Option<u32>, bool)>, Vec<u32>);

#[derive(Default)]
struct Registry {
    /// First canonical id of every group seen; its types have consecutive ids. (A B-tree: no
    /// hasher to seed and no hash table code in every executable, for the few groups a module
    /// has.)
    groups: BTreeMap<GroupKey, u32>,
    /// The supertype's canonical id of every canonical id (index `id - 1`).
    supertypes: Vec<Option<u32>>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    let mut registry = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    f(registry.get_or_insert_with(Registry::default))
}

impl Registry {
    /// The canonical ids of the group `types[start..end]` of `meta`, whose earlier types have
    /// the ids `ids`.
    fn intern_group(&mut self, meta: &ModuleMeta, start: usize, end: usize, ids: &[u32]) -> u32 {
        let len = (end - start) as u32;
        let mut outside = Vec::new();
        let mut rewrite = |index: u32| -> u32 {
            if index as usize >= start {
                return index - start as u32;
            }
            let id = ids[index as usize];
            let k = outside.iter().position(|&o| o == id).unwrap_or_else(|| {
                outside.push(id);
                outside.len() - 1
            });
            len + k as u32
        };
        let types = (start..end)
            .map(|i| {
                let decl = meta.type_decls.get(i).copied().unwrap_or(FINAL);
                let ty = map_concrete(&meta.types[i], &mut rewrite);
                (ty, decl.supertype.map(&mut rewrite), decl.is_final)
            })
            .collect();
        let key = (types, outside);
        if let Some(&first) = self.groups.get(&key) {
            return first;
        }
        let first = self.supertypes.len() as u32 + 1;
        for (_, supertype, _) in &key.0 {
            // A supertype inside the group is at `first + position`, outside at its own id.
            let canonical = supertype.map(|s| {
                if s < len {
                    first + s
                } else {
                    key.1[(s - len) as usize]
                }
            });
            self.supertypes.push(canonical);
        }
        self.groups.insert(key, first);
        first
    }

    fn is_subtype(&self, mut actual: u32, expected: u32) -> bool {
        loop {
            if actual == expected {
                return true;
            }
            let supertype = actual
                .checked_sub(1)
                .map(|i| self.supertypes.get(i as usize));
            match supertype.flatten().copied().flatten() {
                Some(s) => actual = s,
                None => return false,
            }
        }
    }
}

/// A type written without `sub`: final, no supertype, alone in its group.
const FINAL: TypeDecl = TypeDecl {
    rec_group: 0,
    supertype: None,
    is_final: true,
};

/// `ty` with the index of every concrete reference mapped by `f`.
fn map_concrete(ty: &FuncType, mut f: impl FnMut(u32) -> u32) -> FuncType {
    let mut map = |t: &ValType| match *t {
        ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(i),
        }) => ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(f(i)),
        }),
        other => other,
    };
    FuncType {
        params: ty.params.iter().map(&mut map).collect(),
        results: ty.results.iter().map(&mut map).collect(),
    }
}

/// The canonical id of every type of `meta`.
pub fn canonical_type_ids(meta: &ModuleMeta) -> Vec<u32> {
    with_registry(|r| {
        let mut ids = Vec::with_capacity(meta.types.len());
        let mut start = 0;
        while start < meta.types.len() {
            let end = (start + 1..meta.types.len())
                .find(|&i| {
                    meta.type_decls
                        .get(i)
                        .is_none_or(|d| d.rec_group as usize != start)
                })
                .unwrap_or(meta.types.len());
            let first = r.intern_group(meta, start, end, &ids);
            ids.extend((0..(end - start) as u32).map(|k| first + k));
            start = end;
        }
        ids
    })
}

/// The canonical id of a final function type alone in its group and without concrete
/// references (a host function's type).
pub fn canonical_type_id(ty: &FuncType) -> u32 {
    let meta = ModuleMeta {
        types: vec![ty.clone()],
        ..ModuleMeta::default()
    };
    canonical_type_ids(&meta)[0]
}

/// Whether canonical type `actual` is `expected` or declares it as a (transitive) supertype.
pub fn is_subtype(actual: u32, expected: u32) -> bool {
    // Equal ids, the common case, need no lock.
    actual == expected || with_registry(|r| r.is_subtype(actual, expected))
}

/// `ty` with concrete references as canonical ids (`ids` of the module it comes from), so
/// that it compares across modules.
pub fn canonical_val_type(ty: ValType, ids: &[u32]) -> ValType {
    match ty {
        ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(i),
        }) => ValType::Ref(RefType {
            nullable,
            heap: HeapType::Concrete(ids[i as usize]),
        }),
        other => other,
    }
}

/// Whether a value of canonical type `actual` is a value of canonical type `expected`.
pub fn val_type_matches(actual: ValType, expected: ValType) -> bool {
    match (actual, expected) {
        (ValType::Ref(a), ValType::Ref(b)) => {
            (!a.nullable || b.nullable) && heap_type_matches(a.heap, b.heap)
        }
        (a, b) => a == b,
    }
}

fn heap_type_matches(actual: HeapType, expected: HeapType) -> bool {
    use HeapType::*;
    match (actual, expected) {
        (Concrete(a), Concrete(b)) => is_subtype(a, b),
        (NoFunc, Func | Concrete(_)) | (Concrete(_), Func) => true,
        (NoExtern, Extern) | (NoExn, Exn) => true,
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concrete(i: u32) -> ValType {
        ValType::Ref(RefType {
            nullable: true,
            heap: HeapType::Concrete(i),
        })
    }

    /// A module whose types are `groups` (each a list of function types taking one reference
    /// to the given type index).
    fn module(groups: &[&[(u32, Option<u32>)]]) -> ModuleMeta {
        let mut meta = ModuleMeta::default();
        for group in groups {
            let start = meta.types.len() as u32;
            for (param, supertype) in group.iter() {
                meta.types.push(FuncType {
                    params: vec![concrete(*param)],
                    results: vec![],
                });
                meta.type_decls.push(TypeDecl {
                    rec_group: start,
                    supertype: *supertype,
                    is_final: false,
                });
            }
        }
        meta
    }

    #[test]
    fn identical_groups_are_equal_across_modules() {
        let a = canonical_type_ids(&module(&[&[(1, None), (0, None)]]));
        let b = canonical_type_ids(&module(&[&[(1, None), (0, None)]]));
        assert_eq!(a, b);
        assert_ne!(a[0], a[1]);
    }

    #[test]
    fn same_structure_in_different_groups_differs() {
        let ids = canonical_type_ids(&module(&[&[(0, None)], &[(1, None)], &[(0, None)]]));
        // Type 1 refers to itself like type 0 does, but in its own group: the same type.
        assert_eq!(ids[0], ids[1]);
        // Type 2 refers to type 0, outside its group: a different type.
        assert_ne!(ids[0], ids[2]);
    }

    #[test]
    fn declared_subtypes_match() {
        let ids = canonical_type_ids(&module(&[&[(0, None)], &[(0, Some(0))]]));
        assert!(is_subtype(ids[1], ids[0]));
        assert!(!is_subtype(ids[0], ids[1]));
        assert!(val_type_matches(
            canonical_val_type(concrete(1), &ids),
            canonical_val_type(concrete(0), &ids)
        ));
        assert!(val_type_matches(
            canonical_val_type(concrete(1), &ids),
            ValType::FUNCREF
        ));
        assert!(!val_type_matches(
            ValType::FUNCREF,
            canonical_val_type(concrete(0), &ids)
        ));
    }
}
