;; The legacy exception-handling instructions: try, catch, catch_all, rethrow, delegate.
;;
;; Written for wasm2native from the legacy proposal's semantics
;; (WebAssembly/exception-handling, proposals/exception-handling/legacy/Exceptions.md): the
;; upstream test suite no longer ships legacy tests. Node.js 20 (V8) gives the same results for
;; every assertion on the first module; the second mixes in `exnref`, which Node 20 does not run.

(module $m
  (tag $e0 (export "e0"))
  (tag $e1 (param i32))
  (tag $e2 (param i32 i64 f64))
  (tag $ev (param v128))

  (func $throw-e0 (throw $e0))
  (func $throw-e1 (param i32) (throw $e1 (local.get 0)))
  (func $nothing)

  ;; A catch clause receives the payload.
  (func (export "catch-payload") (param i32) (result i32)
    try (result i32)
      (call $throw-e1 (local.get 0))
      (i32.const 0)
    catch $e1
      (i32.add (i32.const 100))
    end
  )

  ;; No exception: the body's results.
  (func (export "no-throw") (result i32)
    try (result i32)
      (call $nothing)
      (i32.const 7)
    catch $e1
    catch_all
      (i32.const -1)
    end
  )

  ;; Clauses are tried in order; catch_all takes the rest.
  (func (export "select-clause") (param i32) (result i32)
    (local $f i32)
    try (result i32)
      (if (i32.eqz (local.get 0)) (then (throw $e0)))
      (if (i32.eq (local.get 0) (i32.const 1)) (then (throw $e1 (i32.const 11))))
      (if (i32.eq (local.get 0) (i32.const 2))
        (then (throw $e2 (i32.const 1) (i64.const 2) (f64.const 3.5))))
      (if (i32.eq (local.get 0) (i32.const 3)) (then (throw $ev (v128.const i32x4 1 2 3 4))))
      (i32.const 99)
    catch $e0
      (i32.const 10)
    catch $e1
    catch $e2
      (local.set $f (i32.trunc_f64_s))
      (i32.wrap_i64)
      (i32.add)
      (i32.add (local.get $f))
      (i32.add (i32.const 20))
    catch_all
      (i32.const 30)
    end
  )

  (func (export "v128-payload") (result i32)
    try (result i32)
      (throw $ev (v128.const i32x4 5 6 7 8))
    catch $ev
      (i32x4.extract_lane 2)
    end
  )

  ;; An exception no clause matches goes on to the enclosing try.
  (func (export "nested-unmatched") (result i32)
    try (result i32)
      try (result i32)
        (call $throw-e1 (i32.const 5))
        (i32.const 0)
      catch $e0
        (i32.const 1)
      end
    catch $e1
      (i32.add (i32.const 1000))
    end
  )

  ;; An exception thrown in a catch clause is not caught by the same try.
  (func (export "throw-in-catch") (result i32)
    try (result i32)
      try (result i32)
        (throw $e0)
      catch $e0
        (throw $e1 (i32.const 3))
      catch $e1
        (drop)
        (i32.const 1)
      end
    catch $e1
      (i32.add (i32.const 40))
    end
  )

  ;; Across several frames and call_indirect.
  (table funcref (elem $throw-e1 $nothing))
  (type $i32-void (func (param i32)))
  (func $deep (param i32)
    (if (local.get 0)
      (then (call $deep (i32.sub (local.get 0) (i32.const 1))))
      (else (call_indirect (type $i32-void) (i32.const 77) (i32.const 0))))
  )
  (func (export "across-frames") (param i32) (result i32)
    try (result i32)
      (call $deep (local.get 0))
      (i32.const 0)
    catch $e1
    end
  )

  ;; rethrow 0 in a catch clause passes the same exception on.
  (func (export "rethrow-0") (result i32)
    try (result i32)
      try
        (call $throw-e1 (i32.const 21))
      catch $e1
        (drop)
        (rethrow 0)
      end
      (i32.const 0)
    catch $e1
    end
  )

  ;; rethrow 1 from inside a nested try's clause rethrows the *outer* clause's exception.
  (func (export "rethrow-1") (result i32)
    try (result i32)
      try
        (throw $e1 (i32.const 1))
      catch $e1
        (drop)
        try
          (throw $e1 (i32.const 2))
        catch $e1
          (drop)
          (rethrow 1)
        end
      end
      (i32.const 0)
    catch $e1
    end
  )

  ;; rethrow from catch_all keeps the tag and payload.
  (func (export "rethrow-catch-all") (result i32)
    try (result i32)
      try
        (call $throw-e1 (i32.const 33))
      catch_all
        (rethrow 0)
      end
      (i32.const 0)
    catch $e1
    end
  )

  ;; rethrow inside a block inside the clause: the depth counts the block.
  (func (export "rethrow-in-block") (result i32)
    try (result i32)
      try
        (throw $e0)
      catch $e0
        (block (rethrow 1))
      end
      (i32.const 0)
    catch $e0
      (i32.const 12)
    end
  )

  ;; delegate 0: to the try just outside.
  (func (export "delegate-0") (result i32)
    try (result i32)
      try
        (call $throw-e1 (i32.const 8))
      delegate 0
      (i32.const 0)
    catch $e1
      (i32.add (i32.const 200))
    end
  )

  ;; delegate 1 skips the try in between (its clauses are not tried).
  (func (export "delegate-skips") (result i32)
    try (result i32)
      try (result i32)
        try
          (call $throw-e1 (i32.const 9))
        delegate 1
        (i32.const 0)
      catch $e1
        (drop)
        (i32.const 1)
      end
    catch $e1
      (i32.add (i32.const 300))
    end
  )

  ;; delegate to a block label: the next handler around the block.
  (func (export "delegate-block") (result i32)
    try (result i32)
      (block
        try
          (throw $e0)
        delegate 0
      )
      (i32.const 0)
    catch $e0
      (i32.const 4)
    end
  )

  ;; delegate to the function's label: out to the caller.
  (func $delegate-out
    try
      try
        (throw $e1 (i32.const 6))
      delegate 1
    catch_all
    end
  )
  (func (export "delegate-to-caller") (result i32)
    try (result i32)
      (call $delegate-out)
      (i32.const 0)
    catch $e1
      (i32.add (i32.const 600))
    end
  )

  ;; delegate to a try that is in its catch clauses: that try no longer catches.
  (func (export "delegate-to-catching-try") (result i32)
    try (result i32)
      try (result i32)
        (throw $e0)
      catch_all
        try
          (throw $e1 (i32.const 13))
        delegate 0
        (i32.const 0)
      end
    catch $e1
      (i32.add (i32.const 700))
    end
  )

  ;; try without clauses: exceptions pass through.
  (func (export "try-no-catch") (result i32)
    try (result i32)
      try
        (throw $e1 (i32.const 14))
      end
      (i32.const 0)
    catch $e1
    end
  )

  ;; Block parameters and branches out of the body and the clauses.
  (func (export "params-and-branches") (param i32) (result i32)
    (block $out (result i32)
      (i32.const 50)
      try (param i32) (result i32)
        (br_if $out (i32.eqz (local.get 0)))
        (call $throw-e1)
        (i32.const 0)
      catch $e1
        (br_if 0 (i32.eq (local.get 0) (i32.const 1)))
        (br $out (i32.add (i32.const 1)))
      end
    )
  )

  ;; A throw in dead code after another throw, and clauses after unreachable bodies.
  (func (export "unreachable-body") (result i32)
    try (result i32)
      (throw $e0)
      (throw $e1 (i32.const 1))
    catch $e1
      (unreachable)
    catch $e0
      (i32.const 15)
    end
  )

  ;; Nothing catches: the exception leaves the module.
  (func (export "uncaught") (call $throw-e1 (i32.const 1)))
  (func (export "rethrow-uncaught")
    try
      (throw $e0)
    catch_all
      (rethrow 0)
    end
  )
  (func (export "delegate-uncaught")
    try
      (throw $e0)
    delegate 0
  )

  ;; A try in a loop: a handler per iteration, the exception caught every time.
  (func (export "loop-count") (param i32) (result i32)
    (local $caught i32)
    (loop $l
      try
        (call $throw-e1 (local.get 0))
      catch $e1
        (drop)
        (local.set $caught (i32.add (local.get $caught) (i32.const 1)))
      end
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (local.get 0))
    )
    (local.get $caught)
  )
)

