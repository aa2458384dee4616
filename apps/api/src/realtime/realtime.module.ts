import { Global, Module } from '@nestjs/common';
import { ConsultationWrites } from './consultation-writes.js';
import { EventRelay } from './event-relay.js';
import { LiveGateway } from './live.gateway.js';
import { OutboxService } from './outbox.service.js';

@Global()
@Module({
  providers: [OutboxService, ConsultationWrites, EventRelay, LiveGateway],
  exports: [OutboxService, ConsultationWrites, EventRelay],
})
export class RealtimeModule {}
