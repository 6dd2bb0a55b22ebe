// A spec case back as YAML text, ready to paste into specs/NAME.yaml (used for shrunk
// property counterexamples).

import type { ArgSpec, CallSpec, FileSetup, SpecCase } from './model.ts';

const q = (s: string) => JSON.stringify(s);

function argYaml(a: ArgSpec, ids: Map<number, string>): string {
  switch (a.kind) {
    case 'int':
      return a.value === 0x10n ? '{ ptr: unmapped }' : a.value === -4096n ? '{ ptr: kernel }' : a.value.toString();
    case 'str':
      return `{ str: ${q(a.text)} }`;
    case 'out':
      return a.check === 'none' ? `{ out: ${a.size}, check: none }` : a.check ? `{ out: ${a.size}, check: ${JSON.stringify(a.check)} }` : `{ out: ${a.size} }`;
    case 'hex':
      return `{ hex: ${q(a.bytes)} }`;
    case 'i64':
    case 'i32':
      return `{ ${a.kind}: [${a.values.join(', ')}] }`;
    case 'iov':
      return `{ iov: [${a.items.map((i) => argYaml(i, ids)).join(', ')}] }`;
    case 'ref':
      return `{ ref: ${a.id}${a.add ? `, add: ${a.add}` : ''} }`;
  }
}

function stepYaml(s: CallSpec, ids: Map<number, string>): string {
  return `{ ${s.id ? `id: ${s.id}, ` : ''}call: ${s.name}, args: [${s.args.map((a) => argYaml(a, ids)).join(', ')}] }`;
}

function fileYaml(f: FileSetup): string {
  const parts = [`path: ${q(f.path)}`];
  if (f.type !== 'file') parts.push(`type: ${f.type}`);
  if (f.target !== undefined) parts.push(`target: ${q(f.target)}`);
  if (f.content?.length) parts.push(/^[\x20-\x7e]*$/.test(f.content.toString('latin1')) ? `content: ${q(f.content.toString('latin1'))}` : `hex: ${q(f.content.toString('hex'))}`);
  if (f.mode !== undefined) parts.push(`mode: 0o${f.mode.toString(8)}`);
  return `{ ${parts.join(', ')} }`;
}

export function caseToYaml(c: SpecCase): string {
  const ids = new Map<number, string>();
  const lines = [`  - name: ${q(c.name)}`];
  if (c.files.length || c.setup.length) {
    lines.push('    setup:');
    if (c.files.length) lines.push('      files:', ...c.files.map((f) => `        - ${fileYaml(f)}`));
    if (c.setup.length) lines.push('      calls:', ...c.setup.map((s) => `        - ${stepYaml(s, ids)}`));
  }
  const call = c.call.name === c.syscall && !c.call.id ? `[${c.call.args.map((a) => argYaml(a, ids)).join(', ')}]` : `{ ${c.call.id ? `id: ${c.call.id}, ` : ''}name: ${c.call.name}, args: [${c.call.args.map((a) => argYaml(a, ids)).join(', ')}] }`;
  lines.push(`    call: ${call}`);
  if (c.after.length) lines.push('    after:', ...c.after.map((s) => `      - ${stepYaml(s, ids)}`));
  if (c.compareRet !== 'exact') lines.push(`    compare: { ret: ${c.compareRet} }`);
  return lines.join('\n') + '\n';
}
