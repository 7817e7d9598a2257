/**
 * The search worker: the full-text index of a list, loaded from the device, kept current and
 * saved here, off the page's thread (`search-host.ts` speaks to it).
 */
import { localSearchHost, serveSearchHost } from './search-host';
import { idbSearchStore } from './search-store';

serveSearchHost(localSearchHost(idbSearchStore), self as unknown as Parameters<typeof serveSearchHost>[1]);
