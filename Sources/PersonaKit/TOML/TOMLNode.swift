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

  public var integerValue: Int? {
    if case .integer(let i) = self { return i }
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
///
/// Stored as (key, value) pairs in order; a table of more than `indexThreshold` keys also keeps a
/// key → position index. Most tables are small (a model entry, a tool), where a linear search
/// is as fast as hashing and a dictionary per table was most of the memory a large config took.
public struct TOMLDict: Sendable, Equatable {
  private var pairs: [(key: String, value: TOMLNode)] = []
  private var index: [String: Int]?
  static let indexThreshold = 12

  public init() {}

  public init(_ pairs: [(String, TOMLNode)]) {
    for (k, v) in pairs { self[k] = v }
  }

  public static func == (a: TOMLDict, b: TOMLDict) -> Bool {
    a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
  }

  public var keys: [String] { pairs.map(\.key) }
  public var isEmpty: Bool { pairs.isEmpty }
  public var count: Int { pairs.count }

  private func position(of key: String) -> Int? {
    if let index { return index[key] }
    for i in pairs.indices where pairs[i].key == key { return i }
    return nil
  }

  private mutating func reindex() {
    guard pairs.count > Self.indexThreshold else {
      index = nil
      return
    }
    var map = [String: Int](minimumCapacity: pairs.count)
    for (i, p) in pairs.enumerated() { map[p.key] = i }
    index = map
  }

  public subscript(key: String) -> TOMLNode? {
    get { position(of: key).map { pairs[$0].value } }
    set {
      if let i = position(of: key) {
        if let newValue {
          pairs[i].value = newValue
        } else {
          pairs.remove(at: i)
          reindex()
        }
      } else if let newValue {
        appendNew(key, newValue)
      }
    }
  }

  /// The entries in order.
  public var entries: [(key: String, value: TOMLNode)] { pairs }

  /// Renames a key in place, keeping its position. Returns false when `old` is missing or `new` exists.
  @discardableResult
  public mutating func renameKey(_ old: String, to new: String) -> Bool {
    guard old != new, let i = position(of: old), position(of: new) == nil else { return false }
    pairs[i].key = new
    if index != nil {
      index![old] = nil
      index![new] = i
    }
    return true
  }

  /// Puts `key` right after `anchor` (used so a duplicate sits next to its original).
  public mutating func move(_ key: String, after anchor: String) {
    guard let from = position(of: key), position(of: anchor) != nil else { return }
    let pair = pairs.remove(at: from)
    let to = pairs.firstIndex { $0.key == anchor }! + 1
    pairs.insert(pair, at: to)
    reindex()
  }

  /// A table of these pairs, in this order (the parser's: its keys are known to differ).
  init(ordered pairs: [(key: String, value: TOMLNode)]) {
    self.pairs = pairs
    reindex()
  }

  /// Appends a key the table does not hold yet (the parser's fast path).
  mutating func appendNew(_ key: String, _ value: TOMLNode) {
    pairs.append((key, value))
    if index != nil {
      index![key] = pairs.count - 1
    } else if pairs.count > Self.indexThreshold {
      reindex()
    }
  }
}
