// getppid(2): always PPID from identity.ts (no host value reaches the guest).

import { PPID } from './identity.ts';

export function getppid(): number {
  return PPID;
}
