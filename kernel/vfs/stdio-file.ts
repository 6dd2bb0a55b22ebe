// Guest fds 0, 1, 2 backed by the host-provided Stdio. What fstat shows is synthetic and
// fixed per kind (no host inode, device or time leaks in):
//
//   tty   /dev/pts/0: S_IFCHR|0620, rdev 136:0, uid 0 gid 5 (tty), blksize 1024; the three
//         fds share one inode when they are all the terminal, as after a login shell.
//   pipe  pipefs: S_IFIFO|0600, one pipe per fd, blksize 4096.
//   file  regular file: S_IFREG|0644, size from Stdio.fileSize, blksize 4096.
//   null  /dev/null: S_IFCHR|0666, rdev 1:3.
// Timestamps are the virtual clock's epoch (the streams were opened before the guest ran).
// fd 0 is read-only and fds 1-2 write-only (as for pipes and files; a terminal opened O_RDWR
// would also accept write(0) on Linux — here that is EBADF).

import type { Stdio, StdioKind } from '../api.ts';
import type { OpenFile } from './fd-table.ts';
import { S_IFCHR, S_IFIFO, S_IFREG, makedev, type StatInfo } from './stat.ts';

type StdFd = 0 | 1 | 2;
const LABELS = ['stdin', 'stdout', 'stderr'];

export class StdioFile implements OpenFile {
  readonly readable: boolean;
  readonly writable: boolean;
  readonly label: string;
  constructor(
    private readonly stdio: Stdio,
    private readonly fd: StdFd,
    private readonly epochNs: bigint,
    private readonly ids: { uid: number; gid: number },
  ) {
    this.readable = fd === 0;
    this.writable = fd !== 0;
    this.label = LABELS[fd];
  }

  read(len: number): Uint8Array {
    const data = this.stdio.readStdin(len);
    return data.length > len ? data.subarray(0, len) : data;
  }
  write(data: Uint8Array): void {
    this.stdio.write(this.fd as 1 | 2, data);
  }
  isatty(): boolean {
    return this.stdio.isatty(this.fd);
  }
  kind(): StdioKind {
    return this.stdio.kind?.(this.fd) ?? (this.isatty() ? 'tty' : 'pipe');
  }

  stat(): StatInfo {
    const base = { nlink: 1, size: 0, blocks: 0, rdev: 0, timeNs: this.epochNs, ...this.ids };
    switch (this.kind()) {
      case 'tty':
        return { ...base, dev: makedev(0, 24), ino: 3, mode: S_IFCHR | 0o620, gid: 5, rdev: makedev(136, 0), blksize: 1024 };
      case 'pipe':
        return { ...base, dev: makedev(0, 13), ino: 1000 + this.fd, mode: S_IFIFO | 0o600, blksize: 4096 };
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
