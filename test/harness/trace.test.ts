// Parsing qemu-riscv64 -strace text and comparing two traces call by call. The trace text
// below is qemu-riscv64 7.2's own output for the corpus hello program (stderr, so the
// guest's output splits the write line), and a zerosys trace of the same run.

import { describe, expect, it } from 'vitest';
import { citationText } from '../../harness/conformance/deviations.ts';
import { compareTraces, countCalls, NORMALISATION_RULES, parseTrace } from '../../harness/conformance/trace.ts';

const QEMU = `29037 brk(NULL) = 0x000000000007d000
29037 brk(0x000000000007db00) = 0x000000000007db00
29037 set_tid_address(512208,466392,0,508832,512192,508832) = 29037
29037 set_robust_list(512224,24,-32,1,508648,512224) = -1 errno=38 (Function not implemented)
29037 prlimit64(0,3,0,274886297480,366264,3) = 0
29037 readlinkat(AT_FDCWD,"/proc/self/exe",0x00000040007ff710,4096) = 46
29037 getrandom(0x7c260,8,1) = 8
29037 mprotect(0x0000000000071000,16384,PROT_READ) = 0
29037 newfstatat(1,"",0x0000004000800528,0x1000) = 0
29037 write(1,0x7dfa0,14)Hello, world!
 = 14
29037 exit_group(0)
`;

const ZEROSYS = `1000 brk(NULL) = 0x000000000007d000
1000 brk(0x000000000007db00) = 0x000000000007db00
1000 set_tid_address(512208,466392,0,508832,512192,508832) = 1000
1000 set_robust_list(512224,24,-32,1,508648,512224) = 0
1000 prlimit64(0,3,0,274877904760,366264,3) = 0
1000 readlinkat(AT_FDCWD,"/proc/self/exe",0x0000003fffffe700,4096) = 46
1000 getrandom(0x7c260,8,1) = 8
1000 mprotect(0x0000000000071000,16384,PROT_READ) = 0
1000 newfstatat(1,"",0x0000003ffffff518,0x1000) = 0
1000 write(1,0x7dfa0,14) = 14
1000 exit_group(0)
`;

describe('parseTrace', () => {
  const events = parseTrace(QEMU);
  it('reads every call with its arguments and result', () => {
    expect(events.map((e) => e.name)).toEqual(['brk', 'brk', 'set_tid_address', 'set_robust_list', 'prlimit64', 'readlinkat', 'getrandom', 'mprotect', 'newfstatat', 'write', 'exit_group']);
    expect(events[5].args).toEqual(['AT_FDCWD', '"/proc/self/exe"', '0x00000040007ff710', '4096']);
    expect(events[5].ret).toBe(46n);
    expect(events[3].errno).toBe(38);
    expect(events[0].ret).toBe(0x7d000n);
    expect(events[0].pid).toBe(29037);
  });
  it('joins a call split by guest output with its result', () => {
    expect(events[9].ret).toBe(14n);
    expect(events[9].text).toBe('write(1,0x7dfa0,14) = 14');
  });
  it('keeps a call that never returned', () => {
    expect(events[10].result).toBe('');
  });
  it('splits arguments at top-level commas only', () => {
    const [e] = parseTrace('7 clock_nanosleep(CLOCK_REALTIME,0,{tv_sec = 0,tv_nsec = 1000},NULL) = 0\n7 openat(AT_FDCWD,"a,b(c",O_RDONLY) = 3\n');
    expect(e.args).toEqual(['CLOCK_REALTIME', '0', '{tv_sec = 0,tv_nsec = 1000}', 'NULL']);
    expect(parseTrace('7 openat(AT_FDCWD,"a,b(c",O_RDONLY) = 3\n')[0].args[1]).toBe('"a,b(c"');
  });
  it('counts calls per syscall', () => {
    expect(countCalls(events)).toMatchObject({ brk: 2, write: 1, exit_group: 1 });
  });
});

describe('compareTraces', () => {
  it('accepts the two hello traces and says which normalisations it applied', () => {
    const cmp = compareTraces(parseTrace(QEMU), parseTrace(ZEROSYS));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.normalised['pid-result']).toBe(1); // set_tid_address returns the tid
    expect(cmp.normalised.address).toBeGreaterThanOrEqual(3); // stack pointers
    expect(cmp.expected).toEqual([`set_robust_list: ${citationText('set_robust_list-enosys')} (set_robust_list-enosys)`]);
    expect(cmp.expected[0]).toMatch(/kernel\/futex\/syscalls\.c/);
    expect(cmp.compared).toBe(11);
  });

  it('reports the first call whose errno differs', () => {
    const z = ZEROSYS.replace('readlinkat(AT_FDCWD,"/proc/self/exe",0x0000003fffffe700,4096) = 46', 'readlinkat(AT_FDCWD,"/proc/self/exe",0x0000003fffffe700,4096) = -1 errno=2 (No such file or directory)');
    const cmp = compareTraces(parseTrace(QEMU), parseTrace(z));
    expect(cmp.divergence?.index).toBe(5);
    expect(cmp.divergence?.what).toBe('result differs');
    expect(cmp.divergence?.context).toHaveLength(3);
  });

  it('reports a different call and a missing call', () => {
    const other = compareTraces(parseTrace('1 getpid() = 5\n1 close(3) = 0\n'), parseTrace('1 getpid() = 9\n1 dup(3) = 4\n'));
    expect(other.divergence).toMatchObject({ index: 1, what: 'different call' });
    const fewer = compareTraces(parseTrace('1 close(3) = 0\n1 close(4) = 0\n'), parseTrace('1 close(3) = 0\n'));
    expect(fewer.divergence).toMatchObject({ index: 1, what: 'zerosys made fewer calls' });
  });

  it("without thread ids, compares up to the thread-creating clone (its arguments, not its result) and counts the rest as set aside", () => {
    const flags = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';
    const q = `1 getpid() = 5\n1 clone(${flags},child_stack=0x10,parent_tidptr=0x20,tls=0x30,child_tidptr=0x20) = 0\n1 write(1,0x40,3) = 3\n`;
    const z = `1 getpid() = 9\n1 clone(${flags},child_stack=0x10,parent_tidptr=0x20,tls=0x30,child_tidptr=0x20) = 1001\n1 futex(0x40,128,1) = 0\n`;
    const cmp = compareTraces(parseTrace(q), parseTrace(z));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.compared).toBe(2);
    expect(cmp.setAside.threads).toEqual({ qemu: 1, zerosys: 1 });
    const otherFlags = compareTraces(parseTrace(q), parseTrace(z.replace('|CLONE_SYSVSEM', '')));
    expect(otherFlags.divergence?.what).toMatch(/argument/);
  });

  it('does not excuse a different value argument', () => {
    const cmp = compareTraces(parseTrace('1 write(1,0x7dfa0,14) = 14\n'), parseTrace('1 write(2,0x7dfa0,14) = 14\n'));
    expect(cmp.divergence?.what).toBe('argument 1 differs');
  });

  it('treats mkstemp-style names and formatting differences as such', () => {
    const names = compareTraces(parseTrace('1 mkdirat(AT_FDCWD,"/tmp/x-A5zuwl",0700) = 0\n'), parseTrace('1 mkdirat(AT_FDCWD,"/tmp/x-IJ4iCK",0700) = 0\n'));
    expect(names.divergence).toBeUndefined();
    expect(names.normalised['random-name']).toBe(1);
    const longer = compareTraces(parseTrace('1 mkdirat(AT_FDCWD,"/tmp/abcdefgh",0700) = 0\n'), parseTrace('1 mkdirat(AT_FDCWD,"/tmp/zzzzzzzz",0700) = 0\n'));
    expect(longer.divergence).toMatchObject({ index: 0, what: 'argument 2 differs', qemu: 'mkdirat(AT_FDCWD,"/tmp/abcdefgh",0700) = 0' });
    const format = compareTraces(parseTrace('1 getdents64(3,0x10,4096) = -1 errno=14 (Bad address)\n'), parseTrace('1 getdents64(3,16,4096,0,0,0) = -1 errno=14 (Bad address)\n'));
    expect(format.divergence).toBeUndefined();
  });
});

