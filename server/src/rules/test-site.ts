import type { SamplePoint, PointValue, Quality } from '../contracts';
import { parseSiteYaml, SiteIndex } from '../site';

/**
 * A small site for rule and alarm tests (spec helper, not shipped): a tank with delayed limits, a consequential
 * flow, an ESD valve, an SIS loop that suppresses the flow's alarms while tripped, three combustible detectors.
 */
export const TEST_SITE_YAML = `
schemaVersion: 1
park: { id: p1, name: 测试园区 }
enterprises:
  - id: ent1
    name: 企业一
    code: 91320600MA1XXXXX9K
    address: 测试路 1 号
    sources:
      - id: src1
        name: 一号罐区
        kind: storage
        peopleWithin500m: 10
        chemicals: [{ chemical: methanol, quantityT: 800 }]
        responsible:
          principal: { name: 王总, phone: '13800000001' }
          technical: { name: 李工, phone: '13800000002' }
          operations: { name: 赵班长 }
        equipment:
          - id: T-1
            name: 1#储罐
            type: tank
            tankType: atmospheric
            capacityM3: 1000
            medium: methanol
            tags:
              - { tag: LI-1, name: 1#储罐液位, kind: level, unit: m, range: [0, 10], limits: { hh: 9, h: 8, l: 2, ll: 1, deadband: 0.5, priorities: { hh: 1 } } }
              - { tag: LI-2, name: 2#储罐液位, kind: level, unit: m, range: [0, 10], limits: { hh: 9, h: 8, onDelayS: 10, offDelayS: { h: 5 } } }
              - { tag: LI-3, name: 3#储罐液位, kind: level, unit: m, limits: { hh: 9, h: 8 }, alarms: { latching: [HH], priorities: { H: 4 } } }
              - { tag: TI-1, name: 1#储罐温度, kind: temperature, unit: °C }
              - { tag: FI-1, name: 出料流量, kind: flow, unit: m³/h, limits: { l: 5, ll: 2 } }
          - id: XV-1
            name: 进料切断阀
            type: esd_valve
            travelTimeS: 20
            tags:
              - { tag: XV-1, name: 进料切断阀阀位, kind: valve_position }
          - id: SIS-1
            name: 1#储罐高液位联锁
            type: sis_loop
            tripTags: [LI-1]
            closes: [XV-1]
            suppresses: [FI-1]
            tags:
              - { tag: XS-1, name: 1#储罐联锁状态, kind: sis_state }
          - { id: GD-1, name: 可燃气体探测器1, type: gas_detector, detection: combustible, tags: [{ tag: GI-1, name: 可燃气体1, kind: gas, unit: '%LEL', range: [0, 100] }] }
          - { id: GD-2, name: 可燃气体探测器2, type: gas_detector, detection: combustible, tags: [{ tag: GI-2, name: 可燃气体2, kind: gas, unit: '%LEL', range: [0, 100] }] }
          - { id: GD-3, name: 可燃气体探测器3, type: gas_detector, detection: combustible, tags: [{ tag: GI-3, name: 可燃气体3, kind: gas, unit: '%LEL', range: [0, 100] }] }
`;

export function testSite(yaml = TEST_SITE_YAML): SiteIndex {
  return new SiteIndex(parseSiteYaml(yaml, 'test-site.yaml'));
}

export function samplePoint(tag: string, v: PointValue, tsMs = 0, q: Quality = 'good'): SamplePoint {
  return { enterpriseId: 'ent1', sourceId: 'src1', tag, tsMs, v, q };
}
