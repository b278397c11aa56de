const { rows } = require('../db');
const { quote } = require('../pricingClient');

async function create(req, res, { db, body }) {
  const items = Array.isArray(body.items) ? body.items : [];
  if (!items.length) return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"items are required"}');
  const discountCode = body.discount.code.trim().toUpperCase();
  let total = 0;
  for (const item of items) {
    const [product] = rows(db.exec('SELECT id, sku, stock FROM products WHERE id = ?', [Number(item.productId)]));
    if (!product) return res.writeHead(422, { 'content-type': 'application/json' }).end(`{"error":"unknown product ${Number(item.productId)}"}`);
    const price = await quote({ sku: product.sku, quantity: item.quantity ?? 1, discountCode });
    total += price.total;
  }
  db.run("INSERT INTO orders (customer_id, status, created_at) VALUES (?, 'paid', ?)", [Number(body.customerId) || 1, new Date().toISOString()]);
  const [{ id }] = rows(db.exec('SELECT last_insert_rowid() AS id'));
  for (const item of items) {
    db.run('INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)', [id, Number(item.productId), item.quantity ?? 1]);
  }
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ orderId: id, total: Math.round(total * 100) / 100 }));
}

module.exports = { create };
