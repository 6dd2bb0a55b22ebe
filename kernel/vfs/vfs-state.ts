// The vfs module's part of the kernel state: the namespace, the working directory, the
// umask, and the hooks file objects use (blocking, SIGPIPE).
//
// The namespace (see README "Files"):
//   /            tmpfs, root-owned 0755 (only mount points and what the guest creates)
//   /dev         devtmpfs: null zero full random urandom tty(ENXIO) fd stdin stdout stderr shm/
//   /proc        procfs.ts
//   /sys         read-only: devices/system/cpu/{online,possible,present},
//                kernel/mm/transparent_hugepage/hpage_pmd_size
//   /tmp         tmpfs 1777 (unless disabled)
//   host mounts  each host directory at its guest path (zerosys run: the host working
//                directory at its own absolute path), read-write, confined (hostfs.ts)
// Nothing else of the host is visible.
// Every tmpfs here (/, /dev, /tmp, and memfds) holds at most half of the machine's RAM
// (--mem), Linux's default tmpfs size: ENOSPC past it (tmpfs.ts).

import { readFileSync, statSync, type BigIntStats } from 'node:fs';
import type { Memory } from '../../emulator/memory.ts';
import { GuestKilled, ZerosysStop, type ProcessImage } from '../api.ts';
import { E, ERRNO_INFO, errnoName } from '../errno.ts';
import { SyscallErrno } from '../errors.ts';
import { GID, PID, PPID, UID } from '../process/identity.ts';
import type { RandomStream } from '../random/xoshiro.ts';
import type { SignalState } from '../signal/signal-state.ts';
import type { VirtualClock } from '../time/clock.ts';
import { buildDevFs } from './devfs.ts';
import type { VfsEnv } from './env.ts';
import type { FdTable } from './fd-table.ts';
import type { OpenFile } from './file.ts';
import { HostFs, HostNode } from './hostfs.ts';
import { Loc, Namespace } from './namespace.ts';
import type { Vnode } from './node.ts';
import { ProcFs, type ProcView, type ProcViews } from './procfs.ts';
import { makedev } from './stat.ts';
import { TmpFs } from './tmpfs.ts';
import { SingleThreadBlocker, type Blocker } from './wait.ts';
import { SIGPIPE } from '../abi.ts';
import { SIG_DFL, SIG_IGN } from '../signal/signal-state.ts';
import { O_WRONLY } from './constants.ts';

/** The namespace asked for cannot be built (a working directory the guest cannot see, ...). */
export class NamespaceError extends Error {}

/** A syscall error met while building the namespace, as a NamespaceError naming what failed. */
function setupError(what: string, e: unknown): unknown {
  if (!(e instanceof SyscallErrno)) return e;
  const text = ERRNO_INFO.get(e.errno)?.text;
  return new NamespaceError(`${what}: ${text ? text[0].toLowerCase() + text.slice(1) : errnoName(e.errno)} (${errnoName(e.errno)})`);
}

export interface HostMount {
  /** Absolute guest path where it appears (created as needed). */
  guest: string;
  /** Host directory. */
  host: string;
  /** Mounted read-only (EROFS for every change). */
  readOnly?: boolean;
}

export interface VfsOptions {
  /** Host directories the guest may use (default none). */
  mounts?: HostMount[];
  /** A tmpfs at /tmp (default true). */
  tmp?: boolean;
  /** Initial working directory, a guest path (default "/"). */
  cwd?: string;
  /** For /proc/self/cmdline and environ. */
  argv?: string[];
  envp?: string[];
  /**
   * The program being run, shown read-only at its absolute host path when no mount shows
   * it there: a program finds itself where it was started from (Go's os/exec and test
   * binaries exec os.Args[0]), as on the machine that started it.
   */
  program?: { path: string; bytes: Uint8Array };
}

/** What the vfs reads from the rest of the kernel. */
export interface VfsDeps {
  clock: VirtualClock;
  random: RandomStream;
  signals: SignalState;
  image: ProcessImage;
  fds: FdTable;
  /** Guest memory, for /proc/self/maps. */
  mem?: Memory;
  /** The machine's RAM (--mem): tmpfs mounts hold at most half of it, as shmem's default size. */
  ramBytes?: () => number;
  /** Whose /proc: the calling process and every process (default: this one alone). */
  procViews?: ProcViews;
  /** The process's id and its parent's (default PID and PPID: the first process). */
  pid?: number;
  ppid?: number;
  /** The process's thread names (comm), for /proc/PID/comm and status (default: the executable's base name). */
  proc?: { thread(tid: number): { name: string } };
  /** The process's threads, for /proc/PID/task and status's Threads (default: the main thread alone). */
  thread?: { readonly threads: readonly { readonly tid: number; readonly state: string }[] };
}

