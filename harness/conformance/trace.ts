// Syscall traces in qemu-riscv64's -strace text format (zerosys --strace writes the same):
// parsing into events, normalising what legitimately differs between the two sides, and
// comparing thread by thread, call by call, up to the first divergence. Every rule names the
// calls and arguments it applies to (NORMALISATION_RULES), and the comparison counts the
// calls it compared and the calls each rule set aside.

import * as ABI from '../../kernel/abi.ts';
import { SYSCALL_TABLE } from '../../kernel/table.ts';
import { ARG_KINDS, type ArgKind } from '../../kernel/types.ts';
import { NR } from '../../kernel/syscall-numbers.ts';
import { citationText, type DeviationId } from './deviations.ts';
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
  /** qemu printed `Unknown syscall N` (no arguments, no result). */
  unnamed?: boolean;
}

const SYSCALL_NAMES = new Map(Object.entries(NR as Record<string, number>).map(([name, nr]) => [nr, name]));

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

const SIGNAL_LINE = /^--- (\S+) (\{.*\}) ---$/s;

function signalEvent(lineNo: number, body: string, pid?: number): TraceEvent {
  const m = SIGNAL_LINE.exec(body.trimEnd());
  return { line: lineNo, ...(pid !== undefined ? { pid } : {}), kind: 'signal', name: m ? m[1] : body.slice(4).split(/[ {]/)[0], args: m ? splitArgs(m[2].slice(1, -1)).map((a) => a.trim()) : [], result: '', extra: '', text: body.trimEnd() };
}

/**
 * Parse a whole trace. Unparseable pid lines become 'other' events (kept, never dropped).
 * A line `TID <... resumed>REST` continues thread TID's unfinished line (qemu under the
 * thread-id library, strace-tid.ts); `--- SIG {siginfo} ---` lines are signals taken.
 */
export function parseTrace(text: string): TraceEvent[] {
  const events: TraceEvent[] = [];
  const pendingByPid = new Map<number, TraceEvent>(); // calls still waiting for their ' = result'
  let last: TraceEvent | undefined; // the most recent pending call (guest output may carry its result)
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const pid = /^(\d+) (.*)$/s.exec(raw);
    if (!pid || !/^[A-Za-z_+<-]/.test(pid[2])) {
      // qemu without thread ids prints signal lines without a pid.
      if (raw.startsWith('--- ')) {
        events.push(signalEvent(lineNo, raw));
        return;
      }
      // Guest output interleaved with the trace, possibly ending in the pending result.
      const found = last ? findResult(raw) : undefined;
      if (last && found) {
        parseResult(last, found.result);
        last.text += raw.slice(found.at);
        pendingByPid.delete(last.pid!);
        last = undefined;
      }
      return;
    }
    const tid = Number(pid[1]);
    let body = pid[2];
    if (body.startsWith('<... resumed>')) {
      body = body.slice('<... resumed>'.length);
      const pending = pendingByPid.get(tid);
      const found = findResult(body);
      if (pending && found) {
        parseResult(pending, found.result);
        pending.text += body.slice(found.at);
        pendingByPid.delete(tid);
        if (last === pending) last = undefined;
      }
      return;
    }
    if (body.startsWith('--- ') || body.startsWith('+++ ')) {
      events.push(signalEvent(lineNo, body, tid));
      return;
    }
    const unknown = /^Unknown syscall (\d+)$/.exec(body.trimEnd());
    if (unknown) {
      // qemu has no name for the call: it prints the number only, no arguments or result.
      const name = SYSCALL_NAMES.get(Number(unknown[1])) ?? `syscall_${unknown[1]}`;
      events.push({ line: lineNo, pid: tid, kind: 'call', name, args: [], result: '', extra: '', text: body.trimEnd(), unnamed: true });
      return;
    }
    const open = body.indexOf('(');
    const close = open > 0 ? closingParen(body, open) : -1;
    const call = close > 0 ? CALL.exec(body.slice(0, close + 1)) : null;
    if (!call) {
      events.push({ line: lineNo, pid: tid, kind: 'other', name: body.split(' ')[0], args: [], result: '', extra: '', text: body });
      return;
    }
    pendingByPid.delete(tid);
    const event: TraceEvent = { line: lineNo, pid: tid, kind: 'call', name: call[1], args: splitArgs(call[2]), result: '', extra: '', text: body.slice(0, close + 1) };
    const found = findResult(body.slice(close + 1));
    if (found) {
      parseResult(event, found.result);
      event.text += body.slice(close + 1 + found.at);
    } else {
      pendingByPid.set(tid, event);
      last = event;
    }
    events.push(event);
  });
  return events;
}

// ---------------------------------------------------------------------------------------
// Normalisation: what may differ between qemu-riscv64 and zerosys without being a bug.

