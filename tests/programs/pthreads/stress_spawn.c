/* Stress: 1,000 threads spawned (all alive at once: each waits at a barrier until the last one
 * is created) and joined; each returns a value derived from its argument. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 1000

static pthread_barrier_t all_started;
static int started;

static void *run(void *arg) {
    __atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
    pthread_barrier_wait(&all_started);
    return (void *)((intptr_t)arg * 3 + 1);
}

int main(void) {
    static pthread_t t[THREADS];
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024); /* 1000 stacks in linear memory: 64 MiB */
    pthread_barrier_init(&all_started, NULL, THREADS + 1);
    for (int i = 0; i < THREADS; i++) {
        int err = pthread_create(&t[i], &attr, run, (void *)(intptr_t)i);
        if (err != 0) {
            printf("pthread_create %d failed: %d\n", i, err);
            return 1;
        }
    }
    pthread_barrier_wait(&all_started);
    long long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        sum += (intptr_t)r;
    }
    long long want = 3LL * THREADS * (THREADS - 1) / 2 + THREADS;
    printf("%d threads started together and joined, sum %lld (expected %lld)\n",
           __atomic_load_n(&started, __ATOMIC_SEQ_CST), sum, want);
    return sum == want ? 0 : 1;
}
