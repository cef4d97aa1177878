/// Display columns of text in a terminal, for aligning CLI tables: East Asian wide and fullwidth
/// characters and emoji take two columns, combining marks and zero-width characters none.
enum TextWidth {
  static func of(_ s: String) -> Int {
    s.reduce(0) { $0 + width(of: $1) }
  }

  static func width(of c: Character) -> Int {
    let scalars = c.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
    if first.properties.isEmojiPresentation { return 2 }
    let v = first.value
    if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark
      || v == 0x200B || v == 0x200D
    {
      return 0
    }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(v) } ? 2 : 1
  }

  /// Pads (or cuts, with an ellipsis) to exactly `columns`.
  static func fit(_ s: String, _ columns: Int) -> String {
    var out = ""
    var used = 0
    let total = of(s)
    if total <= columns { return s + String(repeating: " ", count: columns - total) }
    for c in s {
      let w = width(of: c)
      if used + w > columns - 1 { break }
      out.append(c)
      used += w
    }
    return out + "…" + String(repeating: " ", count: max(0, columns - used - 1))
  }
}

/// A plain text table: columns sized to their widest cell (up to a maximum), two spaces apart.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []
  var maxWidth = 40

  func render() -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in min(maxWidth, all.map { TextWidth.of($0[i]) }.max() ?? 0) }
    return all.map { row in
      row.indices.map { i in i == row.count - 1 ? row[i] : TextWidth.fit(row[i], widths[i]) }
        .joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
