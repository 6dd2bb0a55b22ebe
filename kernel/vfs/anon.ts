// Anonymous-inode files (eventfd, epoll): Linux backs them all with one inode of the
// anon_inodefs, mode 0600 without a file type bit, so fstat shows exactly that.

import { OpenFile } from './file.ts';
import type { VfsEnv } from './env.ts';
import { makedev, type StatInfo } from './stat.ts';

const ANON_DEV = makedev(0, 14);
const ANON_INO = 1;

export abstract class AnonFile extends OpenFile {
  readonly label: string;
  private readonly createdNs: bigint;
  constructor(
    protected readonly env: VfsEnv,
    /** "eventfd", "[eventpoll]": shown as anon_inode:NAME. */
    name: string,
    flags: number,
  ) {
    super(flags);
    this.label = `anon_inode:${name}`;
    this.createdNs = env.now();
  }
  /**
   * eventfd, epoll, timerfd and signalfd all have .llseek = noop_llseek (fs/eventfd.c,
   * fs/eventpoll.c, fs/timerfd.c, fs/signalfd.c): lseek answers the position, which stays 0.
   */
  override seek(): number {
    return 0;
  }
  stat(): StatInfo {
    const t = this.createdNs;
    return { dev: ANON_DEV, ino: ANON_INO, mode: 0o600, nlink: 1, uid: this.env.uid, gid: this.env.gid, rdev: 0, size: 0, blksize: 4096, blocks: 0, atimeNs: t, mtimeNs: t, ctimeNs: t };
  }
}
