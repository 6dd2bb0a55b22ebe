// System V IPC (kernel/ipc/): ids, permissions, message selection, semaphore atomicity and
// undo, and waits between threads on the scheduler. Expected behaviour: Linux 6.1
// ipc/util.c, ipc/msg.c, ipc/sem.c and man 2 msgop / semop / semctl / msgctl.

import { describe, expect, it } from 'vitest';
import { GETNCNT, GETVAL, IPC_CREAT, IPC_NOWAIT, IPC_PRIVATE, IPC_RMID, IPC_STAT, MSG_COPY, MSG_EXCEPT, MSG_NOERROR, SEM_UNDO, SETVAL } from '../abi.ts';
import { MSQID64_DS, SEMBUF } from '../abi-structs.ts';
import { E } from '../errno.ts';
import { Credentials } from '../process/credentials.ts';
import { CAP } from '../process/credentials.ts';
import { err, LAYOUT, makeFixture, type Fixture } from '../test-support.ts';
import { GLIBC_THREAD_FLAGS, STACK_TOP, makeThreadsFixture, type ThreadsFixture } from '../sched/test-threads.ts';
import { exitSem } from './sem.ts';
import { IpcIds, ipcperms, newPerm, IPCMNI } from './namespace.ts';

const D = LAYOUT.data;

function putMsg(f: Fixture, at: number, type: number, text: string): void {
  const b = Buffer.alloc(8 + text.length);
  b.writeBigInt64LE(BigInt(type), 0);
  b.write(text, 8, 'latin1');
  f.mem.write(at, b);
}
const textAt = (f: Fixture, at: number, n: number) => Buffer.from(f.mem.read(at + 8, n)).toString('latin1');
const typeAt = (f: Fixture, at: number) => Buffer.from(f.mem.read(at, 8)).readBigInt64LE(0);

function putSops(f: Fixture, at: number, ops: Array<[number, number, number]>): void {
  const b = Buffer.alloc(ops.length * SEMBUF.SIZE);
  ops.forEach(([n, o, fl], i) => {
    b.writeUInt16LE(n, i * SEMBUF.SIZE + SEMBUF.sem_num);
    b.writeInt16LE(o, i * SEMBUF.SIZE + SEMBUF.sem_op);
    b.writeInt16LE(fl, i * SEMBUF.SIZE + SEMBUF.sem_flg);
  });
  f.mem.write(at, b);
}

describe('ids (ipc_idr_alloc)', () => {
  it('start at 0, go on cyclically and bump the sequence when an index is reused', () => {
    const ids = new IpcIds<{ perm: ReturnType<typeof newPerm> }>();
    const creds = new Credentials();
    const made = [];
    for (let i = 0; i < 3; i++) {
      const o = { perm: newPerm(IPC_PRIVATE, 0o600) };
      ids.add(o, 32000, creds);
      made.push(o);
    }
    expect(made.map((o) => o.perm.id)).toEqual([0, 1, 2]);
    ids.rmid(made[0]);
    // The cursor goes on past 2, not back to the free 0, until ipc_min_cycle (64) wraps it.
    const ids2: number[] = [];
    for (let i = 0; i < 62; i++) {
      const o = { perm: newPerm(IPC_PRIVATE, 0o600) };
      ids.add(o, 32000, creds);
      ids2.push(o.perm.id);
      ids.rmid(o);
    }
    expect(ids2[0]).toBe(3);
    expect(ids2[60]).toBe(63);
    expect(ids2[61]).toBe(IPCMNI); // index 0 again, sequence 1
    expect(ids.obtainCheck(0)).toBe(-E.EINVAL); // the old id's sequence no longer matches
    expect(ids.obtainCheck(1)).toBe(made[1]);
    expect(ids.obtainCheck(IPCMNI + 1)).toBe(-E.EINVAL);
    expect(ids.obtain(IPCMNI + 1)).toBe(made[1]); // MSG_STAT/SEM_STAT: by index only
    expect(ids.getMaxIdx()).toBe(2);
  });

  it('ENOSPC at the limit', () => {
    const ids = new IpcIds<{ perm: ReturnType<typeof newPerm> }>();
    ids.add({ perm: newPerm(1, 0) }, 1, new Credentials());
    expect(ids.add({ perm: newPerm(2, 0) }, 1, new Credentials())).toBe(-E.ENOSPC);
  });
});

