;; wasm2native's own SIMD tests: values of every lane type (the translator keeps f32x4, i16x8, ...
;; results in their Cranelift lane type) crossing every boundary where it casts them back to the
;; canonical i8x16: locals, block and loop parameters, branches, if/else results, select, calls,
;; call_indirect, returns, globals. Also bitwise operations on float-typed operands.

(module
  (global $g (mut v128) (v128.const i32x4 0 0 0 0))
  (global $k v128 (v128.const f64x2 1.5 -2.5))
  (table 2 funcref)
  (elem (i32.const 0) $id $double)
  (type $vv (func (param v128) (result v128)))

  (func $id (type $vv) (local.get 0))
  (func $double (type $vv) (f32x4.add (local.get 0) (local.get 0)))

  (func (export "local") (param f32) (result v128)
    (local $v v128)
    (local.set $v (f32x4.splat (local.get 0)))
    (f32x4.mul (local.tee $v (f32x4.add (local.get $v) (local.get $v))) (local.get $v)))

  (func (export "block") (param i32) (result v128)
    (block (result v128)
      (i16x8.splat (local.get 0))
      (br_if 0 (i32.eqz (local.get 0)))
      (drop)
      (i16x8.mul (i16x8.splat (local.get 0)) (i16x8.splat (i32.const 3)))))

  (func (export "if") (param i32) (result v128)
    (if (result v128) (local.get 0)
      (then (f64x2.splat (f64.const 2.5)))
      (else (i64x2.splat (i64.const -1)))))

  (func (export "loop") (param i32) (result v128)
    (local $n i32)
    (local.set $n (local.get 0))
    (f32x4.splat (f32.const 1))
    (loop (param v128) (result v128)
      (f32x4.add (f32x4.splat (f32.const 0.5)))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if 0)))

  (func (export "br_table") (param i32) (result v128)
    (block (result v128)
      (block (result v128)
        (block (result v128)
          (f32x4.neg (f32x4.splat (f32.const 1)))
          (br_table 0 1 2 (local.get 0)))
        (return (i32x4.add (i32x4.splat (i32.const 10)))))
      (return (i64x2.neg)))
    (f64x2.abs))

  (func (export "select") (param i32) (result v128)
    (select (f32x4.splat (f32.const 7)) (i16x8.splat (i32.const 7)) (local.get 0)))

  (func (export "call") (result v128)
    (call $double (call $id (i32x4.splat (i32.const 0x3f800000)))))

  (func (export "call_indirect") (param i32) (result v128)
    (call_indirect (type $vv) (f32x4.splat (f32.const 3)) (local.get 0)))

  (func (export "global") (result v128)
    (global.set $g (f64x2.splat (f64.const -0.5)))
    (f64x2.mul (global.get $g) (global.get $k)))

  (func (export "bitwise_float") (result v128)
    (local $a v128)
    (local.set $a (f32x4.abs (f32x4.splat (f32.const -1))))
    (v128.xor
      (v128.not (f32x4.neg (local.get $a)))
      (v128.andnot (f32x4.sqrt (local.get $a)) (v128.or (f32x4.neg (local.get $a)) (local.get $a)))))

  (func (export "bitselect_mixed") (result v128)
    (v128.bitselect (f32x4.splat (f32.const 1)) (i16x8.splat (i32.const -1))
      (i64x2.splat (i64.const 0xffffffff))))

  (func (export "multi") (result v128 f32 v128)
    (f32x4.splat (f32.const 2)) (f32.const 3) (i8x16.splat (i32.const 4)))

  (func (export "any_all") (result i32)
    (i32.add
      (i32.add
        (v128.any_true (f32x4.splat (f32.const -0)))
        (i32.shl (i32x4.all_true (f32x4.splat (f32.const 1))) (i32.const 1)))
      (i32.shl (i16x8.all_true (f64x2.splat (f64.const 1))) (i32.const 2))))
)

(assert_return (invoke "local" (f32.const 1.5)) (v128.const f32x4 9 9 9 9))
(assert_return (invoke "block" (i32.const 0)) (v128.const i16x8 0 0 0 0 0 0 0 0))
(assert_return (invoke "block" (i32.const 5)) (v128.const i16x8 15 15 15 15 15 15 15 15))
(assert_return (invoke "if" (i32.const 1)) (v128.const f64x2 2.5 2.5))
(assert_return (invoke "if" (i32.const 0)) (v128.const i64x2 -1 -1))
(assert_return (invoke "loop" (i32.const 4)) (v128.const f32x4 3 3 3 3))
(assert_return (invoke "br_table" (i32.const 0))
  (v128.const i32x4 0xbf80000a 0xbf80000a 0xbf80000a 0xbf80000a))