/** Each rule, as documented in the report: what it accepts, in which calls and arguments. */
export const NORMALISATION_RULES: Readonly<Record<string, string>> = {
  pid: 'The id before each line is dropped after the threads are paired: qemu prints the host thread id, zerosys its guest thread id (1000 for the main thread).',
  'pid-result': 'Results of getpid, getppid, gettid, getpgid, getsid, getpgrp, setsid, set_tid_address, clone and wait4 (when positive) are process ids: both sides must succeed, the values may differ (qemu may show 0 for a parent, group or session outside its pid namespace).',
  address:
    'Arguments the call\'s signature declares as pointers (the row\'s signature in kernel/table.ts, e.g. read(fbz); a futex timeout only for ops that take one; an ioctl argument only for requests that take a pointer; a prctl argument only for options that take one; the si_addr of a fault at or above 64 KiB) may differ when both are non-NULL: the stack and mmap areas lie at different addresses. Values (lengths, offsets, flags, protections, request numbers) are compared exactly.',
  'address-result': 'mmap, mremap and shmat results are addresses: both must succeed (or fail with the same errno); the address may differ.',
  time: 'Values read from the clock: the timespec clock_gettime returns, gettimeofday\'s timeval, the result of times() (ticks since boot), the time left on an armed interval timer (the it_value getitimer and setitimer\'s old value print, when both sides\' are non-zero: a zero one, the interval and the result are compared), and the absolute deadline (TIMER_ABSTIME / FUTEX_WAIT_BITSET) a program computed from such a read. Relative timeouts and sleeps, and clock_getres results, are compared.',
  'unused-register':
    'Calls printed generically show all six argument registers; registers beyond the call\'s arity (for futex: beyond what its op reads; for prctl: beyond what its option reads) hold leftovers and are not compared.',
  'qemu-limitation': 'A documented qemu-riscv64 7.2 gap where zerosys does what Linux does (each names its entry in harness/conformance/deviations.ts, with the citation, in the divergence note). Among them, the timer id that timer_settime, timer_gettime, timer_getoverrun and timer_delete take: qemu\'s own 0x0caf0000 | slot against Linux\'s 0, 1, 2, ... (posix-timer-ids), accepted when each qemu id stands for one zerosys id until it is deleted (qemu gives the slot out again, Linux never reuses an id); and the read calls on a descriptor openat gave for /proc/self/maps, smaps, stat, auxv or cmdline (until it is closed) are set aside on each side: qemu renders those files into a memfd with its own text and block size (proc-self-rendered-by-qemu); the openat, fstat and close are compared.',
  'ipc-id':
    'System V IPC ids: the result of msgget, semget and shmget (when both succeed) is an id of the side\'s IPC namespace (the host\'s under qemu-riscv64, zerosys\'s own 0, 1, 2, ...), remembered as a pair per kind; the id that msgsnd, msgrcv, msgctl, semop, semtimedop, semctl, shmat and shmctl take first must be the counterpart of the other side\'s. For msgctl/semctl/shmctl commands that take an index or nothing there (IPC_INFO, MSG_INFO, SEM_INFO, SHM_INFO, MSG_STAT(_ANY), SEM_STAT(_ANY), SHM_STAT(_ANY)) that argument and the result (an id or the highest index in use, both non-negative) may differ.',
  'pid-argument': 'Process ids passed to wait4/waitid(P_PID)/kill/tkill/tgkill/rt_sigqueueinfo/rt_tgsigqueueinfo/sched_getaffinity/prlimit64/sched_getparam/sched_getscheduler/sched_setaffinity and the si_pid of a signal are the ids each side reported: both positive, may differ.',
  format:
    'Arguments compared by value where the two sides print them differently (0x10 vs 16, a struct vs its address, formatted vs generic six-register form); formatting fidelity of --strace is tested separately against qemu-riscv64 output.',
  threads:
    'Each thread\'s calls are compared with its counterpart\'s, threads paired in the order they were created (the thread-creating clone\'s result is the child\'s id on both sides). Only when the qemu trace carries no thread ids (the thread-id library of strace-tid.ts could not be built) are the calls after the first thread-creating clone set aside, and counted.',
  scheduling:
    'Calls whose presence, arguments or outcome follow the interleaving of threads (the host scheduler\'s under qemu, zerosys\'s deterministic one): futex wait/wake (FUTEX_WAIT/WAKE/WAIT_BITSET/WAKE_BITSET/REQUEUE/CMP_REQUEUE/WAKE_OP) and sched_yield. Within a thread such a call may be missing on one side (set aside, counted); when both sides have one of the same op and flags at the same place, its relative timeout (an input) is compared, its value and outcome (EAGAIN, ETIMEDOUT, number woken) are not; two of different ops or flags are both set aside.',
  'random-name':
    'A name made by mkstemp/mkdtemp (the six "XXXXXX" letters/digits glibc draws at random, at the end of the path) in openat(O_CREAT|O_EXCL)\'s or mkdirat\'s path argument: same length, same prefix, only those six characters differ. The pair is remembered, and the same path (or paths under it) in later path arguments is read as its counterpart.',
  host: 'sched_getaffinity returns min(len, cpumask_size()), a constant of the kernel build (kernel/sched/core.c): qemu passes the call to the host kernel, zerosys models riscv64 Linux with a 64-bit cpumask. zerosys must return min(len, 8); qemu\'s value must be a positive multiple of 8 no larger than len. getpriority(PRIO_USER, 0) is the best 20 - nice over all the user\'s processes (kernel/sys.c: SYSCALL_DEFINE2(getpriority)), the host\'s under qemu: qemu\'s value must be at least zerosys\'s (the guest is one of them) and at most 40. getpriority of the process itself, and every other result, is compared.',
  'fatal-signal':
    'The signal that kills the program: qemu prints it as taken (linux-user/signal.c: handle_pending_signal() calls print_taken_signal(), then dump_core_and_abort()); Linux kills through complete_signal()\'s fatal shortcut without a thread taking it, as zerosys does. Only as the last event of a thread, with nothing left on zerosys\'s side; the exit status (128+N) is compared separately.',
  largefile:
    'fcntl(fd, F_GETFL) of a file Linux opened with O_LARGEFILE: on 64-bit kernels openat and openat2 (not O_PATH) and memfd_create set it in f_flags, which F_GETFL returns; qemu drops the bit (fgetfl-largefile). zerosys\'s flags must be exactly qemu\'s plus O_LARGEFILE (0100000), and only where the fd\'s latest maker in zerosys\'s trace is one of those calls (through dup, dup2, dup3 and F_DUPFD; not after a close).',
  'ignored-signal':
    'A signal whose default action is to ignore it (SIGCHLD, SIGCONT, SIGURG, SIGWINCH) with no handler to run. Sent while unblocked, Linux does not queue it (kernel/signal.c: sig_ignored() / sig_task_ignored()) and zerosys prints nothing, while qemu takes it and prints it: set aside on qemu\'s side only where zerosys has no signal and no handler ran (qemu\'s next event is not rt_sigreturn). Any signal the program ignores (SIG_IGN, or SIG_DFL for one of those) that was sent while blocked: Linux queues it (sig_ignored() returns false for a blocked signal) and dequeues and drops it when the mask is lifted, where strace shows it and zerosys prints it, while qemu never sees it (linux-user/signal.c: do_sigaction() gives the host SIG_IGN for SIG_IGN and SIG_DFL for a non-fatal default, and signal_init() catches only default-fatal signals, so the host kernel drops it): set aside on zerosys\'s side only right after the rt_sigprocmask that lifts the mask (SIG_SETMASK or SIG_UNBLOCK), where qemu has no signal, when no handler ran and the thread goes on (a signal the thread did not ignore would have run a handler, stopped or killed it).',
  'qemu-restart':
    'qemu prints a call interrupted by a signal with the kernel-internal result ERESTARTSYS (errno=512), then runs and prints it again after the handler (linux-user/syscall.c, safe_syscall: -QEMU_ERESTARTSYS): the first line, on qemu\'s side only.',
  'unnamed-call':
    'qemu prints a call it has no name for as "Unknown syscall N", without arguments or result, and answers ENOSYS (linux-user/syscall.c: do_syscall1() default case): the call is matched by number, and zerosys must answer ENOSYS too.',
  preemption:
    'Go\'s asynchronous preemption: sysmon sends SIGURG (tgkill to another thread) to a thread whose goroutine ran more than 10 ms (runtime/proc.go: retake() -> preemptone() -> preemptM()), a matter of elapsed time. In a trace with such cross-thread tgkill(..., SIGURG) calls, those calls, a SIGURG taken by a thread with a handler installed, and the rt_sigreturn ending that handler may be missing on one side.',
  'host-file':
    'Reads from /sys/devices/system/cpu/ files (the CPUs online, possible, present): qemu passes the path to the host, whose CPUs differ from the one CPU zerosys models. Both reads must succeed; the byte count may differ.',
  'exec-untraced':
    'qemu-user 7.2 passes a guest execve to the host kernel, whose binfmt_misc entry starts a new qemu-riscv64 without -strace (linux-user/syscall.c do_execve -> safe_execve; Debian\'s qemu-user-binfmt): qemu\'s trace of that process ends at the execve, which prints no result. Where a task\'s calls on qemu\'s side end in such an execve, zerosys\'s calls after its own successful execve in that task (the new program\'s) are set aside, counted; the program\'s output and exit status are still compared.',
  'interleaving-rest':
    'In a threaded program, where a thread\'s own calls part from its counterpart\'s at a call no narrower rule explains (Go\'s goroutines run on whichever thread is free; glibc\'s malloc arenas and thread-stack cache follow which thread gets there first), the rest of that thread, and a thread with no counterpart, are set aside: counted, with the parting point listed in the case. Not a verdict of sameness for those calls.',
  'program-io':
    'After threads parted (interleaving-rest), the program\'s own file calls among what was set aside (openat, read, write, close, lseek, pread64/pwrite64, readv/writev, newfstatat/fstat, getdents64, unlinkat, mkdirat, renameat2, readlinkat, ftruncate, fsync, exit_group) are taken from every parted thread, in the order they were printed, and compared as one sequence, whichever thread made each (Go runs a goroutine on any thread). Counted as compared only when that whole sequence is identical under the other rules; otherwise they stay set aside.',
  'clock-read':
    'A successful clock_gettime(CLOCK_MONOTONIC) may be missing on one side: reading the clock changes nothing, and Go reads it for a random eighth of its goroutines (scheduling-latency sampling, seeded from AT_RANDOM, which qemu fills from the host\'s entropy).',
  'random-retry':
    'glibc makes mkstemp/mkdtemp names from the monotonic clock and, when the value would bias the name (about 1 time in 22), draws again with getrandom(8 bytes, GRND_NONBLOCK): whether it does follows the clock, the host\'s under qemu. Such a getrandom right after a clock read may be missing on one side.',
  'address-space':
    'zerosys gives the guest the 2^38-byte user address space of riscv64 Linux with Sv39 paging; qemu-user gives it the host\'s 47 bits, as Sv48 hardware would. An mmap hint at or above 2^38 that qemu honours (Go\'s heap arena at 0xc000000000) cannot be honoured by zerosys: the program\'s probes of further such hints (each mmap given back by munmap) and its fallback, an over-sized reservation anywhere trimmed by munmap to an aligned region of the asked length, stand for the one call (checked exactly, arithmetic included). After that the program\'s data lie at other addresses, so the lengths of MAP_FIXED mmaps committing parts of its PROT_NONE reservations (Go\'s page-allocator summaries, indexed by address) may differ; all other arguments and the results are compared.',
};

/** Rules that set calls aside (not compared) rather than compare them differently. */
export const SET_ASIDE_RULES = ['scheduling', 'threads', 'clock-read', 'random-retry', 'address-space', 'fatal-signal', 'ignored-signal', 'qemu-restart', 'preemption', 'qemu-limitation', 'exec-untraced', 'interleaving-rest'] as const;

