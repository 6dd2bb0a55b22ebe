// RLIMIT_NPROC (Linux 6.1 kernel/fork.c copy_process, kernel/ucount.c is_ucounts_overlimit):
// a new task fails with EAGAIN when its real user would have more tasks than the caller's
// soft limit, unless that user is root or the caller has CAP_SYS_RESOURCE or CAP_SYS_ADMIN.
// Threads count as tasks; a zombie counts until it is reaped. (corpus/c/proc_misc.c runs a
// fork bomb against it under both sides; qemu-riscv64's count differs by its own threads.)

import { describe, expect, it } from 'vitest';
import { createHart } from '../../emulator/hart.ts';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { CAP } from './credentials.ts';
import { endProcess, exitedWith } from './exit-process.ts';
import { userTasks } from './nproc.ts';

const D = LAYOUT.data;
const SIGCHLD = 17;
const RLIMIT_NPROC = 6;
const WNOHANG = 1;
const THREAD = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000; // CLONE_VM|FS|FILES|SIGHAND|THREAD

function setup(limit: bigint) {
  const f = makeFixture({ newMachine: () => createHart() });
  f.mem.write(D, new Uint8Array(new BigUint64Array([limit, limit]).buffer));
  expect(f.call('setrlimit', RLIMIT_NPROC, D)).toBe(0n);
  const fork = () => f.call('clone', SIGCHLD, 0, 0, 0, 0);
  const thread = () => f.call('clone', THREAD, LAYOUT.stackLow + 0x1000, 0, 0, 0);
  return { f, fork, thread, procs: f.kernel.state.procs };
}

describe('RLIMIT_NPROC', () => {
  it('does not hold root back', () => {
    const { fork } = setup(1n);
    for (let i = 0; i < 3; i++) expect(fork()).toBeGreaterThan(0n);
  });

  it('an unprivileged user may have as many tasks as the limit: fork, then a thread, is EAGAIN past it', () => {
    const { f, fork, thread, procs } = setup(3n);
    expect(f.call('setuid', 1234)).toBe(0n); // drops every capability
    expect(fork()).toBeGreaterThan(0n);
    expect(fork()).toBeGreaterThan(0n);
    expect(userTasks(procs, 1234)).toBe(3);
    expect(fork()).toBe(err(E.EAGAIN));
    expect(thread()).toBe(err(E.EAGAIN));
  });

  it('a zombie counts until it is reaped; tasks of another user do not count', () => {
    const { f, fork, procs } = setup(2n);
    expect(f.call('setuid', 1234)).toBe(0n);
    const pid = Number(fork());
    expect(fork()).toBe(err(E.EAGAIN));
    const child = procs.byPid(pid)!;
    endProcess(child.state, exitedWith(0));
    expect(child.exit).toBeDefined();
    expect(fork()).toBe(err(E.EAGAIN)); // still a zombie
    expect(f.call('wait4', -1, 0, WNOHANG, 0)).toBe(BigInt(pid));
    const other = Number(fork());
    expect(other).toBeGreaterThan(0);
    procs.byPid(other)!.state.proc.creds.uid.r = 4321; // as if it had changed user
    expect(userTasks(procs, 1234)).toBe(1);
    expect(fork()).toBeGreaterThan(0n);
  });

  it('CAP_SYS_RESOURCE or CAP_SYS_ADMIN lifts it for a user other than root', () => {
    for (const cap of [CAP.SYS_RESOURCE, CAP.SYS_ADMIN]) {
      const { f, fork } = setup(1n);
      expect(f.call('setresuid', 1234, 1234, 0)).toBe(0n); // keeps saved 0: no capabilities in effect
      expect(fork()).toBe(err(E.EAGAIN));
      f.kernel.state.proc.creds.effective |= 1n << BigInt(cap);
      expect(fork()).toBeGreaterThan(0n);
    }
  });
});
