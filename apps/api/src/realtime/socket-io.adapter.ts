import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';

/**
 * socket.io with bounded messages and, when REDIS_URL is set, the Redis adapter that links the
 * API processes (room membership and presence across processes).
 */
export class LiveIoAdapter extends IoAdapter {
  private redisAdapter: ReturnType<typeof createAdapter> | null = null;
  private readonly clients: { quit(): Promise<unknown> }[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly corsOrigins: string[],
  ) {
    super(app);
  }

  async connectRedis(url: string): Promise<void> {
    const pub = createClient({ url });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    this.clients.push(pub, sub);
    this.redisAdapter = createAdapter(pub, sub);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const base = (options ?? {}) as ServerOptions;
    const server: Server = super.createIOServer(port, {
      ...base,
      maxHttpBufferSize: 64 * 1024,
      cors: this.corsOrigins.length > 0 ? { origin: this.corsOrigins, credentials: true } : { origin: false },
      pingInterval: 20_000,
      pingTimeout: 20_000,
    });
    if (this.redisAdapter) server.adapter(this.redisAdapter);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.all(this.clients.map((c) => c.quit().catch(() => undefined)));
  }
}
