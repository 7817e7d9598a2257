/** Collection name → schema; the client builds RxDB collections from it, the gateway validates with it. */
import type { OrgCollection, RegionCollection } from '../databases';
import { approvalSchema } from './approvals';
import { commentSchema } from './comments';
import { assetSchema } from './assets';
import type { CollectionSchema } from './common';
import { dispatchSchema } from './dispatch';
import { mediaSchema } from './media';
import { noteSchema } from './notes';
import { alertSchema, catalogSchema, izsSchema, orgSchema, personSchema, sectionSchema } from './region';
import { taskSchema } from './tasks';
import { ticketSchema } from './tickets';

export const ORG_SCHEMAS: Record<OrgCollection, CollectionSchema> = {
  tickets: ticketSchema,
  tasks: taskSchema,
  approvals: approvalSchema,
  assets: assetSchema,
  dispatch: dispatchSchema,
  media: mediaSchema,
  notes: noteSchema,
  comments: commentSchema,
  // The contract archive: records of the asset module (type `contract`) and their scans.
  contracts: assetSchema,
  contractscans: mediaSchema
};

export const REGION_SCHEMAS: Record<RegionCollection, CollectionSchema> = {
  orgs: orgSchema,
  people: personSchema,
  catalog: catalogSchema,
  sections: sectionSchema,
  alerts: alertSchema,
  izs: izsSchema
};

export * from './common';
export * from './tickets';
export * from './assets';
export * from './tasks';
export * from './approvals';
export * from './dispatch';
export * from './media';
export * from './notes';
export * from './comments';
export * from './region';
