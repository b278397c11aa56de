const express = require('express');
const articles = require('./articles');

const router = express.Router();

router.use('/articles', articles);
router.use('/profiles', require('./profiles'));
router.use('/tags', require('./tags'));
router.use('/users', require('./users'));

module.exports = router;
