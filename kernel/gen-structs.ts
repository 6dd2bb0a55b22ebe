// Generates kernel/abi-structs.ts — the sizes and field offsets of the structs the syscall
// ABI passes through user memory — from the riscv64 cross headers, as kernel/gen-abi.ts does
// for the constants, so no offset is typed from memory.
//
//   npx tsx kernel/gen-structs.ts
//
// The cross compiler computes them: every size and offset becomes an immediate operand of an
// `asm` statement in a small C file compiled with `riscv64-linux-gnu-gcc -S` (Linux's own
// asm-offsets technique), read back from the assembly as `->NAME VALUE`. Nothing is run.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CC } from './gen-abi.ts';

export interface StructSpec {
  /** Name in the generated module (STAT, STATX, ...). */
  name: string;
  /** The C type. */
  type: string;
  /** Fields whose offsets are generated (a member path, as offsetof takes it). */
  fields: string[];
  /** Where the kernel declares it (the module's comment). */
  header: string;
  /**
   * Laid out from glibc's headers (LIBC_HEADERS) in a second translation unit: the kernel's
   * own declaration is not UAPI (struct user_msghdr, struct cmsghdr, struct ucred live in
   * include/linux/socket.h) and glibc's riscv64 lp64 layout is the same; or the UAPI header
   * includes glibc's <sys/socket.h> itself (<linux/if.h>: struct ifreq, ifconf, ifmap, whose
   * glibc <net/if.h> declarations have the same members).
   */
  libc?: boolean;
}

/** glibc headers for the structs whose kernel declaration is not UAPI (libc: true). */
export const LIBC_HEADERS = ['sys/socket.h', 'sys/un.h', 'net/if.h'];

/** Kernel UAPI headers only (no libc): what the kernel itself reads and writes. */
export const HEADERS = [
  'asm/stat.h', 'linux/stat.h', 'linux/time_types.h', 'asm/poll.h', 'linux/eventpoll.h', 'linux/uio.h', 'linux/resource.h',
  'asm/signal.h', 'linux/futex.h', 'linux/openat2.h', 'asm/fcntl.h', 'linux/sysinfo.h', 'linux/utsname.h', 'asm/termbits.h',
  'asm/termios.h', 'linux/sched/types.h', 'linux/capability.h', 'linux/in.h', 'linux/in6.h',
  'asm/siginfo.h', 'asm/ptrace.h', 'asm/sigcontext.h', 'asm/ucontext.h', 'asm/statfs.h', 'linux/signalfd.h', 'linux/ipv6.h',
  'linux/ipc.h', 'linux/msg.h', 'linux/sem.h', 'linux/shm.h',
];