describe('ipcperms', () => {
  it('owner, group and other bits; CAP_IPC_OWNER overrides', () => {
    const perm = newPerm(IPC_PRIVATE, 0o640);
    perm.uid = perm.cuid = 1000;
    perm.gid = perm.cgid = 100;
    const c = new Credentials();
    c.uid.e = 2000;
    c.effective = 0n;
    expect(ipcperms(c, perm, 0o444)).toBe(-1); // other: no bits
    c.groups = [100];
    expect(ipcperms(c, perm, 0o444)).toBe(0); // group may read
    expect(ipcperms(c, perm, 0o222)).toBe(-1); // not write
    c.effective = 1n << BigInt(CAP.IPC_OWNER);
    expect(ipcperms(c, perm, 0o222)).toBe(0);
  });
});

describe('message queues', () => {
  it('selects by type: 0, > 0, < 0 (lowest first), MSG_EXCEPT; E2BIG, MSG_NOERROR, ENOMSG', () => {
    const f = makeFixture();
    const q = Number(f.call('msgget', IPC_PRIVATE, IPC_CREAT | 0o600));
    expect(q).toBe(0);
    for (const [t, s] of [[5, 'five'], [3, 'three'], [7, 'seven'], [3, 'three2']] as const) {
      putMsg(f, D, t, s);
      expect(f.call('msgsnd', q, D, s.length, 0)).toBe(0n);
    }
    const R = D + 0x100;
    expect(f.call('msgrcv', q, R, 64, -4, 0)).toBe(5n);
    expect(textAt(f, R, 5)).toBe('three');
    expect(typeAt(f, R)).toBe(3n);
    expect(f.call('msgrcv', q, R, 64, 7, MSG_EXCEPT)).toBe(4n); // 'five'
    expect(f.call('msgrcv', q, R, 3, 0, 0)).toBe(err(E.E2BIG)); // 'seven' stays
    expect(f.call('msgrcv', q, R, 3, 0, MSG_NOERROR)).toBe(3n);
    expect(textAt(f, R, 3)).toBe('sev');
    expect(f.call('msgrcv', q, R, 64, 9, IPC_NOWAIT)).toBe(err(E.ENOMSG));
    expect(f.call('msgrcv', q, R, 64, 0, 0)).toBe(6n);
    f.mem.write(R, new Uint8Array(16).fill(0xa5));
    expect(f.call('msgrcv', q, R, 64, 0, IPC_NOWAIT)).toBe(err(E.ENOMSG));
    // A failing msgrcv leaves the buffer alone (qemu 7.2 writes mtype: msgrcv-error-writes-mtype).
    expect([...f.mem.read(R, 16)].every((x) => x === 0xa5)).toBe(true);
  });

  it('MSG_COPY reads the n-th message and leaves it; needs IPC_NOWAIT', () => {
    const f = makeFixture();
    const q = Number(f.call('msgget', IPC_PRIVATE, 0o600));
    putMsg(f, D, 1, 'a');
    f.call('msgsnd', q, D, 1, 0);
    putMsg(f, D, 2, 'bb');
    f.call('msgsnd', q, D, 2, 0);
    const R = D + 0x100;
    expect(f.call('msgrcv', q, R, 64, 1, MSG_COPY)).toBe(err(E.EINVAL));
    expect(f.call('msgrcv', q, R, 64, 1, MSG_COPY | IPC_NOWAIT)).toBe(2n);
    expect(textAt(f, R, 2)).toBe('bb');
    expect(f.call('msgrcv', q, R, 64, 2, MSG_COPY | IPC_NOWAIT)).toBe(err(E.ENOMSG));
    expect(f.call('msgrcv', q, R, 64, 0, 0)).toBe(1n); // still the first
  });

  it('IPC_STAT: struct msqid64_ds with msg_lspid and msg_lrpid as 4-byte pids, zeroed padding', () => {
    const f = makeFixture();
    const q = Number(f.call('msgget', IPC_PRIVATE, 0o640));
    putMsg(f, D, 1, 'abc');
    f.call('msgsnd', q, D, 3, 0);
    f.call('msgsnd', q, D, 3, 0);
    f.call('msgrcv', q, D + 0x100, 64, 0, 0);
    const S = D + 0x200;
    f.mem.write(S, new Uint8Array(MSQID64_DS.SIZE).fill(0xa5));
    expect(f.call('msgctl', q, IPC_STAT, S)).toBe(0n);
    const b = Buffer.from(f.mem.read(S, MSQID64_DS.SIZE));
    expect(b.readUInt32LE(20)).toBe(0o640);
    expect(b.readBigUInt64LE(MSQID64_DS.msg_qnum)).toBe(1n);
    expect(b.readBigUInt64LE(MSQID64_DS.msg_cbytes)).toBe(3n);
    expect(b.readBigUInt64LE(MSQID64_DS.msg_qbytes)).toBe(16384n);
    expect(b.readInt32LE(MSQID64_DS.msg_lspid)).toBe(1000);
    expect(b.readInt32LE(MSQID64_DS.msg_lrpid)).toBe(1000);
    expect(b.readBigUInt64LE(MSQID64_DS.__unused4)).toBe(0n);
    expect(b.readBigUInt64LE(MSQID64_DS.__unused5)).toBe(0n);
    expect(f.call('msgctl', q, 0x100 | IPC_STAT, S)).toBe(err(E.EINVAL)); // no IPC_64 parsing on riscv64
    expect(f.call('msgctl', q, IPC_RMID, 0)).toBe(0n);
    expect(f.call('msgctl', q, IPC_STAT, S)).toBe(err(E.EINVAL));
  });
});

