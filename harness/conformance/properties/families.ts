// Property families: random sequences of syscalls with random, often invalid, arguments.
// A run executes one sequence in the syscall driver on both sides; the property is that
// every step gives the same result (and the same checked bytes) under qemu-riscv64 and
// zerosys. Arguments come from small pools biased to the edges (bad fds, bad pointers,
// missing paths, unknown flags, negative and huge sizes), so fast-check's shrinking ends at
// a short sequence with plain values, printed as a spec case.
//
// Nothing here touches the host outside the case's working directory: paths are relative,
// never absolute, and contain no `..` that leaves it.

import fc from 'fast-check';
import { NR } from '../../../kernel/syscall-numbers.ts';
import { CONSTANTS as K } from '../specs/constants.ts';
import type { ArgSpec, CallSpec, FileSetup } from '../specs/model.ts';
import { SOCKETS_FAMILY } from './sockets.ts';

/** A generated step before ids and references are resolved. */
export interface RawStep {
  name: string;
  /** ArgSpec, or a reference to an earlier step of one of these kinds ("mmap"), by a random pick. */
  args: Array<ArgSpec | Pick>;
  /** Its arguments make it succeed whatever ran before (a pick with `sure` only takes these). */
  sure?: boolean;
  /** It unmaps [from, from+len) past the address its argument `arg` picks (when that is page aligned). */
  frees?: { arg: number; from: bigint; len: bigint };
}

interface Pick {
  kind: 'pick';
  of: string[];
  pick: number;
  add: bigint;
  fallback: bigint;
  /** Of mmap steps, only those marked sure: an address of a mapping at least MIN_PAGES long. */
  sure?: boolean;
  /** How many bytes from the address the step reaches: a candidate with any of them unmapped by an earlier step is passed over. */
  touch?: bigint;
}

export interface Family {
  name: string;
  /** Property id suffix and what it claims. */
  property: string;
  /** Syscalls the family exercises (for the per-syscall table). */
  covers: string[];
  files: FileSetup[];
  steps: fc.Arbitrary<RawStep[]>;
}

const int = (v: number | bigint): ArgSpec => ({ kind: 'int', value: BigInt(v) });
const out = (size: number, check?: Array<[number, number]> | 'none'): ArgSpec => ({ kind: 'out', size, check });
const str = (text: string): ArgSpec => ({ kind: 'str', text });
const UNMAPPED = int(0x10);
const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);

const PAGE_SIZE = 4096n;

/**
 * Turn raw steps into driver steps: ids s0..sN, picks resolved to earlier steps of a kind.
 * A pick that touches memory skips mappings an earlier step has partly unmapped there: a
 * later mapping may fill the hole on one side and not the other (each side places mappings
 * its own way: qemu deviation mmap-placement-bottom-up).
 */
export function resolveSteps(raw: RawStep[]): CallSpec[] {
  const freed = new Map<number, Set<bigint>>(); // step index -> unmapped page numbers past its address
  const pages = (from: bigint, len: bigint) => Array.from({ length: Number((from + len - 1n) / PAGE_SIZE - from / PAGE_SIZE + 1n) }, (_, j) => from / PAGE_SIZE + BigInt(j));
  return raw.map((step, i) => {
    const picked: Array<number | undefined> = [];
    const args = step.args.map((a, n): ArgSpec => {
      if (a.kind !== 'pick') return a;
      const clear = (k: number) => !a.touch || a.touch <= 0n || !pages(a.add, a.touch).some((p) => freed.get(k)?.has(p));
      const candidates = raw.slice(0, i).flatMap((s, k) => (a.of.includes(s.name) && (!a.sure || s.name !== 'mmap' || s.sure) && clear(k) ? [k] : []));
      if (!candidates.length) return int(a.fallback);
      const k = candidates[a.pick % candidates.length];
      picked[n] = k;
      return { kind: 'ref', id: `s${k}`, add: a.add };
    });
    const f = step.frees;
    const k = f ? picked[f.arg] : undefined;
    const base = f && k !== undefined ? (step.args[f.arg] as Pick).add : undefined;
    if (f && k !== undefined && base !== undefined && base % PAGE_SIZE === 0n && f.len > 0n) {
      const set = freed.get(k) ?? new Set<bigint>();
      for (const p of pages(base + f.from, f.len)) set.add(p);
      freed.set(k, set);
    }
    return { id: `s${i}`, name: step.name, nr: (NR as Record<string, number>)[step.name], line: 0, args };
  });
}

