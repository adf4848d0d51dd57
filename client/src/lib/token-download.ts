import { describeLoadError } from "./load-error.js";
import { fetchFromService } from "./readings-source.js";
import { sessionToken } from "./session-token.svelte.js";

/**
 * Follows a download link itself when the tab holds a token, which a link cannot send: the
 * file is fetched with the token and saved from memory. Without one, the browser follows the
 * link and streams the file to disk however long it is. Answers why the download failed, if
 * it did.
 */
export async function downloadWithToken(event: MouseEvent & { currentTarget: HTMLAnchorElement }): Promise<string | undefined> {
  if (sessionToken.secret === undefined) return undefined;
  event.preventDefault();
  const link = event.currentTarget;
  try {
    const response = await fetchFromService(link.href);
    const saved = document.createElement("a");
    saved.href = URL.createObjectURL(await response.blob());
    saved.download = attachmentName(response.headers.get("content-disposition")) ?? link.download;
    saved.click();
    // The browser reads the file after the click returns; a minute is long enough for memory.
    setTimeout(() => URL.revokeObjectURL(saved.href), 60_000);
    return undefined;
  } catch (error) {
    return describeLoadError(error);
  }
}

function attachmentName(disposition: string | null): string | undefined {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1];
}
