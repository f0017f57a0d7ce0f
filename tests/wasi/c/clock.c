/* clock_res_get, clock_time_get, poll_oneoff with clock subscriptions (relative, absolute,
 * several at once, zero and past deadlines, bad subscriptions), sched_yield and random_get.
 * Prints no times: only what was checked about them. */
#include "common.h"

static uint64_t now(__wasi_clockid_t id) {
    __wasi_timestamp_t t = 0;
    if (__wasi_clock_time_get(id, 1, &t) != 0) {
        printf("clock_time_get(%u) failed FAIL\n", id);
        failures++;
    }
    return t;
}

static __wasi_subscription_t clock_sub(uint64_t userdata, __wasi_clockid_t id, uint64_t timeout,
                                       int abstime) {
    __wasi_subscription_t s;
    memset(&s, 0, sizeof s);
    s.userdata = userdata;
    s.u.tag = __WASI_EVENTTYPE_CLOCK;
    s.u.u.clock.id = id;
    s.u.u.clock.timeout = timeout;
    s.u.u.clock.precision = 0;
    s.u.u.clock.flags = abstime ? __WASI_SUBCLOCKFLAGS_SUBSCRIPTION_CLOCK_ABSTIME : 0;
    return s;
}

/* Polls subs; prints the events (userdata, errno, type) and checks the time waited. */
static void poll_and_print(const char *label, __wasi_subscription_t *subs, size_t n,
                           uint64_t min_ns, uint64_t max_ns) {
    __wasi_event_t ev[8];
    memset(ev, 0xee, sizeof ev);
    __wasi_size_t nev = 99;
    uint64_t t0 = now(__WASI_CLOCKID_MONOTONIC);
    int e = __wasi_poll_oneoff(subs, ev, n, &nev);
    uint64_t waited = now(__WASI_CLOCKID_MONOTONIC) - t0;
    char l[128];
    snprintf(l, sizeof l, "%s: poll_oneoff", label);
    check(l, e, 0);
    if (e) return;
    printf("%s: %u event(s)\n", label, (unsigned)nev);
    for (unsigned i = 0; i < nev && i < 8; i++)
        printf("%s: event userdata=%llu error=%s type=%u\n", label,
               (unsigned long long)ev[i].userdata, ename(ev[i].error), ev[i].type);
    snprintf(l, sizeof l, "%s: waited at least %llu ms", label,
             (unsigned long long)(min_ns / 1000000));
    expect_true(l, waited >= min_ns);
    snprintf(l, sizeof l, "%s: waited less than %llu ms", label,
             (unsigned long long)(max_ns / 1000000));
    expect_true(l, waited < max_ns);
}

