/* SQLite driver: an in-memory database with two tables, bulk inserts in transactions, an index,
 * indexed point and range queries, aggregates with GROUP BY, a join, updates and deletes.
 * Prints a checksum of every result row. Uses no files: SQLITE_TEMP_STORE=3 keeps temporary
 * b-trees in memory too. */
#include "bench_common.h"
#include "sqlite3.h"

static sqlite3 *db;
static uint64_t checksum = BENCH_FNV_INIT;
static long rows_seen;

static void die(const char *what) {
    fprintf(stderr, "sqlite error in %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(const char *sql) {
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite error: %s\n  in: %s\n", err ? err : "?", sql);
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die(sql);
    return st;
}

/* Steps st to completion, folding every column of every row into the checksum. */
static void drain(sqlite3_stmt *st) {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rows_seen++;
        int n = sqlite3_column_count(st);
        for (int i = 0; i < n; i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            if (t) checksum = bench_fnv1a(checksum, t, (size_t)sqlite3_column_bytes(st, i));
            checksum = bench_fnv1a(checksum, "|", 1);
        }
    }
    if (rc != SQLITE_DONE) die("step");
    sqlite3_reset(st);
}

static void query(const char *label, const char *sql) {
    sqlite3_stmt *st = prepare(sql);
    long before = rows_seen;
    drain(st);
    sqlite3_finalize(st);
    printf("%-10s %6ld rows, checksum %016llx\n", label, rows_seen - before,
           (unsigned long long)checksum);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100000;
    static const char *const cities[] = {"Amsterdam", "Berlin", "Cairo", "Delhi", "Edinburgh",
                                         "Florence", "Geneva", "Hanoi", "Istanbul", "Jakarta",
                                         "Kyoto", "Lima", "Madrid", "Nairobi", "Oslo", "Porto"};
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) die("open");
    printf("sqlite %s\n", sqlite3_libversion());
    exec("PRAGMA cache_size = -65536");
    exec("CREATE TABLE person(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,"
         " age INTEGER NOT NULL, score REAL NOT NULL)");
    exec("CREATE TABLE orders(id INTEGER PRIMARY KEY, person INTEGER NOT NULL, amount INTEGER,"
         " note TEXT)");

    bench_seed(12345);
    sqlite3_stmt *ins = prepare("INSERT INTO person(name, city, age, score) VALUES (?, ?, ?, ?)");
    exec("BEGIN");
    for (int i = 0; i < n; i++) {
        char name[32];
        int len = snprintf(name, sizeof name, "person-%08x", (unsigned)bench_rand());
        sqlite3_bind_text(ins, 1, name, len, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, cities[bench_below(16)], -1, SQLITE_STATIC);
        sqlite3_bind_int(ins, 3, 18 + (int)bench_below(70));
        sqlite3_bind_double(ins, 4, (double)bench_below(100000) / 8.0);
        if (sqlite3_step(ins) != SQLITE_DONE) die("insert person");
        sqlite3_reset(ins);
    }
    exec("COMMIT");
    sqlite3_finalize(ins);

    ins = prepare("INSERT INTO orders(person, amount, note) VALUES (?, ?, ?)");
    exec("BEGIN");
    for (int i = 0; i < 2 * n; i++) {
        char note[48];
        int len = snprintf(note, sizeof note, "order %d for %u", i, (unsigned)bench_below(997));
        sqlite3_bind_int(ins, 1, 1 + (int)bench_below((uint32_t)n));
        sqlite3_bind_int(ins, 2, (int)bench_below(50000));
        sqlite3_bind_text(ins, 3, note, len, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE) die("insert order");
        sqlite3_reset(ins);
    }
    exec("COMMIT");
    sqlite3_finalize(ins);

    exec("CREATE INDEX person_name ON person(name)");
    exec("CREATE INDEX person_city_age ON person(city, age)");
    exec("CREATE INDEX orders_person ON orders(person)");

    /* Indexed point lookups by name (half of them miss) and by primary key. */
    sqlite3_stmt *by_name = prepare("SELECT id, age, score FROM person WHERE name = ?");
    sqlite3_stmt *by_id = prepare("SELECT name, city FROM person WHERE id = ?");
    bench_seed(12345);
    for (int i = 0; i < n / 2; i++) {
        char name[32];
        int len = snprintf(name, sizeof name, "person-%08x", (unsigned)bench_rand());
        bench_rand(); bench_rand(); bench_rand();
        if (i & 1) name[7] = 'X';
        sqlite3_bind_text(by_name, 1, name, len, SQLITE_TRANSIENT);
        drain(by_name);
        sqlite3_bind_int(by_id, 1, 1 + (int)(((unsigned)i * 7919u) % (unsigned)n));
        drain(by_id);
    }
    sqlite3_finalize(by_name);
    sqlite3_finalize(by_id);
    printf("%-10s %6ld rows, checksum %016llx\n", "lookups", rows_seen,
           (unsigned long long)checksum);

    /* Range queries over the composite index. */
    sqlite3_stmt *range =
        prepare("SELECT count(*), sum(score), min(name) FROM person WHERE city = ? AND age BETWEEN ? AND ?");
    for (int i = 0; i < 2000; i++) {
        sqlite3_bind_text(range, 1, cities[i % 16], -1, SQLITE_STATIC);
        sqlite3_bind_int(range, 2, 18 + i % 60);
        sqlite3_bind_int(range, 3, 18 + i % 60 + 5);
        drain(range);
    }
    sqlite3_finalize(range);
    printf("%-10s %6ld rows, checksum %016llx\n", "ranges", rows_seen,
           (unsigned long long)checksum);

    query("group-by", "SELECT city, count(*), avg(age), sum(score) FROM person GROUP BY city"
                      " ORDER BY city");
    query("join", "SELECT p.city, count(o.id), sum(o.amount) FROM person p JOIN orders o"
                  " ON o.person = p.id WHERE p.age < 30 GROUP BY p.city ORDER BY 3 DESC");
    query("top", "SELECT name, score FROM person ORDER BY score DESC, name LIMIT 50");
    query("like", "SELECT count(*) FROM orders WHERE note LIKE '%for 99%'");
    exec("UPDATE person SET score = score * 1.5 WHERE age % 7 = 0");
    exec("DELETE FROM orders WHERE amount < 10000");
    query("after-dml", "SELECT count(*), sum(amount), total(score) FROM orders o JOIN person p"
                       " ON p.id = o.person");
    query("distinct", "SELECT count(DISTINCT substr(name, 8, 3)) FROM person");
    sqlite3_close(db);
    printf("total rows %ld, checksum %016llx\n", rows_seen, (unsigned long long)checksum);
    return 0;
}
