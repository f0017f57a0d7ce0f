;; Type identity and subtyping of function types at run time (WebAssembly 3.0): `call_indirect`
;; accepts a function of a declared subtype of the expected type; recursion groups define
;; identity across modules; imports of functions, tables and globals are checked with both.
;; (wasm-v3's type-subtyping.wast covers this with GC types, which wasm2native does not compile.)

(module
  (type $t (sub (func (result i32))))
  (type $s (sub final $t (func (result i32))))
  (type $u (func (result i32)))
  (func $f (type $t) (i32.const 1))
  (func $g (type $s) (i32.const 2))
  (func $h (type $u) (i32.const 3))
  (table funcref (elem $f $g $h))
  (func (export "call-t") (param i32) (result i32) (call_indirect (type $t) (local.get 0)))
  (func (export "call-s") (param i32) (result i32) (call_indirect (type $s) (local.get 0)))
  (export "f" (func $f))
  (export "g" (func $g))
)
(assert_return (invoke "call-t" (i32.const 0)) (i32.const 1))
(assert_return (invoke "call-t" (i32.const 1)) (i32.const 2))
(assert_trap (invoke "call-t" (i32.const 2)) "indirect call type mismatch")
(assert_trap (invoke "call-s" (i32.const 0)) "indirect call type mismatch")
(assert_return (invoke "call-s" (i32.const 1)) (i32.const 2))
(register "sub")

;; A function of a subtype satisfies an import of its supertype, not the reverse.
(module
  (type $t (sub (func (result i32))))
  (import "sub" "g" (func (type $t)))
)
(assert_unlinkable
  (module
    (type $t (sub (func (result i32))))
    (type $s (sub final $t (func (result i32))))
    (import "sub" "f" (func (type $s))))
  "incompatible import type")

;; A type in a recursion group differs from the same type alone, and equals it in an identical
;; group of another module.
(module
  (rec (type $a (func (result i32))) (type $b (func)))
  (func $x (type $a) (i32.const 4))
  (export "x" (func $x))
)
(register "rec")
(assert_unlinkable
  (module (import "rec" "x" (func (result i32))))
  "incompatible import type")
(module
  (rec (type $a (func (result i32))) (type $b (func)))
  (import "rec" "x" (func (type $a)))
)

;; `call_indirect` through an imported table reaches a subtype declared in another module.
(module
  (type $t (sub (func (result i32))))
  (type $s (sub $t (func (result i32))))
  (func $k (type $s) (i32.const 5))
  (table (export "tab") 1 funcref)
  (elem (i32.const 0) $k)
)
(register "m2")
(module
  (type $t (sub (func (result i32))))
  (type $v (func (result i32)))
  (import "m2" "tab" (table 1 funcref))
  (func (export "call-t") (result i32) (call_indirect (type $t) (i32.const 0)))
  (func (export "call-v") (result i32) (call_indirect (type $v) (i32.const 0)))
)
(assert_return (invoke "call-t") (i32.const 5))
(assert_trap (invoke "call-v") "indirect call type mismatch")

;; A table with an initializer expression, and typed globals matched by subtyping.
(module
  (type $t (func (result i32)))
  (func $f (type $t) (i32.const 7))
  (table $tab 3 (ref $t) (ref.func $f))
  (global (export "gf") (ref $t) (ref.func $f))
  (func (export "tab") (param i32) (result i32) (call_ref $t (table.get $tab (local.get 0))))
)
(register "typed")
(assert_return (invoke "tab" (i32.const 2)) (i32.const 7))
(module (type $t (func (result i32))) (import "typed" "gf" (global (ref null $t))))
(module (import "typed" "gf" (global funcref)))
(assert_unlinkable
  (module (type $t (func (result i64))) (import "typed" "gf" (global (ref $t))))
  "incompatible import type")
(assert_unlinkable
  (module (import "typed" "gf" (global (ref noextern))))
  "incompatible import type")

;; An exception payload of a typed function reference.
(module
  (type $t (func (result i32)))
  (tag $e (param (ref $t)))
  (func $f (type $t) (i32.const 8))
  (elem declare func $f)
  (func (export "catch") (result i32)
    (block $h (result (ref $t))
      (try_table (catch $e $h) (throw $e (ref.func $f)))
      (unreachable))
    (call_ref $t))
)
(assert_return (invoke "catch") (i32.const 8))
