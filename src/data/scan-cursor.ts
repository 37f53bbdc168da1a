/**
 * Where the last field scan stopped and whether it gave up. The scanners run once per field of
 * every row, so they report through this shared record instead of allocating a result object.
 */
export const scan = { end: 0, slow: false };