export const STRUCTS: StructSpec[] = [
  { name: 'STAT', type: 'struct stat', header: 'asm-generic/stat.h', fields: ['st_dev', 'st_ino', 'st_mode', 'st_nlink', 'st_uid', 'st_gid', 'st_rdev', 'st_size', 'st_blksize', 'st_blocks', 'st_atime', 'st_atime_nsec', 'st_mtime', 'st_mtime_nsec', 'st_ctime', 'st_ctime_nsec'] },
  {
    name: 'STATX',
    type: 'struct statx',
    header: 'linux/stat.h',
    fields: ['stx_mask', 'stx_blksize', 'stx_attributes', 'stx_nlink', 'stx_uid', 'stx_gid', 'stx_mode', 'stx_ino', 'stx_size', 'stx_blocks', 'stx_attributes_mask', 'stx_atime', 'stx_btime', 'stx_ctime', 'stx_mtime', 'stx_rdev_major', 'stx_rdev_minor', 'stx_dev_major', 'stx_dev_minor', 'stx_mnt_id'],
  },
  { name: 'STATX_TIMESTAMP', type: 'struct statx_timestamp', header: 'linux/stat.h', fields: ['tv_sec', 'tv_nsec'] },
  { name: 'TIMESPEC', type: 'struct __kernel_timespec', header: 'linux/time_types.h', fields: ['tv_sec', 'tv_nsec'] },
  { name: 'TIMEVAL', type: 'struct __kernel_old_timeval', header: 'linux/time_types.h', fields: ['tv_sec', 'tv_usec'] },
  {
    name: 'STATFS',
    type: 'struct statfs',
    header: 'asm-generic/statfs.h',
    fields: ['f_type', 'f_bsize', 'f_blocks', 'f_bfree', 'f_bavail', 'f_files', 'f_ffree', 'f_fsid', 'f_namelen', 'f_frsize', 'f_flags', 'f_spare'],
  },
  { name: 'ITIMERVAL', type: 'struct __kernel_old_itimerval', header: 'linux/time_types.h', fields: ['it_interval', 'it_value'] },
  { name: 'ITIMERSPEC', type: 'struct __kernel_itimerspec', header: 'linux/time_types.h', fields: ['it_interval', 'it_value'] },
  { name: 'POLLFD', type: 'struct pollfd', header: 'asm-generic/poll.h', fields: ['fd', 'events', 'revents'] },
  { name: 'EPOLL_EVENT', type: 'struct epoll_event', header: 'linux/eventpoll.h', fields: ['events', 'data'] },
  { name: 'IOVEC', type: 'struct iovec', header: 'linux/uio.h', fields: ['iov_base', 'iov_len'] },
  { name: 'RLIMIT64', type: 'struct rlimit64', header: 'linux/resource.h', fields: ['rlim_cur', 'rlim_max'] },
  { name: 'RUSAGE', type: 'struct rusage', header: 'linux/resource.h', fields: ['ru_utime', 'ru_stime', 'ru_maxrss', 'ru_minflt', 'ru_majflt', 'ru_nvcsw', 'ru_nivcsw'] },
  { name: 'SIGACTION', type: 'struct sigaction', header: 'asm-generic/signal.h', fields: ['sa_handler', 'sa_flags', 'sa_mask'] },
  { name: 'SIGSET', type: 'sigset_t', header: 'asm-generic/signal.h', fields: [] },
  { name: 'STACK_T', type: 'stack_t', header: 'asm-generic/signal.h', fields: ['ss_sp', 'ss_flags', 'ss_size'] },
  { name: 'ROBUST_LIST_HEAD', type: 'struct robust_list_head', header: 'linux/futex.h', fields: ['list', 'futex_offset', 'list_op_pending'] },
  { name: 'OPEN_HOW', type: 'struct open_how', header: 'linux/openat2.h', fields: ['flags', 'mode', 'resolve'] },
  { name: 'FLOCK', type: 'struct flock', header: 'asm-generic/fcntl.h', fields: ['l_type', 'l_whence', 'l_start', 'l_len', 'l_pid'] },
  { name: 'SYSINFO', type: 'struct sysinfo', header: 'linux/sysinfo.h', fields: ['uptime', 'loads', 'totalram', 'freeram', 'sharedram', 'bufferram', 'totalswap', 'freeswap', 'procs', 'totalhigh', 'freehigh', 'mem_unit'] },
  { name: 'UTSNAME', type: 'struct new_utsname', header: 'linux/utsname.h', fields: ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'] },
  { name: 'TERMIOS', type: 'struct termios', header: 'asm-generic/termbits.h', fields: ['c_iflag', 'c_oflag', 'c_cflag', 'c_lflag', 'c_line', 'c_cc'] },
  { name: 'WINSIZE', type: 'struct winsize', header: 'asm-generic/termios.h', fields: ['ws_row', 'ws_col', 'ws_xpixel', 'ws_ypixel'] },
  { name: 'SCHED_PARAM', type: 'struct sched_param', header: 'linux/sched/types.h', fields: ['sched_priority'] },
  { name: 'CAP_DATA', type: 'struct __user_cap_data_struct', header: 'linux/capability.h', fields: ['effective', 'permitted', 'inheritable'] },
  // The signal frame (arch/riscv/kernel/signal.c: struct rt_sigframe { struct siginfo info; struct ucontext uc; }).
  {
    name: 'SIGINFO',
    type: 'siginfo_t',
    header: 'asm-generic/siginfo.h',
    fields: [
      'si_signo', 'si_errno', 'si_code', '_sifields', 'si_pid', 'si_uid', 'si_tid', 'si_overrun', 'si_value', 'si_int', 'si_ptr', 'si_sys_private',
      'si_status', 'si_utime', 'si_stime', 'si_addr', 'si_trapno', 'si_addr_lsb', 'si_band', 'si_fd', 'si_call_addr', 'si_syscall', 'si_arch',
    ],
  },
  // read(2) of a signalfd returns these (fs/signalfd.c signalfd_copyinfo()).
  {
    name: 'SIGNALFD_SIGINFO',
    type: 'struct signalfd_siginfo',
    header: 'linux/signalfd.h',
    fields: [
      'ssi_signo', 'ssi_errno', 'ssi_code', 'ssi_pid', 'ssi_uid', 'ssi_fd', 'ssi_tid', 'ssi_band', 'ssi_overrun', 'ssi_trapno', 'ssi_status', 'ssi_int',
      'ssi_ptr', 'ssi_utime', 'ssi_stime', 'ssi_addr', 'ssi_addr_lsb', 'ssi_syscall', 'ssi_call_addr', 'ssi_arch',
    ],
  },
  { name: 'SIGEVENT', type: 'sigevent_t', header: 'asm-generic/siginfo.h', fields: ['sigev_value', 'sigev_signo', 'sigev_notify', 'sigev_notify_thread_id'] },
  { name: 'STACK', type: 'stack_t', header: 'asm-generic/signal.h', fields: ['ss_sp', 'ss_flags', 'ss_size'] },
  { name: 'UCONTEXT', type: 'struct ucontext', header: 'asm/ucontext.h', fields: ['uc_flags', 'uc_link', 'uc_stack', 'uc_sigmask', 'uc_mcontext'] },
  { name: 'SIGCONTEXT', type: 'struct sigcontext', header: 'asm/sigcontext.h', fields: ['sc_regs', 'sc_fpregs'] },
  { name: 'RISCV_D_EXT_STATE', type: 'struct __riscv_d_ext_state', header: 'asm/ptrace.h', fields: ['f', 'fcsr'] },
  { name: 'RISCV_Q_EXT_STATE', type: 'struct __riscv_q_ext_state', header: 'asm/ptrace.h', fields: ['f', 'fcsr', 'reserved'] },
  // System V IPC (ipc/msg.c, ipc/sem.c, ipc/util.c): the IPC_64 layouts the riscv64 syscalls pass (ksys_msgctl/ksys_semctl with IPC_64).
  { name: 'IPC64_PERM', type: 'struct ipc64_perm', header: 'asm-generic/ipcbuf.h', fields: ['key', 'uid', 'gid', 'cuid', 'cgid', 'mode', 'seq', '__unused1', '__unused2'] },
  {
    name: 'MSQID64_DS',
    type: 'struct msqid64_ds',
    header: 'asm-generic/msgbuf.h',
    fields: ['msg_perm', 'msg_stime', 'msg_rtime', 'msg_ctime', 'msg_cbytes', 'msg_qnum', 'msg_qbytes', 'msg_lspid', 'msg_lrpid', '__unused4', '__unused5'],
  },
  { name: 'MSGINFO', type: 'struct msginfo', header: 'linux/msg.h', fields: ['msgpool', 'msgmap', 'msgmax', 'msgmnb', 'msgmni', 'msgssz', 'msgtql', 'msgseg'] },
  { name: 'MSGBUF', type: 'struct msgbuf', header: 'linux/msg.h', fields: ['mtype', 'mtext'] },
  { name: 'SEMID64_DS', type: 'struct semid64_ds', header: 'asm-generic/sembuf.h', fields: ['sem_perm', 'sem_otime', 'sem_ctime', 'sem_nsems', '__unused3', '__unused4'] },
  { name: 'SEMBUF', type: 'struct sembuf', header: 'linux/sem.h', fields: ['sem_num', 'sem_op', 'sem_flg'] },
  { name: 'SEMINFO', type: 'struct seminfo', header: 'linux/sem.h', fields: ['semmap', 'semmni', 'semmns', 'semmnu', 'semmsl', 'semopm', 'semume', 'semusz', 'semvmx', 'semaem'] },
  // ipc/shm.c ksys_shmctl() with IPC_64: struct shmid64_ds, shminfo64 (IPC_INFO) and shm_info (SHM_INFO).
  {
    name: 'SHMID64_DS',
    type: 'struct shmid64_ds',
    header: 'asm-generic/shmbuf.h',
    fields: ['shm_perm', 'shm_segsz', 'shm_atime', 'shm_dtime', 'shm_ctime', 'shm_cpid', 'shm_lpid', 'shm_nattch', '__unused4', '__unused5'],
  },
  { name: 'SHMINFO64', type: 'struct shminfo64', header: 'asm-generic/shmbuf.h', fields: ['shmmax', 'shmmin', 'shmmni', 'shmseg', 'shmall', '__unused1', '__unused2', '__unused3', '__unused4'] },
  { name: 'SHM_INFO_STRUCT', type: 'struct shm_info', header: 'linux/shm.h', fields: ['used_ids', 'shm_tot', 'shm_rss', 'shm_swp', 'swap_attempts', 'swap_successes'] },
  { name: 'SOCKADDR_IN', type: 'struct sockaddr_in', header: 'linux/in.h', fields: ['sin_family', 'sin_port', 'sin_addr'] },
  { name: 'SOCKADDR_IN6', type: 'struct sockaddr_in6', header: 'linux/in6.h', fields: ['sin6_family', 'sin6_port', 'sin6_flowinfo', 'sin6_addr', 'sin6_scope_id'] },
  { name: 'IN_PKTINFO', type: 'struct in_pktinfo', header: 'linux/in.h', fields: ['ipi_ifindex', 'ipi_spec_dst', 'ipi_addr'] },
  { name: 'IN6_PKTINFO', type: 'struct in6_pktinfo', header: 'linux/ipv6.h', fields: ['ipi6_addr', 'ipi6_ifindex'] },
  // The socket ioctls' interface request (net/core/dev_ioctl.c, net/ipv4/devinet.c), by glibc's member macros (ifr_name is ifr_ifrn.ifrn_name, the others members of ifr_ifru).
  {
    name: 'IFREQ',
    type: 'struct ifreq',
    header: 'net/if.h; linux/if.h',
    fields: ['ifr_name', 'ifr_addr', 'ifr_hwaddr', 'ifr_flags', 'ifr_ifindex', 'ifr_metric', 'ifr_mtu', 'ifr_map', 'ifr_qlen', 'ifr_data'],
    libc: true,
  },
  { name: 'IFMAP', type: 'struct ifmap', header: 'net/if.h; linux/if.h', fields: ['mem_start', 'mem_end', 'base_addr', 'irq', 'dma', 'port'], libc: true },
  { name: 'IFCONF', type: 'struct ifconf', header: 'net/if.h; linux/if.h', fields: ['ifc_len', 'ifc_buf'], libc: true },
  { name: 'SOCKADDR_UN', type: 'struct sockaddr_un', header: 'sys/un.h; linux/un.h', fields: ['sun_family', 'sun_path'], libc: true },
  { name: 'MSGHDR', type: 'struct msghdr', header: 'sys/socket.h; the kernel\'s struct user_msghdr', fields: ['msg_name', 'msg_namelen', 'msg_iov', 'msg_iovlen', 'msg_control', 'msg_controllen', 'msg_flags'], libc: true },
  { name: 'MMSGHDR', type: 'struct mmsghdr', header: 'sys/socket.h', fields: ['msg_hdr', 'msg_len'], libc: true },
  { name: 'CMSGHDR', type: 'struct cmsghdr', header: 'sys/socket.h; include/linux/socket.h', fields: ['cmsg_len', 'cmsg_level', 'cmsg_type', '__cmsg_data'], libc: true },
  { name: 'UCRED', type: 'struct ucred', header: 'sys/socket.h; include/linux/socket.h', fields: ['pid', 'uid', 'gid'], libc: true },
];

export interface StructLayout {
  spec: StructSpec;
  size: number;
  offsets: Record<string, number>;
}

/** The C file: one asm statement per size and offset. */
export function structSource(libc = false): string {
  const lines = libc ? ['#define _GNU_SOURCE 1', ...LIBC_HEADERS.map((h) => `#include <${h}>`)] : HEADERS.map((h) => `#include <${h}>`);
  lines.push('#define ZS(name, value) asm volatile("\\n.ascii \\"->" name " %0\\"" : : "i"(value))', 'void zs_offsets(void) {');
  for (const s of STRUCTS.filter((x) => (x.libc ?? false) === libc)) {
    lines.push(`  ZS("${s.name}.SIZE", sizeof(${s.type}));`);
    for (const f of s.fields) lines.push(`  ZS("${s.name}.${f}", __builtin_offsetof(${s.type}, ${f}));`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Sizes and offsets as the riscv64 cross compiler lays the structs out. */
export function readStructs(): StructLayout[] {
  const values = new Map<string, number>();
  for (const libc of [false, true]) {
    const r = spawnSync(CC, ['-S', '-O0', '-x', 'c', '-o', '-', '-'], { input: structSource(libc), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${CC} failed:\n${r.stderr}`);
    for (const m of r.stdout.matchAll(/->(\S+) (-?\d+)/g)) values.set(m[1], Number(m[2]));
  }
  return STRUCTS.map((spec) => {
    const get = (key: string) => {
      const v = values.get(`${spec.name}.${key}`);
      if (v === undefined) throw new Error(`no value for ${spec.name}.${key} in ${CC}'s output`);
      return v;
    };
    return { spec, size: get('SIZE'), offsets: Object.fromEntries(spec.fields.map((f) => [f, get(f)])) };
  });
}

export function renderStructs(layouts: StructLayout[]): string {
  const out = [
    '// GENERATED by kernel/gen-structs.ts from the riscv64 cross headers (sizes and offsets',
    '// computed by riscv64-linux-gnu-gcc). Do not edit; rerun the generator.',
    '',
  ];
  for (const { spec, size, offsets } of layouts) {
    out.push(`/** ${spec.type} (<${spec.header}>): SIZE and the offset of each field. */`);
    const fields = Object.entries(offsets).map(([f, v]) => `  ${f}: ${v},`);
    out.push(`export const ${spec.name} = {`, `  SIZE: ${size},`, ...fields, '} as const;', '');
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = fileURLToPath(new URL('./abi-structs.ts', import.meta.url));
  writeFileSync(out, renderStructs(readStructs()));
  console.log(`wrote ${out}`);
}
