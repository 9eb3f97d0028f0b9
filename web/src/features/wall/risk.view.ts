import type { MhsGrade, RiskLevel, RiskReason } from '@hazard/server/contracts';
import type { Locale, MessageKey } from '../../shared/i18n';

/**
 * How risk is put on a screen: the four colours, the GB 18218 grade names, reason sentences per language.
 * The colour and the grade are separate facts (DOMAIN.md: grade ≠ colour) and every screen shows both.
 */

/** Fill colours of the four levels (红橙黄蓝), readable on the dark wall; `muted` when the level is not live. */
export const RISK_COLORS: Record<RiskLevel | 'muted' | 'none', string> = {
  red: '#e53935',
  orange: '#fb8c00',
  yellow: '#fdd835',
  blue: '#1e88e5',
  /** Not live: the last known colour must not be shown as if current (DESIGN.md: never stale data as live). */
  muted: '#3a4756',
  /** No risk computed for this source (yet). */
  none: '#26323f',
};

/** Worst first, for counts and legends. */
export const LEVELS_WORST_FIRST: readonly RiskLevel[] = ['red', 'orange', 'yellow', 'blue'];

/** Text on a risk colour: dark on yellow and orange, white on red and blue. */
export function textOnLevel(level: RiskLevel | 'muted' | 'none'): string {
  return level === 'yellow' || level === 'orange' ? '#1a1a1a' : '#ffffff';
}

/** The message keys of the grade names 一级…四级 and of "not a major hazard source". */
export function gradeKey(grade: MhsGrade | null): MessageKey {
  return grade === null ? 'risk.grade.none' : (`risk.grade.${grade}` as const);
}

/** Duration as people say it: `3 小时 12 分` / `3 h 12 min` (whole minutes, as the risk model counts them). */
export function formatDuration(ms: number, locale: Locale): string {
  const min = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(min / 60);
  if (locale === 'zh-CN') return h > 0 ? `${h} 小时 ${min % 60} 分` : `${min} 分`;
  return h > 0 ? `${h} h ${min % 60} min` : `${min} min`;
}

/** A translator as the i18n module gives it (passed in, so the renderer stays a pure function). */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** What a reason's sentence may need beyond its own params: display names of sources and equipment. */
export interface ReasonContext {
  locale: Locale;
  t: Translate;
  /** Hazard source id → name, for the park's and enterprises' prefixed reasons. */
  sourceNames?: Readonly<Record<string, string>>;
}

const str = (v: string | number | undefined): string => (v === undefined ? '?' : String(v));

/**
 * One reason as a sentence in the chosen language. In Chinese the server's own `text` is shown (it is the
 * authority, and already prefixed with the source for aggregates); other languages are rendered from `code` and
 * `params`, falling back to the Chinese text for a code this screen does not know.
 */
export function reasonText(r: RiskReason, ctx: ReasonContext): string {
  if (ctx.locale === 'zh-CN') return r.text;
  const p = r.params ?? {};
  const { t } = ctx;
  const condition = (c: string | number | undefined): string =>
    typeof c === 'string' ? t(`condition.${c}` as MessageKey) : str(c);
  let body: string;
  switch (r.code) {
    case 'grade':
      body = t('reason.grade', {
        grade: t(gradeKey(typeof p.grade === 'number' ? (p.grade as MhsGrade) : null)),
        R: str(p.R),
        weight: str(p.weight),
      });
      break;
    case 'alarm':
    case 'composite_alarm':
      body = t('reason.alarm', {
        tag: str(p.tag),
        condition: condition(p.condition),
        priority: str(p.priority),
        ack: t(p.acked === 1 ? 'reason.acked' : 'reason.unacked'),
      });
      break;
    case 'alarm_returned':
      body = t('reason.alarmReturned', { tag: str(p.tag), condition: condition(p.condition) });
      break;
    case 'alarm_shelved':
      body = t('reason.alarmShelved', { tag: str(p.tag), condition: condition(p.condition) });
      break;
    case 'alarm_out_of_service':
      body = t('reason.alarmOutOfService', { tag: str(p.tag), condition: condition(p.condition) });
      break;
    case 'barrier_alarm':
      body = t('reason.barrierAlarm', { tag: str(p.tag), condition: condition(p.condition) });
      break;
    case 'sis_bypassed':
    case 'sis_bypassed_long':
      body = t(r.code === 'sis_bypassed' ? 'reason.sisBypassed' : 'reason.sisBypassedLong', {
        id: str(p.id),
        duration: formatDuration(Number(p.forMin ?? 0) * 60_000, ctx.locale),
      });
      break;
    case 'sis_tripped':
      body = t('reason.sisTripped', {
        id: str(p.id),
        duration: formatDuration(Number(p.forMin ?? 0) * 60_000, ctx.locale),
      });
      break;
    case 'sis_fault':
      body = t('reason.sisFault', { id: str(p.id) });
      break;
    case 'valve_fault':
      body = t('reason.valveFault', { id: str(p.id) });
      break;
    case 'gateway_offline':
      body = t('reason.gatewayOffline', { tags: str(p.tags) });
      break;
    case 'data_stale':
      body = t('reason.dataStale', { stale: str(p.stale), tags: str(p.tags) });
      break;
    case 'bad_quality':
      body = t('reason.badQuality', { tags: str(p.tags) });
      break;
    case 'more':
      body = t('reason.more', { count: str(p.count), points: str(p.points) });
      break;
    default:
      return r.text;
  }
  const source = typeof p.source === 'string' ? (ctx.sourceNames?.[p.source] ?? p.source) : null;
  return source === null ? body : `${source}: ${body}`;
}
