// Entry point of dist/server.js: the language server over stdio (`--stdio`) or node IPC, as the client chooses.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RULES } from '../analysis/rules';
import type { Rule } from '../analysis/rules/rule';
import { CloseWaitServer } from './server';

/**
 * CLOSEWAIT_FAULTY_RULE=1 adds a rule that throws on every file mentioning `closewait-fault`: the seam the
 * protocol tests use to prove that one broken rule never stops the others.
 */
function rules(): readonly Rule[] {
  if (process.env.CLOSEWAIT_FAULTY_RULE !== '1') return RULES;
  const faulty: Rule = {
    meta: { id: 'faulty-rule', defaultSeverity: 'error', description: 'Throws, on purpose.', docs: '', families: ['java', 'js'] },
    keywords: /closewait-fault/,
    check() {
      throw new Error('faulty-rule failed on purpose');
    },
  };
  return [faulty, ...RULES];
}

const connection = createConnection(ProposedFeatures.all);
// The last line of defence: work nobody awaits that fails must cost that work, never the editor's language server
// (Node would end the process). Each such place also catches for itself; this only logs what slipped through.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`unexpected failure (the server carries on): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
new CloseWaitServer(connection, { rules: rules() }).listen();
