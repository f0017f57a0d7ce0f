;; expect-trap: indirect call type mismatch
;; expect-frame: call_slot
;; Slot 0 holds a (i32) -> i32 function; it is called as () -> ().
(module
  (type $void (func))
  (type $unary (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $increment)
  (func $increment (type $unary)
    (i32.add (local.get 0) (i32.const 1)))
  (func $call_slot (param $i i32)
    (call_indirect (type $void) (local.get $i)))
  (func $_start (export "_start")
    (call $call_slot (i32.const 0))))
