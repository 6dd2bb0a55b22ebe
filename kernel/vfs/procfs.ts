// /proc: the small part a runtime reads, generated from the kernel's own state.
//
//   /proc/self -> <pid>, /proc/thread-self -> <pid>/task/<pid>, /proc/mounts -> self/mounts
//   /proc/<pid>/  exe cwd root (links to the object), fd/<n> (one link per open fd),
//                 maps (from the guest memory map), auxv, cmdline, environ, comm, status
//                 (the common fields), mounts, task/<pid>/ (the same again for the thread)
//   /proc/sys/kernel/{ostype,osrelease}, /proc/sys/vm/overcommit_memory
// Anything else is ENOENT. Files read as a snapshot taken at open; their st_size is 0 as
// on Linux; their times are the clock's start. Nothing can be created or changed (EPERM /
// EACCES as procfs answers).
// Everything belongs to uid 0 and is checked by its mode (permission.ts) — as on Linux for a
// process that changed credentials and so is no longer dumpable (fs/proc/base.c
// task_dump_owner(); a dumpable one's files, and its r-x directories, show its euid
// instead) — except <pid>/fd, which the process itself may always list (proc_fd_permission).

import { fail } from '../errors.ts';
import { S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, S_IFREG, S_IFSOCK, TYPE_DT, TYPE_MODE, type FileType } from './constants.ts';
import type { DirEntry, OpenFile } from './file.ts';
import { Loc } from './namespace.ts';
import { Filesystem, Vnode, type FileData } from './node.ts';
import type { StatInfo } from './stat.ts';

/** What /proc shows, supplied by the vfs state. */
export interface ProcView {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly startNs: bigint;
  cmdline(): string[];
  environ(): string[];
  /** The executable's path (readlink of exe) and where it opens, if it can. */
  exePath(): string;
  exeLoc(): Loc | undefined;
  /** A thread's name (comm: the base name of the file exec'd, or PR_SET_NAME's), at most 15 bytes. */
  comm?(tid: number): string;
  readonly cwd: Loc;
  root(): Loc;
  readonly umask: number;
  /** Open descriptors with their description. */
  openFds(): [number, OpenFile][];
  maps(): string;
  auxv(): Uint8Array;
  mounts(): string;
  /** Ids of the live threads (/proc/PID/task), in tid order; without it, the main thread alone. */
  tids?(): number[];
  /** Lines of status that depend on other modules (threads, signal masks). */
  statusExtra(): string[];
  ostype: string;
  osrelease: string;
}

const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

/** comm, or the executable's base name for a view that does not keep thread names. */
const commOf = (v: ProcView, tid: number): string => v.comm?.(tid) ?? v.exePath().split('/').pop()!.slice(0, 15);

type Make = () => ProcNode;

/** Whose /proc this is: the calling process (self) and every process of the guest. */
export interface ProcViews {
  self(): ProcView;
  all(): ProcView[];
}

export class ProcFs extends Filesystem {
  private nextIno = 1;
  private readonly inos = new Map<string, number>();
  readonly root: ProcNode;

  constructor(
    dev: number,
    private readonly views: ProcViews,
  ) {
    super(dev, 'proc', false);
    this.root = new ProcDir(this, '', 0o555, () => this.rootEntries());
  }

  /** The calling process's view (the one /proc/self shows). */
  get view(): ProcView {
    return this.views.self();
  }

  /** Stable inode number per path. */
  inoOf(path: string): number {
    let ino = this.inos.get(path);
    if (ino === undefined) this.inos.set(path, (ino = this.nextIno++));
    return ino;
  }

  private rootEntries(): [string, Make][] {
    const pid = String(this.view.pid);
    const procs = this.views.all().map((v): [string, Make] => [String(v.pid), () => this.processDir(String(v.pid), String(v.pid), `/${v.pid}`, v)]);
    return [
      ...procs,
      ['self', () => new ProcLink(this, '/self', () => pid)],
      ['thread-self', () => new ProcLink(this, '/thread-self', () => `${pid}/task/${pid}`)],
      ['mounts', () => new ProcLink(this, '/mounts', () => 'self/mounts')],
      ['sys', () => this.sysDir()],
    ];
  }

