;; expect-trap: call stack exhausted
;; The mutual recursion of tail_call_loop.wat with normal calls: a frame per call, so 100
;; million of them exhaust the stack (as they should: only return_call replaces a frame).
(module
  (memory (export "memory") 1)
  (func $even (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 1))
      (else (call $odd (i32.sub (local.get $n) (i32.const 1))))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (call $even (i32.sub (local.get $n) (i32.const 1))))))
  (func $_start (export "_start")
    (drop (call $even (i32.const 100000000)))))
