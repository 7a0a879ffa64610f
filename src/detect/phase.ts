/** How two oscillating series line up: high on the same epochs, on opposite epochs, or not related. */
import { z } from 'zod';

/** In phase: both high on the same epochs; antiphase: one high when the other is low; none: no shared swing. */
export const PhaseRelation = z.enum(['in-phase', 'antiphase', 'none']);
export type PhaseRelation = z.infer<typeof PhaseRelation>;
