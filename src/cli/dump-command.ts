// Placeholder until the dump core lands (issue 6).
export async function dumpCommand(_argv: string[]): Promise<number> {
  process.stderr.write('closewait dump: not available yet\n');
  return 2;
}
