// The syscall table checks itself against the specs and the sources:
//  - every full/partial row has a YAML spec (cases whose call is the syscall, in specs/NAME.yaml
//    or named by `call: { name: NAME }` in another file) with at least five cases, or carries a
//    written reason (`noSpec`) — and a row with such a spec carries none;
//  - the spec covers the bad arguments the call takes (see badArgumentGaps);
//  - each row's module is the folder its handler is defined in (kernel/<module>/...).
// The YAML is read directly (not through the harness loader): this checks the table, the
// loader's validation is test/harness/specs.test.ts's business.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SYSCALL_TABLE } from './table.ts';

const KERNEL = dirname(fileURLToPath(import.meta.url));
const SPECS = join(dirname(KERNEL), 'specs');
const MIN_CASES = 5;

interface RawCase {
  name: string;
  call: unknown[] | { name?: string; args?: unknown[] };
  setup?: { calls?: Array<{ id?: string; call: string }> };
  expect?: { errno?: string; ret?: unknown };
}

/**
 * A syscall's spec cases: every case of specs/NAME.yaml (a file may call neighbours too, e.g.
 * specs/getuid.yaml calls geteuid) and the cases of other files that call NAME.
 */
function casesBySyscall(): Map<string, RawCase[]> {
  const out = new Map<string, RawCase[]>();
  const add = (name: string, c: RawCase) => out.set(name, [...(out.get(name) ?? []), c]);
  for (const f of readdirSync(SPECS).filter((n) => n.endsWith('.yaml'))) {
    const doc = parse(readFileSync(join(SPECS, f), 'utf8')) as { syscall: string; cases: RawCase[] };
    for (const c of doc.cases) {
      add(doc.syscall, c);
      const other = Array.isArray(c.call) ? undefined : c.call.name;
      if (other !== undefined && other !== doc.syscall) add(other, c);
    }
  }
  return out;
}

const argsOf = (c: RawCase): unknown[] => (Array.isArray(c.call) ? c.call : (c.call.args ?? []));
const isObj = (a: unknown): a is Record<string, unknown> => typeof a === 'object' && a !== null;
/** An argument the driver passes as guest memory. */
const isMemory = (a: unknown) => isObj(a) && ['out', 'str', 'hex', 'i64', 'i32', 'iov'].some((k) => k in a);
/** {ptr: unmapped} / {ptr: kernel}: a pointer the kernel must refuse. */
const isBadPointer = (a: unknown) => isObj(a) && 'ptr' in a && a.ptr !== null;
const FD_MAKERS = new Set(['openat', 'openat2', 'dup', 'dup3', 'eventfd2', 'epoll_create1', 'memfd_create']);
/** An fd argument: one a setup step opened (not a mapping address or the like), or AT_FDCWD for a dirfd. */
const isFd = (c: RawCase, a: unknown) =>
  (isObj(a) && 'ref' in a && (c.setup?.calls ?? []).some((s) => s.id === a.ref && FD_MAKERS.has(s.call))) || a === 'AT_FDCWD';

/**
 * The heuristic for "bad pointers, bad fds and bad flags among them", from the cases and the
 * row's errnos (the man page's ERRORS):
 *  - EFAULT possible and some case passes guest memory: a case passes {ptr: unmapped|kernel}
 *    or expects EFAULT;
 *  - EBADF possible and some case passes an fd (a setup step's fd or AT_FDCWD): a case expects
 *    EBADF;
 *  - EINVAL possible and some case passes a flags-like constant (an O_/AT_/*_FLAGS-style
 *    name or a `|` expression): a case expects EINVAL or is named for bad flags;
 *  - any errno possible: at least one case is an error case (expects an errno or passes a bad
 *    pointer).
 */
function badArgumentGaps(errors: readonly string[], cases: RawCase[]): string[] {
  const gaps: string[] = [];
  const calls = cases.map(argsOf);
  const expects = (e: string) => cases.some((c) => c.expect?.errno === e);
  if (errors.includes('EFAULT') && calls.some((a) => a.some(isMemory)) && !expects('EFAULT') && !calls.some((a) => a.some(isBadPointer))) gaps.push('bad pointer (EFAULT)');
  if (errors.includes('EBADF') && cases.some((c) => argsOf(c).some((a) => isFd(c, a))) && !expects('EBADF')) gaps.push('bad fd (EBADF)');
  const flagsLike = (a: unknown) => typeof a === 'string' && /\||^(O|AT|EPOLL|MAP|MFD|RENAME|RESOLVE|GRND|EFD|MCL|MLOCK|SA|SS)_/.test(a) && a !== 'AT_FDCWD';
  if (errors.includes('EINVAL') && calls.some((a) => a.some(flagsLike)) && !expects('EINVAL') && !cases.some((c) => /flag/i.test(c.name))) gaps.push('bad flags (EINVAL)');
  if (errors.length > 0 && !cases.some((c) => c.expect?.errno !== undefined || argsOf(c).some(isBadPointer))) gaps.push('no error case');
  return gaps;
}

/**
 * Rows whose spec may lack the error case the heuristic asks for, with the reason (Linux
 * cannot return the errno the man page lists for the arguments a spec can pass).
 */
const NO_ERROR_CASE: Record<string, string> = {
  personality: 'Linux 6.1 kernel/exec_domain.c SYSCALL_DEFINE1(personality) never fails: it sets the value unless it is 0xffffffff and returns the old one (the man page\'s EINVAL is historical)',
};

