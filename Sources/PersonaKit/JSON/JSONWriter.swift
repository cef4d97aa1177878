/// Writes JSON. Every character a terminal could act on (C0 and C1 controls, DEL, bidi controls)
/// is written as a `\uXXXX` escape, so that printing the output can never inject a sequence.
///
/// Written into bytes, and a string's safe runs copied whole: a dry run records each request as
/// a string inside a log event (every quote and newline of the request escaped), and appending to
/// a `String` scalar by scalar was 60 % of a dry run's time.
public enum JSONWriter {
  public static func write(_ value: JSONValue, pretty: Bool = true) -> String {
    String(decoding: bytes(value, pretty: pretty), as: UTF8.self)
  }

  /// The JSON text as UTF-8 bytes.
  public static func bytes(_ value: JSONValue, pretty: Bool = true) -> [UInt8] {
    var out: [UInt8] = []
    write(value, indent: pretty ? 0 : nil, into: &out)
    return out
  }

  private static func write(_ value: JSONValue, indent: Int?, into out: inout [UInt8]) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let d): out.append(contentsOf: formatNumber(d).utf8)
    case .string(let s): writeString(s, into: &out)
    case .array(let a):
      if a.isEmpty {
        out.append(contentsOf: "[]".utf8)
        return
      }
      out.append(UInt8(ascii: "["))
      for (n, v) in a.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent.map { $0 + 1 }, into: &out)
        write(v, indent: indent.map { $0 + 1 }, into: &out)
      }
      newline(indent, into: &out)
      out.append(UInt8(ascii: "]"))
    case .object(let o):
      if o.isEmpty {
        out.append(contentsOf: "{}".utf8)
        return
      }
      out.append(UInt8(ascii: "{"))
      for (n, (k, v)) in o.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        newline(indent.map { $0 + 1 }, into: &out)
        writeString(k, into: &out)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        write(v, indent: indent.map { $0 + 1 }, into: &out)
      }
      newline(indent, into: &out)
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func newline(_ indent: Int?, into out: inout [UInt8]) {
    guard let indent else { return }
    out.append(0x0A)
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
  }

  public static func formatNumber(_ d: Double) -> String {
    if d.isNaN || d.isInfinite { return "null" }
    if d.rounded() == d && abs(d) < 1e15 { return String(Int(d)) }
    return d.description
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// A string in quotes: runs of bytes that need no escape copied whole, `"` `\` and the
  /// characters a terminal acts on escaped (`\n`, `\r`, `\t`, else `\u00xx`).
  static func writeString(_ s: String, into out: inout [UInt8]) {
    var s = s
    s.withUTF8 { text in
      out.reserveCapacity(out.count + text.count + 2)
      out.append(UInt8(ascii: "\""))
      var run = 0  // the start of the bytes not yet copied
      var i = 0
      while i < text.count {
        let b = text[i]
        if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C {
          i += 1
          continue
        }
        // A byte of a multi-byte character: the character is escaped only if the terminal would
        // act on it (C1 and bidi controls); its other bytes (0x80–0xBF) never start one.
        var value = UInt32(b)
        var length = 1
        if b >= 0x80 {
          guard let unsafe = TerminalSafe.unsafeScalar(text, at: i) else {
            i += 1
            continue
          }
          (value, length) = unsafe
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[run..<i]))
        // (Bytes appended one by one: appending a literal's `utf8` copies it through a generic
        // path, 34 % of a dry run.)
        out.append(UInt8(ascii: "\\"))
        switch b {
        case 0x22, 0x5C: out.append(b)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
          out.append(UInt8(ascii: "u"))
          for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hexDigits[Int(value >> UInt32(shift)) & 0xF])
          }
        }
        i += length
        run = i
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: text[run..<text.count]))
      out.append(UInt8(ascii: "\""))
    }
  }
}
