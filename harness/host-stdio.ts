// Guest standard streams backed by the host's fds 0-2 (the `zerosys run` CLI), or by
// buffers (tests, the conformance runner).

import { fstatSync, readSync, statSync, writeSync, type Stats } from 'node:fs';
import { isatty } from 'node:tty';
import { HostBrokenPipe, type Stdio, type StdioKind } from '../kernel/api.ts';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function isErrno(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === code;
}

/**
 * What the guest's fd shows for a host stream (kernel/vfs/stdio-file.ts draws the stat):
 * a terminal, a regular file (`<in`, `>out`), /dev/null (matched by its device number), a
 * socket (Node's child_process gives its children socketpairs), or else a pipe — other
 * devices (e.g. `</dev/zero`) are streams the guest can only read or write in order.
 */
export function classifyStream(st: Pick<Stats, 'isFile' | 'isCharacterDevice' | 'isSocket' | 'rdev'>, tty: boolean, devNullRdev: number | undefined): StdioKind {
  if (tty) return 'tty';
  if (st.isFile()) return 'file';
  if (st.isCharacterDevice() && st.rdev === devNullRdev) return 'null';
  if (st.isSocket()) return 'socket';
  return 'pipe';
}

function devNullRdev(): number | undefined {
  try {
    return statSync('/dev/null').rdev;
  } catch {
    return undefined;
  }
}

export class HostStdio implements Stdio {
  private kinds?: StdioKind[];
  readStdin(len: number): Uint8Array {
    const buf = new Uint8Array(Math.max(0, Math.min(len, 1 << 20)));
    for (;;) {
      try {
        const n = readSync(0, buf, 0, buf.length, null);
        return buf.subarray(0, n);
      } catch (e) {
        if (isErrno(e, 'EAGAIN')) {
          Atomics.wait(sleeper, 0, 0, 5); // non-blocking host stdin: wait for data
          continue;
        }
        if (isErrno(e, 'EOF')) return buf.subarray(0, 0);
        throw e;
      }
    }
  }
  write(fd: 1 | 2, data: Uint8Array): void {
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(fd, data, off, data.length - off);
      } catch (e) {
        if (isErrno(e, 'EAGAIN')) {
          Atomics.wait(sleeper, 0, 0, 1);
          continue;
        }
        // The reader went away (`| head`): as Linux's pipe_write, SIGPIPE and EPIPE only
        // when nothing was written; a partial write stands.
        if (isErrno(e, 'EPIPE')) {
          if (off === 0) throw new HostBrokenPipe();
          return;
        }
        throw e;
      }
    }
  }
  isatty(fd: 0 | 1 | 2): boolean {
    return isatty(fd);
  }
  /** Fixed at the first question: the host streams do not change under a running guest. */
  kind(fd: 0 | 1 | 2): StdioKind {
    if (!this.kinds) {
      const nullRdev = devNullRdev();
      this.kinds = [0, 1, 2].map((f) => {
        try {
          return classifyStream(fstatSync(f), isatty(f), nullRdev);
        } catch {
          return 'pipe'; // a closed host fd: reads see EOF, writes vanish, as before
        }
      });
    }
    return this.kinds[fd];
  }
  /** The file's size now (Linux's st_size of `>out` grows with the guest's writes). */
  fileSize(fd: 0 | 1 | 2): number {
    try {
      return fstatSync(fd).size;
    } catch {
      return 0;
    }
  }
}

/** In-memory streams: stdin from a buffer, stdout/stderr collected. */
export class BufferStdio implements Stdio {
  private inPos = 0;
  readonly out: Uint8Array[] = [];
  readonly err: Uint8Array[] = [];
  constructor(private readonly stdin: Uint8Array = new Uint8Array(0)) {}
  readStdin(len: number): Uint8Array {
    const chunk = this.stdin.subarray(this.inPos, this.inPos + len);
    this.inPos += chunk.length;
    return chunk.slice();
  }
  write(fd: 1 | 2, data: Uint8Array): void {
    (fd === 1 ? this.out : this.err).push(data.slice());
  }
  isatty(): boolean {
    return false;
  }
  stdout(): Buffer {
    return Buffer.concat(this.out);
  }
  stderr(): Buffer {
    return Buffer.concat(this.err);
  }
}
