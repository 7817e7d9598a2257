/** The contract archive's live data: contracts, the register rule in force, reminders. */
import { DEFAULT_PUBLICATION_RULE, type Contract, type PublicationRule } from '$lib/domain/assets/contracts';
import { liveRecords } from './records.svelte';

export function contractData() {
  const contracts = liveRecords<Contract>(['contract']);
  const ruleRecords = liveRecords<PublicationRule & { id: string }>(['contract_rule']);
  // A device that does not read the regional office's register judges by the act as built in.
  const rules = $derived(ruleRecords.list.length ? ruleRecords.list : [DEFAULT_PUBLICATION_RULE]);
  return {
    get contracts() {
      return contracts.list;
    },
    get rules() {
      return rules;
    },
    get loaded() {
      return contracts.loaded;
    }
  };
}