// ---------------------------------------------------------------------------------------
// files

const FILE_LAYOUT: FileSetup[] = [
  { path: 'a.txt', type: 'file', content: Buffer.from('0123456789abcdef') },
  { path: 'd', type: 'dir' },
  { path: 'd/b.txt', type: 'file', content: Buffer.from('inner') },
  { path: 'l', type: 'symlink', target: 'a.txt' },
  { path: 'dangling', type: 'symlink', target: 'nowhere' },
  { path: 'ro.txt', type: 'file', content: Buffer.from('read only'), mode: 0o444 },
];
const PATHS = ['a.txt', 'd', 'd/b.txt', 'l', 'dangling', 'missing', 'a.txt/x', '', 'd/new', 'new.txt', 'ro.txt', 'd/../a.txt'];
// Descriptors 3-7 (what the sequence opens) and bad ones. Not 0-2: the harness's standard
// streams are a pipe and sockets under qemu (node's child stdio) but modelled as pipes by
// zerosys, a difference of the test bench rather than of the kernel.
const fdArb = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 3, max: 7 }) }, { weight: 1, arbitrary: oneOf(-1, 99, 1 << 20) }).map(int);
const pathArb = fc.oneof({ weight: 8, arbitrary: oneOf(...PATHS).map(str) }, { weight: 1, arbitrary: fc.constant(UNMAPPED) });
/**
 * An unreadable path only with valid flags: qemu-riscv64 reads the path before the host
 * checks the flags (EFAULT where Linux answers EINVAL): qemu deviation path-before-flags-efault.
 */
const pathWithFlags = <F>(flags: fc.Arbitrary<F>, valid: (f: F) => boolean) =>
  fc.tuple(pathArb, flags).filter(([p, f]) => p !== UNMAPPED || valid(f));
const argValue = (a: ArgSpec) => (a.kind === 'int' ? a.value : 0n);
// Access mode 3 is left out: Linux answers EISDIR/needs read+write for it, qemu-riscv64 7.2
// turns it into O_RDONLY (qemu deviation openat-accmode3-rdonly; specs/openat.yaml pins the
// Linux answer). O_CREAT|O_DIRECTORY stays: EINVAL on Linux 6.1.y (since 6.1.30) and on the
// host qemu passes it to (a host-following place that agrees, deviations.ts HOST_FOLLOWING).
const openFlagsArb = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.subarray(['O_CREAT', 'O_EXCL', 'O_TRUNC', 'O_APPEND', 'O_DIRECTORY', 'O_NOFOLLOW', 'O_CLOEXEC', 'O_NONBLOCK']))
  .map(([acc, names]) => int(names.reduce((v, n) => v | K[n], acc)));
