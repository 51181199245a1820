// SARIF 2.1.0, the format code-scanning services read. Columns are UTF-16 code units, as our findings count them.
import { pathToFileURL } from 'node:url';
import type { Finding, Severity } from '../../analysis/finding';
import { RULES } from '../../analysis/rules';
import { helpUri, ruleMarkdown } from '../../analysis/rules/rule';
import { VERSION } from '../../version';
import type { ScanReport } from '../scan';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * A relative path as a URI reference: every segment percent-encoded (`#`, `?`, `%`, `:` and spaces included), so
 * the path cannot turn into a fragment, a query or a scheme. encodeURI would leave `#` and `?` as they are.
 */
export function pathUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function location(f: Finding) {
  return {
    physicalLocation: {
      artifactLocation: { uri: pathUri(f.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
    },
  };
}

export function formatSarif(report: ScanReport): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.meta.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'CloseWait',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://github.com/closewait/closewait',
            rules: RULES.map((r) => ({
              id: r.meta.id,
              name: r.meta.id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.meta.description },
              fullDescription: { text: r.meta.docs.replace(/\n/g, ' ') },
              help: { text: r.meta.description, markdown: ruleMarkdown(r.meta) },
              helpUri: helpUri(r.meta.id),
              defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href}/` } },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIndex.get(f.rule) ?? -1,
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [location(f)],
          ...(f.related
            ? {
                relatedLocations: f.related.map((r, id) => ({
                  id,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: pathUri(r.file), uriBaseId: '%SRCROOT%' }, region: { startLine: r.line } },
                })),
              }
            : {}),
          partialFingerprints: { 'closewait/v1': f.fingerprint },
          properties: { ...(f.resource ? { resource: f.resource } : {}), confidence: f.confidence, basis: f.basis },
        })),
        // What the policy kept out of `results` (test code, browser code, findings only the strict profile shows).
        properties: { hidden: report.hidden },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({
              level: 'note',
              message: { text: `skipped: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: pathUri(s.file), uriBaseId: '%SRCROOT%' } } }],
            })),
          },
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