// The Go runtime's heap arena: qemu-riscv64 7.2 (the guest sees the host's 47-bit space)
// honours the hint 0xc000000000; zerosys, with riscv64 Linux's Sv39 user space of 2^38
// bytes, cannot, so Go probes its further hints (0x1c000000000 ... 0x7fc000000000, each
// given back) and falls back to sysReserveAligned: 128 MiB anywhere, trimmed by munmap to
// the 64 MiB-aligned 64 MiB in it. Lines from both sides' -strace of corpus go-hello (Go
// 1.19), with zerosys's 128 probes cut to three.
const GO_QEMU = `11974 mmap(NULL,8388608,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000004025162000
11974 mmap(0x000000c000000000,67108864,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x000000c000000000
11974 mmap(NULL,33554432,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000004025962000
11974 mmap(0x000000c000000000,4194304,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0) = 0x000000c000000000
11974 mmap(0x0000004025162000,28672,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0) = 0x0000004025162000
11974 mmap(NULL,1048576,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000004027b73000
`;
const GO_ZEROSYS = `1000 mmap(NULL,8388608,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fd2ea0000
1000 mmap(0x000000c000000000,67108864,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fceea0000
1000 munmap(0x0000003fceea0000,67108864) = 0
1000 mmap(0x000001c000000000,67108864,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fceea0000
1000 munmap(0x0000003fceea0000,67108864) = 0
1000 mmap(0x00007fc000000000,67108864,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fceea0000
1000 munmap(0x0000003fceea0000,67108864) = 0
1000 mmap(NULL,134217728,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fcaea0000
1000 munmap(0x0000003fcaea0000,18219008) = 0
1000 munmap(0x0000003fd0000000,48889856) = 0
1000 mmap(NULL,33554432,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fd0ea0000
1000 mmap(0x0000003fcc000000,4194304,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0) = 0x0000003fcc000000
1000 mmap(0x0000003fd2ea0000,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0) = 0x0000003fd2ea0000
1000 mmap(NULL,1048576,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fd0b8f000
`;

describe("compareTraces: a hint beyond zerosys's Sv39 address space ('address-space')", () => {
  const compare = (z: string, q = GO_QEMU) => compareTraces(parseTrace(q), parseTrace(z));

  it("accepts the probes and the aligned fallback for qemu's one honoured hint, and commits of other lengths after it", () => {
    const cmp = compare(GO_ZEROSYS);
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.qemuCalls).toBe(6);
    expect(cmp.normalised['address-space']).toBe(2); // the group, then the 28672- vs 8192-byte commit
  });

  it('still compares the call after the group', () => {
    const cmp = compare(GO_ZEROSYS.replace('mmap(NULL,33554432,PROT_READ|PROT_WRITE', 'mmap(NULL,33554432,PROT_READ'));
    expect(cmp.divergence).toMatchObject({ index: 2, what: 'argument 3 differs' });
  });

  it('rejects a trim that does not leave the aligned region', () => {
    const cmp = compare(GO_ZEROSYS.replace('munmap(0x0000003fcaea0000,18219008)', 'munmap(0x0000003fcaea0000,18223104)'));
    // Without the group the first probe passes as an mmap placed elsewhere; its munmap does not.
    expect(cmp.divergence).toMatchObject({ index: 2, what: 'different call' });
  });

  it('rejects a probe that is not given back, or that starts at another hint', () => {
    // Without the group, the probe passes as an mmap placed elsewhere; the next mmap does not match qemu's.
    expect(compare(GO_ZEROSYS.replace('1000 munmap(0x0000003fceea0000,67108864) = 0\n', '')).divergence).toMatchObject({ index: 2, what: 'argument 1 differs' });
    expect(compare(GO_ZEROSYS.replace('mmap(0x000000c000000000,', 'mmap(0x000002c000000000,')).divergence).toMatchObject({ index: 2, what: 'different call' });
  });

  it('does not apply to a hint inside the Sv39 space, which zerosys must honour too', () => {
    const low = (t: string) => t.replaceAll('0x000000c000000000', '0x0000002000000000');
    expect(compare(low(GO_ZEROSYS), low(GO_QEMU)).divergence).toMatchObject({ index: 2, what: 'different call' });
  });

  it('compares commit lengths when no hint was refused', () => {
    const q = '1 mmap(NULL,8388608,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000004025162000\n1 mmap(0x0000004025162000,28672,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0) = 0x0000004025162000\n';
    const z = '1 mmap(NULL,8388608,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0) = 0x0000003fd2ea0000\n1 mmap(0x0000003fd2ea0000,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED,-1,0) = 0x0000003fd2ea0000\n';
    expect(compareTraces(parseTrace(q), parseTrace(z)).divergence).toMatchObject({ index: 1, what: 'argument 2 differs' });
  });
});

describe("compareTraces: a clock read on one side only ('clock-read')", () => {
  // Go 1.19 reads CLOCK_MONOTONIC once more when the main goroutine is picked for latency
  // sampling (one in eight, from fastrand seeded by AT_RANDOM): qemu's -strace of go-hello
  // in such a run, and zerosys's, from schedinit to the signal stack.
  const q = `25240 rt_sigprocmask(SIG_SETMASK,NULL,0x0000000000158d60) = 0
25240 clock_gettime(CLOCK_MONOTONIC,0x0000004000800d80) = 0 ({tv_sec = 11998,tv_nsec = 941458860})
25240 clock_gettime(CLOCK_MONOTONIC,0x0000004000800ca8) = 0 ({tv_sec = 11998,tv_nsec = 941566360})
25240 clock_gettime(CLOCK_MONOTONIC,0x0000004000800cd8) = 0 ({tv_sec = 11998,tv_nsec = 943301777})
25240 sigaltstack((nil),0x4000800d88) = 0
`;
  const z = `1000 rt_sigprocmask(SIG_SETMASK,NULL,0x0000000000158d60) = 0
1000 clock_gettime(CLOCK_MONOTONIC,0x0000003ffffffd60) = 0 ({tv_sec = 1,tv_nsec = 160824})
1000 clock_gettime(CLOCK_MONOTONIC,0x0000003ffffffc88) = 0 ({tv_sec = 1,tv_nsec = 160936})
1000 sigaltstack((nil),0x3ffffffd68) = 0
`;

  it('accepts the extra read on either side', () => {
    const more = compareTraces(parseTrace(q), parseTrace(z));
    expect(more.divergence).toBeUndefined();
    expect(more.setAside['clock-read']).toEqual({ qemu: 1, zerosys: 0 });
    expect(compareTraces(parseTrace(z), parseTrace(q)).divergence).toBeUndefined();
  });

  it('does not skip another clock, a failed read, or any other call', () => {
    const realtime = q.replace('CLOCK_MONOTONIC,0x0000004000800cd8', 'CLOCK_REALTIME,0x0000004000800cd8');
    expect(compareTraces(parseTrace(realtime), parseTrace(z)).divergence).toMatchObject({ index: 3, what: 'different call' });
    const failed = q.replace(/(0x0000004000800cd8\)) = 0 .*/, '$1 = -1 errno=14 (Bad address)');
    expect(compareTraces(parseTrace(failed), parseTrace(z)).divergence).toMatchObject({ index: 3, what: 'different call' });
    const other = z.replace('1000 sigaltstack', '1000 getpid() = 1000\n1000 sigaltstack');
    expect(compareTraces(parseTrace(q.replace(/.*0x0000004000800cd8.*\n/, '')), parseTrace(other)).divergence).toMatchObject({ index: 3, what: 'different call' });
  });
});

