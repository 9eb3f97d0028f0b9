import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { SiteModel, SourceDetail } from '../contracts';
import { SiteIndex } from './site.index';
import { loadSiteFile } from './site.loader';

/** Holds the validated site model; the server refuses to start on an invalid file (SiteFileError names why). */
@Injectable()
export class SiteService {
  readonly index: SiteIndex;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.index = new SiteIndex(loadSiteFile(config.SITE_FILE));
  }

  get site(): SiteModel {
    return this.index.site;
  }

  sourceDetail(id: string): SourceDetail | undefined {
    const entry = this.index.sources.get(id);
    const grade = this.index.grades.get(id);
    if (!entry || !grade) return undefined;
    return { enterpriseId: entry.enterprise.id, enterpriseName: entry.enterprise.name, source: entry.source, grade };
  }
}
