// getpid(2): always PID from identity.ts (no host value reaches the guest).

import { PID } from './identity.ts';

export function getpid(): number {
  return PID;
}
