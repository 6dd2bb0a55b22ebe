// Hostile-input fuzzing of the syscall boundary.
//
// Every syscall row that is 'full' or 'partial' in table.ts is called with random argument
// tuples (small and negative ints, fds, huge sizes, random flag bits, values near 2^64, 2^63,
// 2^53 and the top of user space (aligned or not), pointers into
// read-write, read-only and unmapped memory, across page and mapping boundaries, at and
// above the top of user memory, kernel-looking addresses), in random sequences of 1..10
// calls on one fixture so state-dependent paths are reached. The fixture starts with fds
// of every kind (tmpfs and host files, sparse files of 16 TiB and 64 GiB, a directory, a
// pipe, an eventfd, an epoll, a memfd, /dev/zero, a timerfd, a signalfd), symlinks and mappings (prelude()).
// Each argument is plausible or wild (MOODS) so that one bad argument meets good ones.
//
// Properties, per call:
//   1. it completes with a value (>= 0) or -errno with errno one Linux can return for that
//      call (the `errors` of its row in table.ts: the man page's ERRORS section), or it
//      stops the guest with a GuestStop (exit, kill, fail-fast, deadlock); anything else,
//      a host exception above all, fails with the syscall, its arguments and the error.
//      The ERESTART* codes may only be a handler's result on the way to signal delivery,
//      never what the guest sees in a0;
//   2. it is bounded: the guest has 16 MiB (--mem), the host heap (JS heap + ArrayBuffers)
//      may not grow by more than 64 MiB during one call, and a call may be re-executed
//      (blocked, woken, restarted) at most MAX_REEXEC times;
//   3. blocking calls end: the fixture runs the scheduler's Runtime, as the machine does,
//      so a wait with a timeout passes on the virtual clock and an endless one is a
//      deadlock stop (ZerosysStop);
// and per sequence:
//   4. no host resource leaks: once every guest fd and mapping is gone, the host process
//      has no more open file descriptors than before.
//
// Exclusions: none (EXCLUDED is empty). Every full/partial row, blocking ones included, is
// driven in-process; HINTS must name each one (checked below). The host side of /h is a
// fresh directory (under /dev/shm when there is one), deleted after each sequence.
//
// Environment: ZEROSYS_FUZZ_RUNS=N sequences (default DEFAULT_RUNS, in chunks of CHUNK with
// seeds SEED, SEED+1, ...), ZEROSYS_FUZZ_SEED=S; fast-check prints the seed and the shrunk
// counterexample. For hunting: ZEROSYS_FUZZ_COLLECT=1 records one example per distinct
// failure and goes on; ZEROSYS_FUZZ_STATS=1 prints how each syscall ended and the slowest
// calls.

import { endRemaining } from './process/exit-process.ts';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROT_READ, PROT_WRITE, USER_TOP } from '../emulator/memory.ts';
import { GuestStop } from './api.ts';
import { E, ERRNO_INFO } from './errno.ts';
import type { SyscallEvent } from './kernel.ts';
import { Runtime } from './sched/runtime.ts';
import { ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK } from './signal/restart.ts';
import { NR, type SyscallName } from './syscall-numbers.ts';
import { SYSCALL_TABLE } from './table.ts';
import { ARG_KINDS } from './types.ts';
import { LAYOUT, TestStdio, makeFixture, type Fixture } from './test-support.ts';
import { SP } from '../emulator/cpu/registers.ts';
import { AT_FDCWD } from './abi.ts';

const SEED = Number(process.env.ZEROSYS_FUZZ_SEED ?? 0x5ca1ab1e);
const DEFAULT_RUNS = 4000;
const RUNS = Number(process.env.ZEROSYS_FUZZ_RUNS ?? DEFAULT_RUNS);
const CHUNK = 4000;
const MEM_BYTES = 16 << 20;
const MAX_HEAP_GROWTH = 64 << 20;
const MAX_REEXEC = 64;

// ---------- guest layout (on top of test-support's LAYOUT) ----------

const D = LAYOUT.data;
const D_END = LAYOUT.data + LAYOUT.dataSize; // unmapped after it
const RO = LAYOUT.ro;
/** A read-write page right below the read-only one: buffers straddling rw -> ro. */
const RW_BEFORE_RO = RO - 0x1000;
const PATHS = D + 0x8000;
const PATH_SLOT = 0x80;
const LONG_PATHS = D + 0x9800; // paths that do not fit PATH_SLOT: see setUp
const WORDS = D + 0xc000; // 64 random qwords: random struct contents
const TIMESPECS = D + 0xd000; // 16 fixed timespecs
const IOVECS = D + 0xe000; // 8 random iovecs
const SCRATCH_FDS = D + 0xf000;
/** 1024 iovecs all naming the whole data area: 64 MiB of transfer from 64 KiB of memory. */
const ALIASED_IOVECS = 0x280000;
const ALIASED_COUNT = 1024;
const ECALL_PC = LAYOUT.pc;
const STACK_TOP = USER_TOP - 0x10000;
const KERNEL_ADDR = 0xffffffc000000000n;

