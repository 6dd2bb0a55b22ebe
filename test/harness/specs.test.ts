// The YAML syscall specs: every file in specs/ is valid, the coverage the issue asks for is
// there, bad specs are rejected with file:line:column and what was expected, and a case
// printed back as YAML (a shrunk property counterexample) parses to the same case.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/corpus.ts';
import { driverArgv, parseDriverOutput } from '../../harness/conformance/specs/driver-args.ts';
import { loadSpecDir, parseSpec } from '../../harness/conformance/specs/load.ts';
import { SpecError } from '../../harness/conformance/specs/model.ts';
import { caseToYaml } from '../../harness/conformance/specs/to-yaml.ts';

function errorsOf(text: string, file = 'specs/openat.yaml'): string[] {
  try {
    parseSpec(text, join(REPO_ROOT, file), REPO_ROOT);
  } catch (e) {
    return ((e as AggregateError).errors as SpecError[]).map((x) => x.message);
  }
  return [];
}

describe('specs/', () => {
  const { specs, errors } = loadSpecDir(join(REPO_ROOT, 'specs'), REPO_ROOT);

  it('are all valid', () => {
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it('cover at least 40 syscalls with at least 5 cases each, error paths included', () => {
    const rich = specs.filter((s) => s.cases.length >= 5 && s.cases.some((c) => c.expect?.errno !== undefined));
    expect(rich.length).toBeGreaterThanOrEqual(40);
  });

  it('give unique case ids and driver argv for every case', () => {
    const ids = specs.flatMap((s) => s.cases.map((c) => `${s.syscall}/${c.slug}`));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of specs.flatMap((s) => s.cases)) expect(driverArgv(c)[0]).toBe('call');
  });

  // Under qemu-riscv64 a spec's sockets are the host's: a fixed port inside Linux's default
  // ephemeral range (net/ipv4/af_inet.c inet_init_net(): 32768..60999) can be taken by any
  // outgoing connection on the machine, and a CI run failed on EADDRINUSE that way.
  it('bind and connect to fixed ports outside the ephemeral range only', () => {
    const inRange: string[] = [];
    const visit = (v: unknown, id: string): void => {
      if (Array.isArray(v)) for (const x of v) visit(x, id);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.kind === 'hex' && typeof o.bytes === 'string' && o.bytes.length >= 8) {
          const family = parseInt(o.bytes.slice(0, 2), 16) | (parseInt(o.bytes.slice(2, 4), 16) << 8);
          const port = parseInt(o.bytes.slice(4, 8), 16); // network byte order
          // AF_UNSPEC (0) binds as AF_INET on an inet socket (inet_bind_sk's compatibility path).
          if ((family === 0 || family === 2 || family === 10) && port >= 32768 && port <= 60999) inRange.push(`${id}: port ${port}`);
        } else for (const x of Object.values(o)) visit(x, id);
      }
    };
    for (const s of specs) for (const c of s.cases) visit(c, `${s.syscall}/${c.slug}`);
    expect(inRange).toEqual([]);
  });
});

describe('spec validation', () => {
  it('names file, line and column and what was expected', () => {
    const text = ['syscall: openat', 'cases:', '  - name: one', '    call: [AT_FDCWD, { str: a }, O_RDONLYY]', ''].join('\n');
    expect(errorsOf(text)).toEqual(['specs/openat.yaml:4:34: expected an argument (an integer, a constant expression, or one of {str}, {out}, {hex}, {i64}, {i32}, {iov}, {ref}, {ptr}): unknown constant "O_RDONLYY"']);
  });

  it('rejects a syscall name that is not the file name, unknown keys and bad references', () => {
    const text = [
      'syscall: read',
      'cases:',
      '  - name: a',
      '    call: [{ ref: nothing }]',
      '    expectt: { errno: ENOENT }',
      '  - name: a',
      '    call: [1]',
      '    expect: { errno: ENOPE }',
      '',
    ].join('\n');
    const errors = errorsOf(text);
    expect(errors).toContain('specs/openat.yaml:1:10: expected syscall: openat (the file name)');
    expect(errors).toContain('specs/openat.yaml:4:19: expected the id of an earlier step (known: none)');
    expect(errors).toContain('specs/openat.yaml:5:5: unexpected key "expectt" in a case; expected one of name, setup, call, after, expect, compare, files, qemu_deviates');
    expect(errors).toContain('specs/openat.yaml:6:11: expected a unique case name; "a" repeats an earlier one');
    expect(errors).toContain('specs/openat.yaml:8:22: expected an errno name like ENOENT, got "ENOPE"');
  });

  it('takes only cited registry ids as qemu_deviates, at load time', () => {
    const text = (id: string) => ['syscall: openat', 'cases:', '  - name: a', '    call: [1]', '    expect: { errno: EBADF }', `    qemu_deviates: ${id}`, ''].join('\n');
    expect(errorsOf(text('qemu ignores it'))).toEqual([
      'specs/openat.yaml:6:20: qemu_deviates: "qemu ignores it" is not a qemu deviation of harness/conformance/deviations.ts (add it there, with a citation)',
    ]);
    expect(errorsOf(text('openat-accmode3-rdonly'))).toEqual([]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(errorsOf('syscall: openat\ncases: [\n')[0]).toMatch(/^specs\/openat\.yaml:\d+:\d+: YAML syntax: /);
  });

  it('refuses paths that leave the working directory', () => {
    const text = ['syscall: openat', 'cases:', '  - name: a', '    setup:', '      files: [{ path: ../x }]', '    call: [1]', ''].join('\n');
    expect(errorsOf(text)[0]).toBe('specs/openat.yaml:5:23: expected a relative path inside the working directory (no leading /, no ..)');
  });
});

describe('case round trip and driver report', () => {
  it('prints a case as YAML that parses back to the same steps', () => {
    const text = [
      'syscall: read',
      'cases:',
      '  - name: original',
      '    setup:',
      '      files: [{ path: a.txt, content: "hi" }]',
      '      calls: [{ id: fd, call: openat, args: [AT_FDCWD, { str: a.txt }, O_RDONLY] }]',
      '    call: [{ ref: fd }, { out: 4, check: [[0, 2]] }, 4]',
      '',
    ].join('\n');
    const spec = parseSpec(text, join(REPO_ROOT, 'specs/read.yaml'), REPO_ROOT);
    const again = parseSpec(`syscall: read\ncases:\n${caseToYaml(spec.cases[0])}`, join(REPO_ROOT, 'specs/read.yaml'), REPO_ROOT);
    expect(driverArgv(again.cases[0])).toEqual(driverArgv(spec.cases[0]));
    expect(driverArgv(spec.cases[0])).toEqual(['call', '56', '3', 'i:-100', 's:a.txt', 'i:0', 'call', '63', '3', 'r:0', 'o:4', 'i:4']);
  });

  it('parses the driver report after the guest output', () => {
    const out = Buffer.from('hello\n==sysdriver==\nstep 0 nr=56 ret=3\nstep 0 arg 1 612e74787400\nstep 1 nr=63 ret=-9\n==end==\n');
    const r = parseDriverOutput(out);
    expect(r.before.toString()).toBe('hello\n');
    expect(r.complete).toBe(true);
    expect(r.steps[0]).toEqual({ nr: 56, ret: 3n, buffers: [{ arg: 1, hex: '612e74787400' }] });
    expect(r.steps[1].ret).toBe(-9n);
  });
});
