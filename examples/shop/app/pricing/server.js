// The pricing service: GET /quote?sku=SKU-00001&quantity=2[&discount=CODE].
const http = require('node:http');

const DISCOUNTS = { WELCOME10: 0.1, BEANS20: 0.2 };

function basePrice(sku) {
  let h = 0;
  for (const ch of sku) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 4 + (h % 9600) / 100;
}

/** Volume tiers: the quote lists them all so clients can show "buy more, pay less". */
function tiers(unit) {
  const out = [];
  for (let q = 1; q <= 100; q++) out.push({ minQuantity: q, unitPrice: Math.round(unit * (1 - Math.min(0.25, q * 0.005)) * 100) / 100, note: `price for ${q} or more` });
  return out;
}

function quote(url) {
  const sku = url.searchParams.get('sku');
  const quantity = Math.max(1, Number(url.searchParams.get('quantity') ?? 1) || 1);
  if (!sku) return [400, { error: 'sku is required' }];
  const unit = basePrice(sku);
  const table = tiers(unit);
  const tier = table[Math.min(table.length, quantity) - 1];
  const discount = DISCOUNTS[url.searchParams.get('discount') ?? ''] ?? 0;
  const total = Math.round(tier.unitPrice * quantity * (1 - discount) * 100) / 100;
  return [200, { sku, quantity, currency: 'EUR', unitPrice: tier.unitPrice, discount, total, tiers: table }];
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://pricing.local');
  if (req.method !== 'GET' || url.pathname !== '/quote') return res.writeHead(404).end();
  // Quotes come from a rules engine in production; a few milliseconds is realistic.
  setTimeout(() => {
    const [status, body] = quote(url);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }, 3 + Math.random() * 4);
});

const port = Number(process.env.PORT ?? 3001);
server.listen(port, '127.0.0.1', () => console.log(`pricing listening on http://127.0.0.1:${server.address().port}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
