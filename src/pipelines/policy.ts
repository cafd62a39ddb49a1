/** Who must approve a promotion into an app (DESIGN §5). Empty approver lists mean anyone in the workspace. */
export type Policy = {
  approvals: number;
  approvers: { users: string[]; groups: string[] };
  selfApproval: boolean;
  expiresMs: number;
  rollbackApprovals: number;
};

export const DEFAULT_POLICY: Policy = {
  approvals: 0,
  approvers: { users: [], groups: [] },
  selfApproval: false,
  expiresMs: 24 * 3_600_000,
  rollbackApprovals: 0,
};

export const MAX_APPROVALS = 10;
