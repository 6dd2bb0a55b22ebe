// Syscall traces in qemu-riscv64's -strace text format (zerosys --strace writes the same):
// parsing into events, normalising what legitimately differs between the two sides, and
// comparing call by call up to the first divergence.
//
// qemu prints `PID name(args)` before a call and ` = ret` after it, so when the trace
// shares a stream with guest output the two halves can be split by guest bytes; the parser
// joins a call that has no result with the next result fragment.

export interface TraceEvent {
  /** 1-based line in the trace text (for messages). */
  line: number;
  /** The pid (thread id) that prefixed the line. */
  pid?: number;
  kind: 'call' | 'signal' | 'other';
  name: string;
  /** Arguments as printed, split at top-level commas. */
  args: string[];
  /** The result as printed after ' = ' ('' when the call did not return). */
  result: string;
  /** errno when the result is `-1 errno=N (...)`. */
  errno?: number;
  /** Numeric return value when the result is a number (decimal or hex). */
  ret?: bigint;
  /** Text after the value, e.g. ` ({tv_sec = 1,tv_nsec = 2})`. */
  extra: string;
  /** The text as printed, without the pid. */
  text: string;
}

const CALL = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/s;

function splitArgs(inner: string): string[] {
  if (inner === '') return [];
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  out.push(inner.slice(start));
  return out;
}

/** Find the ')' closing the argument list that starts at `open`, skipping quoted strings. */
function closingParen(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function parseResult(event: TraceEvent, result: string): void {
  event.result = result;
  const err = /^-1 errno=(\d+)(?: \(([^)]*)\))?(.*)$/s.exec(result);
  if (err) {
    event.errno = Number(err[1]);
    event.extra = err[3] ?? '';
    return;
  }
  const num = /^(-?(?:0x[0-9a-fA-F]+|\d+))(.*)$/s.exec(result);
  if (num) {
    event.ret = num[1].startsWith('-') ? -BigInt(num[1].slice(1)) : BigInt(num[1]);
    event.extra = num[2];
  }
}

const RESULT_TEXT = /^(-1 errno=\d+( \([^)]*\))?|0x[0-9a-fA-F]+|-?\d+)( \(.*\))?$/s;

/** The result in text after a call: the last ' = ' whose remainder reads as a result. */
function findResult(text: string): { at: number; result: string } | undefined {
  for (let at = text.lastIndexOf(' = '); at >= 0; at = at > 0 ? text.lastIndexOf(' = ', at - 1) : -1) {
    const result = text.slice(at + 3);
    if (RESULT_TEXT.test(result)) return { at, result };
  }
  return undefined;
}

/** Parse a whole trace. Unparseable pid lines become 'other' events (kept, never dropped). */
export function parseTrace(text: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  let pending: TraceEvent | undefined; // a call still waiting for its ' = result'
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const pid = /^(\d+) ([A-Za-z_+-].*)$/s.exec(raw);
    if (!pid) {
      // Guest output interleaved with the trace, possibly ending in the pending result.
      const found = pending ? findResult(raw) : undefined;
      if (pending && found) {
        parseResult(pending, found.result);
        pending.text += raw.slice(found.at);
        pending = undefined;
      }
      return;
    }
    const body = pid[2];
    if (body.startsWith('--- ') || body.startsWith('+++ ')) {
      events.push({ line: lineNo, kind: 'signal', name: body.slice(4).split(/[ {]/)[0], args: [], result: '', extra: '', text: body });
      return;
    }
    const open = body.indexOf('(');
    const close = open > 0 ? closingParen(body, open) : -1;
    const call = close > 0 ? CALL.exec(body.slice(0, close + 1)) : null;
    if (!call) {
      events.push({ line: lineNo, kind: 'other', name: body.split(' ')[0], args: [], result: '', extra: '', text: body });
      return;
    }
    pending = undefined;
    const event: TraceEvent = { line: lineNo, pid: Number(pid[1]), kind: 'call', name: call[1], args: splitArgs(call[2]), result: '', extra: '', text: body.slice(0, close + 1) };
    const found = findResult(body.slice(close + 1));
    if (found) {
      parseResult(event, found.result);
      event.text += body.slice(close + 1 + found.at);
    } else pending = event;
    events.push(event);
  });
  return events;
}

// ---------------------------------------------------------------------------------------
// Normalisation: what may differ between qemu-riscv64 and zerosys without being a bug.

