import express from 'express';
import { quoteFor, ratesFrom } from './clients';

const app = express();
const port = Number(process.env.PORT || 3000);

app.get('/quotes/:symbol', async (req, res) => {
  // Calls this very server for the rates: each request holds a connection while it waits for a second one.
  const rates = await fetch(`http://localhost:${port}/internal/rates?symbol=${req.params.symbol}`);
  const quote = await quoteFor(req.params.symbol);
  res.json({ quote, rates: await rates.json() });
});

app.get('/internal/rates', async (req, res) => {
  res.json(await ratesFrom(String(req.query.symbol)));
});

app.listen(port, () => console.log(`quote-service listening on ${port}`));
