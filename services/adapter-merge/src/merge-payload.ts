/** Merge's Employee common model, the parts Tributary reads. */
export interface MergeEmployee {
  id: string;
  remote_id?: string | null;
  employee_number?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  preferred_name?: string | null;
  display_full_name?: string | null;
  work_email?: string | null;
  personal_email?: string | null;
  mobile_phone_number?: string | null;
  employments?: (string | { job_title?: string | null; employment_type?: string | null })[] | null;
  work_location?: string | { id?: string; name?: string | null; country?: string | null } | null;
  manager?: string | null;
  employment_status?: 'ACTIVE' | 'PENDING' | 'INACTIVE' | null;
  hire_date?: string | null;
  start_date?: string | null;
  termination_date?: string | null;
  remote_was_deleted?: boolean;
  modified_at?: string | null;
}

export interface MergePayload {
  hook: { id?: string; event: string; target?: string };
  linked_account: { id: string; integration?: string; end_user_origin_id?: string };
  data: MergeEmployee;
}

const nullableText = { type: ['string', 'null'], maxLength: 1024 } as const;

export const mergePayloadSchema = {
  type: 'object',
  required: ['hook', 'linked_account', 'data'],
  properties: {
    hook: {
      type: 'object',
      required: ['event'],
      properties: {
        id: { type: 'string' },
        event: { type: 'string', maxLength: 128 },
        target: { type: 'string' },
      },
    },
    linked_account: {
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string', minLength: 1, maxLength: 256 } },
    },
    data: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', pattern: '^[0-9A-Za-z_-]{1,64}$' },
        employee_number: nullableText,
        first_name: nullableText,
        last_name: nullableText,
        work_email: nullableText,
        manager: { type: ['string', 'null'], pattern: '^[0-9A-Za-z_-]{1,64}$' },
        employment_status: { enum: ['ACTIVE', 'PENDING', 'INACTIVE', null] },
        hire_date: nullableText,
        start_date: nullableText,
        termination_date: nullableText,
        employments: { type: ['array', 'null'], maxItems: 100 },
        work_location: { type: ['string', 'object', 'null'] },
      },
    },
  },
} as const;
