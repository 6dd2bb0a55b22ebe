// /dev: a tmpfs (as devtmpfs is) holding the memory devices of drivers/char/mem.c and
// random.c, /dev/tty, /dev/shm and the /dev/fd links.
//
//   null     1:3  reads end at once, writes vanish
//   zero     1:5  reads zeros, writes vanish
//   full     1:7  reads zeros, writes fail ENOSPC
//   random   1:8  } reads the seeded stream of kernel/random (the same one getrandom uses),
//   urandom  1:9  } so output is a function of --seed; writes are accepted and ignored
//   tty      5:0  the guest has no controlling terminal: open fails ENXIO, as on Linux
// lseek on these returns 0 (null/zero/full: null_lseek) or leaves the offset (random:
// noop_llseek, also 0 since reads never move it).

import { fail } from '../errors.ts';
import type { RandomStream } from '../random/xoshiro.ts';
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM } from './constants.ts';
import type { OpenFile } from './file.ts';
import type { Loc } from './namespace.ts';
import { LocatedFile } from './open-files.ts';
import { makedev } from './stat.ts';
import { TmpFs, type Device } from './tmpfs.ts';

type Kind = 'null' | 'zero' | 'full' | 'random';

class MemDeviceFile extends LocatedFile {
  constructor(
    loc: Loc,
    flags: number,
    private readonly kind: Kind,
    private readonly random: RandomStream,
  ) {
    super(loc, flags);
  }
  override read(len: number): Uint8Array {
    switch (this.kind) {
      case 'null':
        return new Uint8Array(0);
      case 'random':
        return this.random.bytes(len);
      default:
        return new Uint8Array(len);
    }
  }
  override write(data: Uint8Array): number {
    if (this.kind === 'full') fail('ENOSPC');
    return data.length;
  }
  override pread(len: number): Uint8Array {
    return this.read(len);
  }
  override pwrite(data: Uint8Array): number {
    return this.write(data);
  }
  override seek(): number {
    return 0;
  }
  override get pollable(): boolean {
    return this.kind === 'random';
  }
  override poll(): number {
    return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
  }
}

function memDevice(minor: number, kind: Kind, random: RandomStream): Device {
  return { rdev: makedev(1, minor), open: (loc, flags) => new MemDeviceFile(loc, flags, kind, random) };
}

const noTty: Device = {
  rdev: makedev(5, 0),
  open: (): OpenFile => fail('ENXIO'),
};

export function buildDevFs(dev: number, now: () => bigint, random: RandomStream, maxPages?: () => number): TmpFs {
  const fs = new TmpFs(dev, now, { fsType: 'devtmpfs', rootMode: 0o755, maxPages });
  const root = fs.root;
  fs.addDevice(root, 'null', memDevice(3, 'null', random));
  fs.addDevice(root, 'zero', memDevice(5, 'zero', random));
  fs.addDevice(root, 'full', memDevice(7, 'full', random));
  fs.addDevice(root, 'random', memDevice(8, 'random', random));
  fs.addDevice(root, 'urandom', memDevice(9, 'random', random));
  fs.addDevice(root, 'tty', noTty);
  fs.addSymlink(root, 'fd', '/proc/self/fd');
  fs.addSymlink(root, 'stdin', '/proc/self/fd/0');
  fs.addSymlink(root, 'stdout', '/proc/self/fd/1');
  fs.addSymlink(root, 'stderr', '/proc/self/fd/2');
  fs.addDir(root, 'shm', 0o1777);
  return fs;
}
