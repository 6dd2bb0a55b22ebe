// execve's argument strings (fs/exec.c copy_strings): one without a NUL within MAX_ARG_STRLEN
// (PAGE_SIZE * 32, linux/binfmts.h) is E2BIG, checked before the file is looked up; one just
// short of it is taken (the missing file then answers ENOENT).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { createHart } from '../../emulator/hart.ts';
import { minimalElf } from '../../emulator/loader/test-elf.ts';
import { AT_FDCWD, BUF, vfsFixture } from '../vfs/vfs-test-util.ts';
import { parseScriptLine } from './execve.ts';
import { SigInfo } from '../signal/siginfo.ts';

const MAX_ARG_STRLEN = 4096 * 32;
const STRINGS = 0x1000000; // a 256 KiB area of our own for the long strings

describe('execve argument strings', () => {
  function callWith(length: number): bigint {
    const f = makeFixture();
    f.mem.map(STRINGS, 0x40000, PROT_READ | PROT_WRITE);
    const D = LAYOUT.data;
    f.mem.write(D, Buffer.from('no-such-program\0'));
    f.mem.write(STRINGS, new Uint8Array(length).fill(0x61)); // 'a' * length, then the NUL (fresh memory)
    const argv = D + 0x100;
    f.mem.write(argv, new Uint8Array(new BigUint64Array([BigInt(STRINGS), 0n]).buffer));
    return f.call('execve', D, argv, 0);
  }

  it('E2BIG for a string without a NUL within MAX_ARG_STRLEN, before the file is looked up', () => {
    expect(callWith(MAX_ARG_STRLEN)).toBe(err(E.E2BIG));
  });

  it('takes a string of MAX_ARG_STRLEN - 1 bytes (then the missing file: ENOENT)', () => {
    expect(callWith(MAX_ARG_STRLEN - 1)).toBe(err(E.ENOENT));
  });
});

// "#!" scripts (fs/binfmt_script.c load_script, fs/exec.c exec_binprm, Linux 6.1).
describe('parseScriptLine (binfmt_script)', () => {
  const parse = (s: string) => parseScriptLine(Buffer.from(s, 'latin1'));
  it('the interpreter name and one optional argument: the rest of the line, inner whitespace kept', () => {
    expect(parse('#!/bin/sh\necho')).toEqual({ name: '/bin/sh' });
    expect(parse('#! \t/bin/sh  -e -x \t \nrest')).toEqual({ name: '/bin/sh', arg: '-e -x' });
    expect(parse('#!/bin/sh\t-e\tx\n')).toEqual({ name: '/bin/sh', arg: '-e\tx' });
    expect(parse('#!/bin/sh -e\r\n')).toEqual({ name: '/bin/sh', arg: '-e\r' }); // only spaces and tabs are trimmed
  });
  it('ENOEXEC for a line without a name', () => {
    expect(parse('#!\n/bin/sh')).toBe(E.ENOEXEC);
    expect(parse('#! \t \n')).toBe(E.ENOEXEC);
    expect(parse('#!' + ' '.repeat(254))).toBe(E.ENOEXEC); // the whole buffer spaces
  });
  it('no newline in the first 256 bytes: ENOEXEC only when the name itself may be truncated', () => {
    expect(parse('#!/x')).toEqual({ name: '/x' }); // a short file: the NUL padding ends it
    expect(parse('#!/' + 'a'.repeat(253))).toBe(E.ENOEXEC); // 256 bytes, no terminator
    expect(parse('#!/' + 'a'.repeat(260) + '\n')).toBe(E.ENOEXEC); // the newline is past the buffer
    // The argument may be cut: it ends before byte 255 (which i_end NULs).
    expect(parse('#!/bin/sh ' + 'b'.repeat(300))).toEqual({ name: '/bin/sh', arg: 'b'.repeat(245) });
    expect(parse('#!/' + 'a'.repeat(252) + '\n')).toEqual({ name: '/' + 'a'.repeat(252) }); // newline at byte 255
  });
  it('a NUL ends the name (an empty name is then opened: EACCES) and the argument', () => {
    expect(parse('#!\0/bin/sh\n')).toEqual({ name: '' });
    expect(parse('#!')).toEqual({ name: '' });
    expect(parse('#!/bin/sh\0 -e\n')).toEqual({ name: '/bin/sh' });
    expect(parse('#!/bin/sh -e\0x\n')).toEqual({ name: '/bin/sh', arg: '-e' });
    expect(parse('#!/bin/sh \0x\n')).toEqual({ name: '/bin/sh', arg: '' });
  });
});

