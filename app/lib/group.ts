/**
 * The rows under each key, in their order, each as `value` makes it (the row itself by default).
 * One pass and one array a key: building each key's array afresh with every row it gains made a
 * grouping quadratic in the rows under a key.
 */
export function groupBy<T, K, V = T>(rows: Iterable<T>, key: (row: T) => K, value: (row: T) => V = (row) => row as unknown as V): Map<K, V[]> {
  const grouped = new Map<K, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = grouped.get(k);
    if (list) list.push(value(row));
    else grouped.set(k, [value(row)]);
  }
  return grouped;
}
