// The registry of qemu deviations (harness/conformance/deviations.ts): every excuse the
// harness or the kernel's table makes names an entry, and every entry is cited.

import { describe, expect, it } from 'vitest';
import { HOST_FOLLOWING, QEMU_DEVIATIONS, citationText, deviation, deviationIdsIn, type QemuDeviation } from '../../harness/conformance/deviations.ts';
import { SYSCALL_TABLE } from '../../kernel/table.ts';

describe('qemu deviations', () => {
  it('each cites Linux (source, man page or commit) and says what both sides do', () => {
    for (const [id, d] of Object.entries(QEMU_DEVIATIONS as Record<string, QemuDeviation>)) {
      expect(d.cite.linux || d.cite.man || d.cite.commit, id).toBeTruthy();
      expect(d.qemu.length, id).toBeGreaterThan(10);
      expect(d.linux.length, id).toBeGreaterThan(10);
      expect(citationText(id)).toContain('[');
    }
  });

  it('refuses an unknown id', () => {
    expect(() => deviation('qemu-is-different')).toThrow(/unknown qemu deviation "qemu-is-different"/);
  });

  it('resolves every id a syscall table note names', () => {
    const named = SYSCALL_TABLE.flatMap((r) => deviationIdsIn(r.note).map((id) => [r.name, id]));
    expect(named.length).toBeGreaterThanOrEqual(3); // set_robust_list, rseq, clone3
    for (const [name, id] of named) expect(Object.keys(QEMU_DEVIATIONS), `${name}: ${id}`).toContain(id);
  });

  it('leaves no table note claiming a qemu difference without an id or the host-following mark', () => {
    const uncited = SYSCALL_TABLE.filter((r) => /qemu/i.test(r.note) && !deviationIdsIn(r.note).length && !r.note.includes('host-following'));
    // "answers ENOSYS as well" on its own is agreement, not a deviation claim.
    expect(uncited.filter((r) => !/as on 6\.1 \(and qemu-riscv64 7\.2\)/.test(r.note)).map((r) => r.name)).toEqual([]);
  });

  it('finds ids in text', () => {
    expect(deviationIdsIn('answers ENOSYS (qemu deviation set_robust_list-enosys), see qemu deviation rseq-enosys')).toEqual(['set_robust_list-enosys', 'rseq-enosys']);
  });

  it('lists host-following places for syscalls of the table', () => {
    const names = new Set(SYSCALL_TABLE.map((r) => r.name));
    for (const h of HOST_FOLLOWING) {
      expect(h.syscall === '*' || names.has(h.syscall), h.syscall).toBe(true);
      expect(h.what.length && h.why.length, h.syscall).toBeTruthy();
    }
  });
});
