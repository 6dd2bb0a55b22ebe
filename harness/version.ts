// zerosys's version: package.json's, read at run time (the launcher's bundle in dist/ sits
// one level below the repository root like this file, so the same relative path works).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_JSON = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');

/** The `version` of package.json, or 'unknown' when it cannot be read. */
export function zerosysVersion(): string {
  try {
    return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