describe("compareTraces: glibc's mkdtemp redraw on one side only ('random-retry')", () => {
  // corpus/dirs: zerosys's clock-derived value was unfair, so glibc's tempname drew again
  // with getrandom; qemu's (host clock) was not. Lines as each side printed them.
  const q = `1 chdir("/tmp/dt") = 0
1 clock_gettime(CLOCK_MONOTONIC,0x00000040008005c8) = 0 ({tv_sec = 12360,tv_nsec = 385704792})
1 mkdirat(AT_FDCWD,"/tmp/zerosys-dirs-u8MA2F",0700) = 0
`;
  const z = `1000 chdir("/tmp/dt") = 0
1000 clock_gettime(CLOCK_MONOTONIC,0x0000003ffffff5b8) = 0 ({tv_sec = 1,tv_nsec = 138024})
1000 getrandom(0x3ffffff5b0,8,1) = 8
1000 mkdirat(AT_FDCWD,"/tmp/zerosys-dirs-sERbte",0700) = 0
`;

  it('accepts the redraw on either side, twice in a row too', () => {
    const one = compareTraces(parseTrace(q), parseTrace(z));
    expect(one.divergence).toBeUndefined();
    expect(one.setAside['random-retry']).toEqual({ qemu: 0, zerosys: 1 });
    expect(compareTraces(parseTrace(z), parseTrace(q)).divergence).toBeUndefined();
    const twice = z.replace('1000 mkdirat', '1000 getrandom(0x3ffffff5b0,8,1) = 8\n1000 mkdirat');
    expect(compareTraces(parseTrace(q), parseTrace(twice)).setAside['random-retry']).toEqual({ qemu: 0, zerosys: 2 });
  });

  it('does not skip a getrandom that is not a redraw: other size, blocking, failed, or not after a clock read', () => {
    for (const bad of ['getrandom(0x3ffffff5b0,16,1) = 16', 'getrandom(0x3ffffff5b0,8,0) = 8', 'getrandom(0x3ffffff5b0,8,1) = -1 errno=11 (Resource temporarily unavailable)']) {
      expect(compareTraces(parseTrace(q), parseTrace(z.replace('getrandom(0x3ffffff5b0,8,1) = 8', bad))).divergence).toMatchObject({ index: 2, what: 'different call' });
    }
    const noClock = z.replace(/.*clock_gettime.*\n/, '');
    expect(compareTraces(parseTrace(q.replace(/.*clock_gettime.*\n/, '')), parseTrace(noClock)).divergence).toMatchObject({ index: 1, what: 'different call' });
  });
});

// Each rule accepts what it names and nothing just outside it: a near miss must be reported.
const STRICT = { interleavingRest: false };
const one = (q: string, z: string) => compareTraces(parseTrace(`1 ${q}\n`), parseTrace(`1000 ${z}\n`));

describe("rule 'time': the time left on an armed interval timer", () => {
  it('lets a non-zero it_value differ, and compares the interval, a zero it_value and the result', () => {
    const get = (value: string, interval = '{tv_sec = 0,tv_usec = 5000}') => `getitimer(ITIMER_REAL,0x0000004000800680) = 0 ({it_interval=${interval},it_value=${value},})`;
    const cmp = one(get('{tv_sec = 0,tv_usec = 19151}'), get('{tv_sec = 0,tv_usec = 19997}'));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.normalised.time).toBe(1);
    expect(one(get('{tv_sec = 0,tv_usec = 0}'), get('{tv_sec = 0,tv_usec = 1}')).divergence).toMatchObject({ what: 'result differs' });
    expect(one(get('{tv_sec = 0,tv_usec = 7}'), get('{tv_sec = 0,tv_usec = 7}', '{tv_sec = 0,tv_usec = 4000}')).divergence).toMatchObject({ what: 'result differs' });
    const set = (old: string) => `setitimer(ITIMER_PROF,{it_interval={tv_sec = 0,tv_usec = 0},it_value={tv_sec = 1,tv_usec = 0},},0x0000004000800680) = 0 (old_value = {it_interval={tv_sec = 0,tv_usec = 0},it_value=${old},})`;
    expect(one(set('{tv_sec = 1,tv_usec = 4000}'), set('{tv_sec = 1,tv_usec = 3999}')).divergence).toBeUndefined();
  });
});

describe("rule 'qemu-limitation': POSIX timer ids (posix-timer-ids)", () => {
  const trace = (pid: number, ids: number[]) => ids.map((id, i) => `${pid} ${['timer_settime', 'timer_gettime', 'timer_delete'][i % 3]}(${id},0,0,0,0,0) = 0`).join('\n') + '\n';
  it('pairs qemu\'s 0x0caf0000 | slot with Linux\'s id, one to one until the timer is deleted', () => {
    const cmp = compareTraces(parseTrace(trace(1, [0x0caf0000, 0x0caf0000, 0x0caf0000, 0x0caf0000])), parseTrace(trace(1000, [0, 0, 0, 1])));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.normalised['qemu-limitation']).toBe(4);
    expect(cmp.expected.join()).toContain('posix-timer-ids');
  });
  it('rejects one qemu id standing for two live timers, two qemu ids for one, and ids qemu never gives', () => {
    expect(compareTraces(parseTrace(trace(1, [0x0caf0000, 0x0caf0000])), parseTrace(trace(1000, [0, 1]))).divergence).toMatchObject({ index: 1, what: 'argument 1 differs' });
    expect(compareTraces(parseTrace(trace(1, [0x0caf0000, 0x0caf0001])), parseTrace(trace(1000, [0, 0]))).divergence).toMatchObject({ index: 1, what: 'argument 1 differs' });
    expect(compareTraces(parseTrace(trace(1, [5])), parseTrace(trace(1000, [0]))).divergence).toMatchObject({ index: 0, what: 'argument 1 differs' });
    expect(compareTraces(parseTrace(trace(1, [0x0caf0020])), parseTrace(trace(1000, [0]))).divergence).toMatchObject({ index: 0, what: 'argument 1 differs' });
  });
});