(assert_return (invoke "br_table" (i32.const 1))
  (v128.const i64x2 0x407fffff40800000 0x407fffff40800000))
(assert_return (invoke "br_table" (i32.const 2))
  (v128.const i64x2 0x3f800000bf800000 0x3f800000bf800000))
(assert_return (invoke "br_table" (i32.const 9))
  (v128.const i64x2 0x3f800000bf800000 0x3f800000bf800000))
(assert_return (invoke "select" (i32.const 1)) (v128.const f32x4 7 7 7 7))
(assert_return (invoke "select" (i32.const 0)) (v128.const i16x8 7 7 7 7 7 7 7 7))
(assert_return (invoke "call") (v128.const f32x4 2 2 2 2))
(assert_return (invoke "call_indirect" (i32.const 0)) (v128.const f32x4 3 3 3 3))
(assert_return (invoke "call_indirect" (i32.const 1)) (v128.const f32x4 6 6 6 6))
(assert_trap (invoke "call_indirect" (i32.const 2)) "undefined element")
(assert_return (invoke "global") (v128.const f64x2 -0.75 1.25))
(assert_return (invoke "bitwise_float") (v128.const i32x4 0x407fffff 0x407fffff 0x407fffff 0x407fffff))
(assert_return (invoke "bitselect_mixed") (v128.const i32x4 0x3f800000 0xffffffff 0x3f800000 0xffffffff))
(assert_return (invoke "multi")
  (v128.const f32x4 2 2 2 2) (f32.const 3) (v128.const i8x16 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4))
(assert_return (invoke "any_all") (i32.const 3))

;; An imported v128 global and a v128 function import, from another module.
(module $exporter
  (global (export "g") (mut v128) (v128.const i16x8 1 2 3 4 5 6 7 8))
  (func (export "swap") (param v128 v128) (result v128 v128) (local.get 1) (local.get 0)))
(register "exporter" $exporter)

(module
  (global $g (import "exporter" "g") (mut v128))
  (func $swap (import "exporter" "swap") (param v128 v128) (result v128 v128))
  (func (export "run") (result v128)
    (global.set $g (i16x8.add (global.get $g) (i16x8.splat (i32.const 10))))
    (call $swap (f32x4.splat (f32.const 1)) (global.get $g))
    (drop))
  (func (export "mem") (param i32) (result v128)
    (v128.store offset=3 (local.get 0) (f32x4.splat (f32.const 0.25)))
    (i32x4.add (v128.load offset=3 (local.get 0)) (v128.load32_splat offset=7 (local.get 0))))
  (memory 1))

(assert_return (invoke "run") (v128.const i16x8 11 12 13 14 15 16 17 18))
(assert_return (invoke "mem" (i32.const 5))
  (v128.const i32x4 0x7d000000 0x7d000000 0x7d000000 0x7d000000))
(assert_trap (invoke "mem" (i32.const 65523)) "out of bounds memory access")

;; Shuffles reading one operand only (translated as a shuffle of that operand with itself).
(module
  (func (export "only_b") (param v128 v128) (result v128)
    (i8x16.shuffle 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16 (local.get 0) (local.get 1)))
  (func (export "only_a") (param v128 v128) (result v128)
    (i8x16.shuffle 0 0 1 1 2 2 3 3 15 15 14 14 13 13 12 12 (local.get 0) (local.get 1)))
  (func (export "zext") (param v128) (result v128)
    (v128.and (i8x16.shuffle 0 16 16 16 1 16 16 16 2 16 16 16 3 16 16 16
                (local.get 0) (v128.const i32x4 -1 -1 -1 -1))
              (v128.const i32x4 0xff 0xff 0xff 0xff))))

(assert_return
  (invoke "only_b" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
    (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))
  (v128.const i8x16 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16))
(assert_return
  (invoke "only_a" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
    (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31))
  (v128.const i8x16 0 0 1 1 2 2 3 3 15 15 14 14 13 13 12 12))
(assert_return (invoke "zext" (v128.const i8x16 0xf1 0xf2 0xf3 0xf4 5 6 7 8 9 10 11 12 13 14 15 16))
  (v128.const i32x4 0xf1 0xf2 0xf3 0xf4))