const PATH_LIST = [
  '/tmp/f', '/tmp/big', '/h/big', '/tmp/d', '/tmp/d/g', '/tmp', '/tmp/l', '/tmp/loop', '/tmp/new', '/tmp/f/x', '/h', '/h/x', '/h/sub',
  '/h/new', '/h/l', '/dev/zero', '/dev/null', '/dev/full', '/dev/urandom', '/dev/tty', '/dev/stdin', '/dev/shm',
  '/proc/self/maps', '/proc/self/fd/3', '/proc/self/exe', '/proc/self/status', '/proc/self/fd', '/proc/self',
  '/sys/devices/system/cpu/online', '.', '..', '', '/', 'x', '/nonexistent/x', 'h/../../../..',
];

// ---------- argument values ----------

/** A value for one argument register: a literal, or the k-th most recent result of this run. */
type Arg = bigint | { ref: number };

const big = (xs: readonly (number | bigint)[]) => xs.map((x) => BigInt.asUintN(64, BigInt(x)));
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const u32 = fc.bigInt({ min: 0n, max: 0xffffffffn });
const oneOf = (...xs: fc.Arbitrary<bigint>[]) => fc.oneof(...xs) as fc.Arbitrary<bigint>;
const consts = (xs: readonly (number | bigint)[]) => fc.constantFrom(...big(xs));

const SIZES = [
  0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 24, 32, 64, 100, 128, 255, 256, 4095, 4096, 4097, 8192, 0x10000, 0x7ffff000,
  2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 38, 2 ** 40, 2 ** 53 - 1, 2 ** 53, 2n ** 53n + 1n,
  2n ** 62n, 2n ** 63n - 1n, 2n ** 63n, -1, -4096,
];
const size = oneOf(consts(SIZES), fc.nat(100_000).map(BigInt), u64);

const SMALL = [-2, -1, 0xffffffff, 0x7fffffff, -0x80000000, 128, 255, 256, 1024, 2 ** 32, 2n ** 63n, 2n ** 63n - 1n];
const small = oneOf(fc.integer({ min: -2, max: 70 }).map((n) => BigInt.asUintN(64, BigInt(n))), consts(SMALL));

const FDS = [-1, AT_FDCWD, 1000, 1023, 1024, 4096, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 32 + 3, 2n ** 63n];
const fdLit = oneOf(fc.integer({ min: 0, max: 15 }).map(BigInt), consts(FDS));

const POINTERS = [
  0, 1, 8, D, D + 8, D + 0x100, D + 1, D + 3, D + 0xffc, D + 0xfff, D_END - 1, D_END - 4, D_END - 8, D_END - 16, D_END - 24,
  RO, RO + 0xff8, RO + 0xfff, RW_BEFORE_RO + 0xff8, RW_BEFORE_RO + 0xffc, LAYOUT.unmapped, LAYOUT.brkStart, LAYOUT.stackLow,
  USER_TOP - 1, USER_TOP - 4, USER_TOP - 8, USER_TOP - 16, USER_TOP - 0x1000, USER_TOP, USER_TOP + 8, 2 ** 39, 2 ** 47,
  KERNEL_ADDR, 0xffffffffffff0000n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n - 8n, 2 ** 53, 2 ** 53 + 8,
];
const pointer = oneOf(consts(POINTERS), fc.integer({ min: 0, max: 0x7ff }).map((o) => BigInt(D + o * 8)));
const pathPtr = oneOf(
  fc.integer({ min: 0, max: PATH_LIST.length - 1 }).map((i) => BigInt(PATHS + i * PATH_SLOT)),
  consts([LONG_PATHS, LONG_PATHS + 0x1100, LONG_PATHS + 0x2100, D_END - 2, RO + 0xffe, USER_TOP - 1, 0, KERNEL_ADDR]),
);
const wordsPtr = fc.integer({ min: 0, max: 63 }).map((i) => BigInt(WORDS + i * 8));
const tsPtr = oneOf(fc.integer({ min: 0, max: 15 }).map((i) => BigInt(TIMESPECS + i * 16)), consts([0, D_END - 8, RO, USER_TOP - 8, KERNEL_ADDR]));
const iovPtr = oneOf(
  fc.integer({ min: 0, max: 7 }).map((i) => BigInt(IOVECS + i * 16)),
  consts([0, D_END - 8, D_END - 16, RO, KERNEL_ADDR, ALIASED_IOVECS, ALIASED_IOVECS + 16 * (ALIASED_COUNT - 4)]),
);
const inPtr = oneOf(wordsPtr, tsPtr, iovPtr, pointer);

