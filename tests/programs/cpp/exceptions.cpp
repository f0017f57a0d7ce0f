// C++ exceptions across wasm frames: RAII destructors during unwinding, catch by base class,
// rethrow with `throw;`, catch (...), std::exception subclasses and what(), an exception that
// escapes a function through several frames, and exceptions thrown and caught inside
// destructors and catch blocks. Every step prints, so the run's output shows the order of
// destructors and handlers; build.sh takes the expected output from the native build.
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>

namespace {

int live_guards = 0;

/// Prints when it is built and destroyed: the destructor lines show unwinding.
struct Guard {
    const char *name;
    explicit Guard(const char *n) : name(n) {
        ++live_guards;
        std::printf("  enter %s\n", name);
    }
    ~Guard() {
        --live_guards;
        std::printf("  leave %s\n", name);
    }
    Guard(const Guard &) = delete;
    Guard &operator=(const Guard &) = delete;
};

struct AppError : std::runtime_error {
    int code;
    AppError(const std::string &what, int c) : std::runtime_error(what), code(c) {}
};

struct ParseError : AppError {
    int line;
    ParseError(const std::string &what, int l) : AppError("parse: " + what, 2), line(l) {}
};

/// Not derived from std::exception: only catch (...) or catch (const Plain &) sees it.
struct Plain {
    int value;
};

// noinline keeps the frames real: each level is a separate wasm function.
__attribute__((noinline)) void level3(int kind) {
    Guard g("level3");
    switch (kind) {
    case 0:
        throw ParseError("unexpected token", 42);
    case 1:
        throw std::out_of_range("index 7 out of range");
    case 2:
        throw Plain{1234};
    case 3:
        throw 99;
    default:
        std::printf("  level3 returns normally\n");
    }
}

__attribute__((noinline)) void level2(int kind) {
    Guard g("level2");
    level3(kind);
    std::printf("  level2 after level3\n");
}

__attribute__((noinline)) void level1(int kind) {
    Guard g("level1");
    std::string owned = "a heap string that must be freed";
    level2(kind);
    std::printf("  level1 after level2 (%zu)\n", owned.size());
}

void catch_by_base_class() {
    std::printf("catch by base class:\n");
    try {
        level1(0);
    } catch (const AppError &e) {
        std::printf("  caught AppError: %s (code %d)\n", e.what(), e.code);
        if (auto *p = dynamic_cast<const ParseError *>(&e)) {
            std::printf("  it is a ParseError at line %d\n", p->line);
        }
    }
    try {
        level1(1);
    } catch (const std::logic_error &e) {
        std::printf("  caught logic_error: %s\n", e.what());
    }
    try {
        level1(0);
    } catch (const std::exception &e) {
        std::printf("  caught std::exception: %s\n", e.what());
    }
}

__attribute__((noinline)) void rethrower(int kind) {
    Guard g("rethrower");
    try {
        level1(kind);
    } catch (const std::exception &e) {
        std::printf("  rethrower saw: %s; rethrowing\n", e.what());
        throw;
    } catch (...) {
        std::printf("  rethrower saw a non-std exception; rethrowing\n");
        throw;
    }
}

void rethrow() {
    std::printf("rethrow:\n");
    try {
        rethrower(0);
    } catch (const ParseError &e) {
        std::printf("  caught the same ParseError again: line %d\n", e.line);
    }
    try {
        rethrower(2);
    } catch (const Plain &p) {
        std::printf("  caught Plain %d\n", p.value);
    }
}

void catch_all() {
    std::printf("catch (...):\n");
    for (int kind = 0; kind < 5; kind++) {
        try {
            level1(kind);
            std::printf("  kind %d: no exception\n", kind);
        } catch (int n) {
            std::printf("  kind %d: caught int %d\n", kind, n);
        } catch (...) {
            std::exception_ptr p = std::current_exception();
            std::printf("  kind %d: caught something (%s)\n", kind, p ? "non-null" : "null");
        }
    }
}

/// An exception thrown and caught entirely inside a destructor that runs during unwinding.
struct CarefulCleanup {
    ~CarefulCleanup() {
        try {
            throw std::runtime_error("inside a destructor");
        } catch (const std::exception &e) {
            std::printf("  destructor handled: %s (uncaught now: %d)\n", e.what(),
                        std::uncaught_exceptions());
        }
    }
};

__attribute__((noinline)) int escape_depth(int n) {
    Guard g(n % 2 ? "odd frame" : "even frame");
    if (n == 0) {
        CarefulCleanup c;
        throw AppError("from the deepest frame", n);
    }
    return escape_depth(n - 1) + 1;
}

void escaping() {
    std::printf("escaping through frames:\n");
    try {
        int r = escape_depth(6);
        std::printf("  unreachable %d\n", r);
    } catch (const AppError &e) {
        std::printf("  caught at the top: %s\n", e.what());
    }
}

void nested_in_catch() {
    std::printf("throw inside a catch block:\n");
    try {
        try {
            level1(3);
        } catch (int n) {
            std::printf("  first handler got %d, throwing a new exception\n", n);
            throw std::invalid_argument("converted from int " + std::to_string(n));
        }
    } catch (const std::invalid_argument &e) {
        std::printf("  outer handler: %s\n", e.what());
    }
}

void exception_ptr_roundtrip() {
    std::printf("std::exception_ptr:\n");
    std::exception_ptr saved;
    try {
        level1(1);
    } catch (...) {
        saved = std::current_exception();
    }
    try {
        std::rethrow_exception(saved);
    } catch (const std::out_of_range &e) {
        std::printf("  rethrown from exception_ptr: %s\n", e.what());
    }
}

} // namespace

int main() {
    catch_by_base_class();
    rethrow();
    catch_all();
    escaping();
    nested_in_catch();
    exception_ptr_roundtrip();
    std::printf("guards still alive: %d\n", live_guards);
    return 0;
}