/** shmem_default_max_blocks(): half of RAM, in pages. */
export const tmpfsMaxPages = (ramBytes: number): number => Math.floor(ramBytes / 2 / 4096);


// Device numbers: fixed, so stat output never depends on the host.
const DEV = {
  root: makedev(0, 30),
  dev: makedev(0, 5),
  proc: makedev(0, 22),
  sys: makedev(0, 21),
  tmp: makedev(0, 31),
  exe: makedev(0, 32),
  host: (i: number) => makedev(254, 1 + i),
};

export const OSTYPE = 'Linux';
export const OSRELEASE = '6.1.0';

export class VfsState implements VfsEnv, ProcView {
  readonly ns: Namespace;
  cwd: Loc;
  umask = 0o022;
  /** How handlers wait (wait.ts). The scheduler replaces it. */
  blocker: Blocker;
  /**
   * Delivery of a signal raised by a file operation (SIGPIPE), once the signal module
   * provides it. Unset: SIG_IGN ignores, SIG_DFL kills, a handler stops the guest.
   */
  raiseSignal?: (sig: number) => void;
  readonly pid: number;
  readonly ppid: number;
  readonly uid = UID;
  readonly gid = GID;
  readonly startNs: bigint;
  readonly ostype = OSTYPE;
  readonly osrelease = OSRELEASE;
  /** Pipe inode numbers: one counter for every process (get_next_ino is global). */
  private pipeIno = { next: 4000 };
  private exe?: Loc;
  /**
   * The file this process runs, whose writers it shuts out (mm->exe_file, held with
   * deny_write_access() by set_mm_exe_file() and dup_mm_exe_file(); kernel/fork.c).
   */
  private exeDenied?: Vnode;
  /** i_writecount of host files for every host mount of the namespace (hostfs.ts). */
  private readonly hostWriteCounts = new Map<string, number>();

  /**
   * @param parent a forked process's parent: the child shares its namespace and starts in
   *   its working directory with its umask (copy_fs_struct; CLONE_FS is not supported)
   */
  constructor(
    private readonly deps: VfsDeps,
    private readonly opts: VfsOptions = {},
    parent?: VfsState,
  ) {
    const now = () => deps.clock.realtimeNs();
    this.startNs = now();
    this.blocker = new SingleThreadBlocker(deps.clock);
    this.pid = deps.pid ?? PID;
    this.ppid = deps.ppid ?? PPID;
    if (parent) {
      this.ns = parent.ns;
      this.cwd = parent.cwd;
      this.umask = parent.umask;
      this.pipeIno = parent.pipeIno;
      this.exe = parent.exe;
      // dup_mm_exe_file(): the child runs the parent's file too (an exec's new state
      // takes it over first, then setExe() changes it).
      parent.exeDenied?.denyWriteAccess();
      this.exeDenied = parent.exeDenied;
      return;
    }

    const maxPages = () => tmpfsMaxPages(deps.ramBytes?.() ?? Infinity);
    const rootFs = new TmpFs(DEV.root, now, { rootMode: 0o755, maxPages });
    const mountPoints = ['dev', 'proc', 'sys', ...(opts.tmp === false ? [] : ['tmp'])];
    for (const name of mountPoints) rootFs.ensureDir([name]);
    this.ns = new Namespace(rootFs);
    this.ns.mount('/dev', buildDevFs(DEV.dev, now, deps.random, maxPages));
    this.ns.mount('/proc', new ProcFs(DEV.proc, deps.procViews ?? { self: () => this, all: () => [this] }));
    this.ns.mount('/sys', buildSysFs(DEV.sys, now));
    if (opts.tmp !== false) this.ns.mount('/tmp', new TmpFs(DEV.tmp, now, { maxPages }));
    (opts.mounts ?? []).forEach((m, i) => {
      // The mount point is made in whatever filesystem holds it (under /tmp: the tmpfs).
      try {
        this.mkdirs(m.guest);
        this.ns.mount(m.guest, new HostFs(m.host, { dev: DEV.host(i), now, uid: UID, gid: GID, readOnly: m.readOnly, writeCounts: this.hostWriteCounts }));
      } catch (e) {
        throw setupError(`mount point ${m.guest}`, e);
      }
    });
    if (opts.program) this.showProgram(opts.program.path, opts.program.bytes, opts.mounts ?? []);
    this.cwd = this.initialCwd(opts.cwd ?? '/', opts.mounts ?? []);
    if (opts.program) this.runsProgram(opts.program.path, opts.program.bytes);
  }

