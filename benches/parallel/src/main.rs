//! The parallel benchmark: a Mandelbrot set rendered by rayon, one row per work item, on the
//! global pool (RAYON_NUM_THREADS threads). Prints a checksum that does not depend on the number
//! of threads: the iteration counts, summed and hashed per row in order.

use rayon::prelude::*;

const WIDTH: usize = 1600;
const HEIGHT: usize = 1200;
const MAX_ITER: u32 = 1000;

/// Iterations of z = z² + c before |z| > 2, at most MAX_ITER.
fn escape_time(cr: f64, ci: f64) -> u32 {
    let (mut zr, mut zi) = (0.0f64, 0.0f64);
    for i in 0..MAX_ITER {
        let (zr2, zi2) = (zr * zr, zi * zi);
        if zr2 + zi2 > 4.0 {
            return i;
        }
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
    }
    MAX_ITER
}

/// The row's iteration counts: their sum and an FNV-1a hash.
fn row(y: usize) -> (u64, u64) {
    let ci = -1.2 + 2.4 * y as f64 / HEIGHT as f64;
    (0..WIDTH).fold((0, 0xcbf2_9ce4_8422_2325), |(sum, hash), x| {
        let n = escape_time(-2.2 + 3.2 * x as f64 / WIDTH as f64, ci);
        (
            sum + n as u64,
            (hash ^ n as u64).wrapping_mul(0x0000_0100_0000_01b3),
        )
    })
}

fn main() {
    let rows: Vec<(u64, u64)> = (0..HEIGHT).into_par_iter().map(row).collect();
    let total: u64 = rows.iter().map(|r| r.0).sum();
    let hash = rows.iter().fold(0u64, |h, r| h.rotate_left(5) ^ r.1);
    println!(
        "mandelbrot {WIDTH}x{HEIGHT}, {MAX_ITER} iterations at most, {} rows",
        rows.len()
    );
    println!("iterations {total}, checksum {hash:016x}");
}
