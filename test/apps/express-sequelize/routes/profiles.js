const express = require('express');
const { User } = require('../db');
const { NotFound, asyncHandler } = require('../errors');

const router = express.Router();

router.get('/:username', asyncHandler(async (req, res) => {
  const user = await User.findOne({ where: { username: req.params.username } });
  if (!user) throw new NotFound('profile');
  res.json({ profile: { username: user.username, bio: user.bio } });
}));

router.get('/:username/boom', asyncHandler(async (req, res) => {
  const user = await User.findOne({ where: { username: req.params.username } });
  // The boundary bug: a missing user is not checked before its fields are read.
  res.json({ profile: { username: user.username, bioLength: user.bio.length } });
}));

module.exports = router;
