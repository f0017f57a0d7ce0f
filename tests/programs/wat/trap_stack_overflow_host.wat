;; expect-trap: call stack exhausted
;; expect-frame: recurse_into_host
;; Infinite recursion that calls host code (a WASI function and the memory.grow builtin) at
;; every level: wasm code runs down to the stack's guard page without checks, so host calls
;; must trap before the stack left for host code runs out, never crash in it.
(module
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (memory 1)
  (func $recurse_into_host (param $n i32) (result i32)
    (drop (call $sched_yield))
    (drop (memory.grow (i32.const 0)))
    (i32.add
      (call $recurse_into_host (i32.add (local.get $n) (i32.const 1)))
      (local.get $n)))
  (func $_start (export "_start")
    (drop (call $recurse_into_host (i32.const 0)))))
