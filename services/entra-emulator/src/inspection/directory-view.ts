import type { AttributeValue, Directory, DirectoryUser } from '../provisioning/directory.ts';

export interface DirectoryUserView {
  id: string;
  tenantId: string;
  employeeId: string | null;
  userPrincipalName: string | null;
  displayName: string | null;
  accountEnabled: boolean;
  /** Every Entra property the user holds, by name. */
  attributes: Record<string, AttributeValue>;
  /** The manager, resolved to its object id and its employeeId (the source externalId). */
  manager: { id: string; employeeId: string | null } | null;
  createdDateTime: string;
}

export function viewUser(
  tenantId: string,
  directory: Directory,
  user: DirectoryUser,
): DirectoryUserView {
  const manager = user.managerId ? directory.get(user.managerId) : undefined;
  const text = (name: string) => {
    const value = user.attributes[name];
    return typeof value === 'string' ? value : null;
  };
  return {
    id: user.id,
    tenantId,
    employeeId: text('employeeId'),
    userPrincipalName: text('userPrincipalName'),
    displayName: text('displayName'),
    accountEnabled: user.attributes.accountEnabled !== false,
    attributes: { ...user.attributes },
    manager: user.managerId ? { id: user.managerId, employeeId: employeeIdOf(manager) } : null,
    createdDateTime: user.createdDateTime,
  };
}

function employeeIdOf(user: DirectoryUser | undefined): string | null {
  const value = user?.attributes.employeeId;
  return typeof value === 'string' ? value : null;
}
