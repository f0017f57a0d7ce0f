;; expect-status: 0
;; expect-stdout: 31666880\n
;; A bytecode interpreter in the shape C interpreters compile to: a loop whose header loads the
;; next opcode and dispatches with one br_table, every handler branching back to the header.
;; -O2 copies the header into each handler (codegen/dispatch.rs); the handlers use the header's
;; parameters (pc, acc, x, n) and its loaded opcode, so the copies exercise the SSA rewriting.
;; The bytecode runs a 200-iteration loop; the value printed (acc, in hex) is what a reference
;; implementation of the same machine computes.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; iovec at 0: { buf = 16, len = 9 }; bytes written go to 8. Output "%08x\n" at 16.
  (data (i32.const 0) "\10\00\00\00\09\00\00\00")
  (data (i32.const 24) "\n")
  ;; Bytecode at 64: n = 200; loop: acc += 7; acc *= 31; x = acc; mix; acc += x; rotl;
  ;; swap; if --n goto loop; halt.
  (data (i32.const 64) "\07\c8\01\07\02\1f\03\06\04\09\08\05\02\00")
  (func $run (param $pc i32) (result i32)
    (local $op i32) (local $acc i32) (local $x i32) (local $n i32) (local $t i32)
    (block $halt
      (loop $next
        (block $bad (block $rot (block $swap (block $setn (block $mix (block $loop
        (block $addx (block $stx (block $muli (block $addi (block $stop
          (br_table $stop $addi $muli $stx $addx $loop $mix $setn $swap $rot $bad
            (local.tee $op (i32.load8_u (local.get $pc)))))
          ;; 0: halt
          (br $halt))
          ;; 1: acc += imm
          (local.set $acc (i32.add (local.get $acc)
            (i32.load8_u offset=1 (local.get $pc))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
          (br $next))
          ;; 2: acc *= imm
          (local.set $acc (i32.mul (local.get $acc)
            (i32.load8_u offset=1 (local.get $pc))))
          (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
          (br $next))
        ;; 3: x = acc
        (local.set $x (local.get $acc))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
        ;; 4: acc += x
        (local.set $acc (i32.add (local.get $acc) (local.get $x)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
        ;; 5: if --n != 0 goto imm (absolute, from 64)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (local.set $pc
          (if (result i32) (local.get $n)
            (then (i32.add (i32.const 64) (i32.load8_u offset=1 (local.get $pc))))
            (else (i32.add (local.get $pc) (i32.const 2)))))
        (br $next))
        ;; 6: acc ^= acc >> 7
        (local.set $acc (i32.xor (local.get $acc)
          (i32.shr_u (local.get $acc) (i32.const 7))))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
        ;; 7: n = imm
        (local.set $n (i32.load8_u offset=1 (local.get $pc)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 2)))
        (br $next))
        ;; 8: swap acc and x
        (local.set $t (local.get $acc))
        (local.set $acc (local.get $x))
        (local.set $x (local.get $t))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
        ;; 9: acc = rotl(acc, opcode)
        (local.set $acc (i32.rotl (local.get $acc) (local.get $op)))
        (local.set $pc (i32.add (local.get $pc) (i32.const 1)))
        (br $next))
      ;; other opcodes: bad bytecode
      (unreachable)))
    (local.get $acc))
  (func $_start (export "_start")
    (local $acc i32) (local $i i32) (local $d i32)
    (local.set $acc (call $run (i32.const 64)))
    ;; acc as 8 hex digits at 16..24
    (loop $digit
      (local.set $d (i32.and (i32.shr_u (local.get $acc)
        (i32.sub (i32.const 28) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 15)))
      (i32.store8 offset=16 (local.get $i)
        (i32.add (local.get $d)
          (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $d) (i32.const 10)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $digit (i32.lt_u (local.get $i) (i32.const 8))))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))
      (then unreachable))))
