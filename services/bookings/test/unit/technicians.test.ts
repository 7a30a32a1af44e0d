import { newMembers, nextTeam, teamOf } from '../../src/domain/technicians';

describe('the technicians of a booking', () => {
  it('when an old document has only a lead, then the team is that lead', () => {
    expect(teamOf({ technicianId: 'a' })).toEqual({ technicianId: 'a', technicianIds: ['a'] });
    expect(teamOf({ technicianId: 'a', technicianIds: ['b'] })).toEqual({ technicianId: 'a', technicianIds: ['a', 'b'] });
    expect(teamOf({})).toEqual({ technicianId: null, technicianIds: [] });
  });

  it('when a team is given, then it replaces the old one, the lead kept if still in it, else its first member', () => {
    const current = teamOf({ technicianId: 'a', technicianIds: ['a', 'b'] });
    expect(nextTeam(current, { technicianIds: ['b', 'a', 'c'] })).toEqual({ technicianId: 'a', technicianIds: ['a', 'b', 'c'] });
    expect(nextTeam(current, { technicianIds: ['c', 'b', 'c'] })).toEqual({ technicianId: 'c', technicianIds: ['c', 'b'] });
    expect(nextTeam(current, { technicianIds: [] })).toEqual({ technicianId: null, technicianIds: [] });
    expect(nextTeam(current, { technicianId: 'd', technicianIds: ['b'] })).toEqual({ technicianId: 'd', technicianIds: ['d', 'b'] });
  });

  it('when only a lead is given, then it replaces the old lead and the others stay', () => {
    const current = teamOf({ technicianId: 'a', technicianIds: ['a', 'b'] });
    expect(nextTeam(current, { technicianId: 'c' })).toEqual({ technicianId: 'c', technicianIds: ['c', 'b'] });
    expect(nextTeam(current, { technicianId: 'b' })).toEqual({ technicianId: 'b', technicianIds: ['b'] });
    expect(nextTeam(current, { technicianId: null })).toEqual({ technicianId: null, technicianIds: ['b'] });
    expect(nextTeam(current, {})).toBe(current);
    expect(newMembers(current, nextTeam(current, { technicianIds: ['a', 'c', 'd'] }))).toEqual(['c', 'd']);
  });
});