/**
 * Rule 'exec-untraced': when qemu's calls of a task end in an execve without a result (the
 * new program ran in an untraced qemu), zerosys's calls of that task after its first
 * successful execve (no result either) are set aside and counted.
 */
function untracedExec(qt: TraceEvent[], zt: TraceEvent[], tally: Tally): TraceEvent[] {
  const last = qt.at(-1);
  if (!last || last.kind !== 'call' || last.name !== 'execve' || last.result !== '') return zt;
  const at = zt.findIndex((e) => e.kind === 'call' && e.name === 'execve' && e.result === '');
  if (at < 0 || at === zt.length - 1) return zt;
  tally.aside('exec-untraced', 'zerosys', zt.length - at - 1);
  return zt.slice(0, at + 1);
}

const OUTSIDE_IDS = new Set(['getppid', 'getpgid', 'getsid', 'getpgrp']);
const PID_RESULTS = new Set(['getpid', 'getppid', 'gettid', 'set_tid_address', 'getpgid', 'getsid', 'getpgrp', 'clone', 'clone3', 'setsid', 'wait4']);
const ADDRESS_RESULTS = new Set(['mmap', 'mremap', 'shmat']);
/** Calls whose printed result carries a value read from a clock (rule 'time'). */
const CLOCK_READ_RESULTS = new Set(['clock_gettime', 'gettimeofday']);
/** Calls whose first argument is a POSIX timer id (qemu deviation posix-timer-ids, rule 'qemu-limitation'). */
const TIMER_ID_CALLS = new Set(['timer_settime', 'timer_gettime', 'timer_getoverrun', 'timer_delete']);
/** qemu 7.2's guest timer ids: TIMER_MAGIC (0x0caf0000) | slot, one of GUEST_TIMER_MAX (32) slots (linux-user/syscall.c). */
const QEMU_TIMER_MAGIC = 0x0caf0000n;
/** The live timer ids seen so far: qemu's -> zerosys's (each qemu id stands for one zerosys id, and back, until timer_delete). */
type TimerIds = Map<bigint, bigint>;

function sameTimer(q: bigint, z: bigint, ids: TimerIds): boolean {
  if ((q & ~0xffffn) !== QEMU_TIMER_MAGIC || (q & 0xffffn) >= 32n || z < 0n || z > 0x7fffffffn) return false;
  const known = ids.get(q);
  if (known !== undefined) return known === z;
  if ([...ids.values()].includes(z)) return false;
  ids.set(q, z);
  return true;
}

/** System V IPC (rule 'ipc-id'): calls whose result is an id, and calls whose first argument is one, by kind. */
const IPC_ID_RESULTS: Readonly<Record<string, string>> = { msgget: 'msg', semget: 'sem', shmget: 'shm' };
const IPC_ID_ARGS: Readonly<Record<string, string>> = { msgsnd: 'msg', msgrcv: 'msg', msgctl: 'msg', semop: 'sem', semtimedop: 'sem', semctl: 'sem', shmat: 'shm', shmctl: 'shm' };
/** msgctl/semctl/shmctl commands whose id argument is an index or unused and whose result is an id or an index: IPC_INFO, MSG_STAT, MSG_INFO, MSG_STAT_ANY, SEM_STAT, SEM_INFO, SEM_STAT_ANY, SHM_STAT, SHM_INFO, SHM_STAT_ANY. */
const IPC_INDEX_CMDS: Readonly<Record<string, { arg: number; cmds: ReadonlySet<bigint> }>> = {
  msgctl: { arg: 1, cmds: new Set([BigInt(ABI.IPC_INFO), BigInt(ABI.MSG_STAT), BigInt(ABI.MSG_INFO), BigInt(ABI.MSG_STAT_ANY)]) },
  semctl: { arg: 2, cmds: new Set([BigInt(ABI.IPC_INFO), BigInt(ABI.SEM_STAT), BigInt(ABI.SEM_INFO), BigInt(ABI.SEM_STAT_ANY)]) },
  shmctl: { arg: 1, cmds: new Set([BigInt(ABI.IPC_INFO), BigInt(ABI.SHM_STAT), BigInt(ABI.SHM_INFO), BigInt(ABI.SHM_STAT_ANY)]) },
};
/** The IPC ids seen so far: `kind:qemu id` -> zerosys id. */
type IpcIdPairs = Map<string, bigint>;

function ipcIndexCmd(e: TraceEvent): boolean {
  const c = IPC_INDEX_CMDS[e.name];
  const cmd = c ? numeric(e.args[c.arg] ?? '') : undefined;
  return cmd !== undefined && c!.cmds.has(cmd);
}

/** Whether qemu's id q and zerosys's id z stand for each other (a new pair is remembered). */
function sameIpcId(kind: string, q: bigint, z: bigint, ids: IpcIdPairs): boolean {
  if (q < 0n || z < 0n) return false;
  const known = ids.get(`${kind}:${q}`);
  if (known !== undefined) return known === z;
  for (const [k, v] of ids) if (k.startsWith(`${kind}:`) && v === z) return false;
  ids.set(`${kind}:${q}`, z);
  return true;
}

/** Calls whose printed result carries the time left on a timer (rule 'time'): qemu's print_itimerval. */
const TIMER_READ_RESULTS = new Set(['getitimer', 'setitimer']);

/** A printed itimerval with each non-zero it_value (an armed timer's time left, a clock reading) made alike. */
function timerShape(extra: string): string {
  return extra.replace(/it_value=\{tv_sec = (-?\d+),tv_usec = (-?\d+)\}/g, (m, sec: string, usec: string) => (sec === '0' && usec === '0' ? m : 'it_value={armed}'));
}

/** qemu-riscv64 7.2 answers ENOSYS where Linux (and zerosys) succeed: call -> deviation id. */
const QEMU_ENOSYS: Record<string, DeviationId> = { set_robust_list: 'set_robust_list-enosys', get_robust_list: 'set_robust_list-enosys' };

/**
 * Each call's argument kinds from its row's signature in kernel/table.ts ('p' where the kind
 * is a pointer, 'v' a value): the length is the arity, which for a call qemu prints
 * generically (six decimal registers) says how many hold arguments.
 */
const SIGNATURES: ReadonlyMap<string, string> = new Map(
  SYSCALL_TABLE.flatMap((r) => (r.sig !== undefined ? [[r.name, [...r.sig].map((k) => (ARG_KINDS[k as ArgKind].pointer ? 'p' : 'v')).join('')] as const] : [])),
);


/** ioctl requests whose third argument is a pointer (the others take a value or nothing). */
const IOCTL_POINTER_REQUESTS = new Set(['TCGETS', 'TCSETS', 'TCSETSW', 'TCSETSF', 'TIOCGWINSZ', 'TIOCSWINSZ', 'FIONREAD', 'TIOCGPGRP', 'TIOCSPGRP', 'FIONBIO', 'TIOCOUTQ', 'TIOCGSID']);

/** fcntl commands whose third argument is a pointer (struct flock, f_owner_ex). */
const FCNTL_POINTER_COMMANDS = new Set(['F_GETLK', 'F_SETLK', 'F_SETLKW', 'F_OFD_GETLK', 'F_OFD_SETLK', 'F_OFD_SETLKW', 'F_GETOWN_EX', 'F_SETOWN_EX']);

/**
 * prctl options (kernel/sys.c, SYSCALL_DEFINE5(prctl)): kinds of arg2..arg5 each reads ('p'
 * pointer, 'v' value); options not listed read all four as values.
 */
const PRCTL_ARGS: Record<number, string> = {
  1: 'v', // PR_SET_PDEATHSIG
  2: 'p', // PR_GET_PDEATHSIG
  3: '', // PR_GET_DUMPABLE
  4: 'v', // PR_SET_DUMPABLE
  7: '', // PR_GET_KEEPCAPS
  8: 'v', // PR_SET_KEEPCAPS
  15: 'p', // PR_SET_NAME
  16: 'p', // PR_GET_NAME
  23: 'v', // PR_CAPBSET_READ
  36: 'v', // PR_SET_CHILD_SUBREAPER
  37: 'p', // PR_GET_CHILD_SUBREAPER
  38: 'vvvv', // PR_SET_NO_NEW_PRIVS
  39: 'vvvv', // PR_GET_NO_NEW_PRIVS
  40: 'p', // PR_GET_TID_ADDRESS
  0x53564d41: 'vvvp', // PR_SET_VMA (PR_SET_VMA_ANON_NAME: the name)
};
const PRCTL_NAMES: Record<string, number> = { PR_SET_PDEATHSIG: 1, PR_GET_PDEATHSIG: 2, PR_GET_DUMPABLE: 3, PR_SET_DUMPABLE: 4, PR_SET_NAME: 15, PR_GET_NAME: 16 };

