// A bench module run on its own (node --import tsx bench/<name>.ts) prints its figures as a table under a title,
// each figure with a goal beside it.
import { isMeasured, verdict, type Figures } from './figures';

export function printFigures(title: string, run: () => Promise<Figures>): void {
  run().then(
    (figures) => {
      console.log(title);
      console.table(Object.fromEntries(Object.entries(figures).map(([name, f]) => [name, isMeasured(f) ? `${f.value} (goal ${f.goal}: ${verdict(f.met)})` : f])));
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
