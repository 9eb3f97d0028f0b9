// Library entry of @hazard/simulators, for other packages' tests and scripts.
export { parseCliArgs, USAGE, UsageError, type CliCommand, type CliOptions } from './cli.args';
export * from './devices/index';
export { SimulatorConfigError } from './errors';
export { Plant, type PlantOptions, type SourceTelemetry } from './plant';
export {
  BrokerUnreachableError,
  JsonV1Publisher,
  publishPoints,
  type PublisherEvent,
  type PublisherOptions,
  type PublishPointsOptions,
  type SourceRef,
} from './publishers/json-v1.publisher';
export {
  DEFAULT_EXCURSION_TAG,
  DEFAULT_EXCURSION_TIMING,
  Excursion,
  type ExcursionOptions,
  type ExcursionPhase,
  type ExcursionTiming,
} from './scenarios/excursion';
export {
  RATE_HZ_MAX,
  RATE_HZ_MIN,
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
  type SimulatorStats,
} from './sim';
export { startTicker, type Ticker } from './ticker';
export * from './scenarios/index';
export * from './devices/gas.physics';
export * from './devices/gateway.model';
export * from './devices/tank.physics';
export * from './devices/valve-sis.physics';
export * from './publishers/sparkplug.mapping';
export { SparkplugEdgeNode, type SparkplugEdgeOptions } from './publishers/sparkplug.publisher';
