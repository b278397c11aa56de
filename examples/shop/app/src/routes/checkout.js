// POST /api/checkout { customerId, items: [{ productId, quantity }], discount?: { code } }
const express = require('express');
const { db } = require('../db');
const { quote } = require('../pricingClient');
const { asyncHandler } = require('../asyncHandler');

async function create(req, res) {
  const body = req.body ?? {};
  const items = Array.isArray(body.items) ? body.items : [];
  if (!items.length) return res.status(400).json({ error: 'items are required' });
  const discountCode = body.discount.code.trim().toUpperCase();
  let total = 0;
  for (const item of items) {
    const product = db.prepare('SELECT id, sku, stock FROM products WHERE id = ?').get(Number(item.productId));
    if (!product) return res.status(422).json({ error: `unknown product ${Number(item.productId)}` });
    const price = await quote({ sku: product.sku, quantity: item.quantity ?? 1, discountCode });
    total += price.total;
  }
  const order = db.prepare("INSERT INTO orders (customer_id, status, created_at) VALUES (?, 'paid', ?)").run(Number(body.customerId) || 1, new Date().toISOString());
  const addItem = db.prepare('INSERT INTO order_items (order_id, product_id, quantity) VALUES (?, ?, ?)');
  for (const item of items) addItem.run(order.lastInsertRowid, Number(item.productId), item.quantity ?? 1);
  res.status(201).json({ orderId: Number(order.lastInsertRowid), total: Math.round(total * 100) / 100 });
}

const router = express.Router();
router.post('/', asyncHandler(create));

module.exports = router;
