// Recorded references: qemu-riscv64's result for a case (status, stdout, stderr, trace,
// files after the run), with qemu's version and the date, plus the guest binary it ran.
// `zerosys conformance --record` writes them; where qemu-riscv64 (or the cross toolchain)
// is absent, the run uses them and the report marks those cases "recorded", never "live".
// A record for different inputs (binary bytes, argv, stdin, setup) is stale and not used.
//
// Layout of the directory (default reports/references/):
//   cases/<id with / as __>.json   one record per case
//   bin/<sha256>                   guest binaries by content hash

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DifferentialCase, SideOutcome } from './differential.ts';

export interface ReferenceRecord {
  id: string;
  kind: string;
  inputHash: string;
  binaryHash: string;
  args: string[];
  stdin: string; // base64
  qemuVersion: string;
  recordedAt: string;
  status: number;
  timedOut: boolean;
  stdout: string; // base64
  stderr: string; // base64
  trace: string;
  after?: string;
  wallMs: number;
}

const fileHashes = new Map<string, string>();
function hashFile(path: string): string {
  let h = fileHashes.get(path);
  if (!h) {
    h = createHash('sha256').update(readFileSync(path)).digest('hex');
    fileHashes.set(path, h);
  }
  return h;
}

/** Everything that determines qemu's result for a case. */
export function inputHash(c: DifferentialCase): string {
  return createHash('sha256')
    .update(JSON.stringify({ binary: hashFile(c.binary), args: c.args, stdin: c.stdin.toString('base64'), setup: c.fingerprint ?? '' }))
    .digest('hex');
}

export class ReferenceStore {
  private readonly missing = new Set<string>();
  private readonly stale = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly qemuVersion: string | undefined,
  ) {}

  private casePath(id: string): string {
    return join(this.dir, 'cases', `${id.replace(/[^A-Za-z0-9._-]+/g, '__')}.json`);
  }

  binaryPath(hash: string): string {
    return join(this.dir, 'bin', hash);
  }

  async save(c: DifferentialCase, qemu: SideOutcome): Promise<void> {
    mkdirSync(join(this.dir, 'cases'), { recursive: true });
    mkdirSync(join(this.dir, 'bin'), { recursive: true });
    const binaryHash = hashFile(c.binary);
    const bin = this.binaryPath(binaryHash);
    if (!existsSync(bin)) writeFileSync(bin, readFileSync(c.binary), { mode: 0o755 });
    const r = qemu.run;
    const record: ReferenceRecord = {
      id: c.id,
      kind: c.kind,
      inputHash: inputHash(c),
      binaryHash,
      args: c.args,
      stdin: c.stdin.toString('base64'),
      qemuVersion: this.qemuVersion ?? 'unknown',
      recordedAt: new Date().toISOString(),
      status: r.status,
      timedOut: r.timedOut,
      stdout: r.stdout.toString('base64'),
      stderr: r.stderr.toString('base64'),
      trace: r.trace,
      after: qemu.after,
      wallMs: Math.round(r.wallMs),
    };
    writeFileSync(this.casePath(c.id), JSON.stringify(record, null, 1) + '\n');
  }

  private read(id: string): ReferenceRecord | undefined {
    const path = this.casePath(id);
    if (!existsSync(path)) return undefined;
    return JSON.parse(readFileSync(path, 'utf8')) as ReferenceRecord;
  }

  /** The recorded qemu outcome for a case, or undefined (then noted as missing or stale). */
  async load(c: DifferentialCase): Promise<SideOutcome | undefined> {
    const record = this.read(c.id);
    if (!record) {
      this.missing.add(c.id);
      return undefined;
    }
    if (record.inputHash !== inputHash(c)) {
      this.stale.add(c.id);
      return undefined;
    }
    return {
      run: {
        side: 'qemu',
        status: record.status,
        stdout: Buffer.from(record.stdout, 'base64'),
        stderr: Buffer.from(record.stderr, 'base64'),
        trace: record.trace,
        wallMs: record.wallMs,
        timedOut: record.timedOut,
        outputTruncated: false,
        command: [`(recorded ${record.recordedAt} with ${record.qemuVersion})`],
      },
      after: record.after,
    };
  }

  /** Recorded corpus cases, for a machine without the cross toolchain. */
  recordedCorpusCases(wanted: (id: string) => boolean): DifferentialCase[] {
    const dir = join(this.dir, 'cases');
    if (!existsSync(dir)) return [];
    const out: DifferentialCase[] = [];
    for (const file of readdirSync(dir).sort()) {
      const record = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ReferenceRecord;
      if (record.kind !== 'corpus' || !wanted(record.id)) continue;
      const binary = this.binaryPath(record.binaryHash);
      if (!existsSync(binary)) {
        this.missing.add(record.id);
        continue;
      }
      out.push({ id: record.id, kind: 'corpus', binary, args: record.args, stdin: Buffer.from(record.stdin, 'base64') });
    }
    return out;
  }

  /** A recorded binary by content hash (e.g. the spec driver), if present. */
  recordedBinary(hash: string | undefined): string | undefined {
    if (!hash) return undefined;
    const path = this.binaryPath(hash);
    return existsSync(path) ? path : undefined;
  }

  /** Remember the spec driver binary (by hash) so a machine without the toolchain can run specs. */
  setDriver(binary: string): void {
    mkdirSync(join(this.dir, 'bin'), { recursive: true });
    const hash = hashFile(binary);
    const bin = this.binaryPath(hash);
    if (!existsSync(bin)) writeFileSync(bin, readFileSync(binary), { mode: 0o755 });
    writeFileSync(join(this.dir, 'driver.json'), JSON.stringify({ sha256: hash, recordedAt: new Date().toISOString() }) + '\n');
  }

  driverHash(): string | undefined {
    const path = join(this.dir, 'driver.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { sha256: string }).sha256 : undefined;
  }

  problems(): { missing: string[]; stale: string[] } {
    return { missing: [...this.missing].sort(), stale: [...this.stale].sort() };
  }
}
