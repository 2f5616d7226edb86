import { type EmulatorPorts, startEmulators } from './emulators';

/**
 * The emulators in a process of their own (startEmulatorsApart): started from the ports and data
 * directory given in argv, their endpoints sent to the parent once listening, stopped when the
 * parent says so or goes away (its IPC channel closes, even when it was killed).
 */
const [ports, dataDir] = [JSON.parse(process.argv[2] ?? '{}') as EmulatorPorts, process.argv[3] || undefined];
const emulators = await startEmulators(ports, { dataDir });
const stop = async () => {
  await emulators.stop();
  process.exit(0);
};
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
process.on('disconnect', () => void stop());
// Ctrl-C reaches the whole process group: the parent stops the stack, then these.
process.on('SIGINT', () => {});
process.send?.({ endpoints: emulators.endpoints });
