// E-warong and agents (issue 20): kept by admins (manage.ts), the complaints counted against each (counts.ts),
// the ones nearest a family (nearby.ts) and the one a report names (match.ts).

export * from './manage.ts';
export { agentComplaintCounts, COUNT_WINDOW_DAYS, type AgentComplaints } from './counts.ts';
export { matchAgent } from './match.ts';
export { nearbyAgents, NEARBY_MAX, type NearbyAgent } from './nearby.ts';
