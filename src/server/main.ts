// Entry point of dist/server.js: the language server over stdio (`--stdio`) or node IPC, as the client chooses.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { serverRules } from './rule-set';
import { CloseWaitServer } from './server';

const connection = createConnection(ProposedFeatures.all);
// The last line of defence: work nobody awaits that fails must cost that work, never the editor's language server
// (Node would end the process). Each such place also catches for itself; this only logs what slipped through.
process.on('unhandledRejection', (reason) => {
  connection.console.error(`unexpected failure (the server carries on): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
});
new CloseWaitServer(connection, { rules: serverRules() }).listen();
