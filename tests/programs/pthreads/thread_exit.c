/* A worker thread calls exit(3) while the main thread waits on a condition variable that is
 * never signalled: the process ends with status 3 and the stdio buffers flushed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg) {
    (void)arg;
    /* Taking the lock means main is inside pthread_cond_wait. */
    pthread_mutex_lock(&lock);
    printf("worker: exiting with 3 (no newline, exit flushes)");
    exit(3);
}

int main(void) {
    pthread_t t;
    printf("main: waiting for ever\n");
    pthread_mutex_lock(&lock);
    if (pthread_create(&t, NULL, worker, NULL) != 0)
        return 1;
    for (;;)
        pthread_cond_wait(&never, &lock);
}