/** Each rule, as documented in the report. */
export const NORMALISATION_RULES: Readonly<Record<string, string>> = {
  pid: 'The pid before each line is dropped: qemu prints the host pid, zerosys its fixed guest pid 1000.',
  'pid-result': 'Results of getpid, getppid, gettid, getpgid, getsid and set_tid_address are process ids: both sides must succeed, the values may differ (qemu may show 0 for a parent, group or session outside its pid namespace).',
  address:
    'Pointer arguments (NULL/0x… as printed, and pointer-typed arguments of generically printed calls) may differ when both are non-NULL: the stack and mmap areas lie at different addresses.',
  'address-result': 'mmap results are addresses: both must succeed (or fail with the same errno); the address may differ.',
  time: 'Time values (clock_gettime/clock_getres/gettimeofday output) differ: zerosys runs on a virtual clock.',
  'unused-register':
    'Calls printed generically show all six argument registers; registers beyond the call\'s arity hold leftovers and are not compared.',
  'qemu-limitation': 'Documented qemu-riscv64 7.2 gaps where zerosys does what Linux does (listed per call in the divergence note).',
  'pid-argument': 'Process ids passed to kill/tkill/tgkill (and similar) are the ids each side reported: both positive, may differ.',
  format:
    'Arguments compared by value where the two sides print them differently (0x10 vs 16, a struct vs its address, formatted vs generic six-register form); formatting fidelity of --strace is tested separately against qemu-riscv64 output.',
  threads: 'Once a program creates a thread, the interleaving of its threads\' calls is up to the scheduler (the host\'s under qemu): calls after the first thread-creating clone are not compared.',
  'random-name': 'File names made from random bytes (mkstemp/mkdtemp "XXXXXX" suffixes) may differ in up to six letters or digits.',
  host: 'Results that describe the host machine under qemu (sched_getaffinity mask size, getpriority of the user, times() ticks): both must succeed.',
  'clock-read':
    'A successful clock_gettime(CLOCK_MONOTONIC) may be missing on one side: reading the clock changes nothing, and Go reads it for a random eighth of its goroutines (scheduling-latency sampling, seeded from AT_RANDOM, which qemu fills from the host\'s entropy).',
  'random-retry':
    'glibc makes mkstemp/mkdtemp names from the monotonic clock and, when the value would bias the name (about 1 time in 22), draws again with getrandom(8 bytes, GRND_NONBLOCK): whether it does follows the clock, the host\'s under qemu. Such a getrandom right after a clock read may be missing on one side.',
  'address-space':
    'zerosys gives the guest the 2^38-byte user address space of riscv64 Linux with Sv39 paging; qemu-user gives it the host\'s 47 bits, as Sv48 hardware would. An mmap hint at or above 2^38 that qemu honours (Go\'s heap arena at 0xc000000000) cannot be honoured by zerosys: the program\'s probes of further such hints (each mmap given back by munmap) and its fallback, an over-sized reservation anywhere trimmed by munmap to an aligned region of the asked length, stand for the one call (checked exactly, arithmetic included). After that the program\'s data lie at other addresses, so the lengths of MAP_FIXED mmaps committing parts of its PROT_NONE reservations (Go\'s page-allocator summaries, indexed by address) may differ; all other arguments and the results are compared.',
};

const OUTSIDE_IDS = new Set(['getppid', 'getpgid', 'getsid', 'getpgrp']);
const PID_RESULTS = new Set(['getpid', 'getppid', 'gettid', 'set_tid_address', 'getpgid', 'getsid', 'getpgrp', 'clone', 'clone3', 'setsid']);
const ADDRESS_RESULTS = new Set(['mmap', 'mremap', 'shmat']);
const TIME_EXTRA = new Set(['clock_gettime', 'clock_getres', 'gettimeofday', 'clock_nanosleep', 'nanosleep']);
/** Results that describe the host under qemu: success is compared, not the value. */
const HOST_RESULTS = new Set(['sched_getaffinity', 'times', 'getpriority', 'sysinfo']);
/** qemu-riscv64 7.2 answers ENOSYS where Linux (and zerosys) succeed. */
const QEMU_ENOSYS = new Set(['set_robust_list', 'get_robust_list']);

/**
 * Argument kinds of calls qemu prints generically (six decimal registers): the length is
 * the arity; 'p' marks pointers (may differ), 'v' a value (compared).
 */
