/**
 * The licence, telephony and contract record types, for the asset registry (one line there).
 * Each also checks that the collection's indexed fields are those its record derives, so a
 * list never finds a record under a stale key.
 */
import { contractRuleType, contractType } from './contracts-record';
import { indexFieldsProblem } from './contracts-envelope';
import type { AssetDocType } from './doc-type';
import { licenceSeatType, licenceType } from './licences-record';
import { phoneNumberType, phoneOperatorType, phoneRangeType } from './telephony-record';

const indexed = (t: AssetDocType): AssetDocType => ({
  ...t,
  validate: (doc) => indexFieldsProblem(doc) ?? t.validate(doc)
});

export const CONTRACT_DOC_TYPES: readonly AssetDocType[] = [
  licenceType,
  licenceSeatType,
  phoneOperatorType,
  phoneRangeType,
  phoneNumberType,
  contractType,
  contractRuleType
].map(indexed);
