import { expect, it } from 'vitest';
import { formatSyscallTable } from './syscalls-cli.ts';

it('lists every syscall as JSON', () => {
  const rows = JSON.parse(formatSyscallTable(true)) as { nr: number; name: string; support: string }[];
  expect(rows).toHaveLength(307); // 306 from the 6.1 headers + riscv_hwprobe
  expect(rows.find((r) => r.nr === 64)).toMatchObject({ name: 'write', module: 'vfs', support: 'full' });
  expect(rows.find((r) => r.name === 'io_setup')?.support).toBe('unsupported');
});

it('prints an aligned text table with a summary', () => {
  const text = formatSyscallTable(false);
  const m = /^riscv64 Linux syscalls \(UAPI 6\.1\.4\): 307 — (\d+) full, (\d+) partial, (\d+) enosys, (\d+) unsupported$/.exec(text.split('\n')[0]);
  expect(m).not.toBeNull();
  expect(m!.slice(1).reduce((a, n) => a + Number(n), 0)).toBe(307); // every number has exactly one level
  expect(text.split('\n')[1]).toBe('zerosys implements Linux 6.1 LTS (6.1.y with its stable backports, as in Debian 12); uname reports release 6.1.0');
  expect(text).toMatch(/^289 {2}pkey_alloc +memory +enosys +riscv64 has no memory protection keys/m);
  expect(text).toMatch(/^222 {2}mmap +memory +partial +anonymous/m);
  expect(text).toMatch(/^ 63 {2}read +vfs +full/m);
  expect(text).toMatch(/^293 {2}rseq +sched +enosys/m);
});
