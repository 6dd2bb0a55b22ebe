// Flag values of the riscv64 (asm-generic) file ABI. The values live in the generated
// kernel/abi.ts (rerun kernel/gen-abi.ts); this module re-exports the ones the VFS uses and
// adds what the kernel derives from them.

import { O_APPEND, O_ASYNC, O_DIRECT, O_NOATIME, O_NONBLOCK, S_IFBLK, S_IFCHR, S_IFMT, S_IFDIR, S_IFIFO, S_IFLNK, S_IFREG, S_IFSOCK, DT_BLK, DT_CHR, DT_DIR, DT_FIFO, DT_LNK, DT_REG, DT_SOCK } from '../abi.ts';

export {
  O_ACCMODE,
  O_RDONLY,
  O_WRONLY,
  O_RDWR,
  O_CREAT,
  O_EXCL,
  O_NOCTTY,
  O_TRUNC,
  O_APPEND,
  O_NONBLOCK,
  O_DSYNC,
  O_ASYNC,
  O_DIRECT,
  O_LARGEFILE,
  O_DIRECTORY,
  O_NOFOLLOW,
  O_NOATIME,
  O_CLOEXEC,
  O_SYNC,
  O_PATH,
  O_TMPFILE,
  S_IFMT,
  S_IFSOCK,
  S_IFLNK,
  S_IFREG,
  S_IFBLK,
  S_IFDIR,
  S_IFCHR,
  S_IFIFO,
  S_ISUID,
  S_ISGID,
  DT_FIFO,
  DT_CHR,
  DT_DIR,
  DT_BLK,
  DT_REG,
  DT_LNK,
  DT_SOCK,
  SEEK_SET,
  SEEK_CUR,
  SEEK_END,
  SEEK_DATA,
  SEEK_HOLE,
  POLLIN,
  POLLPRI,
  POLLOUT,
  POLLERR,
  POLLHUP,
  POLLNVAL,
  POLLRDNORM,
  POLLRDBAND,
  POLLWRNORM,
  POLLWRBAND,
  POLLRDHUP,
  NAME_MAX,
} from '../abi.ts';
/** The __O_TMPFILE bit alone (O_TMPFILE is __O_TMPFILE | O_DIRECTORY). */
export { __O_TMPFILE as O_TMPFILE_BIT } from '../abi.ts';

/** Flags F_SETFL may change (fs/fcntl.c SETFL_MASK). */
export const SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

/** Symlinks followed in one lookup before ELOOP (fs/namei.c MAXSYMLINKS). */
export const MAXSYMLINKS = 40;

export type FileType = 'reg' | 'dir' | 'lnk' | 'chr' | 'blk' | 'fifo' | 'sock';

export const TYPE_MODE: Record<FileType, number> = {
  reg: S_IFREG,
  dir: S_IFDIR,
  lnk: S_IFLNK,
  chr: S_IFCHR,
  blk: S_IFBLK,
  fifo: S_IFIFO,
  sock: S_IFSOCK,
};

const TYPE_OF_FMT = new Map(Object.entries(TYPE_MODE).map(([type, fmt]) => [fmt, type as FileType]));
/** The FileType of an st_mode's S_IFMT bits (undefined for none). */
export const typeOfMode = (mode: number): FileType | undefined => TYPE_OF_FMT.get(mode & S_IFMT);

export const TYPE_DT: Record<FileType, number> = {
  reg: DT_REG,
  dir: DT_DIR,
  lnk: DT_LNK,
  chr: DT_CHR,
  blk: DT_BLK,
  fifo: DT_FIFO,
  sock: DT_SOCK,
};
