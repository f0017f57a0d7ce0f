;; expect-trap: uninitialized element
;; expect-frame: call_slot
;; Slot 2 of the table was never initialised: call_indirect of a null entry.
(module
  (type $void (func))
  (table 4 funcref)
  (elem (i32.const 0) $target)
  (func $target)
  (func $call_slot (param $i i32)
    (call_indirect (type $void) (local.get $i)))
  (func $_start (export "_start")
    (call $call_slot (i32.const 2))))
