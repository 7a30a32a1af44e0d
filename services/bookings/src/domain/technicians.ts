/** The technicians of a booking: a lead (the booking's `technicianId`, kept for partners that know
 * only one) and the whole team (`technicianIds`, lead first, no repeats). */
export interface Team {
  technicianId: string | null;
  technicianIds: string[];
}

const unique = (ids: (string | null | undefined)[]): string[] => [...new Set(ids.filter((id): id is string => Boolean(id)))];

/** The team as stored; documents from before `technicianIds` (or a stage technician added to an old
 * one) still count their lead. */
export function teamOf(booking: { technicianId?: string | null | undefined; technicianIds?: string[] | null | undefined }): Team {
  const lead = booking.technicianId ?? null;
  return { technicianId: lead, technicianIds: unique([lead, ...(booking.technicianIds ?? [])]) };
}

/**
 * A team after a create or change. `technicianIds` replaces the whole team; `technicianId` names the
 * lead (added to the team if missing). A new lead without a new team replaces the old lead in it. A
 * team without a named lead keeps the current lead if still in it, else takes its first member.
 */
export function nextTeam(current: Team, change: { technicianId?: string | null | undefined; technicianIds?: string[] | undefined }): Team {
  if (change.technicianIds !== undefined) {
    const members = unique(change.technicianIds);
    const lead =
      change.technicianId !== undefined ? change.technicianId : current.technicianId && members.includes(current.technicianId) ? current.technicianId : (members[0] ?? null);
    return { technicianId: lead, technicianIds: unique([lead, ...members]) };
  }
  if (change.technicianId !== undefined) {
    const others = current.technicianIds.filter((id) => id !== current.technicianId);
    return { technicianId: change.technicianId, technicianIds: unique([change.technicianId, ...others]) };
  }
  return current;
}

/** Members of `next` not already in `before` (each gets its technician.assigned). */
export function newMembers(before: Team, next: Team): string[] {
  return next.technicianIds.filter((id) => !before.technicianIds.includes(id));
}