  private sysDir(): ProcNode {
    const v = this.view;
    const file = (path: string, content: string): Make => () => new ProcFile(this, path, 0o444, () => text(content));
    return new ProcDir(this, '/sys', 0o555, () => [
      [
        'kernel',
        () =>
          new ProcDir(this, '/sys/kernel', 0o555, () => [
            ['osrelease', file('/sys/kernel/osrelease', `${v.osrelease}\n`)],
            ['ostype', file('/sys/kernel/ostype', `${v.ostype}\n`)],
          ]),
      ],
      ['vm', () => new ProcDir(this, '/sys/vm', 0o555, () => [['overcommit_memory', file('/sys/vm/overcommit_memory', '0\n')]])],
    ]);
  }

  private processDir(name: string, tid: string, base = `/${name}`, v = this.view): ProcNode {
    const p = (rel: string) => `${base}/${rel}`;
    const file = (rel: string, mode: number, gen: () => Uint8Array): Make => () => new ProcFile(this, p(rel), mode, gen);
    const entries = (): [string, Make][] => [
      ['auxv', file('auxv', 0o400, () => v.auxv())],
      ['cmdline', file('cmdline', 0o444, () => text(v.cmdline().map((a) => a + '\0').join('')))],
      ['comm', file('comm', 0o644, () => text(`${commOf(v, Number(tid))}\n`))],
      ['cwd', () => new ProcLink(this, p('cwd'), () => v.cwd.path(), () => v.cwd)],
      ['environ', file('environ', 0o400, () => text(v.environ().map((a) => a + '\0').join('')))],
      ['exe', () => new ProcLink(this, p('exe'), () => v.exePath(), () => v.exeLoc())],
      ['fd', () => this.fdDir(p('fd'), v)],
      ['maps', file('maps', 0o444, () => text(v.maps()))],
      ['mounts', file('mounts', 0o444, () => text(v.mounts()))],
      ['root', () => new ProcLink(this, p('root'), () => '/', () => v.root())],
      ['status', file('status', 0o444, () => text(this.status(v)))],
      ...(base.includes('/task/') ? [] : ([['task', () => new ProcDir(this, p('task'), 0o555, () => (v.tids?.() ?? [Number(tid)]).map((t): [string, Make] => [String(t), () => this.processDir(String(t), String(t), p(`task/${t}`), v)]))]] as [string, Make][])),
    ];
    return new ProcDir(this, base, 0o555, entries);
  }

  private fdDir(path: string, v: ProcView): ProcNode {
    return new ProcFdDir(this, path, 0o500, () =>
      v.openFds().map(([fd, file]): [string, Make] => [
        String(fd),
        () => new ProcLink(this, `${path}/${fd}`, () => file.procLink, () => file.loc ?? this.reopenable(file), fdLinkMode(file)),
      ]),
    );
  }

  /** A file without a place (pipe, standard stream): opening its fd link reopens it. */
  private reopenable(file: OpenFile): Loc {
    return new Loc(new ReopenNode(this, file), this.view.root(), file.procLink);
  }

  private status(v: ProcView): string {
    const name = commOf(v, v.pid);
    const lines = [
      `Name:\t${name}`,
      `Umask:\t${v.umask.toString(8).padStart(4, '0')}`,
      'State:\tR (running)',
      `Tgid:\t${v.pid}`,
      'Ngid:\t0',
      `Pid:\t${v.pid}`,
      `PPid:\t${v.ppid}`,
      'TracerPid:\t0',
      `Uid:\t${v.uid}\t${v.uid}\t${v.uid}\t${v.uid}`,
      `Gid:\t${v.gid}\t${v.gid}\t${v.gid}\t${v.gid}`,
      'FDSize:\t64',
      'Groups:\t',
      ...v.statusExtra(),
      'Cpus_allowed:\t1',
      'Cpus_allowed_list:\t0',
    ];
    return lines.join('\n') + '\n';
  }
}

