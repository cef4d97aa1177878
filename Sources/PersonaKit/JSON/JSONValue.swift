/// A JSON value with ordered objects, for `--json` output, import, and the editor's JSON fields.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let pairs) = self { return pairs.last { $0.0 == key }?.1 }
    return nil
  }

  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var number: Double? {
    if case .number(let d) = self { return d }
    return nil
  }

  public var array: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var object: [(String, JSONValue)]? {
    if case .object(let o) = self { return o }
    return nil
  }

  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "a boolean"
    case .number: return "a number"
    case .string: return "a string"
    case .array: return "an array"
    case .object: return "an object"
    }
  }

  public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
  public static func optional(_ d: Double?) -> JSONValue { d.map(JSONValue.number) ?? .null }
  public static func optional(_ i: Int?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }

  /// A TOML value as JSON (dates as strings).
  public init(_ node: TOMLNode) {
    switch node {
    case .string(let s), .datetime(let s): self = .string(s)
    case .integer(let i): self = .number(Double(i))
    case .float(let d): self = .number(d)
    case .bool(let b): self = .bool(b)
    case .array(let a): self = .array(a.map(JSONValue.init))
    case .table(let t): self = .object(t.entries.map { ($0.key, JSONValue($0.value)) })
    }
  }

  /// JSON as a TOML value; nil for `null` (TOML has none). Whole numbers become integers.
  public var tomlNode: TOMLNode? {
    switch self {
    case .null: return nil
    case .bool(let b): return .bool(b)
    case .number(let d):
      if d.rounded() == d && abs(d) < 9e15 { return .integer(Int(d)) }
      return .float(d)
    case .string(let s): return .string(s)
    case .array(let a): return .array(a.compactMap(\.tomlNode))
    case .object(let o):
      var t = TOMLDict()
      for (k, v) in o { if let n = v.tomlNode { t[k] = n } }
      return .table(t)
    }
  }
}