int main(void) {
    const uint64_t MS = 1000000;
    __wasi_timestamp_t res = 0;
    check("clock_res_get(realtime)", __wasi_clock_res_get(__WASI_CLOCKID_REALTIME, &res), 0);
    expect_true("realtime resolution in (0, 1s]", res > 0 && res <= 1000000000);
    check("clock_res_get(monotonic)", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res), 0);
    expect_true("monotonic resolution in (0, 1s]", res > 0 && res <= 1000000000);
    check("clock_res_get(process_cputime)",
          __wasi_clock_res_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, &res), __WASI_ERRNO_BADF);
    check("clock_res_get(thread_cputime)",
          __wasi_clock_res_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, &res), __WASI_ERRNO_BADF);

    __wasi_timestamp_t t = 0;
    check("clock_time_get(realtime)", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 0, &t), 0);
    expect_true("realtime is after 2020", t > 1577836800ull * 1000000000ull);
    expect_true("realtime is before 2100", t < 4102444800ull * 1000000000ull);
    check("clock_time_get(monotonic)", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &t),
          0);
    uint64_t m1 = now(__WASI_CLOCKID_MONOTONIC);
    uint64_t m2 = now(__WASI_CLOCKID_MONOTONIC);
    expect_true("monotonic does not go back", m2 >= m1 && m1 >= t);
    check("clock_time_get(process_cputime)",
          __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 0, &t), __WASI_ERRNO_BADF);
    check("clock_time_get(thread_cputime)",
          __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 0, &t), __WASI_ERRNO_BADF);

    /* poll_oneoff with clocks. */
    __wasi_subscription_t subs[4];
    __wasi_event_t ev[4];
    __wasi_size_t nev;
    check("poll_oneoff with no subscriptions", __wasi_poll_oneoff(subs, ev, 0, &nev),
          __WASI_ERRNO_INVAL);

    subs[0] = clock_sub(42, __WASI_CLOCKID_MONOTONIC, 30 * MS, 0);
    poll_and_print("relative 30ms", subs, 1, 30 * MS, 10000 * MS);

    subs[0] = clock_sub(1, __WASI_CLOCKID_REALTIME, 10000 * MS, 0);
    subs[1] = clock_sub(2, __WASI_CLOCKID_MONOTONIC, 20 * MS, 0);
    subs[2] = clock_sub(3, __WASI_CLOCKID_MONOTONIC, 20000 * MS, 0);
    poll_and_print("earliest of 10s, 20ms, 20s", subs, 3, 20 * MS, 5000 * MS);

    subs[0] = clock_sub(7, __WASI_CLOCKID_MONOTONIC, now(__WASI_CLOCKID_MONOTONIC) + 25 * MS, 1);
    poll_and_print("absolute monotonic +25ms", subs, 1, 25 * MS, 10000 * MS);

    subs[0] = clock_sub(8, __WASI_CLOCKID_REALTIME, now(__WASI_CLOCKID_REALTIME) + 25 * MS, 1);
    subs[1] = clock_sub(9, __WASI_CLOCKID_MONOTONIC, 20000 * MS, 0);
    poll_and_print("absolute realtime +25ms", subs, 2, 20 * MS, 10000 * MS);

    subs[0] = clock_sub(10, __WASI_CLOCKID_REALTIME, 1000000000, 1);
    subs[1] = clock_sub(11, __WASI_CLOCKID_MONOTONIC, 20000 * MS, 0);
    poll_and_print("absolute realtime in the past", subs, 2, 0, 5000 * MS);

    subs[0] = clock_sub(12, __WASI_CLOCKID_MONOTONIC, 0, 0);
    poll_and_print("relative 0", subs, 1, 0, 5000 * MS);

    subs[0] = clock_sub(13, __WASI_CLOCKID_MONOTONIC, 0, 0);
    subs[1] = clock_sub(14, __WASI_CLOCKID_MONOTONIC, 0, 0);
    poll_and_print("two zero timeouts", subs, 2, 0, 5000 * MS);

    subs[0] = clock_sub(15, __WASI_CLOCKID_MONOTONIC, 10 * MS, 0);
    subs[0].u.tag = 7;
    check("poll_oneoff with a bad tag", __wasi_poll_oneoff(subs, ev, 1, &nev),
          __WASI_ERRNO_INVAL);
    subs[0] = clock_sub(16, 99, 10 * MS, 0);
    check("poll_oneoff with a bad clock id", __wasi_poll_oneoff(subs, ev, 1, &nev),
          __WASI_ERRNO_INVAL);

    check("sched_yield", __wasi_sched_yield(), 0);

    /* random_get */
    static uint8_t a[64], b[64], big[100000];
    check("random_get(0 bytes)", __wasi_random_get(a, 0), 0);
    check("random_get(64 bytes)", __wasi_random_get(a, sizeof a), 0);
    check("random_get(64 more bytes)", __wasi_random_get(b, sizeof b), 0);
    expect_true("two random buffers differ", memcmp(a, b, sizeof a) != 0);
    memset(big, 0, sizeof big);
    check("random_get(100000 bytes)", __wasi_random_get(big, sizeof big), 0);
    int zeros = 0;
    for (size_t i = sizeof big - 1000; i < sizeof big; i++) zeros += big[i] == 0;
    expect_true("the end of a big buffer is filled too", zeros < 100);
    return finish();
}
