import { CreateDocuments1764300000000 } from './1764300000000-create-documents.js';
import { CreateUsers1764300001000 } from './1764300001000-create-users.js';
import { CreateRateLimits1764300100000 } from './1764300100000-create-rate-limits.js';
import { CreateComments1764300200000 } from './1764300200000-create-comments.js';
import { CreatePositions1764300300000 } from './1764300300000-create-positions.js';
import { CreateModeration1764300400000 } from './1764300400000-create-moderation.js';
import { EventsByReference1764400000000 } from './1764400000000-events-by-reference.js';
import { CreatePasswordResets1764410000000 } from './1764410000000-create-password-resets.js';
import { IndexLiveSessions1764410100000 } from './1764410100000-index-live-sessions.js';
import { CreateProfileVersions1764440000000 } from './1764440000000-create-profile-versions.js';

/** Every migration, in order. A new migration is added here as well as in this folder. */
export const migrations = [CreateDocuments1764300000000, CreateUsers1764300001000, CreateRateLimits1764300100000, CreateComments1764300200000, CreatePositions1764300300000, CreateModeration1764300400000, EventsByReference1764400000000, CreatePasswordResets1764410000000, IndexLiveSessions1764410100000, CreateProfileVersions1764440000000];
