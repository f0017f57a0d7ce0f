;; expect-status: 0
;; expect-stdout: memory 1 grew from 1 to 65537 pages\nhello from above 4 GiB\nsum 2145336164851500\nlast 81985529216486895\nfill 42 42 0\n
;; A 64-bit memory used past 4 GiB: memory 0 (32-bit) for WASI I/O, memory 1 (i64) grown to
;; 4 GiB + 64 KiB, then written and read at addresses above 4 GiB: memory.init into it,
;; memory.copy out of it into memory 0 (the length takes the narrower i32), stores and loads
;; with 64-bit addresses and an offset immediate of 4 GiB, the last 8 bytes of the memory, and
;; memory.fill. (wasmtime 48 with memory64 prints the same.)
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $io (export "memory") 1)
  (memory $big i64 1)
  (data (memory $io) (i32.const 64) "memory 1 grew from ")
  (data (memory $io) (i32.const 96) " to ")
  (data (memory $io) (i32.const 112) " pages\n")
  (data (memory $io) (i32.const 128) "sum ")
  (data (memory $io) (i32.const 144) "last ")
  (data (memory $io) (i32.const 160) "fill ")
  (data (memory $io) (i32.const 176) " ")
  (data (memory $io) (i32.const 180) "\n")
  (data $hello "hello from above 4 GiB\n")

  ;; Writes `len` bytes of memory 0 at `ptr` to stdout.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store $io (i32.const 0) (local.get $ptr))
    (i32.store $io (i32.const 4) (local.get $len))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable)))

  ;; Writes `n` in decimal to stdout (digits built backwards in memory 0 below offset 1024).
  (func $print_u64 (param $n i64)
    (local $p i32)
    (local.set $p (i32.const 1024))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 $io (local.get $p)
        (i64.add (i64.const 48) (i64.rem_u (local.get $n) (i64.const 10))))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $n) (i64.const 0))))
    (call $print (local.get $p) (i32.sub (i32.const 1024) (local.get $p))))

  (func $_start (export "_start")
    (local $old i64)
    (local $i i64)
    (local $sum i64)
    (local $last i64)
    ;; Grow by 4 GiB.
    (local.set $old (memory.grow $big (i64.const 0x10000)))
    (call $print (i32.const 64) (i32.const 19))
    (call $print_u64 (local.get $old))
    (call $print (i32.const 96) (i32.const 4))
    (call $print_u64 (memory.size $big))
    (call $print (i32.const 112) (i32.const 7))

    ;; A data segment written above 4 GiB and copied back into memory 0.
    (memory.init $big $hello (i64.const 0x1_0000_1000) (i32.const 0) (i32.const 23))
    (memory.copy $io $big (i32.const 300) (i64.const 0x1_0000_1000) (i32.const 23))
    (call $print (i32.const 300) (i32.const 23))

    ;; 1000 i64 values at 4 GiB + 8i (offset immediate 4 GiB), summed back.
    (loop $store
      (i64.store $big offset=0x1_0000_0000
        (i64.mul (local.get $i) (i64.const 8))
        (i64.mul (local.get $i) (i64.const 0x1_0000_0001)))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $store (i64.lt_u (local.get $i) (i64.const 1000))))
    (local.set $i (i64.const 0))
    (loop $load
      (local.set $sum (i64.add (local.get $sum)
        (i64.load $big (i64.add (i64.const 0x1_0000_0000)
                                (i64.mul (local.get $i) (i64.const 8))))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br_if $load (i64.lt_u (local.get $i) (i64.const 1000))))
    (call $print (i32.const 128) (i32.const 4))
    (call $print_u64 (local.get $sum))
    (call $print (i32.const 180) (i32.const 1))

    ;; The last 8 bytes of the memory.
    (local.set $last (i64.sub (i64.mul (memory.size $big) (i64.const 0x10000)) (i64.const 8)))
    (i64.store $big (local.get $last) (i64.const 0x0123_4567_89ab_cdef))
    (call $print (i32.const 144) (i32.const 5))
    (call $print_u64 (i64.load $big (local.get $last)))
    (call $print (i32.const 180) (i32.const 1))

    ;; memory.fill of 16 bytes at 4 GiB + 32 KiB: both ends set, the byte after untouched.
    (memory.fill $big (i64.const 0x1_0000_8000) (i32.const 42) (i64.const 16))
    (call $print (i32.const 160) (i32.const 5))
    (call $print_u64 (i64.load8_u $big (i64.const 0x1_0000_8000)))
    (call $print (i32.const 176) (i32.const 1))
    (call $print_u64 (i64.load8_u $big offset=15 (i64.const 0x1_0000_8000)))
    (call $print (i32.const 176) (i32.const 1))
    (call $print_u64 (i64.load8_u $big offset=16 (i64.const 0x1_0000_8000)))
    (call $print (i32.const 180) (i32.const 1))))
