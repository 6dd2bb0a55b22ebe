// What mmap needs from an open file — the interface between the memory and vfs modules.
//
//   'file'  a regular file: its bytes are read with OpenFile.pread(len, offset)
//   'zero'  /dev/zero: Linux turns the mapping into anonymous memory (shared → shmem)
//   'none'  no mmap file operation (pipes, terminals, directories, /dev/null, ...): ENODEV
//
// A file class states its kind with an `mmapKind` property; without one the kind follows
// from fstat: regular files are 'file', the character device 1:5 is 'zero', the rest 'none'.

import type { OpenFile } from '../vfs/fd-table.ts';
import { S_IFCHR, S_IFMT, S_IFREG, makedev } from '../vfs/stat.ts';

export type MmapKind = 'file' | 'zero' | 'none';

export interface MmapCapable {
  readonly mmapKind?: MmapKind;
}

const DEV_ZERO = makedev(1, 5);

export function mmapKind(file: OpenFile): MmapKind {
  const stated = (file as OpenFile & MmapCapable).mmapKind;
  if (stated) return stated;
  const st = file.stat();
  if ((st.mode & S_IFMT) === S_IFREG) return 'file';
  if ((st.mode & S_IFMT) === S_IFCHR && st.rdev === DEV_ZERO) return 'zero';
  return 'none';
}
