// Generates kernel/abi.ts — the Linux ABI constants (flags, commands, modes, limits) — from
// the riscv64 cross headers, so no flag value is ever typed from memory.
//
//   npx tsx kernel/gen-abi.ts
//
// Values are computed by the riscv64 cross compiler itself: every selected macro becomes
// `const long long zs_NAME = (long long)(NAME);` in a small C file, compiled with
// `riscv64-linux-gnu-gcc -S`, and the initializers are read back from the assembly
// (`.dword V`). So `(1U << 31)`, `(~0UL)`, `(__O_TMPFILE | O_DIRECTORY)` are evaluated by
// the same compiler, with the same target configuration, that builds riscv64 programs.
//
// Two translation units: the kernel UAPI headers (<linux/*.h>, <asm/*.h>) are the source
// of every name they define; a few names only glibc's headers define (DT_*, F_OK.., EFD_*,
// UTIME_*, ST_*) come from a second unit of libc headers. Macros that do not evaluate to an
// integer constant (function-like macros, pointers) are dropped.

import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CC = 'riscv64-linux-gnu-gcc';

export interface Unit {
  name: string;
  /** What the module header says the unit includes. */
  headers: string[];
  defines?: string[];
  /** Macro names to take from this unit. */
  select: RegExp;
  /** Names the headers declare as enumerators rather than macros. */
  enums?: string[];
}

