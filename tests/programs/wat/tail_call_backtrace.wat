;; expect-trap: integer divide by zero
;; expect-backtrace: divide, _start
;; A backtrace shows the frames on the stack: `forward` tail-called `divide`, which replaced
;; its frame, so only `_start` is below the trapping function (as wasmtime shows it).
(module
  (memory (export "memory") 1)
  (func $divide (param i32) (result i32)
    (i32.div_u (i32.const 1) (local.get 0)))
  (func $forward (param i32) (result i32)
    (return_call $divide (i32.sub (local.get 0) (i32.const 1))))
  (func $_start (export "_start")
    (drop (call $forward (i32.const 1)))))
