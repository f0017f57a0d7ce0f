/* Stress: two threads hand a turn back and forth 100,000 times, sleeping in a futex wait until
 * the other one notifies (memory.atomic.wait32 / memory.atomic.notify in wasm, the futex
 * system call natively); then a wait that must time out. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __wasm__
/* 0: woken, 1: the value differed, 2: timed out (as the wasm instruction returns). */
static int futex_wait(int *addr, int expected, int64_t timeout_ns) {
    return __builtin_wasm_memory_atomic_wait32(addr, expected, timeout_ns);
}
static void futex_wake(int *addr) { __builtin_wasm_memory_atomic_notify(addr, 1); }
#else
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
static int futex_wait(int *addr, int expected, int64_t timeout_ns) {
    struct timespec ts = {timeout_ns / 1000000000, timeout_ns % 1000000000};
    if (syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, expected, timeout_ns < 0 ? NULL : &ts) == 0)
        return 0;
    return errno == EAGAIN ? 1 : errno == ETIMEDOUT ? 2 : 0;
}
static void futex_wake(int *addr) { syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1); }
#endif

#define ROUNDS 100000

static int turn; /* 0: ping's turn, 1: pong's */

/* Takes ROUNDS turns as `me`, handing each one to the other thread. */
static void play(int me) {
    for (int i = 0; i < ROUNDS; i++) {
        int seen;
        while ((seen = __atomic_load_n(&turn, __ATOMIC_SEQ_CST)) != me)
            futex_wait(&turn, seen, -1);
        __atomic_store_n(&turn, !me, __ATOMIC_SEQ_CST);
        futex_wake(&turn);
    }
}

static void *pong(void *arg) {
    (void)arg;
    play(1);
    return NULL;
}

int main(void) {
    pthread_t t;
    if (pthread_create(&t, NULL, pong, NULL) != 0)
        return 1;
    play(0);
    pthread_join(t, NULL);
    printf("%d round trips, turn back to %d\n", ROUNDS, __atomic_load_n(&turn, __ATOMIC_SEQ_CST));
    int nobody = 0;
    printf("wait with a value that differs: %d\n", futex_wait(&nobody, 1, -1));
    printf("wait of 10 ms nobody notifies: %d\n", futex_wait(&nobody, 0, 10000000));
    return 0;
}
