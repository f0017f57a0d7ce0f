// An exception that nothing catches. Natively std::terminate aborts (exit status 134); compiled
// from wasm the throw leaves _start, and the program ends like a trap: `error: wasm trap:
// uncaught wasm exception`, the wasm backtrace of the throw, exit status 134. On the way out
// it passes a catch clause of another type, which in wasm catches and rethrows it.
// (No destructors on that path: wasm unwinds in one phase and would run them, a native C++
// runtime finds no handler first and terminates without unwinding.)
#include <cstdio>
#include <stdexcept>

__attribute__((noinline)) void validate_config(int value) {
    if (value > 10) {
        throw std::range_error("config value out of range");
    }
    std::printf("config value %d is fine\n", value);
}

__attribute__((noinline)) void load_config(int value) {
    try {
        validate_config(value);
    } catch (const std::logic_error &e) { // does not match a range_error (a runtime_error)
        std::printf("not reached: %s\n", e.what());
    }
}

int main() {
    load_config(3);
    std::printf("loading a bad config\n");
    std::fflush(stdout); // a trap, like abort(), loses buffered output
    load_config(12);
    std::printf("not reached\n");
    return 0;
}
