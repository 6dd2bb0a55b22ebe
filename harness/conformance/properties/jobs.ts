import type { Job, RunContext } from '../command.ts';
export async function propertyJobs(_ctx: RunContext, _wanted: (id: string) => boolean, _toolchain: boolean): Promise<Job[]> {
  return [];
}