/** futex ops (kernel/futex/syscalls.c, do_futex): kinds of val, timeout/val2, uaddr2, val3. */
const FUTEX_OPS: Record<string, string> = {
  FUTEX_WAIT: 'vt', // val, relative timeout
  FUTEX_WAKE: 'v',
  FUTEX_FD: 'v',
  FUTEX_REQUEUE: 'vvp',
  FUTEX_CMP_REQUEUE: 'vvpv',
  FUTEX_WAKE_OP: 'vvpv',
  FUTEX_LOCK_PI: '-T',
  FUTEX_UNLOCK_PI: '',
  FUTEX_TRYLOCK_PI: '',
  FUTEX_WAIT_BITSET: 'vT-v', // absolute timeout
  FUTEX_WAKE_BITSET: 'v--v',
  FUTEX_WAIT_REQUEUE_PI: 'vTp',
  FUTEX_CMP_REQUEUE_PI: 'vvpv',
  FUTEX_LOCK_PI2: '-T',
};
/** Op names by number, from the generated ABI (kernel/abi.ts): how a futex call printed with a numeric op reads. */
const FUTEX_OP_NAMES: string[] = [];
for (const name of Object.keys(FUTEX_OPS)) FUTEX_OP_NAMES[(ABI as unknown as Record<string, number>)[name]] = name;
/** futex ops whose use follows the interleaving of threads (rule 'scheduling'). */
const SCHEDULING_FUTEX = new Set(['FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET', 'FUTEX_REQUEUE', 'FUTEX_CMP_REQUEUE', 'FUTEX_WAKE_OP']);

/** The futex op name of a futex call as printed ("FUTEX_PRIVATE_FLAG|FUTEX_WAKE", or a number). */
function futexOp(e: TraceEvent): string | undefined {
  if (e.name !== 'futex') return undefined;
  const op = e.args[1] ?? '';
  if (/^\d+$/.test(op)) return FUTEX_OP_NAMES[Number(op) & ABI.FUTEX_CMD_MASK];
  return op.split('|').find((f) => f in FUTEX_OPS);
}

/** Kinds of a futex call's arguments: uaddr, op, then per op ('t'/'T' timeouts, '-' unused). */
function futexKinds(e: TraceEvent): string {
  const op = futexOp(e);
  return op === undefined ? 'pvvvvv' : `pv${FUTEX_OPS[op]}`;
}

/** A call whose presence, values and outcome follow the interleaving of threads. */
function schedulingCall(e: TraceEvent): boolean {
  if (e.kind !== 'call') return false;
  if (e.name === 'sched_yield') return true;
  const op = futexOp(e);
  return op !== undefined && SCHEDULING_FUTEX.has(op);
}

/** Kind of argument i of a call ('p' pointer, 'v' value, 't' relative time, 'T' absolute time, '-' unused, undefined beyond the arity). */
function argKind(e: TraceEvent, i: number): string | undefined {
  if (e.name === 'futex') return futexKinds(e)[i] ?? '-';
  if (e.name === 'prctl') {
    if (i === 0) return 'v';
    const option = numeric(e.args[0] ?? '') ?? BigInt(PRCTL_NAMES[e.args[0] ?? ''] ?? -1);
    const kinds = PRCTL_ARGS[Number(option)] ?? 'vvvv';
    return kinds[i - 1] ?? '-';
  }
  if (e.name === 'ioctl') return i === 2 && IOCTL_POINTER_REQUESTS.has(e.args[1] ?? '') ? 'p' : 'v';
  if (e.name === 'fcntl') return i === 2 && FCNTL_POINTER_COMMANDS.has(e.args[1] ?? '') ? 'p' : 'v';
  if (e.name === 'clock_nanosleep' && i === 2) return /TIMER_ABSTIME|^1$/.test(e.args[1] ?? '') ? 'T' : 't';
  const kinds = SIGNATURES.get(e.name);
  if (kinds === undefined) return 'v';
  // Six registers printed generically: those beyond the arity are leftovers ('unused-register').
  return e.args.length === 6 ? kinds[i] : kinds[i] ?? 'v';
}

/** Arguments that are paths, per call (rule 'random-name'). */
const PATH_ARGS: Record<string, readonly number[]> = {
  openat: [1], mkdirat: [1], unlinkat: [1], newfstatat: [1], statx: [1], faccessat: [1], faccessat2: [1], readlinkat: [1],
  fchmodat: [1], fchownat: [1], utimensat: [1], renameat: [1, 3], renameat2: [1, 3], linkat: [1, 3], symlinkat: [0, 2],
  chdir: [0], truncate: [0], execve: [0], mknodat: [1], chroot: [0], open: [0], unlink: [0], rmdir: [0], mkdir: [0], stat: [0], lstat: [0], access: [0],
};

/** Where the comparison stopped: the first call (of a thread) that differs. */
export interface TraceDivergence {
  /** 0-based index of the differing call in its thread's sequence (the whole trace when single-threaded). */
  index: number;
  /** The thread, by creation order (0: the main thread); absent for a single-threaded program. */
  thread?: number;
  what: string;
  qemu?: string;
  zerosys?: string;
  /** A few calls before the divergence, as printed by qemu. */
  context: string[];
  /** 0-based index of zerosys's call at the divergence, in the same sequence. */
  zerosysIndex?: number;
}

export interface TraceComparison {
  /** Calls (and signals) in each trace. */
  qemuCalls: number;
  zerosysCalls: number;
  /** qemu's calls that were compared with a zerosys call (the rest were set aside or not reached). */
  compared: number;
  /** Calls set aside (not compared), per rule, on each side. */
  setAside: Record<string, { qemu: number; zerosys: number }>;
  /** Threads compared (pairs), 1 for a single-threaded program. */
  threads: number;
  /** undefined when the sequences agree after normalisation. */
  divergence?: TraceDivergence;
  /** How often each normalisation rule was applied. */
  normalised: Record<string, number>;
  /** Notes for differences classified as expected (qemu limitations), with their citations. */
  expected: string[];
  /** Threaded programs: where a thread's calls parted from its counterpart's (the rest set aside as 'interleaving-rest'). */
  parted: TraceDivergence[];
}

/** Numeric value of an argument as printed (decimal, 0x hex, NULL/(nil), key=value), or undefined. */
function numeric(text: string): bigint | undefined {
  const value = text.replace(/^[a-z_]+=/, '');
  if (value === 'NULL' || value === '(nil)') return 0n;
  if (/^-?\d+$/.test(value)) return BigInt(value);
  if (/^0x[0-9a-fA-F]+$/.test(value)) return BigInt(value);
  return undefined;
}

/** Calls whose leading arguments are process/thread ids (qemu: host ids). */
const PID_ARGS: Record<string, number> = { wait4: 1, kill: 1, tkill: 1, tgkill: 2, rt_sigqueueinfo: 1, rt_tgsigqueueinfo: 2, sched_getaffinity: 1, prlimit64: 1, sched_getparam: 1, sched_getscheduler: 1, sched_setaffinity: 1 };

/** mkstemp/mkdtemp names made on both sides (rule 'random-name'): qemu's path -> zerosys's. */
type Names = Map<string, string>;

/** Calls that make a file or directory with a fresh name: openat(O_CREAT|O_EXCL), mkdirat. */
function createsName(e: TraceEvent): boolean {
  if (e.name === 'mkdirat') return true;
  if (e.name !== 'openat') return false;
  const flags = e.args[2] ?? '';
  return flags.includes('O_CREAT') && flags.includes('O_EXCL');
}

