import type { Alarm, LatestValue, RiskOverview, SiteModel, SourceRisk } from '@hazard/server/contracts';

/** Test data for the wall specs (imported by *.spec.ts only). */

export const site: SiteModel = {
  schemaVersion: 1,
  park: { id: 'p', name: '滨江化工园区' },
  enterprises: [
    {
      id: 'e',
      name: '企业',
      code: '91320600MA1XXXXX9K',
      address: '园区路 1 号',
      sources: [
        {
          id: 's',
          name: '罐区',
          kind: 'storage',
          peopleWithin500m: 10,
          chemicals: [{ chemical: 'methanol', quantityT: 800 }],
          responsible: { principal: { name: '甲' }, technical: { name: '乙' }, operations: { name: '丙' } },
          equipment: [
            {
              id: 'T-1',
              name: '1#罐',
              type: 'tank',
              tankType: 'atmospheric',
              capacityM3: 1000,
              medium: '甲醇',
              tags: [
                {
                  tag: 'LIA-1',
                  name: '1#罐液位',
                  kind: 'level',
                  unit: 'm',
                  range: [0, 16],
                  limits: { hh: 14, h: 13, l: 2, ll: 1 },
                },
                { tag: 'TIA-1', name: '1#罐温度', kind: 'temperature', unit: '°C', limits: { hh: 45, h: 40 } },
              ],
            },
            {
              id: 'T-2',
              name: '2#罐',
              type: 'tank',
              tankType: 'atmospheric',
              capacityM3: 800,
              medium: '甲醇',
              tags: [{ tag: 'LIA-2', name: '2#罐液位', kind: 'level', unit: 'm', range: [0, 12] }],
            },
            {
              id: 'GD-1',
              name: '探测器',
              type: 'gas_detector',
              detection: 'combustible',
              tags: [
                {
                  tag: 'GIA-1',
                  name: '可燃气体浓度',
                  kind: 'gas',
                  unit: '%LEL',
                  range: [0, 100],
                  limits: { hh: 50, h: 25 },
                },
              ],
            },
            {
              id: 'XV-1',
              name: '切断阀',
              type: 'esd_valve',
              travelTimeS: 20,
              tags: [{ tag: 'XV-1', name: '阀位', kind: 'valve_position', unit: '' }],
            },
            {
              id: 'SIS-1',
              name: '高液位联锁',
              type: 'sis_loop',
              tripTags: ['LIA-1'],
              closes: ['XV-1'],
              suppresses: [],
              tags: [{ tag: 'SIS-1', name: '联锁状态', kind: 'sis_state', unit: '' }],
            },
          ],
        },
      ],
    },
  ],
};

export function sample(v: LatestValue['v'], ts: number, q: LatestValue['q'] = 'good'): LatestValue {
  return { v, q, ts };
}

export function alarm(id: string, over: Partial<Alarm> = {}): Alarm {
  return {
    id,
    key: id.split('@')[0]!,
    tag: id.split(':')[0]!,
    enterpriseId: 'e',
    sourceId: 's',
    condition: 'HH',
    latching: false,
    chattering: false,
    priority: 2,
    state: 'unacked',
    active: true,
    value: 14.6,
    limit: 14,
    unit: 'm',
    raisedAt: 1000,
    updatedAt: 1000,
    message: '',
    ...over,
  };
}

/** A quiet risk overview of the fixture site: one blue source. */
export function riskOverview(seq: number): RiskOverview {
  const source: SourceRisk = {
    sourceId: 's',
    enterpriseId: 'e',
    level: 'blue',
    score: 99,
    grade: 3,
    reasons: [{ code: 'grade', points: 1, text: '三级重大危险源' }],
    computedAt: 1000,
    modelVersion: 'risk-1',
  };
  const quiet = { level: 'blue' as const, score: 99, counts: { blue: 1, yellow: 0, orange: 0, red: 0 }, reasons: [] };
  return {
    seq,
    computedAt: 1000,
    modelVersion: 'risk-1',
    park: quiet,
    enterprises: [{ enterpriseId: 'e', ...quiet }],
    sources: [source],
  };
}
