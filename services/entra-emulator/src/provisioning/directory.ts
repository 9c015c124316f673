import { randomUUID } from 'node:crypto';

export type AttributeValue = string | boolean;

export interface DirectoryUser {
  id: string;
  /** Entra properties by name (employeeId, userPrincipalName, accountEnabled, ...). */
  attributes: Record<string, AttributeValue>;
  managerId: string | null;
  createdDateTime: string;
}

/**
 * One tenant's users, indexed the ways provisioning looks them up: by object id, by employeeId
 * (the default matching attribute) and by userPrincipalName (which must stay unique).
 */
export class Directory {
  readonly #byId = new Map<string, DirectoryUser>();
  readonly #byEmployeeId = new Map<string, DirectoryUser>();
  readonly #byUpn = new Map<string, DirectoryUser>();

  get size(): number {
    return this.#byId.size;
  }

  users(): IterableIterator<DirectoryUser> {
    return this.#byId.values();
  }

  get(id: string): DirectoryUser | undefined {
    return this.#byId.get(id);
  }

  byEmployeeId(employeeId: string): DirectoryUser | undefined {
    return this.#byEmployeeId.get(employeeId);
  }

  /** UPNs compare case-insensitively in Entra. */
  byUserPrincipalName(upn: string): DirectoryUser | undefined {
    return this.#byUpn.get(upn.toLowerCase());
  }

  add(attributes: Record<string, AttributeValue>, id: string = randomUUID()): DirectoryUser {
    const user: DirectoryUser = {
      id,
      attributes,
      managerId: null,
      createdDateTime: new Date().toISOString(),
    };
    this.#byId.set(id, user);
    this.#index(user);
    return user;
  }

  /** Restores a user from a snapshot, keeping its id, dates and manager. */
  restore(user: DirectoryUser): void {
    this.#byId.set(user.id, user);
    this.#index(user);
  }

  /** Writes one property, keeping the indexes in step. `undefined` removes it. */
  set(user: DirectoryUser, name: string, value: AttributeValue | undefined): void {
    const indexed = name === 'employeeId' || name === 'userPrincipalName';
    if (indexed) this.#unindex(user);
    if (value === undefined) delete user.attributes[name];
    else user.attributes[name] = value;
    if (indexed) this.#index(user);
  }

  #index(user: DirectoryUser): void {
    const { employeeId, userPrincipalName } = user.attributes;
    if (typeof employeeId === 'string') this.#byEmployeeId.set(employeeId, user);
    if (typeof userPrincipalName === 'string') {
      this.#byUpn.set(userPrincipalName.toLowerCase(), user);
    }
  }

  #unindex(user: DirectoryUser): void {
    const { employeeId, userPrincipalName } = user.attributes;
    if (typeof employeeId === 'string' && this.#byEmployeeId.get(employeeId) === user) {
      this.#byEmployeeId.delete(employeeId);
    }
    if (typeof userPrincipalName === 'string') {
      const key = userPrincipalName.toLowerCase();
      if (this.#byUpn.get(key) === user) this.#byUpn.delete(key);
    }
  }
}
