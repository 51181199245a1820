// The findings a scan's policy kept out of the report, said once the same way by every human-readable format.
import { totalHidden, type HiddenCounts } from '../../analysis/scope/policy';

/** "not shown: 480 in tests, examples and scripts (--include-tests), 12 in browser code, ..."; '' for none. */
export function describeHidden(hidden: HiddenCounts): string {
  if (totalHidden(hidden) === 0) return '';
  const n = (count: number) => count.toLocaleString('en-US');
  const parts = [
    hidden.testCode > 0 ? `${n(hidden.testCode)} in tests, examples and scripts (--include-tests)` : '',
    hidden.browserCode > 0 ? `${n(hidden.browserCode)} in browser code (--profile strict)` : '',
    hidden.strictOnly > 0 ? `${n(hidden.strictOnly)} uncertain or outside request handling (--profile strict)` : '',
  ].filter(Boolean);
  return `not shown: ${parts.join(', ')}`;
}
