import { Injectable, NotFoundException } from '@nestjs/common';
import { User } from '../database/models';

export interface Profile {
  username: string;
  bio: string | null;
}

@Injectable()
export class ProfilesService {
  async byUsername(username: string): Promise<Profile> {
    const user = await User.findOne({ where: { username } });
    if (!user) throw new NotFoundException(`profile ${username} not found`);
    return { username: user.username, bio: user.bio };
  }

  async bioStats(username: string): Promise<{ username: string; bioLength: number }> {
    const user = (await User.findOne({ where: { username } }))!;
    // The boundary bug: a missing user is not checked before its fields are read.
    return { username: user.username, bioLength: user.bio!.length };
  }
}
