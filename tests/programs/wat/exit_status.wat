;; expect-status: 3
;; expect-stdout:
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func $_start (export "_start")
    (call $proc_exit (i32.const 3))
    unreachable))
