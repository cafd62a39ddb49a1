/** Answers "is this user in one of these user groups?"; Slack's `usergroups.users.list` answers it in production. */
export type ApproverDirectory = { isInAnyGroup(teamId: string, userId: string, groupIds: string[]): Promise<boolean> };

/** The policy's approver list decides; an empty list means anyone in the workspace. */
export async function isAllowedApprover(
  directory: ApproverDirectory,
  teamId: string,
  userId: string,
  policy: { users: string[]; groups: string[] },
): Promise<boolean> {
  if (policy.users.length === 0 && policy.groups.length === 0) return true;
  if (policy.users.includes(userId)) return true;
  return policy.groups.length > 0 && directory.isInAnyGroup(teamId, userId, policy.groups);
}
