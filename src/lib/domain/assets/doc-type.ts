/**
 * What the asset module knows about one kind of record in its collection. A type says which
 * fields beyond the envelope it may carry, what they must hold, and (optionally) who may write
 * it beyond the database's writers. The device calls the same checks before it saves, so a
 * refusal is explained before anything syncs; the gateway calls them on every write.
 */
import type { Role } from '../access';
import type { Doc, WriteContext } from '../write-rules';

export interface AssetDocType {
  /** The value of `type`. */
  type: string;
  /** Top-level fields this type may use besides the envelope (id, audit, merge fields, type). `data` must be listed to be used. */
  fields: readonly string[];
  /** Shape and content beyond the shared schema: null when fine, else a reason a person can read. */
  validate(doc: Doc): string | null;
  /**
   * Who may write it: called once per role the writer holds in the organization (the write is
   * allowed when any role allows it). The database's writers (`ORG_RIGHTS`) are checked first;
   * a type can only narrow them. Omitted: every writer of the database may write it.
   */
  checkRole?(role: Role, ctx: WriteContext): string | null;
  /** Fields that never change once written, with the sentence that says why. */
  immutable?: Readonly<Record<string, string>>;
  /**
   * What a second creation under an existing record's id means, in words (ids made from
   * content: a number given to a second holder, a seat given twice); null: the generic reason.
   */
  duplicate?(before: Doc, after: Doc): string | null;
  /** Written once and never changed (history entries, scans): the gateway refuses edits. */
  appendOnly?: boolean;
}
