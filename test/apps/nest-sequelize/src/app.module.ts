import { Module } from '@nestjs/common';
import { ArticlesModule } from './articles/articles.module';
import { DatabaseModule } from './database/database.module';
import { ProfilesModule } from './profiles/profiles.module';
import { TagsModule } from './tags/tags.module';

@Module({ imports: [DatabaseModule, ArticlesModule, ProfilesModule, TagsModule] })
export class AppModule {}
