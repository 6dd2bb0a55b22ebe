// A Rayon-like work-splitting pool written with std only: a fixed set of worker threads
// taking jobs from one shared deque (Mutex + Condvar), `join(a, b)` that pushes one half as
// a job and runs the other itself (helping with queued jobs while it waits, as Rayon's
// work stealing does), and on top of it a parallel sum, a parallel merge sort and a
// parallel map-reduce over a hash. The output is independent of which thread ran what.
use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

type Job = Box<dyn FnOnce() + Send + 'static>;

struct Shared {
    queue: Mutex<(VecDeque<Job>, bool)>,
    ready: Condvar,
    jobs_run: AtomicUsize,
}

#[derive(Clone)]
struct Pool {
    shared: Arc<Shared>,
}

impl Pool {
    fn new(workers: usize) -> (Pool, Vec<thread::JoinHandle<()>>) {
        let shared = Arc::new(Shared { queue: Mutex::new((VecDeque::new(), false)), ready: Condvar::new(), jobs_run: AtomicUsize::new(0) });
        let handles = (0..workers)
            .map(|i| {
                let s = Arc::clone(&shared);
                thread::Builder::new().name(format!("worker-{}", i)).spawn(move || worker(s)).unwrap()
            })
            .collect();
        (Pool { shared }, handles)
    }

    fn push(&self, job: Job) {
        let mut q = self.shared.queue.lock().unwrap();
        q.0.push_back(job);
        self.shared.ready.notify_one();
    }

    /// Run one queued job on this thread, if there is one (helping while waiting).
    fn help(&self) -> bool {
        let job = self.shared.queue.lock().unwrap().0.pop_back();
        match job {
            Some(job) => {
                job();
                self.shared.jobs_run.fetch_add(1, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Run `a` here and `b` as a job another thread may take; return both results.
    fn join<A, B, RA, RB>(&self, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA,
        B: FnOnce() -> RB + Send + 'static,
        RB: Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        self.push(Box::new(move || {
            let _ = tx.send(b());
        }));
        let ra = a();
        loop {
            if let Ok(rb) = rx.try_recv() {
                return (ra, rb);
            }
            if !self.help() {
                // Nothing left to help with: the other half is running elsewhere.
                return (ra, rx.recv().unwrap());
            }
        }
    }

    fn shutdown(&self, handles: Vec<thread::JoinHandle<()>>) {
        self.shared.queue.lock().unwrap().1 = true;
        self.shared.ready.notify_all();
        for h in handles {
            h.join().unwrap();
        }
    }
}

fn worker(s: Arc<Shared>) {
    loop {
        let job = {
            let mut q = s.queue.lock().unwrap();
            loop {
                if let Some(job) = q.0.pop_front() {
                    break job;
                }
                if q.1 {
                    return;
                }
                q = s.ready.wait(q).unwrap();
            }
        };
        job();
        s.jobs_run.fetch_add(1, Ordering::Relaxed);
    }
}

fn par_sum(pool: &Pool, v: Arc<Vec<u64>>, lo: usize, hi: usize) -> u64 {
    if hi - lo <= 2048 {
        return v[lo..hi].iter().sum();
    }
    let mid = (lo + hi) / 2;
    let (p, v2) = (pool.clone(), Arc::clone(&v));
    let (a, b) = pool.join(|| par_sum(pool, v, lo, mid), move || par_sum(&p, v2, mid, hi));
    a + b
}

fn par_sort(pool: &Pool, v: Vec<u32>) -> Vec<u32> {
    if v.len() <= 1024 {
        let mut v = v;
        v.sort_unstable();
        return v;
    }
    let mut left = v;
    let right = left.split_off(left.len() / 2);
    let p = pool.clone();
    let (l, r) = pool.join(|| par_sort(pool, left), move || par_sort(&p, right));
    let mut out = Vec::with_capacity(l.len() + r.len());
    let (mut i, mut j) = (0, 0);
    while i < l.len() && j < r.len() {
        if l[i] <= r[j] {
            out.push(l[i]);
            i += 1;
        } else {
            out.push(r[j]);
            j += 1;
        }
    }
    out.extend_from_slice(&l[i..]);
    out.extend_from_slice(&r[j..]);
    out
}

/// FNV-1a of a number's decimal digits: a small CPU-bound map step.
fn fnv(n: u64) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in n.to_string().bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn par_map_reduce(pool: &Pool, lo: u64, hi: u64) -> (u64, u64) {
    if hi - lo <= 1000 {
        return (lo..hi).map(fnv).fold((0, 0), |(x, m), h| (x ^ h, m.max(h)));
    }
    let mid = (lo + hi) / 2;
    let p = pool.clone();
    let ((x1, m1), (x2, m2)) = pool.join(|| par_map_reduce(pool, lo, mid), move || par_map_reduce(&p, mid, hi));
    (x1 ^ x2, m1.max(m2))
}

fn main() {
    let (pool, handles) = Pool::new(4);

    let v: Arc<Vec<u64>> = Arc::new((1..=200_000u64).collect());
    let sum = par_sum(&pool, Arc::clone(&v), 0, v.len());
    println!("sum 1..=200000 = {} (expected {})", sum, 200_000u64 * 200_001 / 2);

    // A linear congruential sequence: the same input on every machine.
    let mut x: u32 = 12345;
    let data: Vec<u32> = (0..50_000)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            x >> 8
        })
        .collect();
    let mut expected = data.clone();
    expected.sort_unstable();
    let sorted = par_sort(&pool, data);
    println!("sorted {} values: {}, first {:?}, last {:?}", sorted.len(), sorted == expected, &sorted[..3], &sorted[sorted.len() - 3..]);

    let (xor, max) = par_map_reduce(&pool, 0, 100_000);
    let (sx, sm) = (0..100_000u64).map(fnv).fold((0, 0), |(x, m), h| (x ^ h, m.max(h)));
    println!("map-reduce over 100000: xor {:016x} max {:016x} (sequential agrees: {})", xor, max, (xor, max) == (sx, sm));

    pool.shutdown(handles);
    println!("jobs run: {}", if pool.shared.jobs_run.load(Ordering::Relaxed) > 0 { "some" } else { "none" });
}
