// pipe2(2): flags beyond O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE → EINVAL
// (O_DIRECT packet mode and notification pipes stop: not provided); two descriptors
// (EMFILE); EFAULT if the int[2] cannot be written (the descriptors are closed again).
// The pipe belongs to the caller's fsuid and fsgid (fs/pipe.c get_pipe_inode()).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MemoryFault } from '../../emulator/memory.ts';
import { O_CLOEXEC, O_DIRECT, O_EXCL, O_NONBLOCK } from './constants.ts';
import { nofileLimit } from './fd-util.ts';
import { Pipe, PipeEnd } from './pipe.ts';

const O_NOTIFICATION_PIPE = O_EXCL;

export function pipe2(k: SyscallContext): number {
  const flags = k.i32(1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) return -E.EINVAL;
  if (flags & O_DIRECT) k.unsupported('O_DIRECT (packet-mode pipe)');
  if (flags & O_NOTIFICATION_PIPE) k.unsupported('O_NOTIFICATION_PIPE');
  const vfs = k.state.vfs;
  const creds = k.state.proc.creds;
  const pipe = new Pipe(vfs, vfs.allocPipeIno(), { uid: creds.uid.fs, gid: creds.gid.fs });
  const fds = k.state.fds;
  const limit = nofileLimit(k);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const reader = new PipeEnd(pipe, true, flags);
  const writer = new PipeEnd(pipe, false, flags);
  const rfd = fds.allocate(reader, limit, cloexec);
  let wfd: number;
  try {
    wfd = fds.allocate(writer, limit, cloexec);
  } catch (e) {
    fds.close(rfd);
    throw e;
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setInt32(0, rfd, true);
  new DataView(out.buffer).setInt32(4, wfd, true);
  try {
    k.mem.write(k.addr(0), out);
  } catch (e) {
    fds.close(rfd);
    fds.close(wfd);
    if (e instanceof MemoryFault) return -E.EFAULT;
    throw e;
  }
  return 0;
}
