/**
 * The HTTP status of a failed CouchDB request, as nano's errors carry it (`statusCode`);
 * undefined for any other error (a refused connection, a bug).
 */
export const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number } | null)?.statusCode;

/** Whether `err` is CouchDB's answer `status`: 404 missing, 409 conflict, … */
export const isStatus = (err: unknown, status: number): boolean => statusOf(err) === status;

/** CouchDB's 404: the document or database is not there. */
export const isMissing = (err: unknown): boolean => isStatus(err, 404);

/** CouchDB's 409: another write changed the document first. */
export const isConflict = (err: unknown): boolean => isStatus(err, 409);
