/**
 * Entry point: configuration from the environment, the app, and a graceful shutdown that
 * stops accepting connections, lets in-flight requests finish, then stops the embedded store.
 */
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';

const startedAt = Date.now();

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, close } = await buildApp(config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // Stop the embedded store this start launched, so a failed start leaves nothing running.
    await close().catch(() => undefined);
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new ConfigError(`port ${config.port} on ${config.host} is in use (EADDRINUSE); choose another with PORT`);
    throw err;
  }
  app.log.info({ ms: Date.now() - startedAt, origin: config.publicOrigin }, 'sync server started');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (err: Error) => {
        app.log.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(err instanceof ConfigError ? `Configuration error: ${err.message}` : err);
  process.exit(1);
});
