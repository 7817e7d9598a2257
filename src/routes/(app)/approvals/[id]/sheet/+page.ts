import { loadMessages } from '$lib/i18n';

// The printed sheet is in Czech whatever the screen's language: its messages must be on hand.
export const load = async () => {
  await loadMessages('cs');
};
