/// Writes JSON. Every character a terminal could act on (C0 and C1 controls, DEL, bidi controls)
/// is written as a `\uXXXX` escape, so that printing the output can never inject a sequence.
public enum JSONWriter {
  public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
    var out = ""
    write(value, indent: pretty ? 0 : nil, into: &out)
    return out
  }

  private static func write(_ value: JSONValue, indent: Int?, into out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let d): out += formatNumber(d)
    case .string(let s): writeString(s, into: &out)
    case .array(let a):
      if a.isEmpty {
        out += "[]"
        return
      }
      out += "["
      for (n, v) in a.enumerated() {
        if n > 0 { out += "," }
        newline(indent.map { $0 + 1 }, into: &out)
        write(v, indent: indent.map { $0 + 1 }, into: &out)
      }
      newline(indent, into: &out)
      out += "]"
    case .object(let o):
      if o.isEmpty {
        out += "{}"
        return
      }
      out += "{"
      for (n, (k, v)) in o.enumerated() {
        if n > 0 { out += "," }
        newline(indent.map { $0 + 1 }, into: &out)
        writeString(k, into: &out)
        out += indent == nil ? ":" : ": "
        write(v, indent: indent.map { $0 + 1 }, into: &out)
      }
      newline(indent, into: &out)
      out += "}"
    }
  }

  private static func newline(_ indent: Int?, into out: inout String) {
    guard let indent else { return }
    out += "\n" + String(repeating: "  ", count: indent)
  }

  public static func formatNumber(_ d: Double) -> String {
    if d.isNaN || d.isInfinite { return "null" }
    if d.rounded() == d && abs(d) < 1e15 { return String(Int(d)) }
    return d.description
  }

  public static func writeString(_ s: String, into out: inout String) {
    out += "\""
    // Printable ASCII with nothing to escape (most names and ids) goes in as it is.
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) {
      out += s
      out += "\""
      return
    }
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if TerminalSafe.isUnsafe(u) {
          out += "\\u" + String(format4: u.value).lowercased()
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }
}
