// The generated constants of kernel/abi.ts that share a prefix, as one object keyed without
// it: prefixed('RLIMIT_').NOFILE is RLIMIT_NOFILE. The key and value types come from abi.ts,
// so a name the headers do not define is a compile error, and no value is typed twice.

import * as abi from './abi.ts';

type Abi = Omit<typeof abi, 'ABI_BY_NAME'>;
type Strip<P extends string, K> = K extends `${P}${infer Rest}` ? Rest : never;
export type Prefixed<P extends string> = { readonly [K in keyof Abi as Strip<P, K>]: Abi[K] };

export function prefixed<P extends string>(prefix: P): Prefixed<P> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(abi.ABI_BY_NAME)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = value;
  return Object.freeze(out) as unknown as Prefixed<P>;
}
