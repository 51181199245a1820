// One string object for each distinct text a parser keeps many times over (a thread's state detail, a lock's class,
// a socket's owner): equal strings cut from 100,000 lines are 100,000 objects, one each once shared.

export class SharedStrings {
  private readonly known = new Map<string, string>();

  /** The first string read with this text. */
  get(text: string): string {
    const found = this.known.get(text);
    if (found !== undefined) return found;
    this.known.set(text, text);
    return text;
  }
}
