import type { RiskReason, SiteModel, SourceRisk } from '@hazard/server/contracts';
import { site } from './wall.fixtures';

/** Test data for the risk map specs (imported by *.spec.ts only): the wall fixture with geometry and two sources. */
const base = site.enterprises[0]!.sources[0]!;

export const mapSite: SiteModel = {
  schemaVersion: 1,
  park: {
    id: 'p',
    name: '园区',
    polygon: [
      [0, 0],
      [1000, 0],
      [1000, 600],
      [0, 600],
    ],
  },
  enterprises: [
    {
      id: 'e',
      name: '企业',
      code: '91320600MA1XXXXX9K',
      address: '园区路 1 号',
      polygon: [
        [100, 100],
        [700, 100],
        [700, 500],
        [100, 500],
      ],
      sources: [
        {
          ...base,
          id: 'a',
          name: '一号罐区（甲醇）',
          polygon: [
            [200, 200],
            [260, 200],
            [260, 260],
            [200, 260],
          ],
        },
        {
          ...base,
          id: 'b',
          name: '二号罐区',
          polygon: [
            [290, 200],
            [350, 200],
            [350, 260],
            [290, 260],
          ],
        },
        { ...base, id: 'c', name: '无图形单元' },
      ],
    },
  ],
};

export const bypass: RiskReason = {
  code: 'sis_bypassed',
  points: 18.8,
  floor: 'orange',
  text: 'SIS-1 高液位联锁旁路已 3 小时 12 分',
  ref: 'SIS-1',
  sinceMs: 1_000,
  params: { id: 'SIS-1', forMin: 192 },
};

export const gradeReason: RiskReason = {
  code: 'grade',
  points: 3,
  text: '二级重大危险源（GB 18218-2018，R = 79.56），实时扣分 ×1.25',
  params: { grade: 2, R: 79.56, weight: 1.25 },
};

export function sourceRisk(sourceId: string, over: Partial<SourceRisk> = {}): SourceRisk {
  return {
    sourceId,
    enterpriseId: 'e',
    level: 'blue',
    score: 97,
    grade: 2,
    reasons: [gradeReason],
    computedAt: 5_000,
    modelVersion: 'risk-1',
    ...over,
  };
}
