;; Valid wasm needing memory64, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: memory64 must be enabled for 64-bit memories`).
(module (memory i64 1))
