const express = require('express');
const { User } = require('../db');
const { Unauthorized, asyncHandler } = require('../errors');

const router = express.Router();

router.post('/login', asyncHandler(async (req, res) => {
  const { email, password } = req.body.user || {};
  const user = await User.findOne({ where: { email: email || '' } });
  if (!user || user.password !== password) throw new Unauthorized();
  res.json({ user: { username: user.username, email: user.email } });
}));

router.post('/', asyncHandler(async (req, res) => {
  const { username, email, password } = req.body.user || {};
  const user = await User.create({ username, email, password });
  res.status(201).json({ user: { username: user.username, email: user.email } });
}));

module.exports = router;
