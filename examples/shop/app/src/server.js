// The shop API. Routes are plain functions (req, res, params, url) registered below.
const http = require('node:http');
const { openDatabase } = require('./db');
const products = require('./routes/products');
const orders = require('./routes/orders');
const customers = require('./routes/customers');
const checkout = require('./routes/checkout');

const routes = [
  ['GET', /^\/products$/, products.list],
  ['GET', /^\/products\/(\d+)$/, products.show],
  ['GET', /^\/orders$/, orders.list],
  ['GET', /^\/orders\/(\d+)$/, orders.show],
  ['GET', /^\/customers\/lookup$/, customers.lookup],
  ['POST', /^\/checkout$/, checkout.create],
  ['GET', /^\/health$/, (req, res) => res.writeHead(200).end('ok')],
];

function readBody(req) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function handle(db, req, res) {
  const url = new URL(req.url, 'http://shop.local');
  for (const [method, pattern, route] of routes) {
    const match = pattern.exec(url.pathname);
    if (!match || req.method !== method) continue;
    const ctx = { db, url, params: match.slice(1) };
    if (method === 'POST') {
      const text = await readBody(req);
      ctx.body = text ? JSON.parse(text) : {};
    }
    return route(req, res, ctx);
  }
  res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
}

async function main() {
  const db = await openDatabase();
  const server = http.createServer((req, res) => {
    handle(db, req, res).catch((err) => {
      console.error(`${req.method} ${req.url} failed:`, err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"internal error"}');
    });
  });
  const port = Number(process.env.PORT ?? 3000);
  server.listen(port, '127.0.0.1', () => {
    console.log(`shop listening on http://127.0.0.1:${server.address().port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error('shop failed to start:', err);
  process.exit(1);
});