describe("rule 'random-name': a mkstemp/mkdtemp suffix in the path of the call that made it", () => {
  it('accepts the six random characters at the end of a created name, and the same name (or a path under it) later', () => {
    const q = '1 mkdirat(AT_FDCWD,"/tmp/d-u8MA2F",0700) = 0\n1 openat(AT_FDCWD,"/tmp/d-u8MA2F/f",O_RDONLY) = 3\n1 unlinkat(AT_FDCWD,"/tmp/d-u8MA2F",AT_REMOVEDIR) = 0\n';
    const z = '1000 mkdirat(AT_FDCWD,"/tmp/d-sERbte",0700) = 0\n1000 openat(AT_FDCWD,"/tmp/d-sERbte/f",O_RDONLY) = 3\n1000 unlinkat(AT_FDCWD,"/tmp/d-sERbte",AT_REMOVEDIR) = 0\n';
    const cmp = compareTraces(parseTrace(q), parseTrace(z));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.normalised['random-name']).toBe(3);
    const mkstemp = one('openat(AT_FDCWD,"/tmp/t-AbC123",O_RDWR|O_CREAT|O_EXCL,0600) = 3', 'openat(AT_FDCWD,"/tmp/t-xYz789",O_RDWR|O_CREAT|O_EXCL,0600) = 3');
    expect(mkstemp.divergence).toBeUndefined();
  });

  it('rejects two different names in a call that did not make them ("a.txt" vs "b.txt")', () => {
    expect(one('unlinkat(AT_FDCWD,"a.txt",0) = 0', 'unlinkat(AT_FDCWD,"b.txt",0) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
  });

  it('rejects a name differing outside its last six characters, in a seventh, or by length', () => {
    expect(one('mkdirat(AT_FDCWD,"/tmp/a-u8MA2F",0700) = 0', 'mkdirat(AT_FDCWD,"/tmp/b-u8MA2F",0700) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    expect(one('mkdirat(AT_FDCWD,"/tmp/dAu8MA2F",0700) = 0', 'mkdirat(AT_FDCWD,"/tmp/dBsERbte",0700) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    expect(one('mkdirat(AT_FDCWD,"/tmp/d-u8MA2F",0700) = 0', 'mkdirat(AT_FDCWD,"/tmp/d-u8MA2Fx",0700) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
  });

  it('rejects an openat without O_EXCL (not a fresh name), and a later path that was never made', () => {
    expect(one('openat(AT_FDCWD,"/tmp/t-AbC123",O_RDONLY) = 3', 'openat(AT_FDCWD,"/tmp/t-xYz789",O_RDONLY) = 3').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    const q = '1 mkdirat(AT_FDCWD,"/tmp/d-u8MA2F",0700) = 0\n1 unlinkat(AT_FDCWD,"/tmp/e-u8MA2F",0) = 0\n';
    const z = '1000 mkdirat(AT_FDCWD,"/tmp/d-sERbte",0700) = 0\n1000 unlinkat(AT_FDCWD,"/tmp/e-sERbte",0) = 0\n';
    expect(compareTraces(parseTrace(q), parseTrace(z)).divergence).toMatchObject({ index: 1, what: 'argument 2 differs' });
  });
});

describe("rule 'address': pointers only where the signature has one", () => {
  it('accepts different non-NULL pointers in pointer arguments', () => {
    const cmp = one('read(3,0x0000004000800528,16) = 16', 'read(3,0x0000003ffffff518,16) = 16');
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.normalised.address).toBe(1);
    expect(one('ioctl(3,FIONREAD,0x0000004000800528) = 0 (8)', 'ioctl(3,FIONREAD,0x0000003ffffff518) = 0 (8)').divergence).toBeUndefined();
  });

  it('rejects NULL against a pointer', () => {
    expect(one('rt_sigprocmask(SIG_SETMASK,NULL,0x0000004000800528) = 0', 'rt_sigprocmask(SIG_SETMASK,0x0000003ffffff518,0x0000003ffffff518) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
  });

  it('compares mmap offsets, protections and lengths, ioctl request numbers and arguments, and fcntl values exactly', () => {
    expect(one('mmap(NULL,4096,PROT_READ,MAP_PRIVATE,3,0x1000) = 0x0000004000000000', 'mmap(NULL,4096,PROT_READ,MAP_PRIVATE,3,0x2000) = 0x0000003f00000000').divergence).toMatchObject({ index: 0, what: 'argument 6 differs' });
    expect(one('mprotect(0x0000004000000000,4096,0x7) = 0', 'mprotect(0x0000003f00000000,4096,0x3) = 0').divergence).toMatchObject({ index: 0, what: 'argument 3 differs' });
    expect(one('ioctl(3,0x5401,0x0000004000800528) = -1 errno=25 (Inappropriate ioctl for device)', 'ioctl(3,0x5402,0x0000003ffffff518) = -1 errno=25 (Inappropriate ioctl for device)').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    expect(one('ioctl(3,FIOCLEX,0x10) = 0', 'ioctl(3,FIOCLEX,0x20) = 0').divergence).toMatchObject({ index: 0, what: 'argument 3 differs' });
    expect(one('fcntl(3,F_SETFL,0x800) = 0', 'fcntl(3,F_SETFL,0x802) = 0').divergence).toMatchObject({ index: 0, what: 'argument 3 differs' });
  });

  it('reads the id calls by their arity: registers past it are leftovers, the ids are compared', () => {
    // qemu-riscv64 7.2 prints setuid and setregid generically (six registers), zerosys too.
    expect(one('setuid(-1,274886297752,0,274886297352,67122,490944) = -1 errno=22 (Invalid argument)', 'setuid(-1,274877905032,0,274877904632,67122,490944) = -1 errno=22 (Invalid argument)').divergence).toBeUndefined();
    expect(one('setuid(1000,274886297752,0,0,0,0) = 0', 'setuid(1001,274886297752,0,0,0,0) = 0').divergence).toMatchObject({ index: 0, what: 'argument 1 differs' });
    expect(one('setregid(-1,7,274886297752,-4096,-4096,149) = 0', 'setregid(-1,7,274877905032,-4096,-4096,150) = 0').divergence).toBeUndefined();
    expect(one('setregid(-1,7,274886297752,-4096,-4096,149) = 0', 'setregid(-1,8,274886297752,-4096,-4096,149) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    expect(one('setresuid(4294967295,4294967295,5) = 0', 'setresuid(4294967295,4294967295,6) = 0').divergence).toMatchObject({ index: 0, what: 'argument 3 differs' });
    expect(one('setfsgid(4294967295) = 0', 'setfsgid(4294967295) = 0').divergence).toBeUndefined();
  });

  it('reads prctl and futex arguments by option and op: unused registers are leftovers, used ones are compared', () => {
    expect(one('prctl(3,274886298052,274886298056,0,0,274886297976) = 0', 'prctl(3,274877904000,274877904004,0,0,274877903920) = 0').divergence).toBeUndefined();
    expect(one('prctl(4,1,0,0,0,274886297976) = 0', 'prctl(4,0,0,0,0,274877903920) = 0').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    expect(one('prctl(16,274886298052,0,0,0,0) = 0', 'prctl(16,274877904000,0,0,0,0) = 0').divergence).toBeUndefined();
    expect(one('prctl(9999,274886298052,0,0,0,0) = -1 errno=22 (Invalid argument)', 'prctl(9999,274877904000,0,0,0,0) = -1 errno=22 (Invalid argument)').divergence).toMatchObject({ index: 0, what: 'argument 2 differs' });
    expect(one('futex(0x0000000000081458,FUTEX_LOCK_PI,0,NULL,0x0000000000000002,2) = 0', 'futex(0x0000000000081458,FUTEX_LOCK_PI,0,NULL,0x0000003ffffff518,7) = 0').divergence).toBeUndefined();
    expect(one('futex(0x0000000000081458,FUTEX_CMP_REQUEUE_PI,1,2,0x0000000000081460,5) = 0', 'futex(0x0000000000081458,FUTEX_CMP_REQUEUE_PI,1,2,0x0000000000081460,6) = 0').divergence).toMatchObject({ index: 0, what: 'argument 6 differs' });
    expect(one('futex(0x0000000000081458,FUTEX_CMP_REQUEUE_PI,1,2,0x0000004000081460,5) = 0', 'futex(0x0000000000081458,FUTEX_CMP_REQUEUE_PI,1,3,0x0000003f00081460,5) = 0').divergence).toMatchObject({ index: 0, what: 'argument 4 differs' });
  });
});

describe("rule 'time': only what was read from a clock", () => {
  it('sets aside the time clock_gettime read, and an absolute deadline', () => {
    expect(one('clock_gettime(CLOCK_REALTIME,0x0000004000800528) = 0 ({tv_sec = 5,tv_nsec = 1})', 'clock_gettime(CLOCK_REALTIME,0x0000003ffffff518) = 0 ({tv_sec = 1700000000,tv_nsec = 9})').divergence).toBeUndefined();
    const abs = one('clock_nanosleep(CLOCK_REALTIME,1,{tv_sec = 1796427070,tv_nsec = 880749021},NULL) = 0', 'clock_nanosleep(CLOCK_REALTIME,1,{tv_sec = 1700000001,tv_nsec = 1000},NULL) = 0');
    expect(abs.divergence).toBeUndefined();
    expect(abs.normalised.time).toBe(1);
  });

  it('compares clock_getres results and relative sleeps', () => {
    expect(one('clock_getres(CLOCK_REALTIME_COARSE,0x0000004000800528) = 0 ({tv_sec = 0,tv_nsec = 4000000})', 'clock_getres(CLOCK_REALTIME_COARSE,0x0000003ffffff518) = 0 ({tv_sec = 0,tv_nsec = 1})').divergence).toMatchObject({ index: 0, what: 'result differs' });
    expect(one('clock_nanosleep(CLOCK_REALTIME,0,{tv_sec = 0,tv_nsec = 50000000},NULL) = 0', 'clock_nanosleep(CLOCK_REALTIME,0,{tv_sec = 0,tv_nsec = 50000001},NULL) = 0').divergence).toMatchObject({ index: 0, what: 'argument 3 differs' });
    expect(one('clock_nanosleep(CLOCK_REALTIME,0,{tv_sec = 0,tv_nsec = 5},{tv_sec = 7,tv_nsec = 7}) = 0', 'clock_nanosleep(CLOCK_REALTIME,0,{tv_sec = 0,tv_nsec = 5},{tv_sec = 0,tv_nsec = 0}) = 0').divergence).toMatchObject({ index: 0, what: 'argument 4 differs' });
  });

  it("compares a futex wait's relative timeout (an input), not an absolute one", () => {
    const wait = (t: string) => `futex(0x0000000000081458,FUTEX_PRIVATE_FLAG|FUTEX_WAIT,0,${t},NULL,0) = -1 errno=110 (Connection timed out)`;
    expect(one(wait('{tv_sec = 0,tv_nsec = 1000}'), wait('{tv_sec = 0,tv_nsec = 1000}')).divergence).toBeUndefined();
    expect(one(wait('{tv_sec = 0,tv_nsec = 1000}'), wait('{tv_sec = 0,tv_nsec = 2000}')).divergence).toMatchObject({ index: 0, what: 'argument 4 differs' });
  });
});

describe("rule 'host': sched_getaffinity's mask size, and nothing else", () => {
  it("accepts the host's mask size under qemu when zerosys returns min(len, 8)", () => {
    const cmp = one('sched_getaffinity(0,8192,274886290920,16,0,-2) = 32', 'sched_getaffinity(0,8192,274877898136,16,0,-2) = 8');
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.expected[0]).toMatch(/kernel\/sched\/core\.c/);
  });

  it('rejects another zerosys value, and compares getpriority and sysinfo results', () => {
    expect(one('sched_getaffinity(0,8192,274886290920,16,0,-2) = 32', 'sched_getaffinity(0,8192,274877898136,16,0,-2) = 16').divergence).toMatchObject({ index: 0, what: 'result differs' });
    expect(one('getpriority(0,0) = 20', 'getpriority(0,0) = 19').divergence).toMatchObject({ index: 0, what: 'result differs' });
    // PRIO_USER: the user's best over the host's processes, at least the guest's own.
    expect(one('getpriority(0x2,0) = 40', 'getpriority(0x2,0) = 20').divergence).toBeUndefined();
    expect(one('getpriority(0x2,0) = 19', 'getpriority(0x2,0) = 20').divergence).toMatchObject({ index: 0, what: 'result differs' });
    expect(one('sysinfo(274886298264,0,0,0,0,0) = 0', 'sysinfo(274877904000,0,0,0,0,0) = -1 errno=14 (Bad address)').divergence).toMatchObject({ index: 0, what: 'result differs' });
  });

  it("takes a thread's own id as its pid argument (Rust asks with gettid()), but not 0 (self) against an id", () => {
    expect(one('sched_getaffinity(9734,32,901776,901776,2147483647,32) = 32', 'sched_getaffinity(1000,32,902816,902816,2147483647,32) = 8').divergence).toBeUndefined();
    expect(one('sched_getaffinity(0,32,901776,901776,2147483647,32) = 32', 'sched_getaffinity(1000,32,902816,902816,2147483647,32) = 8').divergence).toMatchObject({ index: 0, what: 'argument 1 differs' });
    expect(one('prlimit64(9734,3,0,274886297480,366264,3) = 0', 'prlimit64(1000,3,0,274877904760,366264,3) = 0').divergence).toBeUndefined();
    expect(one('prlimit64(0,3,0,274886297480,366264,3) = 0', 'prlimit64(1000,3,0,274877904760,366264,3) = 0').divergence).toMatchObject({ index: 0, what: 'argument 1 differs' });
  });
});

describe('signals are compared', () => {
  const sig = (info: string) => `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, ${info}} ---`;

  it('parses signal lines with or without an id, and accepts different sender pids', () => {
    const events = parseTrace(`7 ${sig('si_pid=7, si_uid=0')}\n${sig('si_pid=7, si_uid=0')}\n`);
    expect(events.map((e) => [e.kind, e.name, e.pid])).toEqual([['signal', 'SIGUSR1', 7], ['signal', 'SIGUSR1', undefined]]);
    expect(one(sig('si_pid=7, si_uid=0'), sig('si_pid=1000, si_uid=0')).divergence).toBeUndefined();
  });

  it('rejects a missing signal, another signal, another code or uid, and a different low fault address', () => {
    const q = parseTrace(`1 kill(1,SIGUSR1) = 0\n1 ${sig('si_pid=1, si_uid=0')}\n1 exit_group(0)\n`);
    expect(compareTraces(q, parseTrace('1000 kill(1000,SIGUSR1) = 0\n1000 exit_group(0)\n')).divergence).toMatchObject({ index: 1, what: "a signal on qemu's side, a call on zerosys's" });
    expect(one(sig('si_pid=7, si_uid=0'), sig('si_pid=7, si_uid=0').replace(/SIGUSR1/g, 'SIGUSR2')).divergence).toMatchObject({ index: 0, what: 'different signal' });
    expect(one(sig('si_pid=7, si_uid=0'), sig('si_pid=7, si_uid=0').replace('SI_TKILL', 'SI_USER')).divergence).toMatchObject({ index: 0, what: 'signal si_code differs' });
    expect(one(sig('si_pid=7, si_uid=0'), sig('si_pid=7, si_uid=1')).divergence).toMatchObject({ index: 0, what: 'signal si_uid differs' });
    const segv = (addr: string) => `--- SIGSEGV {si_signo=SIGSEGV, si_code=1, si_addr=${addr}} ---`;
    expect(one(segv('0x0000000000000008'), segv('0x0000000000000010')).divergence).toMatchObject({ index: 0, what: 'signal si_addr differs' });
    expect(one(segv('0x0000004027cd3064'), segv('0x0000003fd2ea3064')).divergence).toBeUndefined();
  });

  it("sets a timer signal's overrun count aside (host time under qemu), but not another code's uid", () => {
    const timer = (overrun: number) => `--- SIGVTALRM {si_signo=SIGVTALRM, si_code=SI_TIMER, si_pid=1, si_uid=${overrun}, si_sigval=0} ---`;
    const r = one(timer(2), timer(0));
    expect(r.divergence).toBeUndefined();
    expect(r.normalised.time).toBe(1);
    expect(one(timer(2), timer(0).replace('si_sigval=0', 'si_sigval=1')).divergence).toMatchObject({ index: 0, what: 'signal si_sigval differs' });
    expect(one(sig('si_pid=7, si_uid=2'), sig('si_pid=7, si_uid=0')).divergence).toMatchObject({ index: 0, what: 'signal si_uid differs' });
  });
});

// Two threads under qemu with the thread-id library (strace-tid.ts): lines of the main
// thread 50 and its child 51 interleave, a result comes back after another thread's line
// ("<... resumed>"); zerosys's threads 1000 and 1001 run one after the other.
const FLAGS = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';
const T_QEMU = `50 mmap(NULL,8392704,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS|0x20000,-1,0) = 0x0000004000802000
50 clone(${FLAGS},child_stack=0x0000004001001db0,parent_tidptr=0x00000040010025d0,tls=0x0000004001002c60,child_tidptr=0x00000040010025d0)
51 rt_sigprocmask(SIG_SETMASK,0x0000004001002bf0,NULL) = 0
50 <... resumed> = 51
51 futex(0x0000000000081458,FUTEX_PRIVATE_FLAG|FUTEX_WAIT,2,NULL,0x0000000000000001,1)
50 futex(0x0000000000081458,FUTEX_PRIVATE_FLAG|FUTEX_WAKE,1,NULL,0x0000000000000002,2) = 1
51 <... resumed> = 0
51 sched_yield(0,0,0,1,1,0) = 0
51 write(1,0x0000004001002000,5) = 5
51 exit(0)
50 futex(0x00000040010025d0,FUTEX_CLOCK_REALTIME|FUTEX_WAIT_BITSET,51,NULL,NULL,0) = -1 errno=11 (Resource temporarily unavailable)
50 munmap(0x0000004000802000,8392704) = 0
50 exit_group(0)
`;
const T_ZEROSYS = `1000 mmap(NULL,8392704,PROT_NONE,MAP_PRIVATE|MAP_ANONYMOUS|0x20000,-1,0) = 0x0000003ff7ffe000
1000 clone(${FLAGS},child_stack=0x0000003ff87fddb0,parent_tidptr=0x0000003ff87fe5d0,tls=0x0000003ff87fec60,child_tidptr=0x0000003ff87fe5d0) = 1001
1000 futex(0x00000000000814a0,FUTEX_PRIVATE_FLAG|FUTEX_WAKE,1,NULL,0x0000000000000002,2) = 0
1001 rt_sigprocmask(SIG_SETMASK,0x0000003ff87febf0,NULL) = 0
1001 write(1,0x0000003ff87fe000,5) = 5
1001 exit(0)
1000 futex(0x0000003ff87fe5d0,FUTEX_CLOCK_REALTIME|FUTEX_WAIT_BITSET,1001,NULL,NULL,0) = 0
1000 munmap(0x0000003ff7ffe000,8392704) = 0
1000 exit_group(0)
`;

describe('threads are compared thread by thread', () => {
  it('parses "<... resumed>" lines as the rest of that thread\'s call', () => {
    const events = parseTrace(T_QEMU);
    const clone = events.find((e) => e.name === 'clone')!;
    expect(clone.ret).toBe(51n);
    const wait = events.find((e) => e.pid === 51 && e.name === 'futex')!;
    expect(wait.ret).toBe(0n);
    expect(events.filter((e) => e.kind === 'call')).toHaveLength(11);
  });

  it('pairs threads by creation order, compares each one\'s calls, and counts the scheduling calls set aside', () => {
    const cmp = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.threads).toBe(2);
    // main: mmap, clone, WAKE (paired), WAIT_BITSET (paired, outcome set aside), munmap, exit_group;
    // child: rt_sigprocmask, write, exit; its FUTEX_WAIT and sched_yield have no counterpart.
    expect(cmp.compared).toBe(9);
    expect(cmp.setAside.scheduling).toEqual({ qemu: 2, zerosys: 0 });
    expect(cmp.normalised.scheduling).toBe(2);
    expect(cmp.qemuCalls).toBe(11);
  });

  it("reports a difference in a thread's own calls, with the thread", () => {
    const cmp = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS.replace('1001 write(1,0x0000003ff87fe000,5) = 5', '1001 write(2,0x0000003ff87fe000,5) = 5')), STRICT);
    expect(cmp.divergence).toMatchObject({ thread: 1, index: 3, what: 'argument 1 differs' });
  });

  it('does not set aside a call that is not a scheduling one, nor a futex of another op', () => {
    const extra = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS.replace('1001 exit(0)', '1001 getpid() = 1000\n1001 exit(0)')), STRICT);
    expect(extra.divergence).toMatchObject({ thread: 1, what: 'different call' });
    // A scheduling futex of another op has no counterpart: set aside on both sides, counted.
    const op = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS.replace('FUTEX_PRIVATE_FLAG|FUTEX_WAKE,1', 'FUTEX_PRIVATE_FLAG|FUTEX_WAKE_OP,1')), STRICT);
    expect(op.divergence).toBeUndefined();
    expect(op.setAside.scheduling).toEqual({ qemu: 3, zerosys: 1 });
    expect(op.compared).toBe(8);
    // A futex that is not a scheduling one (FUTEX_LOCK_PI) is compared like any call.
    const pi = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS.replace('FUTEX_PRIVATE_FLAG|FUTEX_WAKE,1', 'FUTEX_PRIVATE_FLAG|FUTEX_LOCK_PI,1')), STRICT);
    expect(pi.divergence).toMatchObject({ thread: 0, index: 4, what: 'different call', zerosys: expect.stringContaining('FUTEX_LOCK_PI') });
    const flags = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS.replace('1000 futex(0x00000000000814a0,FUTEX_PRIVATE_FLAG|FUTEX_WAKE', '1000 futex(0x00000000000814a0,FUTEX_WAKE')), STRICT);
    expect(flags.divergence).toBeUndefined();
    expect(flags.setAside.scheduling).toEqual({ qemu: 3, zerosys: 1 }); // other flags: no counterpart
  });

  it('reports a missing thread', () => {
    const clone = T_QEMU.split('\n')[1];
    const q = T_QEMU.replace('50 munmap', `${clone.replace('tls=', 'tls=')} = 52\n52 exit(0)\n50 munmap`);
    const cmp = compareTraces(parseTrace(q), parseTrace(T_ZEROSYS), STRICT);
    expect(cmp.divergence).toMatchObject({ thread: 0, index: 4, what: 'different call' });
    const zMore = T_ZEROSYS.replace('1000 munmap', `${T_ZEROSYS.split('\n')[1].replace('= 1001', '= 1002')}\n1002 exit(0)\n1000 munmap`);
    expect(compareTraces(parseTrace(T_QEMU), parseTrace(zMore), STRICT).divergence).toMatchObject({ thread: 0, what: 'different call' });
    // Both sides with the same calls in thread 0, but a thread more on one side.
    const zExtra = `${T_ZEROSYS}1005 exit(0)\n`;
    expect(compareTraces(parseTrace(T_QEMU), parseTrace(zExtra), STRICT).divergence).toMatchObject({ thread: 2, what: 'zerosys created more threads' });
  });
  it("by default sets aside, and counts, the rest of a thread whose calls part from its counterpart's, and says where", () => {
    const cmp = compareTraces(parseTrace(T_QEMU), parseTrace(T_ZEROSYS.replace('1001 write(1,0x0000003ff87fe000,5) = 5', '1001 write(2,0x0000003ff87fe000,5) = 5')));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.parted).toMatchObject([{ thread: 1, index: 3, what: 'argument 1 differs' }]);
    expect(cmp.setAside['interleaving-rest']).toEqual({ qemu: 2, zerosys: 2 }); // write and exit on each side
    expect(cmp.compared).toBe(7); // main: 6 (with the two futex pairs); child: rt_sigprocmask
    // A single-threaded program has no such rule: its first difference is the verdict.
    expect(one('write(1,0x10,3) = 3', 'write(2,0x10,3) = 3').divergence).toMatchObject({ index: 0, what: 'argument 1 differs' });
  });
  it("'program-io': the file calls set aside after a parting count as compared when they are the same sequence, else stay aside", () => {
    // zerosys's child makes one call more before its write: the threads part there.
    const extra = (write: string) => T_ZEROSYS.replace('1001 write(1,0x0000003ff87fe000,5) = 5', `1001 sigaltstack(NULL,0x0000003ff87fe100) = 0\n${write}`);
    const same = compareTraces(parseTrace(T_QEMU), parseTrace(extra('1001 write(1,0x0000003ff87fe000,5) = 5')));
    expect(same.divergence).toBeUndefined();
    expect(same.parted).toMatchObject([{ thread: 1, index: 3 }]);
    expect(same.normalised['program-io']).toBe(1);
    expect(same.compared).toBe(8); // main 6, the child's rt_sigprocmask and now its write
    expect(same.setAside['interleaving-rest']).toEqual({ qemu: 1, zerosys: 2 }); // exit; sigaltstack and exit
    // Near miss: the write's length differs, so the sequence is not the same: nothing moves.
    const differs = compareTraces(parseTrace(T_QEMU), parseTrace(extra('1001 write(1,0x0000003ff87fe000,4) = 4')));
    expect(differs.divergence).toBeUndefined();
    expect(differs.normalised['program-io']).toBeUndefined();
    expect(differs.compared).toBe(7);
    expect(differs.setAside['interleaving-rest']).toEqual({ qemu: 2, zerosys: 3 });
  });
});

