//! rayon on a fixed pool of 4 threads: a parallel sort and a parallel reduction, each checked
//! against the sequential result (test program of wasm2native's threads support).

use rayon::prelude::*;

/// xorshift64*: the same numbers on every target.
fn numbers(n: usize, mut state: u64) -> Vec<u64> {
    (0..n)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        })
        .collect()
}

/// An order-dependent checksum (FNV-1a over the values), so a wrong order shows.
fn checksum(v: &[u64]) -> u64 {
    v.iter().fold(0xcbf2_9ce4_8422_2325, |h, x| {
        (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn main() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .expect("thread pool");
    let data = numbers(500_000, 0x9e37_79b9_7f4a_7c15);

    let mut par = data.clone();
    pool.install(|| par.par_sort_unstable());
    let mut seq = data.clone();
    seq.sort_unstable();
    println!(
        "par_sort_unstable: {} values, sorted: {}, same as sequential: {}, checksum {:016x}",
        par.len(),
        par.windows(2).all(|w| w[0] <= w[1]),
        par == seq,
        checksum(&par)
    );

    let mut pairs: Vec<(u32, u32)> = data.iter().map(|x| ((x >> 48) as u32, *x as u32)).collect();
    pool.install(|| pairs.par_sort_by_key(|p| p.0));
    let stable = pairs.windows(2).all(|w| w[0].0 <= w[1].0);
    println!(
        "par_sort_by_key: sorted by key: {stable}, first {:?}, last {:?}",
        pairs[0],
        pairs[pairs.len() - 1]
    );

    let square_sum = |x: &u64| (x % 1_000_003) * (x % 1_000_003);
    let par_sum: u64 = pool.install(|| data.par_iter().map(square_sum).sum());
    let seq_sum: u64 = data.iter().map(square_sum).sum();
    println!(
        "sum of squares mod 1000003: {par_sum}, same as sequential: {}",
        par_sum == seq_sum
    );

    let (min, max) = pool.install(|| {
        data.par_iter()
            .fold(|| (u64::MAX, 0), |(lo, hi), &x| (lo.min(x), hi.max(x)))
            .reduce(|| (u64::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)))
    });
    println!(
        "min {min:016x}, max {max:016x}, match: {}",
        (min, max) == (seq[0], seq[seq.len() - 1])
    );

    let threads_used = pool.install(|| {
        (0..64)
            .into_par_iter()
            .map(|_| rayon::current_thread_index().unwrap())
            .max()
            .unwrap()
            < 4
    });
    println!(
        "pool threads: {}, indices in range: {threads_used}",
        pool.current_num_threads()
    );
}