describe('the syscall table and the specs', () => {
  const cases = casesBySyscall();
  const implemented = SYSCALL_TABLE.filter((r) => r.support === 'full' || r.support === 'partial');

  it('reads the specs (not vacuous)', () => {
    expect(cases.get('close')?.length).toBeGreaterThanOrEqual(MIN_CASES);
    expect(cases.get('geteuid')?.length).toBe(1); // named from specs/getuid.yaml
    expect(implemented.length).toBeGreaterThan(140);
  });

  it('gives every full/partial row a spec with at least five cases, or a written reason', () => {
    const missing = implemented.filter((r) => (cases.get(r.name)?.length ?? 0) < MIN_CASES && !r.noSpec).map((r) => r.name);
    expect(missing, 'rows without a spec of 5+ cases and without noSpec').toEqual([]);
  });

  it('gives no reason for a row that has its spec, nor to a row that needs none', () => {
    const stale = SYSCALL_TABLE.filter((r) => r.noSpec !== undefined && (cases.get(r.name)?.length ?? 0) >= MIN_CASES).map((r) => r.name);
    expect(stale, 'rows with noSpec and a spec of 5+ cases: drop the reason').toEqual([]);
    const needless = SYSCALL_TABLE.filter((r) => r.noSpec !== undefined && r.support !== 'full' && r.support !== 'partial').map((r) => r.name);
    expect(needless).toEqual([]);
  });

  it('writes each reason out (not a placeholder)', () => {
    for (const r of implemented.filter((x) => x.noSpec !== undefined)) {
      expect(r.noSpec!.length, r.name).toBeGreaterThan(40);
      expect(r.noSpec, r.name).not.toMatch(/\b(TODO|TBD|FIXME|XXX)\b/);
    }
  });

  it('has bad pointers, bad fds and bad flags among a spec\'s cases where the call takes them', () => {
    const gaps: string[] = [];
    for (const r of implemented) {
      const cs = cases.get(r.name) ?? [];
      if (cs.length < MIN_CASES) continue;
      const g = badArgumentGaps(r.errors, cs).filter((x) => !(x === 'no error case' && r.name in NO_ERROR_CASE));
      if (g.length) gaps.push(`${r.name}: ${g.join(', ')}`);
    }
    expect(gaps).toEqual([]);
  });

  it('the bad-argument heuristic finds what it is meant to', () => {
    const setup = { calls: [{ id: 'fd', call: 'openat' }] };
    const ok: RawCase = { name: 'reads', setup, call: [{ ref: 'fd' }, { out: 4 }, 4] };
    expect(badArgumentGaps(['EBADF', 'EFAULT'], [ok])).toEqual(['bad pointer (EFAULT)', 'bad fd (EBADF)', 'no error case']);
    const bad: RawCase[] = [ok, { name: 'bad buffer', setup, call: [{ ref: 'fd' }, { ptr: 'unmapped' }, 4] }, { name: 'bad fd', call: [99, { out: 4 }, 4], expect: { errno: 'EBADF' } }];
    expect(badArgumentGaps(['EBADF', 'EFAULT'], bad)).toEqual([]);
    expect(badArgumentGaps(['EINVAL'], [{ name: 'opens', call: ['AT_FDCWD', { str: 'a' }, 'O_RDONLY|O_CLOEXEC'] }])).toEqual(['bad flags (EINVAL)', 'no error case']);
    expect(badArgumentGaps([], [ok])).toEqual([]);
    expect(badArgumentGaps(['EBADF'], [{ name: 'unmaps', setup: { calls: [{ id: 'm', call: 'mmap' }] }, call: [{ ref: 'm' }, 4096], expect: { errno: 'EINVAL' } }])).toEqual([]);
  });
});

/** Where each exported function of kernel/<module>/*.ts is defined (export function NAME / export const NAME). */
function handlerFiles(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
  for (const f of walk(KERNEL).filter((p) => dirname(p) !== KERNEL)) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/^export\s+(?:async\s+)?(?:function\s+|const\s+)(\w+)/gm)) {
      const list = out.get(m[1]) ?? [];
      list.push(relative(KERNEL, f));
      out.set(m[1], list);
    }
  }
  return out;
}

describe('the module column', () => {
  const defined = handlerFiles();
  const implemented = SYSCALL_TABLE.filter((r) => r.handler !== undefined);

  it('finds every handler\'s definition (the scan is not vacuous)', () => {
    const lost = implemented.filter((r) => (defined.get(r.handler!.name)?.length ?? 0) !== 1).map((r) => `${r.name} (${r.handler!.name}: ${defined.get(r.handler!.name)?.join(', ') ?? 'not found'})`);
    expect(lost).toEqual([]);
    expect(defined.get('openat')).toEqual([join('vfs', 'openat.ts')]);
  });

  it('is the folder the handler is defined in', () => {
    const wrong = implemented
      .map((r) => ({ r, folder: defined.get(r.handler!.name)?.[0]?.split(/[\\/]/)[0] }))
      .filter(({ r, folder }) => folder !== r.module)
      .map(({ r, folder }) => `${r.name}: module ${r.module}, handler in ${folder}/`);
    expect(wrong).toEqual([]);
  });
});
