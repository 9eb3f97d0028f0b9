import type {
  ALARM_ACTION_ROLE,
  Alarm,
  AlarmAction,
  AlarmPriority,
  AlarmState,
  ROLES,
  Role,
  SiteModel,
} from '@hazard/server/contracts';

// Pure logic of the duty console: which list an alarm is on, filters, the summary order, what an operator may do.
// No Vue, no clock, no I/O (STYLE.md "pure core, thin edges").

/**
 * The least role per action: the contracts' ALARM_ACTION_ROLE, repeated because the web app imports the contracts
 * as types only (they pull zod in at runtime). `satisfies` keeps the copy equal to the server's table: a change
 * there fails to compile here.
 */
export const ACTION_ROLE = {
  ack: 'operator',
  shelve: 'operator',
  unshelve: 'operator',
  reset: 'operator',
  'out-of-service': 'admin',
  'return-to-service': 'admin',
} as const satisfies typeof ALARM_ACTION_ROLE;
type SameAs<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compiles only while ACTION_ROLE is exactly the server's table. */
export type ActionRoleMatchesServer = Assert<SameAs<typeof ACTION_ROLE, typeof ALARM_ACTION_ROLE>>;

/** Roles lowest first, as the contracts' ROLES (each role may do what the ones below it may). */
const ROLE_ORDER = ['viewer', 'operator', 'admin'] as const satisfies typeof ROLES;
export type RoleOrderMatchesServer = Assert<SameAs<typeof ROLE_ORDER, typeof ROLES>>;
type Assert<T extends true> = T;

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(needed);
}

/**
 * The console's lists. `active` is the alarm summary (annunciated alarms); shelved, suppressed-by-design and
 * out-of-service alarms are not annunciated but stay visible on their own lists (ISA-18.2 §… / DOMAIN.md).
 */
export const CONSOLE_TABS = ['active', 'shelved', 'suppressed', 'out_of_service'] as const;
export type ConsoleTab = (typeof CONSOLE_TABS)[number];

/** Annunciated: in alarm and not hidden by shelving, design suppression or maintenance (contracts' isAnnunciated). */
export function isAnnunciated(a: Alarm): boolean {
  return a.state !== 'normal' && !a.shelved && !a.suppressed && !a.outOfService;
}

/** Still waiting for an operator's acknowledgement (ISA-18.2 states B, D and unacknowledged E). */
export function needsAck(a: Alarm): boolean {
  return a.state === 'unacked' || a.state === 'rtn_unacked' || a.state === 'latched_unacked';
}

/** Annunciated and unacknowledged: flashes and sounds until acknowledged (ISA-18.2 annunciation). */
export function isFlashing(a: Alarm): boolean {
  return isAnnunciated(a) && needsAck(a);
}

/** Whether an alarm belongs on a tab. A point closed normal without an overlay is on none. */
export function onTab(a: Alarm, tab: ConsoleTab): boolean {
  switch (tab) {
    case 'active':
      return isAnnunciated(a);
    case 'shelved':
      return a.shelved !== undefined;
    case 'suppressed':
      return a.suppressed !== undefined;
    case 'out_of_service':
      return a.outOfService !== undefined;
  }
}

/** State filter of the console: any, or one ISA-18.2 state family. */
export const STATE_FILTERS = ['any', 'unacked', 'acked', 'rtn_unacked', 'latched'] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface AlarmFilter {
  state: StateFilter;
  /** Null: every priority. */
  priority: AlarmPriority | null;
  /** Null: every enterprise. */
  enterpriseId: string | null;
  /** Null: every hazard source. */
  sourceId: string | null;
}

export const NO_FILTER: AlarmFilter = { state: 'any', priority: null, enterpriseId: null, sourceId: null };

function stateMatches(state: AlarmState, f: StateFilter): boolean {
  switch (f) {
    case 'any':
      return true;
    case 'unacked':
      return state === 'unacked' || state === 'latched_unacked';
    case 'acked':
      return state === 'acked';
    case 'rtn_unacked':
      return state === 'rtn_unacked';
    case 'latched':
      return state === 'latched_unacked' || state === 'latched_acked';
  }
}

export function matchesFilter(a: Alarm, f: AlarmFilter): boolean {
  return (
    stateMatches(a.state, f.state) &&
    (f.priority === null || a.priority === f.priority) &&
    (f.enterpriseId === null || a.enterpriseId === f.enterpriseId) &&
    (f.sourceId === null || a.sourceId === f.sourceId)
  );
}

/**
 * ISA-18.2 alarm summary order: priority 1 first, then newest first; ties by key so that rows do not jump. A
 * latched or returned alarm keeps the place of its occurrence (`raisedAt`).
 */
