;; expect-trap: unaligned atomic
;; expect-frame: add_at
;; An atomic read-modify-write whose effective address (2 + offset 4) is not a multiple of 4.
(module
  (memory 1 1 shared)
  (func $add_at (param $addr i32) (result i32)
    (i32.atomic.rmw.add offset=4 (local.get $addr) (i32.const 1)))
  (func $_start (export "_start")
    (drop (call $add_at (i32.const 2)))))