describe('semaphores', () => {
  it('semop is all or nothing; ERANGE past SEMVMX; EFBIG past the set', () => {
    const f = makeFixture();
    const s = Number(f.call('semget', IPC_PRIVATE, 2, 0o600));
    putSops(f, D, [[0, 2, 0], [1, -1, IPC_NOWAIT]]);
    expect(f.call('semop', s, D, 2)).toBe(err(E.EAGAIN));
    expect(f.call('semctl', s, 0, GETVAL, 0)).toBe(0n);
    putSops(f, D, [[0, 32767, 0], [0, 1, 0]]); // the same semaphore twice: the slow path
    expect(f.call('semop', s, D, 2)).toBe(err(E.ERANGE));
    expect(f.call('semctl', s, 0, GETVAL, 0)).toBe(0n);
    putSops(f, D, [[0, 3, 0], [0, -1, 0]]);
    expect(f.call('semop', s, D, 2)).toBe(0n);
    expect(f.call('semctl', s, 0, GETVAL, 0)).toBe(2n);
    putSops(f, D, [[2, 1, 0]]);
    expect(f.call('semop', s, D, 1)).toBe(err(E.EFBIG));
    expect(f.call('semctl', s, 0, SETVAL, 32768)).toBe(err(E.ERANGE));
  });

  it('SEM_UNDO adjustments are applied at exit, clamped at 0; SETVAL clears them', () => {
    const f = makeFixture();
    const s = Number(f.call('semget', IPC_PRIVATE, 2, 0o600));
    putSops(f, D, [[0, 5, SEM_UNDO], [1, 2, SEM_UNDO]]);
    expect(f.call('semop', s, D, 2)).toBe(0n);
    expect(f.call('semctl', s, 1, SETVAL, 9)).toBe(0n); // clears semadj[1]
    putSops(f, D, [[0, -4, 0]]); // without undo: 5 - 4 = 1, semadj[0] stays -5
    f.call('semop', s, D, 1);
    exitSem(f.kernel.state);
    expect(f.call('semctl', s, 0, GETVAL, 0)).toBe(0n); // 1 - 5 clamped to 0
    expect(f.call('semctl', s, 1, GETVAL, 0)).toBe(9n);
    exitSem(f.kernel.state); // the list is gone: nothing twice
    expect(f.call('semctl', s, 1, GETVAL, 0)).toBe(9n);
  });

  it('an undo adjustment past SEMAEM is ERANGE', () => {
    const f = makeFixture();
    const s = Number(f.call('semget', IPC_PRIVATE, 1, 0o600));
    putSops(f, D, [[0, 32767, SEM_UNDO]]);
    expect(f.call('semop', s, D, 1)).toBe(0n);
    putSops(f, D, [[0, -32767, 0]]);
    expect(f.call('semop', s, D, 1)).toBe(0n);
    putSops(f, D, [[0, 2, SEM_UNDO]]); // semadj would be -32769
    expect(f.call('semop', s, D, 1)).toBe(err(E.ERANGE));
  });
});

