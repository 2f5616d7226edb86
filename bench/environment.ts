import { cpus, freemem, loadavg, totalmem } from 'node:os';

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
  return env;
}
