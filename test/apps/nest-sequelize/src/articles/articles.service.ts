import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { QueryTypes, type Sequelize } from 'sequelize';
import { SEQUELIZE } from '../database/database.module';
import { Article, Comment, Tag, User } from '../database/models';

export interface ArticleJson {
  slug: string;
  title: string;
  author?: string;
  commentsCount?: number;
  tagList?: string[];
}

export interface NewArticle {
  title?: string;
  body?: string;
  author?: string;
}

function toJson(article: Article, author?: User | null, commentsCount?: number): ArticleJson {
  return { slug: article.slug, title: article.title, author: author?.username, commentsCount };
}

@Injectable()
export class ArticlesService {
  private readonly logger = new Logger(ArticlesService.name);

  constructor(@Inject(SEQUELIZE) private readonly sequelize: Sequelize) {}

  async list(limit: number): Promise<ArticleJson[]> {
    const articles = await Article.findAll({ order: [['id', 'DESC']], limit });
    const out: ArticleJson[] = [];
    for (const article of articles) {
      const author = await article.getAuthor();
      const commentsCount = await Comment.count({ where: { articleId: article.id } });
      out.push(toJson(article, author, commentsCount));
    }
    this.logger.log(`listed ${out.length} articles`);
    return out;
  }

  async recentCount(): Promise<number> {
    const [row] = await this.sequelize.query<{ n: number }>(
      'SELECT count(*)::int AS n, pg_sleep(0.25)::text AS waited FROM "Articles" WHERE "createdAt" > now() - interval \'1 day\'',
      { type: QueryTypes.SELECT },
    );
    return row.n;
  }

  async findBySlug(slug: string): Promise<ArticleJson> {
    const article = await Article.findOne({ where: { slug }, include: [{ model: User, as: 'author' }, { model: Tag, as: 'tags' }] });
    if (!article) throw new NotFoundException(`article ${slug} not found`);
    return { ...toJson(article, article.author), tagList: (article.tags ?? []).map((t) => t.name) };
  }

  async create(input: NewArticle): Promise<ArticleJson> {
    if (!input.title || input.title.length < 3) throw new BadRequestException('title must have at least 3 characters');
    const user = await User.findOne({ where: { username: input.author ?? '' } });
    if (!user) throw new NotFoundException(`author ${input.author} not found`);
    const slug = `${input.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`;
    const article = await Article.create({ slug, title: input.title, body: input.body ?? '', authorId: user.id });
    this.logger.log(`created ${slug}`);
    return toJson(article, user, 0);
  }

  async comments(slug: string): Promise<{ body: string; author?: string }[]> {
    const article = await Article.findOne({ where: { slug } });
    if (!article) throw new NotFoundException(`article ${slug} not found`);
    const comments = await Comment.findAll({ where: { articleId: article.id }, include: [{ model: User, as: 'author' }] });
    return comments.map((c) => ({ body: c.body, author: c.author?.username }));
  }
}
