import type { Enterprise, GradeResult, HazardSource, SiteModel, TagDef } from '../contracts';
import { gradeUnit } from './gb18218';

/** Where a tag lives in the site model. */
export interface TagInfo {
  def: TagDef;
  enterpriseId: string;
  sourceId: string;
  equipmentId: string;
  /** Position in `SiteIndex.tagList` (0…n-1): lets per-tag state live in flat typed arrays. */
  index: number;
}

/** Lookups and GB 18218 grades, built once when the site loads; the hot path only does Map.get. */
export class SiteIndex {
  readonly tags = new Map<string, TagInfo>();
  /** Every tag in file order; `tagList[info.index] === info`. */
  readonly tagList: TagInfo[] = [];
  readonly sources = new Map<string, { enterprise: Enterprise; source: HazardSource }>();
  /** GB 18218-2018 grade per hazard source id. */
  readonly grades = new Map<string, GradeResult>();

  constructor(readonly site: SiteModel) {
    for (const enterprise of site.enterprises) {
      for (const source of enterprise.sources) {
        this.sources.set(source.id, { enterprise, source });
        this.grades.set(
          source.id,
          gradeUnit({ chemicals: source.chemicals, peopleWithin500m: source.peopleWithin500m }),
        );
        for (const eq of source.equipment) {
          for (const def of eq.tags) {
            const info = {
              def,
              enterpriseId: enterprise.id,
              sourceId: source.id,
              equipmentId: eq.id,
              index: this.tagList.length,
            };
            this.tags.set(def.tag, info);
            this.tagList.push(info);
          }
        }
      }
    }
  }
}
