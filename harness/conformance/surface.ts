export async function surfaceCommand(_prog: string, _args: string[], _opts: { json?: boolean }): Promise<number> {
  console.error('zerosys surface: not implemented yet');
  return 2;
}