describe('execve of a "#!" script', () => {
  const ARGV = LAYOUT.data + 0x6000;
  const O_WRONLY_CREAT = 0o1 | 0o100;
  function setup() {
    const f = vfsFixture({ vfs: { cwd: '/tmp' }, newMachine: () => createHart() });
    const file = (path: string, content: string | Uint8Array, mode = 0o755) => {
      const fd = f.open(path, O_WRONLY_CREAT, mode);
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(f.write(fd, typeof content === 'string' ? content : Buffer.from(content).toString('latin1'))).toBeGreaterThan(0);
      f.sys('close', fd);
    };
    const exec = (path: string, args: string[] | null, call: 'execve' | 'execveat' = 'execve', dirfd = AT_FDCWD) => {
      let at = ARGV + 0x100;
      const ptrs = (args ?? []).map((a) => {
        const p = at;
        f.mem.write(p, Buffer.from(a + '\0', 'latin1'));
        at += a.length + 1;
        return BigInt(p);
      });
      f.mem.write(ARGV, new Uint8Array(new BigUint64Array([...ptrs, 0n]).buffer));
      const argv = args ? ARGV : 0;
      return call === 'execve' ? f.sys('execve', path, argv, 0) : f.sys('execveat', dirfd, path, argv, 0, 0);
    };
    const booted = () => {
      const proc = f.kernel.state.procs.byPid(f.kernel.state.pid)!;
      expect(proc.pendingExec).toBeDefined();
      return { argv: proc.image.argv, execPath: proc.image.execPath, exe: proc.image.exeLink, comm: f.kernel.state.proc.thread(f.kernel.state.pid).name };
    };
    return { f, file, exec, booted };
  }

  it('argv: interpreter, its argument, the script as named, then argv[1..]; AT_EXECFN and the name stay the script', () => {
    const { file, exec, booted } = setup();
    file('elf', minimalElf());
    file('s', '#!/tmp/elf  -a  b \n');
    expect(exec('./s', ['zero', 'one', 'two'])).toBe(0);
    expect(booted()).toEqual({ argv: ['/tmp/elf', '-a  b', './s', 'one', 'two'], execPath: './s', exe: '/tmp/elf', comm: 's' });
  });

  it('an empty argv: the "" argv[0] is the one replaced', () => {
    const { file, exec, booted } = setup();
    file('elf', minimalElf());
    file('s', '#!elf\n');
    expect(exec('s', null)).toBe(0);
    expect(booted().argv).toEqual(['elf', 's']);
  });

  it('a script interpreting a script: each level passes on the name it was run by (bprm->interp)', () => {
    const { file, exec, booted } = setup();
    file('elf', minimalElf());
    file('s2', '#!./elf x\n');
    file('s1', '#!./s2 y\n');
    expect(exec('s1', ['a0', 'a1'])).toBe(0);
    expect(booted()).toEqual({ argv: ['./elf', 'x', './s2', 'y', 's1', 'a1'], execPath: 's1', exe: '/tmp/elf', comm: 's1' });
  });

  it('5 levels of scripts run; a 6th is ELOOP (exec_binprm: depth > 5), whatever the last interpreter is', () => {
    const { file, exec } = setup();
    file('elf', minimalElf());
    file('s5', '#!./elf\n');
    for (let i = 4; i >= 1; i--) file(`s${i}`, `#!./s${i + 1}\n`);
    expect(exec('s1', ['s1'])).toBe(0);
    const { file: file2, exec: exec2 } = setup();
    file2('text', 'plain');
    file2('s6', '#!./text\n');
    for (let i = 5; i >= 1; i--) file2(`s${i}`, `#!./s${i + 1}\n`);
    expect(exec2('s1', ['s1'])).toBe(-E.ELOOP);
    expect(exec2('s2', ['s2'])).toBe(-E.ENOEXEC); // 5 levels, then a file no handler takes
    file2('loop', '#!./loop\n');
    expect(exec2('loop', ['loop'])).toBe(-E.ELOOP);
  });

  it('the interpreter is opened as an exec (open_exec): ENOENT, EACCES, ENOEXEC', () => {
    const { f, file, exec } = setup();
    file('missing', '#!/tmp/nope\n');
    expect(exec('missing', ['x'])).toBe(-E.ENOENT);
    file('noexec', 'plain', 0o644);
    file('s-noexec', '#!noexec\n');
    expect(exec('s-noexec', ['x'])).toBe(-E.EACCES);
    expect(f.sys('mkdirat', AT_FDCWD, 'dir', 0o755)).toBe(0);
    file('s-dir', '#!/tmp/dir\n');
    expect(exec('s-dir', ['x'])).toBe(-E.EACCES);
    file('s-text', '#!/tmp/noexec-but\n');
    file('noexec-but', 'text', 0o755);
    expect(exec('s-text', ['x'])).toBe(-E.ENOEXEC);
    file('s-empty', '#!\0/tmp/x\n');
    expect(exec('s-empty', ['x'])).toBe(-E.EACCES); // open_exec(""): the working directory
    file('s-none', '#!  \n');
    expect(exec('s-none', ['x'])).toBe(-E.ENOEXEC);
    file('s-long', '#!/' + 'a'.repeat(300) + '\n');
    expect(exec('s-long', ['x'])).toBe(-E.ENOEXEC);
    file('not-exec-script', '#!/tmp/nope\n', 0o644);
    expect(exec('not-exec-script', ['x'])).toBe(-E.EACCES); // the script itself needs execute permission
  });

  it('execveat relative to a descriptor: the script is named /dev/fd/N/path, and ENOENT if N is close-on-exec', () => {
    const { f, file, exec, booted } = setup();
    file('elf', minimalElf());
    file('s', '#!/tmp/elf\n');
    const dir = f.open('/tmp', 0x10000); // O_DIRECTORY
    expect(exec('s', ['a', 'b'], 'execveat', dir)).toBe(0);
    expect(booted()).toMatchObject({ argv: ['/tmp/elf', `/dev/fd/${dir}/s`, 'b'], execPath: `/dev/fd/${dir}/s`, comm: 's' });
    const { f: g, file: file2, exec: exec2 } = setup();
    file2('elf', minimalElf());
    file2('s', '#!/tmp/elf\n');
    file2('bad', '#!\n');
    const cloexec = g.open('/tmp', 0x10000 | 0o2000000); // O_DIRECTORY | O_CLOEXEC
    expect(exec2('bad', ['a'], 'execveat', cloexec)).toBe(-E.ENOEXEC); // the line is parsed first
    expect(exec2('s', ['a'], 'execveat', cloexec)).toBe(-E.ENOENT);
    expect(exec2('/tmp/s', ['a'], 'execveat', cloexec)).toBe(0); // an absolute path is not derived from the fd
  });
});

