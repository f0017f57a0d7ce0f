;; expect-trap: call stack exhausted
;; expect-frame: thread_recursion
;; Infinite recursion in a spawned thread: its own stack's guard page, alternate signal stack
;; and catch point report it.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $thread_recursion (param $n i32) (result i32)
    (i32.add
      (call $thread_recursion (i32.add (local.get $n) (i32.const 1)))
      (local.get $n)))
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (call $thread_recursion (local.get $arg))))
  (func $_start (export "_start")
    (drop (call $thread_spawn (i32.const 0)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))
