// Empty: this package only pins the crates that carry the benchmark corpus's C sources.
