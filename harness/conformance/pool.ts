// A small worker pool: independent cases run concurrently (each case spawns its own guest
// processes), results come back in input order whatever order they finish in.

export async function runPool<T, R>(
  items: readonly T[],
  jobs: number,
  work: (item: T, index: number) => Promise<R>,
  onDone?: (result: R, done: number, total: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
      onDone?.(results[i], ++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}

/** Deterministic slice i of n (1-based) of ids: by a stable hash, so adding a case moves few others. */
export function inShard(id: string, shard: { index: number; count: number } | undefined): boolean {
  if (!shard) return true;
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return h % shard.count === shard.index - 1;
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new Error(`--shard expects i/n with 1 <= i <= n, got "${text}"`);
  return { index, count };
}
