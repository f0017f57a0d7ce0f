;; expect-stdout: counter 8000, threads joined 8\n
;; Eight wasi-threads each add 1 to a shared counter 1,000 times with `i32.atomic.rmw.add`,
;; then decrement the number of running threads and wake the main thread, which waits on it
;; with `memory.atomic.wait32` and prints the counter.
(module
  (import "wasi" "thread-spawn" (func $thread_spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 1 1 shared))
  ;; 0: counter, 4: running threads, 8: joined (set by main), 64..: output text
  (data (i32.const 64) "counter ")
  (data (i32.const 80) ", threads joined ")

  (func $wasi_thread_start (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (local $i i32)
    (loop $add
      (drop (i32.atomic.rmw.add (i32.const 0) (local.get $arg)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (i32.const 1000))))
    (drop (i32.atomic.rmw.sub (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1))))

  ;; Writes `len` bytes at `ptr` to stdout.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 32) (local.get $ptr))
    (i32.store (i32.const 36) (local.get $len))
    (drop (call $fd_write (i32.const 1) (i32.const 32) (i32.const 1) (i32.const 40))))

  ;; Prints `n` in decimal (digits built backwards from 200).
  (func $print_u32 (param $n i32) (local $p i32)
    (local.set $p (i32.const 200))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $print (local.get $p) (i32.sub (i32.const 200) (local.get $p))))

  (func $_start (export "_start") (local $i i32) (local $running i32)
    (i32.atomic.store (i32.const 4) (i32.const 8))
    (loop $spawn
      (if (i32.le_s (call $thread_spawn (i32.const 1)) (i32.const 0)) (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 8))))
    ;; Join: wait until no thread runs.
    (block $joined
      (loop $wait
        (local.set $running (i32.atomic.load (i32.const 4)))
        (br_if $joined (i32.eqz (local.get $running)))
        (drop (memory.atomic.wait32 (i32.const 4) (local.get $running) (i64.const -1)))
        (br $wait)))
    (call $print (i32.const 64) (i32.const 8))
    (call $print_u32 (i32.atomic.load (i32.const 0)))
    (call $print (i32.const 80) (i32.const 17))
    (call $print_u32 (local.get $i))
    (i32.store8 (i32.const 300) (i32.const 10))
    (call $print (i32.const 300) (i32.const 1))))
