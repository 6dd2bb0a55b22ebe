// stdin processing and a plain-Rust crypto workload: word and line statistics of stdin,
// SHA-256 (FIPS 180-4) of stdin and of generated data, and big-integer modular
// exponentiation (32-bit limbs, schoolbook multiplication, reduction by long division).
use std::collections::HashMap;
use std::io::{self, BufRead, Read, Write};

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes(block[i * 4..i * 4 + 4].try_into().unwrap());
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let mut v = h;
        for i in 0..64 {
            let s1 = v[4].rotate_right(6) ^ v[4].rotate_right(11) ^ v[4].rotate_right(25);
            let ch = (v[4] & v[5]) ^ (!v[4] & v[6]);
            let t1 = v[7].wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = v[0].rotate_right(2) ^ v[0].rotate_right(13) ^ v[0].rotate_right(22);
            let maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
            let t2 = s0.wrapping_add(maj);
            v = [t1.wrapping_add(t2), v[0], v[1], v[2], v[3].wrapping_add(t1), v[4], v[5], v[6]];
        }
        for (a, b) in h.iter_mut().zip(v) {
            *a = a.wrapping_add(b);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{:02x}", b)).collect()
}

/// An unsigned big integer, little-endian 32-bit limbs, no leading zero limbs.
#[derive(Clone, PartialEq, Debug)]
struct Big(Vec<u32>);

impl Big {
    fn from_hex(s: &str) -> Big {
        let mut limbs = Vec::new();
        let digits: Vec<u8> = s.bytes().rev().map(|c| (c as char).to_digit(16).unwrap() as u8).collect();
        for chunk in digits.chunks(8) {
            limbs.push(chunk.iter().rev().fold(0u32, |acc, d| acc << 4 | *d as u32));
        }
        Big(limbs).trim()
    }
    fn trim(mut self) -> Big {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
        self
    }
    fn bits(&self) -> usize {
        self.0.last().map_or(0, |top| self.0.len() * 32 - top.leading_zeros() as usize)
    }
    fn bit(&self, i: usize) -> bool {
        self.0.get(i / 32).map_or(false, |l| l >> (i % 32) & 1 == 1)
    }
    fn mul(&self, o: &Big) -> Big {
        let mut r = vec![0u32; self.0.len() + o.0.len()];
        for (i, &a) in self.0.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in o.0.iter().enumerate() {
                let t = a as u64 * b as u64 + r[i + j] as u64 + carry;
                r[i + j] = t as u32;
                carry = t >> 32;
            }
            r[i + o.0.len()] = carry as u32;
        }
        Big(r).trim()
    }
    /// self mod m, by shift-and-subtract over bits (m > 0).
    fn rem(&self, m: &Big) -> Big {
        let mut r = Big(Vec::new());
        for i in (0..self.bits()).rev() {
            r = r.shl1(self.bit(i));
            if r.ge(m) {
                r = r.sub(m);
            }
        }
        r
    }
    fn shl1(&self, low: bool) -> Big {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = low as u32;
        for &l in &self.0 {
            out.push(l << 1 | carry);
            carry = l >> 31;
        }
        out.push(carry);
        Big(out).trim()
    }
    fn ge(&self, o: &Big) -> bool {
        if self.0.len() != o.0.len() {
            return self.0.len() > o.0.len();
        }
        for (a, b) in self.0.iter().rev().zip(o.0.iter().rev()) {
            if a != b {
                return a > b;
            }
        }
        true
    }
    fn sub(&self, o: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for (i, &a) in self.0.iter().enumerate() {
            let t = a as i64 - *o.0.get(i).unwrap_or(&0) as i64 - borrow;
            out.push(t.rem_euclid(1 << 32) as u32);
            borrow = (t < 0) as i64;
        }
        Big(out).trim()
    }
    fn modpow(&self, e: &Big, m: &Big) -> Big {
        let mut result = Big(vec![1]).rem(m);
        let base = self.rem(m);
        for i in (0..e.bits()).rev() {
            result = result.mul(&result).rem(m);
            if e.bit(i) {
                result = result.mul(&base).rem(m);
            }
        }
        result
    }
    fn to_hex(&self) -> String {
        if self.0.is_empty() {
            return "0".into();
        }
        let mut s = format!("{:x}", self.0.last().unwrap());
        for l in self.0.iter().rev().skip(1) {
            s.push_str(&format!("{:08x}", l));
        }
        s
    }
}

fn main() {
    let mut input = Vec::new();
    io::stdin().lock().read_to_end(&mut input).unwrap();
    let text = String::from_utf8_lossy(&input);
    let mut freq: HashMap<String, usize> = HashMap::new();
    let mut lines = 0;
    for line in io::BufReader::new(&input[..]).lines() {
        lines += 1;
        for w in line.unwrap().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            *freq.entry(w.to_lowercase()).or_default() += 1;
        }
    }
    let mut top: Vec<_> = freq.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    println!("stdin: {} bytes, {} lines, {} chars, {} distinct words", input.len(), lines, text.chars().count(), freq.len());
    println!("top: {:?}", &top[..top.len().min(8)]);
    println!("sha256(stdin) = {}", hex(&sha256(&input)));

    // Known answers, then a chained hash over generated data.
    println!("sha256(\"\") = {}", hex(&sha256(b"")));
    println!("sha256(\"abc\") = {}", hex(&sha256(b"abc")));
    let mut block: Vec<u8> = (0..4096u32).map(|i| (i * 31 % 251) as u8).collect();
    let mut digest = [0u8; 32];
    for round in 0..40 {
        block[round % 4096] ^= digest[round % 32];
        digest = sha256(&block);
    }
    println!("chained = {}", hex(&digest));

    // RSA-style: two 128-bit primes, n = p*q, c = m^65537 mod n.
    let p = Big::from_hex("f7e75fdc469067ffdc4e847c51f452df");
    let q = Big::from_hex("e85cc7d94d0b1ebfcd3c5f5a19e0a733");
    let n = p.mul(&q);
    println!("n = {} ({} bits)", n.to_hex(), n.bits());
    let m = Big::from_hex("5a65726f73797320727573742074657374");
    let e = Big(vec![65537]);
    let c = m.modpow(&e, &n);
    println!("c = {}", c.to_hex());
    // Fermat: a^(p-1) == 1 mod p for the prime p, and 2^(n-1) mod n for the composite n.
    let pm1 = p.sub(&Big(vec![1]));
    println!("3^(p-1) mod p = {}", Big(vec![3]).modpow(&pm1, &p).to_hex());
    println!("2^(n-1) mod n = {}", Big(vec![2]).modpow(&n.sub(&Big(vec![1])), &n).to_hex());
    io::stdout().flush().unwrap();
}