describe('NORMALISATION_RULES', () => {
  it('documents every rule the comparison applies or sets aside by', () => {
    for (const rule of ['pid', 'pid-result', 'address', 'address-result', 'time', 'unused-register', 'qemu-limitation', 'pid-argument', 'format', 'threads', 'scheduling', 'random-name', 'host', 'clock-read', 'random-retry', 'address-space', 'program-io', 'largefile', 'ignored-signal']) {
      expect(NORMALISATION_RULES[rule], rule).toBeTruthy();
    }
  });
});

describe("rule 'ignored-signal': a default-ignored signal without a handler, on the side that shows it", () => {
  const chld = (pid: number) => `--- SIGCHLD {si_signo=SIGCHLD, si_code=SI_TKILL, si_pid=${pid}, si_uid=0} ---`;
  // musl's raise(): block everything, tkill, restore the mask: Linux queues the blocked SIGCHLD
  // and takes it when the mask is restored; qemu, with no host handler for it, never sees it.
  const qemu = `1 rt_sigprocmask(SIG_BLOCK,0x0000000000010df0,0x0000004000800a30) = 0
1 tkill(1,SIGCHLD) = 0
1 rt_sigprocmask(SIG_SETMASK,0x0000004000800a30,NULL) = 0
1 exit_group(0)
`;
  const zerosys = (between: string, after = 'exit_group(0)') => `1000 rt_sigprocmask(SIG_BLOCK,0x0000000000010df0,0x0000003ff7fff000) = 0
1000 tkill(1000,SIGCHLD) = 0
${between}
1000 ${chld(1000)}
1000 ${after}
`;

  it("sets aside zerosys's SIGCHLD taken right where the mask is lifted", () => {
    const r = compareTraces(parseTrace(qemu), parseTrace(zerosys('1000 rt_sigprocmask(SIG_SETMASK,0x0000003ff7fff000,NULL) = 0')));
    expect(r.divergence).toBeUndefined();
    expect(r.setAside['ignored-signal']).toEqual({ qemu: 0, zerosys: 1 });
  });

  it('takes SIGTERM under SIG_IGN the same way (raise() of an ignored signal)', () => {
    const term = (t: string) => t.replace(/SIGCHLD/g, 'SIGTERM');
    expect(compareTraces(parseTrace(term(qemu)), parseTrace(term(zerosys('1000 rt_sigprocmask(SIG_SETMASK,0x0000003ff7fff000,NULL) = 0')))).divergence).toBeUndefined();
  });

  it('rejects near misses: not after a mask change, a stop signal, the last event, a handler that ran', () => {
    // After a call that lifts nothing (SIG_BLOCK), the signal is not explained.
    const blockOnly = zerosys('1000 rt_sigprocmask(SIG_BLOCK,0x0000003ff7fff000,NULL) = 0');
    expect(compareTraces(parseTrace(qemu.replace('SIG_SETMASK,0x0000004000800a30', 'SIG_BLOCK,0x0000004000800a30')), parseTrace(blockOnly)).divergence).toBeDefined();
    // A stop signal is never ignored by its default.
    const stop = zerosys('1000 rt_sigprocmask(SIG_SETMASK,0x0000003ff7fff000,NULL) = 0').replace(/SIGCHLD/g, 'SIGTSTP');
    expect(compareTraces(parseTrace(qemu.replace('SIGCHLD', 'SIGTSTP')), parseTrace(stop)).divergence).toBeDefined();
    // The signal is the thread's last event: it killed the thread, it was not ignored.
    const last = zerosys('1000 rt_sigprocmask(SIG_SETMASK,0x0000003ff7fff000,NULL) = 0').replace(/SIGCHLD/g, 'SIGUSR1').replace(/1000 exit_group\(0\)\n$/, '');
    expect(compareTraces(parseTrace(qemu.replace('SIGCHLD', 'SIGUSR1').replace(/1 exit_group\(0\)\n$/, '')), parseTrace(last)).divergence).toBeDefined();
    // A handler ran (rt_sigreturn follows): the guest saw it, qemu must show it too.
    const handled = zerosys('1000 rt_sigprocmask(SIG_SETMASK,0x0000003ff7fff000,NULL) = 0', 'rt_sigreturn(0) = 0');
    expect(compareTraces(parseTrace(qemu), parseTrace(handled)).divergence).toBeDefined();
  });
});

