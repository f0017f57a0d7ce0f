//! Tables of references. Elements are words: a funcref is a `*const VMFuncRef` (0 = null), an
//! externref an opaque host word (0 = null). Compiled code reads base and length through the
//! [`VMTable`] record, which is updated when the table grows (its storage may move).

use crate::abi::VMTable;
use crate::abi::meta::{TableType, ValType};

/// Growth beyond this many elements fails, as allocation would in any real host.
pub const MAX_TABLE_ELEMENTS: u64 = 1 << 26;

/// A table and the record compiled code reads.
pub struct Table {
    pub(crate) vm: *mut VMTable,
    elements: Vec<u64>,
    max: Option<u64>,
    /// Element type.
    pub elem: ValType,
    /// Indexed by `i64` (table64).
    pub table64: bool,
}

impl Table {
    /// A table of type `ty` with its minimum number of null elements.
    ///
    /// # Safety
    /// `vm` must stay valid for the life of the table.
    pub unsafe fn new(vm: *mut VMTable, ty: &TableType) -> Option<Table> {
        let min = ty.limits.min;
        if min > MAX_TABLE_ELEMENTS {
            return None;
        }
        let mut t = Table {
            vm,
            elements: vec![0; min as usize],
            max: ty.limits.max,
            elem: ty.elem,
            table64: ty.table64,
        };
        t.publish();
        Some(t)
    }

    fn publish(&mut self) {
        // SAFETY: `vm` outlives the table.
        unsafe {
            (*self.vm).base = self.elements.as_mut_ptr();
            (*self.vm).length = self.elements.len() as u64;
        }
    }

    /// Current number of elements.
    pub fn len(&self) -> u64 {
        self.elements.len() as u64
    }

    /// Whether the table has no elements.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
    }

    /// The maximum size, if declared.
    pub fn max(&self) -> Option<u64> {
        self.max
    }

    /// Element `i`, if in bounds.
    pub fn get(&self, i: u64) -> Option<u64> {
        self.elements.get(i as usize).copied()
    }

    /// The elements.
    pub fn elements_mut(&mut self) -> &mut [u64] {
        &mut self.elements
    }

    /// Grows by `delta` elements set to `init`; returns the old size, or `None` if the table
    /// cannot grow that far.
    pub fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.len();
        let new = old.checked_add(delta)?;
        if new > self.max.unwrap_or(u64::MAX) || new > MAX_TABLE_ELEMENTS {
            return None;
        }
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        self.publish();
        Some(old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grow_updates_the_record() {
        let mut vm = VMTable {
            base: std::ptr::null_mut(),
            length: 0,
        };
        let mut t = unsafe {
            Table::new(
                &mut vm,
                &TableType {
                    elem: ValType::FUNCREF,
                    limits: crate::abi::meta::Limits {
                        min: 2,
                        max: Some(4),
                    },
                    table64: false,
                },
            )
        }
        .unwrap();
        assert_eq!(vm.length, 2);
        assert_eq!(t.grow(2, 9), Some(2));
        assert_eq!(vm.length, 4);
        assert_eq!(unsafe { *vm.base.add(3) }, 9);
        assert_eq!(t.grow(1, 0), None);
        assert_eq!(t.get(0), Some(0));
    }
}