/** Name groups, in the order the module lists them. A name belongs to the first group it matches. */
const GROUPS: Array<[string, RegExp]> = [
  ['open(2) flags', /^(O_|__O_TMPFILE$|FASYNC$)/],
  ['*at(2) flags', /^AT_/],
  ['renameat2(2) flags', /^RENAME_/],
  ['fcntl(2) commands and flags', /^(F_|FD_CLOEXEC$|DN_|LOCK_)/],
  ['lseek(2) whence', /^SEEK_/],
  ['access(2) modes', /^[FRWX]_OK$/],
  ['st_mode bits', /^S_I/],
  ['getdents64 d_type', /^DT_/],
  ['statx(2)', /^STATX_/],
  // The f_type values zerosys's own filesystems report (<linux/magic.h>); a host mount reports the host's.
  ['statfs(2) f_type', /^(TMPFS_MAGIC|PROC_SUPER_MAGIC|SYSFS_MAGIC|PIPEFS_MAGIC|SOCKFS_MAGIC|ANON_INODE_FS_MAGIC|DEVPTS_SUPER_MAGIC)$/],
  // statfs(2) f_flags: glibc's <sys/statvfs.h> names them (the kernel's ST_* live in the non-UAPI include/linux/statfs.h).
  ['statfs(2) f_flags', /^ST_(RDONLY|NOSUID|NODEV|NOEXEC|SYNCHRONOUS|MANDLOCK|NOATIME|NODIRATIME|RELATIME|NOSYMFOLLOW)$/],
  ['utimensat(2)', /^UTIME_/],
  ['mmap(2) and mprotect(2)', /^(PROT_|MAP_)/],
  ['mremap(2)', /^MREMAP_/],
  ['madvise(2)', /^MADV_/],
  ['msync(2), mlock(2)', /^(MS_(ASYNC|INVALIDATE|SYNC)$|MCL_|MLOCK_)/],
  ['futex(2)', /^FUTEX_/],
  ['clone(2)', /^(CLONE_|CSIGNAL$)/],
  ['signals', /^(SIG|SA_|SS_|MINSIGSTKSZ$|SIGSTKSZ$)/],
  ['siginfo codes', /^(SI_(USER|KERNEL|QUEUE|TIMER|MESGQ|ASYNCIO|SIGIO|TKILL|DETHREAD|ASYNCNL)$|SEGV_|BUS_|ILL_|FPE_|TRAP_|CLD_|NSIG(ILL|FPE|SEGV|BUS|TRAP|CHLD|POLL|SYS|EMT)$)/],
  ['wait(2)', /^(W(NOHANG|UNTRACED|STOPPED|EXITED|CONTINUED|NOWAIT|NOTHREAD|ALL|CLONE)$|__W(NOTHREAD|ALL|CLONE)$|P_(ALL|PID|PGID|PIDFD)$)/],
  ['clocks and timers', /^(CLOCK_|TIMER_ABSTIME$|CLOCKS_|ITIMER_(REAL|VIRTUAL|PROF)$)/],
  ['resource limits', /^(RLIMIT_|RLIM_INFINITY$|RUSAGE_|PRIO_)/],
  ['getrandom(2)', /^GRND_/],
  ['poll(2) and epoll(7)', /^(POLL|EPOLL)/],
  ['eventfd(2)', /^EFD_/],
  ['timerfd_create(2)', /^TFD_/],
  ['signalfd(2)', /^SFD_/],
  ['terminal and file ioctls', /^(TC(?!P)[A-Z]|TIOC|FIO[A-Z])/],
  ['prctl(2)', /^PR_/],
  ['sched(7)', /^SCHED_/],
  ['close_range(2)', /^CLOSE_RANGE_/],
  ['personality(2)', /^(PER_|READ_IMPLIES_EXEC$|ADDR_|MMAP_PAGE_ZERO$|SHORT_INODE$|WHOLE_SECONDS$|STICKY_TIMEOUTS$|UNAME26$|FDPIC_FUNCPTRS$)/],
  ['capabilities(7) and securebits', /^(_LINUX_CAPABILITY_(VERSION|U32S)_\d|CAP_[A-Z_]+|SECURE_[A-Z_]+)$/],
  ['membarrier(2)', /^MEMBARRIER_CMD_/],
  // System V IPC (<linux/ipc.h>, <linux/msg.h>, <linux/sem.h>): before the socket group, whose MSG_ pattern would take MSG_STAT..MSG_COPY.
  // SHMMAX and SHMALL (ULONG_MAX - (1UL << 24)) do not fit a number: kernel/ipc/shm.ts has them as bigints.
  ['System V IPC: msgget(2), msgctl(2), msgrcv(2), semget(2), semop(2), semctl(2), shmget(2), shmat(2), shmctl(2)', /^(IPC_(PRIVATE|CREAT|EXCL|NOWAIT|RMID|SET|STAT|INFO|OLD|64)|MSG_(STAT|INFO|STAT_ANY|NOERROR|EXCEPT|COPY)|MSG(MNI|MAX|MNB|POOL|TQL|MAP|SSZ|SEG)|SEM(MNI|MSL|MNS|OPM|VMX|AEM|UME|MNU|MAP|USZ)|SEM_(UNDO|STAT|INFO|STAT_ANY)|SHM_(LOCK|UNLOCK|STAT|INFO|STAT_ANY|RDONLY|RND|REMAP|EXEC|HUGETLB|NORESERVE|HUGE_SHIFT|HUGE_MASK)|SHM(MIN|MNI|SEG)|GET(PID|VAL|ALL|NCNT|ZCNT)|SET(VAL|ALL))$/],
  ['socket(2) address families', /^AF_[A-Z0-9_]+$/],
  ['socket(2) types and flags', /^SOCK_(STREAM|DGRAM|RAW|RDM|SEQPACKET|DCCP|PACKET|CLOEXEC|NONBLOCK)$/],
  ['socket(7) and unix(7): levels, options, messages, shutdown', /^(SOL_SOCKET|SO_[A-Z0-9_]+|SCM_[A-Z_]+|MSG_[A-Z_]+|SHUT_(RD|WR|RDWR)|SOMAXCONN|UNIX_PATH_MAX|IPPROTO_(IP|TCP|UDP|RAW|IPV6))$/],
  ['ip(7), ipv6(7), tcp(7), udp(7): protocols, addresses, options', /^(IPPROTO_[A-Z0-9]+|INADDR_(ANY|LOOPBACK|BROADCAST|NONE)|IN_LOOPBACKNET|TCP_(NODELAY|MAXSEG|CORK|KEEPIDLE|KEEPINTVL|KEEPCNT|INFO|QUICKACK|CONGESTION|USER_TIMEOUT|FASTOPEN|DEFER_ACCEPT|NOTSENT_LOWAT)|IP_(TOS|TTL|HDRINCL|OPTIONS|RECVERR|MTU_DISCOVER|PKTINFO|MULTICAST_TTL|MULTICAST_LOOP|ADD_MEMBERSHIP|FREEBIND|TRANSPARENT|BIND_ADDRESS_NO_PORT)|UDP_(CORK|SEGMENT|GRO)|IPV6_(V6ONLY|UNICAST_HOPS|MULTICAST_IF|MULTICAST_HOPS|MULTICAST_LOOP|JOIN_GROUP|LEAVE_GROUP|RECVPKTINFO|PKTINFO|TCLASS|RECVERR|MTU_DISCOVER|FREEBIND|TRANSPARENT|ADDRFORM)|IP_(RECVTTL|RECVTOS|RECVOPTS|RETOPTS|RECVRETOPTS|PKTOPTIONS|MTU|ROUTER_ALERT|PASSSEC|ORIGDSTADDR|RECVORIGDSTADDR|MINTTL|NODEFRAG|CHECKSUM|RECVFRAGSIZE|RECVERR_RFC4884|UNICAST_IF|MULTICAST_IF|MULTICAST_ALL|DROP_MEMBERSHIP|IPSEC_POLICY|XFRM_POLICY)|IPV6_(RECVHOPLIMIT|HOPLIMIT|RECVTCLASS|2292PKTINFO|2292HOPLIMIT|2292HOPOPTS|2292DSTOPTS|2292RTHDR|2292PKTOPTIONS|DONTFRAG|FLOWINFO|RECVRTHDR|RTHDR|RECVHOPOPTS|HOPOPTS|RECVDSTOPTS|DSTOPTS|RTHDRDSTOPTS|RECVPATHMTU|PATHMTU|MTU|RECVORIGDSTADDR|ORIGDSTADDR|RECVFRAGSIZE|AUTOFLOWLABEL|ADDR_PREFERENCES|MINHOPCOUNT|UNICAST_IF|MULTICAST_ALL|ROUTER_ALERT|ROUTER_ALERT_ISOLATE|FLOWLABEL_MGR|FLOWINFO_SEND|CHECKSUM|ADD_MEMBERSHIP|DROP_MEMBERSHIP|RECVERR_RFC4884|JOIN_ANYCAST|LEAVE_ANYCAST|HDRINCL))$/],
  // The socket ioctls (<linux/sockios.h>, <asm/sockios.h>): SIOCINQ/SIOCOUTQ are FIONREAD/TIOCOUTQ.
  ['socket ioctls', /^(SIOC[A-Z0-9_]+|SOCK_IOC_TYPE)$/],
  ['limits', /^(NAME_MAX|PATH_MAX|PIPE_BUF|XATTR_(NAME|SIZE|LIST)_MAX|NGROUPS_MAX|ARG_MAX|__NEW_UTS_LEN|_NSIG|RLIM_NLIMITS|SI_MAX_SIZE|MAX_ARG_STRINGS|BINPRM_BUF_SIZE)$/],
];

