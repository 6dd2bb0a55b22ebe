// The emulator is a leaf: nothing under emulator/ imports the kernel, the harness, or any
// other project code outside emulator/ (the kernel and harness depend on it, never the
// reverse). Checked on the sources, so a type-only import counts too.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EMULATOR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(EMULATOR);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Every module specifier: import/export ... from '...', import '...', import('...'). */
function specifiers(src: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;
  for (const m of src.matchAll(re)) out.push(m[2]);
  return out;
}

describe('emulator/ is a leaf', () => {
  // This file is left out: its own examples name the kernel and the harness.
  const files = sources(EMULATOR).filter((f) => f !== fileURLToPath(import.meta.url));

  it('finds the sources (the scan is not vacuous)', () => {
    const names = files.map((f) => relative(EMULATOR, f));
    expect(names).toContain('engine.ts');
    expect(names).toContain(join('cpu', 'interpreter.ts'));
    expect(specifiers("import { a } from './x.ts';\nimport type {\n  b,\n} from '../../kernel/y.ts';\nawait import('../harness/z.ts');")).toEqual([
      './x.ts',
      '../../kernel/y.ts',
      '../harness/z.ts',
    ]);
  });

  it('no relative import leaves emulator/', () => {
    const outside: string[] = [];
    for (const f of files) {
      for (const spec of specifiers(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue; // node: builtins and packages
        const target = resolve(dirname(f), spec);
        if (relative(EMULATOR, target).startsWith('..')) outside.push(`${relative(ROOT, f)} imports ${spec}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('nothing names the kernel or the harness, however it is reached', () => {
    const named = files.flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .filter((s) => /(^|\/)(kernel|harness)(\/|$)/.test(s))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(named).toEqual([]);
  });
});