/** build_open_flags() accepts them (6.1.y): everything but O_CREAT with O_DIRECTORY. */
const validOpenFlags = (f: ArgSpec) => (argValue(f) & BigInt(K.O_CREAT | K.O_DIRECTORY)) !== BigInt(K.O_CREAT | K.O_DIRECTORY);
const modeArb = oneOf(0o644, 0o600, 0o755, 0o000, 0o7777).map(int);
// Counts stay within the driver's buffer arena: qemu-riscv64 checks the whole count range
// up front (EFAULT) where Linux reads what there is (qemu deviation read-count-past-buffer-efault).
const countArb = fc.integer({ min: 0, max: 40 }).map(int);
// No bad buffer pointers here: qemu-riscv64 checks the buffer before the descriptor (EFAULT
// for read(badfd, badptr)) where Linux checks the descriptor first (EBADF): qemu deviation
// buffer-before-fd-efault. Bad pointers are covered by the spec cases, one check at a time.
const bufArb = fc.integer({ min: 1, max: 40 }).map((n) => out(n));
const bytesArb = fc.uint8Array({ minLength: 0, maxLength: 12 }).map((b): ArgSpec => ({ kind: 'hex', bytes: Buffer.from(b).toString('hex') }));
const offsetArb = fc.oneof(fc.integer({ min: 0, max: 24 }), oneOf(-1, -100, 1 << 30)).map(int);
// 64-bit edges of a loff_t where the answer does not depend on the host's filesystem: a
// negative position is EINVAL everywhere (rw_verify_area(), vfs_setpos()); a read at or
// past 2^53 reads nothing, and one whose end passes 2^63 - 1 is EINVAL (rw_verify_area():
// `if (unlikely((loff_t) (pos + len) < 0))`). Large positive seeks and writes are left out:
// how far a file may reach is the filesystem's s_maxbytes (ext4 2^44, tmpfs 2^63 - 1), and
// qemu's files are the host's.
const NEGATIVE_OFFSETS = [-(2n ** 63n), -(2n ** 53n) - 1n, -(2n ** 32n)];
const readOffsetArb = fc.oneof({ weight: 4, arbitrary: offsetArb }, { weight: 1, arbitrary: oneOf(...NEGATIVE_OFFSETS, 2n ** 63n - 1n, 2n ** 63n - 40n, 2n ** 53n + 1n).map(int) });
const seekOffsetArb = fc.oneof({ weight: 4, arbitrary: offsetArb }, { weight: 1, arbitrary: oneOf(...NEGATIVE_OFFSETS).map(int) });
const AT = int(K.AT_FDCWD);

const fileStep: fc.Arbitrary<RawStep> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(pathWithFlags(openFlagsArb, validOpenFlags), modeArb).map(([[p, f], m]) => ({ name: 'openat', args: [AT, p, f, m] })) },
  { weight: 3, arbitrary: fc.tuple(fdArb, bufArb, countArb).map(([fd, b, n]) => ({ name: 'read', args: [fd, b, n] })) },
  { weight: 3, arbitrary: fc.tuple(fdArb, bytesArb).map(([fd, b]) => ({ name: 'write', args: [fd, b, int(b.kind === 'hex' ? b.bytes.length / 2 : 0)] })) },
  { weight: 1, arbitrary: fc.tuple(fdArb, bufArb, countArb, readOffsetArb).map(([fd, b, n, o]) => ({ name: 'pread64', args: [fd, b, n, o] })) },
  { weight: 1, arbitrary: fc.tuple(fdArb, bytesArb, offsetArb).map(([fd, b, o]) => ({ name: 'pwrite64', args: [fd, b, int(b.kind === 'hex' ? b.bytes.length / 2 : 0), o] })) },
  // SEEK_SET, SEEK_CUR and an unknown whence: SEEK_END, SEEK_DATA and SEEK_HOLE on a
  // directory answer what its filesystem says (ext4's htree directories end at 2^63 - 1:
  // ext4_dir_llseek(); tmpfs's refuse them: dcache_dir_lseek(), EINVAL), and qemu's
  // directories are the host's. specs/lseek.yaml covers them on regular files.
  { weight: 2, arbitrary: fc.tuple(fdArb, seekOffsetArb, oneOf(0, 1, 5).map(int)).map(([fd, o, w]) => ({ name: 'lseek', args: [fd, o, w] })) },
  { weight: 2, arbitrary: fdArb.map((fd) => ({ name: 'close', args: [fd] })) },
  // st_mode, st_nlink, st_uid, st_gid and st_size: what does not depend on the host inode.
  { weight: 2, arbitrary: fdArb.map((fd) => ({ name: 'fstat', args: [fd, out(128, [[16, 16], [48, 8]])] })) },
  { weight: 1, arbitrary: fc.tuple(fdArb, offsetArb).map(([fd, o]) => ({ name: 'ftruncate', args: [fd, o] })) },
  { weight: 1, arbitrary: fdArb.map((fd) => ({ name: 'dup', args: [fd] })) },
  { weight: 1, arbitrary: pathWithFlags(oneOf(0, K.AT_REMOVEDIR, 1).map(int), (f) => (argValue(f) & ~BigInt(K.AT_REMOVEDIR)) === 0n).map(([p, f]) => ({ name: 'unlinkat', args: [AT, p, f] })) },
  { weight: 1, arbitrary: fc.tuple(pathArb, modeArb).map(([p, m]) => ({ name: 'mkdirat', args: [AT, p, m] })) },
  { weight: 1, arbitrary: pathWithFlags(fc.integer({ min: 0, max: 8 }).map(int), (m) => argValue(m) <= 7n).map(([p, m]) => ({ name: 'faccessat', args: [AT, p, m] })) },
);