/** Two quoted paths that differ only in their last six characters, all letters or digits (glibc's __gen_tempname). */
function tempNamePair(a: string, b: string): boolean {
  if (!a.startsWith('"') || !b.startsWith('"') || !a.endsWith('"') || !b.endsWith('"') || a.length !== b.length || a.length < 8) return false;
  const cut = a.length - 7;
  return a.slice(0, cut) === b.slice(0, cut) && /^[A-Za-z0-9]{6}"$/.test(a.slice(cut)) && /^[A-Za-z0-9]{6}"$/.test(b.slice(cut)) && !a.slice(0, cut).endsWith('/');
}

/** qemu's path with remembered random names replaced by zerosys's (the name itself, or a path under it). */
function renamed(a: string, names: Names): string | undefined {
  for (const [q, z] of names) {
    const stem = q.slice(0, -1); // without the closing quote
    if (a === q) return z;
    if (a.startsWith(`${stem}/`)) return z.slice(0, -1) + a.slice(stem.length);
  }
  return undefined;
}

function compareArgs(q: TraceEvent, z: TraceEvent, bump: (rule: string) => void, names: Names, timers: TimerIds = new Map(), expected: string[] = [], ipc: IpcIdPairs = new Map()): string | undefined {
  // When one side printed the call generically (six registers) and the other with a format,
  // compare the arguments both printed; the rest are leftovers or formatting.
  const count = Math.min(q.args.length, z.args.length);
  if (q.args.length !== z.args.length) bump('format');
  let unused = false;
  for (let i = 0; i < count; i++) {
    const a = q.args[i];
    const b = z.args[i];
    const kind = argKind(q, i);
    if (kind === undefined || kind === '-') {
      // A register the call does not read (beyond its arity, or unused by its op/option).
      if (a !== b) unused = true;
      continue;
    }
    if (a === b) continue;
    const na = numeric(a);
    const nb = numeric(b);
    // waitid(P_PID, id, ...): the id only, and only when both sides wait for one pid.
    const waitidPid = q.name === 'waitid' && i === 1 && q.args[0] === z.args[0] && numeric(q.args[0] ?? '') === BigInt(ABI.P_PID);
    if ((i < (PID_ARGS[q.name] ?? 0) || waitidPid) && na !== undefined && nb !== undefined && na > 0n && nb > 0n) {
      bump('pid-argument');
      continue;
    }
    // A pointer printed as a number on both sides (qemu prints some as what they point to:
    // a path, a struct read at the call — those are compared).
    if (kind === 'p' && na !== undefined && nb !== undefined && na !== 0n && nb !== 0n) {
      bump('address');
      continue;
    }
    if (na !== undefined && nb !== undefined && na === nb) {
      bump('format');
      continue;
    }
    if ((PATH_ARGS[q.name] ?? []).includes(i)) {
      if (createsName(q) && createsName(z) && tempNamePair(a, b)) {
        names.set(a, b);
        bump('random-name');
        continue;
      }
      if (renamed(a, names) === b) {
        bump('random-name');
        continue;
      }
    }
    if (kind === 'T' && a.startsWith('{') && b.startsWith('{')) {
      bump('time'); // an absolute deadline, computed from a clock read
      continue;
    }
    if ((a.startsWith('{') && nb !== undefined) || (b.startsWith('{') && na !== undefined)) {
      bump('format');
      continue;
    }
    if (i === 0 && IPC_ID_ARGS[q.name] && na !== undefined && nb !== undefined && (ipcIndexCmd(q) || sameIpcId(IPC_ID_ARGS[q.name], BigInt.asIntN(32, na), BigInt.asIntN(32, nb), ipc))) {
      bump('ipc-id');
      continue;
    }
    if (i === 0 && TIMER_ID_CALLS.has(q.name) && na !== undefined && nb !== undefined && sameTimer(BigInt.asUintN(32, na), BigInt.asUintN(32, nb), timers)) {
      bump('qemu-limitation');
      // qemu hands a deleted timer's slot out again; Linux never reuses the id.
      if (q.name === 'timer_delete') timers.delete(BigInt.asUintN(32, na));
      const note = `timer ids: ${citationText('posix-timer-ids')} (posix-timer-ids)`;
      if (!expected.includes(note)) expected.push(note);
      continue;
    }
    return `argument ${i + 1} differs`;
  }
  if (unused) bump('unused-register');
  return undefined;
}

/** O_LARGEFILE in the riscv64 (asm-generic) headers. */
const O_LARGEFILE_BIT = 0o100000n;
/** Calls whose new file Linux gives O_LARGEFILE (rule 'largefile'). */
const LARGEFILE_OPENERS = new Set(['openat', 'openat2', 'memfd_create']);
/** Calls that return a new fd for the same open file as their first argument's. */
const FD_DUPS = new Set(['dup', 'dup2', 'dup3']);
/** Calls that return a new fd. */
const FD_MAKERS = new Set([...LARGEFILE_OPENERS, ...FD_DUPS, 'fcntl', 'pipe2', 'socket', 'eventfd2', 'epoll_create1', 'timerfd_create', 'signalfd4', 'inotify_init1', 'accept', 'accept4', 'pidfd_open']);

/** fcntl(fd, F_GETFL) where zerosys's flags are exactly qemu's plus O_LARGEFILE. */
function onlyLargefileDiffers(q: TraceEvent, z: TraceEvent): boolean {
  return q.name === 'fcntl' && q.args[1] === 'F_GETFL' && q.ret !== undefined && z.ret !== undefined && q.ret >= 0n && (q.ret & O_LARGEFILE_BIT) === 0n && z.ret === (q.ret | O_LARGEFILE_BIT);
}

/**
 * The call that made the open file behind fd, looking back from index `before` in one trace:
 * the latest call that returned fd (through dup, dup2, dup3 and fcntl F_DUPFD to the fd they
 * copied), undefined when fd was closed since, or made by a call that does not return it.
 */
function fdOpener(events: TraceEvent[], before: number, fdText: string, depth = 0): string | undefined {
  const fd = numeric(fdText);
  if (fd === undefined || depth > 8) return undefined;
  for (let k = before - 1; k >= 0; k--) {
    const e = events[k];
    if (e.kind !== 'call') continue;
    if (e.name === 'close' && numeric(e.args[0] ?? '') === fd) return undefined;
    if (e.ret !== fd || !FD_MAKERS.has(e.name)) continue;
    const dupfd = e.name === 'fcntl' && (e.args[1] === 'F_DUPFD' || e.args[1] === 'F_DUPFD_CLOEXEC');
    if (FD_DUPS.has(e.name) || dupfd) return fdOpener(events, k, e.args[0] ?? '', depth + 1);
    return e.name === 'fcntl' ? undefined : e.name;
  }
  return undefined;
}

/** zerosys's cpumask: 64 bits (kernel/sched/sched_getaffinity.ts). */
const ZEROSYS_CPUMASK_BYTES = 8n;

