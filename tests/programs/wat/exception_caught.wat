;; expect-status: 0
;; expect-stdout: caught 42\n
;; An exception thrown three frames down, through call_indirect, is caught with its payload.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (tag $e (param i32))
  (type $v (func (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $thrower)
  (memory (export "memory") 1)
  (data (i32.const 16) "caught ??\n")
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func $via-table (param i32) (call_indirect (type $v) (local.get 0) (i32.const 0)))
  (func $_start (export "_start")
    (local $v i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $via-table (i32.const 42)))
      (return))
    (local.set $v)
    (i32.store8 (i32.const 23) (i32.add (i32.const 48) (i32.div_u (local.get $v) (i32.const 10))))
    (i32.store8 (i32.const 24) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
