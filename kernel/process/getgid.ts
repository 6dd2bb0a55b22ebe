// getgid(2): always GID from identity.ts (no host value reaches the guest).

import { GID } from './identity.ts';

export function getgid(): number {
  return GID;
}
