;; Valid wasm needing tail calls, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: tail calls support is not enabled`).
(module (func $f (result i32) return_call $f))
