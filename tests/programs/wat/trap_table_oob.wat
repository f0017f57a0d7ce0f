;; expect-trap: out of bounds table access
;; expect-frame: get_beyond_table
(module
  (table 2 funcref)
  (func $get_beyond_table (param $i i32) (result funcref)
    (table.get 0 (local.get $i)))
  (func $_start (export "_start")
    (drop (call $get_beyond_table (i32.const 5)))))