describe("rule 'largefile': F_GETFL of a file Linux opened with O_LARGEFILE", () => {
  const trace = (pid: number, opener: string, flags: number, between = '') =>
    `${pid} ${opener} = 3\n${between}${pid} fcntl(3,F_GETFL) = ${flags}\n${pid} exit_group(0)\n`;
  const openat = 'openat(AT_FDCWD,"a.txt",O_WRONLY|O_APPEND|O_LARGEFILE)';

  it("accepts zerosys's flags as qemu's plus O_LARGEFILE after openat, memfd_create, or a dup of one", () => {
    const r = compareTraces(parseTrace(trace(1, openat, 0x401)), parseTrace(trace(1000, openat, 0x8401)));
    expect(r.divergence).toBeUndefined();
    expect(r.normalised.largefile).toBe(1);
    expect(r.expected.some((e) => e.includes('fgetfl-largefile'))).toBe(true);
    const memfd = 'memfd_create("x",0)';
    expect(compareTraces(parseTrace(trace(1, memfd, 2)), parseTrace(trace(1000, memfd, 0x8002))).divergence).toBeUndefined();
    const dup = (pid: number, flags: number) => `${pid} ${openat} = 3\n${pid} dup(3) = 4\n${pid} fcntl(4,F_GETFL) = ${flags}\n`;
    expect(compareTraces(parseTrace(dup(1, 0x401)), parseTrace(dup(1000, 0x8401))).divergence).toBeUndefined();
  });

  it('rejects near misses: another bit, the bit on qemu\'s side, a pipe, an fd closed since, another command', () => {
    expect(compareTraces(parseTrace(trace(1, openat, 0x401)), parseTrace(trace(1000, openat, 0x4401))).divergence).toMatchObject({ what: 'result differs' });
    expect(compareTraces(parseTrace(trace(1, openat, 0x8401)), parseTrace(trace(1000, openat, 0x401))).divergence).toMatchObject({ what: 'result differs' });
    const pipe = (pid: number, flags: number) => `${pid} pipe2(0x10000,0) = 0\n${pid} fcntl(3,F_GETFL) = ${flags}\n`;
    expect(compareTraces(parseTrace(pipe(1, 1)), parseTrace(pipe(1000, 0x8001))).divergence).toMatchObject({ what: 'result differs' });
    const closed = (pid: number, flags: number) => trace(pid, openat, flags, `${pid} close(3) = 0\n${pid} pipe2(0x10000,0) = 0\n`);
    expect(compareTraces(parseTrace(closed(1, 1)), parseTrace(closed(1000, 0x8001))).divergence).toMatchObject({ what: 'result differs' });
    const getfd = (pid: number, v: number) => `${pid} ${openat} = 3\n${pid} fcntl(3,F_GETFD) = ${v}\n`;
    expect(compareTraces(parseTrace(getfd(1, 0)), parseTrace(getfd(1000, 0x8000))).divergence).toMatchObject({ what: 'result differs' });
  });
});

