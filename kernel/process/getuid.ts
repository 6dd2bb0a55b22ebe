// getuid(2): always UID from identity.ts (no host value reaches the guest).

import { UID } from './identity.ts';

export function getuid(): number {
  return UID;
}
