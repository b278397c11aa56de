const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

const User = sequelize.define('User', {
  username: { type: DataTypes.STRING, allowNull: false, unique: true },
  email: { type: DataTypes.STRING, allowNull: false, validate: { isEmail: true } },
  password: { type: DataTypes.STRING, allowNull: false },
  bio: DataTypes.TEXT,
});

const Article = sequelize.define('Article', {
  slug: { type: DataTypes.STRING, allowNull: false, unique: true },
  title: { type: DataTypes.STRING, allowNull: false, validate: { len: [3, 200] } },
  body: { type: DataTypes.TEXT, allowNull: false },
});

const Comment = sequelize.define('Comment', {
  body: { type: DataTypes.TEXT, allowNull: false },
});

const Tag = sequelize.define('Tag', {
  name: { type: DataTypes.STRING, allowNull: false, unique: true },
});

Article.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
User.hasMany(Article, { foreignKey: 'authorId' });
Article.hasMany(Comment, { foreignKey: 'articleId' });
Comment.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
Article.belongsToMany(Tag, { through: 'ArticleTags' });
Tag.belongsToMany(Article, { through: 'ArticleTags' });

async function seed() {
  await sequelize.sync({ force: true });
  const users = [];
  for (const name of ['ada', 'brian', 'carol', 'dmitri']) {
    users.push(await User.create({ username: name, email: `${name}@example.test`, password: `${name}-secret`, bio: `I am ${name}` }));
  }
  const tags = await Tag.bulkCreate(['node', 'sql', 'editors'].map((name) => ({ name })));
  for (let i = 0; i < 24; i++) {
    const article = await Article.create({ slug: `article-${i}`, title: `Article number ${i}`, body: 'Lorem ipsum '.repeat(20), authorId: users[i % users.length].id });
    await article.addTag(tags[i % tags.length]);
    await Comment.create({ body: 'Nice one', articleId: article.id, authorId: users[(i + 1) % users.length].id });
  }
}

module.exports = { sequelize, User, Article, Comment, Tag, seed };
