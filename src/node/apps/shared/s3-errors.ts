/** How the S3 client reports the answers the apps act on (shared by the audio archive and the cameras app). */

const status = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
const named = (e: unknown, ...names: string[]) => e instanceof Error && names.includes(e.name);

/** S3's answer to a failed `If-None-Match` / `If-Match`. */
export const preconditionFailed = (e: unknown): boolean => status(e) === 412 || named(e, 'PreconditionFailed');
/** A concurrent conditional write of the same key (S3's 409 ConditionalRequestConflict): try again. */
export const conflict = (e: unknown): boolean => status(e) === 409 || named(e, 'ConditionalRequestConflict');
export const notFound = (e: unknown): boolean => status(e) === 404 || named(e, 'NotFound', 'NoSuchKey');

/** Runs `attempt` again (up to 4 more times, 100 ms doubling) while S3 answers 409 ConditionalRequestConflict. */
export async function retryingConflicts<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!conflict(error) || i >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** i));
    }
  }
}
