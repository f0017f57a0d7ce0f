;; expect-trap: uncaught wasm exception (tag oops)
;; expect-backtrace: thrower, middle, _start
;; A tag no catch clause matches crosses catch clauses and frames to the host: the program ends
;; like a trap, naming the tag (from the name section), with the backtrace of the throw.
(module
  (tag $other (param i32))
  (tag $oops)
  (memory (export "memory") 1)
  (func $thrower (param i32)
    (if (local.get 0) (then (throw $oops)))
    (drop (i32.div_u (i32.const 1) (local.get 0))))
  (func $middle (param i32)
    (block $h (result i32)
      (try_table (catch $other $h)
        (if (i32.eqz (local.get 0))
          (then (call $thrower (i32.const 1)))
          (else (call $middle (i32.sub (local.get 0) (i32.const 1))))))
      (return))
    (drop))
  (func $_start (export "_start")
    (call $middle (i32.const 1))))
