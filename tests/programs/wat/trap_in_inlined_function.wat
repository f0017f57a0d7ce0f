;; expect-trap: integer divide by zero
;; expect-backtrace: divide, compute, _start
;; At -O2 `divide` is inlined into `compute` (called through a table, so not inlined itself):
;; the trap site lies in compute's code, and the backtrace still shows `divide` as a frame.
(module
  (type $t (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $compute)
  (func $divide (param i32 i32) (result i32)
    (i32.div_u (local.get 0) (local.get 1)))
  (func $compute (type $t) (param i32) (result i32)
    (call $divide (i32.const 10) (local.get 0)))
  (func $_start (export "_start")
    (drop (call_indirect (type $t) (i32.const 0) (i32.const 0)))))
