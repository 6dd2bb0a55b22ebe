// Guest fds 0, 1, 2 backed by the host-provided Stdio. What fstat shows is synthetic and
// fixed per kind (no host inode, device or time leaks in):
//
//   tty   /dev/pts/0: S_IFCHR|0620, rdev 136:0, uid 0 gid 5 (tty), blksize 1024; the three
//         fds share one inode when they are all the terminal, as after a login shell.
//   pipe  pipefs: S_IFIFO|0600, one pipe per fd, blksize 4096.
//   socket  sockfs: S_IFSOCK|0777 (net/socket.c, sock_alloc), one per fd, blksize 4096: what
//         a program spawned by Node (libuv's socketpair stdio) or by a socket server sees.
//   file  regular file: S_IFREG|0644, blksize 4096, size from Stdio.fileSize — the host
//         file's size at the call, as Linux shows it (`>out` grows as the guest writes).
//   null  /dev/null: S_IFCHR|0666, rdev 1:3.
// Timestamps are the virtual clock's epoch (the streams were opened before the guest ran).
// fd 0 is read-only and fds 1-2 write-only (as for pipes and files; a terminal opened O_RDWR
// would also accept write(0) on Linux — here that is EBADF). They cannot seek (ESPIPE, also
// for a redirected file: the host stream has no offset to move), and poll always ready.

import { HostBrokenPipe, type Stdio, type StdioKind } from '../api.ts';
import { fail } from '../errors.ts';
import { O_RDONLY, O_WRONLY, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, S_IFSOCK } from './constants.ts';
import { OpenFile } from './file.ts';
import { S_IFCHR, S_IFIFO, S_IFREG, makedev, type StatInfo } from './stat.ts';

type StdFd = 0 | 1 | 2;
const LABELS = ['stdin', 'stdout', 'stderr'];

export class StdioFile extends OpenFile {
  readonly label: string;
  constructor(
    private readonly stdio: Stdio,
    private readonly fd: StdFd,
    private readonly epochNs: bigint,
    private readonly ids: { uid: number; gid: number },
    /** The writer's SIGPIPE (VfsState.sigpipe) when the host stream has no reader. */
    private readonly brokenPipe: () => void = () => {},
  ) {
    super(fd === 0 ? O_RDONLY : O_WRONLY);
    this.label = LABELS[fd];
  }

  override read(len: number): Uint8Array {
    const data = this.stdio.readStdin(len);
    return data.length > len ? data.subarray(0, len) : data;
  }
  override write(data: Uint8Array): number {
    if (!data.length) return 0;
    try {
      this.stdio.write(this.fd as 1 | 2, data);
    } catch (e) {
      if (!(e instanceof HostBrokenPipe)) throw e;
      // As a pipe without readers (fs/pipe.c pipe_write): SIGPIPE, then EPIPE.
      this.brokenPipe();
      fail('EPIPE');
    }
    return data.length;
  }
  override isatty(): boolean {
    return this.stdio.isatty(this.fd);
  }
  kind(): StdioKind {
    return this.stdio.kind?.(this.fd) ?? (this.isatty() ? 'tty' : 'pipe');
  }

  override get procLink(): string {
    switch (this.kind()) {
      case 'tty':
        return '/dev/pts/0';
      case 'null':
        return '/dev/null';
      case 'pipe':
        return `pipe:[${1000 + this.fd}]`;
      case 'socket':
        return `socket:[${1100 + this.fd}]`;
      case 'file':
        return this.label;
    }
  }
  /** /dev/stdin etc.: another description of the same stream (its own direction). */
  override reopen(): OpenFile {
    return new StdioFile(this.stdio, this.fd, this.epochNs, this.ids, this.brokenPipe);
  }
  override sync(): void {
    if (this.kind() !== 'file') fail('EINVAL');
  }
  override get pollable(): boolean {
    return this.kind() !== 'file';
  }
  override poll(): number {
    return this.fd === 0 ? POLLIN | POLLRDNORM : POLLOUT | POLLWRNORM;
  }

  stat(): StatInfo {
    const t = this.epochNs;
    const base = { nlink: 1, size: 0, blocks: 0, rdev: 0, atimeNs: t, mtimeNs: t, ctimeNs: t, ...this.ids };
    switch (this.kind()) {
      case 'tty':
        return { ...base, dev: makedev(0, 24), ino: 3, mode: S_IFCHR | 0o620, gid: 5, rdev: makedev(136, 0), blksize: 1024 };
      case 'pipe':
        return { ...base, dev: makedev(0, 13), ino: 1000 + this.fd, mode: S_IFIFO | 0o600, blksize: 4096 };
      case 'socket':
        return { ...base, dev: makedev(0, 8), ino: 1100 + this.fd, mode: S_IFSOCK | 0o777, blksize: 4096 };
      case 'null':
        return { ...base, dev: makedev(0, 5), ino: 4, mode: S_IFCHR | 0o666, rdev: makedev(1, 3), blksize: 4096 };
      case 'file': {
        const size = this.stdio.fileSize?.(this.fd) ?? 0;
        // Blocks are counted in 512-byte units, allocated a 4 KiB block at a time.
        const blocks = Math.ceil(size / 4096) * 8;
        return { ...base, dev: makedev(254, 0), ino: 2000 + this.fd, mode: S_IFREG | 0o644, size, blocks, blksize: 4096 };
      }
    }
  }
}