// ---------------------------------------------------------------------------------------
// memory

const PAGE = 4096;
const lenArb = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 4, max: 6 }).map((n) => n * PAGE) }, { weight: 1, arbitrary: oneOf(0, 1, -PAGE) }).map(int);
// No zero lengths for mprotect/mremap below: qemu-riscv64 7.2 answers ENOMEM there (Linux 0 / EINVAL):
// qemu deviations mprotect-zero-length-enomem and mremap-zero-new-size-enomem.
// Write-without-read protections (2, 6) are left out: riscv64 Linux 6.0-6.5 (and zerosys)
// answer EINVAL in mmap, qemu-riscv64 7.2 accepts them (qemu deviation mmap-write-only-prot-accepted).
const protArb = oneOf(0, 1, 3, 4, 5, 7, 8).map(int);
// Mappings are at least MIN_PAGES long and every range below stays inside the first
// MIN_PAGES of one: what lies past a mapping's end depends on where each side places
// mappings (qemu bottom-up, Linux and zerosys top-down: qemu deviation mmap-placement-bottom-up),
// not on the syscall.
const MIN_PAGES = 4;
const mapFlagsArb = oneOf(
  K.MAP_PRIVATE | K.MAP_ANONYMOUS,
  K.MAP_SHARED | K.MAP_ANONYMOUS,
  K.MAP_ANONYMOUS,
  K.MAP_PRIVATE | K.MAP_ANONYMOUS | K.MAP_NORESERVE,
  K.MAP_PRIVATE | K.MAP_ANONYMOUS | K.MAP_POPULATE,
).map(int);
// Only mmaps of MIN_PAGES or more: an offset past a shorter one lands wherever each side put
// the next mapping. (mremap only shrinks in place, so its result is an mmap's address.)
const mapping = (add: number, touch: bigint) => fc.nat().map((pick): Pick => ({ kind: 'pick', of: ['mmap'], pick, add: BigInt(add), fallback: 0n, sure: true, touch }));
/**
 * mremap's old address: a mapping that surely exists. A failed mmap's -errno as an address is
 * outside qemu's guest space, which it answers ENOMEM before Linux's alignment check (EINVAL):
 * qemu deviation mremap-address-range-enomem.
 */
const sureMapping = mapping(0, BigInt(MIN_PAGES * PAGE));
/** An address inside a mapping, for an 8-byte probe. */
const inMapping = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()).chain(([pages, odd]) => mapping(pages * PAGE + (odd ? 8 : 0), 8n));
/** An address inside a mapping and a length that ends within its first MIN_PAGES pages. */
const rangeInMapping = fc
  .tuple(fc.integer({ min: 0, max: MIN_PAGES - 1 }), fc.boolean(), fc.nat())
  .chain(([pages, odd, n]) => {
    const len = ((n % (MIN_PAGES - pages)) + 1) * PAGE;
    return fc.tuple(mapping(pages * PAGE + (odd ? 8 : 0), BigInt(len)), fc.constant(int(len)));
  });