export function compareForSummary(a: Alarm, b: Alarm): number {
  return a.priority - b.priority || b.raisedAt - a.raisedAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** The rows of one tab, filtered and in summary order. */
export function alarmsOnTab(points: Record<string, Alarm>, tab: ConsoleTab, f: AlarmFilter): Alarm[] {
  return Object.values(points)
    .filter((a) => onTab(a, tab) && matchesFilter(a, f))
    .sort(compareForSummary);
}

/** How many alarms each tab holds (before the filters: a tab's count must not hide what a filter hides). */
export function tabCounts(points: Record<string, Alarm>): Record<ConsoleTab, number> {
  const counts: Record<ConsoleTab, number> = { active: 0, shelved: 0, suppressed: 0, out_of_service: 0 };
  for (const a of Object.values(points)) for (const tab of CONSOLE_TABS) if (onTab(a, tab)) counts[tab]++;
  return counts;
}

/** Annunciated priority-1 alarms still to acknowledge: the must-acknowledge banner shows while any is left. */
export function unackedUrgent(points: Record<string, Alarm>): Alarm[] {
  return Object.values(points)
    .filter((a) => a.priority === 1 && isFlashing(a))
    .sort(compareForSummary);
}

/** Whether an action applies to an alarm in its state (the server answers 409 otherwise; docs/alarm-lifecycle.md). */
export function actionApplies(a: Alarm, action: AlarmAction): boolean {
  switch (action) {
    case 'ack':
      return needsAck(a);
    case 'reset':
      // Only an acknowledged latch can be reset; an unacknowledged one is acknowledged first.
      return a.state === 'latched_acked';
    case 'shelve':
      return a.state !== 'normal' && !a.outOfService && !a.shelved;
    case 'unshelve':
      return a.shelved !== undefined;
    case 'out-of-service':
      return a.outOfService === undefined;
    case 'return-to-service':
      return a.outOfService !== undefined;
  }
}

const ACTION_ORDER: readonly AlarmAction[] = [
  'ack',
  'reset',
  'shelve',
  'unshelve',
  'out-of-service',
  'return-to-service',
];

/**
 * The actions to offer on an alarm's row: those that apply in its state and that the role may take. No user known
 * (a kiosk token) counts as a viewer: nothing is offered.
 */
export function availableActions(a: Alarm, role: Role | null): AlarmAction[] {
  if (role === null) return [];
  return ACTION_ORDER.filter((action) => actionApplies(a, action) && roleAtLeast(role, ACTION_ROLE[action]));
}

/** Whether a role may take any alarm action at all (the console is read-only otherwise). */
export function canAct(role: Role | null): boolean {
  return role !== null && ACTION_ORDER.some((action) => roleAtLeast(role, ACTION_ROLE[action]));
}

/** What the action form asks for; `minutes` as typed (text), checked by validateAction. */
export interface ActionInput {
  comment: string;
  reason: string;
  minutes: string;
}

/** A bad form field, as a message key for the screen. */
export type ActionInputError = 'reasonRequired' | 'minutesInvalid' | 'tooLong';

/** Longest comment or reason the server keeps (contracts' MAX_COMMENT_CHARS). */
export const MAX_COMMENT_CHARS = 500;

/**
 * The request body of an action, or what is wrong with the form. Shelving needs whole minutes ≥ 1 and a reason;
 * the upper bound is the server's (ALARM_SHELVE_MAX_MIN) and its 400 message is shown as it is.
 */
export function actionBody(
  action: AlarmAction,
  input: ActionInput,
): { ok: true; body: Record<string, string | number> } | { ok: false; error: ActionInputError } {
  const comment = input.comment.trim();
  const reason = input.reason.trim();
  if (comment.length > MAX_COMMENT_CHARS || reason.length > MAX_COMMENT_CHARS) return { ok: false, error: 'tooLong' };
  switch (action) {
    case 'shelve': {
      const text = input.minutes.trim();
      const minutes = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(minutes) || minutes < 1) {
        return { ok: false, error: 'minutesInvalid' };
      }
      if (reason === '') return { ok: false, error: 'reasonRequired' };
      return { ok: true, body: { minutes, reason } };
    }
    case 'out-of-service':
      if (reason === '') return { ok: false, error: 'reasonRequired' };
      return { ok: true, body: { reason } };
    case 'ack':
    case 'unshelve':
    case 'reset':
    case 'return-to-service':
      return { ok: true, body: { comment } };
  }
}

const SIS_STATES = ['normal', 'bypassed', 'tripped', 'fault'] as const;
const VALVE_STATES = ['open', 'closed', 'travel', 'fault'] as const;
export type DiscreteLabelKey = `sis.${(typeof SIS_STATES)[number]}` | `valve.${(typeof VALVE_STATES)[number]}`;

/**
 * The message key of a valve or SIS state carried as an alarm's value (`tripped`, `open`…), so that the screen
 * says 已动作 rather than the wire word; null for numbers and anything unknown (shown as it is).
 */
export function discreteLabelKey(a: Pick<Alarm, 'condition' | 'value'>): DiscreteLabelKey | null {
  const v = a.value;
  if (typeof v !== 'string') return null;
  if (a.condition.startsWith('SIS_')) {
    return (SIS_STATES as readonly string[]).includes(v) ? (`sis.${v}` as DiscreteLabelKey) : null;
  }
  if (a.condition.startsWith('VALVE_') || a.condition === 'GAS_VALVE_OPEN') {
    return (VALVE_STATES as readonly string[]).includes(v) ? (`valve.${v}` as DiscreteLabelKey) : null;
  }
  return null;
}

/** Names for ids and tags, taken from the site model (the alarm carries only ids). */
export interface SiteNames {
  enterprises: { id: string; name: string }[];
  sources: { id: string; name: string; enterpriseId: string }[];
  tags: Record<string, string>;
}

export function siteNames(site: SiteModel | null): SiteNames {
  const names: SiteNames = { enterprises: [], sources: [], tags: {} };
  if (!site) return names;
  for (const e of site.enterprises) {
    names.enterprises.push({ id: e.id, name: e.name });
    for (const s of e.sources) {
      names.sources.push({ id: s.id, name: s.name, enterpriseId: e.id });
      for (const eq of s.equipment) for (const tag of eq.tags) names.tags[tag.tag] = tag.name;
      for (const c of s.composites ?? []) names.tags[c.id] = c.name;
    }
  }
  return names;
}
