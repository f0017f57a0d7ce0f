;; expect-trap: out of bounds memory access
;; expect-frame: load_far
(module
  (memory 1)
  (func $load_far (result i32)
    (i32.load (i32.const 0xfffffff0)))
  (func $_start (export "_start")
    (drop (call $load_far))))
