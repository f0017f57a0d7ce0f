;; Valid wasm needing custom page sizes, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: the custom page sizes proposal must be enabled to customize a memory's page size`).
(module (memory 1 (pagesize 1)))
