// Who the guest is: real/effective/saved/filesystem user and group ids, supplementary
// groups and capability sets, changed the way Linux 6.1 kernel/sys.c and
// security/commoncap.c change them. The guest starts as root with every capability (the
// reference runs of qemu-riscv64 on the build machine are root too).
//
// Credentials are per process here; Linux keeps them per thread, and glibc's set*id()
// makes every thread repeat the call (SIGSETXID), which ends in the same state.

import { GID, UID } from './identity.ts';
import { prefixed } from '../abi-prefixed.ts';
import { CAP_LAST_CAP, SECURE_KEEP_CAPS, SECURE_NO_SETUID_FIXUP } from '../abi.ts';
export { NGROUPS_MAX } from '../abi.ts';

/** Capability numbers (<linux/capability.h>, generated into kernel/abi.ts): CAP.CHOWN is CAP_CHOWN. */
export const CAP = prefixed('CAP_');

/** CAP_LAST_CAP of Linux 6.1 (CAP_CHECKPOINT_RESTORE). */
export { CAP_LAST_CAP };
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;

const bit = (cap: number) => 1n << BigInt(cap);
/** CAP_FS_SET: the capabilities that follow fsuid 0 (include/linux/capability.h). */
const CAP_FS_SET =
  bit(CAP.CHOWN) | bit(CAP.DAC_OVERRIDE) | bit(CAP.DAC_READ_SEARCH) | bit(CAP.FOWNER) | bit(CAP.FSETID) | bit(CAP.LINUX_IMMUTABLE) | bit(CAP.MAC_OVERRIDE);

/** securebits (<linux/securebits.h>). */
export { SECURE_NO_SETUID_FIXUP, SECURE_KEEP_CAPS };

/** (uid_t)-1: "leave unchanged" in set*id calls, and never a valid id. */
export const NO_ID = 0xffffffff;

export type IdKind = 'uid' | 'gid';

export interface IdSet {
  /** real, effective, saved, filesystem */
  r: number;
  e: number;
  s: number;
  fs: number;
}

export class Credentials {
  readonly uid: IdSet = { r: UID, e: UID, s: UID, fs: UID };
  readonly gid: IdSet = { r: GID, e: GID, s: GID, fs: GID };
  /** Supplementary groups, sorted (set_groups sorts them). Empty, as for root on the build machine. */
  groups: number[] = [];
  permitted = CAP_FULL_SET;
  effective = CAP_FULL_SET;
  inheritable = 0n;
  bounding = CAP_FULL_SET;
  ambient = 0n;
  securebits = 0;

  capable(cap: number): boolean {
    return (this.effective & bit(cap)) !== 0n;
  }
  /** in_group_p() (kernel/groups.c): the filesystem group id or a supplementary group. */
  inGroup(gid: number): boolean {
    return gid === this.gid.fs || this.groups.includes(gid);
  }
  ids(kind: IdKind): IdSet {
    return kind === 'uid' ? this.uid : this.gid;
  }
  issecure(securebit: number): boolean {
    return (this.securebits & (1 << securebit)) !== 0;
  }

  /**
   * Install new user or group ids (commit_creds after security_task_fix_set[ug]id): the
   * capability juggling of cap_emulate_setxuid / the fsuid rule, and whether dumpability
   * must be reset (euid, egid, fsuid or fsgid changed). `fsOnly`: setfsuid/setfsgid.
   */
  commit(kind: IdKind, next: IdSet, fsOnly: boolean): { idsChanged: boolean } {
    const old = { ...this.ids(kind) };
    if (kind === 'uid' && !this.issecure(SECURE_NO_SETUID_FIXUP)) {
      if (fsOnly) this.fixFsCaps(old.fs, next.fs);
      else this.emulateSetxuid(old, next);
    }
    Object.assign(this.ids(kind), next);
    return { idsChanged: old.e !== next.e || old.fs !== next.fs };
  }

  private emulateSetxuid(old: IdSet, next: IdSet): void {
    const hadRoot = old.r === 0 || old.e === 0 || old.s === 0;
    const hasRoot = next.r === 0 || next.e === 0 || next.s === 0;
    if (hadRoot && !hasRoot) {
      if (!this.issecure(SECURE_KEEP_CAPS)) {
        this.permitted = 0n;
        this.effective = 0n;
      }
      this.ambient = 0n;
    }
    if (old.e === 0 && next.e !== 0) this.effective = 0n;
    if (old.e !== 0 && next.e === 0) this.effective = this.permitted;
  }

  private fixFsCaps(oldFs: number, newFs: number): void {
    if (oldFs === 0 && newFs !== 0) this.effective &= ~CAP_FS_SET;
    if (oldFs !== 0 && newFs === 0) this.effective |= CAP_FS_SET & this.permitted;
  }
}
