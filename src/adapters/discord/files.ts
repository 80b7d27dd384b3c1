import { z } from "zod";
import {
  type AttachmentReader,
  DownloadError,
  type FileRef,
  fetchWithoutToken,
  mayCarryToken,
} from "../../delivery/index.js";
import type { Logger } from "../../log.js";

/**
 * Discord's side of attachments: the attachment objects of a message
 * (https://discord.com/developers/docs/resources/message#attachment-object). Their `url` is a signed CDN
 * link that needs no credentials, so the bot token is never sent with a download; the URL must still
 * be Discord's (or DISCORD_API_URL's origin, an emulator), as a request may not make the bot fetch
 * whatever it names. The policy and the bounded read are the delivery layer's.
 */
export const DiscordAttachmentSchema = z.looseObject({
  id: z.string(),
  filename: z.string(),
  title: z.string().optional(),
  content_type: z.string().optional(),
  size: z.number().optional(),
  url: z.string().optional(),
});

export function discordFileRef(file: z.infer<typeof DiscordAttachmentSchema>): FileRef {
  return {
    id: file.id,
    name: file.filename || file.title || file.id,
    mimeType: file.content_type || undefined,
    fileType: undefined,
    size: file.size,
    downloadUrl: file.url,
  };
}

/** Discord's CDN hosts over HTTPS, or DISCORD_API_URL's origin. */
export function isDiscordFileUrl(url: string, apiUrl: string | undefined): boolean {
  // No token goes with these downloads; the check is the same "Discord's own host" test.
  return mayCarryToken(url, "discordapp.com", apiUrl) || mayCarryToken(url, "discordapp.net", apiUrl);
}

export interface DiscordFilesOptions {
  apiUrl: string | undefined;
  log: Logger;
  /** Per file (default 15 s). */
  timeoutMs?: number;
}

export function discordFileReader(options: DiscordFilesOptions): AttachmentReader {
  return {
    platformName: "Discord",
    log: options.log,
    fetch: async (file) => {
      const url = file.downloadUrl as string;
      if (!isDiscordFileUrl(url, options.apiUrl)) throw new DownloadError("not_a_discord_url");
      return fetchWithoutToken(url, options.timeoutMs ?? 15_000);
    },
  };
}
