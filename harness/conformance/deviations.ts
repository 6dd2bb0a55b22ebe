// The one registry of places where the reference, qemu-riscv64 7.2 (Debian qemu-user), does not
// do what Linux does. Every excuse the harness makes for a qemu/zerosys difference (a spec's
// `qemu_deviates:`, a property generator steering clear, a trace rule, a note in the syscall
// table) names an entry here by id, and every entry carries a citation that a reader can check:
// the Linux source (file and function) or a man page section for what Linux does, and where
// known the qemu source for what qemu does instead. A claim without a citation does not load.
//
// Linux is the judge: an entry says what Linux does and why we believe it; the harness then
// judges zerosys against that, never against qemu's answer.

export interface Citation {
  /** What Linux does, from its source: "mm/mremap.c: SYSCALL_DEFINE5(mremap), `if (!new_len) goto out` (EINVAL)". */
  linux?: string;
  /** Or from a man page: "mremap(2), ERRORS: EINVAL ... new_size was zero". */
  man?: string;
  /** What qemu does, from its source: "linux-user/syscall.c: do_syscall1(), TARGET_NR_set_robust_list". */
  qemu?: string;
  /** A commit that changed the behaviour, when the version matters. */
  commit?: string;
}

export interface QemuDeviation {
  /** The syscall the deviation is about. */
  syscall: string;
  /** What qemu-riscv64 7.2 does. */
  qemu: string;
  /** What Linux (the version zerosys implements) does. */
  linux: string;
  cite: Citation;
}

export const QEMU_DEVIATIONS = {
  'set_robust_list-enosys': {
    syscall: 'set_robust_list',
    qemu: 'answers ENOSYS (the call is not implemented in qemu-user 7.2)',
    linux: 'records the robust-list head and returns 0 when len is sizeof(struct robust_list_head)',
    cite: {
      linux: 'kernel/futex/syscalls.c: SYSCALL_DEFINE2(set_robust_list), `if (unlikely(len != sizeof(*head))) return -EINVAL; current->robust_list = head; return 0;`',
      man: 'set_robust_list(2), RETURN VALUE: returns zero on success',
      qemu: 'linux-user/syscall.c: do_syscall1(), `case TARGET_NR_set_robust_list: case TARGET_NR_get_robust_list: ... return -TARGET_ENOSYS;`',
    },
  },
} satisfies Record<string, QemuDeviation>;

export type DeviationId = keyof typeof QEMU_DEVIATIONS;

/** Checks that an entry can be verified by a reader: some Linux-side citation, non-empty. */
function citationProblem(id: string, d: QemuDeviation): string | undefined {
  if (!d.cite.linux?.trim() && !d.cite.man?.trim() && !d.cite.commit?.trim())
    return `qemu deviation "${id}" has no citation (Linux source, man page or commit)`;
  if (!d.syscall || !d.qemu.trim() || !d.linux.trim()) return `qemu deviation "${id}" must say the syscall, what qemu does and what Linux does`;
  return undefined;
}

for (const [id, d] of Object.entries(QEMU_DEVIATIONS)) {
  const problem = citationProblem(id, d as QemuDeviation);
  if (problem) throw new Error(problem);
}

/** The deviation with this id; throws (a load-time error) when there is none. */
export function deviation(id: string): QemuDeviation & { id: string } {
  const d = (QEMU_DEVIATIONS as Record<string, QemuDeviation>)[id];
  if (!d) throw new Error(`unknown qemu deviation "${id}": add it, with a citation, to harness/conformance/deviations.ts`);
  return { id, ...d };
}

/** One line for reports: "qemu answers ENOSYS ...; Linux: records ... [kernel/futex/syscalls.c: ...]". */
export function citationText(id: string): string {
  const d = deviation(id);
  const where = [d.cite.linux, d.cite.man, d.cite.commit].filter(Boolean).join('; ');
  return `qemu-riscv64 7.2 ${d.qemu}; Linux ${d.linux} [${where}]`;
}
