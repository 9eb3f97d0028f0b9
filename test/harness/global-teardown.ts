/** Jest globalTeardown: stops what globalSetup started (also after failed tests). */
export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__hazardServices ?? [];
  globalThis.__hazardServices = undefined;
  await Promise.all(services.map((s) => s.stop()));
}
