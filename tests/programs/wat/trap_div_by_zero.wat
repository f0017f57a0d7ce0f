;; expect-trap: integer divide by zero
;; expect-frame: unsigned_division
(module
  (func $unsigned_division (param $a i32) (param $b i32) (result i32)
    (i32.div_u (local.get $a) (local.get $b)))
  (func $_start (export "_start")
    (drop (call $unsigned_division (i32.const 10) (i32.const 0)))))
