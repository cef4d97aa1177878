/// The lines that differ between two texts: `- ` in the first only, `+ ` in the second only, in
/// order (a longest common subsequence). The lines both share at the start and the end are set
/// aside first: a change to one entry of a file of 100,000 lines compares only what is between.
public enum LineDiff {
  public static func lines(_ a: [String], _ b: [String]) -> [String] {
    var start = 0
    while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
    var endA = a.count
    var endB = b.count
    while endA > start && endB > start && a[endA - 1] == b[endB - 1] {
      endA -= 1
      endB -= 1
    }
    let x = Array(a[start..<endA])
    let y = Array(b[start..<endB])
    let n = x.count
    let m = y.count
    var lcs = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
      }
    }
    var out: [String] = []
    var i = 0
    var j = 0
    while i < n || j < m {
      if i < n && j < m && x[i] == y[j] {
        i += 1
        j += 1
      } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
        out.append("- " + x[i])
        i += 1
      } else {
        out.append("+ " + y[j])
        j += 1
      }
    }
    return out
  }
}
