;; Valid wasm needing wide arithmetic, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: wide arithmetic support is not enabled`).
(module (func (param i64 i64 i64 i64) (result i64 i64)
  local.get 0 local.get 1 local.get 2 local.get 3 i64.add128))