export const UAPI: Unit = {
  name: 'UAPI',
  headers: [
    'linux/fcntl.h', 'linux/stat.h', 'linux/fs.h', 'linux/limits.h', 'asm/mman.h', 'linux/mman.h',
    'linux/futex.h', 'linux/sched.h', 'asm/signal.h', 'linux/signal.h', 'asm/siginfo.h', 'linux/wait.h', 'linux/time.h', 'asm/resource.h',
    'linux/resource.h', 'linux/random.h', 'linux/eventpoll.h', 'asm/poll.h', 'asm/ioctls.h', 'linux/prctl.h',
    'linux/close_range.h', 'linux/personality.h', 'linux/capability.h', 'linux/securebits.h', 'linux/membarrier.h',
    'linux/utsname.h', 'asm/socket.h', 'linux/un.h', 'linux/in.h', 'linux/in6.h', 'linux/tcp.h', 'linux/udp.h',
    'linux/timerfd.h', 'linux/magic.h', 'linux/signalfd.h', 'linux/binfmts.h', 'linux/sockios.h',
    'linux/ipc.h', 'linux/msg.h', 'linux/sem.h', 'linux/shm.h',
  ],
  select: /./,
  // <linux/personality.h> declares its flags in an enum.
  enums: [
    'UNAME26', 'ADDR_NO_RANDOMIZE', 'FDPIC_FUNCPTRS', 'MMAP_PAGE_ZERO', 'ADDR_COMPAT_LAYOUT', 'READ_IMPLIES_EXEC',
    'ADDR_LIMIT_32BIT', 'SHORT_INODE', 'WHOLE_SECONDS', 'STICKY_TIMEOUTS', 'ADDR_LIMIT_3GB', 'PER_LINUX',
    // <linux/membarrier.h>: enum membarrier_cmd and enum membarrier_cmd_flag.
    'MEMBARRIER_CMD_QUERY', 'MEMBARRIER_CMD_GLOBAL', 'MEMBARRIER_CMD_GLOBAL_EXPEDITED', 'MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED',
    'MEMBARRIER_CMD_PRIVATE_EXPEDITED', 'MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED', 'MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE',
    'MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE', 'MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ', 'MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ',
    'MEMBARRIER_CMD_FLAG_CPU',
    // <linux/in.h>: IPPROTO_MAX closes the protocol enum without a macro.
    'IPPROTO_MAX',
  ],
};