function spawn(f: ThreadsFixture): void {
  f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0xf00, 0x7777, D + 0xf08]);
}

describe('waiting between threads', () => {
  it('a blocked msgrcv gets the message a later msgsnd hands it', () => {
    const f = makeThreadsFixture();
    const q = Number((f.sys('msgget', [IPC_PRIVATE, 0o600]), f.a0()));
    spawn(f);
    f.sys('msgrcv', [q, D + 0x100, 64, 0, 0], 0x1000);
    expect(f.tid()).toBe(1001); // main sleeps
    putMsg(f, D, 4, 'hello');
    f.sys('msgsnd', [q, D, 5, 0]);
    expect(f.a0()).toBe(0n);
    f.sys('msgctl', [q, IPC_STAT, D + 0x200]);
    // Handed straight to the receiver (pipelined_send): never queued.
    expect(Buffer.from(f.mem.read(D + 0x200 + MSQID64_DS.msg_qnum, 8)).readBigUInt64LE(0)).toBe(0n);
    f.sys('exit', [0]);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(5n);
    expect(textAt(f, D + 0x100, 5)).toBe('hello');
  });

  it('a blocked semop counts in GETNCNT, completes when another thread posts, and IPC_RMID ends a wait with EIDRM', () => {
    const f = makeThreadsFixture();
    const s = Number((f.sys('semget', [IPC_PRIVATE, 2, 0o600]), f.a0()));
    spawn(f);
    putSops(f, D, [[0, -1, 0]]);
    f.sys('semop', [s, D, 1], 0x1000);
    expect(f.tid()).toBe(1001);
    f.sys('semctl', [s, 0, GETNCNT, 0]);
    expect(f.a0()).toBe(1n);
    putSops(f, D + 0x40, [[0, 1, 0]]);
    f.sys('semop', [s, D + 0x40, 1]);
    expect(f.a0()).toBe(0n);
    f.sys('semctl', [s, 0, GETVAL, 0]);
    expect(f.a0()).toBe(0n); // the waiter took it
    // The child now blocks on semaphore 1; main completes its semop and removes the set.
    putSops(f, D + 0x80, [[1, -1, 0]]);
    f.sys('semop', [s, D + 0x80, 1], 0x2000);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(0n);
    f.sys('semctl', [s, 0, IPC_RMID, 0]);
    expect(f.a0()).toBe(0n);
    f.sys('sched_yield', []);
    expect(f.tid()).toBe(1001);
    f.ecall();
    expect(f.a0()).toBe(err(E.EIDRM));
  });
});
