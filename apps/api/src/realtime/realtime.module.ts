import { Global, Module } from '@nestjs/common';
import { EventRelay } from './event-relay.js';
import { LiveGateway } from './live.gateway.js';
import { OutboxService } from './outbox.service.js';

@Global()
@Module({
  providers: [OutboxService, EventRelay, LiveGateway],
  exports: [OutboxService, EventRelay],
})
export class RealtimeModule {}