/** Names the UAPI headers do not define; glibc's headers are where they live. */
export const LIBC: Unit = {
  name: 'glibc',
  headers: ['dirent.h', 'unistd.h', 'fcntl.h', 'sched.h', 'sys/eventfd.h', 'sys/stat.h', 'sys/socket.h', 'netinet/in.h', 'sys/statvfs.h', 'linux/wireless.h'],
  defines: ['_GNU_SOURCE'],
  // sys/socket.h: AF_*, SOCK_* types and flags, MSG_*, SHUT_*, SCM_* (the UAPI headers leave
  // them to libc). IPPROTO_*, INADDR_* and TCP_* come from the UAPI unit (linux/in.h,
  // linux/tcp.h), which is read first. sys/statvfs.h: the ST_* mount flags of statfs's f_flags.
  // linux/wireless.h (UAPI, but it includes glibc's <sys/socket.h> through <linux/if.h>): the
  // wireless extensions' request range, SIOCIWFIRST..SIOCIWLAST, that sock_ioctl hands to wext.
  select: /^(SIOCIW(FIRST|LAST)|DT_(UNKNOWN|FIFO|CHR|DIR|BLK|REG|LNK|SOCK|WHT)|[FRWX]_OK|EFD_[A-Z]+|UTIME_(NOW|OMIT)|O_ASYNC|SCHED_OTHER|AF_[A-Z0-9_]+|SOCK_[A-Z]+|MSG_[A-Z_]+|SHUT_(RD|WR|RDWR)|SCM_[A-Z_]+|SOMAXCONN|IPPROTO_(IP|TCP|UDP|RAW|IPV6)|ST_[A-Z]+)$/,
};

/** The C prologue of a unit: its feature macros and includes. */
export function source(unit: Unit): string {
  return [...(unit.defines ?? []).map((d) => `#define ${d} 1`), ...unit.headers.map((h) => `#include <${h}>`), ''].join('\n');
}

