import TermUI

/// A plain text table for the CLI: columns sized to their widest cell (up to a maximum, measured
/// in display columns by the widget layer's rules), two spaces apart.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []
  var maxWidth = 40

  static func fit(_ s: String, _ columns: Int) -> String {
    let t = DisplayWidth.truncate(s, to: columns)
    return t + String(repeating: " ", count: max(0, columns - DisplayWidth.of(t)))
  }

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in min(maxWidth, all.map { DisplayWidth.of($0[i]) }.max() ?? 0) }
    return all.map { row in
      row.indices.map { i in i == row.count - 1 ? row[i] : Self.fit(row[i], widths[i]) }
        .joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