  /**
   * The first program, where the guest sees it (shown at its path, or on a host mount): it
   * is this process's executable (/proc/self/exe opens it) and nobody may write it while it
   * runs, as after an execve of it.
   */
  private runsProgram(path: string, bytes: Uint8Array): void {
    let loc: Loc;
    try {
      loc = this.ns.resolve(this.ns.root, path, true);
    } catch {
      return;
    }
    const node = loc.node;
    if (node.type !== 'reg') return;
    if (node instanceof HostNode) {
      // The same host inode, not another file a mount shows at that path.
      let st: BigIntStats;
      try {
        st = statSync(path, { bigint: true });
      } catch {
        return;
      }
      if (node.key !== `${st.dev}:${st.ino}`) return;
    } else if (node.stat().size !== bytes.length) {
      return;
    }
    this.setExe(loc);
  }

  /** The program file at its path in the root tmpfs (mode 0555), unless a host mount covers that path. */
  private showProgram(path: string, bytes: Uint8Array, mounts: HostMount[]): void {
    const parts = path.split('/').filter(Boolean);
    const name = parts.pop();
    const dir = '/' + parts.join('/');
    if (!name || !path.startsWith('/')) return;
    const under = (p: string, d: string) => d === '/' || p === d || p.startsWith(d + '/');
    if (mounts.some((m) => under(path, m.guest)) || ['/dev', '/proc', '/sys'].some((d) => under(dir, d))) return;
    try {
      const loc = this.mkdirs(dir);
      if (this.ns.child(loc, name)) return;
      const node = loc.node.create(name, 0o555);
      const data = node.openData(O_WRONLY);
      try {
        data.writeAt(0, bytes);
      } finally {
        data.close();
      }
    } catch (e) {
      throw setupError(`program ${path}`, e);
    }
  }

  /** The working directory the guest starts in: a directory it can see, or a NamespaceError. */
  private initialCwd(cwd: string, mounts: HostMount[]): Loc {
    let loc: Loc;
    try {
      loc = this.ns.resolve(this.ns.root, cwd, true);
    } catch (e) {
      if (!(e instanceof SyscallErrno && e.errno === E.ENOENT)) throw setupError(`working directory ${cwd}`, e);
      // A later mount at or above the one holding cwd hides it (as a Linux mount over a
      // mount does): say which.
      const under = (path: string, dir: string) => dir === '/' || path === dir || path.startsWith(dir + '/');
      const i = mounts.findIndex((m) => under(cwd, m.guest));
      const hider = i < 0 ? undefined : mounts.slice(i + 1).find((m) => under(mounts[i].guest, m.guest));
      if (hider) throw new NamespaceError(`working directory ${cwd} is hidden by the later mount of ${hider.host} at ${hider.guest}`);
      const shown = mounts.map((m) => m.guest).join(', ') || 'none';
      throw new NamespaceError(`working directory ${cwd} does not exist in the guest's namespace (host directories mounted: ${shown})`);
    }
    if (loc.node.type !== 'dir') throw setupError(`working directory ${cwd}`, new SyscallErrno(E.ENOTDIR));
    return loc;
  }

  /** Directories along an absolute guest path, created in whatever filesystem holds them. */
  private mkdirs(path: string): Loc {
    let loc = this.ns.root;
    for (const name of path.split('/').filter(Boolean)) {
      loc = this.ns.child(loc, name) ?? (loc.node.mkdir(name, 0o755), this.ns.child(loc, name)!);
    }
    return loc;
  }

  // ---- VfsEnv

  now(): bigint {
    return this.deps.clock.realtimeNs();
  }

  sigpipe(): void {
    if (this.raiseSignal) return this.raiseSignal(SIGPIPE);
    const action = this.deps.signals.actions[SIGPIPE];
    if (action.handler === SIG_IGN) return;
    if (action.handler === SIG_DFL) throw new GuestKilled(SIGPIPE, 'write to a pipe with no reader');
    throw new ZerosysStop('unsupported delivery of SIGPIPE to a handler (signals are not delivered yet)');
  }

  allocPipeIno(): number {
    return this.pipeIno.next++;
  }

  // ---- ProcView

