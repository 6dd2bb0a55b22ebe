// Threads: spawn/join with results, mpsc channels (bounded and unbounded, several
// producers), Mutex, Condvar, RwLock, Barrier, atomics, scoped threads and thread-locals.
// The output is independent of scheduling: results are collected, then sorted or summed.
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Condvar, Mutex, RwLock};
use std::thread;

thread_local! {
    static CALLS: Cell<u32> = Cell::new(0);
}

fn work(seed: u64) -> u64 {
    let mut h = seed;
    for _ in 0..2000 {
        h ^= h << 13;
        h ^= h >> 7;
        h ^= h << 17;
        CALLS.with(|c| c.set(c.get() + 1));
    }
    h
}

fn main() {
    // Join handles return values; names are visible inside the thread.
    let handles: Vec<_> = (0..4u64)
        .map(|i| {
            thread::Builder::new()
                .name(format!("worker-{}", i))
                .spawn(move || (thread::current().name().unwrap().to_string(), work(i + 1), CALLS.with(|c| c.get())))
                .unwrap()
        })
        .collect();
    for h in handles {
        let (name, v, calls) = h.join().unwrap();
        println!("{} -> {:#018x} ({} calls)", name, v, calls);
    }
    println!("main calls {}", CALLS.with(|c| c.get()));

    // Several producers into one channel; the consumer sorts what it got.
    let (tx, rx) = mpsc::channel::<(usize, u64)>();
    for p in 0..3 {
        let tx = tx.clone();
        thread::spawn(move || {
            for k in 0..50u64 {
                tx.send((p, k * k + p as u64)).unwrap();
            }
        });
    }
    drop(tx);
    let mut got: Vec<_> = rx.iter().collect();
    got.sort();
    println!("received {} messages, sum {}, last {:?}", got.len(), got.iter().map(|m| m.1).sum::<u64>(), got.last());

    // A bounded channel of size 0: every send waits for the receiver (rendezvous).
    let (stx, srx) = mpsc::sync_channel::<String>(0);
    let producer = thread::spawn(move || {
        for w in ["alpha", "beta", "gamma"] {
            stx.send(w.to_uppercase()).unwrap();
        }
    });
    let words: Vec<String> = srx.iter().collect();
    producer.join().unwrap();
    println!("rendezvous {:?}", words);

    // Mutex + Condvar: a queue handed from producers to one consumer.
    let shared = Arc::new((Mutex::new((Vec::<u32>::new(), 0usize)), Condvar::new()));
    let mut producers = Vec::new();
    for p in 0..3u32 {
        let shared = Arc::clone(&shared);
        producers.push(thread::spawn(move || {
            for i in 0..20 {
                let (lock, cv) = &*shared;
                let mut guard = lock.lock().unwrap();
                guard.0.push(p * 100 + i);
                cv.notify_one();
            }
            let (lock, cv) = &*shared;
            lock.lock().unwrap().1 += 1;
            cv.notify_all();
        }));
    }
    let mut consumed = Vec::new();
    {
        let (lock, cv) = &*shared;
        let mut guard = lock.lock().unwrap();
        loop {
            consumed.append(&mut guard.0);
            if guard.1 == 3 && guard.0.is_empty() {
                break;
            }
            guard = cv.wait(guard).unwrap();
        }
    }
    for p in producers {
        p.join().unwrap();
    }
    consumed.sort();
    println!("condvar consumed {} items, sum {}", consumed.len(), consumed.iter().sum::<u32>());

    // Barrier: every thread's first phase is done before any second phase starts.
    let n = 4;
    let barrier = Arc::new(Barrier::new(n));
    let phase1 = Arc::new(AtomicUsize::new(0));
    let leaders = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicBool::new(true));
    let hs: Vec<_> = (0..n)
        .map(|_| {
            let (barrier, phase1, leaders, ok) = (barrier.clone(), phase1.clone(), leaders.clone(), ok.clone());
            thread::spawn(move || {
                phase1.fetch_add(1, Ordering::SeqCst);
                if barrier.wait().is_leader() {
                    leaders.fetch_add(1, Ordering::SeqCst);
                }
                if phase1.load(Ordering::SeqCst) != n {
                    ok.store(false, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("barrier: phase1 {} leaders {} ordered {}", phase1.load(Ordering::SeqCst), leaders.load(Ordering::SeqCst), ok.load(Ordering::SeqCst));

    // Atomics and a contended Mutex counter.
    let counter = Arc::new(AtomicU64::new(0));
    let locked = Arc::new(Mutex::new(0u64));
    let hs: Vec<_> = (0..4)
        .map(|t| {
            let (counter, locked) = (counter.clone(), locked.clone());
            thread::spawn(move || {
                for i in 0..1000u64 {
                    counter.fetch_add(i ^ t, Ordering::Relaxed);
                    *locked.lock().unwrap() += 1;
                    if i % 100 == 0 {
                        thread::yield_now();
                    }
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    let mut max = AtomicU64::new(5);
    max.fetch_max(9, Ordering::AcqRel);
    let swapped = max.compare_exchange(9, 11, Ordering::SeqCst, Ordering::SeqCst);
    println!("atomic {} mutex {} max {} cas {:?}", counter.load(Ordering::SeqCst), *locked.lock().unwrap(), *max.get_mut(), swapped);

    // RwLock readers and a writer; scoped threads borrowing the stack.
    let table = RwLock::new(vec![1u64; 16]);
    let mut partial = [0u64; 4];
    thread::scope(|s| {
        s.spawn(|| {
            let mut w = table.write().unwrap();
            for (i, x) in w.iter_mut().enumerate() {
                *x = i as u64 * 3;
            }
        });
    });
    thread::scope(|s| {
        for (i, slot) in partial.iter_mut().enumerate() {
            let table = &table;
            s.spawn(move || {
                let r = table.read().unwrap();
                *slot = r[i * 4..i * 4 + 4].iter().sum();
            });
        }
    });
    println!("scoped partial sums {:?}", partial);

    // Sleep and park/unpark.
    let parked = thread::spawn(|| {
        thread::park();
        "unparked"
    });
    thread::sleep(std::time::Duration::from_millis(2));
    parked.thread().unpark();
    println!("{}", parked.join().unwrap());
}
