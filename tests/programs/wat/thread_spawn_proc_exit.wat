;; expect-status: 3
;; expect-stdout:
;; A spawned thread calls `proc_exit(3)` while the main thread waits: the process ends with 3.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $proc_exit (local.get $arg)))
  (func $_start (export "_start")
    (drop (call $thread_spawn (i32.const 3)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
    unreachable))
