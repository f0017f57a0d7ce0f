/* pthreads: mutex, condition variables and join, with output independent of the scheduling.
 * A bounded queue (one mutex, two condition variables) carries 20000 numbers from two producers
 * to three consumers; each consumer returns its count through pthread_join. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define CAPACITY 8
#define PER_PRODUCER 10000
#define PRODUCERS 2
#define CONSUMERS 3

static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int items[CAPACITY];
    int head, len, producers_left;
    uint64_t sum;
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
       {0}, 0, 0, PRODUCERS, 0};

static void *produce(void *arg) {
    int base = (int)(intptr_t)arg * PER_PRODUCER;
    for (int i = 1; i <= PER_PRODUCER; i++) {
        pthread_mutex_lock(&q.lock);
        while (q.len == CAPACITY)
            pthread_cond_wait(&q.not_full, &q.lock);
        q.items[(q.head + q.len++) % CAPACITY] = base + i;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.lock);
    }
    pthread_mutex_lock(&q.lock);
    q.producers_left--;
    pthread_cond_broadcast(&q.not_empty); /* consumers may be waiting for the end */
    pthread_mutex_unlock(&q.lock);
    return NULL;
}

static void *consume(void *arg) {
    (void)arg;
    intptr_t count = 0;
    for (;;) {
        pthread_mutex_lock(&q.lock);
        while (q.len == 0 && q.producers_left > 0)
            pthread_cond_wait(&q.not_empty, &q.lock);
        if (q.len == 0) {
            pthread_mutex_unlock(&q.lock);
            return (void *)count;
        }
        int item = q.items[q.head];
        q.head = (q.head + 1) % CAPACITY;
        q.len--;
        q.sum += (uint64_t)item;
        pthread_cond_signal(&q.not_full);
        pthread_mutex_unlock(&q.lock);
        count++;
    }
}

int main(void) {
    pthread_t producers[PRODUCERS], consumers[CONSUMERS];
    for (int i = 0; i < CONSUMERS; i++)
        if (pthread_create(&consumers[i], NULL, consume, NULL) != 0)
            return 1;
    for (int i = 0; i < PRODUCERS; i++)
        if (pthread_create(&producers[i], NULL, produce, (void *)(intptr_t)i) != 0)
            return 1;
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(producers[i], NULL);
    intptr_t consumed = 0;
    for (int i = 0; i < CONSUMERS; i++) {
        void *count;
        pthread_join(consumers[i], &count);
        consumed += (intptr_t)count;
    }
    uint64_t n = PRODUCERS * PER_PRODUCER;
    printf("consumed %ld items, sum %llu (expected %llu)\n", (long)consumed,
           (unsigned long long)q.sum, (unsigned long long)(n * (n + 1) / 2));
    printf("queue empty: %s\n", q.len == 0 ? "yes" : "no");
    return consumed == (intptr_t)n && q.sum == n * (n + 1) / 2 ? 0 : 1;
}