const GENERIC_SIGNATURES: Record<string, string> = {
  set_tid_address: 'p',
  set_robust_list: 'pv',
  get_robust_list: 'vpp',
  prlimit64: 'vvpp',
  getrlimit: 'vp',
  setrlimit: 'vp',
  pread64: 'vpvv',
  pwrite64: 'vpvv',
  readv: 'vpv',
  preadv: 'vpvvv',
  pwritev: 'vpvvv',
  renameat2: 'vpvpv',
  sched_getaffinity: 'vvp',
  sched_setaffinity: 'vvp',
  sched_yield: '',
  getppid: '',
  gettid: '',
  getuid: '',
  geteuid: '',
  getgid: '',
  getegid: '',
  pipe2: 'pv',
  dup: 'v',
  dup3: 'vvv',
  ftruncate: 'vv',
  fsync: 'v',
  fdatasync: 'v',
  fchdir: 'v',
  getdents64: 'vpv',
  statx: 'vpvvp',
  gettimeofday: 'pp',
  nanosleep: 'pp',
  sysinfo: 'p',
  times: 'p',
  getrusage: 'vp',
  rt_sigpending: 'pv',
  rt_sigsuspend: 'pv',
  rt_sigreturn: '',
  madvise: 'pvv',
  mremap: 'pvvvp',
  msync: 'pvv',
  mlock: 'pv',
  munlock: 'pv',
  getcpu: 'ppp',
  membarrier: 'vvv',
  personality: 'v',
  prctl: 'vpppp',
  clone: 'vpppp',
  wait4: 'vpvp',
  getgroups: 'vp',
  getresuid: 'ppp',
  getresgid: 'ppp',
  setuid: 'v',
  setgid: 'v',
  getpgid: 'v',
  getsid: 'v',
  setsid: '',
  epoll_create1: 'v',
  eventfd2: 'vv',
  ppoll: 'pvppv',
  pselect6: 'vpppp',
  riscv_flush_icache: 'ppv',
  mincore: 'pvp',
  setgroups: 'vp',
  epoll_ctl: 'vvvp',
  epoll_pwait: 'vpvvpv',
  mlock2: 'pvv',
  riscv_hwprobe: 'pvvpv',
  rseq: 'pvvv',
  close_range: 'vvv',
  fallocate: 'vvvv',
  flock: 'vv',
  sendfile: 'vvpv',
  copy_file_range: 'vpvpvv',
  memfd_create: 'pv',
  sched_getparam: 'vp',
  sched_getscheduler: 'v',
  getpriority: 'vv',
  setpriority: 'vvv',
  tgkill: 'vvv',
  rt_sigtimedwait: 'pppv',
  sigaltstack: 'pp',
  timer_create: 'vpp',
  getitimer: 'vp',
  setitimer: 'vpp',
  io_uring_setup: 'vp',
  execve: 'ppp',
};

/** Calls whose arguments qemu prints with a dedicated printer or format (kinds as printed). */
const POINTER_LIKE = /^(NULL|\(nil\)|0x[0-9a-f]+)$/;

export interface TraceDivergence {
  /** 0-based index of the first differing call. */
  index: number;
  what: string;
  qemu?: string;
  zerosys?: string;
  /** A few calls before the divergence, as printed by qemu. */
  context: string[];
}

export interface TraceComparison {
  qemuCalls: number;
  zerosysCalls: number;
  /** undefined when the sequences agree after normalisation. */
  divergence?: TraceDivergence;
  /** How often each normalisation rule was applied. */
  normalised: Record<string, number>;
  /** Notes for differences classified as expected (qemu limitations). */
  expected: string[];
}

function isError(e: TraceEvent): boolean {
  return e.errno !== undefined;
}

/**
 * Two quoted strings that differ only inside one run of up to six letters/digits: names
 * made by mkstemp/mkdtemp ("XXXXXX") from random bytes, which differ by design.
 */
function randomNames(a: string, b: string): boolean {
  if (!a.startsWith('"') || !b.startsWith('"') || a.length !== b.length) return false;
  let first = -1;
  let last = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (!/[A-Za-z0-9]/.test(a[i]) || !/[A-Za-z0-9]/.test(b[i])) return false;
    if (first < 0) first = i;
    last = i;
  }
  return first >= 0 && last - first < 6;
}

/** Numeric value of an argument as printed (decimal, 0x hex, NULL/(nil)), or undefined. */
function numeric(text: string): bigint | undefined {
  if (text === 'NULL' || text === '(nil)') return 0n;
  if (/^-?\d+$/.test(text)) return BigInt(text);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return BigInt(text);
  return undefined;
}