// mremap only shrinks or keeps the size, without MREMAP_MAYMOVE: whether a mapping can grow
// in place depends on where each side put its neighbours (qemu deviation
// mmap-placement-bottom-up), and qemu moves whenever MREMAP_MAYMOVE allows it (qemu
// deviation mremap-maymove-always-moves), leaving the old address unmapped there only.
const remapLenArb = fc.integer({ min: 1, max: MIN_PAGES }).map((n) => int(n * PAGE));

// Values a number cannot hold, past user space: near 2^64 (a failed mmap's -errno used as an
// address), near 2^63 and 2^53, page aligned and not. Linux checks the exact value: alignment
// (EINVAL) first, then the range (munmap EINVAL, mprotect ENOMEM). Not mremap (qemu answers
// ENOMEM before the alignment check: qemu deviation mremap-address-range-enomem). mmap with
// MAP_FIXED only where the answers agree: -22 (EINVAL, the IS_ERR_VALUE address returned by
// get_unmapped_area() and qemu's alignment check alike) and aligned addresses (ENOMEM); not -1
// (Linux returns it: EPERM) or a misaligned address that is no -errno (Linux: ENOMEM from the
// range check first), where qemu-riscv64 7.2 target_mmap() checks alignment first (EINVAL).
const EDGE_ADDRS = [2n ** 64n - 22n, 2n ** 64n - 4096n, 2n ** 64n - 1n, 2n ** 64n - 8192n + 8n, 2n ** 63n, 2n ** 63n + 8n, 2n ** 63n - 4096n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 4096n];
const EDGE_LENS = [4096n, 1n, 2n ** 64n - 1n, 2n ** 64n - 4096n, 2n ** 63n, 2n ** 53n + 1n, 2n ** 53n - 1n];
const edgeAddr = oneOf(...EDGE_ADDRS).map(int);
const edgeLen = oneOf(...EDGE_LENS).map(int);
/** An aligned address whose range, page-rounded, ends at or past 2^64. */
const reachesTop = (a: ArgSpec, l: ArgSpec) => argValue(a) % PAGE_SIZE === 0n && argValue(a) + ((argValue(l) + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n)) >= 2n ** 64n;
const fixedEdgeAddr = oneOf(2n ** 64n - 22n, 2n ** 64n - 4096n, 2n ** 63n, 2n ** 53n, 2n ** 53n + 4096n).map(int);

