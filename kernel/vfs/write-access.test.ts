// i_writecount (include/linux/fs.h, Linux 6.1) as the VFS nodes keep it (node.ts): +1 for each
// open file description with write access (do_dentry_open() get_write_access(), dropped at
// __fput()), below 0 while a process runs the file (deny_write_access()); ETXTBSY where the two
// meet. Host files count per host inode, whichever mount shows them (hostfs.ts).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHart } from '../../emulator/hart.ts';
import { minimalElf } from '../../emulator/loader/test-elf.ts';
import { E } from '../errno.ts';
import { LAYOUT } from '../test-support.ts';
import { O_CREAT, O_RDONLY, O_RDWR, O_TMPFILE, O_WRONLY } from '../abi.ts';
import { vfsFixture } from './vfs-test-util.ts';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const ARGV = LAYOUT.data + 0x6000;

function fixture(vfs: Record<string, unknown> = {}) {
  const f = vfsFixture({ vfs: { cwd: '/tmp', ...vfs }, newMachine: () => createHart() });
  const exec = (path: string) => {
    f.mem.write(ARGV, new Uint8Array(8));
    return f.sys('execve', path, ARGV, 0);
  };
  const opens = (path: string, flags: number) => {
    const fd = f.open(path, flags);
    if (fd >= 0) f.sys('close', fd);
    return fd >= 0 ? 0 : fd;
  };
  const node = (path: string) => f.kernel.state.vfs.ns.resolve(f.kernel.state.vfs.cwd, path, true).node;
  return { f, exec, opens, node };
}

describe('i_writecount', () => {
  it('counts descriptions open for writing (not descriptors, not readers, not O_PATH); released at the last close', () => {
    const { f, node } = fixture();
    const fd = f.open('a', O_WRONLY | O_CREAT, 0o755);
    expect(node('a').writeCount).toBe(1);
    const rw = f.open('a', O_RDWR);
    const dup = f.sys('dup', rw);
    const ro = f.open('a', O_RDONLY);
    const path = f.open('a', 0o10000000 | O_WRONLY); // O_PATH keeps no access mode
    expect(node('a').writeCount).toBe(2);
    f.sys('close', rw);
    expect(node('a').writeCount).toBe(2);
    f.sys('close', dup);
    f.sys('close', fd);
    f.sys('close', ro);
    f.sys('close', path);
    expect(node('a').writeCount).toBe(0);
    expect(f.open('a', 3)).toBeGreaterThanOrEqual(0); // access mode 3: neither FMODE_READ nor FMODE_WRITE (OPEN_FMODE)
    expect(node('a').writeCount).toBe(0);
  });

  it('an open that fails after get_write_access() gives it back', () => {
    const { f, node } = fixture();
    f.sys('close', f.open('a', O_WRONLY | O_CREAT, 0o644));
    expect(f.sys('setresuid', 1000, 1000, 1000)).toBe(0);
    expect(f.open('a', O_WRONLY)).toBe(-E.EACCES); // may_open() before do_dentry_open()
    expect(node('a').writeCount).toBe(0);
  });

  it("memfd_create's own description does not count (alloc_file_pseudo), a reopen for writing does; O_TMPFILE counts", () => {
    const { f, exec } = fixture();
    const m = f.sys('memfd_create', 'm', 0);
    const elf = Buffer.from(minimalElf()).toString('latin1');
    expect(f.write(m, elf)).toBe(elf.length);
    const rw = f.open(`/proc/self/fd/${m}`, O_RDWR);
    expect(exec(`/proc/self/fd/${m}`)).toBe(-E.ETXTBSY);
    f.sys('close', rw);
    expect(exec(`/proc/self/fd/${m}`)).toBe(0); // fexecve of a memfd
    const { f: g, exec: exec2 } = fixture();
    const t = g.open('/tmp', O_TMPFILE | O_RDWR, 0o755);
    expect(g.write(t, elf)).toBe(elf.length);
    expect(exec2(`/proc/self/fd/${t}`)).toBe(-E.ETXTBSY);
  });

  it('a host file counts per host inode: a writer through one mount shuts out an exec through another, and back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-writecount-'));
    made.push(dir);
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'd', 'prog'), minimalElf(), { mode: 0o755 });
    writeFileSync(join(dir, 'd', 'other'), minimalElf(), { mode: 0o755 });
    const mounts = [
      { guest: '/one', host: join(dir, 'd') },
      { guest: '/two', host: join(dir, 'd') },
    ];
    const { f, exec, opens } = fixture({ mounts, cwd: '/' });
    const fd = f.open('/two/other', O_WRONLY);
    expect(exec('/one/other')).toBe(-E.ETXTBSY);
    f.sys('close', fd);
    expect(exec('/one/other')).toBe(0);
    // The first program on a host mount runs from there.
    const p = fixture({ mounts: [{ guest: join(dir, 'd'), host: join(dir, 'd') }, ...mounts], cwd: '/', program: { path: join(dir, 'd', 'prog'), bytes: minimalElf() } });
    expect(p.opens('/two/prog', O_WRONLY)).toBe(-E.ETXTBSY);
    expect(p.opens(join(dir, 'd', 'prog'), O_RDWR)).toBe(-E.ETXTBSY);
    expect(p.opens('/one/other', O_RDWR)).toBe(0);
    expect(opens('/one/prog', O_WRONLY)).toBe(0); // another run: nothing of it runs there
  });

  it('a program shown elsewhere than where the guest finds a file of that name is not denied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-writecount-'));
    made.push(dir);
    writeFileSync(join(dir, 'prog'), 'another file');
    const { opens } = fixture({ mounts: [{ guest: '/usr/bin', host: dir }], cwd: '/', program: { path: '/usr/bin/prog', bytes: minimalElf() } });
    expect(opens('/usr/bin/prog', O_WRONLY)).toBe(0);
  });
});