describe("rule 'qemu-limitation': reads of a /proc/self file qemu renders itself (proc-self-rendered-by-qemu)", () => {
  // glibc's pthread_getattr_np reading /proc/self/maps through stdio: qemu's memfd has a
  // 4096-byte st_blksize and its own text, Linux's procfs file 1024 bytes.
  const maps = (path: string, reads: string[]) =>
    [`1 openat(AT_FDCWD,"${path}",O_RDONLY|O_CLOEXEC) = 3`, '1 newfstatat(3,"",0x4000800,0x1000) = 0', ...reads.map((r) => `1 read(3,0xdc290,${r}`), '1 close(3) = 0', '1 exit_group(0)'].join('\n') + '\n';
  const QEMU_READS = ['4096) = 844', '4096) = 0'];
  const LINUX_READS = ['1024) = 1024', '1024) = 345', '1024) = 0'];

  it('sets the reads aside on each side, compares the open, fstat and close, and cites the entry', () => {
    const cmp = compareTraces(parseTrace(maps('/proc/self/maps', QEMU_READS)), parseTrace(maps('/proc/self/maps', LINUX_READS)));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.compared).toBe(4);
    expect(cmp.setAside['qemu-limitation']).toEqual({ qemu: 2, zerosys: 3 });
    expect(cmp.expected.join('\n')).toContain('(proc-self-rendered-by-qemu)');
  });

  it('compares reads of a /proc file qemu passes to the host, and of any other file', () => {
    for (const path of ['/proc/self/status', '/proc/self/mapsx', 'maps']) {
      const cmp = compareTraces(parseTrace(maps(path, QEMU_READS)), parseTrace(maps(path, LINUX_READS)));
      expect(cmp.divergence?.what, path).toBe('argument 3 differs');
    }
  });

  it('stops at the close: the same fd number opened on another file compares again', () => {
    const reuse = (first: string[], second: string) =>
      maps('/proc/self/maps', first).replace('1 exit_group(0)\n', '') + `1 openat(AT_FDCWD,"data",O_RDONLY) = 3\n1 read(3,0xdc290,${second}\n1 exit_group(0)\n`;
    const cmp = compareTraces(parseTrace(reuse(QEMU_READS, '4096) = 10')), parseTrace(reuse(LINUX_READS, '1024) = 10')));
    expect(cmp.divergence?.what).toBe('argument 3 differs');
    expect(cmp.divergence?.qemu).toBe('read(3,0xdc290,4096) = 10');
  });
});