/** fd/N links are lr-x------ / l-wx------ / lrwx------ by access mode. */
function fdLinkMode(file: OpenFile): number {
  return (file.readable ? 0o500 : 0) | (file.writable ? 0o300 : 0);
}

abstract class ProcNode extends Vnode {
  readonly ino: number;
  constructor(
    readonly fs: ProcFs,
    readonly path: string,
    readonly type: FileType,
    readonly perm: number,
  ) {
    super();
    this.ino = fs.inoOf(path);
  }
  stat(): StatInfo {
    const v = this.fs.view;
    const t = v.startNs;
    return {
      dev: this.fs.dev,
      ino: this.ino,
      mode: TYPE_MODE[this.type] | this.perm,
      nlink: this.type === 'dir' ? 2 : 1,
      uid: v.uid,
      gid: v.gid,
      rdev: 0,
      size: 0,
      blksize: 1024,
      blocks: 0,
      atimeNs: t,
      mtimeNs: t,
      ctimeNs: t,
    };
  }
  // proc refuses changes with EPERM (chmod, utimes) — the Vnode default for a writable fs.
}

class ProcDir extends ProcNode {
  constructor(
    fs: ProcFs,
    path: string,
    perm: number,
    private readonly entries: () => [string, Make][],
  ) {
    super(fs, path, 'dir', perm);
  }
  override lookup(name: string): Vnode | undefined {
    return this.entries().find(([n]) => n === name)?.[1]();
  }
  override list(): DirEntry[] {
    return this.entries().map(([name, make]) => {
      const node = make();
      return { name, ino: node.ino, type: TYPE_DT[node.type] };
    });
  }
  // A directory without a create method refuses O_CREAT with EACCES (and mkdir,
  // symlink, link with EPERM: the Vnode default).
  override create(): Vnode {
    fail('EACCES');
  }
}

/**
 * /proc/<pid>/fd (dr-x------): fs/proc/fd.c proc_fd_permission() grants the process itself
 * whatever generic_permission() refuses (`same_thread_group(p, current)`), and every process
 * here is that one.
 */
class ProcFdDir extends ProcDir {
  override permission(): number {
    return 0;
  }
}

class ProcFile extends ProcNode {
  constructor(
    fs: ProcFs,
    path: string,
    perm: number,
    private readonly generate: () => Uint8Array,
  ) {
    super(fs, path, 'reg', perm);
  }
  override openData(): FileData {
    const bytes = this.generate();
    return {
      size: () => bytes.length,
      readAt: (offset, len) => bytes.slice(Math.min(offset, bytes.length), Math.min(offset + len, bytes.length)),
      writeAt: () => fail('EACCES'),
      truncate: () => fail('EACCES'),
      sync: () => {},
      close: () => {},
    };
  }
}

class ProcLink extends ProcNode {
  constructor(
    fs: ProcFs,
    path: string,
    private readonly target: () => string,
    private readonly to?: () => Loc | undefined,
    perm = 0o777,
  ) {
    super(fs, path, 'lnk', perm);
  }
  override readlink(): string {
    return this.target();
  }
  /** Magic link (namespace.ts MagicLink): straight to the object when there is one. */
  jump(): Loc | undefined {
    return this.to?.();
  }
}

const TYPE_OF_MODE: Record<number, FileType> = { [S_IFIFO]: 'fifo', [S_IFCHR]: 'chr', [S_IFREG]: 'reg', [S_IFDIR]: 'dir', [S_IFSOCK]: 'sock' };

/** What /proc/self/fd/N leads to for a pipe or standard stream: the same object, reopened. */
class ReopenNode extends Vnode {
  readonly type: FileType;
  constructor(
    readonly fs: ProcFs,
    private readonly file: OpenFile,
  ) {
    super();
    this.type = TYPE_OF_MODE[file.stat().mode & S_IFMT] ?? 'chr';
  }
  stat(): StatInfo {
    return this.file.stat();
  }
  override openSpecial(_loc: Loc, flags: number): OpenFile {
    return this.file.reopen(flags);
  }
}
