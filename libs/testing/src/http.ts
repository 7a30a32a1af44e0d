/** What partners read from our HTTP responses, typed loosely for assertions. */
export interface ApiBody {
  success: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions inspect arbitrary payloads
  data?: any;
  pagination?: { page: number; limit: number; total: number; totalPages: number; hasMore: boolean };
  error?: { type: string; code: string; message: string; details?: { field: string; message: string }[] };
  requestId?: string;
}

export async function json(response: Response): Promise<ApiBody> {
  return (await response.json()) as ApiBody;
}
