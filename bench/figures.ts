// What a bench module returns: named figures, some of them measured against a goal an issue sets (17: speed, 18:
// memory and big documents). A figure with a goal carries it, and whether this run met it, so the printed table and
// bench/results/latest.json show each figure beside its goal.

export interface Measured {
  value: number | string;
  /** The goal in words: `>= 5x`, `< 2 s`. */
  goal: string;
  /** Null when this run could not tell (nothing to compare on this machine). */
  met: boolean | null;
}

export type Figure = number | string | Measured;
export type Figures = Record<string, Figure>;

export function against(value: number | string, goal: string, met: boolean | null): Measured {
  return { value, goal, met };
}

export function isMeasured(figure: Figure | undefined): figure is Measured {
  return typeof figure === 'object' && figure !== null && 'goal' in figure;
}

export function verdict(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : 'NOT met';
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
