;; expect-status: 0
;; expect-stdout: 100000000 is even\n
;; 100 million mutual tail calls (return_call) run in constant stack; the same depth of normal
;; calls exhausts the stack (tail_call_depth_without_tail_calls.wat).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; iovec at 0: { buf = 16, len = 18 }; bytes written go to 8.
  (data (i32.const 0) "\10\00\00\00\12\00\00\00")
  (data (i32.const 16) "100000000 is even\n")
  (func $even (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (return_call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func $_start (export "_start")
    (if (i32.eqz (call $even (i32.const 100000000)))
      (then unreachable))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable))))