const bits = fc.integer({ min: 0, max: 63 }).map((b) => 1n << BigInt(b));
const FLAG_CONSTS = [0, 0x80000, 0x800, 0x40 | 2, 0x10000, 0x3d0f00, 0x22, 0x32, 0x12, 0x21, 0x100022, 0x8022, 0x2022, 0x4022];
const flags = oneOf(
  consts(FLAG_CONSTS),
  bits,
  fc.array(fc.integer({ min: 0, max: 23 }), { minLength: 2, maxLength: 4 }).map((bs) => BigInt(bs.reduce((a, b) => a | (1 << b), 0) >>> 0)),
  u32,
  u64,
);

const OFFSETS = [0, 1, -1, 100, 4096, 2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53, 2n ** 62n, 2n ** 63n - 1n, -(2n ** 63n), -4096, 2n ** 63n - 4096n];
const offset = oneOf(consts(OFFSETS), fc.nat(0x20000).map(BigInt), u64);
const MODES = [0, 0o777, 0o644, 0o7777, 0o170644, 0o100644, 0o40755, 0xffffffff];
const mode = oneOf(consts(MODES), u32);

const ADDRS = [
  0, 0x1000, 0x10000, D, D + 0x1000, D + 1, RO, RW_BEFORE_RO, LAYOUT.unmapped, LAYOUT.brkStart, LAYOUT.brkStart + 0x1000,
  LAYOUT.stackLow, USER_TOP - 0x1000, USER_TOP, USER_TOP - 0x800000, 2 ** 37, 2 ** 39, KERNEL_ADDR, 2n ** 64n - 4096n,
];
const addr = oneOf(consts(ADDRS), fc.integer({ min: 0, max: 0x3ffff }).map((p) => BigInt(p * 0x1000)));
const LENGTHS = [0, 1, 4095, 4096, 8192, 0x10000, 0x100000, 0x800000, 0xfff000, 2 ** 31, 2 ** 32, 2 ** 38, 2 ** 40, 2 ** 47, 2n ** 63n, 2n ** 64n - 4096n, -1];
const length = oneOf(consts(LENGTHS), fc.integer({ min: 1, max: 64 }).map((p) => BigInt(p * 0x1000)));

const PIDS = [0, -1, 1, 999, 1000, 1001, 1002, 2 ** 31 - 1, -(2 ** 31), -1000, 2 ** 32 + 1000];
const pid = oneOf(consts(PIDS), u32);
const sig = oneOf(fc.integer({ min: 0, max: 65 }).map(BigInt), consts([-1, 2 ** 32 + 9]));
const cpuClock = (id: number, c: number) => (~id << 3) | c;
const CLOCKS = [-1, 16, -(2 ** 31), cpuClock(0, 0), cpuClock(0, 2), cpuClock(0, 6), cpuClock(1000, 2), cpuClock(1000, 6), cpuClock(1001, 6), cpuClock(1, 0)];
const clock = oneOf(fc.integer({ min: 0, max: 12 }).map(BigInt), consts(CLOCKS));
const uid = oneOf(consts([0, 1, 1000, 65534, 0xffffffff, 0xfffffffe]), u32);
const IOCTLS = [0x5401, 0x5402, 0x5413, 0x5414, 0x541b, 0x5421, 0x5450, 0x5451, 0x5452, 0x5460, 0x80086601, 0x40086602, 0xc0189436, 0x40049409];
const ioctlReq = oneOf(consts(IOCTLS), u32);
const PRCTLS = [0x59616d61, 0x53564d41, 0x41555856, 1000];
const prctlOpt = oneOf(fc.integer({ min: 0, max: 72 }).map(BigInt), consts(PRCTLS));
const fcntlCmd = oneOf(fc.integer({ min: 0, max: 16 }).map(BigInt), fc.integer({ min: 1024, max: 1038 }).map(BigInt), consts([36, 37, 38]), u32);
const futexOp = oneOf(
  fc.tuple(fc.integer({ min: 0, max: 13 }), fc.boolean(), fc.boolean()).map(([op, p, r]) => BigInt(op | (p ? 128 : 0) | (r ? 256 : 0))),
  u32,
);
const ref = fc.nat(7).map((k) => ({ ref: k }));

/**
 * Values around the edges a JavaScript number cannot hold or a check turns on: near 2^64 (a
 * -errno used as an address or length), 2^63 (the sign of a loff_t), 2^53 (where a number
 * stops being exact), the top of user space, and a mapped address; at, just past and just
 * short of each, aligned and misaligned.
 */
