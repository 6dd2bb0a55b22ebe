// `zerosys run --strace`: one line per syscall in the text format of qemu-riscv64 7.2's
// -strace (linux-user/strace.c, strace.list), so a zerosys trace and a qemu trace can be
// diffed line by line:
//
//   PID name(args) = ret            ret in decimal, or 0x%016x for brk/mmap
//   PID name(args) = -1 errno=N (strerror text)
//   PID exit_group(N)               calls that do not return print no result
//
// Arguments follow qemu's printer for each syscall: named flags (O_RDONLY|O_CLOEXEC, PROT_*,
// MAP_*, AT_*), AT_FDCWD, quoted strings read from guest memory, pointers as NULL or
// 0x%016x, and for syscalls without a printer the generic form: all six registers in decimal.

import * as abi from './abi.ts';
import { E } from './errno.ts';
import { STRERROR } from './strace-strerror.ts';
import { ITIMERVAL } from './abi-structs.ts';

/** Reads a NUL-terminated guest string; undefined when unreadable (qemu then prints the pointer). */
export type ReadString = (addr: bigint) => string | undefined;
/** Reads 8 bytes of guest memory as a little-endian signed value; undefined when unreadable. */
export type ReadI64 = (addr: bigint) => bigint | undefined;

export interface StraceMemory {
  readString: ReadString;
  readI64: ReadI64;
}

const NO_MEMORY: StraceMemory = { readString: () => undefined, readI64: () => undefined };

type Flags = ReadonlyArray<readonly [number, string]>;

// Every value below comes from the generated kernel/abi.ts; the tables only choose names and
// their order (qemu's print_flags tries them in order, so the order is qemu's).
const ABI = abi.ABI_BY_NAME;
const value = (name: string): number => {
  const v = ABI[name];
  if (v === undefined) throw new Error(`strace: ${name} is not in kernel/abi.ts`);
  return v;
};
/** [value, name] pairs in the order given. */
const flagTable = (...names: string[]): Flags => names.map((n) => [value(n), n] as const);
/** value → name; a later name with the same value wins. */
const nameTable = (...names: string[]): Record<number, string> => Object.fromEntries(names.map((n) => [value(n), n]));