// What exec keeps of the process's timers (fs/exec.c begin_new_exec, Linux 6.1): the
// interval timers live in the signal_struct, which exec keeps (man 2 execve: "POSIX timers
// are not preserved", interval timers are); exit_itimers() deletes the POSIX timers and
// flush_itimer_signals() drops the SI_TIMER signals they queued; the CPU time goes on.
describe('execve and timers', () => {
  const ITIMER_REAL = 0;
  const ITIMER_VIRTUAL = 1;
  const CLOCK_MONOTONIC = 1;
  const SIGEV_NONE = 1;
  const SIGUSR1 = 10;
  const D = LAYOUT.data + 0x7000;

  it('ITIMER_REAL and ITIMER_VIRTUAL stay armed with their intervals; POSIX timers go; RLIMIT_CPU stays', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' }, newMachine: () => createHart() });
    const fd = f.open('elf', 0o1 | 0o100, 0o755);
    f.mem.write(D, minimalElf());
    expect(f.sys('write', fd, D, minimalElf().length)).toBe(minimalElf().length);
    f.sys('close', fd);
    const itv = (isec: bigint, vsec: bigint) => {
      f.mem.write(D, new Uint8Array(new BigInt64Array([isec, 0n, vsec, 0n]).buffer));
      return D;
    };
    expect(f.sys('setitimer', ITIMER_REAL, itv(2n, 100n), 0)).toBe(0);
    expect(f.sys('setitimer', ITIMER_VIRTUAL, itv(0n, 50n), 0)).toBe(0);
    f.mem.write(D + 0x100, new Uint8Array(64)); // struct sigevent: SIGEV_NONE
    f.mem.write(D + 0x100 + 12, new Uint8Array(new Int32Array([SIGEV_NONE]).buffer));
    expect(f.sys('timer_create', CLOCK_MONOTONIC, D + 0x100, D + 0x200)).toBe(0);
    f.mem.write(D + 0x300, new Uint8Array(new BigUint64Array([30n, 30n]).buffer));
    expect(f.sys('setrlimit', 0, D + 0x300)).toBe(0); // RLIMIT_CPU 30 s
    const old = f.kernel.state;
    const real = old.timers.realExpires;
    expect(old.timers.posix.size).toBe(1);

    f.mem.write(D + 0x400, Buffer.from('/tmp/elf\0'));
    expect(f.sys('execve', D + 0x400, 0, 0)).toBe(0);
    const next = f.kernel.state.procs.byPid(f.kernel.state.pid)!.pendingExec!.state;
    expect(next.timers.realQueued).toBe(true);
    expect(next.timers.realExpires).toBe(real);
    expect(next.timers.realIncr).toBe(2_000_000_000n);
    expect(next.timers.it[1].expires).not.toBe(0n); // CPUCLOCK_VIRT
    expect(next.timers.posix.size).toBe(0);
    expect(next.limits[0]).toEqual({ cur: 30n, max: 30n });
  });

  it('a signal a POSIX timer queued is dropped at the exec; others stay pending', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' }, newMachine: () => createHart() });
    const fd = f.open('elf', 0o1 | 0o100, 0o755);
    f.mem.write(D, minimalElf());
    f.sys('write', fd, D, minimalElf().length);
    f.sys('close', fd);
    const state = f.kernel.state;
    const t = state.thread.current;
    t.blocked = (1n << 9n) | (1n << 11n); // SIGUSR1, SIGUSR2
    t.pending.add(SigInfo.timer(SIGUSR1, 0, 0n));
    t.pending.add(SigInfo.fromProcess(12, 0, state.pid));
    f.mem.write(D + 0x400, Buffer.from('/tmp/elf\0'));
    expect(f.sys('execve', D + 0x400, 0, 0)).toBe(0);
    const next = state.procs.byPid(state.pid)!.pendingExec!.state;
    expect(next.thread.leader.pending.queue.map((i) => i.signo)).toEqual([12]);
  });
});