const EDGE_BASES = [1n << 64n, 1n << 63n, 1n << 53n, BigInt(USER_TOP), BigInt(D), 0n];
const EDGE_STEPS = [-4097n, -4096n, -4095n, -22n, -14n, -8n, -4n, -2n, -1n, 0n, 1n, 2n, 3n, 4n, 8n, 22n, 4095n, 4096n, 4097n];
const edge = fc.tuple(fc.constantFrom(...EDGE_BASES), fc.constantFrom(...EDGE_STEPS)).map(([b, d]) => BigInt.asUintN(64, b + d));

/** What any argument may be. */
const hostile: fc.Arbitrary<bigint> = oneOf(small, size, fdLit, pointer, flags, offset, edge);

const nat = (max: number) => fc.nat(max).map(BigInt);
const U = (n: number) => BigInt.asUintN(64, BigInt(n));
/** The fds the prelude opens (0..13) and what earlier calls returned. */
const openFd = fc.oneof({ weight: 4, arbitrary: nat(13) }, { weight: 1, arbitrary: ref });
const scratchPtr = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 0xfff }).map((o) => BigInt(D + o * 8)) }, { weight: 1, arbitrary: ref });

/**
 * Argument kinds: a plausible value (so the other arguments' checks pass and the hostile one
 * reaches deep code) and a wild one (anything of that kind, with huge and out-of-range values).
 */
type Kind = keyof typeof KINDS;
const KINDS = {
  f: [openFd, fc.oneof(fdLit, ref)],
  d: [fc.oneof(fc.constant(U(AT_FDCWD)), fc.constant(4n), ref), fdLit],
  s: [fc.integer({ min: 0, max: PATH_LIST.length - 1 }).map((i) => BigInt(PATHS + i * PATH_SLOT)), pathPtr],
  b: [scratchPtr, fc.oneof(pointer, ref)],
  i: [fc.oneof(wordsPtr, tsPtr, iovPtr), inPtr],
  t: [fc.oneof(fc.integer({ min: 0, max: 15 }).map((i) => BigInt(TIMESPECS + i * 16)), fc.constant(0n)), tsPtr],
  v: [fc.oneof(fc.integer({ min: 0, max: 7 }).map((i) => BigInt(IOVECS + i * 16)), fc.constant(BigInt(ALIASED_IOVECS))), iovPtr],
  N: [fc.oneof(nat(8), consts([1024, 1023])), small], // iovec count
  z: [fc.oneof(nat(64), consts([8, 16, 24, 128, 256, 4096, 8192, 0x10000])), size],
  Z: [fc.constant(8n), small], // sigsetsize
  o: [fc.oneof(nat(0x2000), consts([0x1000, 0x10000, 2 ** 36, 2 ** 44, 2 ** 53 - 1])), offset], // the sparse files' sizes
  g: [fc.oneof(consts(FLAG_CONSTS), bits.map((b) => b & 0xffffffn), fc.constant(0n)), flags],
  m: [consts([0, 0o644, 0o755, 0o600, 0o4755]), mode],
  n: [fc.integer({ min: -1, max: 12 }).map(U), small],
  a: [fc.oneof(ref, consts([D, D + 0x1000, LAYOUT.brkStart, LAYOUT.unmapped, RW_BEFORE_RO, RO])), fc.oneof(addr, ref)],
  l: [fc.integer({ min: 1, max: 16 }).map((p) => BigInt(p * 0x1000)), length],
  p: [consts([0, 1000, -1, 1001]), pid],
  S: [fc.integer({ min: 1, max: 64 }).map(BigInt), sig],
  c: [nat(11), clock],
  u: [consts([0, 1000, 0xffffffff]), uid],
  R: [consts(IOCTLS), ioctlReq],
  Q: [fc.integer({ min: 1, max: 60 }).map(BigInt), prctlOpt],
  C: [fc.oneof(nat(16), consts([1024, 1025, 1026, 1030, 1031, 1032, 1033, 1034])), fcntlCmd],
  F: [futexOp, futexOp],
  x: [hostile, hostile],
} satisfies Record<string, [fc.Arbitrary<Arg>, fc.Arbitrary<Arg>]>;

/**
 * The kind of each argument: the row's signature in kernel/table.ts (`read(fbz)`, letters of
 * kernel/types.ts ARG_KINDS, from the Linux prototypes, riscv64 order). Each argument is of
 * its kind 3 times in 4 and anything hostile otherwise. Every full/partial row has one.
 */
const HINTS: Record<string, string> = Object.fromEntries(SYSCALL_TABLE.flatMap((r) => (r.sig !== undefined ? [[r.name, r.sig]] : [])));

/** Rows that are not fuzzed, with the reason. None: every full/partial row runs in-process. */
const EXCLUDED: Record<string, string> = {};

const FUZZED = SYSCALL_TABLE.filter((r) => (r.support === 'full' || r.support === 'partial') && !(r.name in EXCLUDED)).map(
  (r) => r.name as SyscallName,
);

