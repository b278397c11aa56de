// GET /api/products?page=N&category=C: a page of products.
// GET /api/products/:id: one product with its current price (asks pricing).
const express = require('express');
const { db } = require('../db');
const { quote } = require('../pricingClient');
const { asyncHandler } = require('../asyncHandler');

const PAGE = 20;

function list(req, res) {
  const page = Math.max(0, Number(req.query.page ?? 0) || 0);
  const category = req.query.category;
  const products = category
    ? db.prepare('SELECT id, sku, name, category, stock FROM products WHERE category = ? ORDER BY id LIMIT ? OFFSET ?').all(String(category), PAGE, page * PAGE)
    : db.prepare('SELECT id, sku, name, category, stock FROM products ORDER BY id LIMIT ? OFFSET ?').all(PAGE, page * PAGE);
  res.json({ page, products });
}

async function show(req, res) {
  const product = db.prepare('SELECT id, sku, name, category, stock FROM products WHERE id = ?').get(Number(req.params.id));
  if (!product) return res.status(404).json({ error: 'no such product' });
  const price = await quote({ sku: product.sku, quantity: 1 });
  res.json({ ...product, price });
}

const router = express.Router();
router.get('/', list);
router.get('/:id(\\d+)', asyncHandler(show));

module.exports = router;
