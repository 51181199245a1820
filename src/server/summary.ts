// What the status bar's quick summary asks the server (`closewait/summary`): what the findings shown as
// diagnostics cannot tell, such as how many findings were left out because they are in test code. The findings by
// rule the client counts itself, from the diagnostics it shows.
export const SUMMARY_REQUEST = 'closewait/summary';

export interface ServerSummary {
  /** Findings the analysis hid because they are in test code (closewait.testCode: hide); 0 when none are hidden. */
  readonly hiddenInTests: number;
}

/** Per document (open, or published by a workspace scan): how many of its findings were hidden. */
export class HiddenFindings {
  private readonly byUri = new Map<string, number>();

  /** Records a document's count after each analysis of it (0 clears it). */
  set(uri: string, hiddenInTests: number): void {
    if (hiddenInTests > 0) this.byUri.set(uri, hiddenInTests);
    else this.byUri.delete(uri);
  }

  delete(uri: string): void {
    this.byUri.delete(uri);
  }

  summary(): ServerSummary {
    let hiddenInTests = 0;
    for (const n of this.byUri.values()) hiddenInTests += n;
    return { hiddenInTests };
  }
}
