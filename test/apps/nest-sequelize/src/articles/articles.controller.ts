import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ArticlesService, type NewArticle } from './articles.service';

@Controller('articles')
export class ArticlesController {
  constructor(private readonly articles: ArticlesService) {}

  @Get()
  async list(@Query('limit') limit?: string) {
    const articles = await this.articles.list(Math.min(Number(limit) || 20, 50));
    return { articles, articlesCount: articles.length };
  }

  @Get('feed')
  async feed() {
    return { recent: await this.articles.recentCount() };
  }

  @Get(':slug')
  async findOne(@Param('slug') slug: string) {
    return { article: await this.articles.findBySlug(slug) };
  }

  @Post()
  async create(@Body('article') article: NewArticle = {}) {
    return { article: await this.articles.create(article) };
  }

  @Get(':slug/comments')
  async comments(@Param('slug') slug: string) {
    return { comments: await this.articles.comments(slug) };
  }
}
