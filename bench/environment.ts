import { cpus, freemem, loadavg, totalmem } from 'node:os';
import {
  type EmulatorPorts,
  type Emulators,
  startEmulators,
  startEmulatorsApart,
} from '../functions/local/emulators';

/**
 * Where the benchmarks run the emulators: `apart` (default), a child process, as `npm start` does —
 * DynamoDB's own work is not on the handlers' CPU, as on AWS; `inline` (BENCH_EMULATORS=inline),
 * in the bench's process, as runs before 2026-12-03 measured.
 */
export const BENCH_EMULATORS: 'apart' | 'inline' =
  process.env.BENCH_EMULATORS === 'inline' ? 'inline' : 'apart';
export const startBenchEmulators = (ports: EmulatorPorts): Promise<Emulators> =>
  (BENCH_EMULATORS === 'apart' ? startEmulatorsApart : startEmulators)(ports);

/** The machine a run measured on, so figures from different runs can be compared honestly. */
export function benchEnvironment() {
  const cores = cpus();
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
    cpuCount: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    loadAverage: [one, five, fifteen] as const,
    freeMemoryMb: Math.round(freemem() / 2 ** 20),
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    startedAt: new Date().toISOString(),
  };
}

export function printBenchEnvironment() {
  const env = benchEnvironment();
  console.log('== Environment ==');
  console.log(`Node ${env.node} (${env.platform}), started ${env.startedAt}`);
  console.log(`CPU  ${env.cpuCount} x ${env.cpuModel}`);
  console.log(`Load average at start ${env.loadAverage.map((n) => n.toFixed(2)).join(' / ')} (1/5/15 min)`);
  console.log(`Free memory ${env.freeMemoryMb} MB of ${env.totalMemoryMb} MB`);
  console.log(
    `Emulators ${BENCH_EMULATORS === 'apart' ? 'in a process of their own (BENCH_EMULATORS=inline: in this one)' : 'in this process (BENCH_EMULATORS=inline)'}`,
  );
  return env;
}
