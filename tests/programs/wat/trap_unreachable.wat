;; expect-trap: unreachable
;; expect-frame: hit_unreachable
(module
  (func $hit_unreachable
    unreachable)
  (func $_start (export "_start")
    call $hit_unreachable))
