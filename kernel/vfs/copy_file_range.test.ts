// copy_file_range beyond what a spec case (specs/copy_file_range.yaml, run against
// qemu-riscv64) can set up: copies larger than one 1 MiB pass, the superblock rule across
// zerosys's own filesystems and host mounts, and the 2^53 - 1 file-size limit.
// Expected values: Linux 6.1 fs/read_write.c (generic_copy_file_checks: EXDEV across
// superblocks without ->copy_file_range, generic_write_check_limits against s_maxbytes) and
// copy_file_range(2); the limit is zerosys's s_maxbytes (open-files.ts MAX_FILE_SIZE).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { BUF, vfsFixture } from './vfs-test-util.ts';
import { O_CREAT, O_RDONLY, O_RDWR, O_WRONLY } from '../abi.ts';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A loff_t at BUF + at, for an offset pointer. */
function loff(f: ReturnType<typeof vfsFixture>, v: bigint, at: number): number {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, true);
  return f.put(b, BUF + at);
}
const loffAt = (f: ReturnType<typeof vfsFixture>, addr: number) => new DataView(f.mem.read(addr, 8).buffer).getBigInt64(0, true);

describe('copy_file_range', () => {
  it('copies 3 MiB + 5 bytes across 1 MiB passes byte for byte, from an offset', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' } });
    const size = 3 * 1024 * 1024 + 5;
    const src = new Uint8Array(size);
    for (let i = 0; i < size; i++) src[i] = (i * 7 + (i >> 12)) & 0xff;
    const a = f.open('a', O_CREAT | O_RDWR, 0o644);
    for (let done = 0; done < size; done += 0x4000) {
      const part = src.subarray(done, Math.min(done + 0x4000, size));
      f.put(part, BUF);
      expect(f.sys('write', a, BUF, part.length)).toBe(part.length);
    }
    const b = f.open('b', O_CREAT | O_WRONLY, 0o644);
    const offIn = loff(f, 3n, 0x100);
    expect(f.sys('copy_file_range', a, offIn, b, 0, 10 * 1024 * 1024, 0)).toBe(size - 3);
    expect(loffAt(f, offIn)).toBe(BigInt(size));
    expect(f.sys('lseek', b, 0, 1)).toBe(size - 3);
    expect(f.sys('lseek', a, 0, 1)).toBe(size); // a's offset: where the writes left it
    const r = f.open('b', O_RDONLY);
    for (const at of [0, 1024 * 1024 - 3, 1024 * 1024 - 2, 2 * 1024 * 1024, size - 4]) {
      expect(f.sys('pread64', r, BUF, 1, at)).toBe(1);
      expect(f.bytes(1)[0]).toBe(src[at + 3]);
    }
  });

  it('EXDEV between two tmpfs mounts (/tmp and /dev/shm) and between a tmpfs and a host mount', () => {
    const host = mkdtempSync(join(tmpdir(), 'zerosys-cfr-'));
    made.push(host);
    writeFileSync(join(host, 'h.txt'), 'host data');
    const f = vfsFixture({ vfs: { mounts: [{ guest: '/work', host }], cwd: '/work' } });
    const t = f.open('/tmp/t', O_CREAT | O_RDWR, 0o644);
    f.write(t, 'tmp data');
    const s = f.open('/dev/shm/s', O_CREAT | O_RDWR, 0o644);
    const h = f.open('h.txt', O_RDWR);
    expect(f.sys('copy_file_range', t, loff(f, 0n, 0), s, loff(f, 0n, 8), 4, 0)).toBe(-E.EXDEV);
    expect(f.sys('copy_file_range', h, loff(f, 0n, 0), t, loff(f, 0n, 8), 4, 0)).toBe(-E.EXDEV);
    // Within one filesystem it copies, and the bytes reach the host file.
    const h2 = f.open('h2.txt', O_CREAT | O_WRONLY, 0o644);
    expect(f.sys('copy_file_range', h, 0, h2, 0, 100, 0)).toBe(9);
    expect(readFileSync(join(host, 'h2.txt'), 'latin1')).toBe('host data');
  });

  it('two host mounts of one host filesystem are one superblock: the copy goes through', () => {
    const host = mkdtempSync(join(tmpdir(), 'zerosys-cfr-'));
    made.push(host);
    mkdirSync(join(host, 'x'));
    mkdirSync(join(host, 'y'));
    writeFileSync(join(host, 'x', 'in.txt'), 'across mounts');
    const f = vfsFixture({ vfs: { mounts: [{ guest: '/x', host: join(host, 'x') }, { guest: '/y', host: join(host, 'y') }], cwd: '/x' } });
    const i = f.open('/x/in.txt', O_RDONLY);
    const o = f.open('/y/out.txt', O_CREAT | O_WRONLY, 0o644);
    expect(f.sys('copy_file_range', i, 0, o, 0, 100, 0)).toBe(13);
    expect(readFileSync(join(host, 'y', 'out.txt'), 'latin1')).toBe('across mounts');
    // The same host file opened through both mounts is one inode: overlapping ranges EINVAL.
    const again = f.open('/x/in.txt', O_WRONLY);
    expect(f.sys('copy_file_range', i, loff(f, 0n, 0), again, loff(f, 2n, 8), 4, 0)).toBe(-E.EINVAL);
  });

  it('s_maxbytes (2^53 - 1 here): EFBIG at it, a copy ending past it is cut short below it', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' } });
    const MAX = 2n ** 53n - 1n;
    const a = f.open('a', O_CREAT | O_RDWR, 0o644);
    f.write(a, '0123456789');
    const b = f.open('b', O_CREAT | O_RDWR, 0o644);
    expect(f.sys('copy_file_range', a, loff(f, 0n, 0), b, loff(f, MAX, 8), 4, 0)).toBe(-E.EFBIG);
    const offOut = loff(f, MAX - 2n, 8);
    expect(f.sys('copy_file_range', a, loff(f, 0n, 0), b, offOut, 4, 0)).toBe(2);
    expect(loffAt(f, offOut)).toBe(MAX);
    expect(f.sys('pread64', b, BUF, 8, MAX - 2n)).toBe(2);
    expect(f.text(2)).toBe('01');
  });

  it('an O_RDWR descriptor on both sides with one explicit offset: each side keeps its own position', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' } });
    const fd = f.open('a', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'abcdefghij'); // file offset 10
    const offIn = loff(f, 0n, 0);
    // Reads [0, 3) through the pointer, writes at the file offset 10: the file grows.
    expect(f.sys('copy_file_range', fd, offIn, fd, 0, 3, 0)).toBe(3);
    expect(loffAt(f, offIn)).toBe(3n);
    expect(f.sys('lseek', fd, 0, 1)).toBe(13);
    expect(f.sys('pread64', fd, BUF, 20, 0)).toBe(13);
    expect(f.text(13)).toBe('abcdefghijabc');
  });
});