(assert_return (invoke "catch-payload" (i32.const 5)) (i32.const 105))
(assert_return (invoke "no-throw") (i32.const 7))
(assert_return (invoke "select-clause" (i32.const 0)) (i32.const 10))
(assert_return (invoke "select-clause" (i32.const 1)) (i32.const 11))
(assert_return (invoke "select-clause" (i32.const 2)) (i32.const 26))
(assert_return (invoke "select-clause" (i32.const 3)) (i32.const 30))
(assert_return (invoke "select-clause" (i32.const 4)) (i32.const 99))
(assert_return (invoke "v128-payload") (i32.const 7))
(assert_return (invoke "nested-unmatched") (i32.const 1005))
(assert_return (invoke "throw-in-catch") (i32.const 43))
(assert_return (invoke "across-frames" (i32.const 0)) (i32.const 77))
(assert_return (invoke "across-frames" (i32.const 10)) (i32.const 77))
(assert_return (invoke "rethrow-0") (i32.const 21))
(assert_return (invoke "rethrow-1") (i32.const 1))
(assert_return (invoke "rethrow-catch-all") (i32.const 33))
(assert_return (invoke "rethrow-in-block") (i32.const 12))
(assert_return (invoke "delegate-0") (i32.const 208))
(assert_return (invoke "delegate-skips") (i32.const 309))
(assert_return (invoke "delegate-block") (i32.const 4))
(assert_return (invoke "delegate-to-caller") (i32.const 606))
(assert_return (invoke "delegate-to-catching-try") (i32.const 713))
(assert_return (invoke "try-no-catch") (i32.const 14))
(assert_return (invoke "params-and-branches" (i32.const 0)) (i32.const 50))
(assert_return (invoke "params-and-branches" (i32.const 1)) (i32.const 50))
(assert_return (invoke "params-and-branches" (i32.const 2)) (i32.const 51))
(assert_return (invoke "unreachable-body") (i32.const 15))
(assert_exception (invoke "uncaught"))
(assert_exception (invoke "rethrow-uncaught"))
(assert_exception (invoke "delegate-uncaught"))
(assert_return (invoke "loop-count" (i32.const 1000)) (i32.const 1000))

