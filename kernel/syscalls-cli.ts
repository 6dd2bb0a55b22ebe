// `zerosys syscalls`: the syscall table for humans (aligned columns and a summary) or
// machines (--json: an array of { nr, name, module, support, note }).

import { LINUX_VERSION } from './linux-version.ts';
import { HEADERS_LINUX_VERSION } from './syscall-numbers.ts';
import { SYSCALL_TABLE } from './table.ts';
import type { Support } from './types.ts';

const LEVELS: Support[] = ['full', 'partial', 'enosys', 'unsupported'];

export function formatSyscallTable(json: boolean): string {
  const rows = [...SYSCALL_TABLE].sort((a, b) => a.nr - b.nr);
  if (json) {
    const plain = rows.map(({ nr, name, module, support, note }) => ({ nr, name, module, support, note }));
    return JSON.stringify(plain, null, 2) + '\n';
  }
  const nameW = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.map((r) =>
    [String(r.nr).padStart(3), r.name.padEnd(nameW), r.module.padEnd(7), r.support.padEnd(11), r.note].join('  ').trimEnd(),
  );
  const counts = LEVELS.map((l) => `${rows.filter((r) => r.support === l).length} ${l}`).join(', ');
  return [
    `riscv64 Linux syscalls (UAPI ${HEADERS_LINUX_VERSION}): ${rows.length} — ${counts}`,
    `zerosys implements ${LINUX_VERSION.describe}; uname reports release ${LINUX_VERSION.release}`,
    `${'nr'.padStart(3)}  ${'name'.padEnd(nameW)}  ${'module'.padEnd(7)}  ${'support'.padEnd(11)}  note`,
    ...lines,
    '',
  ].join('\n');
}