interface Call {
  name: SyscallName;
  args: Arg[];
}

/** How plausible a call's arguments are: [weight of plausible, weight of wild] per argument. */
const MOODS: [number, number][] = [[9, 1], [3, 2], [1, 3]];
const argOf = (kind: Kind, [sane, wild]: [number, number]): fc.Arbitrary<Arg> =>
  fc.oneof(
    { weight: sane, arbitrary: KINDS[kind][0] as fc.Arbitrary<Arg> },
    { weight: wild, arbitrary: KINDS[kind][1] as fc.Arbitrary<Arg> },
    { weight: 1, arbitrary: hostile as fc.Arbitrary<Arg> },
    { weight: 1, arbitrary: edge as fc.Arbitrary<Arg> },
  );

const call: fc.Arbitrary<Call> = fc.tuple(fc.constantFrom(...FUZZED), fc.constantFrom(...MOODS)).chain(([name, mood]) => {
  const hint = (HINTS[name] ?? '').padEnd(6, 'x');
  return fc.tuple(...[...hint].map((k) => argOf(k as Kind, mood))).map((args) => ({ name, args }));
});

/** Memory the run starts with: random struct words and iovecs. */
const memoryContents = fc.record({
  words: fc.array(oneOf(small, size, pointer, offset, flags), { minLength: 64, maxLength: 64 }),
  iovecs: fc.array(fc.tuple(pointer, oneOf(fc.nat(0x2000).map(BigInt), size)), { minLength: 8, maxLength: 8 }),
});

type MemoryContents = { words: bigint[]; iovecs: [bigint, bigint][] };

const TIMESPEC_LIST: [bigint, bigint][] = [
  [0n, 0n], [0n, 1n], [0n, 1000n], [1n, 0n], [0n, 999_999_999n], [0n, 1_000_000_000n], [-1n, 0n], [0n, -1n],
  [2n ** 62n, 0n], [2n ** 63n - 1n, 999_999_999n], [0n, (1n << 30n) - 1n], [0n, (1n << 30n) - 2n], [1_700_000_000n, 0n],
  [0n, (1n << 30n) - 2n], [5n, 5n], [-(2n ** 63n), 0n],
];

// ---------- the fixture ----------

/** Host side of /h: memory-backed when the host has /dev/shm (fsync is cheap there). */
const HOST_PARENT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** Standard streams whose output goes nowhere, as to a host file: not kept in test memory. */
class DiscardingStdio extends TestStdio {
  override write(): void {}
}

interface FuzzFixture {
  f: Fixture;
  rt: Runtime;
  events: SyscallEvent[];
  results: bigint[];
}

function setUp(host: string, mem: MemoryContents): FuzzFixture {
  const events: SyscallEvent[] = [];
  const f = makeFixture({
    memBytes: MEM_BYTES,
    vfs: { mounts: [{ guest: '/h', host }] },
    stdio: new DiscardingStdio(Buffer.from('line one\nline two\n')),
    trace: (ev) => events.push(ev),
  });
  f.mem.map(RW_BEFORE_RO, 0x1000, PROT_READ | PROT_WRITE, 'rw-before-ro');
  f.mem.map(ALIASED_IOVECS, ALIASED_COUNT * 16, PROT_READ | PROT_WRITE, 'aliased-iovecs');
  f.cpu.setNum(SP, STACK_TOP);
  const rt = new Runtime(f.kernel.state);
  const put = (at: number, bytes: Uint8Array) => f.mem.write(at, bytes);
  PATH_LIST.forEach((p, i) => put(PATHS + i * PATH_SLOT, Buffer.from(p.slice(0, PATH_SLOT - 1) + '\0', 'latin1')));
  put(LONG_PATHS, Buffer.from('/' + 'a/'.repeat(2100) + '\0', 'latin1')); // no NUL within PATH_MAX
  put(LONG_PATHS + 0x1100, Buffer.from('/tmp/' + 'b'.repeat(4090 - 5) + '\0', 'latin1')); // 4090 bytes: fits, name too long
  put(LONG_PATHS + 0x2100, Buffer.from('/tmp/' + 'n'.repeat(256) + '\0', 'latin1')); // a name one past NAME_MAX
  put(D_END - 2, Buffer.from('ab', 'latin1')); // a path running into unmapped memory
  put(WORDS, new Uint8Array(new BigUint64Array(mem.words).buffer));
  put(TIMESPECS, new Uint8Array(new BigInt64Array(TIMESPEC_LIST.flat()).buffer));
  put(IOVECS, new Uint8Array(new BigUint64Array(mem.iovecs.flat()).buffer));
  put(ALIASED_IOVECS, new Uint8Array(new BigUint64Array(ALIASED_COUNT * 2).fill(BigInt(D)).map((v, i) => (i % 2 ? BigInt(LAYOUT.dataSize) : v)).buffer));
  const fx = { f, rt, events, results: [] };
  prelude(fx);
  return fx;
}

