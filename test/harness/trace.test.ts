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
