import type { Sequelize } from 'sequelize';
import { Article, Comment, Tag, User } from './models';

/** A fresh schema with 4 users, 3 tags and 24 articles with one comment each. */
export async function seed(sequelize: Sequelize): Promise<void> {
  await sequelize.sync({ force: true });
  const users: User[] = [];
  for (const name of ['ada', 'brian', 'carol', 'dmitri']) {
    users.push(await User.create({ username: name, email: `${name}@example.test`, bio: `I am ${name}` }));
  }
  const tags = await Tag.bulkCreate(['node', 'sql', 'editors'].map((name) => ({ name })));
  for (let i = 0; i < 24; i++) {
    const article = await Article.create({ slug: `article-${i}`, title: `Article number ${i}`, body: 'Lorem ipsum '.repeat(20), authorId: users[i % users.length].id });
    await (article as unknown as { addTag(t: Tag): Promise<void> }).addTag(tags[i % tags.length]);
    await Comment.create({ body: 'Nice one', articleId: article.id, authorId: users[(i + 1) % users.length].id });
  }
}
