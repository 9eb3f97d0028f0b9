import { Controller, Get } from '@nestjs/common';
import type { SiteModel } from '../contracts';
import { SiteService } from './site.service';

@Controller('site')
export class SiteController {
  constructor(private readonly sites: SiteService) {}

  /** The whole site model (DESIGN.md §3 `GET /site`). */
  @Get()
  get(): SiteModel {
    return this.sites.site;
  }
}
