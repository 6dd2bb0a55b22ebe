// System V shared memory (shm.ts, shmget.ts, shmat.ts, shmdt.ts, shmctl.ts) against Linux 6.1
// ipc/shm.c: size and key rules, attach addresses, shm_nattch as VMAs come and go (attach,
// fork's copy, munmap, a split, shmdt), IPC_RMID while attached, and the shmctl commands.

import { describe, expect, it } from 'vitest';
import { PROT_READ as PAGE_READ, PROT_WRITE as PAGE_WRITE } from '../../emulator/memory.ts';
import {
  IPC_CREAT,
  IPC_EXCL,
  IPC_INFO,
  IPC_PRIVATE,
  IPC_RMID,
  IPC_SET,
  IPC_STAT,
  SHM_EXEC,
  SHM_INFO,
  SHM_LOCK,
  SHM_NORESERVE,
  SHM_RDONLY,
  SHM_REMAP,
  SHM_RND,
  SHM_STAT,
  SHM_STAT_ANY,
  SHM_UNLOCK,
  SHMMNI,
} from '../abi.ts';
import { SHMID64_DS, SHMINFO64, SHM_INFO_STRUCT } from '../abi-structs.ts';
import { E } from '../errno.ts';
import { RLIMIT } from '../process/limits.ts';
import { MmState, PLAIN } from '../memory/mm-state.ts';
import { AnonPages, SharedObject } from '../memory/shared.ts';
import { err, LAYOUT, makeFixture, type Fixture } from '../test-support.ts';
import { SHMMAX, SHM_DEST, SHM_LOCKED, shmStateOf } from './shm.ts';

const P = 4096;
const S = LAYOUT.data + 0x800; // a struct buffer

function stat(f: Fixture, id: number): Buffer {
  f.mem.write(S, new Uint8Array(SHMID64_DS.SIZE).fill(0xa5));
  expect(f.call('shmctl', id, IPC_STAT, S)).toBe(0n);
  return Buffer.from(f.mem.read(S, SHMID64_DS.SIZE));
}
const nattch = (f: Fixture, id: number) => stat(f, id).readBigUInt64LE(SHMID64_DS.shm_nattch);
const mode = (f: Fixture, id: number) => stat(f, id).readUInt32LE(SHMID64_DS.shm_perm + 20);

describe('shmget', () => {
  it('sizes: 0 and past SHMMAX EINVAL, past LLONG_MAX EINVAL (shmem), past the machine ENOMEM unless SHM_NORESERVE', () => {
    const f = makeFixture();
    expect(f.call('shmget', IPC_PRIVATE, 0, 0o600)).toBe(err(E.EINVAL));
    expect(f.call('shmget', IPC_PRIVATE, SHMMAX + 1n, 0o600)).toBe(err(E.EINVAL));
    expect(f.call('shmget', IPC_PRIVATE, 1n << 63n, 0o600 | SHM_NORESERVE)).toBe(err(E.EINVAL));
    expect(f.call('shmget', IPC_PRIVATE, 5n << 30n, 0o600)).toBe(err(E.ENOMEM)); // 5 GiB on the 4 GiB machine
    expect(f.call('shmget', IPC_PRIVATE, 4n << 30n, 0o600)).toBe(0n); // all of it: not more pages than RAM
    expect(f.call('shmget', IPC_PRIVATE, 1n << 62n, 0o600 | SHM_NORESERVE)).toBe(1n);
    expect(shmStateOf(f.kernel.state).tot).toBe((4n << 30n) / 4096n + (1n << 50n));
  });

  it('keys: ENOENT, EEXIST, a larger size than the segment EINVAL (before EACCES), the same id', () => {
    const f = makeFixture();
    expect(f.call('shmget', 0x1234, 100, 0o600)).toBe(err(E.ENOENT));
    const id = f.call('shmget', 0x1234, 100, IPC_CREAT | 0o600);
    expect(id).toBe(0n);
    expect(f.call('shmget', 0x1234, 100, IPC_CREAT | IPC_EXCL | 0o600)).toBe(err(E.EEXIST));
    expect(f.call('shmget', 0x1234, 101, 0)).toBe(err(E.EINVAL));
    expect(f.call('shmget', 0x1234, 0, 0)).toBe(id); // size 0 is fine for an existing key
    expect(f.call('shmget', 0x1234, 100, IPC_CREAT)).toBe(id);
  });

  it('ENOSPC past SHMMNI segments', () => {
    const f = makeFixture();
    for (let i = 0; i < SHMMNI; i++) expect(f.call('shmget', IPC_PRIVATE, 1, 0o600)).toBeGreaterThanOrEqual(0n);
    expect(f.call('shmget', IPC_PRIVATE, 1, 0o600)).toBe(err(E.ENOSPC));
  });
});

