const { rows } = require('../db');
const { quote } = require('../pricingClient');

const PAGE = 20;

function list(req, res, { db, url }) {
  const page = Math.max(0, Number(url.searchParams.get('page') ?? 0) || 0);
  const category = url.searchParams.get('category');
  const result = category
    ? db.exec('SELECT id, sku, name, category, stock FROM products WHERE category = ? ORDER BY id LIMIT ? OFFSET ?', [category, PAGE, page * PAGE])
    : db.exec('SELECT id, sku, name, category, stock FROM products ORDER BY id LIMIT ? OFFSET ?', [PAGE, page * PAGE]);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ page, products: rows(result) }));
}

async function show(req, res, { db, params }) {
  const [product] = rows(db.exec('SELECT id, sku, name, category, stock FROM products WHERE id = ?', [Number(params[0])]));
  if (!product) return res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such product"}');
  const price = await quote({ sku: product.sku, quantity: 1 });
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...product, price }));
}

module.exports = { list, show };
