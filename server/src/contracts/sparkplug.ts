/** One Sparkplug B edge node session as the primary host sees it (`GET /api/health` → `sparkplug.nodes`). */
export interface SparkplugNodeStatus {
  groupId: string;
  edgeNodeId: string;
  /** The hazard source the node speaks for (site model `sparkplug`). */
  sourceId: string;
  online: boolean;
  /** bdSeq of the current (or last) session, from its NBIRTH. */
  bdSeq: number | null;
  lastSeq: number | null;
  devicesOnline: string[];
  births: number;
  deaths: number;
  /** NDEATHs ignored because their bdSeq belonged to an older session. */
  staleDeaths: number;
  seqGaps: number;
  rebirthsRequested: number;
  lastBirthMs?: number;
  lastDeathMs?: number;
  lastGapMs?: number;
}
