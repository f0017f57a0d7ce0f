/* A worker thread traps (__builtin_trap: the wasm `unreachable` instruction) while the main
 * thread waits in pthread_join: the whole process ends with the trap report, naming the
 * worker's function, and status 134. */
#include <pthread.h>
#include <stdio.h>

__attribute__((noinline)) static void worker_gives_up(int why) {
    printf("worker giving up (%d)\n", why);
    fflush(stdout);
    __builtin_trap();
}

static void *worker(void *arg) {
    worker_gives_up((int)(long)arg);
    return NULL;
}

int main(void) {
    pthread_t t;
    printf("main waiting\n");
    fflush(stdout);
    if (pthread_create(&t, NULL, worker, (void *)7L) != 0)
        return 1;
    pthread_join(t, NULL);
    printf("not reached\n");
    return 0;
}
