;; Valid wasm needing relaxed SIMD, beyond WebAssembly 2.0. wasm2native must reject it with
;; exit 1 and one `error:` line; with --strict-unsupported that line must say `unsupported`
;; (wasm2native says `invalid wasm at byte offset N: relaxed SIMD support is not enabled`).
(module (func (param v128) (result v128) local.get 0 local.get 0 i8x16.relaxed_swizzle))
