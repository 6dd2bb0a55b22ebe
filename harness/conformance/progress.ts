// Progress on a terminal (one line, rewritten in place); in CI logs and pipes, where a
// rewritten line would pile up, one plain line every LOG_EVERY_MS so a long run shows it lives.

import type { CaseResult } from './schema.ts';

const LOG_EVERY_MS = 15_000;

export class Progress {
  private readonly live: boolean;
  private failed = 0;
  private readonly started = performance.now();
  private lastLogged = performance.now();

  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {
    this.live = enabled && !!process.stderr.isTTY && !process.env.CI;
  }

  done(result: CaseResult, count?: number): void {
    if (result.outcome !== 'pass' && result.outcome !== 'skipped') this.failed++;
    if (!this.enabled) return;
    const now = performance.now();
    const line = `conformance: ${count ?? 0}/${this.total} cases, ${this.failed} not passing, ${((now - this.started) / 1000).toFixed(0)} s`;
    if (this.live) {
      process.stderr.write(`\r\x1b[K${`${line} — ${result.id}`.slice(0, (process.stderr.columns ?? 100) - 1)}`);
    } else if (now - this.lastLogged >= LOG_EVERY_MS) {
      this.lastLogged = now;
      process.stderr.write(`${line}\n`);
    }
  }

  finish(): void {
    if (this.live) process.stderr.write('\r\x1b[K');
  }
}