/** Calls whose leading arguments are process/thread ids (qemu: host ids). */
const PID_ARGS: Record<string, number> = { kill: 1, tkill: 1, tgkill: 2, rt_sigqueueinfo: 1, rt_tgsigqueueinfo: 2, sched_getaffinity: 0, prlimit64: 0 };

function compareArgs(q: TraceEvent, z: TraceEvent, bump: (rule: string) => void): string | undefined {
  const signature = GENERIC_SIGNATURES[q.name];
  // When one side printed the call generically (six registers) and the other with a format,
  // compare the arguments both printed; the rest are leftovers or formatting.
  const count = Math.min(q.args.length, z.args.length, signature !== undefined && (q.args.length === 6 || z.args.length === 6) ? signature.length : 6);
  if (q.args.length !== z.args.length) bump('format');
  else if (signature !== undefined && q.args.length === 6 && count < 6) bump('unused-register');
  for (let i = 0; i < count; i++) {
    const a = q.args[i];
    const b = z.args[i];
    if (a === b) continue;
    if (i < (PID_ARGS[q.name] ?? 0)) {
      const na = numeric(a);
      const nb = numeric(b);
      if (na !== undefined && nb !== undefined && na > 0n && nb > 0n) {
        bump('pid-argument');
        continue;
      }
    }
    const na = numeric(a);
    const nb = numeric(b);
    const pointerArg = signature !== undefined ? signature[i] === 'p' : POINTER_LIKE.test(a) && POINTER_LIKE.test(b);
    if (pointerArg && na !== 0n && nb !== 0n) {
      bump('address');
      continue;
    }
    if (na !== undefined && nb !== undefined && na === nb) {
      bump('format');
      continue;
    }
    if (randomNames(a, b)) {
      bump('random-name');
      continue;
    }
    if (TIME_EXTRA.has(q.name) || q.name === 'futex') {
      if (a.startsWith('{') || b.startsWith('{')) {
        bump(a.startsWith('{') && b.startsWith('{') ? 'time' : 'format');
        continue;
      }
    }
    if ((a.startsWith('{') && nb !== undefined) || (b.startsWith('{') && na !== undefined)) {
      bump('format');
      continue;
    }
    return `argument ${i + 1} differs`;
  }
  return undefined;
}

function compareResults(q: TraceEvent, z: TraceEvent, bump: (rule: string) => void, expected: string[]): string | undefined {
  if (q.result === z.result) return undefined;
  if (q.errno !== undefined || z.errno !== undefined) {
    if (q.errno === 38 && z.errno === undefined && QEMU_ENOSYS.has(q.name)) {
      bump('qemu-limitation');
      expected.push(`${q.name}: qemu-riscv64 7.2 answers ENOSYS; zerosys succeeds as Linux does`);
      return undefined;
    }
    if (q.errno !== z.errno) return 'result differs';
    if (TIME_EXTRA.has(q.name)) return undefined;
    return q.extra === z.extra ? undefined : 'result details differ';
  }
  // A parent, group or session leader outside the reference's pid namespace shows as 0
  // (containers, CI), so those may be 0 on the qemu side.
  const lowest = OUTSIDE_IDS.has(q.name) ? 0n : 1n;
  if (PID_RESULTS.has(q.name) && q.ret !== undefined && z.ret !== undefined && q.ret >= lowest && z.ret > 0n) {
    bump('pid-result');
    return undefined;
  }
  if (ADDRESS_RESULTS.has(q.name) && !isError(q) && !isError(z)) {
    bump('address-result');
    return undefined;
  }
  if (HOST_RESULTS.has(q.name) && !isError(q) && !isError(z)) {
    bump('host');
    return undefined;
  }
  if (q.ret === z.ret && TIME_EXTRA.has(q.name)) {
    bump('time');
    return undefined;
  }
  return 'result differs';
}

/** One past the highest user address of riscv64 Linux with Sv39 paging (zerosys's model). */
const SV39_USER_TOP = 1n << 38n;

/** mmap(ADDR, LEN, PROT, FLAGS, -1, 0) without MAP_FIXED, as [addr, len, prot, flags] or undefined. */
function anonMmap(e: TraceEvent | undefined): { addr: bigint; len: bigint; prot: string; flags: string } | undefined {
  if (!e || e.name !== 'mmap' || e.args.length !== 6 || e.errno !== undefined || e.ret === undefined) return undefined;
  const addr = numeric(e.args[0]);
  const len = numeric(e.args[1]);
  if (addr === undefined || len === undefined || !e.args[3].includes('MAP_ANONYMOUS') || e.args[3].includes('MAP_FIXED')) return undefined;
  return { addr, len, prot: e.args[2], flags: e.args[3] };
}

