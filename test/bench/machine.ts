import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { findBinary } from '../harness/services';

/** What the figures were measured on; a benchmark figure means nothing without it. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  mosquitto: string;
  influxd: string;
  platform: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** First line of a binary's version output that matches `pattern` (mosquitto prints it with its usage text). */
function versionOf(name: string, args: string[], pattern: RegExp): string {
  const bin = findBinary(name);
  if (!bin) return 'not installed';
  const out = spawnSync(bin, args, { encoding: 'utf8', timeout: 5000 });
  const text = `${out.stdout ?? ''}\n${out.stderr ?? ''}`;
  return (
    text
      .split('\n')
      .find((l) => pattern.test(l))
      ?.trim() ?? 'unknown'
  );
}

export function describeMachine(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    mosquitto: versionOf('mosquitto', ['-h'], /^mosquitto version/i),
    influxd: versionOf('influxd', ['version'], /^InfluxDB/i),
    platform: `${process.platform} ${process.arch}`,
  };
}
