// setjmp/longjmp, which clang lowers to wasm exceptions (-mllvm -wasm-enable-sjlj): the value
// passed through longjmp, longjmp(env, 0) arriving as 1, jumps out of deep call chains, nested
// jump buffers where the inner one is abandoned and the outer one still works, re-entering
// the same setjmp many times, and volatile locals that keep their values across the jump.
#include <setjmp.h>
#include <stdio.h>

static jmp_buf outer_env;
static int depth_reached;

__attribute__((noinline)) static void dive(jmp_buf env, int depth, int target) {
    depth_reached = depth;
    if (depth == target) {
        printf("  longjmp from depth %d\n", depth);
        longjmp(env, depth * 10);
    }
    dive(env, depth + 1, target);
    printf("  never printed (%d)\n", depth);
}

static void value_passing(void) {
    printf("value passing:\n");
    for (int target = 1; target <= 3; target++) {
        jmp_buf env;
        int r = setjmp(env);
        if (r == 0) {
            dive(env, 0, target * 4);
        } else {
            printf("  setjmp returned %d after reaching depth %d\n", r, depth_reached);
        }
    }
}

__attribute__((noinline)) static void jump_with_zero(jmp_buf env) {
    longjmp(env, 0);
}

static void zero_becomes_one(void) {
    printf("longjmp(env, 0):\n");
    jmp_buf env;
    int r = setjmp(env);
    if (r == 0) {
        jump_with_zero(env);
    }
    printf("  setjmp returned %d\n", r);
}

__attribute__((noinline)) static int inner_work(int n) {
    jmp_buf inner_env;
    int r = setjmp(inner_env);
    if (r == 0) {
        if (n % 2 == 0) {
            longjmp(inner_env, n + 100); // handled right here
        }
        longjmp(outer_env, n); // skips this frame's setjmp entirely
    }
    printf("  inner setjmp got %d\n", r);
    return r;
}

static void nested(void) {
    printf("nested setjmp:\n");
    for (int n = 1; n <= 4; n++) {
        int r = setjmp(outer_env);
        if (r == 0) {
            int got = inner_work(n);
            printf("  inner_work(%d) returned %d\n", n, got);
        } else {
            printf("  outer setjmp got %d\n", r);
        }
    }
}

static void reentry(void) {
    printf("re-entering one setjmp:\n");
    jmp_buf env;
    volatile int count = 0;
    volatile long sum = 0;
    int r = setjmp(env);
    sum += r;
    if (count < 1000) {
        count++;
        longjmp(env, count);
    }
    printf("  count %d, sum of values %ld, last %d\n", count, sum, r);
}

int main(void) {
    value_passing();
    zero_becomes_one();
    nested();
    reentry();
    printf("done\n");
    return 0;
}
