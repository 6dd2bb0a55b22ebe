// Two qemu traces of one program compared with each other: the reference's own run-to-run
// agreement. Traces in qemu-riscv64 7.2's -strace format (host thread ids first).

import { describe, expect, it } from 'vitest';
import { stabilityMarkdown, stabilityRow } from './reference-stability.ts';

const RUN = (pid: number, random: string) => `${pid} brk(NULL) = 0x000000000007d000
${pid} set_tid_address(512208,466392,0,508832,512192,508832) = ${pid}
${pid} getrandom(0x7c260,8,1) = 8
${pid} openat(AT_FDCWD,"out.txt",O_WRONLY|O_CREAT|O_TRUNC,0644) = 3
${pid} write(3,0x7dfa0,${random}) = ${random}
${pid} exit_group(0)
`;

const CLONE = 'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID';
/** A main thread that starts one thread and waits on a futex `waits` times. */
const THREADED = (pid: number, waits: number) =>
  [
    `${pid} getpid() = ${pid}`,
    `${pid} clone(${CLONE},child_stack=0x10,parent_tidptr=0x20,tls=0x30,child_tidptr=0x20) = ${pid + 1}`,
    ...Array.from({ length: waits }, () => `${pid} futex(0x40,FUTEX_PRIVATE_FLAG|FUTEX_WAIT,2,NULL,NULL,0) = 0`),
    `${pid + 1} write(1,0x50,3) = 3`,
    `${pid + 1} exit(0)`,
    `${pid} exit_group(0)`,
  ].join('\n') + '\n';

describe('stabilityRow', () => {
  it('a single-threaded program agrees with itself call for call, whatever its host pid', () => {
    const row = stabilityRow('corpus/x', RUN(4001, '5'), RUN(5177, '5'));
    expect(row.calls).toEqual([6, 6]);
    expect(row.compared).toBe(6);
    expect(row.percent).toBe(100);
    expect(row.divergence).toBeUndefined();
  });

  it('names where two runs differ', () => {
    const row = stabilityRow('corpus/x', RUN(4001, '5'), RUN(4001, '6'));
    expect(row.divergence).toContain('write(3,0x7dfa0,5) = 5');
    expect(row.percent).toBeLessThan(100);
  });

  it('sets futex waits that only one run made aside as scheduling, and counts them against the share compared', () => {
    const row = stabilityRow('corpus/t', THREADED(300, 3), THREADED(900, 1));
    expect(row.threads).toBe(2);
    expect(row.calls).toEqual([8, 6]);
    expect(row.divergence).toBeUndefined();
    // Two of the first run's three waits have no counterpart; the other six calls compare.
    expect(row.setAside.scheduling).toBe(2);
    expect(row.compared).toBe(6);
    expect(row.percent).toBeCloseTo(75, 6);
  });
});

describe('stabilityMarkdown', () => {
  it('puts zerosys\'s share beside the reference\'s own', () => {
    const row = stabilityRow('corpus/t', THREADED(300, 3), THREADED(900, 1));
    const md = stabilityMarkdown([row], new Map([['corpus/t', 87.5]]));
    expect(md).toContain('| corpus/t | 2 | 8 / 6 | 75.0% | 87.5% | 2 scheduling |');
  });
});