describe('shmat and shmdt', () => {
  it('two attachments share the pages; RDONLY and EXEC protections; the maps name; nattch and lpid', () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', 0xabc, 2 * P, IPC_CREAT | 0o600));
    const a = Number(f.call('shmat', id, 0, 0));
    const b = Number(f.call('shmat', id, 0, SHM_RDONLY));
    expect(a % P).toBe(0);
    expect(b).not.toBe(a);
    expect(nattch(f, id)).toBe(2n);
    f.mem.write(a + P + 5, new Uint8Array([42]));
    expect([...f.mem.read(b + P + 5, 1)]).toEqual([42]);
    expect(f.mem.findVma(a)!.prot).toBe(PAGE_READ | PAGE_WRITE);
    expect(f.mem.findVma(b)!.prot).toBe(PAGE_READ);
    expect(f.mem.findVma(a)!.name).toBe('/SYSV00000abc (deleted)');
    const st = stat(f, id);
    expect(st.readInt32LE(SHMID64_DS.shm_cpid)).toBe(1000);
    expect(st.readInt32LE(SHMID64_DS.shm_lpid)).toBe(1000);
    expect(st.readBigUInt64LE(SHMID64_DS.shm_segsz)).toBe(BigInt(2 * P));
    expect(st.readBigUInt64LE(SHMID64_DS.__unused4)).toBe(0n);
    const c = Number(f.call('shmat', id, 0, SHM_EXEC));
    expect(f.mem.findVma(c)!.prot & 4).toBe(4);
    // A detached attachment's pages stay in the segment: a new one reads them.
    expect(f.call('shmdt', a)).toBe(0n);
    expect(f.call('shmdt', b)).toBe(0n);
    expect(f.call('shmdt', c)).toBe(0n);
    expect(nattch(f, id)).toBe(0n);
    const d = Number(f.call('shmat', id, 0, 0));
    expect([...f.mem.read(d + P + 5, 1)]).toEqual([42]);
  });

  it('address rules: SHM_RND rounds, unaligned EINVAL, NULL with SHM_REMAP EINVAL, overlap EINVAL unless SHM_REMAP', () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', IPC_PRIVATE, P, 0o600));
    const m = Number(f.call('mmap', 0, 4 * P, 3, 0x22, -1, 0)); // MAP_PRIVATE|MAP_ANONYMOUS
    expect(f.call('munmap', m, 4 * P)).toBe(0n);
    expect(f.call('shmat', id, m + 100, 0)).toBe(err(E.EINVAL));
    expect(f.call('shmat', id, m + P + 100, SHM_RND)).toBe(BigInt(m + P));
    expect(f.call('shmat', id, m + P, 0)).toBe(err(E.EINVAL)); // taken
    expect(f.call('shmat', id, m + P, SHM_REMAP)).toBe(BigInt(m + P));
    expect(f.call('shmat', id, 0, SHM_REMAP)).toBe(err(E.EINVAL));
    expect(f.call('shmat', id, 100, SHM_RND | SHM_REMAP)).toBe(err(E.EINVAL)); // rounds to 0
    expect(f.call('shmat', -1, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('shmat', id + 1, 0, 0)).toBe(err(E.EINVAL));
    expect(nattch(f, id)).toBe(1n); // the SHM_REMAP attachment replaced the first
  });

  it('EACCES without the mode bits (no CAP_IPC_OWNER); RDONLY needs read only', () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', IPC_PRIVATE, P, 0o400));
    const creds = f.kernel.state.proc.creds;
    creds.effective = 0n;
    expect(f.call('shmat', id, 0, 0)).toBe(err(E.EACCES));
    expect(f.call('shmat', id, 0, SHM_RDONLY)).toBeGreaterThan(0n);
  });

  it('shmdt: off a page or where no attachment starts EINVAL; a split attachment goes whole, its pieces counted', () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', IPC_PRIVATE, 3 * P, 0o600));
    const a = Number(f.call('shmat', id, 0, 0));
    expect(f.call('shmdt', a + 1)).toBe(err(E.EINVAL));
    expect(f.call('shmdt', a + P)).toBe(err(E.EINVAL)); // inside: vm_pgoff does not match
    expect(f.call('munmap', a + P, P)).toBe(0n); // split: two VMAs, shm_open then shm_close
    expect(nattch(f, id)).toBe(2n);
    expect(f.call('shmdt', a)).toBe(0n);
    expect(f.mem.findVma(a + 2 * P)).toBeUndefined();
    expect(nattch(f, id)).toBe(0n);
    // An attachment whose head was unmapped is still found from the attach address.
    const b = Number(f.call('shmat', id, 0, 0));
    expect(f.call('munmap', b, P)).toBe(0n);
    expect(nattch(f, id)).toBe(1n);
    expect(f.call('shmdt', b)).toBe(0n);
    expect(nattch(f, id)).toBe(0n);
    expect(f.call('shmdt', b)).toBe(err(E.EINVAL));
  });

  it('IPC_RMID while attached: SHM_DEST, key IPC_PRIVATE, still attachable by id; gone at the last detach', () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', 0x77, P, IPC_CREAT | 0o600));
    const a = Number(f.call('shmat', id, 0, 0));
    expect(f.call('shmctl', id, IPC_RMID, 0)).toBe(0n);
    expect(mode(f, id)).toBe(0o600 | SHM_DEST);
    expect(stat(f, id).readInt32LE(0)).toBe(IPC_PRIVATE);
    expect(f.call('shmget', 0x77, P, 0o600)).toBe(err(E.ENOENT)); // the key no longer finds it
    const b = Number(f.call('shmat', id, 0, 0));
    expect(nattch(f, id)).toBe(2n);
    expect(f.call('munmap', b, P)).toBe(0n); // munmap detaches too
    expect(nattch(f, id)).toBe(1n);
    expect(f.call('shmdt', a)).toBe(0n);
    expect(f.call('shmctl', id, IPC_STAT, S)).toBe(err(E.EINVAL));
    expect(shmStateOf(f.kernel.state).tot).toBe(0n);
    expect(f.call('shmget', 0x77, P, IPC_CREAT | 0o600)).toBe(1n); // a new segment for the key
  });

  it("fork's copy of the address space counts as attachments (shm_open), forgetting them detaches", () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', IPC_PRIVATE, P, 0o600));
    const a = Number(f.call('shmat', id, 0, 0));
    const child = f.kernel.state.mm.clone();
    expect(nattch(f, id)).toBe(2n);
    expect(f.call('shmctl', id, IPC_RMID, 0)).toBe(0n);
    expect(f.call('shmdt', a)).toBe(0n);
    expect(nattch(f, id)).toBe(1n); // the child's
    child.forget(a, a + P);
    expect(f.call('shmctl', id, IPC_STAT, S)).toBe(err(E.EINVAL));
  });
});

