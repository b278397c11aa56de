import {
  DataTypes,
  Model,
  type BelongsToGetAssociationMixin,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';

export class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
  declare id: CreationOptional<number>;
  declare username: string;
  declare email: string;
  declare bio: string | null;
}

export class Article extends Model<InferAttributes<Article>, InferCreationAttributes<Article>> {
  declare id: CreationOptional<number>;
  declare slug: string;
  declare title: string;
  declare body: string;
  declare authorId: ForeignKey<number>;
  declare author?: NonAttribute<User>;
  declare tags?: NonAttribute<Tag[]>;
  declare getAuthor: BelongsToGetAssociationMixin<User>;
}

export class Comment extends Model<InferAttributes<Comment>, InferCreationAttributes<Comment>> {
  declare id: CreationOptional<number>;
  declare body: string;
  declare articleId: ForeignKey<number>;
  declare authorId: ForeignKey<number>;
  declare author?: NonAttribute<User>;
}

export class Tag extends Model<InferAttributes<Tag>, InferCreationAttributes<Tag>> {
  declare id: CreationOptional<number>;
  declare name: string;
}

export function initModels(sequelize: Sequelize): void {
  const id = { type: DataTypes.INTEGER, autoIncrement: true, primaryKey: true };
  User.init({
    id,
    username: { type: DataTypes.STRING, allowNull: false, unique: true },
    email: { type: DataTypes.STRING, allowNull: false, validate: { isEmail: true } },
    bio: DataTypes.TEXT,
  }, { sequelize, modelName: 'User' });
  Article.init({
    id,
    slug: { type: DataTypes.STRING, allowNull: false, unique: true },
    title: { type: DataTypes.STRING, allowNull: false },
    body: { type: DataTypes.TEXT, allowNull: false },
  }, { sequelize, modelName: 'Article' });
  Comment.init({ id, body: { type: DataTypes.TEXT, allowNull: false } }, { sequelize, modelName: 'Comment' });
  Tag.init({ id, name: { type: DataTypes.STRING, allowNull: false, unique: true } }, { sequelize, modelName: 'Tag' });

  Article.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
  User.hasMany(Article, { foreignKey: 'authorId' });
  Article.hasMany(Comment, { foreignKey: 'articleId' });
  Comment.belongsTo(User, { as: 'author', foreignKey: 'authorId' });
  Article.belongsToMany(Tag, { through: 'ArticleTags', as: 'tags' });
  Tag.belongsToMany(Article, { through: 'ArticleTags' });
}
