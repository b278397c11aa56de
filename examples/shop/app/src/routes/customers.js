// GET /api/customers/lookup?email=E: a customer by e-mail address.
const express = require('express');
const { db } = require('../db');

function lookup(req, res) {
  const email = req.query.email;
  if (typeof email !== 'string' || !email) return res.status(400).json({ error: 'email is required' });
  const customer = db.prepare('SELECT id, email, name, created_at FROM customers WHERE lower(trim(email)) = lower(trim(?))').get(email);
  if (!customer) return res.status(404).json({ error: 'no such customer' });
  res.json(customer);
}

const router = express.Router();
router.get('/lookup', lookup);

module.exports = router;
