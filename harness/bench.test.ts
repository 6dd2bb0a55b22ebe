// The pure parts of `npm run bench`: option parsing, stats and RSS parsing, the statistics
// and the printed table. Nothing here runs a guest or looks at a clock.

import { describe, expect, it } from 'vitest';
import {
  formatStartup,
  formatSummary,
  formatTable,
  geomean,
  median,
  parseBenchArgs,
  parseCpuModel,
  parseZerosysStats,
  splitArgs,
  summarize,
  type BenchRow,
} from './bench.ts';
import { parseMaxRss } from './qemu.ts';

describe('zerosys --stats parsing', () => {
  it('reads instructions and MIPS from the retired line', () => {
    expect(parseZerosysStats(['zerosys: 123456 instructions retired in 4.5 ms (27.4 MIPS)'])).toEqual({ instructions: 123456, mips: 27.4 });
  });

  it("does not take the block compiler's instruction count for the retired count", () => {
    const lines = ['zerosys: 9000 instructions retired in 2.0 ms (4.5 MIPS)', 'zerosys: 12 blocks compiled (345 instructions) in 1.0 ms'];
    expect(parseZerosysStats(lines)).toEqual({ instructions: 9000, mips: 4.5 });
    expect(parseZerosysStats([...lines].reverse())).toEqual({ instructions: 9000, mips: 4.5 });
  });

  it('accepts digit group separators and ignores unrelated lines', () => {
    expect(parseZerosysStats(['zerosys: 1,234,567 instructions retired (1.5 MIPS)'])).toEqual({ instructions: 1234567, mips: 1.5 });
    expect(parseZerosysStats(['zerosys: unrelated'])).toEqual({});
  });
});

describe('peak RSS from GNU time -f %M', () => {
  it('reads the number GNU time wrote', () => {
    expect(parseMaxRss('14564\n')).toBe(14564);
  });

  it('skips the line GNU time adds for a non-zero status or a signal', () => {
    expect(parseMaxRss('Command exited with non-zero status 1\n23456\n')).toBe(23456);
    expect(parseMaxRss('Command terminated by signal 6\n14580\n')).toBe(14580);
  });

  it('gives undefined when there is no number (time itself was killed)', () => {
    expect(parseMaxRss('')).toBeUndefined();
    expect(parseMaxRss('Command terminated by signal 9\n')).toBeUndefined();
  });
});

describe('options', () => {
  it('defaults to best of 3 over every bench program', () => {
    expect(parseBenchArgs([])).toEqual({ repeat: 3, quick: false, zerosysArgs: [], names: [], help: false });
  });

  it('takes --repeat, --quick, names and --zerosys-args (separate or with =)', () => {
    expect(parseBenchArgs(['--repeat', '5', 'bench-nbody', '--quick', '--zerosys-args', '--engine js  --no-jit', 'go-bench'])).toEqual({
      repeat: 5,
      quick: true,
      zerosysArgs: ['--engine', 'js', '--no-jit'],
      names: ['bench-nbody', 'go-bench'],
      help: false,
    });
    expect(parseBenchArgs(['--repeat=1', '--zerosys-args=--no-jit'])).toMatchObject({ repeat: 1, zerosysArgs: ['--no-jit'] });
  });

  it('rejects a bad repeat count, a missing value and unknown options', () => {
    expect(() => parseBenchArgs(['--repeat', '0'])).toThrow(/positive integer/);
    expect(() => parseBenchArgs(['--repeat', 'x'])).toThrow(/positive integer/);
    expect(() => parseBenchArgs(['--zerosys-args'])).toThrow(/needs a value/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option --fast/);
  });

  it('splits option strings at whitespace, keeping quoted words whole', () => {
    expect(splitArgs(' --mem 512M  --epoch "2024-01-01 00:00" ')).toEqual(['--mem', '512M', '--epoch', '2024-01-01 00:00']);
    expect(splitArgs("--profile 'a b.yaml'")).toEqual(['--profile', 'a b.yaml']);
    expect(splitArgs('')).toEqual([]);
  });
});

