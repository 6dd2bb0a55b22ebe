// File-backed mmap through the memory/vfs interface (mappable.ts): a test file class that
// implements OpenFile.pread. Expected behaviour: man 2 mmap / madvise and Linux 6.1
// mm/mmap.c do_mmap (the errno order is cited in mmap.ts).

import { describe, expect, it } from 'vitest';
import { MemoryFault, PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { err, makeFixture, type Fixture } from '../test-support.ts';
import { O_RDONLY, O_RDWR, O_WRONLY, S_IFCHR, S_IFREG } from '../vfs/constants.ts';
import { OpenFile } from '../vfs/file.ts';
import { makedev, type StatInfo } from '../vfs/stat.ts';
import { MADV_DONTNEED, MAP_ANONYMOUS, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, MAP_SYNC } from '../abi.ts';

const RW = PROT_READ | PROT_WRITE;
const P = 0x1000;
const FD = 5;

class TestFile extends OpenFile {
  readonly label = '/data/file.bin';
  holds = 0;
  constructor(
    public data: Uint8Array,
    flags = O_RDONLY,
    private readonly mode = S_IFREG | 0o644,
    private readonly rdev = 0,
  ) {
    super(flags);
  }
  stat(): StatInfo {
    return { dev: 1, ino: 2, mode: this.mode, nlink: 1, uid: 0, gid: 0, rdev: this.rdev, size: this.data.length, blksize: 4096, blocks: 0, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n };
  }
  override pread(len: number, offset: number): Uint8Array {
    return this.data.slice(offset, offset + len);
  }
  override hold(): void {
    this.holds++;
    super.hold();
  }
  override unhold(): void {
    this.holds--;
    super.unhold();
  }
}

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
}

function withFile(file: TestFile): Fixture {
  const f = makeFixture();
  f.kernel.state.fds.install(FD, file);
  return f;
}

describe('private file mappings', () => {
  it('show the file at the offset; the rest of the last page is zero', () => {
    const data = pattern(3 * P + 100);
    const f = withFile(new TestFile(data));
    const a = Number(f.call('mmap', 0, 2 * P + 200, PROT_READ, MAP_PRIVATE, FD, P));
    expect([...f.mem.read(a, 16)]).toEqual([...data.subarray(P, P + 16)]);
    expect(f.mem.ld8u(a + 2 * P + 99)).toBe(data[3 * P + 99]);
    expect(f.mem.ld8u(a + 2 * P + 100)).toBe(0); // past the end of the file, same page
    expect(f.mem.findVma(a)?.name).toBe('/data/file.bin');
  });

  it('writes stay private; MADV_DONTNEED brings the file back', () => {
    const data = pattern(2 * P);
    const file = new TestFile(data);
    const f = withFile(file);
    const a = Number(f.call('mmap', 0, 2 * P, RW, MAP_PRIVATE, FD, 0));
    f.mem.st8(a + 5, 0x55);
    expect(file.data[5]).toBe(data[5]);
    expect(f.call('madvise', a, P, MADV_DONTNEED)).toBe(0n);
    expect(f.mem.ld8u(a + 5)).toBe(data[5]);
  });

  it('mremap growth continues with the next bytes of the file; moving keeps the contents', () => {
    const data = pattern(4 * P);
    const f = withFile(new TestFile(data));
    const a = Number(f.call('mmap', 0x4000_0000, P, PROT_READ, MAP_PRIVATE | 0x10, FD, P));
    expect(f.call('mremap', a, P, 3 * P, 0)).toBe(BigInt(a));
    expect(f.mem.ld8u(a + 2 * P + 1)).toBe(data[3 * P + 1]);
    const b = Number(f.call('mremap', a + P, P, P, 3, 0x5000_0000)); // MAYMOVE|FIXED
    expect(b).toBe(0x5000_0000);
    expect(f.mem.ld8u(b + 9)).toBe(data[2 * P + 9]);
  });

  it('the mapping holds the file until the last page of it is unmapped', () => {
    const file = new TestFile(pattern(2 * P));
    const f = withFile(file);
    const a = Number(f.call('mmap', 0, 2 * P, PROT_READ, MAP_PRIVATE, FD, 0));
    expect(file.holds).toBe(2); // the descriptor and the mapping
    f.call('close', FD);
    expect(file.holds).toBe(1);
    f.call('munmap', a, P);
    expect(file.holds).toBe(1);
    f.call('munmap', a + P, P);
    expect(file.holds).toBe(0);
  });

  it('maps pages wholly past the end of the file; touching them is SIGBUS (filemap_fault: VM_FAULT_SIGBUS)', () => {
    const f = withFile(new TestFile(pattern(P + 1)));
    const at = Number(f.call('mmap', 0, 3 * P, PROT_READ, MAP_PRIVATE, FD, 0));
    expect(at).toBeGreaterThan(0);
    expect(f.mem.ld8u(at + P)).toBe(pattern(P + 1)[P]); // the file's last byte, in its partial last page
    expect(f.mem.ld8u(at + P + 1)).toBe(0); // the rest of that page reads zero
    let fault: unknown;
    try {
      f.mem.ld8u(at + 2 * P);
    } catch (e) {
      fault = e;
    }
    expect(fault).toBeInstanceOf(MemoryFault);
    expect((fault as MemoryFault).bus).toBe(true);
    expect(f.mem.findVma(at + 2 * P)?.prot).toBe(PROT_READ); // /proc/self/maps shows the mapping as asked
  });
});

describe('file mapping errors, in do_mmap order', () => {
  it('EBADF, EACCES, EOPNOTSUPP, ENODEV', () => {
    const f = withFile(new TestFile(pattern(P), O_WRONLY));
    expect(f.call('mmap', 0, P, PROT_READ, MAP_PRIVATE, 9, 0)).toBe(err(E.EBADF));
    expect(f.call('mmap', 0, P, PROT_READ, MAP_PRIVATE, FD, 0)).toBe(err(E.EACCES)); // not readable
    const g = withFile(new TestFile(pattern(P), O_RDONLY));
    expect(g.call('mmap', 0, P, RW, MAP_SHARED, FD, 0)).toBe(err(E.EACCES)); // shared writable needs FMODE_WRITE
    expect(g.call('mmap', 0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, FD, 0)).toBe(err(E.EOPNOTSUPP));
    expect(g.call('mmap', 0, P, PROT_READ, MAP_PRIVATE, 1, 0)).toBe(err(E.EACCES)); // stdout: write-only
    expect(g.call('mmap', 0, P, PROT_READ, MAP_PRIVATE, 0, 0)).toBe(err(E.ENODEV)); // stdin: a pipe
    expect(() => g.call('mmap', 0, P, PROT_READ, MAP_SHARED, FD, 0)).toThrowError(/unsupported MAP_SHARED mapping of \/data\/file.bin \(only regular files of a tmpfs or a host mount\)/); // neither tmpfs nor host: a test file
  });

  it('/dev/zero maps anonymous memory (shared → shmem)', () => {
    const zero = new TestFile(new Uint8Array(0), O_RDWR, S_IFCHR | 0o666, makedev(1, 5));
    const f = withFile(zero);
    const a = Number(f.call('mmap', 0, 2 * P, RW, MAP_PRIVATE, FD, 0));
    expect(f.mem.ld8(a + P)).toBe(0);
    const s = Number(f.call('mmap', 0, P, RW, MAP_SHARED, FD, 0));
    expect(f.mem.findVma(s)?.name).toBe('/dev/zero (deleted)');
    expect(f.call('mmap', 0, P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) > 0n).toBe(true);
  });
});
