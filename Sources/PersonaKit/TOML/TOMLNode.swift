/// A TOML value as PersonaKit keeps it: a plain, `Sendable` tree that remembers the order of keys,
/// so that a file can be written back with every key it had — known or not.
public enum TOMLNode: Sendable, Equatable {
  case string(String)
  case integer(Int)
  case float(Double)
  case bool(Bool)
  /// A date, time or date-time, kept as its TOML text (PersonaKit reads none of them).
  case datetime(String)
  case array([TOMLNode])
  case table(TOMLDict)

  /// The TOML name of the value's type, for messages ("expected a string, found an integer").
  public var typeName: String {
    switch self {
    case .string: return "a string"
    case .integer: return "an integer"
    case .float: return "a float"
    case .bool: return "a boolean"
    case .datetime: return "a date-time"
    case .array: return "an array"
    case .table: return "a table"
    }
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// A number, integer or float.
  public var doubleValue: Double? {
    switch self {
    case .float(let d): return d
    case .integer(let i): return Double(i)
    default: return nil
    }
  }

  public var tableValue: TOMLDict? {
    if case .table(let t) = self { return t }
    return nil
  }

  public var arrayValue: [TOMLNode]? {
    if case .array(let a) = self { return a }
    return nil
  }
}

/// An ordered TOML table: keys keep the order they had in the file, new keys go last.
public struct TOMLDict: Sendable, Equatable {
  public private(set) var keys: [String] = []
  private var storage: [String: TOMLNode] = [:]

  public init() {}

  public init(_ pairs: [(String, TOMLNode)]) {
    for (k, v) in pairs { self[k] = v }
  }

  public var isEmpty: Bool { keys.isEmpty }
  public var count: Int { keys.count }

  public subscript(key: String) -> TOMLNode? {
    get { storage[key] }
    set {
      if let newValue {
        if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
      } else if storage.removeValue(forKey: key) != nil {
        keys.removeAll { $0 == key }
      }
    }
  }

  /// The entries in order.
  public var entries: [(key: String, value: TOMLNode)] {
    keys.map { ($0, storage[$0]!) }
  }

  /// Renames a key in place, keeping its position. Returns false when `old` is missing or `new` exists.
  @discardableResult
  public mutating func renameKey(_ old: String, to new: String) -> Bool {
    guard old != new, let value = storage[old], storage[new] == nil,
      let index = keys.firstIndex(of: old)
    else { return false }
    storage[old] = nil
    storage[new] = value
    keys[index] = new
    return true
  }

  /// Puts `key` right after `anchor` (used so a duplicate sits next to its original).
  public mutating func move(_ key: String, after anchor: String) {
    guard let from = keys.firstIndex(of: key), keys.contains(anchor) else { return }
    keys.remove(at: from)
    let to = keys.firstIndex(of: anchor)! + 1
    keys.insert(key, at: to)
  }

  mutating func reserveCapacity(_ n: Int) {
    keys.reserveCapacity(n)
    storage.reserveCapacity(n)
  }

  /// Appends a key the table does not hold yet (the parser's fast path).
  mutating func appendNew(_ key: String, _ value: TOMLNode) {
    storage[key] = value
    keys.append(key)
  }
}
