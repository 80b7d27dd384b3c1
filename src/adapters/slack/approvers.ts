/**
 * OCTO_APPROVERS may name Slack user groups (`S…` ids) besides people; the delivery layer checks
 * membership through `usergroups.users.list` (the sink's `groupMembers`).
 */
export interface ApproverEntries {
  users: readonly string[];
  groups: readonly string[];
}

/** User group ids start with S (docs.slack.dev: "encoded ID of the User Group", e.g. S0604QSJC). */
const GROUP_ID = /^S[A-Z0-9]{2,}$/;

export function splitApprovers(entries: readonly string[]): ApproverEntries {
  return {
    users: entries.filter((entry) => !GROUP_ID.test(entry)),
    groups: entries.filter((entry) => GROUP_ID.test(entry)),
  };
}
