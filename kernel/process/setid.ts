// The set*uid / set*gid family and getres[ug]id, as Linux 6.1 kernel/sys.c. An id of
// (uid_t)-1 means "leave unchanged" (and is never a valid id: EINVAL for setuid/setgid).
// Without CAP_SETUID (CAP_SETGID) a process may only shuffle its current real, effective
// and saved ids: EPERM otherwise. The filesystem id follows the effective one; the saved id
// follows it under the rules of setreuid. Capabilities follow the user ids (credentials.ts),
// and a changed effective or filesystem id makes the process non-dumpable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CAP, NO_ID, type IdKind, type IdSet } from './credentials.ts';

const capFor = (kind: IdKind) => (kind === 'uid' ? CAP.SETUID : CAP.SETGID);

function install(k: SyscallContext, kind: IdKind, next: IdSet, fsOnly = false): number {
  if (k.state.proc.creds.commit(kind, next, fsOnly).idsChanged) k.state.proc.credentialsChanged();
  return 0;
}

/** setuid(2) / setgid(2). */
function setId(k: SyscallContext, kind: IdKind): number {
  const id = k.u32(0);
  if (id === NO_ID) return -E.EINVAL;
  const creds = k.state.proc.creds;
  const old = { ...creds.ids(kind) };
  const next = { ...old };
  if (creds.capable(capFor(kind))) {
    next.r = next.s = id;
  } else if (id !== old.r && id !== old.s) return -E.EPERM;
  next.e = next.fs = id;
  return install(k, kind, next);
}

/** setreuid(2) / setregid(2). */
function setReId(k: SyscallContext, kind: IdKind): number {
  const r = k.u32(0);
  const e = k.u32(1);
  const creds = k.state.proc.creds;
  const old = { ...creds.ids(kind) };
  const privileged = creds.capable(capFor(kind));
  const next = { ...old };
  if (r !== NO_ID) {
    if (r !== old.r && r !== old.e && !privileged) return -E.EPERM;
    next.r = r;
  }
  if (e !== NO_ID) {
    if (e !== old.r && e !== old.e && e !== old.s && !privileged) return -E.EPERM;
    next.e = e;
  }
  if (r !== NO_ID || (e !== NO_ID && e !== old.r)) next.s = next.e;
  next.fs = next.e;
  return install(k, kind, next);
}

/** setresuid(2) / setresgid(2). */
function setResId(k: SyscallContext, kind: IdKind): number {
  const [r, e, s] = [k.u32(0), k.u32(1), k.u32(2)];
  const creds = k.state.proc.creds;
  const old = { ...creds.ids(kind) };
  if ((r === NO_ID || r === old.r) && (e === NO_ID || (e === old.e && e === old.fs)) && (s === NO_ID || s === old.s)) return 0;
  const isNew = (id: number) => id !== NO_ID && id !== old.r && id !== old.e && id !== old.s;
  if ((isNew(r) || isNew(e) || isNew(s)) && !creds.capable(capFor(kind))) return -E.EPERM;
  const next = { ...old };
  if (r !== NO_ID) next.r = r;
  if (e !== NO_ID) next.e = e;
  if (s !== NO_ID) next.s = s;
  next.fs = next.e;
  return install(k, kind, next);
}

/** getresuid(2) / getresgid(2) (uid_t __user *ruidp, *euidp, *suidp): three u32 stores in order, stopping at the first EFAULT. */
function getResId(k: SyscallContext, kind: IdKind): number {
  const ids = k.state.proc.creds.ids(kind);
  const values = [ids.r, ids.e, ids.s];
  for (let i = 0; i < 3; i++) k.mem.write(k.addr(i), new Uint8Array(new Uint32Array([values[i]]).buffer));
  return 0;
}

/** setfsuid(2) / setfsgid(2): always returns the previous filesystem id. */
function setFsId(k: SyscallContext, kind: IdKind): number {
  const id = k.u32(0);
  const creds = k.state.proc.creds;
  const old = { ...creds.ids(kind) };
  if (id === NO_ID) return old.fs;
  const allowed = id === old.r || id === old.e || id === old.s || id === old.fs || creds.capable(capFor(kind));
  if (allowed && id !== old.fs) install(k, kind, { ...old, fs: id }, true);
  return old.fs;
}

export const setuid = (k: SyscallContext) => setId(k, 'uid');
export const setgid = (k: SyscallContext) => setId(k, 'gid');
export const setreuid = (k: SyscallContext) => setReId(k, 'uid');
export const setregid = (k: SyscallContext) => setReId(k, 'gid');
export const setresuid = (k: SyscallContext) => setResId(k, 'uid');
export const setresgid = (k: SyscallContext) => setResId(k, 'gid');
export const getresuid = (k: SyscallContext) => getResId(k, 'uid');
export const getresgid = (k: SyscallContext) => getResId(k, 'gid');
export const setfsuid = (k: SyscallContext) => setFsId(k, 'uid');
export const setfsgid = (k: SyscallContext) => setFsId(k, 'gid');