const memoryStep: fc.Arbitrary<RawStep> = fc.oneof(
  // Not an aligned range whose page-rounded end reaches 2^64: qemu aborts (qemu deviations
  // munmap-range-to-top-aborts, mprotect-range-to-top-aborts).
  { weight: 1, arbitrary: fc.tuple(edgeAddr, edgeLen).filter(([a, l]) => !reachesTop(a, l)).map(([a, l]) => ({ name: 'munmap', args: [a, l] })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(edgeAddr, edgeLen, protArb)
      .filter(([a, l]) => !reachesTop(a, l))
      .map(([a, l, p]) => ({ name: 'mprotect', args: [a, l, p] })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fixedEdgeAddr, protArb).map(([a, p]) => ({ name: 'mmap', args: [a, int(MIN_PAGES * PAGE), p, int(K.MAP_PRIVATE | K.MAP_ANONYMOUS | K.MAP_FIXED), int(-1), int(0)] })),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(lenArb, protArb, mapFlagsArb).map(([l, p, f]) => ({
      name: 'mmap',
      args: [int(0), l, p, f, int(-1), int(0)],
      sure: argValue(l) >= BigInt(MIN_PAGES * PAGE) && (argValue(f) & BigInt(K.MAP_SHARED | K.MAP_PRIVATE)) !== 0n,
    })),
  },
  { weight: 2, arbitrary: rangeInMapping.map(([a, l]) => ({ name: 'munmap', args: [a, l], frees: { arg: 0, from: 0n, len: argValue(l) } })) },
  { weight: 3, arbitrary: fc.tuple(rangeInMapping, protArb).map(([[a, l], p]) => ({ name: 'mprotect', args: [a, l, p] })) },
  {
    weight: 1,
    arbitrary: fc.tuple(sureMapping, remapLenArb).map(([a, n]) => ({
      name: 'mremap',
      args: [a, int(MIN_PAGES * PAGE), n, int(0), int(0)],
      frees: { arg: 0, from: argValue(n), len: BigInt(MIN_PAGES * PAGE) - argValue(n) },
    })),
  },
  // Probes: is the memory readable (write(1) from it) / writable (the old signal mask, all
  // zeros, stored into it)? Both leave deterministic bytes.
  { weight: 3, arbitrary: inMapping.map((a) => ({ name: 'write', args: [int(1), a, int(8)] })) },
  { weight: 2, arbitrary: inMapping.map((a) => ({ name: 'rt_sigprocmask', args: [int(K.SIG_BLOCK), int(0), a, int(8)] })) },
  { weight: 1, arbitrary: fc.integer({ min: -2, max: 4 }).map((pages) => ({ name: 'brk', args: [{ kind: 'pick' as const, of: ['brk'], pick: 0, add: BigInt(pages * PAGE), fallback: 0n }] })) },
);

// ---------------------------------------------------------------------------------------
// time

const clockArb = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 11 }) }, { weight: 1, arbitrary: oneOf(-1, -6, 12, 99) }).map(int);
const tsArb = fc
  .tuple(oneOf(0n, -1n), oneOf(0n, 1n, 1000n, 999_999_999n, 1_000_000_000n, -1n))
  .map(([s, ns]): ArgSpec => ({ kind: 'i64', values: [s, ns] }));
const OWN_CPU_CLOCKS = new Set([2n, -6n]);
/** A valid, non-zero timespec: a sleep that waits (relative) or may wait (absolute). */
const endlessSleep = (t: ArgSpec) => t.kind === 'i64' && t.values[0] >= 0n && t.values[1] >= 0n && t.values[1] < 1_000_000_000n && (t.values[0] > 0n || t.values[1] > 0n);
const timeOut = fc.oneof({ weight: 4, arbitrary: fc.constant(out(16, 'none')) }, { weight: 1, arbitrary: oneOf(int(0), UNMAPPED) });

const timeStep: fc.Arbitrary<RawStep> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(clockArb, timeOut).map(([c, p]) => ({ name: 'clock_gettime', args: [c, p] })) },
  // qemu-riscv64 7.2 ignores a bad result pointer in clock_getres: only good ones here
  // (qemu deviation clock_getres-ignores-efault).
  { weight: 2, arbitrary: fc.tuple(clockArb, oneOf(out(16, 'none'), int(0))).map(([c, p]) => ({ name: 'clock_getres', args: [c, p] })) },
  { weight: 2, arbitrary: fc.tuple(timeOut, oneOf(out(8), int(0))).map(([t, z]) => ({ name: 'gettimeofday', args: [t, z] })) },
  { weight: 2, arbitrary: fc.tuple(tsArb, oneOf(out(16, 'none'), int(0))).map(([t, r]) => ({ name: 'nanosleep', args: [t, r] })) },
  // Not a real wait on the process's own CPU clock (2, and -6 = its make_process_cpuclock(0)
  // form): with the only thread asleep it never advances, so Linux (and qemu) sleep forever
  // (kernel/time/posix-cpu-timers.c do_cpu_nanosleep) and zerosys stops the guest.
  { weight: 2, arbitrary: fc.tuple(clockArb, oneOf(0, 1).map(int), tsArb).filter(([c, , t]) => !(OWN_CPU_CLOCKS.has(argValue(c)) && endlessSleep(t))).map(([c, f, t]) => ({ name: 'clock_nanosleep', args: [c, f, t, int(0)] })) },
  { weight: 1, arbitrary: oneOf(out(32, 'none'), int(0)).map((p) => ({ name: 'times', args: [p] })) },
);

