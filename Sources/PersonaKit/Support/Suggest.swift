/// "Did you mean …?": the known name nearest to one the user typed, for messages about typos in
/// keys (`temprature`) and names (`worker` for "Worker").
public enum Suggest {
  /// The candidate nearest to `word`, or nil when none is near enough to be a likely typo: equal
  /// but for case and surrounding spaces, or within an edit distance of about a third of the
  /// word's length (a swap of two neighbours counts as one edit).
  public static func nearest(_ word: String, among candidates: some Sequence<String>) -> String? {
    let w = Array(word.lowercased().trimmingSpaces.unicodeScalars)
    guard !w.isEmpty else { return nil }
    let limit = max(1, w.count / 3)
    var best: (name: String, distance: Int)?
    for c in candidates where c != word {
      let d = distance(w, Array(c.lowercased().trimmingSpaces.unicodeScalars), limit: limit)
      if d <= limit, best == nil || d < best!.distance { best = (c, d) }
    }
    return best?.name
  }

  /// ` (did you mean "X"?)`, or "" when nothing is near.
  public static func hint(_ word: String, among candidates: some Sequence<String>) -> String {
    nearest(word, among: candidates).map { " (did you mean \(TerminalSafe.quoted($0))?)" } ?? ""
  }

  /// The optimal string alignment distance (Levenshtein with adjacent swaps), or `limit + 1` as
  /// soon as it is known to be above `limit`.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMin = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
        current[j] = d
        rowMin = min(rowMin, d)
      }
      if rowMin > limit { return limit + 1 }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }
}
