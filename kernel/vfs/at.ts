// *at() conventions, <linux/fcntl.h>.

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_STATX_SYNC_TYPE = 0x6000;
