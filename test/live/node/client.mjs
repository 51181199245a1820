// Node clients for the live scenarios. `node client.mjs <mode> <port> <count>`; prints READY when the requests are
// where the scenario wants them.
//   wait          `count` requests with no timeout, each on its own connection, waiting for answers
//   unread-fetch  `count` fetch() calls whose response bodies are never read (kept, never consumed or cancelled)
import http from 'node:http';

const [mode, portText, countText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const kept = [];

if (mode === 'wait') {
  let sent = 0;
  for (let i = 0; i < count; i++) {
    const request = http.get({ host: '127.0.0.1', port, path: `/report?n=${i}`, agent: false }, (response) => response.resume());
    request.on('error', (e) => console.error(e.message));
    request.on('finish', () => {
      if (++sent === count) console.log('READY');
    });
    kept.push(request);
  }
} else if (mode === 'unread-fetch') {
  for (let i = 0; i < count; i++) kept.push(await fetch(`http://127.0.0.1:${port}/quote?n=${i}`));
  console.log('READY');
} else {
  throw new Error(`unknown mode ${mode}`);
}
setInterval(() => {}, 60_000);
