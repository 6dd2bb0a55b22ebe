// Byte-level comparison of two outputs for reports: the first differing offset, its line
// and column, and the bytes around it on both sides — as text with escapes when the
// output is text, as hex otherwise.

const CONTEXT = 48;

function escapeBytes(bytes: Uint8Array): string {
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

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** Mostly printable ASCII (or UTF-8 continuation bytes): show as escaped text. */
function looksLikeText(bytes: Uint8Array): boolean {
  let odd = 0;
  for (const b of bytes) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) odd++;
  return odd * 20 <= bytes.length;
}

export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export interface BytesDiff {
  stream: string;
  offset: number;
  line: number;
  column: number;
  lengths: { qemu: number; zerosys: number };
  encoding: 'text' | 'hex';
  /** Context window [from, offset+CONTEXT) on each side, rendered per `encoding`. */
  qemu: string;
  zerosys: string;
  /** Offset of the first byte shown. */
  from: number;
}

/** undefined when equal. */
export function diffBytes(stream: string, qemu: Uint8Array, zerosys: Uint8Array): BytesDiff | undefined {
  const at = firstDifference(qemu, zerosys);
  if (at < 0) return undefined;
  const before = qemu.subarray(0, at);
  let line = 1;
  let lastNl = -1;
  before.forEach((b, i) => {
    if (b === 0x0a) {
      line++;
      lastNl = i;
    }
  });
  const from = Math.max(0, at - CONTEXT);
  const text = looksLikeText(qemu.subarray(from, at + CONTEXT)) && looksLikeText(zerosys.subarray(from, at + CONTEXT));
  const show = (buf: Uint8Array) => {
    const head = buf.subarray(from, at);
    const tail = buf.subarray(at, at + CONTEXT);
    return text ? `${escapeBytes(head)}⟦${escapeBytes(tail)}⟧` : `${hex(head)} ⟦${hex(tail)}⟧`;
  };
  return {
    stream,
    offset: at,
    line,
    column: at - lastNl,
    lengths: { qemu: qemu.length, zerosys: zerosys.length },
    encoding: text ? 'text' : 'hex',
    qemu: show(qemu),
    zerosys: show(zerosys),
    from,
  };
}

/** Multi-line human rendering of a BytesDiff. */
export function renderBytesDiff(d: BytesDiff): string {
  return [
    `${d.stream} differs at byte ${d.offset} (line ${d.line}, column ${d.column}); lengths qemu=${d.lengths.qemu} zerosys=${d.lengths.zerosys}`,
    `  qemu   : ${d.from > 0 ? '…' : ''}${d.qemu}`,
    `  zerosys: ${d.from > 0 ? '…' : ''}${d.zerosys}`,
  ].join('\n');
}
