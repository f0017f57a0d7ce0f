;; Valid wasm needing extended constant expressions, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: constant expression required: non-constant operator: i32.add`).
(module (global i32 (i32.add (i32.const 1) (i32.const 2))))