/** State for the random calls to work on: fds 3..15 of every kind, symlinks, mappings. */
function prelude(fx: FuzzFixture): void {
  const path = (p: string) => BigInt(PATHS + PATH_LIST.indexOf(p) * PATH_SLOT);
  const ok = (name: SyscallName, ...args: (number | bigint)[]): bigint => {
    const r = exec(fx, { name, args: args.map((a) => BigInt.asUintN(64, BigInt(a))) }).ret;
    if (r === undefined || r < 0n) throw new Error(`prelude ${name} failed: ${r}`);
    return r;
  };
  ok('openat', AT_FDCWD, path('/tmp/f'), 0x42, 0o644); // 3: O_RDWR|O_CREAT
  ok('write', 3, PATHS, 5000);
  ok('mkdirat', AT_FDCWD, path('/tmp/d'), 0o755);
  ok('mkdirat', AT_FDCWD, path('/tmp/d/g'), 0o755);
  ok('openat', AT_FDCWD, path('/tmp/d'), 0x10000); // 4: O_DIRECTORY
  ok('pipe2', SCRATCH_FDS, 0); // 5, 6
  ok('eventfd2', 0, 0); // 7
  ok('epoll_create1', 0); // 8
  ok('openat', AT_FDCWD, path('/h/x'), 0x42, 0o644); // 9: a host file
  ok('write', 9, PATHS, 300);
  ok('memfd_create', path('x'), 0); // 10
  ok('openat', AT_FDCWD, path('/dev/zero'), 2); // 11
  ok('openat', AT_FDCWD, path('/tmp/big'), 0x42, 0o644); // 12: a sparse tmpfs file of 16 TiB
  ok('ftruncate', 12, 2 ** 44);
  ok('openat', AT_FDCWD, path('/h/big'), 0x42, 0o644); // 13: a sparse host file of 64 GiB
  ok('ftruncate', 13, 2 ** 36);
  ok('timerfd_create', 1, 0o4000); // 14: a non-blocking CLOCK_MONOTONIC timerfd
  fx.f.mem.write(SCRATCH_FDS + 40, new Uint8Array(8).fill(0xff)); // sigset_t: every signal
  ok('signalfd4', -1, SCRATCH_FDS + 40, 8, 0o4000); // 15: a non-blocking signalfd of every signal
  ok('mkdirat', AT_FDCWD, path('/h/sub'), 0o755);
  ok('symlinkat', path('/tmp/f'), AT_FDCWD, path('/tmp/l'));
  ok('symlinkat', path('/tmp/loop'), AT_FDCWD, path('/tmp/loop'));
  ok('symlinkat', path('/h/x'), AT_FDCWD, path('/h/l'));
  fx.f.mem.write(SCRATCH_FDS + 16, new Uint8Array(16).fill(0).fill(1, 0, 1)); // struct epoll_event { EPOLLIN, 0 }
  ok('epoll_ctl', 8, 1, 5, SCRATCH_FDS + 16); // EPOLL_CTL_ADD the pipe's read end
  ok('mmap', 0, 0x4000, 3, 0x22, -1, 0); // anonymous rw (its address is a result refs can name)
  ok('mmap', 0, 0x2000, 1, 0x02, 3, 0); // /tmp/f, private read-only
}

interface Outcome {
  /** a0 of the last completed syscall, undefined if the guest stopped. */
  ret?: bigint;
  stop?: GuestStop;
}

const heapNow = () => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

const RESTART_CODES = new Set([ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK].map((e) => BigInt(-e)));

function show(c: { name: string; args: Arg[] }): string {
  return `${c.name}(${c.args.map((a) => (typeof a === 'bigint' ? '0x' + a.toString(16) : `ref${a.ref}`)).join(', ')})`;
}

/** Whether a value written to a0 is a Linux result: >= 0 as a signed value, or -errno of a real errno. */
function validResult(r: bigint): boolean {
  if (r >= 0n) return true;
  return r >= -4095n && ERRNO_INFO.has(Number(-r));
}

/** The errnos Linux can return, per syscall: the `errors` beside each row of table.ts. */
const ERRORS = new Map(SYSCALL_TABLE.map((r) => [r.name, r.errors.map(canonical)]));
/** One name per number, as ERRNO_INFO has it (EWOULDBLOCK is EAGAIN, ENOTSUP is EOPNOTSUPP). */
function canonical(name: string): string {
  const n = (E as Record<string, number>)[name] ?? ({ ENOTSUP: 95, EDEADLOCK: 35 } as Record<string, number>)[name];
  if (n === undefined) throw new Error(`table.ts errors: ${name} is not an errno`);
  return ERRNO_INFO.get(n)!.name;
}