describe('shmctl', () => {
  it('IPC_INFO, SHM_INFO, SHM_STAT(_ANY) by index, unknown and IPC_64 commands EINVAL', () => {
    const f = makeFixture();
    expect(f.call('shmctl', 0, IPC_INFO, S)).toBe(0n); // no segment: 0
    f.call('shmget', IPC_PRIVATE, 10, 0o600);
    const id = Number(f.call('shmget', IPC_PRIVATE, P + 1, 0o000));
    expect(f.call('shmctl', 0, IPC_INFO, S)).toBe(1n);
    const info = Buffer.from(f.mem.read(S, SHMINFO64.SIZE));
    expect(info.readBigUInt64LE(SHMINFO64.shmmax)).toBe(SHMMAX);
    expect(info.readBigUInt64LE(SHMINFO64.shmmin)).toBe(1n);
    expect(info.readBigUInt64LE(SHMINFO64.shmmni)).toBe(4096n);
    expect(info.readBigUInt64LE(SHMINFO64.shmseg)).toBe(4096n);
    const a = Number(f.call('shmat', id, 0, 0));
    f.mem.write(a + P, new Uint8Array([1]));
    expect(f.call('shmctl', 0, SHM_INFO, S)).toBe(1n);
    const si = Buffer.from(f.mem.read(S, SHM_INFO_STRUCT.SIZE));
    expect(si.readInt32LE(SHM_INFO_STRUCT.used_ids)).toBe(2);
    expect(si.readBigUInt64LE(SHM_INFO_STRUCT.shm_tot)).toBe(3n);
    expect(si.readBigUInt64LE(SHM_INFO_STRUCT.shm_rss)).toBeGreaterThanOrEqual(1n);
    expect(f.call('shmctl', 1, SHM_STAT, S)).toBe(BigInt(id));
    f.kernel.state.proc.creds.effective = 0n;
    expect(f.call('shmctl', 1, SHM_STAT, S)).toBe(err(E.EACCES)); // mode 000, no CAP_IPC_OWNER
    expect(f.call('shmctl', 1, SHM_STAT_ANY, S)).toBe(BigInt(id));
    expect(f.call('shmctl', 5, SHM_STAT, S)).toBe(err(E.EINVAL));
    expect(f.call('shmctl', id, 0x100 | IPC_STAT, S)).toBe(err(E.EINVAL));
    expect(f.call('shmctl', id, 99, S)).toBe(err(E.EINVAL));
    expect(f.call('shmctl', -1, IPC_INFO, S)).toBe(err(E.EINVAL));
  });

  it('IPC_SET keeps SHM_DEST/SHM_LOCKED; uid -1 EINVAL; EPERM for a stranger', () => {
    const f = makeFixture();
    const id = Number(f.call('shmget', IPC_PRIVATE, P, 0o600));
    expect(f.call('shmctl', id, SHM_LOCK, 0)).toBe(0n);
    const set = new Uint8Array(SHMID64_DS.SIZE);
    const v = new DataView(set.buffer);
    v.setUint32(20, 0o644, true);
    f.mem.write(S, set);
    expect(f.call('shmctl', id, IPC_SET, S)).toBe(0n);
    expect(mode(f, id)).toBe(0o644 | SHM_LOCKED);
    v.setUint32(4, 0xffffffff, true);
    f.mem.write(S, set);
    expect(f.call('shmctl', id, IPC_SET, S)).toBe(err(E.EINVAL));
    const creds = f.kernel.state.proc.creds;
    creds.uid.e = 1234;
    creds.effective = 0n;
    expect(f.call('shmctl', id, IPC_RMID, 0)).toBe(err(E.EPERM));
    expect(f.call('shmctl', id, SHM_UNLOCK, 0)).toBe(err(E.EPERM));
  });

  it('SHM_LOCK: RLIMIT_MEMLOCK 0 EPERM, past the limit ENOMEM, charged per user and given back', () => {
    const f = makeFixture();
    const a = Number(f.call('shmget', IPC_PRIVATE, 2 * P, 0o600));
    const b = Number(f.call('shmget', IPC_PRIVATE, 2 * P, 0o600));
    f.kernel.state.proc.creds.effective = 0n; // no CAP_IPC_LOCK
    const lim = f.kernel.state.limits[RLIMIT.MEMLOCK];
    lim.cur = 0n;
    expect(f.call('shmctl', a, SHM_LOCK, 0)).toBe(err(E.EPERM));
    expect(f.call('shmctl', a, SHM_UNLOCK, 0)).toBe(0n); // unlocking needs no limit
    lim.cur = BigInt(3 * P);
    expect(f.call('shmctl', a, SHM_LOCK, 0)).toBe(0n);
    expect(f.call('shmctl', a, SHM_LOCK, 0)).toBe(0n); // already locked: nothing charged twice
    expect(f.call('shmctl', b, SHM_LOCK, 0)).toBe(err(E.ENOMEM)); // 4 pages > 3
    expect(f.call('shmctl', a, SHM_UNLOCK, 0)).toBe(0n);
    expect(mode(f, a)).toBe(0o600);
    expect(f.call('shmctl', b, SHM_LOCK, 0)).toBe(0n);
    expect(f.call('shmctl', b, IPC_RMID, 0)).toBe(0n); // destroyed: the charge goes
    expect(f.call('shmctl', a, SHM_LOCK, 0)).toBe(0n);
  });
});

describe('MmState tells an observed object how many of its mappings come and go', () => {
  it('record, split by forget, move, clone and a plain shared object left alone', () => {
    const seen: number[] = [];
    const obj = new SharedObject(new AnonPages(), 4 * P);
    obj.observer = { mapped: (d) => seen.push(d) };
    const plain = new SharedObject(new AnonPages());
    const mm = new MmState();
    mm.record(0x10000, 0x10000 + 4 * P, { ...PLAIN, backing: { kind: 'shared', obj, offset: 0 } });
    mm.record(0x40000, 0x40000 + P, { ...PLAIN, backing: { kind: 'shared', obj: plain, offset: 0 } });
    expect(seen).toEqual([1]);
    mm.forget(0x10000 + P, 0x10000 + 2 * P); // a hole: two pieces
    expect(seen).toEqual([1, 1]);
    mm.move(0x10000, 0x80000, P); // mremap of the first piece: still two
    expect(seen).toEqual([1, 1]);
    const child = mm.clone();
    expect(seen).toEqual([1, 1, 1, 1]);
    mm.forget(0, 0x100000);
    child.forget(0x80000, 0x80000 + P);
    expect(seen).toEqual([1, 1, 1, 1, -2, -1]);
  });
});
