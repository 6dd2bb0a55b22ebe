// clone(2)'s error paths in Linux 6.1's order (kernel/fork.c kernel_clone, copy_process;
// kernel/nsproxy.c copy_namespaces): the flag combinations refused with EINVAL first, then
// RLIMIT_NPROC (EAGAIN), then a namespace flag without CAP_SYS_ADMIN (EPERM) and only after
// that CLONE_NEWIPC with CLONE_SYSVSEM (EINVAL). specs/clone.yaml runs the same paths under
// qemu-riscv64 (qemu deviation clone-flags-einval for the EPERM ones).

import { describe, expect, it } from 'vitest';
import { createHart } from '../../emulator/hart.ts';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import {
  CLONE_DETACHED, CLONE_FILES, CLONE_FS, CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER,
  CLONE_NEWUTS, CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM, RLIMIT_NPROC, SIGCHLD,
} from '../abi.ts';

const D = LAYOUT.data;

function setup() {
  const f = makeFixture({ newMachine: () => createHart() });
  const clone = (flags: number | bigint) => f.call('clone', flags, 0, 0, 0, 0);
  const unprivileged = () => expect(f.call('setuid', 1000)).toBe(0n); // drops every capability
  return { f, clone, unprivileged };
}

describe('clone: checks before anything is created', () => {
  it('the combinations kernel_clone() and copy_process() refuse, in their order, each EINVAL', () => {
    const { clone } = setup();
    expect(clone(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD)).toBe(err(E.EINVAL));
    expect(clone(CLONE_NEWNS | CLONE_FS | SIGCHLD)).toBe(err(E.EINVAL));
    expect(clone(CLONE_NEWUSER | CLONE_FS | SIGCHLD)).toBe(err(E.EINVAL));
    expect(clone(CLONE_THREAD | CLONE_VM | CLONE_FS | CLONE_FILES)).toBe(err(E.EINVAL));
    expect(clone(CLONE_SIGHAND | SIGCHLD)).toBe(err(E.EINVAL));
    expect(clone(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWUSER)).toBe(err(E.EINVAL));
    expect(clone(CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWPID)).toBe(err(E.EINVAL));
    expect(clone(CLONE_PIDFD | CLONE_DETACHED | SIGCHLD)).toBe(err(E.EINVAL));
    expect(clone(CLONE_PIDFD | CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)).toBe(err(E.EINVAL));
    expect(clone(0xffffffff_00000000n | BigInt(CLONE_THREAD | SIGCHLD))).toBe(err(E.EINVAL)); // lower_32_bits
  });

  it('a namespace without CAP_SYS_ADMIN is EPERM (copy_namespaces), after the EINVAL checks', () => {
    const { clone, unprivileged } = setup();
    unprivileged();
    for (const ns of [CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP]) {
      expect(clone(ns | SIGCHLD)).toBe(err(E.EPERM));
    }
    expect(clone(CLONE_NEWUTS | CLONE_SIGHAND | SIGCHLD)).toBe(err(E.EINVAL)); // SIGHAND without VM comes first
    expect(clone(CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD)).toBe(err(E.EPERM)); // the capability before NEWIPC|SYSVSEM
  });

  it('CLONE_NEWIPC with CLONE_SYSVSEM is EINVAL for a caller with CAP_SYS_ADMIN', () => {
    const { clone } = setup();
    expect(clone(CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD)).toBe(err(E.EINVAL));
  });

  it('RLIMIT_NPROC (EAGAIN) comes before the capability check (EPERM)', () => {
    const { f, clone, unprivileged } = setup();
    f.mem.write(D, new Uint8Array(new BigUint64Array([1n, 1n]).buffer));
    expect(f.call('setrlimit', RLIMIT_NPROC, D)).toBe(0n);
    unprivileged();
    expect(clone(CLONE_NEWUTS | SIGCHLD)).toBe(err(E.EAGAIN));
    expect(clone(CLONE_SIGHAND | SIGCHLD)).toBe(err(E.EINVAL)); // the flag checks come before both
  });

  it('stops (unsupported) where Linux would make the namespace', () => {
    const { clone, unprivileged } = setup();
    expect(() => clone(CLONE_NEWUTS | SIGCHLD)).toThrowError(/unsupported new process with flags 0x4000000/);
    unprivileged();
    // CLONE_NEWUSER: copy_creds() makes the user namespace (an unprivileged caller may), in which
    // the child has CAP_SYS_ADMIN, so copy_namespaces() does not refuse the others
    expect(() => clone(CLONE_NEWUSER | CLONE_NEWUTS | SIGCHLD)).toThrowError(/unsupported new process with flags 0x14000000/);
  });
});