  cmdline(): string[] {
    return this.opts.argv ?? this.deps.image.argv ?? [this.deps.image.execPath];
  }
  environ(): string[] {
    return this.opts.envp ?? this.deps.image.envp ?? [];
  }
  exePath(): string {
    return this.deps.image.exeLink ?? this.deps.image.execPath;
  }
  /** Live threads' ids in tid order (an exited main thread stays listed while others run, as a zombie leader does). */
  tids(): number[] {
    const threads = this.deps.thread?.threads;
    if (!threads) return [this.pid];
    const live = threads.filter((t) => t.state !== 'exited').map((t) => t.tid);
    return live.length && !live.includes(this.pid) ? [this.pid, ...live] : live.length ? live : [this.pid];
  }
  comm(tid: number): string {
    return this.deps.proc?.thread(tid).name ?? this.exePath().split('/').pop()!.slice(0, 15);
  }
  /**
   * After execve: the program is a file of the guest's own namespace, which nobody may open
   * for writing while the process runs it (set_mm_exe_file(): deny_write_access() of the new
   * file, allow_write_access() of the old one).
   */
  setExe(loc: Loc): void {
    loc.node.denyWriteAccess();
    this.releaseExe();
    this.exe = loc;
    this.exeDenied = loc.node;
  }
  /**
   * The process no longer runs its file: it exited (exit_mm() → mmput() →
   * set_mm_exe_file(mm, NULL)) or its old state was replaced by an exec (exec_mmap()).
   */
  releaseExe(): void {
    this.exeDenied?.allowWriteAccess();
    this.exeDenied = undefined;
  }
  /**
   * The executable opened through /proc/self/exe: the program file, or, when the guest
   * cannot see it, a copy of it, which is running, so writers are shut out (ETXTBSY).
   */
  exeLoc(): Loc | undefined {
    if (!this.exe) {
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(this.exePath());
      } catch {
        return undefined;
      }
      const fs = new TmpFs(DEV.exe, () => this.startNs, { fsType: 'exe', rootMode: 0o755 });
      const name = this.exePath().split('/').pop() || 'exe';
      const node = fs.addFile(fs.root, name, bytes, 0o755);
      node.denyWriteAccess();
      this.exe = new Loc(node, this.ns.root, name);
    }
    return this.exe;
  }
  root(): Loc {
    return this.ns.root;
  }
  openFds(): [number, OpenFile][] {
    return this.deps.fds.fds().map((fd) => [fd, this.deps.fds.getRaw(fd)!]);
  }
  maps(): string {
    const vmas = this.deps.mem?.listVmas() ?? [];
    return vmas
      .map((v) => {
        const perms = `${v.prot & 1 ? 'r' : '-'}${v.prot & 2 ? 'w' : '-'}${v.prot & 4 ? 'x' : '-'}p`;
        const line = `${hex8(v.start)}-${hex8(v.end)} ${perms} 00000000 00:00 0`;
        return (v.name ? line.padEnd(72) + ' ' + v.name : line) + '\n';
      })
      .join('');
  }
  auxv(): Uint8Array {
    const out = new DataView(new ArrayBuffer(this.deps.image.auxv.length * 16));
    this.deps.image.auxv.forEach(([key, value], i) => {
      out.setBigUint64(i * 16, BigInt(key), true);
      out.setBigUint64(i * 16 + 8, BigInt(value), true);
    });
    return new Uint8Array(out.buffer);
  }
  mounts(): string {
    return this.ns.table.map(({ path, fs }) => `${fs.fsType === 'hostfs' ? 'host' : fs.fsType} ${path} ${fs.fsType} rw 0 0\n`).join('');
  }
  statusExtra(): string[] {
    const s = this.deps.signals;
    const mask = (pred: (h: bigint) => boolean) =>
      s.actions.reduce((m, a, sig) => (sig > 0 && pred(a.handler) ? m | (1n << BigInt(sig - 1)) : m), 0n);
    const hex = (v: bigint) => v.toString(16).padStart(16, '0');
    return [
      `Threads:\t${this.tids().length}`,
      `SigPnd:\t${hex(0n)}`,
      `ShdPnd:\t${hex(0n)}`,
      `SigBlk:\t${hex(s.blocked)}`,
      `SigIgn:\t${hex(mask((h) => h === SIG_IGN))}`,
      `SigCgt:\t${hex(mask((h) => h > SIG_IGN))}`,
    ];
  }
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

function buildSysFs(dev: number, now: () => bigint): TmpFs {
  const fs = new TmpFs(dev, now, { readOnly: true, fsType: 'sysfs', rootMode: 0o555 });
  const cpu = fs.ensureDir(['devices', 'system', 'cpu']);
  for (const name of ['online', 'possible', 'present']) fs.addFile(cpu, name, '0\n');
  fs.addDir(cpu, 'cpu0');
  const thp = fs.ensureDir(['kernel', 'mm', 'transparent_hugepage']);
  fs.addFile(thp, 'hpage_pmd_size', '2097152\n');
  return fs;
}