/** The errno's name when `ret` is an -errno Linux cannot return for the call, else undefined. */
function linuxErrno(name: string, ret: bigint): string | undefined {
  if (ret >= 0n || RESTART_CODES.has(ret)) return undefined;
  const errno = ERRNO_INFO.get(Number(-ret))?.name ?? String(-ret);
  return ERRORS.get(name)?.includes(errno) ? undefined : errno;
}

/**
 * mmap(addr, ..., MAP_FIXED) with an address that IS_ERR_VALUE returns the address itself:
 * get_unmapped_area() (Linux 6.1 mm/mmap.c) passes it on as an error, so any -1..-4095 can
 * come back, not only the errnos of the man page.
 */
function fixedErrAddress(name: string, args: readonly bigint[], ret: bigint): boolean {
  const MAP_FIXED = 0x10n;
  const MAP_FIXED_NOREPLACE = 0x100000n;
  const addr = BigInt.asUintN(64, args[0] ?? 0n);
  return name === 'mmap' && ((args[3] ?? 0n) & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0n && addr >= 2n ** 64n - 4095n && ret === BigInt.asIntN(64, addr);
}

/** Make one syscall the way the machine does, re-executing the ecall while pc stays on it. */
function exec(fx: FuzzFixture, c: Call): Outcome {
  const { f, rt, events, results } = fx;
  const args = c.args.map((a) => (typeof a === 'bigint' ? a : (results[results.length - 1 - (a.ref % Math.max(1, results.length))] ?? 0n)));
  const where = () => `${show({ name: c.name, args })}`;
  f.cpu.setNum(17, NR[c.name]);
  args.forEach((a, i) => f.cpu.setX(10 + i, a));
  f.cpu.pc = ECALL_PC;
  events.length = 0;
  const before = heapNow();
  const t0 = STATS ? performance.now() : 0;
  let rounds = 0;
  try {
    do {
      if (++rounds > MAX_REEXEC) throw new Error(`still not finished after ${MAX_REEXEC} re-executions`);
      rt.syscall(f.kernel);
    } while (f.cpu.pc === ECALL_PC);
  } catch (e) {
    if (e instanceof GuestStop) {
      tally(c.name, e.constructor.name);
      return { stop: e };
    }
    const err = e instanceof Error ? (e.stack ?? e.message) : String(e);
    throw new Error(`${where()}: host error instead of a Linux result or a guest stop:\n${err}`);
  }
  if (STATS) slowest(performance.now() - t0, where());
  const grown = heapNow() - before;
  if (grown > MAX_HEAP_GROWTH) throw new Error(`${where()}: host heap grew by ${(grown / 2 ** 20).toFixed(0)} MiB`);
  for (const ev of events) {
    if (!validResult(ev.ret) && !RESTART_CODES.has(ev.ret)) throw new Error(`${where()}: ${ev.name} returned ${ev.ret}, not a value or -errno`);
    if (fixedErrAddress(ev.name, ev.args, ev.ret)) continue;
    const wrong = linuxErrno(ev.name, ev.ret);
    if (wrong) throw new Error(`${where()}: ${ev.name} returned ${wrong}, which Linux does not return for ${ev.name} (table.ts errors: ${ERRORS.get(ev.name)?.join(' ') || 'none'})`);
  }
  const a0 = BigInt.asIntN(64, f.cpu.getX(10));
  if (RESTART_CODES.has(a0) && !events.some((ev) => ev.name === 'rt_sigreturn')) throw new Error(`${where()}: ${a0} leaked to the guest`);
  for (const ev of events) tally(ev.name, ev.ret >= 0n ? 'ok' : (ERRNO_INFO.get(Number(-ev.ret))?.name ?? String(ev.ret)));
  const ret = events.at(-1)?.ret;
  if (ret !== undefined && ret >= 0n) results.push(ret);
  return { ret };
}

// ---------- sequences ----------

let fuzzedCalls = 0;

function runSequence(mem: MemoryContents, calls: Call[]): void {
  const host = mkdtempSync(join(HOST_PARENT, 'zerosys-fuzz-'));
  const hostFds = openHostFds();
  let fx: FuzzFixture | undefined;
  try {
    fx = setUp(host, mem);
    for (const c of calls) {
      fuzzedCalls++;
      if (exec(fx, c).stop) break;
    }
    tearDown(fx);
    const left = openHostFds();
    if (left > hostFds) throw new Error(`${calls.map(show).join('; ')}: ${left - hostFds} host file descriptors left open after every guest fd and mapping was closed`);
  } catch (e) {
    if (!FOUND) throw e;
    collect(e as Error);
  } finally {
    rmSync(host, { recursive: true, force: true });
    // Thousands of sequences: reuse the guest memory (a new 4 GiB wasm memory each time makes
    // V8 collect the whole heap).
    fx?.f.mem.dispose();
  }
}

/** Host file descriptors of this process (0 where there is no /proc: the check is off). */
const openHostFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);

