// Node servers for the live scenarios. `node server.mjs <mode> <port>`; prints READY once listening.
//   never-ends  the handler never ends its response (an awaited promise that never settles)
//   answers     a healthy server: a little work, then the answer
//   big-body    answers every request with a 100 KB body and closes idle keep-alive connections after 1 s
import http from 'node:http';

const [mode, portText] = process.argv.slice(2);
const port = Number(portText);
const body = Buffer.alloc(100 * 1024, 'q');

const handlers = {
  'never-ends': async (req, res) => {
    await new Promise(() => {});
    res.end('never reached');
  },
  answers: (req, res) => {
    let sum = 0;
    for (let i = 0; i < 200_000; i++) sum += i % 7;
    setTimeout(() => res.end(`report ${sum}\n`), 10);
  },
  'big-body': (req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(body);
  },
};

const handler = handlers[mode];
if (handler === undefined) throw new Error(`unknown mode ${mode}`);
const server = http.createServer(handler);
if (mode === 'big-body') server.keepAliveTimeout = 1000;
server.listen(port, '127.0.0.1', () => console.log(`READY ${port}`));
