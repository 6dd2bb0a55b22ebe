// Flag values of the riscv64 (asm-generic) file ABI, printed by a riscv64 program built
// against the cross headers (<fcntl.h>, <asm-generic/fcntl.h>, <linux/stat.h>, <poll.h>,
// <sys/epoll.h>, <sys/eventfd.h>, <dirent.h>).

// open(2) flags.
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_CREAT = 0x40;
export const O_EXCL = 0x80;
export const O_NOCTTY = 0x100;
export const O_TRUNC = 0x200;
export const O_APPEND = 0x400;
export const O_NONBLOCK = 0x800;
export const O_DSYNC = 0x1000;
export const O_ASYNC = 0x2000;
export const O_DIRECT = 0x4000;
export const O_LARGEFILE = 0x8000;
export const O_DIRECTORY = 0x10000;
export const O_NOFOLLOW = 0x20000;
export const O_NOATIME = 0x40000;
export const O_CLOEXEC = 0x80000;
export const O_SYNC = 0x101000;
export const O_PATH = 0x200000;
/** O_TMPFILE is __O_TMPFILE | O_DIRECTORY. */
export const O_TMPFILE = 0x410000;
export const O_TMPFILE_BIT = 0x400000;

/** Flags F_SETFL may change (fs/fcntl.c SETFL_MASK). */
export const SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;

// st_mode file types, <linux/stat.h>.
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;

// getdents64 d_type, <dirent.h>.
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

// lseek whence.
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
export const SEEK_DATA = 3;
export const SEEK_HOLE = 4;

// poll(2) events.
export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;
export const POLLRDBAND = 0x80;
export const POLLWRNORM = 0x100;
export const POLLWRBAND = 0x200;
export const POLLRDHUP = 0x2000;

/** NAME_MAX, <linux/limits.h>. */
export const NAME_MAX = 255;
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

export const TYPE_DT: Record<FileType, number> = {
  reg: DT_REG,
  dir: DT_DIR,
  lnk: DT_LNK,
  chr: DT_CHR,
  blk: DT_BLK,
  fifo: DT_FIFO,
  sock: DT_SOCK,
};
