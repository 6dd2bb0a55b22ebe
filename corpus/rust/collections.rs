// Collections and formatting: HashMap/HashSet (seeded from getrandom, so every listing is
// sorted before it is printed), BTreeMap, VecDeque, BinaryHeap, strings, and float and
// integer formatting (shortest round-trip, exponents, fixed precision, hex).
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};
use std::cmp::Reverse;
use std::fmt::Write;

fn main() {
    // HashMap: counts of residues, a listing sorted by key.
    let mut counts: HashMap<u32, usize> = HashMap::new();
    let mut x: u32 = 12345;
    for _ in 0..5000 {
        x = x.wrapping_mul(1103515245).wrapping_add(12345);
        *counts.entry((x >> 16) % 17).or_insert(0) += 1;
    }
    let mut listing: Vec<_> = counts.iter().collect();
    listing.sort();
    println!("residues: {:?}", listing);
    counts.retain(|_, n| *n % 2 == 0);
    let mut even: Vec<_> = counts.keys().copied().collect();
    even.sort_unstable();
    println!("even counts at {:?} ({} kept)", even, counts.len());

    // String keys, removal and a second map's growth past several resizes.
    let mut words: HashMap<String, Vec<usize>> = HashMap::with_capacity(4);
    let text = "the quick brown fox jumps over the lazy dog the end fox";
    for (i, w) in text.split_whitespace().enumerate() {
        words.entry(w.to_string()).or_default().push(i);
    }
    words.remove("end");
    let mut ws: Vec<_> = words.into_iter().collect();
    ws.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    println!("words: {:?}", ws);
    let big: HashMap<u64, u64> = (0..20000u64).map(|i| (i * 2654435761 % 100003, i)).collect();
    let sum: u64 = big.values().sum();
    println!("big: len {} sum {} has 7: {}", big.len(), sum, big.contains_key(&7));

    let a: HashSet<i32> = (0..30).filter(|n| n % 2 == 0).collect();
    let b: HashSet<i32> = (0..30).filter(|n| n % 3 == 0).collect();
    let mut inter: Vec<_> = a.intersection(&b).copied().collect();
    inter.sort();
    let mut sym: Vec<_> = a.symmetric_difference(&b).copied().collect();
    sym.sort();
    println!("intersection {:?}\nsymmetric {:?}", inter, sym);

    // BTreeMap: ordered by construction, ranges, split, first/last.
    let mut tree: BTreeMap<i64, String> = BTreeMap::new();
    for i in (-20..20).rev() {
        tree.insert(i * i * i - 7 * i, format!("v{}", i));
    }
    println!("tree first {:?} last {:?}", tree.iter().next(), tree.iter().next_back());
    let mid: Vec<_> = tree.range(-50..=50).map(|(k, v)| format!("{}={}", k, v)).collect();
    println!("range: {}", mid.join(","));
    let upper = tree.split_off(&0);
    println!("split: {} below, {} at or above", tree.len(), upper.len());
    let set: BTreeSet<char> = "mississippi river".chars().collect();
    println!("chars: {:?}", set);

    let mut dq: VecDeque<u8> = VecDeque::new();
    for i in 0..10 {
        if i % 3 == 0 { dq.push_front(i) } else { dq.push_back(i) }
    }
    dq.rotate_left(4);
    println!("deque {:?}", dq);
    println!("contiguous {:?}", dq.make_contiguous());

    let mut heap = BinaryHeap::new();
    for w in ["pear", "apple", "fig", "banana", "kiwi"] {
        heap.push(Reverse((w.len(), w)));
    }
    let order: Vec<_> = std::iter::from_fn(|| heap.pop().map(|Reverse((_, w))| w)).collect();
    println!("heap order {:?}", order);

    // Sorting, dedup, binary search, chunks, windows.
    let mut v: Vec<i32> = (0..40).map(|i| (i * 37 + 11) % 23 - 11).collect();
    v.sort_by_key(|n| (n.abs(), *n));
    v.dedup();
    println!("sorted by abs {:?} find -3: {:?}", v, v.binary_search_by_key(&(3, -3), |n| (n.abs(), *n)));
    let sums: Vec<i32> = v.windows(3).map(|w| w.iter().sum()).collect();
    println!("windows {:?}", sums);

    // Strings: unicode, case, replace, parse.
    let s = "Grüße, Jürgen! ÅÄÖ ﬀ ß";
    println!("{} | {} | {} chars, {} bytes", s.to_uppercase(), s.to_lowercase(), s.chars().count(), s.len());
    println!("{:?}", s.char_indices().filter(|(_, c)| !c.is_ascii()).map(|(i, _)| i).collect::<Vec<_>>());
    let nums: Result<Vec<i64>, _> = "12 -7 0x1f 99".split(' ').map(|t| t.parse::<i64>()).collect();
    println!("parse: {:?}", nums);
    println!("{:?} {:?} {:?}", "3.25e-2".parse::<f64>(), "inf".parse::<f64>(), "1e400".parse::<f64>());

    // Floats: shortest round-trip Display and Debug, exponent, precision, specials.
    let mut out = String::new();
    for f in [0.1f64, 1.0 / 3.0, 2.0f64.sqrt(), 1e21, 1e-7, 123456789.125, f64::MAX, f64::MIN_POSITIVE, 5e-324, -0.0] {
        write!(out, "{} {:?} {:e} {:.3} {:12.4e}|", f, f, f, f, f).unwrap();
        writeln!(out, " {:#x}", f.to_bits()).unwrap();
    }
    for f in [f64::NAN, f64::INFINITY, -f64::INFINITY] {
        writeln!(out, "{} {:?} {:>8}", f, f, f).unwrap();
    }
    let g: f32 = 16777217.0;
    writeln!(out, "f32 {} {:?} {} {}", g, 0.1f32, 1.0f32 / 3.0, (0.1f32 as f64)).unwrap();
    writeln!(out, "ints {:08b} {:o} {:#X} {:+} {:>6} {:<6}| {:^7}| {}", 37u8, 511, 48879, 5, -42, 42, "mid", i128::MIN).unwrap();
    writeln!(out, "round {} {} {} {}", 2.5f64.round(), (-2.5f64).round(), 0.1 + 0.2, (0.1f64 + 0.2).mul_add(10.0, 1.0)).unwrap();
    print!("{}", out);
}
