/**
 * Answers that never change for their key, remembered by this process: at most `limit` of them,
 * the least recently used forgotten first. For pure work repeated on hot paths (what a path
 * matches in a build's routes, a formatted date), never for anything a request can change.
 * An answer of `undefined` is not remembered.
 */
export function rememberedAnswers<K, V>(limit: number) {
  const answers = new Map<K, V>();
  return {
    get(key: K, compute: () => V): V {
      const known = answers.get(key);
      if (known !== undefined) {
        // Most recently used last, so the oldest is the first to go.
        answers.delete(key);
        answers.set(key, known);
        return known;
      }
      const answer = compute();
      if (answer === undefined) return answer;
      answers.set(key, answer);
      if (answers.size > limit) answers.delete(answers.keys().next().value!);
      return answer;
    },
    get size() {
      return answers.size;
    },
  };
}
