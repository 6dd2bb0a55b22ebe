#!/usr/bin/env node
// Launcher: load the TypeScript CLI through tsx's ESM loader (transpiled once at start-up).
import { register } from 'tsx/esm/api';
register();
await import('../harness/cli.ts');
