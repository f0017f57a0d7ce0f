;; expect-trap: invalid conversion to integer
;; expect-frame: truncate_to_i32
(module
  (func $truncate_to_i32 (param $x f32) (result i32)
    (i32.trunc_f32_s (local.get $x)))
  (func $_start (export "_start")
    (drop (call $truncate_to_i32 (f32.const nan)))))
