;; expect-stdout: main returns\n
;; The main thread returns from `_start` while a spawned thread still spins: the process ends,
;; with status 0.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  (data (i32.const 64) "main returns\n")
  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 0) (i32.const 1)))
    (loop $spin (br $spin)))
  (func $_start (export "_start")
    (drop (call $thread_spawn (i32.const 0)))
    ;; Wait until the thread runs.
    (block $started
      (loop $wait
        (br_if $started (i32.atomic.load (i32.const 0)))
        (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
        (br $wait)))
    (i32.store (i32.const 32) (i32.const 64))
    (i32.store (i32.const 36) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40)))))
