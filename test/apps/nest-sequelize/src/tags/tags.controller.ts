import { Controller, Get, Logger } from '@nestjs/common';
import { Tag } from '../database/models';

@Controller('tags')
export class TagsController {
  private readonly logger = new Logger(TagsController.name);

  @Get()
  async list() {
    const tags = await Tag.findAll({ order: [['name', 'ASC']] });
    this.logger.debug(`${tags.length} tags`);
    return { tags: tags.map((t) => t.name) };
  }
}
