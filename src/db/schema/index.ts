// The whole schema, split by area; drizzle-kit reads this file to generate migrations.
export * from './areas.ts';
export * from './registry.ts';
export * from './programs.ts';
export * from './channels.ts';
export * from './distribution.ts';
export * from './complaints.ts';
export * from './staff.ts';
export * from './outbox.ts';
export * from './imports.ts';
export * from './quality.ts';
export * from './broadcasts.ts';
export * from './identity.ts';
export * from './outreach.ts';
export * from './faq.ts';
export * from './field.ts';
export * from './referrals.ts';