const ACCESS_FLAGS = flagTable('F_OK', 'R_OK', 'W_OK', 'X_OK');
const AT_FILE_FLAGS = flagTable('AT_EACCESS', 'AT_SYMLINK_NOFOLLOW');
const UNLINKAT_FLAGS = flagTable('AT_REMOVEDIR');
const OPEN_ACCESS = flagTable('O_RDONLY', 'O_WRONLY', 'O_RDWR');
// Order as in qemu 7.2's open_flags[] (checked against qemu-riscv64 -strace output).
const OPEN_FLAGS = flagTable(
  'O_APPEND', 'O_CREAT', 'O_DIRECTORY', 'O_EXCL', 'O_LARGEFILE', 'O_NOCTTY', 'O_NOFOLLOW', 'O_NONBLOCK', 'O_DSYNC',
  'O_SYNC', 'O_TRUNC', 'O_DIRECT', 'O_NOATIME', 'O_CLOEXEC', 'O_PATH', '__O_TMPFILE',
);
const PROT_FLAGS = flagTable('PROT_NONE', 'PROT_EXEC', 'PROT_READ', 'PROT_WRITE', 'PROT_SEM', 'PROT_GROWSDOWN', 'PROT_GROWSUP');
const MMAP_FLAGS = flagTable(
  'MAP_SHARED', 'MAP_PRIVATE', 'MAP_ANONYMOUS', 'MAP_DENYWRITE', 'MAP_FIXED', 'MAP_GROWSDOWN', 'MAP_EXECUTABLE',
  'MAP_LOCKED', 'MAP_NONBLOCK', 'MAP_NORESERVE', 'MAP_POPULATE', 'MAP_UNINITIALIZED', 'MAP_FIXED_NOREPLACE',
);
const MODE_TYPES = flagTable('S_IFSOCK', 'S_IFLNK', 'S_IFREG', 'S_IFBLK', 'S_IFDIR', 'S_IFCHR', 'S_IFIFO');
const FCNTL_CMDS = nameTable(
  'F_DUPFD', 'F_GETFD', 'F_SETFD', 'F_GETFL', 'F_SETFL', 'F_GETLK', 'F_SETLK', 'F_SETLKW', 'F_SETOWN', 'F_GETOWN',
  'F_SETSIG', 'F_GETSIG', 'F_SETOWN_EX', 'F_GETOWN_EX', 'F_SETLEASE', 'F_GETLEASE', 'F_DUPFD_CLOEXEC', 'F_SETPIPE_SZ',
  'F_GETPIPE_SZ', 'F_ADD_SEALS', 'F_GET_SEALS',
);
const SEEK_WHENCE = nameTable('SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'SEEK_DATA', 'SEEK_HOLE');
const CLOCKS = nameTable(
  'CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW',
  'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME', 'CLOCK_REALTIME_ALARM', 'CLOCK_BOOTTIME_ALARM',
  'CLOCK_SGI_CYCLE', 'CLOCK_TAI',
);
const SIGPROCMASK_HOW = nameTable('SIG_BLOCK', 'SIG_UNBLOCK', 'SIG_SETMASK');
// qemu's table lists SIGIOT after SIGABRT (both 6), so 6 prints as SIGIOT.
const SIGNALS = nameTable(
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGIOT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
);
const FUTEX_OPS = nameTable(
  'FUTEX_WAIT', 'FUTEX_WAKE', 'FUTEX_FD', 'FUTEX_REQUEUE', 'FUTEX_CMP_REQUEUE', 'FUTEX_WAKE_OP', 'FUTEX_LOCK_PI',
  'FUTEX_UNLOCK_PI', 'FUTEX_TRYLOCK_PI', 'FUTEX_WAIT_BITSET', 'FUTEX_WAKE_BITSET', 'FUTEX_WAIT_REQUEUE_PI',
  'FUTEX_CMP_REQUEUE_PI',
);
const IOCTLS = nameTable('TCGETS', 'TCSETS', 'TIOCGWINSZ', 'TIOCSWINSZ', 'FIONREAD', 'FIONBIO', 'FIOCLEX', 'FIONCLEX');

// --- C printf conversions on a 64-bit register value ---------------------------------
const i32 = (v: bigint) => BigInt.asIntN(32, v);
const u32 = (v: bigint) => BigInt.asUintN(32, v);
const i64 = (v: bigint) => BigInt.asIntN(64, v);
const u64 = (v: bigint) => BigInt.asUintN(64, v);
/** %d */
const d = (v: bigint) => i32(v).toString();
/** %u */
const u = (v: bigint) => u32(v).toString();
/** %#x: 0 prints as 0 */
const hx = (v: bigint) => (u32(v) === 0n ? '0' : `0x${u32(v).toString(16)}`);
/** %#o */
/** glibc %p of a host pointer: (nil) or 0x + hex */
const hostPtr = (v: bigint) => (u64(v) === 0n ? '(nil)' : `0x${u64(v).toString(16)}`);
/** %#lx */
const hx64 = (v: bigint) => (u64(v) === 0n ? '0' : `0x${u64(v).toString(16)}`);
/** TARGET_ABI_FMT_ld */
const ld = (v: bigint) => i64(v).toString();
/** TARGET_FMT_lu */
const lu = (v: bigint) => u64(v).toString();
/** qemu print_pointer: NULL or 0x%016lx */
const ptr = (v: bigint) => (u64(v) === 0n ? 'NULL' : `0x${u64(v).toString(16).padStart(16, '0')}`);

/** qemu print_flags. */
function flags(table: Flags, value: bigint): string {
  let rest = Number(u32(value));
  if (rest === 0 && table[0][0] === 0) return table[0][1];
  const names: string[] = [];
  for (const [bit, name] of table) {
    if (bit !== 0 && (rest & bit) >>> 0 === bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (names.length === 0) return hx(BigInt(rest));
  return rest !== 0 ? `${names.join('|')}|0x${rest.toString(16)}` : names.join('|');
}

function openFlags(value: bigint): string {
  const access = flags(OPEN_ACCESS, u32(value) & BigInt(abi.O_ACCMODE));
  const rest = u32(value) & ~BigInt(abi.O_ACCMODE);
  return rest === 0n ? access : `${access}|${flags(OPEN_FLAGS, rest)}`;
}

function fileMode(value: bigint): string {
  let mode = Number(u32(value));
  if (mode === 0) return '000'; // what qemu-riscv64 7.2 prints for an empty mode
  let out = '';
  let sep = '';
  for (const [bits, name] of MODE_TYPES) {
    if ((mode & bits) === bits) {
      out += name;
      sep = '|';
      mode &= ~bits;
      break;
    }
  }
  mode &= ~abi.S_IFMT;
  if (mode !== 0) out += `${sep}0${mode.toString(8)}`;
  return out;
}

const oct = (v: bigint) => (u32(v) === 0n ? '0' : `0${u32(v).toString(8)}`);
const atDirfd = (v: bigint) => (i32(v) === BigInt(abi.AT_FDCWD) ? 'AT_FDCWD' : d(v));
const named = (names: readonly string[] | Record<number, string>, v: bigint, fallback: (v: bigint) => string) => {
  const n = Number(i32(v));
  const name = Array.isArray(names) ? (names as string[])[n] : (names as Record<number, string>)[n];
  return name && n >= 0 ? name : fallback(v);
};
const signal = (v: bigint) => named(SIGNALS, v, d);

function futexOp(v: bigint): string {
  // An operation qemu does not know is printed whole, in hex.
  if (FUTEX_OPS[Number(i32(v)) & ~(abi.FUTEX_PRIVATE_FLAG | abi.FUTEX_CLOCK_REALTIME)] === undefined) return hx(v);
  let cmd = Number(i32(v));
  let out = '';
  if (cmd & abi.FUTEX_PRIVATE_FLAG) {
    out += 'FUTEX_PRIVATE_FLAG|';
    cmd &= ~abi.FUTEX_PRIVATE_FLAG;
  }
  if (cmd & abi.FUTEX_CLOCK_REALTIME) {
    out += 'FUTEX_CLOCK_REALTIME|';
    cmd &= ~abi.FUTEX_CLOCK_REALTIME;
  }
  return out + (FUTEX_OPS[cmd] ?? String(cmd));
}

function timespec(mem: StraceMemory, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const sec = mem.readI64(addr);
  const nsec = mem.readI64(addr + 8n);
  if (sec === undefined || nsec === undefined) return ptr(addr);
  return `{tv_sec = ${sec},tv_nsec = ${nsec}}`;
}

function timeval(mem: StraceMemory, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const sec = mem.readI64(addr);
  const usec = mem.readI64(addr + 8n);
  if (sec === undefined || usec === undefined) return ptr(addr);
  return `{tv_sec = ${sec},tv_usec = ${usec}}`;
}

function timezone(mem: StraceMemory, addr: bigint): string {
  if (u64(addr) === 0n) return 'NULL';
  const both = mem.readI64(addr);
  if (both === undefined) return ptr(addr);
  return `{${BigInt.asIntN(32, both)},${BigInt.asIntN(32, both >> 32n)}}`;
}

/** qemu 7.2 print_itimer_type(): a switch on the whole abi_ulong for the name, else %#x of its low 32 bits. */
const ITIMERS = nameTable('ITIMER_REAL', 'ITIMER_VIRTUAL', 'ITIMER_PROF');
const itimerType = (v: bigint) => (u64(v) < 3n ? ITIMERS[Number(v)] : hx(v));

/**
 * qemu 7.2 print_itimerval(): each timeval followed by a comma (print_timeval(..., 0)), an
 * unreadable one as its pointer; `last` drops the comma after the closing brace.
 */
function itimerval(mem: StraceMemory, addr: bigint, last: boolean): string {
  const comma = last ? '' : ',';
  if (u64(addr) === 0n) return `NULL${comma}`;
  const tv = (at: bigint) => {
    const t = timeval(mem, at);
    return t.startsWith('{') ? t : ptr(at);
  };
  return `{it_interval=${tv(addr + BigInt(ITIMERVAL.it_interval))},it_value=${tv(addr + BigInt(ITIMERVAL.it_value))},}${comma}`;
}

/** The int a pointer points to, or the pointer when unreadable. */
function intAt(mem: StraceMemory, addr: bigint): string {
  const v = u64(addr) === 0n ? undefined : mem.readI64(addr);
  return v === undefined ? ptr(addr) : BigInt.asIntN(32, v).toString();
}

type Printer = (a: bigint[], mem: StraceMemory) => string;
const str = (mem: StraceMemory, addr: bigint) => {
  const s = mem.readString(addr);
  return s === undefined ? ptr(addr) : `"${s}"`;
};

/**
 * qemu 7.2 print_execve, which prints its own parentheses: nothing at all when the path
 * cannot be read, then `execve("path",{`, each argv string as `"s",` and `NULL})` — and it
 * stops wherever it cannot read the array (a NULL argv prints `execve("path",{`).
 */
function execveCall(a: bigint[], mem: StraceMemory): string {
  const path = mem.readString(a[0]);
  if (path === undefined) return '';
  let out = `execve("${path}",{`;
  for (let i = 0n; ; i++) {
    const p = mem.readI64(a[1] + 8n * i);
    if (p === undefined) return out;
    if (p === 0n) return `${out}NULL})`;
    const s = mem.readString(p);
    if (s !== undefined) out += `"${s}",`;
  }
}

/** Calls whose qemu printer writes the whole `name(...)` itself. */
const WHOLE_PRINTERS: Record<string, Printer> = { execve: execveCall };

// print_ipc_cmd(): the command & 0xff, named by the first entry of qemu's list that has its
// value (MSG_STAT before GETPID, MSG_INFO before GETVAL, SHM_STAT before GETALL, ...), else decimal.
const IPC_CMDS: Flags = flagTable(
  'IPC_RMID', 'IPC_SET', 'IPC_STAT', 'IPC_INFO', 'MSG_STAT', 'MSG_INFO', 'SHM_LOCK', 'SHM_UNLOCK', 'SHM_STAT', 'SHM_INFO',
  'GETPID', 'GETVAL', 'GETALL', 'GETNCNT', 'GETZCNT', 'SETVAL', 'SETALL', 'SEM_STAT', 'SEM_INFO',
);
const ipcCmd = (v: bigint) => {
  const cmd = Number(v & 0xffn);
  return IPC_CMDS.find(([val]) => val === cmd)?.[1] ?? String(cmd);
};

/** Printers for the calls qemu 7.2 formats specially; others use a format string or generic. */
const PRINTERS: Record<string, Printer> = {
  brk: (a) => ptr(a[0]),
  // print_semctl: "%s(" TARGET_ABI_FMT_ld "," TARGET_ABI_FMT_ld ",", print_ipc_cmd(arg2), ",0x" TARGET_ABI_FMT_lx ")"
  semctl: (a) => [ld(a[0]), ld(a[1]), ipcCmd(a[2]), `0x${u64(a[3]).toString(16).padStart(16, '0')}`].join(','),
  mmap: (a) => [ptr(a[0]), d(a[1]), flags(PROT_FLAGS, a[2]), flags(MMAP_FLAGS, a[3]), d(a[4]), hx(a[5])].join(','),
  mprotect: (a) => [ptr(a[0]), d(a[1]), flags(PROT_FLAGS, a[2])].join(','),
  munmap: (a) => [ptr(a[0]), d(a[1])].join(','),
  gettimeofday: (a) => [ptr(a[0]), ptr(a[1])].join(','),
  openat: (a, m) => [atDirfd(a[0]), str(m, a[1]), openFlags(a[2]), ...(u32(a[2]) & BigInt(abi.O_CREAT) ? [fileMode(a[3])] : [])].join(','),
  newfstatat: (a, m) => [atDirfd(a[0]), str(m, a[1]), ptr(a[2]), flags(AT_FILE_FLAGS, a[3])].join(','),
  readlinkat: (a, m) => [atDirfd(a[0]), str(m, a[1]), ptr(a[2]), u(a[3])].join(','),
  faccessat: (a, m) => [atDirfd(a[0]), str(m, a[1]), flags(ACCESS_FLAGS, a[2]), flags(AT_FILE_FLAGS, a[3])].join(','),
  faccessat2: (a, m) => [atDirfd(a[0]), str(m, a[1]), flags(ACCESS_FLAGS, a[2]), flags(AT_FILE_FLAGS, a[3])].join(','),
  fchmodat: (a, m) => [atDirfd(a[0]), str(m, a[1]), fileMode(a[2]), flags(AT_FILE_FLAGS, a[3])].join(','),
  fchownat: (a, m) => [atDirfd(a[0]), str(m, a[1]), d(a[2]), d(a[3]), flags(AT_FILE_FLAGS, a[4])].join(','),
  mkdirat: (a, m) => [atDirfd(a[0]), str(m, a[1]), fileMode(a[2])].join(','),
  mknodat: (a, m) => [atDirfd(a[0]), str(m, a[1]), fileMode(a[2])].join(','),
  unlinkat: (a, m) => [atDirfd(a[0]), str(m, a[1]), flags(UNLINKAT_FLAGS, a[2])].join(','),
  symlinkat: (a, m) => [str(m, a[0]), atDirfd(a[1]), str(m, a[2])].join(','),
  linkat: (a, m) => [atDirfd(a[0]), str(m, a[1]), atDirfd(a[2]), str(m, a[3]), flags(AT_FILE_FLAGS, a[4])].join(','),
  utimensat: (a, m) => [atDirfd(a[0]), str(m, a[1]), ptr(a[2]), flags(AT_FILE_FLAGS, a[3])].join(','),
  chdir: (a, m) => str(m, a[0]),
  clone: (a) => cloneArgs(a),
  mlockall: (a) => flags(MLOCKALL_FLAGS, a[0]),
  // strace.list: "%s(%p," TARGET_FMT_lu ")"
  mlock: (a) => [hostPtr(a[0]), lu(a[1])].join(','),
  munlock: (a) => [hostPtr(a[0]), lu(a[1])].join(','),
  truncate: (a, m) => [str(m, a[0]), ld(a[1])].join(','),
  // print_statfs: `statfs("/proc",0x0000004000800648)` (qemu-riscv64 -strace).
  statfs: (a, m) => [str(m, a[0]), ptr(a[1])].join(','),
  madvise: (a) => [ptr(a[0]), ld(a[1]), named(MADVISE, a[2], d)].join(','),
  statx: (a, m) => [atDirfd(a[0]), str(m, a[1]), flags(STATX_FLAGS, a[2]), flags(STATX_MASK, a[3]), ptr(a[4])].join(','),
  fstat: (a) => [d(a[0]), ptr(a[1])].join(','),
  fcntl: (a) => [d(a[0]), named(FCNTL_CMDS, a[1], d), ...fcntlArg(a)].join(','),
  lseek: (a) => [d(a[0]), ld(a[1]), named(SEEK_WHENCE, a[2], hx)].join(','),
  ioctl: (a, m) => [d(a[0]), ...(IOCTLS_INT_ARG.has(Number(u32(a[1]))) ? [IOCTLS[Number(u32(a[1]))], intAt(m, a[2])] : ioctlArgs(a, m))].join(','),
  // qemu 7.2's print_futex prints the fifth argument again where val3 belongs.
  futex: (a, m) => [ptr(a[0]), futexOp(a[1]), d(a[2]), futexTimeout(a, m), ptr(a[4]), d(a[4])].join(','),
  rt_sigaction: (a) => [signal(a[0]), ptr(a[1]), ptr(a[2])].join(','),
  rt_sigprocmask: (a) => [named(SIGPROCMASK_HOW, a[0], () => 'UNKNOWN'), ptr(a[1]), ptr(a[2])].join(','),
  // print_setitimer / print_getitimer (qemu 7.2 strace.c).
  setitimer: (a, m) => `${itimerType(a[0])},${itimerval(m, a[1], false)}${ptr(a[2])}`,
  getitimer: (a) => [itimerType(a[0]), ptr(a[1])].join(','),
  clock_gettime: (a) => [named(CLOCKS, a[0], hx), ptr(a[1])].join(','),
  clock_getres: (a) => [named(CLOCKS, a[0], hx), ptr(a[1])].join(','),
  clock_nanosleep: (a, m) => [named(CLOCKS, a[0], hx), d(a[1]), timespec(m, a[2]), ptr(a[3])].join(','),
  kill: (a) => [d(a[0]), signal(a[1])].join(','),
  tkill: (a) => [d(a[0]), signal(a[1])].join(','),
  tgkill: (a) => [d(a[0]), d(a[1]), signal(a[2])].join(','),
  rt_sigqueueinfo: (a) => [d(a[0]), signal(a[1]), ptr(a[2])].join(','),
  rt_tgsigqueueinfo: (a) => [d(a[0]), d(a[1]), signal(a[2]), ptr(a[3])].join(','),
  socket: (a) => socketArgs(a),
  // print_bind: print_sockaddr then ", len" (qemu's own separator).
  bind: (a, m) => `${d(a[0])},${sockaddr(m, a[1], a[2])}`,
  // print_accept: the length pointer read as [int] (NULL when 0).
  accept: (a, m) => [d(a[0]), ptr(a[1]), u64(a[2]) === 0n ? 'NULL' : `[${intAt(m, a[2])}]`].join(','),
};

// qemu 7.2 print_socket: domain, type (the type name, empty when unknown, then
// |SOCK_CLOEXEC, |SOCK_NONBLOCK), protocol (IPPROTO_* names; netlink's NETLINK_ROUTE).
const SOCKET_DOMAINS: Record<number, string> = { [abi.AF_UNIX]: 'PF_UNIX', [abi.AF_INET]: 'PF_INET', [abi.AF_NETLINK]: 'PF_NETLINK', [abi.AF_PACKET]: 'PF_PACKET' };
const SOCKET_TYPES = nameTable('SOCK_DGRAM', 'SOCK_STREAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET', 'SOCK_PACKET');
const IPPROTOS = nameTable('IPPROTO_IP', 'IPPROTO_TCP', 'IPPROTO_UDP', 'IPPROTO_RAW');
/** include/linux/net.h SOCK_TYPE_MASK (not UAPI). */
const SOCK_TYPE_MASK = 0xf;

function socketArgs(a: bigint[]): string {
  const domain = Number(i32(a[0]));
  const type = Number(i32(a[1]));
  const protocol = Number(i32(a[2]));
  let t = SOCKET_TYPES[type & SOCK_TYPE_MASK] ?? '';
  if (type & abi.SOCK_CLOEXEC) t += '|SOCK_CLOEXEC';
  if (type & abi.SOCK_NONBLOCK) t += '|SOCK_NONBLOCK';
  let proto: string;
  if (domain === abi.AF_PACKET || (domain === abi.AF_INET && (type & SOCK_TYPE_MASK) === abi.SOCK_PACKET)) proto = String(protocol);
  else if (domain === abi.AF_NETLINK) proto = protocol === 0 ? 'NETLINK_ROUTE' : String(protocol);
  else proto = IPPROTOS[protocol] ?? String(protocol);
  return [SOCKET_DOMAINS[domain] ?? String(domain), t, proto].join(',');
}

/** qemu 7.2 print_sockaddr: AF_UNIX, AF_INET or raw sa_data; an unreadable address as a pointer; then ", len". */
function sockaddr(mem: StraceMemory, addr: bigint, lenArg: bigint): string {
  const len = i64(lenArg);
  const head = u64(addr) === 0n ? undefined : mem.readI64(addr);
  if (head === undefined) return `0x${u64(addr).toString(16).padStart(16, '0')},, ${len}`;
  const family = Number(head & 0xffffn);
  let text: string;
  if (family === abi.AF_UNIX) {
    // for (i = 0; i < addrlen - offsetof(sun_path) && sun_path[i]; i++): unsigned, so a
    // length below 2 prints up to the NUL.
    const path = mem.readString(addr + 2n) ?? '';
    const limit = BigInt.asUintN(64, len - 2n);
    text = `{sun_family=AF_UNIX,sun_path="${limit < BigInt(path.length) ? path.slice(0, Number(limit)) : path}"}`;
  } else if (family === abi.AF_INET) {
    const b = (i: number) => Number((head >> BigInt(8 * i)) & 0xffn);
    text = `{sin_family=AF_INET,sin_port=htons(${(b(2) << 8) | b(3)}),sin_addr=inet_addr("${b(4)}.${b(5)}.${b(6)}.${b(7)}")}`;
  } else {
    const tail = mem.readI64(addr + 8n) ?? 0n;
    const byte = (i: number) => Number(((i < 8 ? head : tail) >> BigInt(8 * (i % 8))) & 0xffn);
    const data = Array.from({ length: 14 }, (_, i) => byte(i + 2).toString(16).padStart(2, '0'));
    text = `{sa_family=${family}, sa_data={${data.join(', ')}}}`;
  }
  return `${text}, ${len}`;
}

// qemu 7.2's clone_flags table (linux-user/strace.c) has no CLONE_PIDFD: it prints that bit
// in the hex remainder (clone(CLONE_DETACHED|0x1011,...)), and so does this log.
const CLONE_FLAGS = flagTable(
  'CLONE_VM', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SIGHAND', 'CLONE_PTRACE', 'CLONE_VFORK', 'CLONE_PARENT',
  'CLONE_THREAD', 'CLONE_NEWNS', 'CLONE_SYSVSEM', 'CLONE_SETTLS', 'CLONE_PARENT_SETTID', 'CLONE_CHILD_CLEARTID',
  'CLONE_DETACHED', 'CLONE_UNTRACED', 'CLONE_CHILD_SETTID', 'CLONE_NEWCGROUP', 'CLONE_NEWUTS', 'CLONE_NEWIPC',
  'CLONE_NEWUSER', 'CLONE_NEWPID', 'CLONE_NEWNET', 'CLONE_IO',
);
const MLOCKALL_FLAGS = flagTable('MCL_CURRENT', 'MCL_FUTURE', 'MCL_ONFAULT');

/**
 * qemu 7.2 do_print_clone (riscv64 argument order: flags, stack, parent_tid, tls, child_tid):
 * print_flags, so the exit signal shows as leftover bits (`|0x11`), and every pointer as
 * "0x" TARGET_ABI_FMT_lx, NULL included.
 */
function cloneArgs(a: bigint[]): string {
  const raw = (v: bigint) => `0x${u64(v).toString(16).padStart(16, '0')}`;
  return [flags(CLONE_FLAGS, a[0]), `child_stack=${raw(a[1])}`, `parent_tidptr=${raw(a[2])}`, `tls=${raw(a[3])}`, `child_tidptr=${raw(a[4])}`].join(',');
}

const MADVISE = nameTable(
  'MADV_NORMAL', 'MADV_RANDOM', 'MADV_SEQUENTIAL', 'MADV_WILLNEED', 'MADV_DONTNEED', 'MADV_FREE', 'MADV_REMOVE',
  'MADV_DONTFORK', 'MADV_DOFORK', 'MADV_MERGEABLE', 'MADV_UNMERGEABLE', 'MADV_HUGEPAGE', 'MADV_NOHUGEPAGE',
  'MADV_DONTDUMP', 'MADV_DODUMP', 'MADV_WIPEONFORK', 'MADV_KEEPONFORK', 'MADV_COLD', 'MADV_PAGEOUT', 'MADV_HWPOISON',
);
const STATX_FLAGS = flagTable('AT_SYMLINK_NOFOLLOW', 'AT_NO_AUTOMOUNT', 'AT_EMPTY_PATH', 'AT_STATX_FORCE_SYNC', 'AT_STATX_DONT_SYNC');
const STATX_MASK = flagTable(
  'STATX_ALL', 'STATX_BASIC_STATS', 'STATX_TYPE', 'STATX_MODE', 'STATX_NLINK', 'STATX_UID', 'STATX_GID', 'STATX_ATIME',
  'STATX_MTIME', 'STATX_CTIME', 'STATX_INO', 'STATX_SIZE', 'STATX_BLOCKS', 'STATX_BTIME',
);
/** ioctls without an argument: qemu prints just fd and request. */
const IOCTLS_NO_ARG = new Set([abi.FIOCLEX, abi.FIONCLEX]);

function ioctlArgs(a: bigint[], mem: StraceMemory): string[] {
  const req = Number(u32(a[1]));
  const sock = SOCKET_IOCTLS.get(req);
  if (sock) {
    // qemu 7.2 print_ioctl: TYPE_NULL prints the name alone; IOC_R a pointer; IOC_W and IOC_RW
    // the struct (or int) it points to, thunk_print()ed, or the pointer when unreadable.
    if (sock.type === 'none') return [sock.name];
    if (sock.access === 'R') return [sock.name, ptr(a[2])];
    // The argument as it was before the call (the kernel noted it: the call may have changed it since).
    const before = ioctlBefore && ioctlBefore.addr === u64(a[2]) ? ioctlBefore.bytes : thunkBytes(mem, a[2], sock.type);
    ioctlBefore = undefined;
    return [sock.name, before ? thunkPrint(before, 0, sock.type) : ptr(a[2])];
  }
  const name = IOCTLS[req];
  // print_ioctl: `print_raw_param("%#x", arg1, 0); print_raw_param("%#x", arg2, 1);` (the low 32 bits of each).
  if (!name) return [hx(a[1]), hx(a[2])];
  return IOCTLS_NO_ARG.has(req) ? [name] : [name, ptr(a[2])];
}

/**
 * The thunk types qemu 7.2 gives the socket requests it knows (linux-user/syscall_types.h):
 * fields in order, each a char array (printed in quotes, every byte raw, NULs included), a
 * single char (raw), a short (PRId16 of the unsigned 16-bit value), an int (signed), an
 * unsigned long, or a pointer (0x%lx); a struct in braces, fields separated by commas.
 */
type Thunk = 'int' | 'short' | 'char' | 'ulong' | 'ptr' | { chars: number } | { struct: Thunk[] };
const IFNAME: Thunk = { chars: 16 };
const SOCKADDR: Thunk = { struct: ['short', { chars: 14 }] };
const THUNKS = {
  int: 'int',
  short_ifreq: { struct: [IFNAME, 'short'] },
  int_ifreq: { struct: [IFNAME, 'int'] },
  sockaddr_ifreq: { struct: [IFNAME, SOCKADDR] },
  char_ifreq: { struct: [IFNAME, { chars: 16 }] },
  ptr_ifreq: { struct: [IFNAME, 'ptr'] },
  ifmap_ifreq: { struct: [IFNAME, { struct: ['ulong', 'ulong', 'short', 'char', 'char', 'char', 'char', 'char', 'char'] }] },
  ifconf: { struct: ['int', 'ptr'] },
} as const satisfies Record<string, Thunk>;

/** Size and alignment of a thunk type as the riscv64 target lays it out (thunk_type_size / thunk_type_align). */
function thunkSize(t: Thunk): { size: number; align: number } {
  if (t === 'char') return { size: 1, align: 1 };
  if (t === 'short') return { size: 2, align: 2 };
  if (t === 'int') return { size: 4, align: 4 };
  if (t === 'ulong' || t === 'ptr') return { size: 8, align: 8 };
  if ('chars' in t) return { size: t.chars, align: 1 };
  let off = 0;
  let align = 1;
  for (const f of t.struct) {
    const x = thunkSize(f);
    off = Math.ceil(off / x.align) * x.align + x.size;
    align = Math.max(align, x.align);
  }
  return { size: Math.ceil(off / align) * align, align };
}

/** thunk_print of the bytes at off. */
function thunkPrint(b: Uint8Array, off: number, t: Thunk): string {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (t === 'char') return String.fromCharCode(b[off]);
  if (t === 'short') return String(v.getUint16(off, true));
  if (t === 'int') return String(v.getInt32(off, true));
  if (t === 'ulong') return v.getBigUint64(off, true).toString();
  if (t === 'ptr') return `0x${v.getBigUint64(off, true).toString(16)}`;
  if ('chars' in t) return `"${String.fromCharCode(...b.subarray(off, off + t.chars))}"`;
  const parts: string[] = [];
  let at = off;
  for (const f of t.struct) {
    const x = thunkSize(f);
    at = off + Math.ceil((at - off) / x.align) * x.align;
    parts.push(thunkPrint(b, at, f));
    at += x.size;
  }
  return `{${parts.join(',')}}`;
}

/** The bytes of guest memory at addr (lock_user of n bytes), read in 8-byte pieces; undefined when any is unreadable. */
function bytesAt(mem: StraceMemory, addr: bigint, n: number): Uint8Array | undefined {
  if (u64(addr) === 0n) return undefined;
  const out = new Uint8Array(Math.max(n, 8));
  const v = new DataView(out.buffer);
  for (let off = 0; off < out.length; off += 8) {
    const at = Math.min(off, out.length - 8);
    const x = mem.readI64(addr + BigInt(at));
    if (x === undefined) return undefined;
    v.setBigInt64(at, x, true);
  }
  return out.subarray(0, n);
}

const thunkBytes = (mem: StraceMemory, addr: bigint, t: Thunk) => bytesAt(mem, addr, thunkSize(t).size);

/** thunk_print of what addr points to, or undefined when it cannot be read. */
function thunkAt(mem: StraceMemory, addr: bigint, t: Thunk): string | undefined {
  const b = thunkBytes(mem, addr, t);
  return b && thunkPrint(b, 0, t);
}

/**
 * qemu prints an ioctl's argument before the call, zerosys's trace after it: the socket ioctl
 * handler notes the bytes the argument had on entry (noteIoctlArgument), and the next ioctl
 * line prints them.
 */
let ioctlBefore: { addr: bigint; bytes: Uint8Array | undefined } | undefined;

/** How many bytes qemu would print of the argument of `request` before the call (0: none, or only a pointer). */
export function ioctlArgumentSize(request: number): number {
  const sock = SOCKET_IOCTLS.get(request >>> 0);
  return !sock || sock.access === 'R' || sock.type === 'none' ? 0 : thunkSize(sock.type).size;
}

/** The bytes at addr as an ioctl found them (undefined: unreadable), for the trace line printed after the call. */
export function noteIoctlArgument(addr: number, bytes: Uint8Array | undefined): void {
  ioctlBefore = { addr: BigInt(addr), bytes: bytes?.slice() };
}

interface SocketIoctl {
  name: string;
  /** The IOC_R / IOC_W / IOC_RW of qemu's IOCTL() entry. */
  access: 'R' | 'W' | 'RW';
  type: Thunk | 'none';
}

/** The socket requests of qemu 7.2's linux-user/ioctls.h (name, access, argument type), as qemu-riscv64 -strace prints them. */
const SOCKET_IOCTLS: ReadonlyMap<number, SocketIoctl> = new Map(
  ([
    ['TIOCOUTQ', 'R', THUNKS.int],
    ['FIOGETOWN', 'R', THUNKS.int],
    ['FIOSETOWN', 'W', THUNKS.int],
    ['SIOCATMARK', 'R', THUNKS.int],
    ['SIOCGPGRP', 'R', THUNKS.int],
    ['SIOCSPGRP', 'W', THUNKS.int],
    ['SIOCGIFNAME', 'RW', THUNKS.int_ifreq],
    ['SIOCGIFFLAGS', 'RW', THUNKS.short_ifreq],
    ['SIOCSIFFLAGS', 'W', THUNKS.short_ifreq],
    ['SIOCGIFADDR', 'RW', THUNKS.sockaddr_ifreq],
    ['SIOCSIFADDR', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFBRDADDR', 'RW', THUNKS.sockaddr_ifreq],
    ['SIOCSIFBRDADDR', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFDSTADDR', 'RW', THUNKS.sockaddr_ifreq],
    ['SIOCSIFDSTADDR', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFNETMASK', 'RW', THUNKS.sockaddr_ifreq],
    ['SIOCSIFNETMASK', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFHWADDR', 'RW', THUNKS.sockaddr_ifreq],
    ['SIOCSIFHWADDR', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFTXQLEN', 'RW', THUNKS.sockaddr_ifreq],
    ['SIOCSIFTXQLEN', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFMETRIC', 'RW', THUNKS.int_ifreq],
    ['SIOCSIFMETRIC', 'W', THUNKS.int_ifreq],
    ['SIOCGIFMTU', 'RW', THUNKS.int_ifreq],
    ['SIOCSIFMTU', 'W', THUNKS.int_ifreq],
    ['SIOCGIFMAP', 'RW', THUNKS.ifmap_ifreq],
    ['SIOCSIFMAP', 'W', THUNKS.ifmap_ifreq],
    ['SIOCGIFSLAVE', 'RW', THUNKS.char_ifreq],
    ['SIOCSIFSLAVE', 'W', THUNKS.char_ifreq],
    ['SIOCGIFMEM', 'RW', THUNKS.ptr_ifreq],
    ['SIOCSIFMEM', 'W', THUNKS.ptr_ifreq],
    ['SIOCADDMULTI', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCDELMULTI', 'W', THUNKS.sockaddr_ifreq],
    ['SIOCGIFINDEX', 'RW', THUNKS.int_ifreq],
    ['SIOCSIFPFLAGS', 'W', THUNKS.short_ifreq],
    ['SIOCGIFPFLAGS', 'RW', THUNKS.short_ifreq],
    ['SIOCSIFLINK', 'W', 'none'],
    ['SIOCGIFCONF', 'RW', THUNKS.ifconf],
    ['SIOCGIFENCAP', 'RW', THUNKS.int],
    ['SIOCSIFENCAP', 'W', THUNKS.int],
    ['SIOCGSTAMP_OLD', 'R', THUNKS.int],
    ['SIOCGSTAMPNS_OLD', 'R', THUNKS.int],
  ] as const).map(([name, access, type]) => [value(name), { name, access, type }]),
);

/**
 * qemu 7.2 print_syscall_ret_ioctl: after a successful IOC_R or IOC_RW request with a pointer
 * argument, ` (` + thunk_print of what it points to + `)` when readable.
 */
function ioctlResult(args: readonly bigint[], mem: StraceMemory): string {
  const sock = SOCKET_IOCTLS.get(Number(u32(args[1] ?? 0n)));
  if (!sock || sock.access === 'W' || sock.type === 'none') return '';
  const t = sock.access === 'R' && sock.name.startsWith('SIOCGSTAMP') ? undefined : sock.type;
  const text = t === undefined ? undefined : thunkAt(mem, args[2] ?? 0n, t);
  return text === undefined ? '' : ` (${text})`;
}

/** ioctls whose argument is an int qemu reads and prints by value. */
const IOCTLS_INT_ARG = new Set([abi.FIONBIO, abi.FIOASYNC]);

function futexTimeout(a: bigint[], mem: StraceMemory): string {
  // The command: the bits below FUTEX_PRIVATE_FLAG.
  const op = Number(i32(a[1])) & (abi.FUTEX_PRIVATE_FLAG - 1);
  // WAIT-type operations take a timespec; others reuse the slot as a value.
  return op === abi.FUTEX_WAIT || op === abi.FUTEX_WAIT_BITSET || op === abi.FUTEX_WAIT_REQUEUE_PI ? timespec(mem, a[3]) : ptr(a[3]);
}

function fcntlArg(a: bigint[]): string[] {
  switch (Number(i32(a[1]))) {
    case abi.F_GETFD:
    case abi.F_GETFL:
      return [];
    case abi.F_SETFL:
      return [openFlags(a[2])];
    case abi.F_DUPFD:
    case abi.F_SETFD:
    case abi.F_DUPFD_CLOEXEC:
      return [d(a[2])];
    default:
      return [ptr(a[2])];
  }
}

/** qemu's format strings (strace.list) for calls without a printer function. */
const FORMATS: Record<string, ((v: bigint) => string)[]> = {
  close: [d],
  exit: [d],
  exit_group: [d],
  read: [d, hx, d],
  write: [d, hx, d],
  writev: [d, hostPtr, hx],
  getrandom: [hostPtr, u, u],
  getcwd: [hostPtr, d],
  fchmod: [d, oct],
  fchown: [d, d, d],
  fstatfs: [d, hostPtr],
  getpid: [],
  capget: [hostPtr, hostPtr],
  capset: [hostPtr, hostPtr],
  dup: [d],
  dup3: [d, d, d],
  fchdir: [d],
  fsync: [d],
  fdatasync: [d],
  eventfd2: [d, d],
  close_range: [d, d, d],
  ftruncate: [d, ld],
  fallocate: [d, d, ld, ld],
  // strace.list: "%s(%d,%p,%d,%p," TARGET_ABI_FMT_lu ",%u)"
  copy_file_range: [d, hostPtr, d, hostPtr, lu, u],
  getdents64: [d, hx, d],
  getpgid: [u],
  setpgid: [u, u],
  setsid: [],
  setgid: [u],
  // setuid has no format in qemu 7.2's strace.list: printed generically, all six registers
  // as TARGET_ABI_FMT_ld (qemu-riscv64 -strace: `setuid(-1,274886297752,0,...)`).
  setresuid: [u, u, u],
  setresgid: [u, u, u],
  setreuid: [u, u],
  setfsuid: [u],
  setfsgid: [u],
  getppid: [],
  gettid: [],
  getuid: [],
  geteuid: [],
  getgid: [],
  getegid: [],
  getpriority: [hx, hx],
  sigaltstack: [hostPtr, hostPtr],
  umask: [oct],
  uname: [hostPtr],
  waitid: [hx, d, hostPtr, hx],
  connect: [d, hx, d],
  listen: [d, d],
  // strace.list: "%s(%d,%p,%#x)"
  recvmsg: [d, hostPtr, hx],
  mq_notify: [d, hostPtr],
};

/** Calls that send a signal (the result is printed before the signal is delivered). */
const SENDS_SIGNAL = new Set(['kill', 'tkill', 'tgkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo']);
/** Calls qemu prints without a result (they do not return). */
const NO_RETURN = new Set(['exit', 'exit_group']);
/** Calls whose result qemu prints as an address (print_syscall_ret_addr). */
const ADDRESS_RESULT = new Set(['brk', 'mmap', 'shmat']);

/** `name(args)` as qemu prints it before the call. */
export function formatCall(name: string, args: readonly bigint[], mem: StraceMemory = NO_MEMORY): string {
  const a = [...args, 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6);
  const whole = WHOLE_PRINTERS[name];
  if (whole) return whole(a, mem);
  const printer = PRINTERS[name];
  if (printer) return `${name}(${printer(a, mem)})`;
  const format = FORMATS[name];
  if (format) return `${name}(${format.map((f, i) => f(a[i])).join(',')})`;
  return `${name}(${a.map(ld).join(',')})`;
}

/** ` = result` as qemu prints it after the call (without the newline). */
export function formatResult(name: string, args: readonly bigint[], ret: bigint, mem: StraceMemory = NO_MEMORY): string {
  // qemu's internal "return from sigreturn" code, printed as an error.
  if (name === 'rt_sigreturn') return ' = -1 errno=513 (Successful exit from sigreturn)';
  let r = i64(ret);
  // The kernel's restart codes (ERESTARTSYS, ERESTARTNOHAND, ERESTART_RESTARTBLOCK) reach the
  // guest as EINTR once a handler ran; qemu prints that.
  if (r === -512n || r === -514n || r === -516n) r = -4n;
  if (r < 0n && r >= -4095n) {
    const errno = Number(-r);
    const text = STRERROR[errno];
    if (text) return ` = -1 errno=${errno} (${text})`;
  }
  if (ADDRESS_RESULT.has(name)) return ` = 0x${u64(ret).toString(16).padStart(16, '0')}`;
  if ((name === 'clock_gettime' || name === 'clock_getres') && r === 0n) {
    return ` = 0 (${timespec(mem, args[1] ?? 0n)})`;
  }
  // FIONREAD: qemu prints the count it stored.
  if (name === 'ioctl' && r === 0n && Number(u32(args[1] ?? 0n)) === abi.FIONREAD) return ` = 0 (${intAt(mem, args[2] ?? 0n)})`;
  if (name === 'ioctl' && r >= 0n) return ` = ${r}${ioctlResult(args, mem)}`;
  // print_syscall_ret_setitimer / print_syscall_ret_getitimer.
  if (name === 'setitimer' && r === 0n) return ` = 0 (old_value = ${itimerval(mem, args[2] ?? 0n, true)})`;
  if (name === 'getitimer' && r === 0n) return ` = 0 (${itimerval(mem, args[1] ?? 0n, true)})`;
  if (name === 'gettimeofday' && r === 0n) return ` = 0 (${timeval(mem, args[0] ?? 0n)},${timezone(mem, args[1] ?? 0n)})`;
  return ` = ${r}`;
}

export interface StraceEvent {
  name: string;
  args: readonly bigint[];
  ret: bigint;
  /** Set when the call did not return to the guest (exit, or zerosys stopped it). */
  stop?: string;
}

/** One complete trace line without the pid prefix, ending in a newline. */
export function formatStraceLine(ev: StraceEvent, mem: StraceMemory = NO_MEMORY): string {
  const call = formatCall(ev.name, ev.args, mem);
  // A successful execve does not return: the new image's calls follow (qemu prints no result).
  if (NO_RETURN.has(ev.name) || (ev.name === 'execve' && ev.ret === 0n)) return `${call}\n`;
  // A signal that kills during the call: qemu prints the result the call had before the
  // signal was delivered (0 for a signal sent to itself, EPIPE for the write that raised
  // SIGPIPE) — except for SIGKILL, which takes qemu itself down before it prints anything.
  const killedBy = ev.stop !== undefined ? /^killed by signal (\d+)/.exec(ev.stop) : null;
  if (killedBy) {
    const signo = Number(killedBy[1]);
    if (signo === abi.SIGKILL) return `${call}\n`;
    if (SENDS_SIGNAL.has(ev.name)) return `${call} = 0\n`;
    if (signo === abi.SIGPIPE) return `${call} = -1 errno=${E.EPIPE} (${STRERROR[E.EPIPE]})\n`;
  }
  if (ev.stop !== undefined) return `${call} = ? (zerosys: ${ev.stop})\n`;
  return `${call}${formatResult(ev.name, ev.args, ev.ret, mem)}\n`;
}

const SI_CODES = nameTable('SI_USER', 'SI_KERNEL', 'SI_QUEUE', 'SI_TIMER', 'SI_MESGQ', 'SI_ASYNCIO', 'SI_SIGIO', 'SI_TKILL');
/** Signals whose siginfo carries si_addr. */
const FAULT_SIGNALS = new Set([abi.SIGILL, abi.SIGTRAP, abi.SIGBUS, abi.SIGFPE, abi.SIGSEGV]);

/** siginfo as qemu's print_siginfo() prints it, by the form qemu gives the signal (linux-user/signal.c). */
function siginfoText(signo: number, code: number, bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const codes = SI_CODES;
  const head = `{si_signo=${signalName(signo)}, si_code=${codes[code] ?? code}`;
  const pidUid = `, si_pid=${view.getUint32(16, true)}, si_uid=${view.getUint32(20, true)}`;
  if (code === abi.SI_USER || code === abi.SI_TKILL || code === abi.SI_KERNEL) return `${head}${pidUid}}`;
  if (code > 0 && FAULT_SIGNALS.has(signo)) {
    const addr = view.getBigUint64(16, true);
    return `${head}, si_addr=${addr === 0n ? 'NULL' : `0x${addr.toString(16).padStart(16, '0')}`}}`;
  }
  // A child's exit or stop (CLD_*): QEMU_SI_CHLD prints _sigchld.
  if (code > 0 && signo === abi.SIGCHLD) {
    return `${head}${pidUid}, si_status=${view.getInt32(24, true)}, si_utime=${view.getBigInt64(32, true)}, si_stime=${view.getBigInt64(40, true)}}`;
  }
  // A POSIX timer's SI_TIMER: qemu takes it from a host timer, where host_to_target_siginfo_noswap()
  // has no case for it and guesses sigqueue() (QEMU_SI_RT): si_tid and si_overrun print as
  // si_pid and si_uid (the same offsets), then si_sigval.
  return `${head}${pidUid}, si_sigval=${view.getUint32(24, true)}}`;
}

/** qemu's print_signal(): the name from its table, else the number. */
function signalName(signo: number): string {
  return SIGNALS[signo] || String(signo);
}

/** The line qemu's print_taken_signal() prints when a thread takes a signal (without the id prefix). */
export function formatSignalLine(signo: number, code: number, bytes: Uint8Array): string {
  return `--- ${signalName(signo)} ${siginfoText(signo, code, bytes)} ---\n`;
}