// ETXTBSY (Linux 6.1): do_open_execat() → deny_write_access() refuses a file any description
// has open for writing (after the permission checks); a process running a file holds
// i_writecount below 0 (set_mm_exe_file(), dup_mm_exe_file() at fork), so get_write_access()
// in do_dentry_open(), handle_truncate() and vfs_truncate() refuse writers until it exits or
// execs another file.
describe('ETXTBSY: exec and writers shut each other out', () => {
  const O_RDONLY = 0;
  const O_WRONLY = 0o1;
  const O_RDWR = 0o2;
  const O_CREAT = 0o100;
  const O_TRUNC = 0o1000;
  const SIGCHLD = 17;
  function setup(vfs: Record<string, unknown> = {}) {
    const f = vfsFixture({ vfs: { cwd: '/tmp', ...vfs }, newMachine: () => createHart() });
    const file = (path: string, content: string | Uint8Array, mode = 0o755) => {
      const fd = f.open(path, O_WRONLY | O_CREAT, mode);
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(f.write(fd, typeof content === 'string' ? content : Buffer.from(content).toString('latin1'))).toBeGreaterThan(0);
      f.sys('close', fd);
    };
    const exec = (path: string) => {
      f.mem.write(ARGV_AT, new Uint8Array(8)); // argv = { NULL }
      return f.sys('execve', path, ARGV_AT, 0);
    };
    /** What the run loop does after a successful execve (sched/runtime.ts completeExec), machine aside. */
    const switchIn = () => {
      const proc = f.kernel.state.procs.byPid(f.kernel.state.pid)!;
      proc.state = proc.pendingExec!.state;
      proc.pendingExec = undefined;
    };
    const writable = (path: string, flags = O_WRONLY) => {
      const fd = f.open(path, flags);
      if (fd >= 0) f.sys('close', fd);
      return fd >= 0 ? 0 : fd;
    };
    return { f, file, exec, switchIn, writable };
  }
  const ARGV_AT = LAYOUT.data + 0x6000;

  it('execve of a file open for writing (O_WRONLY, O_RDWR) is ETXTBSY; once closed, or open read-only, it runs', () => {
    const { f, file, exec } = setup();
    file('elf', minimalElf());
    for (const mode of [O_WRONLY, O_RDWR]) {
      const fd = f.open('elf', mode);
      expect(exec('elf')).toBe(-E.ETXTBSY);
      expect(f.sys('execveat', AT_FDCWD, 'elf', ARGV_AT, 0, 0)).toBe(-E.ETXTBSY);
      f.sys('close', fd);
    }
    const dup = f.open('elf', O_WRONLY);
    const second = f.sys('dup', dup);
    f.sys('close', dup);
    expect(exec('elf')).toBe(-E.ETXTBSY); // the description is still open through its other descriptor
    f.sys('close', second);
    const ro = f.open('elf', O_RDONLY);
    expect(exec('elf')).toBe(0);
    f.sys('close', ro);
  });

  it('the permission checks come first; the binary handlers after (ENOEXEC only when nobody writes)', () => {
    const { f, file, exec } = setup();
    file('noexec', minimalElf(), 0o644);
    file('text', 'hello');
    const a = f.open('noexec', O_WRONLY);
    const b = f.open('text', O_WRONLY);
    expect(exec('noexec')).toBe(-E.EACCES);
    expect(exec('text')).toBe(-E.ETXTBSY);
    f.sys('close', b);
    f.sys('close', a);
    expect(exec('text')).toBe(-E.ENOEXEC);
  });

  it('a script or its interpreter open for writing: ETXTBSY (open_exec of the interpreter denies too)', () => {
    const { f, file, exec } = setup();
    file('elf', minimalElf());
    file('s', '#!/tmp/elf\n');
    const fd = f.open('elf', O_RDWR);
    expect(exec('s')).toBe(-E.ETXTBSY);
    f.sys('close', fd);
    const fs = f.open('s', O_WRONLY);
    expect(exec('s')).toBe(-E.ETXTBSY);
    f.sys('close', fs);
    expect(exec('s')).toBe(0);
  });

  it('while a process runs a file: writing opens, O_TRUNC and truncate are ETXTBSY; reading is fine; a script stays writable', () => {
    const { f, file, exec, switchIn, writable } = setup();
    file('elf', minimalElf());
    file('s', '#!/tmp/elf\n');
    expect(exec('s')).toBe(0);
    switchIn();
    expect(writable('elf')).toBe(-E.ETXTBSY);
    expect(writable('elf', O_RDWR)).toBe(-E.ETXTBSY);
    expect(writable('elf', O_RDONLY | O_TRUNC)).toBe(-E.ETXTBSY); // handle_truncate()
    expect(writable('/proc/self/exe')).toBe(-E.ETXTBSY);
    expect(f.sys('truncate', 'elf', 0)).toBe(-E.ETXTBSY); // vfs_truncate()
    expect(f.sys('truncate', 'elf', -1)).toBe(-E.EINVAL); // length first (do_sys_truncate)
    expect(writable('elf', O_RDONLY)).toBe(0);
    expect(writable('s')).toBe(0); // bprm->file became the interpreter: the script's denial ended with the exec
    expect((f.stat('elf') as { size: number }).size).toBe(minimalElf().length);
  });

  it('the denial ends when no process runs the file: exec of another file, exit (a forked child runs it too)', async () => {
    const { endProcess, exitedWith } = await import('./exit-process.ts');
    const { f, file, exec, switchIn, writable } = setup();
    file('a', minimalElf());
    file('b', minimalElf());
    expect(exec('a')).toBe(0);
    switchIn();
    const pid = Number(f.call('clone', SIGCHLD, 0, 0, 0, 0)); // the child runs a as well (dup_mm_exe_file)
    expect(pid).toBeGreaterThan(0);
    expect(exec('b')).toBe(0);
    switchIn();
    expect(writable('b')).toBe(-E.ETXTBSY);
    expect(writable('a')).toBe(-E.ETXTBSY); // the child
    const child = f.kernel.state.procs.byPid(pid)!;
    endProcess(child.state, exitedWith(0));
    expect(writable('a')).toBe(0);
    expect(writable('b')).toBe(-E.ETXTBSY);
  });

  it('the first program, where the guest sees it, is running: ETXTBSY for writers, itself and through /proc/self/exe', () => {
    const { f, writable } = setup({ program: { path: '/tmp/guest/hello', bytes: minimalElf() } });
    expect(writable('/tmp/guest/hello')).toBe(-E.ETXTBSY);
    expect(writable('/proc/self/exe', O_RDWR)).toBe(-E.ETXTBSY);
    expect(f.sys('truncate', '/tmp/guest/hello', 0)).toBe(-E.ETXTBSY);
    expect(writable('/proc/self/exe', O_RDONLY)).toBe(0);
    // /proc/self/exe is that file: the same inode
    const fd = f.open('/proc/self/exe', O_RDONLY);
    expect(f.sys('fstat', fd, BUF)).toBe(0);
    const ino = new DataView(f.bytes(16).buffer).getBigUint64(8, true);
    expect(ino).toBe(BigInt((f.stat('/tmp/guest/hello') as { ino: number }).ino));
  });
});
