/// Writes a `TOMLDict` as TOML text that a person can read and diff:
/// top-level and second-level tables get `[headers]`, deeper tables that hold only values are
/// written inline, arrays of tables at the top level (`[[tickets]]`) get their own sections, other
/// arrays of tables are written inline one element a line, and strings with newlines are written
/// as multi-line strings. Keys keep the order of the `TOMLDict`.
public enum TOMLWriter {
  public static func write(_ root: TOMLDict) -> String {
    var out = ""
    writeBody(root, path: [], into: &out)
    var sections = ""
    for (key, value) in root.entries {
      switch value {
      case .table(let t):
        writeSection(t, path: [key], into: &sections)
      case .array(let elements) where isArrayOfTables(elements):
        for element in elements {
          if !sections.isEmpty || !out.isEmpty { sections += "\n" }
          sections += "[[\(formatKey(key))]]\n"
          writeBody(element.tableValue!, path: [key], into: &sections, sections: false)
        }
      default: break
      }
    }
    if !out.isEmpty && !sections.isEmpty && !sections.hasPrefix("\n") { out += "\n" }
    return out + sections
  }

  /// The `key = value` lines of a table: everything that is not written as its own section.
  /// With `sections: false` (inside an array of tables) every value is written here, tables inline.
  private static func writeBody(_ table: TOMLDict, path: [String], into out: inout String, sections: Bool = true) {
    for (key, value) in table.entries
    where !sections || !isSection(value, depth: path.count + 1, atRoot: path.isEmpty) {
      out += "\(formatKey(key)) = \(format(value, inline: false))\n"
    }
  }

  private static func writeSection(_ table: TOMLDict, path: [String], into out: inout String) {
    let children = table.entries.filter { isSection($0.value, depth: path.count + 1, atRoot: false) }
    let hasBody = children.count < table.count
    if hasBody || table.isEmpty {
      if !out.isEmpty { out += "\n" }
      out += "[\(path.map(formatKey).joined(separator: "."))]\n"
      writeBody(table, path: path, into: &out)
    }
    for (key, value) in children {
      if case .table(let t) = value { writeSection(t, path: path + [key], into: &out) }
    }
  }

  /// Whether a value is written as a `[section]` (tables) rather than as `key = value`.
  private static func isSection(_ value: TOMLNode, depth: Int, atRoot: Bool) -> Bool {
    switch value {
    case .table(let t): return depth <= 2 || !isLeaf(t)
    case .array(let elements): return atRoot && isArrayOfTables(elements)
    default: return false
    }
  }

  private static func isArrayOfTables(_ elements: [TOMLNode]) -> Bool {
    !elements.isEmpty && elements.allSatisfy { $0.tableValue != nil }
  }

  /// A table that holds only scalars and arrays of scalars.
  static func isLeaf(_ table: TOMLDict) -> Bool {
    table.entries.allSatisfy { entry in
      switch entry.value {
      case .table: return false
      case .array(let a): return !a.contains { $0.tableValue != nil }
      default: return true
      }
    }
  }

  public static func format(_ value: TOMLNode, inline: Bool) -> String {
    switch value {
    case .string(let s): return formatString(s, multiline: !inline && containsLineFeed(s))
    case .integer(let i): return String(i)
    case .float(let d): return formatFloat(d)
    case .bool(let b): return b ? "true" : "false"
    case .datetime(let text): return text
    case .array(let elements):
      if elements.isEmpty { return "[]" }
      if !inline && elements.contains(where: { $0.tableValue != nil }) {
        return "[\n" + elements.map { "  " + format($0, inline: true) + ",\n" }.joined() + "]"
      }
      return "[" + elements.map { format($0, inline: true) }.joined(separator: ", ") + "]"
    case .table(let t):
      if t.isEmpty { return "{}" }
      return "{ "
        + t.entries.map { "\(formatKey($0.key)) = \(format($0.value, inline: true))" }
        .joined(separator: ", ") + " }"
    }
  }

  public static func formatFloat(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    return d.description
  }

  public static func formatKey(_ key: String) -> String {
    let bare =
      !key.isEmpty
      && key.unicodeScalars.allSatisfy {
        ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == "-"
      }
    return bare ? key : formatString(key, multiline: false)
  }

  /// Whether the text holds a line feed (what `contains("\n")` answered — a substring search that
  /// finds the LF of a CR LF too — without the string-processing library's searcher).
  static func containsLineFeed(_ s: String) -> Bool {
    s.utf8.contains(0x0A)
  }

  public static func formatString(_ s: String, multiline: Bool) -> String {
    let open = multiline ? "\"\"\"\n" : "\""
    let close = multiline ? "\"\"\"" : "\""
    // Most strings (names, ids, ASCII prose) need no escape: written as they are.
    if s.utf8.allSatisfy({ b in
      (b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C) || (multiline && (b == 0x0A || b == 0x09))
    }) {
      return open + s + close
    }
    // The rest byte by byte: escapes where TOML or a terminal needs them, every other byte
    // copied (a prompt of thousands of characters is written on every save and export).
    let written = s.utf8.withContiguousStorageIfAvailable { b -> [UInt8] in
      var out: [UInt8] = []
      out.reserveCapacity(b.count + 16)
      out.append(contentsOf: open.utf8)
      func put(_ text: String) { out.append(contentsOf: text.utf8) }
      var i = 0
      while i < b.count {
        let c = b[i]
        if c >= 0x80 {
          // C1 and bidi controls are escaped, so that `cat FILE` cannot act on a terminal.
          if let (value, length) = TerminalSafe.unsafeScalar(b, at: i) {
            put("\\u" + String(format4: value))
            i += length
          } else {
            out.append(c)
            i += 1
          }
          continue
        }
        switch c {
        case 0x5C: put("\\\\")
        case 0x22: put("\\\"")
        case 0x0A: put(multiline ? "\n" : "\\n")
        case 0x09: put(multiline ? "\t" : "\\t")
        case 0x0D: put("\\r")
        case 0x08: put("\\b")
        case 0x0C: put("\\f")
        case ..<0x20, 0x7F: put("\\u" + String(format4: UInt32(c)))
        default: out.append(c)
        }
        i += 1
      }
      out.append(contentsOf: close.utf8)
      return out
    }
    if let written { return String(decoding: written, as: UTF8.self) }
    // (A string whose UTF-8 is not contiguous, bridged from elsewhere: made so, then written.)
    var copy = s
    copy.makeContiguousUTF8()
    return formatString(copy, multiline: multiline)
  }
}

extension String {
  /// Four upper-case hex digits.
  init(format4 value: UInt32) {
    let hex = String(value, radix: 16, uppercase: true)
    let pad = String(repeating: "0", count: Swift.max(0, 4 - hex.count))
    self = pad + hex
  }
}
