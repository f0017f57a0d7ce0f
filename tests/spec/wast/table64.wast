;; Tables indexed by i64 (table64; the testsuite's proposals/memory64 has no table tests):
;; every table instruction with i64 operands, call_indirect through a 64-bit table, element
;; segments with i64 offsets, copies between a 32- and a 64-bit table (i32 length), indices
;; that only fit in 64 bits (never truncated to 32), and overflowing ranges.

(module
  (type $ii (func (result i32)))
  (table $t64 i64 4 10 funcref)
  (table $t32 4 funcref)
  (table $e64 i64 2 externref)
  (func $f1 (type $ii) (i32.const 1))
  (func $f2 (type $ii) (i32.const 2))
  (func $f3 (type $ii) (i32.const 3))
  (elem (table $t64) (i64.const 1) func $f1 $f2)
  (elem $passive func $f3 $f1)
  (func (export "call") (param i64) (result i32)
    (call_indirect $t64 (type $ii) (local.get 0)))
  (func (export "call32") (param i32) (result i32)
    (call_indirect $t32 (type $ii) (local.get 0)))
  (func (export "size") (result i64) (table.size $t64))
  (func (export "grow") (param i64) (result i64)
    (table.grow $t64 (ref.null func) (local.get 0)))
  (func (export "is_null") (param i64) (result i32)
    (ref.is_null (table.get $t64 (local.get 0))))
  (func (export "set") (param i64 i64)
    (table.set $t64 (local.get 0) (table.get $t64 (local.get 1))))
  (func (export "fill") (param i64 i64 i64)
    (table.fill $t64 (local.get 0) (table.get $t64 (local.get 1)) (local.get 2)))
  (func (export "copy") (param i64 i64 i64)
    (table.copy $t64 $t64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_to32") (param i32 i64 i32)
    (table.copy $t32 $t64 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy_from32") (param i64 i32 i32)
    (table.copy $t64 $t32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i64 i32 i32)
    (table.init $t64 $passive (local.get 0) (local.get 1) (local.get 2)))
  (func (export "extern_set") (param i64 externref)
    (table.set $e64 (local.get 0) (local.get 1)))
  (func (export "extern_get") (param i64) (result externref)
    (table.get $e64 (local.get 0)))
)

(assert_return (invoke "call" (i64.const 1)) (i32.const 1))
(assert_return (invoke "call" (i64.const 2)) (i32.const 2))
(assert_trap (invoke "call" (i64.const 0)) "uninitialized element")
(assert_trap (invoke "call" (i64.const 4)) "undefined element")
(assert_trap (invoke "call" (i64.const 0x1_0000_0001)) "undefined element")
(assert_trap (invoke "call" (i64.const -1)) "undefined element")

(assert_return (invoke "is_null" (i64.const 0)) (i32.const 1))
(assert_return (invoke "is_null" (i64.const 1)) (i32.const 0))
(assert_trap (invoke "is_null" (i64.const 0x1_0000_0000)) "out of bounds table access")

(assert_return (invoke "size") (i64.const 4))
(assert_return (invoke "grow" (i64.const 2)) (i64.const 4))
(assert_return (invoke "size") (i64.const 6))
(assert_return (invoke "grow" (i64.const 5)) (i64.const -1))
(assert_return (invoke "grow" (i64.const 0x1_0000_0000)) (i64.const -1))
(assert_return (invoke "grow" (i64.const -1)) (i64.const -1))
(assert_return (invoke "size") (i64.const 6))

(invoke "init" (i64.const 3) (i32.const 0) (i32.const 2))
(assert_return (invoke "call" (i64.const 3)) (i32.const 3))
(assert_return (invoke "call" (i64.const 4)) (i32.const 1))
(assert_trap (invoke "init" (i64.const -1) (i32.const 0) (i32.const 1))
  "out of bounds table access")
(assert_trap (invoke "init" (i64.const 0x1_0000_0000) (i32.const 0) (i32.const 0))
  "out of bounds table access")

(invoke "fill" (i64.const 5) (i64.const 2) (i64.const 1))
(assert_return (invoke "call" (i64.const 5)) (i32.const 2))
(assert_trap (invoke "fill" (i64.const -2) (i64.const 1) (i64.const 4))
  "out of bounds table access")
(assert_trap (invoke "fill" (i64.const 0) (i64.const 1) (i64.const 0x1_0000_0001))
  "out of bounds table access")

(invoke "copy" (i64.const 0) (i64.const 3) (i64.const 1))
(assert_return (invoke "call" (i64.const 0)) (i32.const 3))
(assert_trap (invoke "copy" (i64.const 0) (i64.const -1) (i64.const 2))
  "out of bounds table access")
(assert_trap (invoke "copy" (i64.const 0x1_0000_0000) (i64.const 0) (i64.const 0))
  "out of bounds table access")

(invoke "copy_to32" (i32.const 0) (i64.const 1) (i32.const 2))
(assert_return (invoke "call32" (i32.const 0)) (i32.const 1))
(assert_return (invoke "call32" (i32.const 1)) (i32.const 2))
(invoke "copy_from32" (i64.const 5) (i32.const 0) (i32.const 1))
(assert_return (invoke "call" (i64.const 5)) (i32.const 1))
(assert_trap (invoke "copy_to32" (i32.const 0) (i64.const 0x1_0000_0000) (i32.const 1))
  "out of bounds table access")

(invoke "set" (i64.const 2) (i64.const 3))
(assert_return (invoke "call" (i64.const 2)) (i32.const 3))
(assert_trap (invoke "set" (i64.const 6) (i64.const 0)) "out of bounds table access")
(assert_trap (invoke "set" (i64.const 0x1_0000_0002) (i64.const 0)) "out of bounds table access")

(invoke "extern_set" (i64.const 1) (ref.extern 7))
(assert_return (invoke "extern_get" (i64.const 1)) (ref.extern 7))
(assert_return (invoke "extern_get" (i64.const 0)) (ref.null extern))
(assert_trap (invoke "extern_get" (i64.const 2)) "out of bounds table access")

;; An active segment at an i64 offset, and one out of bounds.
(module
  (type $ii (func (result i32)))
  (table $t i64 3 funcref)
  (func $f (type $ii) (i32.const 7))
  (elem (table $t) (i64.const 2) func $f)
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $ii) (local.get 0))))
(assert_return (invoke "call" (i64.const 2)) (i32.const 7))
(assert_trap
  (module
    (table $t i64 3 funcref)
    (func $f)
    (elem (table $t) (i64.const 0x1_0000_0000) func $f))
  "out of bounds table access")

;; Offsets and operands take the table's index type.
(assert_invalid
  (module (table i64 1 funcref) (func $f) (elem (i32.const 0) func $f))
  "type mismatch")
(assert_invalid
  (module (table i64 1 funcref) (func (drop (table.get 0 (i32.const 0)))))
  "type mismatch")

;; A 64-bit table is importable only as a 64-bit table.
(module $M (table (export "t64") i64 2 funcref) (table (export "t32") 2 funcref))
(register "M" $M)
(module (import "M" "t64" (table i64 2 funcref)))
(assert_unlinkable (module (import "M" "t64" (table 2 funcref))) "incompatible import type")
(assert_unlinkable (module (import "M" "t32" (table i64 2 funcref))) "incompatible import type")
