/* Stress: 8 threads each add 1 to one shared counter 1,000,000 times with an atomic
 * read-modify-write (i32.atomic.rmw.add in wasm); the counter must end at exactly 8,000,000.
 * The threads start together (a spin on a flag) so that the adds contend. */
#include <pthread.h>
#include <stdio.h>

#define THREADS 8
#define ADDS 1000000

static int counter;
static int go;

static void *add(void *arg) {
    (void)arg;
    while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
        ;
    for (int i = 0; i < ADDS; i++)
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, add, NULL) != 0)
            return 1;
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    int total = __atomic_load_n(&counter, __ATOMIC_SEQ_CST);
    printf("%d threads x %d atomic adds: counter %d\n", THREADS, ADDS, total);
    return total == THREADS * ADDS ? 0 : 1;
}