function compareResults(q: TraceEvent, z: TraceEvent, bump: (rule: string) => void, expected: string[], ipc: IpcIdPairs = new Map()): string | undefined {
  if (IPC_ID_RESULTS[q.name] && q.ret !== undefined && z.ret !== undefined && q.ret >= 0n && z.ret >= 0n) {
    if (q.ret === z.ret && !ipc.has(`${IPC_ID_RESULTS[q.name]}:${q.ret}`)) ipc.set(`${IPC_ID_RESULTS[q.name]}:${q.ret}`, z.ret);
    if (q.result === z.result) return undefined;
    if (!sameIpcId(IPC_ID_RESULTS[q.name], q.ret, z.ret, ipc)) return 'result differs';
    bump('ipc-id');
    return undefined;
  }
  if (q.result === z.result) return undefined;
  if (ipcIndexCmd(q) && q.ret !== undefined && z.ret !== undefined && q.ret >= 0n && z.ret >= 0n) {
    bump('ipc-id');
    return undefined;
  }
  if (q.errno !== undefined || z.errno !== undefined) {
    const deviationId = QEMU_ENOSYS[q.name];
    if (q.errno === 38 && z.errno === undefined && deviationId) {
      bump('qemu-limitation');
      expected.push(`${q.name}: ${citationText(deviationId)} (${deviationId})`);
      return undefined;
    }
    if (q.errno !== z.errno) return 'result differs';
    return q.extra === z.extra ? undefined : 'result details differ';
  }
  // A parent, group or session leader outside the reference's pid namespace shows as 0
  // (containers, CI), so those may be 0 on the qemu side.
  const lowest = OUTSIDE_IDS.has(q.name) ? 0n : 1n;
  if (PID_RESULTS.has(q.name) && q.ret !== undefined && z.ret !== undefined && q.ret >= lowest && z.ret > 0n) {
    bump('pid-result');
    return undefined;
  }
  if (ADDRESS_RESULTS.has(q.name)) {
    bump('address-result');
    return undefined;
  }
  if (q.name === 'sched_getaffinity' && q.ret !== undefined && z.ret !== undefined) {
    const len = numeric(q.args[1] ?? '');
    if (len !== undefined && z.ret === (len < ZEROSYS_CPUMASK_BYTES ? len : ZEROSYS_CPUMASK_BYTES) && q.ret > 0n && q.ret % 8n === 0n && q.ret <= len) {
      bump('host');
      expected.push(`sched_getaffinity: ${citationText('sched_getaffinity-host-cpumask')} (sched_getaffinity-host-cpumask)`);
      return undefined;
    }
    return 'result differs';
  }
  // getpriority(PRIO_USER, 0): the best of 20 - nice over every process of the user — on
  // the host under qemu, which includes the guest itself: at least zerosys's own value.
  if (q.name === 'getpriority' && numeric(q.args[0] ?? '') === 2n && q.ret !== undefined && z.ret !== undefined && z.ret >= 1n && z.ret <= 40n && q.ret >= z.ret && q.ret <= 40n) {
    bump('host');
    return undefined;
  }
  if (q.name === 'times' && q.ret !== undefined && z.ret !== undefined && q.ret > 0n && z.ret > 0n) {
    bump('time');
    return undefined;
  }
  if (q.ret === z.ret && CLOCK_READ_RESULTS.has(q.name)) {
    bump('time');
    return undefined;
  }
  if (q.ret === z.ret && TIMER_READ_RESULTS.has(q.name) && timerShape(q.extra) === timerShape(z.extra)) {
    bump('time');
    return undefined;
  }
  return 'result differs';
}

/** Fields of a signal's siginfo as printed: {si_signo=SIGSEGV, si_code=1, si_addr=0x...}. */
function siginfoFields(e: TraceEvent): Map<string, string> {
  return new Map(e.args.map((f) => f.split('=') as [string, string]).map(([k, v]) => [k.trim(), (v ?? '').trim()]));
}

/** Compare two signal lines: the signal, its code, and each siginfo field. */
function compareSignals(q: TraceEvent, z: TraceEvent, bump: (rule: string) => void, expected: string[]): string | undefined {
  if (q.name !== z.name) return 'different signal';
  const a = siginfoFields(q);
  const b = siginfoFields(z);
  // A stack overflow into qemu's guard page (stack-overflow-segv-accerr): ACCERR there, MAPERR on Linux.
  if (q.name === 'SIGSEGV' && a.get('si_code') === '2' && b.get('si_code') === '1' && (numeric(a.get('si_addr') ?? '') ?? 0n) >= 0x10000n) {
    bump('qemu-limitation');
    expected.push(`SIGSEGV si_code: ${citationText('stack-overflow-segv-accerr')} (stack-overflow-segv-accerr)`);
    a.set('si_code', '1');
  }
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === y) continue;
    const nx = numeric(x ?? '');
    const ny = numeric(y ?? '');
    if (key === 'si_pid' && nx !== undefined && ny !== undefined && nx > 0n && ny > 0n) {
      bump('pid-argument');
      continue;
    }
    // SI_TIMER's siginfo is _timer {si_tid, si_overrun, si_sigval}: the overrun count sits where
    // si_uid is printed, and under qemu-riscv64 a timer's overruns follow the host's clocks
    // (CPU-time timers count qemu's own translation time), so they are not the guest's.
    if (key === 'si_uid' && a.get('si_code') === 'SI_TIMER' && b.get('si_code') === 'SI_TIMER') {
      bump('time');
      continue;
    }
    // A fault address at or above mmap_min_addr (64 KiB) lies in the stack or an mmap area.
    if (key === 'si_addr' && nx !== undefined && ny !== undefined && nx >= 0x10000n && ny >= 0x10000n) {
      bump('address');
      continue;
    }
    return `signal ${key} differs`;
  }
  return undefined;
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

/**
 * A clone that made a task (a thread or a process: fork, vfork, posix_spawn), as printed by
 * the caller on either side. Each task's calls are compared on their own: a forked child's
 * calls come from another qemu process, interleaved by the host's scheduler.
 */
function taskClone(e: TraceEvent): boolean {
  if (e.kind !== 'call' || (e.name !== 'clone' && e.name !== 'clone3')) return false;
  const flags = e.args[0] ?? '';
  if (flags.includes('CLONE_THREAD') || (/^\d+$/.test(flags) && (BigInt(flags) & 0x10000n) !== 0n)) return true;
  return e.result === '' || (e.ret !== undefined && e.ret > 0n); // a process: as its parent printed it
}

/** A trace's events split by thread, threads in creation order (the main thread first). */
function splitThreads(list: TraceEvent[]): TraceEvent[][] {
  const byId = new Map<number, TraceEvent[]>();
  const order: number[] = [];
  let current: number | undefined;
  const add = (id: number) => {
    if (!byId.has(id)) {
      byId.set(id, []);
      order.push(id);
    }
  };
  // Creation order: the main thread (the first line's), then each thread-creating clone's result.
  const created: number[] = [];
  for (const e of list) {
    if (current === undefined && e.pid !== undefined) created.push(e.pid);
    current ??= e.pid;
    if (taskClone(e) && e.ret !== undefined && e.ret > 0n) created.push(Number(e.ret));
  }
  for (const id of created) add(id);
  let last = created[0] ?? 0;
  for (const e of list) {
    const id = e.pid ?? last; // a signal line without an id (qemu without thread ids)
    last = id;
    add(id);
    byId.get(id)!.push(e);
  }
  return order.map((id) => byId.get(id)!).filter((t) => t.length > 0);
}

interface Tally {
  bump: (rule: string) => void;
  aside: (rule: string, side: 'qemu' | 'zerosys', n?: number) => void;
  compared: number;
  expected: string[];
  parted: TraceDivergence[];
}

/** Compare a scheduling call with its counterpart: op and flags, and relative timeouts (inputs). */
function compareSchedulingPair(q: TraceEvent, z: TraceEvent, bump: (rule: string) => void): string | undefined {
  if (q.name === 'sched_yield') return undefined;
  if (futexOp(q) !== futexOp(z)) return 'different futex op';
  const sameValue = (x = '', y = '') => x === y || (numeric(x) !== undefined && numeric(x) === numeric(y));
  if (!sameValue(q.args[1], z.args[1])) return 'argument 2 differs';
  const kinds = futexKinds(q);
  for (let i = 2; i < kinds.length; i++) {
    if (kinds[i] === 't' && !sameValue(q.args[i], z.args[i])) return `argument ${i + 1} differs`;
  }
  bump('scheduling'); // value and outcome set aside
  return undefined;
}

/** Remember the path of a file descriptor openat returned, until it is closed (rules 'host-file', 'qemu-limitation'). */
function noteOpen(e: TraceEvent, files: Map<string, string>): void {
  if (e.name === 'openat' && e.ret !== undefined && e.ret >= 0n) files.set(String(e.ret), e.args[1] ?? '');
  else if (e.name === 'close') files.delete(e.args[0] ?? '');
}

/** The /proc/self files qemu renders itself (proc-self-rendered-by-qemu), as openat's path argument prints. */
const QEMU_RENDERED_PROC = new Set(['"/proc/self/maps"', '"/proc/self/smaps"', '"/proc/self/stat"', '"/proc/self/auxv"', '"/proc/self/cmdline"']);

/** A read of one of those files: its count follows st_blksize and its text qemu's rendering. */
function readsQemuRenderedProc(e: TraceEvent | undefined, files: Map<string, string>): boolean {
  return e?.name === 'read' && QEMU_RENDERED_PROC.has(files.get(e.args[0] ?? '') ?? '');
}

function hostFile(path: string | undefined): boolean {
  return path !== undefined && path.startsWith('"/sys/devices/system/cpu/');
}