describe('processes: fork and exec', () => {
  const fork = 'CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|0x11,child_stack=0x0000000000000000,parent_tidptr=0x0000000000000000,tls=0x0000000000000000,child_tidptr=0x00000000000800d0';
  // qemu: the child's lines carry the host pid; the parent's wait4 result resumes its line.
  const qemu = (child: string) => `10 clone(${fork}) = 11\n10 wait4(11,274886296748,0,0,0,0)\n11 <... resumed> = 0\n${child}10 <... resumed> = 11\n10 exit_group(0)\n`;
  const zerosys = (child: string, waited = '1001') => `1000 clone(${fork}) = 1001\n${child}1000 wait4(${waited},274877904552,0,0,0,0) = 1001\n1000 exit_group(0)\n`;

  it("compares a forked child's calls as their own task, its pid as a pid", () => {
    const cmp = compareTraces(parseTrace(qemu('11 getppid() = 10\n11 exit_group(7)\n')), parseTrace(zerosys('1001 getppid() = 1000\n1001 exit_group(7)\n')));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.compared).toBe(5);
    expect(cmp.normalised['pid-argument']).toBe(1);
    // Near misses: another exit code in the child, and a wait4 for "any child" against one pid.
    // Tasks part as threads do (rule interleaving-rest: listed, not compared, not a pass of those calls).
    const partedAt = (c: ReturnType<typeof compareTraces>) => c.parted.map((p) => `${p.thread}: ${p.what}`);
    const code = compareTraces(parseTrace(qemu('11 getppid() = 10\n11 exit_group(7)\n')), parseTrace(zerosys('1001 getppid() = 1000\n1001 exit_group(6)\n')));
    expect(partedAt(code)).toEqual(['1: argument 1 differs']);
    expect(code.compared).toBe(4);
    const any = compareTraces(parseTrace(qemu('11 exit_group(7)\n')), parseTrace(zerosys('1001 exit_group(7)\n', '-1')));
    expect(partedAt(any)).toEqual(['0: argument 1 differs']);
  });

  it("rule 'exec-untraced': sets aside zerosys's calls after an execve that ends qemu's task, and nothing else", () => {
    const exec = 'execve("/proc/self/exe",{"x","y",NULL})';
    const cmp = compareTraces(parseTrace(qemu(`11 ${exec}\n`)), parseTrace(zerosys(`1001 ${exec}\n1001 brk(NULL) = 0x0000000000080000\n1001 exit_group(3)\n`)));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.setAside['exec-untraced']).toEqual({ qemu: 0, zerosys: 2 });
    // Near misses: qemu's exec failed (it has a result): zerosys's extra calls are a difference;
    // another argv is a difference too.
    const failed = compareTraces(
      parseTrace(qemu(`11 ${exec} = -1 errno=2 (No such file or directory)\n`)),
      parseTrace(zerosys(`1001 ${exec} = -1 errno=2 (No such file or directory)\n1001 exit_group(127)\n`)),
    );
    expect(failed.parted.map((p) => p.what)).toEqual(['zerosys made more calls']);
    expect(failed.setAside['exec-untraced']).toBeUndefined();
    const argv = compareTraces(parseTrace(qemu(`11 ${exec}\n`)), parseTrace(zerosys(`1001 ${exec.replace('"y"', '"z"')}\n1001 exit_group(3)\n`)));
    expect(argv.parted.map((p) => p.what)).toEqual(['argument 2 differs']);
  });
});