// ---------------------------------------------------------------------------------------
// futex and thread bookkeeping (one thread: waits must time out or not match)

const FUTEX_OPS = [K.FUTEX_WAIT, K.FUTEX_WAKE, K.FUTEX_REQUEUE, K.FUTEX_CMP_REQUEUE, K.FUTEX_WAIT_BITSET, K.FUTEX_WAKE_BITSET, 99];
const futexStep: fc.Arbitrary<RawStep> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        word: fc.integer({ min: 0, max: 2 }),
        addr: fc.oneof({ weight: 6, arbitrary: fc.constant('buffer') }, { weight: 1, arbitrary: fc.constant('unmapped') }),
        op: oneOf(...FUTEX_OPS),
        priv: fc.boolean(),
        val: oneOf(0, 1, 2, -1),
        timeout: oneOf<[bigint, bigint] | 'invalid'>([0n, 1000n], [0n, 1n], 'invalid'),
        val3: oneOf(0, 1, -1),
      })
      .map(({ word, addr, op, priv, val, timeout, val3 }): RawStep => {
        const isWait = op === K.FUTEX_WAIT || op === K.FUTEX_WAIT_BITSET;
        const ts: ArgSpec = timeout === 'invalid' ? { kind: 'i64', values: [0n, -1n] } : { kind: 'i64', values: timeout };
        // A wait always carries a timeout, so a matching value cannot block forever.
        const arg4: ArgSpec = isWait ? ts : int(val);
        const uaddr: ArgSpec = addr === 'buffer' ? { kind: 'i32', values: [BigInt(word)] } : UNMAPPED;
        return { name: 'futex', args: [uaddr, int(op | (priv ? K.FUTEX_PRIVATE_FLAG : 0)), int(val), arg4, { kind: 'i32', values: [0n] }, int(val3)] };
      }),
  },
  { weight: 1, arbitrary: oneOf(out(4), int(0)).map((p): RawStep => ({ name: 'set_tid_address', args: [p] })) },
  { weight: 1, arbitrary: fc.constant<RawStep>({ name: 'gettid', args: [] }) },
  { weight: 1, arbitrary: fc.constant<RawStep>({ name: 'sched_yield', args: [] }) },
);

const sequence = (step: fc.Arbitrary<RawStep>, max: number) => fc.array(step, { minLength: 1, maxLength: max });

export const FAMILIES: Family[] = [
  {
    name: 'files',
    property: 'random-file-operations',
    covers: ['openat', 'read', 'write', 'pread64', 'pwrite64', 'lseek', 'close', 'fstat', 'ftruncate', 'dup', 'unlinkat', 'mkdirat', 'faccessat'],
    files: FILE_LAYOUT,
    steps: sequence(fileStep, 12),
  },
  {
    name: 'memory',
    property: 'random-mappings',
    covers: ['mmap', 'munmap', 'mprotect', 'mremap', 'brk'],
    files: [],
    // No mremap after an mprotect: a shrunk mapping whose pages had different protections reads
    // differently under qemu (qemu deviation mremap-shrink-resets-protection).
    steps: sequence(memoryStep, 12)
      .filter((steps) => !steps.some((s, i) => s.name === 'mremap' && steps.slice(0, i).some((t) => t.name === 'mprotect')))
      .map((steps) => [{ name: 'brk', args: [int(0)] }, ...steps]),
  },
  {
    name: 'time',
    property: 'random-clock-calls',
    covers: ['clock_gettime', 'clock_getres', 'gettimeofday', 'nanosleep', 'clock_nanosleep', 'times'],
    files: [],
    steps: sequence(timeStep, 10),
  },
  {
    name: 'futex',
    property: 'random-futex-operations',
    covers: ['futex', 'set_tid_address', 'gettid', 'sched_yield'],
    files: [],
    steps: sequence(futexStep, 10),
  },
  // Sockets: harness/conformance/properties/sockets.ts.
  SOCKETS_FAMILY,
];
