const express = require('express');
const { Tag } = require('../db');
const { asyncHandler } = require('../errors');

const router = express.Router();

router.get('/', asyncHandler(async (req, res) => {
  const tags = await Tag.findAll({ order: [['name', 'ASC']] });
  res.json({ tags: tags.map((t) => t.name) });
}));

module.exports = router;
