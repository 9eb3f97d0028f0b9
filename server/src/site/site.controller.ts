import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import type { SiteModel, SourceDetail } from '../contracts';
import { SiteService } from './site.service';

@Controller()
export class SiteController {
  constructor(private readonly sites: SiteService) {}

  /** The whole site model (DESIGN.md §3 `GET /site`); it holds no secrets (contacts are operational data). */
  @Get('site')
  get(): SiteModel {
    return this.sites.site;
  }

  /** One major hazard source with equipment, tags, limits, 包保 people and its GB 18218 grade term by term. */
  @Get('sources/:id')
  source(@Param('id') id: string): SourceDetail {
    const detail = this.sites.sourceDetail(id);
    if (!detail) throw new NotFoundException(`no hazard source "${id}" in the site model`);
    return detail;
  }
}
