// Progress on a terminal (one line, rewritten in place); silence in CI logs and pipes.

import type { CaseResult } from './schema.ts';

export class Progress {
  private readonly live: boolean;
  private failed = 0;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    enabled: boolean,
  ) {
    this.live = enabled && !!process.stderr.isTTY && !process.env.CI;
  }

  done(result: CaseResult, count?: number): void {
    if (result.outcome !== 'pass' && result.outcome !== 'skipped') this.failed++;
    if (!this.live) return;
    const n = count ?? 0;
    const secs = ((performance.now() - this.started) / 1000).toFixed(0);
    const line = `conformance: ${n}/${this.total} cases, ${this.failed} not passing, ${secs} s — ${result.id}`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
  }

  finish(): void {
    if (this.live) process.stderr.write('\r\x1b[K');
  }
}
