import { Module } from '@nestjs/common';
import { ConsultationsModule } from '../modules/consultations/consultations.module.js';
import { DiscussionModule } from '../modules/discussion/discussion.module.js';
import { EventRelay } from './event-relay.js';
import { EventRenderer } from './event-renderer.js';
import { LiveGateway } from './live.gateway.js';

/**
 * The live channel: the relay reads committed events from the outbox, the renderer passes each
 * through the visibility rule, the gateway maps them to rooms. Domain modules never import it:
 * they write through the write unit (database/consultation-writes.ts), and this module reads.
 */
@Module({
  imports: [ConsultationsModule, DiscussionModule],
  providers: [EventRelay, EventRenderer, LiveGateway],
})
export class RealtimeModule {}
