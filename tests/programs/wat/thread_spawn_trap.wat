;; expect-trap: unreachable
;; expect-backtrace: thread_fails, wasi_thread_start
;; A spawned thread traps while the main thread waits: the process ends with the trap and the
;; backtrace of the thread that trapped.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $thread_fails (param $arg i32)
    (if (i32.eq (local.get $arg) (i32.const 7)) (then unreachable)))
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $thread_fails (local.get $arg)))
  (func $_start (export "_start")
    (drop (call $thread_spawn (i32.const 7)))
    ;; Nothing ever notifies: only the trap ends the wait.
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
