;; Valid wasm needing GC types, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `unsupported: garbage collection (struct type) at offset N`).
(module (type (struct)))
