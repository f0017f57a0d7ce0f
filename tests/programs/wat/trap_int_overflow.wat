;; expect-trap: integer overflow
;; expect-frame: signed_division
(module
  (func $signed_division (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $_start (export "_start")
    (drop (call $signed_division (i32.const 0x80000000) (i32.const -1)))))
