/** The shared comment-body schema on its own, for a dynamic import (zod is not part of the item page's first load). */
export { commentBodySchema } from '@forum/shared';
