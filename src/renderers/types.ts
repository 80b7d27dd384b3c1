import type { Locale } from "../vocabulary/index.js";

/** A file to upload beside a reply. `title` is what platforms show above it; `altText` describes images. */
export interface RenderedFile {
  filename: string;
  mimeType: string;
  data: Buffer;
  title?: string;
  altText?: string;
}

/** What every renderer returns: messages to post in order, each already within its platform's limits. */
export interface Rendered<M> {
  messages: M[];
  files: RenderedFile[];
}

export interface RenderResultOptions {
  /**
   * Largest file the platform accepts. Bigger files are re-rendered smaller or split into parts, with a
   * note in the reply. Defaults per platform (Discord 10 MiB; Slack and console have no practical cap).
   */
  maxFileBytes?: number;
}

/** A decision on an approval card, as the decided card shows it. */
export interface ApprovalDecided {
  decision: "approve" | "reject" | "edit";
  /** Platform user id of the person who decided. */
  by: string;
  /** ISO time of the decision. */
  at: string;
  edited_task?: string | undefined;
}

export type { Locale };
