;; Valid wasm needing multiple memories, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: multiple memories`).
(module (memory 1) (memory 1))
