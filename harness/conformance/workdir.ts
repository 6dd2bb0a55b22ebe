// Laying out a case's working directory on the host, and describing it afterwards (what the
// two sides left behind is compared as this text).

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileSetup } from './specs/model.ts';

export async function layOut(dir: string, files: FileSetup[]): Promise<void> {
  const modes: Array<[string, number]> = [];
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    switch (f.type) {
      case 'dir':
        await mkdir(path, { recursive: true });
        modes.push([path, f.mode ?? 0o755]);
        break;
      case 'symlink':
        await symlink(f.target ?? '', path);
        break;
      case 'fifo':
        execFileSync('mkfifo', [path]);
        modes.push([path, f.mode ?? 0o644]);
        break;
      default:
        await writeFile(path, f.content ?? Buffer.alloc(0));
        modes.push([path, f.mode ?? 0o644]);
    }
  }
  // Modes last, deepest first, so a read-only directory does not block its own contents.
  for (const [path, mode] of modes.reverse()) await chmod(path, mode);
}

const TYPES: Array<[number, string]> = [[0o140000, 'socket'], [0o120000, 'symlink'], [0o100000, 'file'], [0o60000, 'block'], [0o40000, 'dir'], [0o20000, 'char'], [0o10000, 'fifo']];

/** One line per entry, sorted: path, type, permission bits, size, and content (hex up to 64 bytes, else sha256). */
export async function describeTree(dir: string): Promise<string> {
  const lines: string[] = [];
  const walk = async (rel: string) => {
    const names = (await readdir(join(dir, rel))).sort();
    for (const name of names) {
      const relPath = rel ? `${rel}/${name}` : name;
      const path = join(dir, relPath);
      const st = await lstat(path);
      const type = TYPES.find(([bits]) => (st.mode & 0o170000) === bits)?.[1] ?? 'other';
      let line = `${relPath} ${type} ${(st.mode & 0o7777).toString(8).padStart(4, '0')}`;
      if (type === 'file') {
        let content: Buffer;
        try {
          content = await readFile(path);
          line += ` size=${st.size} ${content.length <= 64 ? `hex=${content.toString('hex')}` : `sha256=${createHash('sha256').update(content).digest('hex').slice(0, 16)}`}`;
        } catch {
          line += ` size=${st.size} (unreadable)`;
        }
      } else if (type === 'symlink') line += ` -> ${await readlink(path)}`;
      lines.push(line);
      if (type === 'dir') {
        try {
          await walk(relPath);
        } catch {
          lines.push(`${relPath}/ (unreadable)`);
        }
      }
    }
  };
  await walk('');
  return lines.join('\n');
}
