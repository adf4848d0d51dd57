import type { Logger } from "../observability/logger.js";
import { readTokensFile, TokensFileError } from "./tokens-file.js";
import type { TokensPolicy } from "./tokens-policy.js";

/**
 * Re-reads the tokens file into the running policy (on SIGHUP). A file that cannot be used
 * leaves the tokens in use as they were, and the log says why.
 */
export async function reloadTokens(file: string, policy: TokensPolicy, logger: Logger): Promise<void> {
  try {
    policy.replace(await readTokensFile(file));
    logger.info(`re-read ${policy.size} token${policy.size === 1 ? "" : "s"} from ${file}`);
  } catch (error) {
    if (!(error instanceof TokensFileError)) throw error;
    logger.error(`kept the ${policy.size} token${policy.size === 1 ? "" : "s"} in use: ${error.message}`);
  }
}
