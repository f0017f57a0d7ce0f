;; expect-status: 0
;; expect-stdout: counter 1000\ncmpxchg 1000 1000\nbytes 255 0\nwait 1 2\nnotify 0\n
;; Atomics on a defined shared memory in one thread: 1000 rmw.add in a loop, a cmpxchg that
;; succeeds and one that fails, a narrow rmw that wraps, and wait/notify with no other thread
;; (a mismatch returns 1, a 1 ms timeout 2, notify wakes no one).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (data (i32.const 64) "counter ")
  (data (i32.const 80) "cmpxchg ")
  (data (i32.const 96) "bytes ")
  (data (i32.const 112) "wait ")
  (data (i32.const 128) "notify ")
  (data (i32.const 144) " ")
  (data (i32.const 148) "\n")

  ;; Writes `len` bytes at `ptr` to stdout.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable)))

  ;; Writes `n` in decimal to stdout (digits built backwards below offset 1024).
  (func $print_u32 (param $n i32)
    (local $p i32)
    (local.set $p (i32.const 1024))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (call $print (local.get $p) (i32.sub (i32.const 1024) (local.get $p))))

  (func $_start (export "_start")
    (local $i i32)
    (loop $add
      (drop (i32.atomic.rmw.add (i32.const 2048) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $add (i32.lt_u (local.get $i) (i32.const 1000))))
    (call $print (i32.const 64) (i32.const 8))
    (call $print_u32 (i32.atomic.load (i32.const 2048)))
    (call $print (i32.const 148) (i32.const 1))

    ;; Succeeds (returns the old 1000, stores 7), then fails (returns 7, not 1000).
    (call $print (i32.const 80) (i32.const 8))
    (call $print_u32
      (i32.atomic.rmw.cmpxchg (i32.const 2048) (i32.const 1000) (i32.const 7)))
    (call $print (i32.const 144) (i32.const 1))
    (call $print_u32
      (i32.add (i32.const 993)
        (i32.atomic.rmw.cmpxchg (i32.const 2048) (i32.const 1000) (i32.const 9))))
    (call $print (i32.const 148) (i32.const 1))

    ;; 0xff + 1 in one byte: the old byte is 255 and the new one 0.
    (i32.atomic.store8 (i32.const 2056) (i32.const 0xff))
    (call $print (i32.const 96) (i32.const 6))
    (call $print_u32 (i32.atomic.rmw8.add_u (i32.const 2056) (i32.const 1)))
    (call $print (i32.const 144) (i32.const 1))
    (call $print_u32 (i32.atomic.load8_u (i32.const 2056)))
    (call $print (i32.const 148) (i32.const 1))

    (call $print (i32.const 112) (i32.const 5))
    (call $print_u32 (memory.atomic.wait32 (i32.const 2048) (i32.const 0) (i64.const -1)))
    (call $print (i32.const 144) (i32.const 1))
    (call $print_u32
      (memory.atomic.wait64 (i32.const 2056) (i64.const 0) (i64.const 1000000)))
    (call $print (i32.const 148) (i32.const 1))
    (call $print (i32.const 128) (i32.const 7))
    (call $print_u32 (memory.atomic.notify (i32.const 2048) (i32.const 1)))
    (call $print (i32.const 148) (i32.const 1))))
