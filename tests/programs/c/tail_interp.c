/* A tail-calling bytecode interpreter: each opcode handler ends by calling the next handler
 * through a table with `musttail`, the shape fast interpreters (wasm3, CPython 3.14's
 * tail-calling build) use. Built with clang -mtail-call, every dispatch is a wasm
 * `return_call_indirect`: the interpreter runs hundreds of millions of handlers in constant
 * stack. Without tail calls it would need one frame per executed instruction. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_MOD, OP_LT, OP_JZ, OP_JMP,
       OP_PRINT, OP_HALT, NUM_OPS };

typedef struct {
    int64_t stack[64];
    int64_t vars[8];
} Vm;

typedef int64_t (*Handler)(Vm *vm, const int32_t *pc, int sp, uint64_t steps);
static const Handler handlers[NUM_OPS];

#define NEXT(vm, pc, sp, steps) \
    __attribute__((musttail)) return handlers[*(pc)]((vm), (pc), (sp), (steps) + 1)

static int64_t op_push(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    vm->stack[sp++] = pc[1];
    NEXT(vm, pc + 2, sp, steps);
}
static int64_t op_load(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    vm->stack[sp++] = vm->vars[pc[1]];
    NEXT(vm, pc + 2, sp, steps);
}
static int64_t op_store(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    vm->vars[pc[1]] = vm->stack[--sp];
    NEXT(vm, pc + 2, sp, steps);
}
#define BINARY(name, expr)                                                   \
    static int64_t name(Vm *vm, const int32_t *pc, int sp, uint64_t steps) { \
        int64_t b = vm->stack[--sp], a = vm->stack[--sp];                    \
        vm->stack[sp++] = (expr);                                            \
        NEXT(vm, pc + 1, sp, steps);                                         \
    }
BINARY(op_add, a + b)
BINARY(op_sub, a - b)
BINARY(op_mul, a * b)
BINARY(op_mod, a % b)
BINARY(op_lt, a < b)
static int64_t op_jz(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    int64_t v = vm->stack[--sp];
    NEXT(vm, v ? pc + 2 : pc + pc[1], sp, steps);
}
static int64_t op_jmp(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    NEXT(vm, pc + pc[1], sp, steps);
}
static int64_t op_print(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    printf("%lld\n", (long long)vm->stack[--sp]);
    NEXT(vm, pc + 1, sp, steps);
}
static int64_t op_halt(Vm *vm, const int32_t *pc, int sp, uint64_t steps) {
    (void)vm, (void)pc, (void)sp;
    return (int64_t)steps;
}

static const Handler handlers[NUM_OPS] = {
    op_push, op_load, op_store, op_add, op_sub, op_mul, op_mod, op_lt, op_jz, op_jmp,
    op_print, op_halt,
};

/* i = 0; acc = 0; while (i < n) { acc = (acc * 31 + i) % 1000003; i = i + 1; } print acc;
 * print i */
static const int32_t program[] = {
    OP_PUSH, 0, OP_STORE, 0,                    /* 0: i = 0 */
    OP_PUSH, 0, OP_STORE, 1,                    /* 4: acc = 0 */
    OP_LOAD, 0, OP_LOAD, 2, OP_LT, OP_JZ, 24,   /* 8: while (i < n), to 37 */
    OP_LOAD, 1, OP_PUSH, 31, OP_MUL,            /* 15: acc = (acc * 31 */
    OP_LOAD, 0, OP_ADD, OP_PUSH, 1000003, OP_MOD, OP_STORE, 1, /* 20: + i) % 1000003 */
    OP_LOAD, 0, OP_PUSH, 1, OP_ADD, OP_STORE, 0, /* 28: i = i + 1 */
    OP_JMP, -27,                                /* 35: to 8 */
    OP_LOAD, 1, OP_PRINT, OP_LOAD, 0, OP_PRINT, OP_HALT, /* 37 */
};

int main(int argc, char **argv) {
    Vm vm = {0};
    vm.vars[2] = argc > 1 ? atoll(argv[1]) : 5000000;
    int64_t steps = handlers[program[0]](&vm, program, 0, 0);
    printf("%lld handlers executed\n", (long long)steps);
    return 0;
}
