;; expect-trap: out of bounds memory access
;; expect-frame: load_past_end
;; A 64-bit memory grown past 4 GiB: the 8-byte load that starts 4 bytes before its end traps
;; (memory64 accesses are always checked explicitly).
(module
  (memory i64 1)
  (func $load_past_end (result i64)
    (i64.load (i64.sub (i64.mul (memory.size) (i64.const 0x10000)) (i64.const 4))))
  (func $_start (export "_start")
    (drop (memory.grow (i64.const 0x10000)))
    (drop (call $load_past_end))))