/** munmap(ADDR, LEN) = 0 as [addr, len], or undefined. */
function munmapOf(e: TraceEvent | undefined): [bigint, bigint] | undefined {
  if (!e || e.name !== 'munmap' || e.ret !== 0n) return undefined;
  const addr = numeric(e.args[0] ?? '');
  const len = numeric(e.args[1] ?? '');
  return addr !== undefined && len !== undefined ? [addr, len] : undefined;
}

/**
 * The rule 'address-space': qemu's call `q` is an anonymous mmap whose hint H >= 2^38 it
 * honoured. From z[j], zerosys must show: the same call refused (placed elsewhere) and given
 * back, then more such probes of hints >= 2^38 with the same length, protection and flags,
 * then the fallback mmap(NULL, LEN + A) with A a power of two, trimmed by munmap to exactly
 * [P, P + LEN) where P is its address rounded up to A (Go's sysReserveAligned). Returns the
 * index after that group and the region kept, or undefined when z[j..] is anything else.
 */
function sv39Fallback(q: TraceEvent, z: TraceEvent[], j: number): { end: number; kept: [bigint, bigint] } | undefined {
  const want = anonMmap(q);
  if (!want || want.addr < SV39_USER_TOP || q.ret !== want.addr) return undefined;
  let k = j;
  for (;;) {
    const probe = anonMmap(z[k]);
    if (!probe || probe.len !== want.len || probe.prot !== want.prot || probe.flags !== want.flags) break;
    if (probe.addr < SV39_USER_TOP || (k === j && probe.addr !== want.addr)) break;
    const back = munmapOf(z[k + 1]);
    if (!back || back[0] !== z[k].ret || back[1] !== want.len || z[k].ret === probe.addr) return undefined;
    k += 2;
  }
  if (k === j) return undefined;
  const reserve = anonMmap(z[k]);
  if (!reserve || reserve.addr !== 0n || reserve.prot !== want.prot || reserve.flags !== want.flags || reserve.len <= want.len) return undefined;
  const align = reserve.len - want.len;
  if ((align & (align - 1n)) !== 0n) return undefined;
  const start = z[k].ret!;
  const kept = ((start + align - 1n) / align) * align;
  const trims: Array<[bigint, bigint]> = [];
  if (kept > start) trims.push([start, kept - start]);
  if (start + reserve.len > kept + want.len) trims.push([kept + want.len, start + reserve.len - kept - want.len]);
  k++;
  for (const [addr, len] of trims) {
    const got = munmapOf(z[k]);
    if (!got || got[0] !== addr || got[1] !== len) return undefined;
    k++;
  }
  return { end: k, kept: [kept, kept + want.len] };
}

/** Address ranges a trace reserved with PROT_NONE anonymous mmaps (never trimmed here: a superset). */
class Reservations {
  private ranges: Array<[bigint, bigint]> = [];
  add(range: [bigint, bigint]): void {
    this.ranges.push(range);
  }
  note(e: TraceEvent): void {
    const m = anonMmap(e);
    if (m && m.prot === 'PROT_NONE') this.add([e.ret!, e.ret! + m.len]);
  }
  holds(addr: bigint): boolean {
    return this.ranges.some(([start, end]) => addr >= start && addr < end);
  }
}

/** A successful MAP_FIXED anonymous mmap into a range reserved earlier on the same side. */
function commitInto(e: TraceEvent, reserved: Reservations): boolean {
  const addr = numeric(e.args[0] ?? '');
  const flags = e.args[3] ?? '';
  return e.name === 'mmap' && e.args.length === 6 && e.errno === undefined && flags.includes('MAP_FIXED') && flags.includes('MAP_ANONYMOUS') && addr !== undefined && reserved.holds(addr);
}

/** A successful clock_gettime(CLOCK_MONOTONIC): a read without effect (rule 'clock-read'). */
function clockRead(e: TraceEvent | undefined): boolean {
  return e !== undefined && e.name === 'clock_gettime' && e.args[0] === 'CLOCK_MONOTONIC' && e.ret === 0n;
}

/**
 * glibc's mkstemp/mkdtemp redraw (rule 'random-retry'): getrandom(8 bytes, GRND_NONBLOCK)
 * right after the clock read it replaces (or after another such redraw).
 */
