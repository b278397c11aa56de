import { Global, Logger, Module } from '@nestjs/common';
import { Sequelize } from 'sequelize';
import { initModels } from './models';
import { seed } from './seed';

/** Injection token of the app's one Sequelize instance. */
export const SEQUELIZE = 'SEQUELIZE';

@Global()
@Module({
  providers: [
    {
      provide: SEQUELIZE,
      useFactory: async (): Promise<Sequelize> => {
        const sequelize = new Sequelize(process.env.DATABASE_URL ?? 'postgres://localhost/conduit', { logging: false });
        initModels(sequelize);
        await seed(sequelize);
        new Logger('Database').log('schema created and seeded');
        return sequelize;
      },
    },
  ],
  exports: [SEQUELIZE],
})
export class DatabaseModule {}
