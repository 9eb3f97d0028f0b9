/** The simulator was asked for something the site or the options cannot give (a missing tag, a bad timing). */
export class SimulatorConfigError extends Error {
  override name = 'SimulatorConfigError';
}
