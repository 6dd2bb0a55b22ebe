// Generates kernel/net/netlink-abi.ts — the netlink and rtnetlink constants and struct layouts
// (NETLINK_*, NLM_F_*, NLMSG_*, RTM_*, IFLA_*, IFA_*, IFF_*, ...) — from the riscv64 cross
// headers, as kernel/gen-abi.ts and kernel/gen-structs.ts do for the rest of the ABI (their
// compiler, their technique), so no netlink value is typed from memory.
//
//   npx tsx kernel/net/gen-netlink-abi.ts
//
// Many of these names are enumerators (IFLA_*, IFA_*, RT_SCOPE_*, IF_OPER_*, RTNLGRP_*), not
// macros: every identifier with a selected prefix in the preprocessed headers is a candidate,
// each becomes `const long long zs_NAME = (long long)(NAME);`, and the ones that are not
// integer constants (types, function-like macros) are dropped where the compiler rejects them.
// SOL_NETLINK is glibc's (<sys/socket.h>): the kernel's lives in the non-UAPI linux/socket.h.

import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CC } from '../gen-abi.ts';

const UAPI_HEADERS = ['linux/netlink.h', 'linux/rtnetlink.h', 'linux/if_link.h', 'linux/if_addr.h', 'linux/if.h', 'linux/if_arp.h'];
const LIBC_HEADERS = ['sys/socket.h'];

/** The names taken from the UAPI unit. */
const SELECT = /^(NETLINK_[A-Z0-9_]+|NLM_F_[A-Z_]+|NLMSG_(NOOP|ERROR|DONE|OVERRUN|MIN_TYPE|ALIGNTO|HDRLEN)|NLA_(HDRLEN|ALIGNTO|F_NESTED|F_NET_BYTEORDER)|NLMSGERR_ATTR_[A-Z_]+|RTM_[A-Z0-9_]+|RTNLGRP_[A-Z0-9_]+|RTNL_FAMILY_MAX|IFLA_[A-Z0-9_]+|IFA_[A-Z0-9_]+|IFF_[A-Z0-9_]+|IFNAMSIZ|ARPHRD_(LOOPBACK|ETHER|NONE|VOID)|RT_SCOPE_[A-Z]+|IF_OPER_[A-Z]+|IF_LINK_MODE_[A-Z]+|MAX_ADDR_LEN|MAX_LINKS|IFAPROT_[A-Z_]+|XDP_ATTACHED_[A-Z]+)$/;

interface Struct {
  name: string;
  type: string;
  fields: string[];
}

const STRUCTS: Struct[] = [
  { name: 'NLMSGHDR', type: 'struct nlmsghdr', fields: ['nlmsg_len', 'nlmsg_type', 'nlmsg_flags', 'nlmsg_seq', 'nlmsg_pid'] },
  { name: 'SOCKADDR_NL', type: 'struct sockaddr_nl', fields: ['nl_family', 'nl_pad', 'nl_pid', 'nl_groups'] },
  { name: 'NLMSGERR', type: 'struct nlmsgerr', fields: ['error', 'msg'] },
  { name: 'NLATTR', type: 'struct nlattr', fields: ['nla_len', 'nla_type'] },
  { name: 'RTGENMSG', type: 'struct rtgenmsg', fields: ['rtgen_family'] },
  { name: 'IFINFOMSG', type: 'struct ifinfomsg', fields: ['ifi_family', 'ifi_type', 'ifi_index', 'ifi_flags', 'ifi_change'] },
  { name: 'IFADDRMSG', type: 'struct ifaddrmsg', fields: ['ifa_family', 'ifa_prefixlen', 'ifa_flags', 'ifa_scope', 'ifa_index'] },
  { name: 'IFA_CACHEINFO_STRUCT', type: 'struct ifa_cacheinfo', fields: ['ifa_prefered', 'ifa_valid', 'cstamp', 'tstamp'] },
  { name: 'RTNL_LINK_STATS', type: 'struct rtnl_link_stats', fields: [] },
  { name: 'RTNL_LINK_STATS64', type: 'struct rtnl_link_stats64', fields: [] },
  { name: 'RTNL_LINK_IFMAP', type: 'struct rtnl_link_ifmap', fields: [] },
];

const prologue = (headers: string[], gnu = false) => [...(gnu ? ['#define _GNU_SOURCE 1'] : []), ...headers.map((h) => `#include <${h}>`), ''].join('\n');

