;; expect-trap: out of bounds memory access
;; expect-backtrace: load_far, middle, _start
;; At -O2 `middle` is inlined into `_start`; its call to `load_far` stays a call (inlining is
;; one level deep), so load_far's return address lies in _start's code and the backtrace still
;; shows `middle` between the two.
(module
  (memory 1)
  (func $load_far (param i32) (result i32)
    (i32.load (i32.add (local.get 0) (i32.const 0x10000))))
  (func $middle (param i32) (result i32)
    (i32.add (call $load_far (local.get 0)) (i32.const 1)))
  (func $_start (export "_start")
    (drop (call $middle (i32.const 16)))))