const DEFAULT_IGNORED = new Set(['SIGCHLD', 'SIGCONT', 'SIGURG', 'SIGWINCH']);
/** Signals no disposition ignores (SIGKILL, SIGSTOP) and the stop signals, whose default stops the process. */
const NEVER_IGNORED = new Set(['SIGKILL', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU']);

/** An rt_sigprocmask that can unblock signals (SIG_SETMASK or SIG_UNBLOCK with a new set): where a blocked signal is taken. */
function liftsMask(e: TraceEvent | undefined): boolean {
  return e?.kind === 'call' && e.name === 'rt_sigprocmask' && e.ret === 0n && (e.args[0] === 'SIG_SETMASK' || e.args[0] === 'SIG_UNBLOCK') && /^0x0*[1-9a-f]/.test(e.args[1] ?? '');
}

/** Signals for which the trace installed a handler (rt_sigaction with a new action), by name. */
function handledSignals(list: TraceEvent[], upTo: TraceEvent): Set<string> {
  const out = new Set<string>();
  for (const e of list) {
    if (e === upTo) break;
    if (e.kind === 'call' && e.name === 'rt_sigaction' && (numeric(e.args[1] ?? '') ?? 1n) !== 0n && e.ret === 0n) out.add(e.args[0] ?? '');
  }
  return out;
}

/** A tgkill sending SIGURG to another thread (Go's preemptM). */
function preemptsOther(e: TraceEvent): boolean {
  return e.kind === 'call' && e.name === 'tgkill' && e.args[2] === 'SIGURG' && e.args[1] !== String(e.pid);
}

/** Go's preemption (rule 'preemption'): a SIGURG taken with a handler, and the tgkill sending one to another thread. */
function preemption(list: TraceEvent[], k: number, handled: (e: TraceEvent) => Set<string>, whole: TraceEvent[]): number {
  const e = list[k];
  if (!e) return 0;
  if (preemptsOther(e)) return 1;
  if (e.kind === 'signal' && e.name === 'SIGURG' && !whole.some(preemptsOther)) return 0;
  if (e.kind === 'signal' && e.name === 'SIGURG' && handled(e).has('SIGURG')) return list[k + 1]?.name === 'rt_sigreturn' ? 2 : 1;
  return 0;
}

/** Compare one thread's calls with its counterpart's; returns the first divergence. */
function compareSequence(q: TraceEvent[], z: TraceEvent[], tally: Tally, thread: number | undefined, fallbackClone: { q: number; z: number } | undefined, whole: { q: TraceEvent[]; z: TraceEvent[] } = { q, z }): TraceDivergence | undefined {
  const { bump, aside, expected } = tally;
  const context = (i: number) => q.slice(Math.max(0, i - 3), i).map((e) => e.text);
  const diverge = (index: number, what: string, a?: TraceEvent, b?: TraceEvent, zIndex = index): TraceDivergence => ({ index, ...(thread !== undefined ? { thread } : {}), what, qemu: a?.text, zerosys: b?.text, context: context(index), zerosysIndex: zIndex });
  const qReserved = new Reservations();
  const zReserved = new Reservations();
  const names: Names = new Map();
  const timers: TimerIds = new Map();
  const ipcIds: IpcIdPairs = new Map();
  const qFiles = new Map<string, string>();
  const zFiles = new Map<string, string>();
  let movedHeap = false;
  // i walks qemu's calls, j zerosys's: the rules 'address-space', 'clock-read', 'random-retry'
  // and 'scheduling' match calls that are not one to one.
  for (let i = 0, j = 0; i < q.length || j < z.length; ) {
    const a = q[i];
    const b = z[j];
    const group = a && b ? sv39Fallback(a, z, j) : undefined;
    if (group) {
      bump('address-space');
      aside('address-space', 'zerosys', group.end - j - 1);
      tally.compared++;
      movedHeap = true;
      qReserved.note(a);
      zReserved.add(group.kept);
      i++;
      j = group.end;
      continue;
    }
    const pa = preemption(q, i, (e) => handledSignals(whole.q, e), whole.q);
    const pb = preemption(z, j, (e) => handledSignals(whole.z, e), whole.z);
    if (pa && !(pb && b?.name === a?.name)) {
      aside('preemption', 'qemu', pa);
      i += pa;
      continue;
    }
    if (pb && !(pa && b?.name === a?.name)) {
      aside('preemption', 'zerosys', pb);
      j += pb;
      continue;
    }
    if (a?.kind === 'signal' && b?.kind !== 'signal' && DEFAULT_IGNORED.has(a.name) && q[i + 1]?.name !== 'rt_sigreturn') {
      aside('ignored-signal', 'qemu');
      i++;
      continue;
    }
    if (b?.kind === 'signal' && a?.kind !== 'signal' && !NEVER_IGNORED.has(b.name) && z[j + 1] !== undefined && z[j + 1].name !== 'rt_sigreturn' && liftsMask(z[j - 1])) {
      aside('ignored-signal', 'zerosys');
      j++;
      continue;
    }
    if (a?.kind === 'signal' && !b && i === q.length - 1) {
      aside('fatal-signal', 'qemu');
      i++;
      continue;
    }
    if (a?.errno === 512 && b?.errno !== 512) {
      aside('qemu-restart', 'qemu');
      i++;
      continue;
    }
    // Reads of a /proc/self file qemu renders itself: how many, their counts and their bytes
    // follow qemu's memfd (proc-self-rendered-by-qemu); the open, fstat and close are compared.
    if (readsQemuRenderedProc(a, qFiles) || readsQemuRenderedProc(b, zFiles)) {
      const side = readsQemuRenderedProc(a, qFiles) ? 'qemu' : 'zerosys';
      aside('qemu-limitation', side);
      if (!tally.expected.some((t) => t.includes('(proc-self-rendered-by-qemu)'))) tally.expected.push(`read of /proc/self: ${citationText('proc-self-rendered-by-qemu')} (proc-self-rendered-by-qemu)`);
      if (side === 'qemu') i++;
      else j++;
      continue;
    }
    // glibc calls set_robust_list in a new thread only if the main thread's call worked
    // (nptl start_thread: __nptl_set_robust_list_avail): not under qemu (set_robust_list-enosys).
    if (b?.name === 'set_robust_list' && thread !== undefined && thread > 0 && a?.name !== 'set_robust_list' && b.ret === 0n && whole.q.some((e) => e.name === 'set_robust_list' && e.errno === 38)) {
      aside('qemu-limitation', 'zerosys');
      tally.expected.push(`set_robust_list in a new thread: glibc skips it after the main thread's ENOSYS; ${citationText('set_robust_list-enosys')} (set_robust_list-enosys)`);
      j++;
      continue;
    }
    const sa = a !== undefined && schedulingCall(a);
    const sb = b !== undefined && schedulingCall(b);
    if (sa && sb && a.name === b.name && a.args[1] === b.args[1]) {
      const what = compareSchedulingPair(a, b, bump);
      if (what) return diverge(i, what, a, b, j);
      tally.compared++;
      i++;
      j++;
      continue;
    }
    if (sa && sb) {
      // Two scheduling calls of different kinds at the same place: neither has a counterpart.
      aside('scheduling', 'qemu');
      aside('scheduling', 'zerosys');
      i++;
      j++;
      continue;
    }
    if (sa) {
      aside('scheduling', 'qemu');
      i++;
      continue;
    }
    if (sb) {
      aside('scheduling', 'zerosys');
      j++;
      continue;
    }
    if (!a || !b || a.name !== b.name) {
      if (clockRead(a)) {
        aside('clock-read', 'qemu');
        i++;
        continue;
      }
      if (clockRead(b)) {
        aside('clock-read', 'zerosys');
        j++;
        continue;
      }
      if (randomRetry(q, i)) {
        aside('random-retry', 'qemu');
        i++;
        continue;
      }
      if (randomRetry(z, j)) {
        aside('random-retry', 'zerosys');
        j++;
        continue;
      }
    }
    if (!a || !b) {
      return diverge(i, a ? (a.kind === 'signal' ? 'zerosys took fewer signals' : 'zerosys made fewer calls') : b!.kind === 'signal' ? 'zerosys took more signals' : 'zerosys made more calls', a, b, j);
    }
    i++;
    j++;
    tally.compared++;
    if (a.kind === 'signal' || b.kind === 'signal') {
      const what = a.kind !== b.kind ? (a.kind === 'signal' ? 'a signal on qemu\'s side, a call on zerosys\'s' : 'a call on qemu\'s side, a signal on zerosys\'s') : compareSignals(a, b, bump, expected);
      if (what) return tally.compared--, diverge(i - 1, what, a, b, j - 1);
      continue;
    }
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
    if (a.unnamed && a.name === b.name) {
      if (b.errno !== 38) return tally.compared--, diverge(i - 1, 'result differs (qemu answers ENOSYS to a call it has no name for)', a, b, j - 1);
      bump('unnamed-call');
      continue;
    }
    noteOpen(a, qFiles);
    noteOpen(b, zFiles);
    if (a.name === 'read' && b.name === 'read' && a.args[0] === b.args[0] && hostFile(qFiles.get(a.args[0] ?? '')) && hostFile(zFiles.get(b.args[0] ?? '')) && a.ret !== undefined && b.ret !== undefined && a.ret >= 0n && b.ret >= 0n) {
      bump('host-file');
      continue;
    }
    // Without thread ids, qemu may print the thread-creating clone's result as the child's 0
    // (whichever thread logs first): compare its arguments only.
    const resultsComparable = !(fallbackClone && i - 1 === fallbackClone.q && j - 1 === fallbackClone.z);
    const argsDiffer = a.name !== b.name ? 'different call' : compareArgs(a, b, bump, names, timers, expected, ipcIds);
    if (!argsDiffer && onlyLargefileDiffers(a, b) && LARGEFILE_OPENERS.has(fdOpener(z, j - 1, b.args[0] ?? '') ?? '')) {
      bump('largefile');
      expected.push(`fcntl F_GETFL: ${citationText('fgetfl-largefile')} (fgetfl-largefile)`);
      continue;
    }
    const what = argsDiffer ?? (resultsComparable ? compareResults(a, b, bump, expected, ipcIds) : undefined);
    if (what) return tally.compared--, diverge(i - 1, what, a, b, j - 1);
  }
  return undefined;
}

/**
 * Compare two traces thread by thread; stops at the first divergence. With
 * `interleavingRest` (the default), a thread of a threaded program whose calls part from its
 * counterpart's is compared up to that point only: the rest of that thread, and threads
 * without a counterpart, are set aside under 'interleaving-rest', counted, and where each
 * thread parted is listed in `parted`. Pass false to make such a parting a divergence.
 */
export function compareTraces(qemu: TraceEvent[], zerosys: TraceEvent[], { interleavingRest = true }: { interleavingRest?: boolean } = {}): TraceComparison {
  const normalised: Record<string, number> = {};
  const setAside: Record<string, { qemu: number; zerosys: number }> = {};
  const bump = (rule: string) => void (normalised[rule] = (normalised[rule] ?? 0) + 1);
  const tally: Tally = {
    bump,
    aside: (rule, side, n = 1) => {
      if (n <= 0) return;
      setAside[rule] ??= { qemu: 0, zerosys: 0 };
      setAside[rule][side] += n;
    },
    compared: 0,
    expected: [],
    parted: [],
  };
  const q = qemu.filter((e) => e.kind === 'call' || e.kind === 'signal');
  const z = zerosys.filter((e) => e.kind === 'call' || e.kind === 'signal');
  if (q.length || z.length) bump('pid');
  const result = (threads: number, divergence?: TraceDivergence): TraceComparison => ({
    qemuCalls: q.length,
    zerosysCalls: z.length,
    compared: tally.compared,
    setAside,
    threads,
    normalised,
    expected: tally.expected,
    parted: tally.parted,
    ...(divergence ? { divergence } : {}),
  });
  const qThreads = splitThreads(q);
  const zThreads = splitThreads(z);
  const threaded = q.some(taskClone) || z.some(taskClone);
  if (!threaded) return result(1, compareSequence(q, untracedExec(q, z, tally), tally, undefined, undefined));
  // A trace that created a thread but shows one id only has no thread ids.
  const noIds = (list: TraceEvent[]) => list.some(taskClone) && new Set(list.map((e) => e.pid).filter((p) => p !== undefined)).size <= 1;
  if (noIds(q) || noIds(z)) {
    // A trace without thread ids (qemu without the thread-id library, strace-tid.ts): the
    // calls after each side's first thread-creating clone are set aside, and counted.
    const qt = q.findIndex(taskClone);
    const zt = z.findIndex(taskClone);
    const qCut = (qt >= 0 ? qt : zt) + 1;
    const zCut = (zt >= 0 ? zt : qt) + 1;
    tally.aside('threads', 'qemu', q.length - qCut);
    tally.aside('threads', 'zerosys', z.length - zCut);
    return result(1, compareSequence(q.slice(0, qCut), z.slice(0, zCut), tally, undefined, { q: qt, z: zt }));
  }
  bump('threads');
  const pairs = Math.max(qThreads.length, zThreads.length);
  // What interleaving-rest sets aside, for the program-io comparison below.
  const restQ: TraceEvent[] = [];
  const restZ: TraceEvent[] = [];
  for (let k = 0; k < pairs; k++) {
    const qt = qThreads[k];
    const zt = qt && zThreads[k] ? untracedExec(qt, zThreads[k], tally) : zThreads[k];
    if (!qt || !zt) {
      const e = (qt ?? zt)![0];
      const divergence: TraceDivergence = { index: 0, thread: k, what: qt ? 'zerosys created fewer threads' : 'zerosys created more threads', qemu: qt ? e.text : undefined, zerosys: zt ? e.text : undefined, context: [] };
      if (!interleavingRest) return result(pairs, divergence);
      tally.aside('interleaving-rest', qt ? 'qemu' : 'zerosys', (qt ?? zt)!.length);
      (qt ? restQ : restZ).push(...(qt ?? zt)!);
      tally.parted.push(divergence);
      continue;
    }
    const divergence = compareSequence(qt, zt, tally, k, undefined, { q, z });
    if (!divergence) continue;
    if (!interleavingRest) return result(pairs, divergence);
    // The rest of this thread is set aside and counted; where it parted is kept.
    tally.aside('interleaving-rest', 'qemu', Math.max(0, qt.length - divergence.index));
    tally.aside('interleaving-rest', 'zerosys', Math.max(0, zt.length - (divergence.zerosysIndex ?? divergence.index)));
    restQ.push(...qt.slice(divergence.index));
    restZ.push(...zt.slice(divergence.zerosysIndex ?? divergence.index));
    tally.parted.push(divergence);
  }
  compareProgramIo(restQ, restZ, tally, setAside, { q, z });
  return result(pairs);
}

/** The program's own file calls (rule 'program-io'). */
const PROGRAM_IO = new Set(['openat', 'read', 'write', 'close', 'lseek', 'pread64', 'pwrite64', 'readv', 'writev', 'newfstatat', 'fstat', 'getdents64', 'unlinkat', 'mkdirat', 'renameat2', 'readlinkat', 'ftruncate', 'fsync', 'exit_group']);

/**
 * Rule 'program-io': the file calls among those set aside after threads parted, from every
 * thread in printed order, compared as one sequence. Only an identical sequence (no
 * divergence, nothing set aside by another rule) moves them from interleaving-rest to
 * compared; anything else leaves them set aside, as before.
 */
function compareProgramIo(restQ: TraceEvent[], restZ: TraceEvent[], tally: Tally, setAside: Record<string, { qemu: number; zerosys: number }>, whole: { q: TraceEvent[]; z: TraceEvent[] }): void {
  const io = (list: TraceEvent[]) => list.filter((e) => e.kind === 'call' && PROGRAM_IO.has(e.name)).sort((a, b) => a.line - b.line);
  const qi = io(restQ);
  const zi = io(restZ);
  if (qi.length === 0 || qi.length !== zi.length) return;
  const rules: string[] = [];
  const trial: Tally = { bump: (rule) => rules.push(rule), aside: () => rules.push('aside'), compared: 0, expected: [], parted: [] };
  if (compareSequence(qi, zi, trial, undefined, undefined, whole) || rules.includes('aside') || trial.compared !== qi.length) return;
  for (const rule of rules) tally.bump(rule);
  tally.bump('program-io');
  tally.expected.push(...trial.expected);
  tally.compared += trial.compared;
  setAside['interleaving-rest'].qemu -= qi.length;
  setAside['interleaving-rest'].zerosys -= zi.length;
}

/** Syscall name -> number of calls (kind 'call' only). */
export function countCalls(events: TraceEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) if (e.kind === 'call') counts[e.name] = (counts[e.name] ?? 0) + 1;
  return counts;
}
