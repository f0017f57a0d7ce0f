;; expect-status: 0
;; expect-stdout: copied from memory 1\nmemory 1: 3 pages, sum 6\n
;; Two memories: memory 0 for WASI I/O, memory 1 with its own data segment, growth, loads and
;; stores, and memory.copy from memory 1 into memory 0. (wasmtime 48 with multi-memory prints
;; the same.)
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory $io (export "memory") 1)
  (memory $other 1 4)
  (data (memory $other) (i32.const 100) "copied from memory 1\n")
  (data (memory $io) (i32.const 64) "memory 1: ? pages, sum ?\n")
  ;; Writes `len` bytes of memory 0 at `ptr` to stdout.
  (func $print (param $ptr i32) (param $len i32)
    (i32.store $io (i32.const 0) (local.get $ptr))
    (i32.store $io (i32.const 4) (local.get $len))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable)))
  (func $_start (export "_start")
    (memory.copy $io $other (i32.const 200) (i32.const 100) (i32.const 21))
    (call $print (i32.const 200) (i32.const 21))
    (drop (memory.grow $other (i32.const 2)))
    ;; Values at the end of the grown memory 1, read back and summed.
    (i32.store8 $other (i32.const 0x2fffd) (i32.const 1))
    (i32.store16 $other (i32.const 0x2fffe) (i32.const 0x0302))
    (i32.store8 $io (i32.const 74)
      (i32.add (i32.const 48) (memory.size $other)))
    (i32.store8 $io (i32.const 87)
      (i32.add (i32.const 48)
        (i32.add (i32.load8_u $other (i32.const 0x2fffd))
          (i32.add (i32.load8_u $other (i32.const 0x2fffe))
            (i32.load8_u $other (i32.const 0x2ffff))))))
    (call $print (i32.const 64) (i32.const 25))))
