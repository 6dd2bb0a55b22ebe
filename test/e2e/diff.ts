// Readable byte-level comparison of two outputs: where they first differ (offset, line,
// column) and the bytes around it on both sides, escaped so control bytes are visible.

const CONTEXT = 60;

function escapeBytes(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Index of the first differing byte, or -1 when equal. */
export function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** undefined when equal; otherwise a multi-line description of the first difference. */
export function describeDifference(what: string, expected: Buffer, actual: Buffer, expectedName = 'qemu', actualName = 'zerosys'): string | undefined {
  const at = firstDifference(expected, actual);
  if (at < 0) return undefined;
  const before = expected.subarray(0, at);
  const line = before.filter((b) => b === 0x0a).length + 1;
  const column = at - (before.lastIndexOf(0x0a) + 1) + 1;
  const from = Math.max(0, at - CONTEXT);
  const show = (buf: Buffer) =>
    `${from > 0 ? '…' : ''}${escapeBytes(buf.subarray(from, at))}⟦${escapeBytes(buf.subarray(at, at + CONTEXT))}⟧${buf.length > at + CONTEXT ? '…' : ''}`;
  const width = Math.max(expectedName.length, actualName.length);
  return [
    `${what} differs at byte ${at} (line ${line}, column ${column}); lengths ${expectedName}=${expected.length} ${actualName}=${actual.length}`,
    `  ${expectedName.padEnd(width)}: ${show(expected)}`,
    `  ${actualName.padEnd(width)}: ${show(actual)}`,
  ].join('\n');
}
