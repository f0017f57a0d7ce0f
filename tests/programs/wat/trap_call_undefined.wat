;; expect-trap: undefined element
;; expect-frame: call_slot
;; call_indirect with an index beyond the table's size.
(module
  (type $void (func))
  (table 4 funcref)
  (elem (i32.const 0) $target)
  (func $target)
  (func $call_slot (param $i i32)
    (call_indirect (type $void) (local.get $i)))
  (func $_start (export "_start")
    (call $call_slot (i32.const 10))))