/** Identifiers of the preprocessed headers (enumerators included) and their macros that `select` takes. */
function candidates(head: string, select: RegExp): string[] {
  const macros = execFileSync(CC, ['-E', '-dM', '-x', 'c', '-'], { input: head, encoding: 'utf8' });
  const text = execFileSync(CC, ['-E', '-P', '-x', 'c', '-'], { input: head, encoding: 'utf8' });
  const names = new Set<string>();
  for (const m of macros.matchAll(/^#define ([A-Za-z_]\w*) /gm)) if (select.test(m[1])) names.add(m[1]);
  for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]+)\b/g)) if (select.test(m[1])) names.add(m[1]);
  return [...names].sort();
}

/** Values as the cross compiler evaluates them (names that are no integer constant are dropped). */
function evaluate(head: string, names: string[]): Map<string, bigint> {
  let todo = [...names];
  for (let round = 0; round < 20; round++) {
    const first = head.split('\n').length;
    const body = todo.map((n) => `const long long zs_${n} = (long long)(${n});`).join('\n');
    const r = spawnSync(CC, ['-S', '-O0', '-w', '-o', '-', '-x', 'c', '-'], { input: `${head}${body}\n`, encoding: 'utf8' });
    if (r.status === 0) {
      const out = new Map<string, bigint>();
      for (const m of r.stdout.matchAll(/^zs_(\w+):\n\s+\.(dword|zero)\s+(-?\d+)/gm)) out.set(m[1], m[2] === 'zero' ? 0n : BigInt(m[3]));
      return out;
    }
    const bad = new Set<number>();
    for (const m of r.stderr.matchAll(/^<stdin>:(\d+):\d+: error/gm)) bad.add(Number(m[1]) - first);
    if (!bad.size) throw new Error(`${CC} failed:\n${r.stderr}`);
    todo = todo.filter((_, i) => !bad.has(i));
  }
  throw new Error('too many rounds of non-constant names');
}

function layouts(): Map<string, number> {
  const lines = [prologue(UAPI_HEADERS), '#define ZS(name, value) asm volatile("\\n.ascii \\"->" name " %0\\"" : : "i"(value))', 'void zs(void) {'];
  for (const s of STRUCTS) {
    lines.push(`  ZS("${s.name}.SIZE", sizeof(${s.type}));`);
    for (const f of s.fields) lines.push(`  ZS("${s.name}.${f}", __builtin_offsetof(${s.type}, ${f}));`);
  }
  lines.push('}');
  const r = spawnSync(CC, ['-S', '-O0', '-x', 'c', '-o', '-', '-'], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${CC} failed:\n${r.stderr}`);
  return new Map([...r.stdout.matchAll(/->(\S+) (-?\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

export function render(): string {
  const uapi = prologue(UAPI_HEADERS);
  const values = evaluate(uapi, candidates(uapi, SELECT));
  const libc = prologue(LIBC_HEADERS, true);
  for (const [k, v] of evaluate(libc, ['SOL_NETLINK'])) values.set(k, v);
  const lit = (v: bigint) => (v >= 16n ? `0x${v.toString(16)}` : v.toString());
  const out = [
    '// GENERATED by kernel/net/gen-netlink-abi.ts from the riscv64 cross headers (values and',
    '// layouts computed by riscv64-linux-gnu-gcc; SOL_NETLINK from glibc\'s <sys/socket.h>). Do not',
    '// edit; rerun the generator.',
    `//   UAPI: ${UAPI_HEADERS.join(' ')}`,
    '',
  ];
  for (const [name, v] of [...values].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new Error(`${name} = ${v} does not fit a number`);
    out.push(`export const ${name} = ${lit(v)};`);
  }
  const sizes = layouts();
  for (const s of STRUCTS) {
    const get = (k: string) => {
      const v = sizes.get(`${s.name}.${k}`);
      if (v === undefined) throw new Error(`no value for ${s.name}.${k}`);
      return v;
    };
    out.push('', `/** ${s.type}: SIZE and the offset of each field. */`, `export const ${s.name} = {`, `  SIZE: ${get('SIZE')},`);
    for (const f of s.fields) out.push(`  ${f}: ${get(f)},`);
    out.push('} as const;');
  }
  return `${out.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = fileURLToPath(new URL('./netlink-abi.ts', import.meta.url));
  writeFileSync(file, render());
  console.log(`wrote ${file}`);
}
