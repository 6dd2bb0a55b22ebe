// The kernel's syscall table (support level and note per syscall), loaded lazily and
// defensively: the report must still be written when the kernel does not even load — that
// is a result worth reporting, not a reason for the harness to crash.

import { NR } from '../../kernel/syscall-numbers.ts';

export interface TableRow {
  nr: number;
  name: string;
  module: string;
  support: string;
  note: string;
}

export async function loadSyscallTable(): Promise<{ rows: TableRow[]; error?: string }> {
  try {
    const { SYSCALL_TABLE } = await import('../../kernel/table.ts');
    return { rows: SYSCALL_TABLE.map(({ nr, name, module, support, note }) => ({ nr, name, module, support, note })) };
  } catch (error) {
    const rows = Object.entries(NR as Record<string, number>).map(([name, nr]) => ({ nr, name, module: '?', support: 'unknown', note: '' }));
    return { rows, error: `kernel/table.ts failed to load: ${(error as Error).message.split('\n')[0]}` };
  }
}
