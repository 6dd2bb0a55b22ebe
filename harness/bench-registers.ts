// Why 64-bit registers are 32-bit halves in an Int32Array: the same register-machine
// workload (xorshift64 + add + compare, what hashing and PRNG loops do) run with three
// representations. `npm run bench:registers` prints ns per guest-like operation.

const N = 5_000_000;

/** BigUint64Array registers with BigInt arithmetic. */
function bigintRegs(): bigint {
  const x = new BigUint64Array(4);
  x[0] = 0x9e3779b97f4a7c15n;
  for (let i = 0; i < N; i++) {
    let v = x[0];
    v ^= (v << 13n) & 0xffffffffffffffffn;
    v ^= v >> 7n;
    v ^= (v << 17n) & 0xffffffffffffffffn;
    x[0] = v;
    x[1] = (x[1] + v) & 0xffffffffffffffffn;
    if (x[1] < v) x[2] += 1n;
  }
  return x[1] ^ x[2];
}

/** Int32Array halves (the emulator's choice). */
function halvesRegs(): bigint {
  const x = new Int32Array(8);
  x[0] = 0x7f4a7c15;
  x[1] = 0x9e3779b9 | 0;
  for (let i = 0; i < N; i++) {
    let lo = x[0];
    let hi = x[1];
    // v ^= v << 13
    hi ^= (hi << 13) | (lo >>> 19);
    lo ^= lo << 13;
    // v ^= v >>> 7
    lo ^= (lo >>> 7) | (hi << 25);
    hi ^= hi >>> 7;
    // v ^= v << 17
    hi ^= (hi << 17) | (lo >>> 15);
    lo ^= lo << 17;
    x[0] = lo;
    x[1] = hi;
    const sl = (x[2] + lo) | 0;
    const carry = sl >>> 0 < lo >>> 0 ? 1 : 0;
    x[3] = (x[3] + hi + carry) | 0;
    x[2] = sl;
    if (x[3] >>> 0 < hi >>> 0 || (x[3] === hi && x[2] >>> 0 < lo >>> 0)) x[4] = (x[4] + 1) | 0;
  }
  const r = (BigInt(x[3] >>> 0) << 32n) | BigInt(x[2] >>> 0);
  return r ^ (BigInt(x[5] >>> 0) << 32n | BigInt(x[4] >>> 0));
}

function time(name: string, f: () => bigint): void {
  f(); // warm up: let the optimising compiler see the loop
  const t0 = performance.now();
  const r = f();
  const ms = performance.now() - t0;
  console.log(`${name.padEnd(28)} ${((ms * 1e6) / N).toFixed(2).padStart(8)} ns/iteration   (checksum ${r.toString(16)})`);
}

time('BigInt (BigUint64Array)', bigintRegs);
time('Int32Array halves', halvesRegs);
