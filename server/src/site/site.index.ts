import type { Enterprise, HazardSource, SiteModel, TagDef } from '../contracts/site';

/** Where a tag lives in the site model. */
export interface TagInfo {
  def: TagDef;
  enterpriseId: string;
  sourceId: string;
  equipmentId: string;
}

/** Lookups built once when the site loads; the hot path only does Map.get. */
export class SiteIndex {
  readonly tags = new Map<string, TagInfo>();
  readonly sources = new Map<string, { enterprise: Enterprise; source: HazardSource }>();

  constructor(readonly site: SiteModel) {
    for (const enterprise of site.enterprises) {
      for (const source of enterprise.sources) {
        this.sources.set(source.id, { enterprise, source });
        for (const eq of source.equipment) {
          for (const def of eq.tags) {
            this.tags.set(def.tag, { def, enterpriseId: enterprise.id, sourceId: source.id, equipmentId: eq.id });
          }
        }
      }
    }
  }
}
