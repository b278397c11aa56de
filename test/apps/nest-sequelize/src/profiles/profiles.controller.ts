import { Controller, Get, Param } from '@nestjs/common';
import { ProfilesService } from './profiles.service';

@Controller('profiles')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get(':username')
  async profile(@Param('username') username: string) {
    return { profile: await this.profiles.byUsername(username) };
  }

  @Get(':username/boom')
  async boom(@Param('username') username: string) {
    return { profile: await this.profiles.bioStats(username) };
  }
}
