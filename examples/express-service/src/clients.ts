import axios from 'axios';
import * as http from 'node:http';
import * as net from 'node:net';

const pricing = axios.create({ baseURL: process.env.PRICING_URL });

export async function quoteFor(symbol: string): Promise<number> {
  const { data } = await pricing.get(`/quote/${symbol}`);
  return data.price;
}

export async function ratesFrom(symbol: string): Promise<unknown> {
  const res = await fetch(`${process.env.PRICING_URL}/rates/${symbol}`);
  if (!res.ok) throw new Error(`pricing answered ${res.status}`);
  return res.json();
}

export function notifyAudit(line: string): void {
  const socket = net.connect(5140, 'audit.internal');
  socket.write(`${line}\n`);
}

export function auditHealthy(): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${process.env.AUDIT_URL}/health`, { timeout: 5_000 }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`audit answered ${res.statusCode}`));
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('audit timed out')));
    req.on('error', reject);
  });
}
