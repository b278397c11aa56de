const express = require('express');
const { QueryTypes } = require('sequelize');
const { sequelize, Article, Comment, Tag, User } = require('../db');
const { NotFound, asyncHandler } = require('../errors');

const router = express.Router();

function toJson(article, author, commentsCount) {
  return { slug: article.slug, title: article.title, author: author && author.username, commentsCount };
}

router.get('/', asyncHandler(async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 50);
  const articles = await Article.findAll({ order: [['id', 'DESC']], limit });
  const out = [];
  for (const article of articles) {
    const author = await article.getAuthor();
    const commentsCount = await Comment.count({ where: { articleId: article.id } });
    out.push(toJson(article, author, commentsCount));
  }
  res.json({ articles: out, articlesCount: out.length });
}));

router.get('/feed', asyncHandler(async (req, res) => {
  const [row] = await sequelize.query('SELECT count(*)::int AS n, pg_sleep(0.25)::text AS waited FROM "Articles" WHERE "createdAt" > now() - interval \'1 day\'', { type: QueryTypes.SELECT });
  res.json({ recent: row.n });
}));

router.get('/:slug', asyncHandler(async (req, res) => {
  const article = await Article.findOne({ where: { slug: req.params.slug }, include: [{ model: User, as: 'author' }, Tag] });
  if (!article) throw new NotFound('article');
  res.json({ article: { ...toJson(article, article.author, undefined), tagList: article.Tags.map((t) => t.name) } });
}));

router.post('/', asyncHandler(async (req, res) => {
  const { title, body, author } = req.body.article || {};
  const user = await User.findOne({ where: { username: author || '' } });
  if (!user) throw new NotFound('author');
  const slug = `${String(title).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`;
  const article = await Article.create({ slug, title, body, authorId: user.id });
  res.status(201).json({ article: toJson(article, user, 0) });
}));

router.get('/:slug/comments', asyncHandler(async (req, res) => {
  const article = await Article.findOne({ where: { slug: req.params.slug } });
  if (!article) throw new NotFound('article');
  const comments = await Comment.findAll({ where: { articleId: article.id }, include: [{ model: User, as: 'author' }] });
  res.json({ comments: comments.map((c) => ({ body: c.body, author: c.author.username })) });
}));

module.exports = router;