describe('statistics', () => {
  it('geometric mean', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
    expect(geomean([9.3])).toBeCloseTo(9.3, 12);
    expect(geomean([1, 10, 100])).toBeCloseTo(10, 12);
    expect(geomean([])).toBeUndefined();
    // Not a ratio at all: left out rather than turning the mean into 0 or NaN.
    expect(geomean([0, 4, Number.NaN, Infinity])).toBeCloseTo(4, 12);
  });

  it('median of odd and even counts, unsorted input', () => {
    expect(median([0.31, 0.29, 0.3, 0.5, 0.28, 0.3, 0.32])).toBe(0.3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });

  it('cpu model from /proc/cpuinfo', () => {
    const x86 = 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 85\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu\n';
    expect(parseCpuModel(x86)).toBe('Intel(R) Xeon(R) Processor');
    expect(parseCpuModel('processor\t: 0\nhart\t\t: 1\nisa\t\t: rv64imafdc\nuarch\t\t: sifive,u74-mc\n')).toBe('sifive,u74-mc');
    expect(parseCpuModel('processor : 0\n')).toBeUndefined();
  });
});

const row = (name: string, qemuMs: number | undefined, zerosysMs: number, verdict = 'same output', extra: Partial<BenchRow> = {}): BenchRow => ({
  name,
  args: [],
  ...(qemuMs === undefined ? {} : { qemu: { wallMs: qemuMs, runsMs: [qemuMs], maxRssKiB: 14_848 } }),
  zerosys: { wallMs: zerosysMs, runsMs: [zerosysMs], maxRssKiB: 96_256, instructions: 1_234_567_890, mips: 429.25 },
  ...(qemuMs === undefined ? {} : { ratio: zerosysMs / qemuMs }),
  verdict,
  ok: verdict === 'same output' && qemuMs !== undefined,
  ...extra,
});

describe('summary', () => {
  it('means the ratios of programs with the same output and names the worst', () => {
    const rows = [row('int', 320, 2740), row('fp', 470, 2600), row('ptr', 250, 4290), row('bad', 100, 50, 'MISMATCH (stdout)')];
    const s = summarize(rows);
    expect(s.programs).toBe(3);
    expect(s.geomean).toBeCloseTo(Math.cbrt((2740 / 320) * (2600 / 470) * (4290 / 250)), 12);
    expect(s.worst).toEqual({ name: 'ptr', ratio: 4290 / 250 });
    expect(s.excluded).toEqual(['bad']);
    expect(formatSummary(s)).toBe('geometric mean zerosys/qemu: 9.3x over 3 programs; worst ptr 17.2x; left out: bad');
  });

  it('says so when nothing can be compared', () => {
    const s = summarize([row('alone', undefined, 1000, 'status 0')]);
    expect(s.geomean).toBeUndefined();
    expect(formatSummary(s)).toMatch(/^geometric mean zerosys\/qemu: - /);
  });
});

describe('table', () => {
  it('aligns names and verdicts left and numbers right, with a dash for what is unknown', () => {
    const table = formatTable([
      row('bench-nbody', 370, 3100),
      row('go-bench', undefined, 4000, 'status 0', { zerosys: { wallMs: 4000, runsMs: [4000] } }),
    ]);
    expect(table.split('\n')).toEqual([
      'program      qemu s  zerosys s  zerosys/qemu   MIPS   instructions  qemu MiB  zerosys MiB  result',
      '-----------  ------  ---------  ------------  -----  -------------  --------  -----------  -----------',
      'bench-nbody   0.370      3.100          8.4x  429.3  1,234,567,890      14.5         94.0  same output',
      'go-bench          -      4.000             -      -              -         -            -  status 0',
    ]);
  });

  it('puts start-up on one line, with the ratio and RSS when known', () => {
    expect(
      formatStartup({ program: 'hello', runs: 7, qemuMs: 30, zerosysMs: 300, qemuRssKiB: 14_848, zerosysRssKiB: 84_992, verdict: 'same output' }),
    ).toBe('start-up (static hello, median of 7): qemu 0.030 s, zerosys 0.300 s (10.0x); peak RSS qemu 14.5 MiB, zerosys 83.0 MiB');
    expect(formatStartup({ program: 'hello', runs: 7, zerosysMs: 300, verdict: 'status 0' })).toBe(
      'start-up (static hello, median of 7): qemu - s, zerosys 0.300 s; status 0',
    );
  });
});
