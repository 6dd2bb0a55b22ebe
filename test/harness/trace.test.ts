// Parsing qemu-riscv64 -strace text and comparing two traces call by call. The trace text
// below is qemu-riscv64 7.2's own output for the corpus hello program (stderr, so the
// guest's output splits the write line), and a zerosys trace of the same run.

import { describe, expect, it } from 'vitest';
import { compareTraces, countCalls, parseTrace } from '../../harness/conformance/trace.ts';

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
    expect(cmp.expected).toEqual(['set_robust_list: qemu-riscv64 7.2 answers ENOSYS; zerosys succeeds as Linux does']);
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

  it("compares a thread-creating clone's arguments, not its result (qemu may log the child's 0 first)", () => {
    const flags = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';
    const q = `1 getpid() = 5\n1 clone(${flags},child_stack=0x10,parent_tidptr=0x20,tls=0x30,child_tidptr=0x20) = 0\n1 write(1,0x40,3) = 3\n`;
    const z = `1 getpid() = 9\n1 clone(${flags},child_stack=0x10,parent_tidptr=0x20,tls=0x30,child_tidptr=0x20) = 1001\n1 futex(0x40,128,1) = 0\n`;
    const cmp = compareTraces(parseTrace(q), parseTrace(z));
    expect(cmp.divergence).toBeUndefined();
    expect(cmp.normalised.threads).toBe(1);
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
    expect(longer.divergence).toBeDefined();
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
    expect(compare(GO_ZEROSYS.replace('1000 munmap(0x0000003fceea0000,67108864) = 0\n', '')).divergence).toBeDefined();
    expect(compare(GO_ZEROSYS.replace('mmap(0x000000c000000000,', 'mmap(0x000002c000000000,')).divergence).toBeDefined();
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
    expect(more.normalised['clock-read']).toBe(1);
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
    expect(one.normalised['random-retry']).toBe(1);
    expect(compareTraces(parseTrace(z), parseTrace(q)).divergence).toBeUndefined();
    const twice = z.replace('1000 mkdirat', '1000 getrandom(0x3ffffff5b0,8,1) = 8\n1000 mkdirat');
    expect(compareTraces(parseTrace(q), parseTrace(twice)).normalised['random-retry']).toBe(2);
  });

  it('does not skip a getrandom that is not a redraw: other size, blocking, failed, or not after a clock read', () => {
    for (const bad of ['getrandom(0x3ffffff5b0,16,1) = 16', 'getrandom(0x3ffffff5b0,8,0) = 8', 'getrandom(0x3ffffff5b0,8,1) = -1 errno=11 (Resource temporarily unavailable)']) {
      expect(compareTraces(parseTrace(q), parseTrace(z.replace('getrandom(0x3ffffff5b0,8,1) = 8', bad))).divergence).toMatchObject({ index: 2, what: 'different call' });
    }
    const noClock = z.replace(/.*clock_gettime.*\n/, '');
    expect(compareTraces(parseTrace(q.replace(/.*clock_gettime.*\n/, '')), parseTrace(noClock)).divergence).toMatchObject({ index: 1, what: 'different call' });
  });
});
