;; expect-trap: unreachable
;; expect-backtrace: all_trap, wasi_thread_start
;; Four threads meet at a barrier, then all trap at once: one report only (the first thread's),
;; exit status 134.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (func $all_trap
    ;; Barrier: count in, then spin until all four are in.
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (loop $spin (br_if $spin (i32.lt_u (i32.atomic.load (i32.const 0)) (i32.const 4))))
    unreachable)
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $all_trap))
  (func $_start (export "_start") (local $i i32)
    (loop $spawn
      (drop (call $thread_spawn (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 4))))
    (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))))