/** Object-like macros the unit defines that a group selects. */
function macroNames(unit: Unit): string[] {
  const defs = execFileSync(CC, ['-E', '-dM', '-x', 'c', '-'], { input: source(unit), encoding: 'utf8' });
  const names = [...defs.matchAll(/^#define ([A-Za-z_]\w*) /gm)].map((m) => m[1]);
  const selected = names.filter((n) => unit.select.test(n) && GROUPS.some(([, re]) => re.test(n)));
  return [...selected, ...(unit.enums ?? [])].sort();
}

/** Values of `names` as the cross compiler evaluates them; names that are not integer constants are left out. */
function evaluate(unit: Unit, names: string[]): Map<string, bigint> {
  let todo = [...names];
  for (let attempt = 0; attempt < 20; attempt++) {
    const head = source(unit);
    const firstLine = head.split('\n').length;
    const body = todo.map((n) => `const long long zs_${n} = (long long)(${n});`).join('\n');
    const r = spawnSync(CC, ['-S', '-O0', '-w', '-o', '-', '-x', 'c', '-'], { input: `${head}${body}\n`, encoding: 'utf8' });
    if (r.status === 0) return parseAsm(r.stdout, todo);
    const bad = new Set<number>();
    for (const m of r.stderr.matchAll(/^<stdin>:(\d+):\d+: error/gm)) bad.add(Number(m[1]) - firstLine);
    if (bad.size === 0) throw new Error(`${CC} failed on the ${unit.name} unit:\n${r.stderr}`);
    todo = todo.filter((_, i) => !bad.has(i));
  }
  throw new Error(`${unit.name}: too many rounds of non-constant macros`);
}

function parseAsm(asm: string, names: string[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const m of asm.matchAll(/^zs_(\w+):\n\s+\.(dword|zero)\s+(-?\d+)/gm)) {
    out.set(m[1], m[2] === 'zero' ? 0n : BigInt(m[3]));
  }
  for (const n of names) if (!out.has(n)) throw new Error(`no value for ${n} in the assembly`);
  return out;
}

export interface AbiConstant {
  name: string;
  value: number;
  group: string;
  /** Which unit it came from. */
  from: string;
}

export function readAbi(): AbiConstant[] {
  const out = new Map<string, AbiConstant>();
  for (const unit of [UAPI, LIBC]) {
    const names = macroNames(unit).filter((n) => !out.has(n));
    for (const [name, v] of evaluate(unit, names)) {
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw new Error(`${name} = ${v} does not fit a JavaScript number`);
      }
      const group = GROUPS.find(([, re]) => re.test(name))![0];
      out.set(name, { name, value: Number(v), group, from: unit.name });
    }
  }
  const order = new Map(GROUPS.map(([g], i) => [g, i]));
  return [...out.values()].sort(
    (a, b) => order.get(a.group)! - order.get(b.group)! || a.value - b.value || (a.name < b.name ? -1 : 1),
  );
}

const literal = (v: number) => (v >= 16 ? `0x${v.toString(16)}` : String(v));

export function render(constants: AbiConstant[]): string {
  const lines = [
    '// GENERATED by kernel/gen-abi.ts: each value is what riscv64-linux-gnu-gcc evaluates the',
    '// macro to, with the riscv64 cross headers (Debian linux-libc-dev-riscv64-cross; DT_*, *_OK,',
    '// EFD_*, UTIME_*, O_ASYNC, SCHED_OTHER, AF_*, SOCK_*, MSG_*, SHUT_*, SCM_RIGHTS/CREDENTIALS, ST_* from glibc\'s headers). Do not edit; rerun the generator.',
    `//   UAPI:  ${UAPI.headers.join(' ')}`,
    `//   glibc: ${LIBC.headers.join(' ')}`,
    '',
  ];
  let group = '';
  for (const c of constants) {
    if (c.group !== group) {
      if (group) lines.push('');
      lines.push(`// ${c.group}`);
      group = c.group;
    }
    lines.push(`export const ${c.name} = ${literal(c.value)};`);
  }
  // One plain object of them all: iterating the module's bindings costs a bundled start a
  // getter per constant (kernel/abi-prefixed.ts reads this instead).
  lines.push('', '/** Every constant above, by name. */', 'export const ABI_BY_NAME: Readonly<Record<string, number>> = {');
  for (let i = 0; i < constants.length; i += 8) lines.push(`  ${constants.slice(i, i + 8).map((c) => c.name).join(', ')},`);
  lines.push('};', '');
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('./abi.ts', import.meta.url));
  const constants = readAbi();
  writeFileSync(out, render(constants));
  console.log(`wrote ${out}: ${constants.length} constants`);
}
