/** The executable cannot be loaded; the message is one line saying what is wrong and where. */
export class ElfError extends Error {
  override readonly name = 'ElfError';
}