(register "m" $m)

;; Both encodings in one module, and tags across modules.
(module
  (tag $e0 (import "m" "e0"))
  (func $import-throw-e1 (import "m" "uncaught"))
  (func $import-throw-e0 (import "m" "rethrow-uncaught"))
  (tag $local (param i32))

  ;; A legacy catch catches what a try_table body throws past its own clauses.
  (func (export "legacy-around-try-table") (result i32)
    try (result i32)
      (block $h
        (try_table (catch $e0 $h) (throw $local (i32.const 1)))
      )
      (i32.const 0)
    catch $local
      (i32.add (i32.const 500))
    end
  )

  ;; A try_table catches what a legacy rethrow throws, by reference.
  (func (export "try-table-around-rethrow") (result i32)
    (block $h (result exnref)
      (try_table (catch_all_ref $h)
        try
          (throw $local (i32.const 2))
        catch_all
          (rethrow 0)
        end
      )
      (return (i32.const 0))
    )
    (drop)
    (i32.const 2)
  )

  ;; throw_ref of what a try_table caught reaches a legacy catch with its payload.
  (func (export "throw-ref-to-legacy") (result i32)
    try (result i32)
      (block $h (result i32 exnref)
        (try_table (catch_ref $local $h) (throw $local (i32.const 3)))
        (return (i32.const 0))
      )
      (throw_ref)
    catch $local
    end
  )

  ;; An imported tag matches the exporting module's exceptions (thrown in that module), and
  ;; only those.
  (func (export "imported-tag") (result i32)
    try (result i32)
      (call $import-throw-e0)
      (i32.const 0)
    catch $e0
      (i32.const 8)
    catch_all
      (i32.const -1)
    end
  )
  (func (export "other-tag") (result i32)
    try (result i32)
      (call $import-throw-e1)
      (i32.const 0)
    catch $e0
      (i32.const -1)
    catch_all
      (i32.const 9)
    end
  )
)

(assert_return (invoke "legacy-around-try-table") (i32.const 501))
(assert_return (invoke "try-table-around-rethrow") (i32.const 2))
(assert_return (invoke "throw-ref-to-legacy") (i32.const 3))
(assert_return (invoke "imported-tag") (i32.const 8))
(assert_return (invoke "other-tag") (i32.const 9))

(assert_invalid
  (module (func (rethrow 0)))
  "invalid rethrow label"
)
(assert_invalid
  (module (func try  catch_all  catch_all  end))
  "catch found outside of an `try` block"
)
(assert_invalid
  (module (tag $e (param i32)) (func try  catch $e  end))
  "type mismatch"
)
