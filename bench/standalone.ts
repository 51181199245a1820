// A bench module run on its own (node --import tsx bench/<name>.ts) prints its figures as a table under a title.
type Figures = Record<string, number | string>;

export function printFigures(title: string, run: () => Promise<Figures>): void {
  run().then(
    (figures) => {
      console.log(title);
      console.table(figures);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
