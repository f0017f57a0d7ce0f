;; expect-trap: call stack exhausted
;; expect-frame: deep_recursion
;; Infinite, non-tail recursion.
(module
  (func $deep_recursion (param $n i32) (result i32)
    (i32.add
      (call $deep_recursion (i32.add (local.get $n) (i32.const 1)))
      (local.get $n)))
  (func $_start (export "_start")
    (drop (call $deep_recursion (i32.const 0)))))