/** What the end of the guest process would release: every fd and every mapping. */
function tearDown({ f }: FuzzFixture): void {
  const procs = f.kernel.state.procs;
  endRemaining(procs); // processes a fuzzed clone made end with the sequence
  procs.current = procs.init;
  for (const fd of f.kernel.state.fds.fds()) f.kernel.state.fds.close(fd);
  f.call('munmap', 0, USER_TOP);
}

// ---------- diagnostics for hunting (off by default) ----------

/** ZEROSYS_FUZZ_COLLECT=1: record failures (one example per syscall and host error) and go on. */
const FOUND = process.env.ZEROSYS_FUZZ_COLLECT ? new Map<string, string>() : undefined;
function collect(e: Error): void {
  const msg = e.message;
  const name = msg.slice(0, msg.indexOf('('));
  const cause = msg.split('\n').find((l, i) => i > 0 && l.trim() !== '') ?? msg.slice(msg.indexOf(':'));
  const key = `${name}: ${cause.replace(/\d+/g, 'N')}`;
  if (!FOUND!.has(key)) FOUND!.set(key, msg.split('\n').slice(0, 6).join('\n'));
}

/** ZEROSYS_FUZZ_STATS=1: how each syscall ended, to see which paths the inputs reach. */
const STATS = process.env.ZEROSYS_FUZZ_STATS ? new Map<string, Map<string, number>>() : undefined;
function tally(name: string, outcome: string): void {
  if (!STATS) return;
  const m = STATS.get(name) ?? new Map<string, number>();
  STATS.set(name, m.set(outcome, (m.get(outcome) ?? 0) + 1));
}

/** ZEROSYS_FUZZ_STATS: the slowest calls (a diagnostic only: the properties bound steps, not time). */
const SLOWEST: [number, string][] = [];
function slowest(ms: number, what: string): void {
  if (SLOWEST.length < 8 || ms > SLOWEST[SLOWEST.length - 1][0]) {
    SLOWEST.push([ms, what]);
    SLOWEST.sort((a, b) => b[0] - a[0]).splice(8);
  }
}

describe('syscall fuzzing', () => {
  it('lays out guest memory without overlaps', () => {
    expect(PATH_LIST.every((p) => p.length < PATH_SLOT)).toBe(true);
    expect(PATHS + PATH_LIST.length * PATH_SLOT).toBeLessThanOrEqual(LONG_PATHS);
    expect(LONG_PATHS + 0x2100 + 262).toBeLessThanOrEqual(WORDS);
  });

  it('has a signature for every fuzzed row (the kinds of its arguments), each kind one the fuzzer draws', () => {
    expect(FUZZED.filter((n) => !(n in HINTS))).toEqual([]);
    expect(Object.keys(KINDS).sort()).toEqual(Object.keys(ARG_KINDS).sort());
  });

  // Long runs go in chunks of CHUNK sequences (seeds SEED, SEED+1, ...) so no single test
  // blocks the worker for minutes.
  const chunks = Math.max(1, Math.ceil(RUNS / CHUNK));
  for (let i = 0; i < chunks; i++) {
    const seed = SEED + i;
    const numRuns = Math.min(CHUNK, RUNS - i * CHUNK);
    it(`${numRuns} random sequences of 1..10 hostile calls end in a result or a guest stop (seed ${seed})`, async () => {
      await new Promise((resolve) => setImmediate(resolve)); // let the worker answer vitest between chunks
      fc.assert(
        fc.property(memoryContents, fc.array(call, { minLength: 1, maxLength: 10 }), (mem, calls) => runSequence(mem, calls)),
        { seed, numRuns },
      );
    });
  }

  // A diagnostic, not a check: declared only when asked for, so a normal run skips nothing.
  if (FOUND !== undefined || STATS !== undefined) it('reports what it found (ZEROSYS_FUZZ_COLLECT, ZEROSYS_FUZZ_STATS)', () => {
    if (FOUND) console.log(`${FOUND.size} distinct failures\n` + [...FOUND.values()].join('\n---\n'));
    if (STATS) {
      const lines = [...STATS].sort().map(([n, m]) => `${n}: ${[...m].sort((a, b) => b[1] - a[1]).map(([o, k]) => `${o} ${k}`).join(', ')}`);
      console.log(lines.join('\n'));
      console.log(`${fuzzedCalls} fuzzed calls (besides the prelude's)`);
      console.log('slowest calls:\n' + SLOWEST.map(([ms, w]) => `${ms.toFixed(1)} ms ${w}`).join('\n'));
    }
  });
});
