//! std threads: `thread::spawn` and join, a `Mutex`, `mpsc` channels and a `Barrier`, with
//! output that does not depend on the scheduling (test program of wasm2native's threads support).

use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

const WORKERS: u64 = 4;
const N: u64 = 200_000;

/// Workers add their share of 0..N into a `Mutex`, meet at a `Barrier` and then all read the
/// finished total; each reports over a channel.
fn mutex_and_barrier() {
    let total = Arc::new(Mutex::new(0u64));
    let barrier = Arc::new(Barrier::new(WORKERS as usize));
    let (tx, rx) = mpsc::channel();
    let handles: Vec<_> = (0..WORKERS)
        .map(|id| {
            let (total, barrier, tx) = (Arc::clone(&total), Arc::clone(&barrier), tx.clone());
            thread::spawn(move || {
                let mut mine = 0u64;
                for i in (id..N).step_by(WORKERS as usize) {
                    *total.lock().unwrap() += i;
                    mine += i;
                }
                let leader = barrier.wait().is_leader();
                // Every add happened before the barrier: all workers see the same total.
                let seen = *total.lock().unwrap();
                tx.send((id, mine, seen, leader)).unwrap();
                id * 100
            })
        })
        .collect();
    drop(tx);
    let mut reports: Vec<_> = rx.iter().collect();
    reports.sort();
    let leaders = reports.iter().filter(|r| r.3).count();
    for (id, mine, seen, _) in &reports {
        println!("worker {id}: added {mine}, saw total {seen}");
    }
    let joined: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    println!("joined {joined:?}, barrier leaders: {leaders}");
    println!(
        "total {} (expected {})",
        *total.lock().unwrap(),
        N * (N - 1) / 2
    );
}

/// A pipeline of three threads: a producer, a squaring stage and the main thread summing.
fn pipeline() {
    let (numbers_tx, numbers_rx) = mpsc::channel::<u64>();
    let (squares_tx, squares_rx) = mpsc::sync_channel::<u64>(16);
    let producer = thread::spawn(move || {
        for i in 1..=10_000 {
            numbers_tx.send(i).unwrap();
        }
    });
    let squarer = thread::spawn(move || {
        let mut count = 0;
        for n in numbers_rx {
            squares_tx.send(n * n).unwrap();
            count += 1;
        }
        count
    });
    let sum: u64 = squares_rx.iter().sum();
    producer.join().unwrap();
    let count = squarer.join().unwrap();
    println!("pipeline: {count} squares, sum {sum}");
}

fn main() {
    mutex_and_barrier();
    pipeline();
    let name = thread::Builder::new()
        .name("named".into())
        .spawn(|| thread::current().name().unwrap().to_string())
        .unwrap()
        .join()
        .unwrap();
    println!("thread name: {name}");
}