function randomRetry(list: TraceEvent[], k: number): boolean {
  const e = list[k];
  if (e === undefined || e.name !== 'getrandom' || e.args[1] !== '8' || !['1', 'GRND_NONBLOCK'].includes(e.args[2] ?? '') || e.ret !== 8n) return false;
  return clockRead(list[k - 1]) || randomRetry(list, k - 1);
}

/** Index of the first thread-creating clone, or -1. */
function firstThread(list: TraceEvent[]): number {
  return list.findIndex((e) => {
    if (e.name !== 'clone' && e.name !== 'clone3') return false;
    const flags = e.args[0] ?? '';
    return flags.includes('CLONE_THREAD') || (/^\d+$/.test(flags) && (BigInt(flags) & 0x10000n) !== 0n);
  });
}

/** Compare two traces call by call; stops at the first divergence. */
export function compareTraces(qemu: TraceEvent[], zerosys: TraceEvent[]): TraceComparison {
  const normalised: Record<string, number> = {};
  const bump = (rule: string) => void (normalised[rule] = (normalised[rule] ?? 0) + 1);
  const expected: string[] = [];
  let q = qemu.filter((e) => e.kind === 'call');
  let z = zerosys.filter((e) => e.kind === 'call');
  if (q.length || z.length) bump('pid');
  // Threads: after the first thread is created the interleaving of the threads' calls is the
  // scheduler's choice (the host's under qemu), so each side is compared up to its own first
  // thread-creating clone (a side without one, as far as the other's).
  const qt = firstThread(q);
  const zt = firstThread(z);
  if (qt >= 0 || zt >= 0) {
    bump('threads');
    q = q.slice(0, (qt >= 0 ? qt : zt) + 1);
    z = z.slice(0, (zt >= 0 ? zt : qt) + 1);
  }
  const context = (i: number) => q.slice(Math.max(0, i - 3), i).map((e) => e.text);
  const result = (divergence?: TraceDivergence): TraceComparison => ({ qemuCalls: q.length, zerosysCalls: z.length, normalised, expected, ...(divergence ? { divergence } : {}) });
  const qReserved = new Reservations();
  const zReserved = new Reservations();
  let movedHeap = false;
  // i walks qemu's calls, j zerosys's: the rules 'address-space', 'clock-read' and 'random-retry' match
  // calls that are not one to one.
  for (let i = 0, j = 0; i < q.length || j < z.length; ) {
    const a = q[i];
    const b = z[j];
    const group = a && b ? sv39Fallback(a, z, j) : undefined;
    if (group) {
      bump('address-space');
      movedHeap = true;
      qReserved.note(a);
      zReserved.add(group.kept);
      i++;
      j = group.end;
      continue;
    }
    if (!a || !b || a.name !== b.name) {
      if (clockRead(a)) {
        bump('clock-read');
        i++;
        continue;
      }
      if (clockRead(b)) {
        bump('clock-read');
        j++;
        continue;
      }
      if (randomRetry(q, i)) {
        bump('random-retry');
        i++;
        continue;
      }
      if (randomRetry(z, j)) {
        bump('random-retry');
        j++;
        continue;
      }
    }
    if (!a || !b) {
      return result({ index: i, what: a ? 'zerosys made fewer calls' : 'zerosys made more calls', qemu: a?.text, zerosys: b?.text, context: context(i) });
    }
    i++;
    j++;
    // After the heap moved, commits into reservations may differ in length (see the rule).
    if (movedHeap && a.name === b.name && commitInto(a, qReserved) && commitInto(b, zReserved) && a.args[1] !== b.args[1]) {
      const rest = (e: TraceEvent) => [...e.args.slice(2), e.errno ?? 'ok'].join();
      if (rest(a) === rest(b)) {
        bump('address-space');
        continue;
      }
    }
    qReserved.note(a);
    zReserved.note(b);
    // The thread-creating clone returns 0 in the child and the tid in the parent; which of
    // the two qemu logs first is the host scheduler's choice: compare its arguments only.
    const resultsComparable = !(i - 1 === qt && j - 1 === zt);
    const what =
      a.name !== b.name
        ? 'different call'
        : (compareArgs(a, b, bump) ?? (resultsComparable ? compareResults(a, b, bump, expected) : undefined));
    if (what) return result({ index: i - 1, what, qemu: a.text, zerosys: b.text, context: context(i - 1) });
  }
  return result();
}

/** Syscall name -> number of calls (kind 'call' only). */
export function countCalls(events: TraceEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) if (e.kind === 'call') counts[e.name] = (counts[e.name] ?? 0) + 1;
  return counts;
}
